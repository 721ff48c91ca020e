//! Rules over a BatchSave package as a whole: `kingdee.batch-count` (`BatchCount` not below the
//! number of bills, when the server ignores it) and `kingdee.duplicate-bill-no` (one bill number
//! twice in a package: the bill number is the integration's idempotency key).

use super::walk::Seen;
use super::Ctx;
use crate::model::kingdee::KingdeeBody;
use crate::report::Msg;
use crate::rules::{KINGDEE_BATCH_COUNT, KINGDEE_DUPLICATE_BILL_NO};
use std::collections::HashMap;

/// Checks the package of `body` with what the walk noted.
pub(super) fn check(body: &KingdeeBody<'_>, seen: &Seen, ctx: &mut Ctx) {
    let KingdeeBody::BatchSaveRequest(request) = body else {
        return;
    };
    let count = request
        .data
        .as_ref()
        .and_then(|d| d.batch_count.as_ref())
        .filter(|t| !t.is_blank());
    if let (Some(count), Some(bills)) = (count, seen.bills) {
        let n = crate::validate::rules::integer::whole_part(count.value().trim())
            .parse::<u64>()
            .ok();
        if let Some(n) = n.filter(|&n| n >= bills as u64) {
            ctx.report(
                KINGDEE_BATCH_COUNT,
                "/data/BatchCount".into(),
                count.span(),
                Msg::new(
                    format!("`BatchCount` is {n}, not below the {bills} bill(s) of `Model`: the server uses that many threads only for a package with more bills than that, so the value has no effect"),
                    format!("`BatchCount`（服务器线程数）为 {n}，不小于 `Model` 里的 {bills} 张单据：只有单据数多于这个值时，服务器才会按它分线程处理，所以这里设了也不起作用"),
                ),
            );
        }
    }
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (bill, number, span) in &seen.bill_numbers {
        match first.get(number.as_str()) {
            Some(at) => ctx.report(
                KINGDEE_DUPLICATE_BILL_NO,
                format!("{bill}/FBillNo"),
                *span,
                Msg::new(
                    format!("`FBillNo` `{number}` is already the number of the bill at {at}; expected each bill number once per package (it is what keeps a retried bill from being saved twice)"),
                    format!("单据编号（`FBillNo`）`{number}` 已经是 {at} 那张单据的编号；同一数据包里每个单据编号只能出现一次（重试时正是靠它避免同一张单据被保存两次）"),
                ),
            ),
            None => {
                first.insert(number, bill);
            }
        }
    }
}
