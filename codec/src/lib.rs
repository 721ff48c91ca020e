//! qmwire checks Qimen (奇门) WMS messages, wdt (旺店通) ERP messages and 金蝶云星空 WebAPI
//! bills before they go out and after they come in: every issue at once, each with a stable
//! rule id, its wire path and its line:column; and it redacts their personal data byte for byte.
//!
//! The front door is two functions that take any input shape (a Qimen XML body, wdt business
//! JSON, a wdt form body, a 金蝶 WebAPI body, one HTTP request, a `.http` file of several) and
//! one [`Options`]:
//! [`lint`] and [`redact()`].
//!
//! ```
//! use qmwire::{Options, PrivacyCheck};
//!
//! let xml = r#"<request><actionType>add</actionType><warehouseCode>W1</warehouseCode>
//!   <ownerCode>O1</ownerCode><item><itemCode>SKU-1</itemCode><itemName>加湿器</itemName>
//!   <barCode>690000000001</barCode><itemType>ZCX</itemType></item></request>"#;
//! let options = Options::new().with_privacy(PrivacyCheck::Warn);
//! let report = qmwire::lint(xml.as_bytes(), &options);
//! assert_eq!(report.method, Some("taobao.qimen.singleitem.synchronize"));
//! let issue = &report.issues[0];
//! assert_eq!((issue.rule, issue.path.as_str()), ("enum", "/request/item/itemType"));
//! let at = qmwire::LineIndex::new(xml).line_col(issue.span.start as usize);
//! assert_eq!((at.line, at.column), (3, 44));
//! ```
//!
//! Below the front door, the typed layer is public for users who want the models: the generated
//! models in [`model`] (`BodyKind::decode`, the three validation tiers in [`validate`]),
//! [`sign`] (signing, verification and mismatch diagnosis), [`convert`] (wdt openapi2 and Qimen
//! custom), [`render`] (human and JSON reports) and [`mod@redact`] (policies and the rewrite engine).
//! Every message is declared once as data in `codec/spec/`; `cargo xtask codegen` turns the
//! declarations into those models.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod convert;
pub mod error;
mod front;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub(crate) mod json;
pub mod kingdee;
pub mod model;
pub mod options;
pub mod privacy;
pub mod profile;
pub mod qimen;
pub mod redact;
pub mod render;
pub mod report;
pub mod rules;
pub mod sign;
pub mod validate;
pub mod wdt;
pub mod wire;
pub mod xml;

pub use error::{DecodeError, DecodeErrorKind};
pub use options::{Limits, Options, PrivacyCheck, Shape};
pub use profile::Profile;
pub use redact::{RedactError, Redacted, Redactor};
pub use report::{Issue, Lang, Protocol, Report, Severity};
pub use wire::span::{LineCol, LineIndex, Span};
pub use wire::text::Text;

/// Lints one input of any shape: every issue, with spans in `input`'s own coordinates.
///
/// The shape comes from [`Options::shape`] or from the bytes ([`input::sniff`]): an HTTP
/// request or a `.http` file of several (each checked with its query, headers and body), a
/// Qimen XML body (with [`Options::url`]: checked as the body of a request to that URL), wdt
/// business JSON, or a wdt form body. Every option applies to every shape. At most
/// [`Options::max_issues`] issues are listed (the first ones); [`Report::omitted`] counts the
/// rest, and [`Report::errors`] and [`Report::warnings`] count them all.
pub fn lint(input: &[u8], options: &Options) -> Report {
    front::lint::lint(input, options)
}

/// Redacts every personal value of one input of any shape (told apart as [`lint`] does, with the
/// same method and limits); every other byte stays as it was. Input that cannot be decoded, or
/// whose personal values cannot all be located, is refused with no output.
pub fn redact(
    input: &[u8],
    options: &Options,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    front::redact::redact(input, options, redactor)
}

/// The Rust examples of the README and of every page in `docs/` run as doctests.
#[cfg(doctest)]
mod doc_pages {
    #[doc = include_str!("../../README.md")]
    struct Readme;
    #[doc = include_str!("../../docs/library.md")]
    struct Library;
    #[doc = include_str!("../../docs/lint.md")]
    struct Lint;
    #[doc = include_str!("../../docs/wdt.md")]
    struct Wdt;
    #[doc = include_str!("../../docs/kingdee.md")]
    struct Kingdee;
    #[doc = include_str!("../../docs/signing.md")]
    struct Signing;
    #[doc = include_str!("../../docs/conversion.md")]
    struct Conversion;
    #[doc = include_str!("../../docs/redaction.md")]
    struct Redaction;
    #[doc = include_str!("../../docs/schemas.md")]
    struct Schemas;
    #[doc = include_str!("../../docs/protocol.md")]
    struct Protocol;
    #[doc = include_str!("../../docs/design.md")]
    struct Design;
    #[doc = include_str!("../../docs/status.md")]
    struct Status;
    #[doc = include_str!("../../docs/accuracy.md")]
    struct Accuracy;
    #[doc = include_str!("../../docs/profiles.md")]
    struct Profiles;
    #[doc = include_str!("../../docs/ci.md")]
    struct Ci;
    #[doc = include_str!("../../docs/serve.md")]
    struct Serve;
    #[doc = include_str!("../../docs/lang.md")]
    struct Lang;
}
