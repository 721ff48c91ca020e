//! Rule `datetime`: `yyyy-MM-dd HH:mm:ss`, a real calendar moment.

use super::Shown;
use crate::report::Msg;
use crate::wire::calendar;

/// The zero date-time MySQL-backed systems (wdt) send for "not set".
pub(crate) const ZERO: &str = "0000-00-00 00:00:00";

/// Checks one date-time value.
pub(crate) fn check(value: &str, shown: &Shown<'_>) -> Option<Msg> {
    if calendar::is_datetime(value) {
        return None;
    }
    let (zero, zero_zh) = if value == ZERO {
        (
            "; the zero date is accepted only in `pay_time` of an unpaid trade",
            "；零日期只在未付款订单的 `pay_time` 中允许",
        )
    } else {
        ("", "")
    };
    // A real date alone is a date-time without its time, not a day that does not exist.
    let (hint, hint_zh) = if calendar::is_date(value) {
        (" (a date without its time)", "（只有日期，缺少时间）")
    } else {
        (calendar::hint(value), calendar::hint_zh(value))
    };
    Some(Msg::new(
        format!("expected a date and time as `yyyy-MM-dd HH:mm:ss`, found {shown}{hint}{zero}"),
        format!(
            "应为 `yyyy-MM-dd HH:mm:ss` 格式的日期时间，实际为 {}{hint_zh}{zero_zh}",
            shown.zh(),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_iso_separator() {
        let v = "2020-09-26T13:53:08";
        let m = check(
            v,
            &Shown {
                value: v,
                privacy: None,
            },
        )
        .unwrap()
        .en;
        assert!(m.contains("ISO"), "{m}");
        let v = "2025-03-18";
        let shown = Shown {
            value: v,
            privacy: None,
        };
        let m = check(v, &shown).unwrap();
        assert!(m.en.ends_with("(a date without its time)"), "{}", m.en);
        let v = "2025-02-30";
        let shown = Shown {
            value: v,
            privacy: None,
        };
        let m = check(v, &shown).unwrap();
        assert!(m.en.ends_with("(no such day or time)"), "{}", m.en);
        let v = "2020-09-26 13:53:08";
        assert_eq!(
            check(
                v,
                &Shown {
                    value: v,
                    privacy: None
                }
            ),
            None
        );
    }
}
