//! Rule `wdt.buyer-nick-limit`: within one push, at most 30 trades may share a `buyer_nick`.
//! The nickname is personal data: messages say where, never what.

use super::seen;
use super::Ctx;
use crate::model::wdt::Trade;
use crate::model::List;
use std::borrow::Cow;

/// The most trades one buyer_nick may have in one push.
pub(crate) const MAX_PER_NICK: usize = 30;

/// Checks every trade of the push; `prefix` is the list's JSON Pointer.
pub(crate) fn check(ctx: &mut Ctx<'_>, trades: &List<'_, Trade<'_>>, prefix: &str) {
    let mut nicks: seen::SeenMap<Cow<'_, str>, (usize, usize)> = seen::map(trades.items.len());
    for (i, t) in trades.items.iter().enumerate() {
        let Some(nick) = t.buyer_nick.as_ref().filter(|n| !n.is_blank()) else {
            continue;
        };
        let entry = nicks.entry(nick.value()).or_insert((i, 0));
        entry.1 += 1;
        if entry.1 == MAX_PER_NICK + 1 {
            let first = entry.0;
            ctx.error(
                crate::rules::WDT_BUYER_NICK_LIMIT,
                format!("{prefix}/{i}/buyer_nick"),
                nick.span(),
                crate::report::Msg::new(
                    format!(
                        "this is trade number {} with the same `buyer_nick` as {prefix}/{first}/buyer_nick; wdt accepts at most {MAX_PER_NICK} trades per buyer_nick in one push, send the rest in another request",
                        MAX_PER_NICK + 1
                    ),
                    format!(
                        "这是与 {prefix}/{first}/buyer_nick 买家昵称（`buyer_nick`）相同的第 {} 个订单；旺店通一次推送中每个买家昵称最多 {MAX_PER_NICK} 个订单，其余请另发一次请求",
                        MAX_PER_NICK + 1
                    ),
                ),
            );
        }
    }
}
