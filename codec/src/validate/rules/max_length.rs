//! Rule `max-length`: text length counted in Unicode characters, never bytes.

use super::Shown;
use crate::report::Msg;

/// Checks that `value` has at most `max` characters.
pub(crate) fn check(value: &str, max: u32, shown: &Shown<'_>) -> Option<Msg> {
    // A string can never have more characters than bytes: skip the count when bytes fit.
    if value.len() <= max as usize {
        return None;
    }
    let count = value.chars().count();
    if count <= max as usize {
        return None;
    }
    Some(Msg::new(
        format!("expected at most {max} characters, found {count} in {shown}"),
        format!("最多 {max} 个字符，{} 有 {count} 个", shown.zh()),
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
        .unwrap()
        .en;
        assert!(m.contains("found 51"), "{m}");
    }
}
