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
                    crate::report::Msg::new(
                        "`end_time` is before `start_time`; expected a window that moves forward"
                            .into(),
                        "结束时间（`end_time`）早于开始时间（`start_time`）；时间段应向后延伸"
                            .into(),
                    ),
                );
            } else if end - start > MAX_WINDOW {
                ctx.error(
                    crate::rules::WDT_TIME_WINDOW,
                    "/end_time".into(),
                    e.span(),
                    crate::report::Msg::new(
                        format!(
                            "the window from `start_time` to `end_time` is {:.1} days; wdt accepts at most 30 days per query",
                            (end - start) as f64 / 86_400.0
                        ),
                        format!(
                            "从开始时间（`start_time`）到结束时间（`end_time`）共 {:.1} 天；旺店通每次查询最多 30 天",
                            (end - start) as f64 / 86_400.0
                        ),
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
                crate::report::Msg::new(
                    format!("expected a page size of at most 100, found {n}"),
                    format!("每页条数（`page_size`）最多 100，实际为 {n}"),
                ),
            );
        }
    }
}
