//! Rule `date`: `yyyy-MM-dd`, a real calendar day.

use super::Shown;
use crate::report::Msg;
use crate::wire::calendar;

/// Checks one date value.
pub(crate) fn check(value: &str, shown: &Shown<'_>) -> Option<Msg> {
    if calendar::is_date(value) {
        return None;
    }
    let (hint, hint_zh) = if calendar::is_datetime(value) {
        (" (a time of day is not allowed here)", "（这里不能带时刻）")
    } else {
        (calendar::hint(value), calendar::hint_zh(value))
    };
    Some(Msg::new(
        format!("expected a date as `yyyy-MM-dd`, found {shown}{hint}"),
        format!(
            "应为 `yyyy-MM-dd` 格式的日期，实际为 {}{hint_zh}",
            shown.zh()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_datetime_and_impossible_days() {
        for v in ["2021-02-30", "2021-02-03 00:00:00", "20210203"] {
            assert!(
                check(
                    v,
                    &Shown {
                        value: v,
                        privacy: None
                    }
                )
                .is_some(),
                "{v}"
            );
        }
        assert_eq!(
            check(
                "2021-02-03",
                &Shown {
                    value: "",
                    privacy: None
                }
            ),
            None
        );
    }
}
