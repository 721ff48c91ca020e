//! Rule `wdt.cod-amount`: a cash-on-delivery trade (delivery_term 2) must have
//! cod_amount = Σ(price×num + adjust_amount − discount − share_discount) + post_amount +
//! ext_cod_fee − paid (`other_amount` is not part of this formula in wdt's document). A product
//! or partial sum beyond decimal(19,4) is a `decimal` error instead (see [`super::formula`]).

use super::formula::{evaluate, Term};
use super::{amount, at_field, code, At, Ctx};
use crate::model::wdt::Trade;

/// Checks one trade; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, t: &Trade<'_>, at: &At<'_>) {
    if code(&t.delivery_term) != Some(2) {
        return;
    }
    let (Ok(post), Ok(fee), Ok(paid), Ok(cod)) = (
        amount(&t.post_amount),
        amount(&t.ext_cod_fee),
        amount(&t.paid),
        amount(&t.cod_amount),
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
            name: "ext_cod_fee",
            field: &t.ext_cod_fee,
            value: fee,
            minus: false,
        },
        Term {
            name: "paid",
            field: &t.paid,
            value: paid,
            minus: true,
        },
    ];
    let Ok(totals) = evaluate(ctx, t, at, "the `cod_amount` formula", &terms) else {
        return;
    };
    let expected = totals.total.round4();
    if cod == expected {
        return;
    }
    let (found, found_zh) = if t.cod_amount.is_some() {
        (
            format!("`cod_amount` is {cod}"),
            format!("货到付款金额（`cod_amount`）为 {cod}"),
        )
    } else {
        (
            "`cod_amount` is missing (counts as 0)".to_string(),
            "缺少货到付款金额（`cod_amount`，按 0 计）".to_string(),
        )
    };
    ctx.error(
        crate::rules::WDT_COD_AMOUNT,
        format!("{at}/cod_amount"),
        at_field(t, &t.cod_amount),
        crate::report::Msg::new(
            format!(
                "{found}, but for a cash-on-delivery trade it must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + ext_cod_fee − paid = {} + {post} + {fee} − {paid} = {expected} ({})",
                totals.lines,
                super::off_by(cod, expected)
            ),
            format!(
                "{found_zh}，而货到付款订单的这一项必须等于 Σ(price×num + adjust_amount − discount − share_discount) + post_amount + ext_cod_fee − paid = {} + {post} + {fee} − {paid} = {expected}（{}）",
                totals.lines,
                super::off_by_zh(cod, expected)
            ),
        ),
    );
}
