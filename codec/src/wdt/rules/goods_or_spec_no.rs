//! Rule `wdt.goods-or-spec-no`: an order line needs `goods_no` or `spec_no` (or both); with
//! neither, the ERP cannot match the line to its goods.

use super::Ctx;
use crate::model::wdt::TradeOrder;

/// Checks one order line; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &TradeOrder<'_>, at: &str) {
    let blank = |t: &Option<crate::wire::text::Text<'_>>| t.as_ref().is_none_or(|t| t.is_blank());
    if blank(&o.goods_no) && blank(&o.spec_no) {
        ctx.error(
            crate::rules::WDT_GOODS_OR_SPEC_NO,
            at.to_string(),
            o.span,
            "`goods_no` and `spec_no` are both missing or empty; expected at least one (the ERP matches goods by them)".to_string(),
        );
    }
}
