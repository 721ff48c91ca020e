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
    Some(Msg::new(
        format!(
            "expected a date and time as `yyyy-MM-dd HH:mm:ss`, found {shown}{}{zero}",
            calendar::hint(value)
        ),
        format!(
            "应为 `yyyy-MM-dd HH:mm:ss` 格式的日期时间，实际为 {}{}{zero_zh}",
            shown.zh(),
            calendar::hint_zh(value)
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
