//! Part of rule `datetime` for wdt: `pay_time` may be `0000-00-00 00:00:00` exactly when the
//! trade is unpaid (pay_status 0); a paid or partly paid trade needs the real payment time.

use super::{code, At, Ctx};
use crate::model::wdt::Trade;
use crate::validate::rules::datetime::ZERO;

/// Checks one trade; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, t: &Trade<'_>, at: &At<'_>) {
    let Some(pay_time) = &t.pay_time else { return };
    if pay_time.value() != ZERO {
        return;
    }
    let Some(status @ (1 | 2)) = code(&t.pay_status) else {
        return;
    };
    let (what, what_zh) = if status == 2 {
        ("paid", "已付款")
    } else {
        ("partly paid", "部分付款")
    };
    ctx.error(
        crate::rules::DATETIME,
        format!("{at}/pay_time"),
        pay_time.span(),
        crate::report::Msg::new(
            format!(
                "`pay_time` is `{ZERO}`, which means unpaid, but `pay_status` is {status} ({what}); send the payment time as `yyyy-MM-dd HH:mm:ss`"
            ),
            format!(
                "付款时间（`pay_time`）为 `{ZERO}`，表示未付款，而付款状态（`pay_status`）是 {status}（{what_zh}）；请按 `yyyy-MM-dd HH:mm:ss` 发送付款时间"
            ),
        ),
    );
}
