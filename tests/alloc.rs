//! Decoding allocates nothing per scalar field: only the document box, list containers and
//! quick-xml's small fixed buffers. Measured with a counting global allocator that counts only
//! on the thread that asked (tests run in parallel).

#![allow(unsafe_code)]

use qmwire::model::qimen::BodyKind;
use qmwire::options::Limits;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers every call to the system allocator; the only addition is a thread-local counter.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCATIONS.with(Cell::get))
}

/// An entity-free delivery order with `lines` order lines of 8 scalar fields each.
fn delivery_order(lines: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request>\n  <deliveryOrder>\n    <deliveryOrderCode>DO-1</deliveryOrderCode>\n    <orderType>JYCK</orderType>\n    <warehouseCode>WH01</warehouseCode>\n    <sourcePlatformCode>TB</sourcePlatformCode>\n    <createTime>2024-03-01 10:00:00</createTime>\n    <placeOrderTime>2024-03-01 09:58:00</placeOrderTime>\n    <operateTime>2024-03-01 10:00:00</operateTime>\n    <shopNick>测试旗舰店</shopNick>\n    <logisticsCode>SF</logisticsCode>\n    <receiverInfo>\n      <name>张三</name>\n      <mobile>13800000000</mobile>\n      <province>浙江省</province>\n      <city>杭州市</city>\n      <detailAddress>西湖区文三路1号</detailAddress>\n    </receiverInfo>\n  </deliveryOrder>\n  <orderLines>\n",
    );
    for i in 0..lines {
        s.push_str(&format!(
            "    <orderLine>\n      <orderLineNo>{i}</orderLineNo>\n      <ownerCode>OWNER</ownerCode>\n      <itemCode>SKU-{i}</itemCode>\n      <itemName>商品{i}</itemName>\n      <inventoryType>ZP</inventoryType>\n      <planQty>2</planQty>\n      <actualPrice>19.90</actualPrice>\n      <batchCode/>\n    </orderLine>\n"
        ));
    }
    s.push_str("  </orderLines>\n</request>\n");
    s
}

#[test]
fn decoding_allocates_nothing_per_field() {
    let limits = Limits::default();
    for lines in [1usize, 10, 100, 1000] {
        let xml = delivery_order(lines);
        let (body, n) = count(|| {
            BodyKind::DeliveryOrderCreateRequest
                .decode(&xml, &limits)
                .unwrap()
        });
        // A fixed handful (the body box, quick-xml's tag stack) plus the growth steps of the one
        // list vector: at most log2(lines) + 1 reallocations. Nothing per scalar field: a
        // 1000-line document has 8,000 line fields.
        let list_growth = (lines as f64).log2().ceil() as usize + 1;
        assert!(
            n <= 8 + list_growth,
            "{lines} lines: {n} allocations (allowed {})",
            8 + list_growth
        );
        let (valid, n) = count(|| qmwire::validate::is_valid(&body));
        assert!(valid);
        assert_eq!(n, 0, "is_valid allocated {n} times for {lines} lines");
    }
}
