//! Rule `integer`: an optional `-` and digits, fitting in 64 bits, and not below the minimum.

use super::Shown;
use crate::report::Msg;

/// Checks one integer value against an optional minimum.
pub(crate) fn check(value: &str, min: Option<i64>, shown: &Shown<'_>) -> Option<Msg> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let well_formed = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let Some(n) = well_formed.then(|| value.parse::<i64>().ok()).flatten() else {
        let (hint, hint_zh) = if value.contains('.') {
            (" (no decimal point allowed)", "（不能有小数点）")
        } else {
            ("", "")
        };
        return Some(Msg::new(
            format!("expected a whole number, found {shown}{hint}"),
            format!("应为整数，实际为 {}{hint_zh}", shown.zh()),
        ));
    };
    match min {
        Some(min) if n < min => Some(Msg::new(
            format!("expected a whole number of at least {min}, found {shown}"),
            format!("应为不小于 {min} 的整数，实际为 {}", shown.zh()),
        )),
        _ => None,
    }
}

/// `value` without a fractional part of only zeros (`30.0` → `30`): JSON senders often write
/// whole numbers that way.
pub(crate) fn whole_part(value: &str) -> &str {
    match value.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &str, min: Option<i64>) -> Option<String> {
        check(
            v,
            min,
            &Shown {
                value: v,
                privacy: None,
            },
        )
        .map(|m| m.en)
    }

    #[test]
    fn accepts_whole_numbers_only() {
        assert_eq!(run("12", Some(1)), None);
        assert_eq!(run("-3", None), None);
        assert!(run("1.0", None).unwrap().contains("decimal point"));
        assert!(run("0", Some(1)).unwrap().contains("at least 1"));
        assert!(run("99999999999999999999", None).is_some());
        assert!(run("+1", None).is_some());
        assert!(run("一", None).is_some());
        assert_eq!(whole_part("30.00"), "30");
        assert_eq!(whole_part("30.5"), "30.5");
        assert_eq!(whole_part("30."), "30.");
    }
}
