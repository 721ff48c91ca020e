//! Part of rule `datetime` for wdt: `pay_time` may be `0000-00-00 00:00:00` exactly when the
//! trade is unpaid (pay_status 0); a paid or partly paid trade needs the real payment time.

use super::{code, Ctx};
use crate::model::wdt::Trade;
use crate::validate::rules::datetime::ZERO;

/// Checks one trade; `at` is its JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, t: &Trade<'_>, at: &str) {
    let Some(pay_time) = &t.pay_time else { return };
    if pay_time.value() != ZERO {
        return;
    }
    let Some(status @ (1 | 2)) = code(&t.pay_status) else {
        return;
    };
    let what = if status == 2 { "paid" } else { "partly paid" };
    ctx.error(
        crate::rules::DATETIME,
        format!("{at}/pay_time"),
        pay_time.span(),
        format!(
            "`pay_time` is `{ZERO}`, which means unpaid, but `pay_status` is {status} ({what}); send the payment time as `yyyy-MM-dd HH:mm:ss`"
        ),
    );
}
