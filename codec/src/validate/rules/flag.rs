//! Rule `flag`: exactly `Y` or `N`.

use super::Shown;
use crate::report::Msg;

/// Checks one yes/no value.
pub(crate) fn check(value: &str, shown: &Shown<'_>) -> Option<Msg> {
    if value == "Y" || value == "N" {
        return None;
    }
    let (hint, hint_zh) = match value {
        "y" | "n" => (" (must be upper case)", "（须大写）"),
        "true" | "false" | "1" | "0" | "是" | "否" => {
            (" (use `Y` or `N`)", "（请用 `Y` 或 `N`）")
        }
        _ => ("", ""),
    };
    Some(Msg::new(
        format!("expected `Y` or `N`, found {shown}{hint}"),
        format!("应为 `Y` 或 `N`，实际为 {}{hint_zh}", shown.zh()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_upper_y_or_n() {
        assert_eq!(
            check(
                "Y",
                &Shown {
                    value: "Y",
                    privacy: None
                }
            ),
            None
        );
        assert!(check(
            "y",
            &Shown {
                value: "y",
                privacy: None
            }
        )
        .unwrap()
        .en
        .contains("upper"));
        assert!(check(
            "true",
            &Shown {
                value: "true",
                privacy: None
            }
        )
        .is_some());
    }
}
