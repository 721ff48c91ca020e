//! Rule `decimal`: a plain decimal (`-`, digits, optional `.` and digits) with at most `scale`
//! fractional digits. No exponents, no thousands separators, no currency signs.

use super::Shown;
use crate::report::Msg;

/// Checks one decimal value.
pub(crate) fn check(
    value: &str,
    scale: u32,
    precision: Option<u32>,
    shown: &Shown<'_>,
) -> Option<Msg> {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = match unsigned.bytes().position(|b| b == b'.') {
        Some(dot) => (&unsigned[..dot], Some(&unsigned[dot + 1..])),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) || int.len() > 16 {
        return Some(Msg::new(
            format!("expected a plain decimal number such as `12.50`, found {shown}"),
            format!("应为 `12.50` 这样的普通小数，实际为 {}", shown.zh()),
        ));
    }
    if let Some(p) = precision {
        let max_int = p.saturating_sub(scale) as usize;
        let int_digits = int.trim_start_matches('0').len();
        if int_digits > max_int {
            return Some(Msg::new(
                format!("expected at most {max_int} digits before the decimal point (decimal({p},{scale})), found {int_digits} in {shown}"),
                format!("整数部分最多 {max_int} 位（decimal({p},{scale})），{} 有 {int_digits} 位", shown.zh()),
            ));
        }
    }
    match frac {
        Some(f) if f.len() > scale as usize => Some(Msg::new(
            format!(
                "expected at most {scale} digits after the decimal point, found {} in {shown}",
                f.len()
            ),
            format!("小数部分最多 {scale} 位，{} 有 {} 位", shown.zh(), f.len()),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &str, scale: u32) -> Option<String> {
        check(
            v,
            scale,
            None,
            &Shown {
                value: v,
                privacy: None,
            },
        )
        .map(|m| m.en)
    }

    #[test]
    fn accepts_money_with_two_places() {
        for ok in ["0", "39.9", "12.00", "-5.5"] {
            assert_eq!(run(ok, 2), None, "{ok}");
        }
        assert!(run("12.345", 2).unwrap().contains("at most 2"));
        for bad in ["1e3", "1,000.00", "¥12", ".5", "5.", "abc"] {
            assert!(run(bad, 2).is_some(), "{bad}");
        }
        assert_eq!(run("0.000", 4), None);
        let shown = Shown {
            value: "",
            privacy: None,
        };
        assert_eq!(check("123456789012345.5", 4, Some(19), &shown), None);
        assert!(check("1234567890123456", 4, Some(19), &shown)
            .unwrap()
            .en
            .contains("at most 15 digits before"));
    }
}
