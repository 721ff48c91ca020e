//! Rule `wdt.time-window`: a query's `end_time` must not be before its `start_time`, and the
//! window may span at most 30 days; `page_size` may be at most 100 (rule `integer`).

use super::{code, Ctx};
use crate::model::wdt::StockinRefundQueryParams;
use crate::wire::timestamp::parse_qimen;

/// The longest query window wdt accepts, in seconds.
pub(crate) const MAX_WINDOW: i64 = 30 * 24 * 3600;

/// Checks the window and the page size of a stock-in query.
pub(crate) fn check(ctx: &mut Ctx<'_>, p: &StockinRefundQueryParams<'_>) {
    if let (Some(s), Some(e)) = (&p.start_time, &p.end_time) {
        if let (Ok(start), Ok(end)) = (parse_qimen(&s.value()), parse_qimen(&e.value())) {
            if end < start {
                ctx.error(
                    crate::rules::WDT_TIME_WINDOW,
                    "/end_time".into(),
                    e.span(),
                    "`end_time` is before `start_time`; expected a window that moves forward"
                        .into(),
                );
            } else if end - start > MAX_WINDOW {
                ctx.error(
                    crate::rules::WDT_TIME_WINDOW,
                    "/end_time".into(),
                    e.span(),
                    format!(
                        "the window from `start_time` to `end_time` is {:.1} days; wdt accepts at most 30 days per query",
                        (end - start) as f64 / 86_400.0
                    ),
                );
            }
        }
    }
    if let (Some(n), Some(t)) = (code(&p.page_size), &p.page_size) {
        if n > 100 {
            ctx.error(
                crate::rules::INTEGER,
                "/page_size".into(),
                t.span(),
                format!("expected a page size of at most 100, found {n}"),
            );
        }
    }
}
