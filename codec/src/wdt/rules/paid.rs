//! Rule `wdt.paid`: a prepaid, paid trade (delivery_term 1, pay_status 2) must have
//! paid = Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount,
//! computed exactly and rounded to the 4 decimals `paid` can hold (decimal(19,4)). A product or
//! partial sum beyond decimal(19,4) is a `decimal` error instead (see [`super::formula`]).

use super::formula::{evaluate, Term};
use super::{amount, at_field, code, At, Ctx};
use crate::model::wdt::Trade;

/// Checks one trade; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, t: &Trade<'_>, at: &At<'_>) {
    if code(&t.delivery_term) != Some(1) || code(&t.pay_status) != Some(2) {
        return;
    }
    let (Ok(post), Ok(other), Ok(paid)) = (
        amount(&t.post_amount),
        amount(&t.other_amount),
        amount(&t.paid),
    ) else {
        return;
    };
    let terms = [
        Term {
            name: "post_amount",
            field: &t.post_amount,
            value: post,
            minus: false,
        },
        Term {
            name: "other_amount",
            field: &t.other_amount,
            value: other,
            minus: false,
        },
    ];
    let Ok(totals) = evaluate(ctx, t, at, "the `paid` formula", &terms) else {
        return;
    };
    let expected = totals.total.round4();
    if paid == expected {
        return;
    }
    let (found, found_zh) = if t.paid.is_some() {
        (
            format!("`paid` is {paid}"),
            format!("已付金额（`paid`）为 {paid}"),
        )
    } else {
        (
            "`paid` is missing (counts as 0)".to_string(),
            "缺少已付金额（`paid`，按 0 计）".to_string(),
        )
    };
    ctx.error(
        crate::rules::WDT_PAID,
        format!("{at}/paid"),
        at_field(t, &t.paid),
        crate::report::Msg::new(
            format!(
                "{found}, but for a prepaid, paid trade it must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount = {} + {post} + {other} = {expected} ({})",
                totals.lines,
                super::off_by(paid, expected)
            ),
            format!(
                "{found_zh}，而款到发货且已付款的订单这一项必须等于 Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount = {} + {post} + {other} = {expected}（{}）",
                totals.lines,
                super::off_by_zh(paid, expected)
            ),
        ),
    );
}
