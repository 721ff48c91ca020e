//! Decoding allocates nothing per scalar field: only the document box, list containers and
//! quick-xml's small fixed buffers (Qimen XML), or the document box and list containers (wdt
//! JSON). Measured with a counting global allocator that counts only on the thread that asked
//! (tests run in parallel).

#![allow(unsafe_code)]

use qmwire::model::qimen::BodyKind;
use qmwire::model::wdt::WdtBodyKind;
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

/// One escape-free wdt order line: with `all`, every field of the contract (17 scalars),
/// otherwise only the required ones and a goods code (8).
fn wdt_line(i: usize, all: bool) -> String {
    let mut s = format!(
        "{{\"oid\":\"T1-{i}\",\"num\":\"2\",\"price\":\"19.90\",\"status\":\"30\",\
         \"refund_status\":\"0\",\"goods_id\":\"6000{i}\",\"goods_no\":\"SKU-{i}\",\
         \"adjust_amount\":\"0.00\",\"discount\":\"0.00\",\"share_discount\":\"0.00\""
    );
    if all {
        s.push_str(&format!(
            ",\"spec_id\":\"{i}\",\"spec_no\":\"690{i}\",\"goods_name\":\"纯棉短袖T恤\",\
             \"spec_name\":\"白色 L码\",\"commission\":\"0.50\",\"remark\":\"赠品随单发\",\
             \"cid\":\"16\""
        ));
    }
    s.push('}');
    s
}

/// A one-trade `trade_push` with `lines` order lines; with `all`, every field of the trade and
/// of each line is present (39 scalar fields in the trade instead of 8, 17 per line instead of
/// 10).
fn trade_push(lines: usize, all: bool) -> String {
    let mut s = String::from(
        "{\"shop_no\":\"api_test\",\"switch\":0,\"trade_list\":[{\"tid\":\"T1\",\
         \"trade_status\":\"30\",\"pay_status\":\"2\",\"delivery_term\":\"1\",\
         \"trade_time\":\"2024-05-01 08:00:00\",\"pay_time\":\"2024-05-01 08:00:41\",\
         \"receiver_name\":\"王伟\",\"receiver_address\":\"文三路1号\",",
    );
    if all {
        s.push_str(
            "\"fenxiao_type\":\"1\",\"purchase_id\":\"P1\",\"fenxiao_nick\":\"fx\",\
             \"buyer_nick\":\"tb1000\",\"buyer_email\":\"a@b.cn\",\"pay_id\":\"2024\",\
             \"pay_account\":\"acc\",\"pay_method\":\"1\",\"receiver_province\":\"浙江省\",\
             \"receiver_city\":\"杭州市\",\"receiver_district\":\"西湖区\",\
             \"receiver_mobile\":\"13800000000\",\"receiver_telno\":\"0571-1\",\
             \"receiver_zip\":\"310000\",\"logistics_type\":\"-1\",\"invoice_kind\":\"0\",\
             \"invoice_title\":\"个人\",\"invoice_content\":\"服装\",\"remark_flag\":\"0\",\
             \"buyer_message\":\"周末送货\",\"seller_memo\":\"老客户\",\"seller_flag\":\"0\",\
             \"post_amount\":\"0.00\",\"cod_amount\":\"0.00\",\"ext_cod_fee\":\"0.00\",\
             \"other_amount\":\"0.00\",\"id_card_type\":\"0\",\"id_card\":\"3301\",\
             \"is_auto_wms\":\"0\",\"wms_type\":\"1\",\"warehouse_no\":\"HZ01\",",
        );
    }
    s.push_str("\"order_list\":[");
    for i in 0..lines {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&wdt_line(i, all));
    }
    s.push_str("]}]}");
    s
}

#[test]
fn wdt_decoding_allocates_nothing_per_field() {
    let limits = Limits::default();
    let decode = |json: &str| {
        count(|| {
            WdtBodyKind::TradePushParams
                .decode(json, &limits)
                .map(|_| ())
                .unwrap()
        })
        .1
    };
    for lines in [1usize, 10, 100, 1000] {
        // The same containers (the body box, the trade list, one order list) with 8 and with 39
        // scalar fields in the trade, 10 and 17 per line: not one allocation more.
        let short = decode(&trade_push(lines, false));
        let full = decode(&trade_push(lines, true));
        assert_eq!(
            short, full,
            "{lines} lines: {short} allocations with the required fields, {full} with all"
        );
        // A fixed handful plus the growth steps of the order list, as for Qimen above: a
        // 1000-line push has 17,000 line fields.
        let list_growth = (lines as f64).log2().ceil() as usize + 1;
        assert!(
            full <= 8 + list_growth,
            "{lines} lines: {full} allocations (allowed {})",
            8 + list_growth
        );
    }
}
