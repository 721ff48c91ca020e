//! Personal data in decoded bodies: the one collector of personal values, the redaction token
//! format, and rule `privacy.plaintext`. The classes themselves ([`Privacy`]) are part of the
//! spec vocabulary in [`crate::model`].

pub(crate) mod collect;
pub mod plaintext;

use crate::model::kingdee::KingdeeBody;
use crate::model::qimen::QimenBody;
use crate::model::wdt::WdtBody;
use crate::wire::span::Span;
use collect::{collect, Collected, Found, Style};

pub use crate::model::privacy::{hidden, Privacy};

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "qmh_";
/// Hex digits after the prefix.
pub(crate) const TOKEN_HEX: usize = 24;
/// Hex digits a shortened token keeps at least.
pub(crate) const MIN_TOKEN_HEX: usize = 8;

/// Whether `value` has the form of a `qmwire redact --policy hash` token (`qmh_` and 24 lowercase hex digits, or 8 to 23
/// for a shortened one).
pub fn is_token(value: &str) -> bool {
    value.strip_prefix(TOKEN_PREFIX).is_some_and(|hex| {
        (MIN_TOKEN_HEX..=TOKEN_HEX).contains(&hex.len())
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Whether `value` is platform ciphertext rather than a personal value: the form the Taobao
/// security SDK writes (and marketplaces hand on), a separator at both ends around base64
/// ciphertext and a key version: `~CKoqAl2hWzh54uBFv9Suug==~1~` (names, nicks, addresses),
/// `$1388$CKoqAl2hWzh54uBFv9Suug==$1$` (phones), or the same with U+0001 separators. It is
/// neither plain text for rule `privacy.plaintext` nor anything redaction could hide further.
pub fn is_ciphertext(value: &str) -> bool {
    let v = value.trim();
    let Some(sep) = v
        .chars()
        .next()
        .filter(|c| matches!(c, '~' | '$' | '\u{1}'))
    else {
        return false;
    };
    if v.len() < 8 || !v.ends_with(sep) {
        return false;
    }
    let mut parts: Vec<&str> = v[1..v.len() - 1].split(sep).collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    let base64 = |p: &&str| {
        p.len() >= 8
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
    };
    let version = parts
        .last()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    parts.len() >= 2 && version && parts.iter().any(base64)
}

/// A body's personal values, and every span a renderer must hide when it quotes source lines:
/// the values, and what may hold personal data although the contract does not classify it
/// (see [`collect::Collected::hidden`]). One walk of the body gives both.
pub(crate) struct Personal {
    pub(crate) values: Vec<PersonalValue>,
    pub(crate) hidden: Vec<Span>,
}

impl From<Collected> for Personal {
    fn from(c: Collected) -> Personal {
        let hidden = c.found.iter().map(|f| f.span).chain(c.hidden).collect();
        Personal {
            values: c.found.into_iter().map(Into::into).collect(),
            hidden,
        }
    }
}

impl Personal {
    /// Adds values found outside the contract's classified fields (a counterparty profile's
    /// added fields), keeping document order.
    pub(crate) fn add(&mut self, found: Vec<Found>) {
        if found.is_empty() {
            return;
        }
        self.hidden.extend(found.iter().map(|f| f.span));
        self.values
            .extend(found.into_iter().map(PersonalValue::from));
        self.values.sort_by_key(|v| v.span.start);
    }
}

/// [`Personal`] of a Qimen body.
pub(crate) fn qimen_personal(body: &QimenBody<'_>) -> Personal {
    qimen_found(body).into()
}

/// [`Personal`] of a 金蝶 body.
pub(crate) fn kingdee_personal(body: &KingdeeBody<'_>) -> Personal {
    kingdee_found(body).into()
}

/// [`Personal`] of a wdt body.
pub(crate) fn wdt_personal(body: &WdtBody<'_>, bare: bool) -> Personal {
    wdt_found(body, bare).into()
}

/// One personal value found in a decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalValue {
    /// Its class.
    pub class: Privacy,
    /// Wire path: `/request/deliveryOrder/receiverInfo/name` (Qimen, 1-based indexes) or a JSON
    /// Pointer `/trade_list/0/receiver_name` (wdt).
    pub path: String,
    /// The raw text's span in the input.
    pub span: Span,
    /// The decoded value.
    pub value: String,
}

impl From<Found> for PersonalValue {
    fn from(f: Found) -> PersonalValue {
        PersonalValue {
            class: f.class,
            path: f.path,
            span: f.span,
            value: f.value,
        }
    }
}

/// Every non-blank personal value of a Qimen body, in document order.
pub fn qimen_values(body: &QimenBody<'_>) -> Vec<PersonalValue> {
    qimen_found(body)
        .found
        .into_iter()
        .map(Into::into)
        .collect()
}

/// Every non-blank personal value of a wdt body, in document order. `bare` says whether the
/// document was a bare top-level array standing for the body's list field.
pub fn wdt_values(body: &WdtBody<'_>, bare: bool) -> Vec<PersonalValue> {
    wdt_found(body, bare)
        .found
        .into_iter()
        .map(Into::into)
        .collect()
}

/// The collector's findings for a Qimen body, and why they may be incomplete.
pub(crate) fn qimen_found(body: &QimenBody<'_>) -> Collected {
    let kind = body.kind();
    collect(
        Style::Xml,
        Some(kind.root()),
        kind.spec(),
        None,
        false,
        |c| body.visit(c),
    )
}

/// The collector's findings for a wdt body, and why they may be incomplete.
pub(crate) fn wdt_found(body: &WdtBody<'_>, bare: bool) -> Collected {
    let kind = body.kind();
    let bare = if bare { kind.bare() } else { None };
    collect(Style::Json, None, kind.spec(), bare, false, |c| {
        body.visit(c)
    })
}

/// The spans of a wdt body's personal values (and of what may hide one), for a caller that
/// only masks them when it quotes source lines: `values` is left empty.
pub(crate) fn wdt_spans(body: &WdtBody<'_>, bare: bool) -> Personal {
    let kind = body.kind();
    let bare = if bare { kind.bare() } else { None };
    collect(Style::Json, None, kind.spec(), bare, true, |c| {
        body.visit(c)
    })
    .into()
}

/// The collector's findings for a 金蝶 body, and why they may be incomplete.
pub(crate) fn kingdee_found(body: &KingdeeBody<'_>) -> Collected {
    collect(Style::Json, None, body.kind().spec(), None, false, |c| {
        body.visit(c)
    })
}

#[cfg(test)]
mod tests {
    use super::is_ciphertext;

    #[test]
    fn platform_ciphertext_is_recognised() {
        for c in [
            "~CKoqAl2hWzh54uBFv9Suug==~1~",
            "$1388$CKoqAl2hWzh54uBFv9Suug==$1$",
            "\u{1}CKoqAl2hWzh54uBFv9Suug==\u{1}2\u{1}",
            "~AgAAAAH3mE0Bz0vYw5mhE2cK~7mQx1AYP~1~~",
        ] {
            assert!(is_ciphertext(c), "{c}");
        }
        for plain in [
            "李四",
            "13800000001",
            "~李四~",
            "$138$",
            "~not base64 at all~1~",
            "~CKoqAl2hWzh54uBFv9Suug==~",
            "浙江省杭州市~CKoqAl2hWzh54uBFv9Suug==~1~",
            "李*",
        ] {
            assert!(!is_ciphertext(plain), "{plain}");
        }
    }
}

/// How strictly rule `privacy.plaintext` reports personal values sent in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum PrivacyCheck {
    /// Only plain-text receiver values of a Qimen `deliveryorder.create` that carries an `oaid`
    /// (a warning): the OAID means the receiver data should stay encrypted. The default.
    #[default]
    Oaid,
    /// Every plain-text personal value, in any message, is a warning.
    Warn,
    /// Every plain-text personal value, in any message, is an error.
    Forbid,
}
