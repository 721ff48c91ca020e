//! Rule `wdt.batch-size` (warning): wdt asks for at most 50 trades per `trade_push` call (and
//! at most 10 refunds per `sales_refund_push`); larger batches should be split.

use super::Ctx;
use crate::model::List;
use crate::report::Msg;
use crate::validate::Severity;

/// Checks the length of `list`; `prefix` is its JSON Pointer.
pub(crate) fn check<T>(
    ctx: &mut Ctx<'_>,
    list: &List<'_, T>,
    prefix: &str,
    max: usize,
    what: &str,
) {
    let n = list.items.len();
    if n > max {
        let path = if prefix.is_empty() { "/" } else { prefix };
        ctx.push(
            crate::rules::WDT_BATCH_SIZE,
            Severity::Warning,
            path.to_string(),
            list.span,
            Msg::new(
                format!(
                    "{n} {what} in one request; wdt asks for at most {max} per call, split the batch"
                ),
                format!(
                    "一次请求有 {n} 个{}；旺店通要求每次最多 {max} 个，请分批发送",
                    if what == "trades" { "订单" } else { "退款单" }
                ),
            ),
        );
    }
}
