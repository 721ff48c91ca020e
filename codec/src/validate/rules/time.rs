//! Rule `time`: `HH:mm:ss` with hour 00–23.

use super::Shown;
use crate::report::Msg;
use crate::wire::calendar;

/// Checks one time-of-day value.
pub(crate) fn check(value: &str, shown: &Shown<'_>) -> Option<Msg> {
    if calendar::is_time(value) {
        return None;
    }
    Some(Msg::new(
        format!("expected a time of day as `HH:mm:ss`, found {shown}"),
        format!("应为 `HH:mm:ss` 格式的时刻，实际为 {}", shown.zh()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_range() {
        assert_eq!(
            check(
                "09:00:00",
                &Shown {
                    value: "",
                    privacy: None
                }
            ),
            None
        );
        assert!(check(
            "9:00",
            &Shown {
                value: "9:00",
                privacy: None
            }
        )
        .is_some());
    }
}
