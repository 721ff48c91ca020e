//! What happens to each personal value: masked, replaced by a keyed token, or dropped.

use super::{hash, mask, RedactError};
use crate::privacy::Privacy;
use std::fmt;

/// How personal values are redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// Hide part of the value with `*` (see [`super::mask`]). The default.
    #[default]
    Mask,
    /// Replace the value with a keyed token (see [`super::hash`]); needs a key.
    Hash,
    /// Replace the value with nothing.
    Drop,
}

impl Policy {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Mask => "mask",
            Policy::Hash => "hash",
            Policy::Drop => "drop",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy with what it needs (the key, for `hash`). Its `Debug` form never shows the key.
#[derive(Clone)]
pub struct Redactor {
    policy: Policy,
    key: Vec<u8>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("policy", &self.policy)
            .field("key", &format_args!("<{} bytes>", self.key.len()))
            .finish()
    }
}

impl Redactor {
    /// A redactor for `policy`. `hash` needs a non-empty key ([`RedactError::MissingKey`]
    /// otherwise); the other policies ignore it.
    pub fn new(policy: Policy, key: Option<&[u8]>) -> Result<Redactor, RedactError> {
        let key = key.unwrap_or_default();
        if policy == Policy::Hash && key.is_empty() {
            return Err(RedactError::MissingKey);
        }
        Ok(Redactor {
            policy,
            key: key.to_vec(),
        })
    }

    /// The `mask` redactor (needs no key).
    pub fn mask() -> Redactor {
        Redactor {
            policy: Policy::Mask,
            key: Vec::new(),
        }
    }

    /// The policy applied.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The redacted form of a decoded `value` of `class`.
    ///
    /// `mask` and `hash` work on the value without its leading and trailing whitespace and put
    /// that whitespace back; `drop` returns an empty string. A blank value is returned as it is.
    /// For every policy `apply(apply(v)) == apply(v)`.
    pub fn apply(&self, class: Privacy, value: &str) -> String {
        self.apply_within(class, value, None)
    }

    /// [`Self::apply`] for a field that allows at most `max_chars` characters: a `hash` token
    /// is shortened to fit ([`hash::short_token`]); `mask` keeps the length and `drop` empties,
    /// so they need no limit. Idempotent like [`Self::apply`].
    pub fn apply_within(&self, class: Privacy, value: &str, max_chars: Option<u32>) -> String {
        let core = value.trim();
        if core.is_empty() {
            return value.to_string();
        }
        let redacted = match self.policy {
            Policy::Drop => return String::new(),
            Policy::Mask => mask::mask(class, core),
            Policy::Hash => match max_chars {
                Some(max) => hash::short_token(class, core, &self.key, max as usize),
                None => hash::token(class, core, &self.key),
            },
        };
        if core.len() == value.len() {
            return redacted;
        }
        let start = value.len() - value.trim_start().len();
        let end = value.trim_end().len();
        format!("{}{redacted}{}", &value[..start], &value[end..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_rng::Rng;

    const CLASSES: [Privacy; 8] = [
        Privacy::Name,
        Privacy::Phone,
        Privacy::Address,
        Privacy::IdNumber,
        Privacy::Email,
        Privacy::Account,
        Privacy::Nick,
        Privacy::Plate,
    ];

    /// A value made of pieces that exercise every rule: digits, separators, CJK names and
    /// division suffixes, `@`, `*`, letters, `+`, whitespace at the ends, entities' characters.
    fn random_value(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "1",
            "3",
            "9",
            "0",
            "5",
            "8",
            "-",
            " ",
            "(",
            ")",
            "+",
            "李",
            "四",
            "省",
            "市",
            "区",
            "县",
            "自治区",
            "浙江",
            "杭州",
            "路",
            "号",
            "@",
            ".",
            "a",
            "Z",
            "*",
            "&",
            "<",
            "\"",
            "x",
            "州",
            "盟",
            "地区",
            "\n",
            "𠀀",
            "é",
        ];
        let len = rng.below(20);
        (0..len).map(|_| rng.pick(PIECES)).collect()
    }

    #[test]
    fn every_policy_is_idempotent_on_generated_values() {
        let redactors = [
            Redactor::mask(),
            Redactor::new(Policy::Hash, Some(b"test key")).unwrap(),
            Redactor::new(Policy::Drop, None).unwrap(),
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let value = random_value(&mut rng);
            let class = rng.pick(&CLASSES);
            for r in &redactors {
                let once = r.apply(class, &value);
                let twice = r.apply(class, &once);
                assert_eq!(
                    once,
                    twice,
                    "{} {} not idempotent",
                    r.policy(),
                    class.as_str()
                );
                if r.policy() == Policy::Mask {
                    assert_eq!(once.chars().count(), value.chars().count());
                    // Something is always hidden, unless it already was.
                    if !value.contains('*') && value.chars().any(char::is_alphanumeric) {
                        assert_ne!(once, value, "{}: nothing hidden", class.as_str());
                    }
                }
            }
        }
    }

    #[test]
    fn whitespace_around_a_value_is_kept() {
        assert_eq!(
            Redactor::mask().apply(Privacy::Name, "\n  李四 "),
            "\n  李* "
        );
        assert_eq!(Redactor::mask().apply(Privacy::Name, "  "), "  ");
        let drop = Redactor::new(Policy::Drop, None).unwrap();
        assert_eq!(drop.apply(Privacy::Name, " 李四 "), "");
    }

    #[test]
    fn hash_needs_a_key_and_hides_it() {
        assert!(matches!(
            Redactor::new(Policy::Hash, None),
            Err(RedactError::MissingKey)
        ));
        assert!(Redactor::new(Policy::Hash, Some(b"")).is_err());
        let r = Redactor::new(Policy::Hash, Some(b"sekrit")).unwrap();
        assert!(!format!("{r:?}").contains("sekrit"));
        let t = r.apply(Privacy::Phone, " 13912345678");
        assert!(t.starts_with(" qmh_"), "{t}");
    }
}
