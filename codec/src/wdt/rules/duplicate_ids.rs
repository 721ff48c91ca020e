//! Rules `wdt.duplicate-tid` and `wdt.duplicate-oid`: a trade number, and an order line number,
//! may appear once per request (wdt keys them per seller account; a repeated `oid` later fails
//! with "订单货品数量不一致"). The issue points at the repeat and names the first place.

use super::seen;
use super::Ctx;
use crate::model::wdt::Trade;
use crate::model::List;
use std::borrow::Cow;
use std::collections::hash_map::Entry;

/// Checks `tid` across trades and `oid` across all order lines of the push. Where each number
/// was first seen is kept as indexes in keyed maps ([`seen`]); a path is written only for a
/// repeat.
pub(crate) fn check_trades(ctx: &mut Ctx<'_>, trades: &List<'_, Trade<'_>>, prefix: &str) {
    let lines = trades
        .items
        .iter()
        .filter_map(|t| t.order_list.as_ref())
        .map(|o| o.items.len())
        .sum();
    let mut tids: seen::SeenMap<Cow<'_, str>, usize> = seen::map(trades.items.len());
    let mut oids: seen::SeenMap<Cow<'_, str>, (usize, usize)> = seen::map(lines);
    for (i, t) in trades.items.iter().enumerate() {
        if let Some(tid) = t.tid.as_ref().filter(|x| !x.is_blank()) {
            match tids.entry(tid.value()) {
                Entry::Occupied(first) => ctx.error(
                    crate::rules::WDT_DUPLICATE_TID,
                    format!("{prefix}/{i}/tid"),
                    tid.span(),
                    crate::report::Msg::new(
                        format!(
                            "`tid` `{}` already appears at {prefix}/{}/tid; expected each trade once per request",
                            first.key(),
                            first.get()
                        ),
                        format!(
                            "原始单号（`tid`）`{}` 已在 {prefix}/{}/tid 出现过；每个订单在一次请求中只应出现一次",
                            first.key(),
                            first.get()
                        ),
                    ),
                ),
                Entry::Vacant(slot) => {
                    slot.insert(i);
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
            match oids.entry(oid.value()) {
                Entry::Occupied(first) => {
                    let (fi, fj) = *first.get();
                    ctx.error(
                        crate::rules::WDT_DUPLICATE_OID,
                        format!("{prefix}/{i}/order_list/{j}/oid"),
                        oid.span(),
                        crate::report::Msg::new(
                            format!(
                                "`oid` `{}` already appears at {prefix}/{fi}/order_list/{fj}/oid; expected each order line number once (a repeated oid fails later with 订单货品数量不一致)",
                                first.key()
                            ),
                            format!(
                                "子订单号（`oid`）`{}` 已在 {prefix}/{fi}/order_list/{fj}/oid 出现过；每个子订单号只应出现一次（重复的 oid 之后会以“订单货品数量不一致”失败）",
                                first.key()
                            ),
                        ),
                    )
                }
                Entry::Vacant(slot) => {
                    slot.insert((i, j));
                }
            }
        }
    }
}
