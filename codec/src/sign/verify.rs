//! Comparing a computed sign with a received one, in constant time.
//!
//! [`constant_time_eq`] looks at every byte whatever it finds (no early exit once the lengths
//! agree; the length of a sign is public anyway), so the time taken says nothing about how many
//! leading characters of a forged sign were right.
//!
//! Hex case, per algorithm ([`Algorithm::case_rule`]):
//! - Qimen / TOP (`md5`, `hmac`, `hmac-sha256`): **exact**. The official receiver check
//!   (`SpiUtils.checkSign`) compares the uppercase sign with `String.equals`, so a lowercase
//!   sign is rejected by real receivers and must be rejected here too.
//! - wdt (企业版, 旗舰版, `wdt_sign`): **ASCII case ignored**. The SDKs send lowercase; which
//!   case the servers accept is not documented (an open question), and the case of
//!   hex digits carries no information.

use super::qimen::SignMethod;

/// Which sign a pair of strings is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Qimen / TOP `sign` with this `sign_method`.
    Qimen(SignMethod),
    /// wdt 企业版 openapi2 `sign`.
    Wdt,
    /// wdt 旗舰版 `sign`.
    WdtUltimate,
    /// wdt 旗舰版-via-Qimen `wdt_sign`.
    WdtQimenCustom,
}

/// How the hex case of two signs is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseRule {
    /// Byte for byte.
    Exact,
    /// `A`–`Z` equal `a`–`z`; everything else byte for byte.
    IgnoreAsciiCase,
}

impl Algorithm {
    /// The case rule receivers of this sign apply (see the module docs).
    pub fn case_rule(self) -> CaseRule {
        match self {
            Algorithm::Qimen(_) => CaseRule::Exact,
            Algorithm::Wdt | Algorithm::WdtUltimate | Algorithm::WdtQimenCustom => {
                CaseRule::IgnoreAsciiCase
            }
        }
    }
}

/// Whether `a` and `b` are equal: lengths first, then an XOR fold over every byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    eq_with(a, b, CaseRule::Exact)
}

/// Whether the received sign matches the computed one under `algorithm`'s case rule, compared in
/// constant time.
///
/// ```
/// use qmwire::sign::{signs_match, Algorithm, SignMethod};
/// let md5 = Algorithm::Qimen(SignMethod::Md5);
/// assert!(signs_match(md5, "66987CB115214E59E6EC978214934FB8", "66987CB115214E59E6EC978214934FB8"));
/// assert!(!signs_match(md5, "66987CB115214E59E6EC978214934FB8", "66987cb115214e59e6ec978214934fb8"));
/// assert!(signs_match(Algorithm::Wdt, "ad4e6fe037ea6e3ba4768317be9d1309", "AD4E6FE037EA6E3BA4768317BE9D1309"));
/// ```
pub fn signs_match(algorithm: Algorithm, computed: &str, received: &str) -> bool {
    eq_with(
        computed.as_bytes(),
        received.as_bytes(),
        algorithm.case_rule(),
    )
}

fn eq_with(a: &[u8], b: &[u8], rule: CaseRule) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let fold = match rule {
        CaseRule::Exact => 0u8,
        CaseRule::IgnoreAsciiCase => 0x20,
    };
    let mut diff = 0u8;
    for (&x, &y) in a.iter().zip(b) {
        diff |= lower(x, fold) ^ lower(y, fold);
    }
    std::hint::black_box(diff) == 0
}

/// Sets bit 5 of an ASCII uppercase letter when `fold` is `0x20`, without a branch on `b`.
fn lower(b: u8, fold: u8) -> u8 {
    let is_upper = u8::from(b.wrapping_sub(b'A') < 26);
    b | (is_upper.wrapping_neg() & fold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_case_insensitive() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"ABC", b"ABC"));
        assert!(!constant_time_eq(b"ABC", b"ABD"));
        assert!(!constant_time_eq(b"ABC", b"abc"));
        assert!(!constant_time_eq(b"ABC", b"ABCD"));
        assert!(eq_with(b"AbC09", b"aBc09", CaseRule::IgnoreAsciiCase));
        // Folding touches letters only: `@` (0x40) and `` ` `` (0x60) stay different, and so
        // do `[` and `{`.
        assert!(!eq_with(b"@", b"`", CaseRule::IgnoreAsciiCase));
        assert!(!eq_with(b"[", b"{", CaseRule::IgnoreAsciiCase));
        assert!(!eq_with(b"a", b"b", CaseRule::IgnoreAsciiCase));
    }

    #[test]
    fn every_position_and_every_bit_matters() {
        let sign = b"04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8";
        for i in 0..sign.len() {
            for bit in 0..8 {
                let mut other = *sign;
                other[i] ^= 1 << bit;
                assert!(!constant_time_eq(sign, &other), "byte {i} bit {bit}");
                // Only flipping bit 5 of a letter is a case change.
                let case_only = bit == 5 && sign[i].is_ascii_alphabetic();
                assert_eq!(
                    eq_with(sign, &other, CaseRule::IgnoreAsciiCase),
                    case_only,
                    "byte {i} bit {bit}"
                );
            }
        }
    }

    #[test]
    fn case_rules_per_algorithm() {
        for m in SignMethod::ALL {
            assert_eq!(Algorithm::Qimen(m).case_rule(), CaseRule::Exact);
        }
        for a in [
            Algorithm::Wdt,
            Algorithm::WdtUltimate,
            Algorithm::WdtQimenCustom,
        ] {
            assert_eq!(a.case_rule(), CaseRule::IgnoreAsciiCase);
        }
        assert!(!signs_match(
            Algorithm::Qimen(SignMethod::Hmac),
            "D56D7858309C31B6251083A874D48273",
            "d56d7858309c31b6251083a874d48273"
        ));
        assert!(signs_match(
            Algorithm::WdtUltimate,
            "703b2c4b5b16565883e6b58d18e254a2",
            "703B2C4B5B16565883E6B58D18E254A2"
        ));
    }
}
