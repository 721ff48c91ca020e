//! Personal data in decoded bodies: the one collector of personal values, the redaction token
//! format, and rule `privacy.plaintext`. The classes themselves ([`Privacy`]) are part of the
//! spec vocabulary in [`crate::model`].

pub(crate) mod collect;
pub mod plaintext;

use crate::model::qimen::QimenBody;
use crate::model::wdt::WdtBody;
use crate::wire::span::Span;
use collect::{collect, Found, Refusal, Style};

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
    qimen_found(body).0.into_iter().map(Into::into).collect()
}

/// Every non-blank personal value of a wdt body, in document order. `bare` says whether the
/// document was a bare top-level array standing for the body's list field.
pub fn wdt_values(body: &WdtBody<'_>, bare: bool) -> Vec<PersonalValue> {
    wdt_found(body, bare)
        .0
        .into_iter()
        .map(Into::into)
        .collect()
}

/// The collector's findings for a Qimen body, and why they may be incomplete.
pub(crate) fn qimen_found(body: &QimenBody<'_>) -> (Vec<Found>, Option<Refusal>) {
    let kind = body.kind();
    collect(Style::Xml, Some(kind.root()), kind.spec(), None, |c| {
        body.visit(c)
    })
}

/// The collector's findings for a wdt body, and why they may be incomplete.
pub(crate) fn wdt_found(body: &WdtBody<'_>, bare: bool) -> (Vec<Found>, Option<Refusal>) {
    let kind = body.kind();
    let bare = if bare { kind.bare() } else { None };
    collect(Style::Json, None, kind.spec(), bare, |c| body.visit(c))
}
