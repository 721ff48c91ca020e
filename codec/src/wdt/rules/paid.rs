//! Rule `wdt.paid`: a prepaid, paid trade (delivery_term 1, pay_status 2) must have
//! paid = Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount,
//! computed exactly and rounded to the 4 decimals `paid` can hold (decimal(19,4)).

use super::{amount, at_field, code, lines_total, Ctx};
use crate::model::wdt::Trade;

/// Checks one trade; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, t: &Trade<'_>, at: &str) {
    if code(&t.delivery_term) != Some(1) || code(&t.pay_status) != Some(2) {
        return;
    }
    let (Ok(lines), Ok(post), Ok(other), Ok(paid)) = (
        lines_total(&t.order_list),
        amount(&t.post_amount),
        amount(&t.other_amount),
        amount(&t.paid),
    ) else {
        return;
    };
    let expected = (lines + post + other).round4();
    if paid == expected {
        return;
    }
    let found = if t.paid.is_some() {
        format!("`paid` is {paid}")
    } else {
        "`paid` is missing (counts as 0)".to_string()
    };
    ctx.error(
        crate::rules::WDT_PAID,
        format!("{at}/paid"),
        at_field(t, &t.paid),
        format!(
            "{found}, but for a prepaid, paid trade it must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount = {lines} + {post} + {other} = {expected} (off by {})",
            paid - expected
        ),
    );
}
