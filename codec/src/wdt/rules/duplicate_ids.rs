//! Rules `wdt.duplicate-tid` and `wdt.duplicate-oid`: a trade number, and an order line number,
//! may appear once per request (wdt keys them per seller account; a repeated `oid` later fails
//! with "订单货品数量不一致"). The issue points at the repeat and names the first place.

use super::Ctx;
use crate::model::wdt::Trade;
use crate::model::List;
use std::collections::HashMap;

/// Checks `tid` across trades and `oid` across all order lines of the push.
pub(crate) fn check_trades(ctx: &mut Ctx<'_>, trades: &List<'_, Trade<'_>>, prefix: &str) {
    let mut tids: HashMap<String, String> = HashMap::new();
    let mut oids: HashMap<String, String> = HashMap::new();
    for (i, t) in trades.items.iter().enumerate() {
        if let Some(tid) = t.tid.as_ref().filter(|x| !x.is_blank()) {
            let here = format!("{prefix}/{i}/tid");
            match tids.get(&*tid.value()) {
                Some(first) => ctx.error(
                    crate::rules::WDT_DUPLICATE_TID,
                    here,
                    tid.span(),
                    crate::report::Msg::new(
                        format!(
                            "`tid` `{}` already appears at {first}; expected each trade once per request",
                            tid.value()
                        ),
                        format!(
                            "原始单号（`tid`）`{}` 已在 {first} 出现过；每个订单在一次请求中只应出现一次",
                            tid.value()
                        ),
                    ),
                ),
                None => {
                    tids.insert(tid.value().into_owned(), here);
                }
            }
        }
        let Some(orders) = &t.order_list else {
            continue;
        };
        for (j, o) in orders.items.iter().enumerate() {
            let Some(oid) = o.oid.as_ref().filter(|x| !x.is_blank()) else {
                continue;
            };
            let here = format!("{prefix}/{i}/order_list/{j}/oid");
            match oids.get(&*oid.value()) {
                Some(first) => ctx.error(
                    crate::rules::WDT_DUPLICATE_OID,
                    here,
                    oid.span(),
                    crate::report::Msg::new(
                        format!(
                            "`oid` `{}` already appears at {first}; expected each order line number once (a repeated oid fails later with 订单货品数量不一致)",
                            oid.value()
                        ),
                        format!(
                            "子订单号（`oid`）`{}` 已在 {first} 出现过；每个子订单号只应出现一次（重复的 oid 之后会以“订单货品数量不一致”失败）",
                            oid.value()
                        ),
                    ),
                ),
                None => {
                    oids.insert(oid.value().into_owned(), here);
                }
            }
        }
    }
}
