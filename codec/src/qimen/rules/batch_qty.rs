//! Rule `qimen.batch-qty`: the quantities of a line's `batchs` add up to the line's own
//! quantity. The contract requires it in `deliveryorder.confirm`, `entryorder.confirm`,
//! `returnorder.confirm` (`actualQty`) and `stockchange.report` (`quantity`, which may be
//! negative there). Checked when the line gives its quantity and every batch gives one, all
//! whole numbers (the `integer` rule reports any other value).

use super::{given, Ctx};
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

/// Checks the lines of `/request/<list>/<item>` (`orderLines/orderLine` or `items/item`,
/// from the list's own path). `line` gives a line's quantity field, its span and its batches;
/// `batch` a batch's quantity field; `field` names the quantity on the wire, and `signed` says
/// whether it may be negative (a stock change may).
pub(crate) fn check<'l, 'a: 'l, L, B: 'l>(
    ctx: &mut Ctx<'_>,
    field: &'static str,
    signed: bool,
    lines: &'l List<'a, L>,
    line: impl Fn(&'l L) -> (&'l Option<Text<'a>>, Span, Option<&'l List<'a, B>>),
    batch: impl Fn(&'l B) -> &'l Option<Text<'a>>,
    path: &str,
) {
    for (i, l) in lines.items.iter().enumerate() {
        let (qty, span, batches) = line(l);
        let Some(batches) = batches.filter(|b| !b.items.is_empty()) else {
            continue;
        };
        let Some(total) = whole(qty, signed) else {
            continue;
        };
        let quantities: Option<Vec<i64>> = batches
            .items
            .iter()
            .map(|b| whole(batch(b), signed))
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
            format!("{path}[{}]/{field}", i + 1),
            given(qty).map_or(span, Text::span),
            format!(
                "expected `{field}` to equal {}, found {total} (off by {})",
                batches_side(field, &quantities, sum),
                i128::from(total) - sum
            ),
        );
    }
}

/// The side of the batches: `its one batch's `actualQty`, 3`, or `the sum of its batches'
/// `actualQty`, 1 + 2 = 3` (a count instead of the terms when there are many).
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
