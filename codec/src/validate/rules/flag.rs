//! Rule `flag`: exactly `Y` or `N`.

use super::Shown;

/// Checks one yes/no value.
pub(crate) fn check(value: &str, shown: &Shown<'_>) -> Option<String> {
    if value == "Y" || value == "N" {
        return None;
    }
    let hint = match value {
        "y" | "n" => " (must be upper case)",
        "true" | "false" | "1" | "0" | "是" | "否" => " (use `Y` or `N`)",
        _ => "",
    };
    Some(format!("expected `Y` or `N`, found {shown}{hint}"))
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
