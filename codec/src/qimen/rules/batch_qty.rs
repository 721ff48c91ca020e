//! Rule `qimen.batch-qty`: the quantities of a line's `batchs` add up to the line's own
//! quantity. The contract requires it in `deliveryorder.confirm`, `entryorder.confirm`,
//! `returnorder.confirm` (`actualQty`) and `stockchange.report` (`quantity`, which may be
//! negative there). Checked when the line gives its quantity and every batch gives one, all
//! whole numbers (the `integer` rule reports any other value).

use super::{given, Ctx};
use crate::model::qimen::{
    Batch, BatchConfirmLine, DeliveryOrderConfirmBatch, DeliveryOrderConfirmLine,
    EntryOrderConfirmLine, ReturnOrderConfirmBatch, ReturnOrderConfirmLine, StockChangeBatch,
    StockChangeItem,
};
use crate::model::values::List;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// A whole number as the `integer` rule accepts it, within `i64`; negative only when `signed`
/// (received and shipped quantities are at least 0, and the `integer` rule reports a negative
/// one).
fn whole(field: &Option<Text<'_>>, signed: bool) -> Option<i64> {
    let v = given(field)?.value();
    let digits = match v.strip_prefix('-') {
        Some(_) if !signed => return None,
        Some(rest) => rest,
        None => &v,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// A line with batches: where its quantity is and what it is called on the wire.
pub(crate) trait Batched<'a> {
    /// The batch type.
    type Batch: 'a;
    /// The quantity's wire name (`actualQty`, `quantity`).
    const FIELD: &'static str;
    /// Whether the quantity may be negative (a stock change may; received and shipped
    /// quantities may not).
    const SIGNED: bool;
    /// The path of the lines below the message's unit (the body, or one order of a batch),
    /// without the index (`orderLines/orderLine`).
    const PATH: &'static str;
    /// The line's quantity.
    fn quantity(&self) -> &Option<Text<'a>>;
    /// Where the line's element starts.
    fn span(&self) -> Span;
    /// The line's batches.
    fn batches(&self) -> Option<&List<'a, Self::Batch>>;
    /// A batch's quantity.
    fn batch_quantity<'b>(batch: &'b Self::Batch) -> &'b Option<Text<'a>>;
}

/// Implements [`Batched`] for a line type of one message.
macro_rules! batched {
    ($line:ident, $batch:ident, $qty:ident, $field:literal, $signed:literal, $path:expr) => {
        impl<'a> Batched<'a> for $line<'a> {
            type Batch = $batch<'a>;
            const FIELD: &'static str = $field;
            const SIGNED: bool = $signed;
            const PATH: &'static str = $path;
            fn quantity(&self) -> &Option<Text<'a>> {
                &self.$qty
            }
            fn span(&self) -> Span {
                self.span
            }
            fn batches(&self) -> Option<&List<'a, $batch<'a>>> {
                self.batchs.as_ref()
            }
            fn batch_quantity<'b>(batch: &'b $batch<'a>) -> &'b Option<Text<'a>> {
                &batch.$qty
            }
        }
    };
}

const LINES: &str = "orderLines/orderLine";
batched!(
    DeliveryOrderConfirmLine,
    DeliveryOrderConfirmBatch,
    actual_qty,
    "actualQty",
    false,
    LINES
);
batched!(
    BatchConfirmLine,
    DeliveryOrderConfirmBatch,
    actual_qty,
    "actualQty",
    false,
    LINES
);
batched!(
    EntryOrderConfirmLine,
    Batch,
    actual_qty,
    "actualQty",
    false,
    LINES
);
batched!(
    ReturnOrderConfirmLine,
    ReturnOrderConfirmBatch,
    actual_qty,
    "actualQty",
    false,
    LINES
);
batched!(
    StockChangeItem,
    StockChangeBatch,
    quantity,
    "quantity",
    true,
    "items/item"
);

/// Checks each line of `lines` (absent: nothing to check).
pub(crate) fn check<'a, L: Batched<'a>>(ctx: &mut Ctx<'_>, lines: Option<&List<'a, L>>) {
    let Some(lines) = lines else { return };
    let field = L::FIELD;
    for (i, l) in lines.items.iter().enumerate() {
        let qty = l.quantity();
        let Some(batches) = l.batches().filter(|b| !b.items.is_empty()) else {
            continue;
        };
        let Some(total) = whole(qty, L::SIGNED) else {
            continue;
        };
        let quantities: Option<Vec<i64>> = batches
            .items
            .iter()
            .map(|b| whole(L::batch_quantity(b), L::SIGNED))
            .collect();
        let Some(quantities) = quantities else {
            continue;
        };
        let sum: i128 = quantities.iter().map(|&q| i128::from(q)).sum();
        if sum == i128::from(total) {
            continue;
        }
        ctx.report(
            crate::rules::QIMEN_BATCH_QTY,
            format!("{}/{}[{}]/{field}", ctx.base, L::PATH, i + 1),
            given(qty).map_or(l.span(), Text::span),
            crate::report::Msg::new(
                format!(
                    "expected `{field}` to equal {}, found {total} (off by {})",
                    batches_side(field, &quantities, sum),
                    i128::from(total) - sum
                ),
                format!(
                    "{}（`{field}`）应等于{}，实际为 {total}（相差 {}）",
                    if field == "actualQty" {
                        "实收/实发数量"
                    } else {
                        "数量"
                    },
                    batches_side_zh(field, &quantities, sum),
                    i128::from(total) - sum
                ),
            ),
        );
    }
}

/// The side of the batches: `its one batch's `actualQty`, 3`, or `the sum of its batches'
/// `actualQty`, 1 + 2 = 3` (a count instead of the terms when there are many).
fn batches_side_zh(field: &str, quantities: &[i64], sum: i128) -> String {
    match quantities {
        [one] => format!("它唯一一个批次的 `{field}`，即 {one}"),
        _ if quantities.len() > 8 => {
            format!("它 {} 个批次的 `{field}` 之和，即 {sum}", quantities.len())
        }
        _ => {
            let terms: Vec<String> = quantities.iter().map(i64::to_string).collect();
            format!("各批次的 `{field}` 之和，即 {} = {sum}", terms.join(" + "))
        }
    }
}

fn batches_side(field: &str, quantities: &[i64], sum: i128) -> String {
    match quantities {
        [one] => format!("its one batch's `{field}`, {one}"),
        _ if quantities.len() > 8 => format!(
            "the sum of its {} batches' `{field}`, {sum}",
            quantities.len()
        ),
        _ => {
            let terms: Vec<String> = quantities.iter().map(i64::to_string).collect();
            format!(
                "the sum of its batches' `{field}`, {} = {sum}",
                terms.join(" + ")
            )
        }
    }
}
