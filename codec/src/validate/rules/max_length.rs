//! Rule `max-length`: text length counted in Unicode characters, never bytes.

use super::Shown;

/// Checks that `value` has at most `max` characters.
pub(crate) fn check(value: &str, max: u32, shown: &Shown<'_>) -> Option<String> {
    // A string can never have more characters than bytes: skip the count when bytes fit.
    if value.len() <= max as usize {
        return None;
    }
    let count = value.chars().count();
    if count <= max as usize {
        return None;
    }
    Some(format!(
        "expected at most {max} characters, found {count} in {shown}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let fifty_chinese = "仓".repeat(50);
        assert_eq!(
            check(
                &fifty_chinese,
                50,
                &Shown {
                    value: "",
                    privacy: None
                }
            ),
            None
        );
        let long = "仓".repeat(51);
        let m = check(
            &long,
            50,
            &Shown {
                value: &long,
                privacy: None,
            },
        )
        .unwrap();
        assert!(m.contains("found 51"), "{m}");
    }
}
