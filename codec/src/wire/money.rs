//! Exact fixed-point amounts for the money rules of both protocols (wdt's formulas, Qimen's
//! order totals): parsed from the wire text, never via `f64`, and kept within what a
//! `decimal(19,4)` column holds. Every product, sum and difference is
//! checked: one that would leave that range is `None`, never a wrapped or saturated value.

use std::fmt;

/// Fractional digits kept: enough for a product of two `decimal(19,4)` values.
const SCALE: u32 = 8;
const ONE: i128 = 10i128.pow(SCALE);
/// 10 to the power of the index, up to [`SCALE`].
const POW10: [u64; SCALE as usize + 1] = {
    let mut p = [1u64; SCALE as usize + 1];
    let mut i = 1;
    while i < p.len() {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};
/// [`ONE`] as a 64-bit integer.
const ONE_64: i64 = 10i64.pow(SCALE);

/// An exact decimal amount with 8 fractional digits, never beyond [`Amount::MAX`] either way
/// ([`Amount::parse`] and the checked operations make sure of it, so rounding and printing
/// cannot overflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(i128);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(0);

    /// The largest amount a `decimal(19,4)` holds, 999999999999999.9999 (15 integer digits,
    /// 4 fractional ones); `-MAX` is the smallest.
    pub const MAX: Amount = Amount(10i128.pow(15 + SCALE) - 10i128.pow(SCALE - 4));

    /// Parses `-12.5`, `399`, `0.0100`; at most 4 fractional digits (wdt `decimal(19,4)`) and
    /// 15 integer digits, not counting leading zeros (of which there may be one more, as rule
    /// `decimal` allows). `None` for anything else (the field rules report it).
    #[inline(always)]
    pub fn parse(text: &str) -> Option<Amount> {
        let b = text.as_bytes();
        if b.len() <= 15 {
            return Amount::parse_short(b);
        }
        Amount::parse_long(b)
    }

    /// [`Amount::parse`] of more than 15 bytes.
    #[inline(never)]
    fn parse_long(b: &[u8]) -> Option<Amount> {
        // One pass over the bytes: sign, up to 16 integer digits (15 significant), then an
        // optional point with 1 to 4 digits, and nothing else.
        let neg = b.first() == Some(&b'-');
        let mut i = usize::from(neg);
        let (mut whole, mut int_len, mut significant) = (0u64, 0usize, 0usize);
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            int_len += 1;
            significant += usize::from(significant > 0 || c != b'0');
            if int_len > 16 || significant > 15 {
                return None;
            }
            whole = whole * 10 + u64::from(c - b'0');
            i += 1;
        }
        if int_len == 0 {
            return None;
        }
        let (mut fraction, mut frac_len) = (0u64, 0u32);
        if b.get(i) == Some(&b'.') {
            i += 1;
            while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                frac_len += 1;
                if frac_len > 4 {
                    return None;
                }
                fraction = fraction * 10 + u64::from(c - b'0');
                i += 1;
            }
            if frac_len == 0 {
                return None;
            }
        }
        if i != b.len() {
            return None;
        }
        // At most 16 digits before the point and 4 after it (checked above): each part fits a
        // u64, and the whole is within MAX by construction.
        fraction *= POW10[(SCALE - frac_len) as usize];
        let v = i128::from(whole) * ONE + i128::from(fraction);
        Amount::within(if neg { -v } else { v })
    }

    /// [`Amount::parse`] of at most 15 bytes, the usual amount (`12.50`, `-1.00`, `399`): so
    /// few bytes hold at most 15 integer digits, so the digit limits cannot be reached and
    /// are not counted.
    #[inline(always)]
    fn parse_short(b: &[u8]) -> Option<Amount> {
        debug_assert!(b.len() <= 15);
        let neg = b.first() == Some(&b'-');
        let mut i = usize::from(neg);
        let int_start = i;
        let mut whole = 0u64;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            whole = whole * 10 + u64::from(c - b'0');
            i += 1;
        }
        if i == int_start {
            return None;
        }
        let mut fraction = 0u64;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let frac_start = i;
            // At most 13 digits fit here, so the sum cannot overflow before the length check.
            while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                fraction = fraction * 10 + u64::from(c - b'0');
                i += 1;
            }
            let frac_len = i - frac_start;
            if frac_len == 0 || frac_len > 4 {
                return None;
            }
            fraction *= POW10[SCALE as usize - frac_len];
        }
        if i != b.len() {
            return None;
        }
        let v = i128::from(whole) * ONE + i128::from(fraction);
        Amount::within(if neg { -v } else { v })
    }

    /// `v` as an amount when it is within [`Amount::MAX`] either way.
    fn within(v: i128) -> Option<Amount> {
        (v.unsigned_abs() <= Amount::MAX.0.unsigned_abs()).then_some(Amount(v))
    }

    /// The exact product (both operands have at most 4 fractional digits, so nothing is lost),
    /// or `None` when it is beyond [`Amount::MAX`] either way.
    pub fn checked_times(self, other: Amount) -> Option<Amount> {
        // Two factors of up to 10^23 units can overflow i128 before the division; a product
        // that does is beyond MAX anyway.
        // The usual operands fit 64 bits and so does their product: the same exact product
        // and the same truncating division, without 128-bit arithmetic.
        if let (Ok(a), Ok(b)) = (i64::try_from(self.0), i64::try_from(other.0)) {
            if let Some(p) = a.checked_mul(b) {
                return Amount::within(i128::from(p / ONE_64));
            }
        }
        Amount::within(self.0.checked_mul(other.0)? / ONE)
    }

    /// The exact sum, or `None` when it is beyond [`Amount::MAX`] either way.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        Amount::within(self.0.checked_add(other.0)?)
    }

    /// The exact difference, or `None` when it is beyond [`Amount::MAX`] either way.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        Amount::within(self.0.checked_sub(other.0)?)
    }

    /// Rounded to 4 fractional digits, half away from zero: what a `decimal(19,4)` column
    /// holds. A product such as 0.3333 × 0.5 = 0.16665 can only be sent as 0.1667. Cannot
    /// leave the range: [`Amount::MAX`] has 4 fractional digits.
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

    /// The earlier parser, written for clarity, which the one-pass parser must agree with.
    fn reference(text: &str) -> Option<Amount> {
        let (neg, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let significant = int.trim_start_matches('0').len();
        if int.is_empty() || !ok(int) || !ok(frac) || frac.len() > 4 {
            return None;
        }
        if significant > 15 || int.len() > 16 || (digits.contains('.') && frac.is_empty()) {
            return None;
        }
        let whole = int.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        let mut fraction = frac.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        for _ in frac.len()..SCALE as usize {
            fraction *= 10;
        }
        let v = i128::from(whole) * ONE + i128::from(fraction);
        Amount::within(if neg { -v } else { v })
    }

    #[test]
    fn one_pass_parser_agrees_with_the_reference() {
        let pieces = [
            "",
            "-",
            "--",
            "+",
            "0",
            "00",
            "1",
            "9",
            ".",
            "..",
            "5",
            "50",
            "0000",
            "12345",
            "99999",
            "999999999999999",
            "0999999999999999",
            "1000000000000000",
            "a",
            " ",
            "e3",
            "\u{0663}",
            "１",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for text in [
                        format!("{a}{b}{c}"),
                        format!("{a}.{b}{c}"),
                        format!("-{a}{b}.{c}"),
                    ] {
                        assert_eq!(Amount::parse(&text), reference(&text), "{text:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 30_000);
        // Both sides of the 15-byte line between the short and the full loop.
        for text in [
            "999999999999999",
            "-99999999999999",
            "99999999999.9999",
            "9999999999.99999",
            "0000000000.0001",
            "00000000000.0001",
            "-0000000000.0001",
            "1234567890123.45",
            "123456789012.345",
        ] {
            assert_eq!(Amount::parse(text), reference(text), "{text:?}");
            assert!(text.len() == 15 || text.len() == 16, "{text:?}");
        }
    }

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn parses_exactly_and_rejects_floats_in_disguise() {
        assert_eq!(a("399").to_string(), "399.00");
        assert_eq!(a("-0.5").to_string(), "-0.50");
        assert_eq!(a("0.3333").to_string(), "0.3333");
        assert_eq!(a("0999999999999999.9999"), Amount::MAX);
        assert_eq!(a("-0000000000000001"), a("-1"));
        for bad in [
            "1e3",
            "",
            ".5",
            "5.",
            "1.23456",
            "+1",
            "1,000",
            "NaN",
            "-",
            "1000000000000000",
            "00000000000000001",
        ] {
            assert!(Amount::parse(bad).is_none(), "{bad}");
        }
    }

    fn add(x: Amount, y: Amount) -> Amount {
        x.checked_add(y).unwrap()
    }

    fn sub(x: Amount, y: Amount) -> Amount {
        x.checked_sub(y).unwrap()
    }

    fn times(x: Amount, y: Amount) -> Amount {
        x.checked_times(y).unwrap()
    }

    #[test]
    fn sums_that_floats_get_wrong_are_exact() {
        // 0.1 + 0.2 = 0.3 exactly; three lines at 3.33 + one share of 0.01.
        assert_eq!(add(a("0.1"), a("0.2")), a("0.3"));
        assert_eq!(times(a("0.3333"), a("3")), a("0.9999"));
        assert_eq!(sub(times(a("19.99"), a("3")), a("0.97")), a("59"));
        assert_eq!(times(a("0.3333"), a("0.5")).round4(), a("0.1667"));
        assert_eq!(
            sub(a("0"), times(a("0.3333"), a("0.5"))).round4(),
            a("-0.1667")
        );
        assert_eq!(a("409.01").round4(), a("409.01"));
        let max = a("999999999999999.9999");
        assert_eq!(max, Amount::MAX);
        assert_eq!(times(max, a("1")), max);
        assert_eq!(times(max, a("-1")), a("-999999999999999.9999"));
        assert_eq!(max.round4(), max);
    }

    #[test]
    fn products_and_sums_beyond_decimal_19_4_are_none_never_wrapped() {
        // 115292150460684.6976 is 2^60 / 10^4: in units of 10^-8 its square is 2^128 · 10^8,
        // which wrapped an unchecked i128 product to exactly 0.
        let p = a("115292150460684.6976");
        assert_eq!(p.checked_times(p), None);
        assert_eq!(p.checked_times(a("-115292150460684.6976")), None);
        let max = a("999999999999999.9999");
        // Its square printed as a negative total before.
        assert_eq!(max.checked_times(max), None);
        assert_eq!(max.checked_times(a("-999999999999999.9999")), None);
        assert_eq!(max.checked_times(a("1.0001")), None);
        assert_eq!(max.checked_add(a("0.0001")), None);
        assert_eq!(a("-999999999999999.9999").checked_sub(a("0.0001")), None);
        assert_eq!(max.checked_sub(a("-1")), None);
        // Up to the edge is fine.
        assert_eq!(
            a("99999999999999.9999").checked_times(a("10")),
            Some(a("999999999999999.999"))
        );
        assert_eq!(
            a("999999999999999.9998").checked_add(a("0.0001")),
            Some(max)
        );
        assert_eq!(max.checked_sub(max), Some(Amount::ZERO));
        // A product whose fractional part needs 8 digits is still exact.
        assert_eq!(
            a("0.0001")
                .checked_times(a("0.0001"))
                .map(|x| x.to_string()),
            Some("0.00000001".into())
        );
    }

    /// A few million products and sums of extreme and random operands: never a panic, and the
    /// result is `None` exactly when the true value (computed here in a wider representation:
    /// i128 at 4 fractional digits per operand) is beyond MAX.
    #[test]
    fn checked_operations_agree_with_a_wider_computation() {
        let edges = [
            "0",
            "0.0001",
            "1",
            "9999.9999",
            "31622776.6017",
            "99999999.9999",
            "115292150460684.6976",
            "316227766016837.9",
            "499999999999999.9999",
            "500000000000000",
            "999999999999999.9998",
            "999999999999999.9999",
        ];
        // Value at 4 fractional digits (exactly what was written).
        let units4 = |s: &str| -> i128 {
            let (neg, d) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
            let (i, f) = d.split_once('.').unwrap_or((d, ""));
            let v =
                i.parse::<i128>().unwrap() * 10_000 + format!("{f:0<4}").parse::<i128>().unwrap();
            if neg {
                -v
            } else {
                v
            }
        };
        let mut rng = crate::wire::test_rng::Rng(0x9E37_79B9_7F4A_7C15);
        let pick = |rng: &mut crate::wire::test_rng::Rng| -> String {
            let r = rng.next();
            let sign = if r & 1 == 1 { "-" } else { "" };
            match (r >> 1) % 3 {
                0 => format!("{sign}{}", edges[(r >> 8) as usize % edges.len()]),
                1 => {
                    let int = (r >> 8) % 1_000_000_000_000_000;
                    format!("{sign}{int}.{:04}", (r >> 4) % 10_000)
                }
                _ => {
                    let digits = 1 + (r >> 8) % 15;
                    let int = (r >> 12) % 10u64.pow(digits as u32);
                    format!("{sign}{int}.{:04}", rng.next() % 10_000)
                }
            }
        };
        let max8 = Amount::MAX.0;
        for _ in 0..200_000 {
            let (x, y) = (pick(&mut rng), pick(&mut rng));
            let (ax, ay) = (a(&x), a(&y));
            let (ux, uy) = (units4(&x), units4(&y));
            // |ux|, |uy| < 10^19: the product at 8 digits is below 10^38, inside i128.
            let product = ux * uy;
            let want = (product.abs() <= max8).then_some(product);
            assert_eq!(ax.checked_times(ay).map(|v| v.0), want, "{x} × {y}");
            let sum = (ux + uy) * 10_000;
            let want = (sum.abs() <= max8).then_some(sum);
            assert_eq!(ax.checked_add(ay).map(|v| v.0), want, "{x} + {y}");
            let diff = (ux - uy) * 10_000;
            let want = (diff.abs() <= max8).then_some(diff);
            assert_eq!(ax.checked_sub(ay).map(|v| v.0), want, "{x} − {y}");
            if let Some(p) = ax.checked_times(ay) {
                // Rounding stays in range and printing round-trips.
                let r = p.round4();
                assert!(r.0.abs() <= max8, "{x} × {y}");
                assert_eq!(Amount::parse(&r.to_string()), Some(r), "{x} × {y}");
            }
        }
    }
}
