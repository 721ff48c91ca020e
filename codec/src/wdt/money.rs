//! Exact fixed-point amounts for the wdt formulas: parsed from the wire text, never via `f64`.

use std::fmt;

/// Fractional digits kept: enough for a product of two `decimal(19,4)` values.
const SCALE: u32 = 8;
const ONE: i128 = 10i128.pow(SCALE);

/// An exact decimal amount with 8 fractional digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(i128);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(0);

    /// Parses `-12.5`, `399`, `0.0100`; at most 4 fractional digits (wdt `decimal(19,4)`) and
    /// 15 integer digits. `None` for anything else (the field rules report it).
    pub fn parse(text: &str) -> Option<Amount> {
        let (neg, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !ok(int) || !ok(frac) || frac.len() > 4 || int.len() > 15 {
            return None;
        }
        if digits.contains('.') && frac.is_empty() {
            return None;
        }
        let mut v: i128 = int.parse().ok()?;
        v *= ONE;
        let mut f: i128 = 0;
        for (i, b) in frac.bytes().enumerate() {
            f += i128::from(b - b'0') * 10i128.pow(SCALE - 1 - i as u32);
        }
        v += f;
        Some(Amount(if neg { -v } else { v }))
    }

    /// The exact product (both operands have at most 4 fractional digits, so nothing is lost).
    pub fn times(self, other: Amount) -> Amount {
        Amount(self.0 * other.0 / ONE)
    }

    /// Rounded to 4 fractional digits, half away from zero: what a `decimal(19,4)` column
    /// holds. A product such as 0.3333 × 0.5 = 0.16665 can only be sent as 0.1667.
    pub fn round4(self) -> Amount {
        let unit = 10i128.pow(SCALE - 4);
        let half = unit / 2;
        let r = if self.0 >= 0 {
            (self.0 + half) / unit
        } else {
            (self.0 - half) / unit
        };
        Amount(r * unit)
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, o: Amount) -> Amount {
        Amount(self.0 + o.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, o: Amount) -> Amount {
        Amount(self.0 - o.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Amount {
    /// At least two fractional digits, more only when they are not zero: `409.00`, `0.3333`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let one = ONE as u128;
        let frac = format!("{:08}", abs % one);
        let frac = frac.trim_end_matches('0');
        let frac = if frac.len() < 2 {
            format!("{frac:0<2}")
        } else {
            frac.to_string()
        };
        write!(f, "{sign}{}.{frac}", abs / one)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn parses_exactly_and_rejects_floats_in_disguise() {
        assert_eq!(a("399").to_string(), "399.00");
        assert_eq!(a("-0.5").to_string(), "-0.50");
        assert_eq!(a("0.3333").to_string(), "0.3333");
        for bad in ["1e3", "", ".5", "5.", "1.23456", "+1", "1,000", "NaN"] {
            assert!(Amount::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn sums_that_floats_get_wrong_are_exact() {
        // 0.1 + 0.2 = 0.3 exactly; three lines at 3.33 + one share of 0.01.
        assert_eq!(a("0.1") + a("0.2"), a("0.3"));
        assert_eq!(a("0.3333").times(a("3")), a("0.9999"));
        assert_eq!(a("19.99").times(a("3")) - a("0.97"), a("59"));
        assert_eq!(a("0.3333").times(a("0.5")).round4(), a("0.1667"));
        assert_eq!(
            (a("0") - a("0.3333").times(a("0.5"))).round4(),
            a("-0.1667")
        );
        assert_eq!(a("409.01").round4(), a("409.01"));
        let max = a("999999999999999.9999");
        assert_eq!(max.times(a("1")), max);
    }
}
