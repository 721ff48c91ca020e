//! The `hash` policy: a stable keyed token in place of a value, so that redacted records can still
//! be joined (the same phone number gives the same token under the same key).
//!
//! A token is `qmh_` followed by 24 lowercase hex digits: the first 96 bits of
//! HMAC-SHA256(key, class ‖ 0x00 ‖ value), where `class` is the class name (`phone`, …). The class
//! is part of the input, so a name and a nick that happen to be equal give different tokens. A
//! value that already has the token's form is left as it is, which makes hashing idempotent.
//! Tokens are 28 ASCII characters, within every classified field's length limit but one: for a
//! field that allows fewer characters (wdt's `receiver_zip`, 20) the token keeps only as many hex
//! digits as fit, at least 8 ([`short_token`]); shortened tokens count as tokens too.

pub use crate::privacy::is_token;
use crate::privacy::{Privacy, MIN_TOKEN_HEX, TOKEN_HEX, TOKEN_PREFIX};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The token for `value` (already trimmed) of `class` under `key`; a token stays as it is.
pub fn token(class: Privacy, value: &str, key: &[u8]) -> String {
    if is_token(value) {
        return value.to_string();
    }
    // HMAC accepts keys of any length; the error case cannot happen.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(class.as_str().as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(TOKEN_PREFIX.len() + TOKEN_HEX);
    out.push_str(TOKEN_PREFIX);
    for b in &digest[..TOKEN_HEX / 2] {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// [`token`] for a field of at most `max_chars` characters: the token cut to fit, keeping at
/// least 8 hex digits (a prefix of the full token, so it is as stable and as keyed).
pub fn short_token(class: Privacy, value: &str, key: &[u8], max_chars: usize) -> String {
    let mut t = token(class, value, key);
    let keep = max_chars
        .saturating_sub(TOKEN_PREFIX.len())
        .clamp(MIN_TOKEN_HEX, TOKEN_HEX);
    if is_token(value) {
        return t;
    }
    t.truncate(TOKEN_PREFIX.len() + keep);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_keyed_and_class_bound() {
        let a = token(Privacy::Phone, "13912345678", b"k1");
        assert!(is_token(&a), "{a}");
        assert_eq!(a, token(Privacy::Phone, "13912345678", b"k1"));
        assert_ne!(a, token(Privacy::Phone, "13912345678", b"k2"));
        assert_ne!(a, token(Privacy::Account, "13912345678", b"k1"));
        assert_ne!(a, token(Privacy::Phone, "13912345679", b"k1"));
        assert_eq!(token(Privacy::Phone, &a, b"other key"), a);
    }

    #[test]
    fn token_form_is_exact() {
        assert!(!is_token("qmh_"));
        assert!(!is_token("qmh_0123456789ABCDEF01234567"));
        assert!(!is_token("qmh_0123456789abcdef012345678"));
        assert!(is_token("qmh_0123456789abcdef01234567"));
        assert!(is_token("qmh_01234567") && !is_token("qmh_0123456"));
    }

    #[test]
    fn short_tokens_fit_and_are_prefixes() {
        let full = token(Privacy::Address, "310012", b"k");
        let short = short_token(Privacy::Address, "310012", b"k", 20);
        assert_eq!(short.len(), 20);
        assert!(full.starts_with(&short) && is_token(&short));
        assert_eq!(short_token(Privacy::Address, &short, b"k", 20), short);
        assert_eq!(short_token(Privacy::Address, "310012", b"k", 4).len(), 12);
        assert_eq!(short_token(Privacy::Address, "310012", b"k", 99), full);
    }
}
