//! Redaction of personal data: every value of a privacy-classified field is masked, replaced by a
//! keyed token, or dropped, and every other byte of the message stays exactly as it was.
//!
//! The parts, each usable on its own:
//! - [`mask`], [`hash`] and [`Redactor`] (in [`policy`]): what a value becomes, per class;
//! - [`rewrite`]: the engine that writes new values over spans of the original bytes in the
//!   span's own escaping (XML text, JSON string content, form component) and nothing else;
//! - the Qimen front end [`redact_qimen`] / [`redact_http`] / [`redact_input`], which decodes with
//!   the lint pipeline and finds the classified values with the generated field tables.
//!
//! ```
//! use qmwire::redact::{redact_qimen, Redactor};
//! let xml = "<request><deliveryOrder><buyerNick>测试买家01</buyerNick></deliveryOrder></request>";
//! let out = redact_qimen(xml.as_bytes(), Some("deliveryorder.create"), &Redactor::mask()).unwrap();
//! assert_eq!(
//!     String::from_utf8(out.output).unwrap(),
//!     "<request><deliveryOrder><buyerNick>测****1</buyerNick></deliveryOrder></request>"
//! );
//! ```
//!
//! Guarantees: the output differs from the input only inside the spans of classified values;
//! the output decodes to the same structure; applying the same redactor again changes nothing;
//! input that cannot be decoded, or whose personal values cannot all be located (a classified
//! field with child elements, a repeated block), is refused with an error and no output.
//! Values outside the contract (unknown elements, `extendProps`) are not classified and are left
//! as they are.

pub mod hash;
pub mod mask;
pub mod policy;
mod qimen;
pub mod rewrite;

pub use policy::{Policy, Redactor};
pub use qimen::{personal_values, PersonalValue};

use crate::envelope::http::{self, HttpError};
use crate::lint::Failure;
use crate::xml::decode::Limits;
use rewrite::RewriteError;
use std::fmt;

/// A redacted message.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The redacted bytes.
    pub output: Vec<u8>,
    /// How many personal values were rewritten.
    pub values: usize,
    /// The Qimen method the body was decoded as, when known.
    pub method: Option<&'static str>,
}

/// Why nothing was redacted. Messages never contain personal values.
#[derive(Debug, Clone)]
pub enum RedactError {
    /// `hash` was asked for without a key.
    MissingKey,
    /// The method name is not a known Qimen method.
    UnknownMethod(String),
    /// The document could not be decoded (broken XML, not UTF-8, unknown root, ambiguous
    /// method, a limit).
    Decode(Failure),
    /// The input looked like an HTTP request but is not a well-formed one.
    Http(HttpError),
    /// A personal value could not be located reliably, so redaction would be incomplete.
    Unsafe {
        /// Wire path of the element.
        path: String,
        /// Why.
        reason: &'static str,
    },
    /// The rewrite engine refused the spans (a bug in a front end, never partial output).
    Rewrite(RewriteError),
}

impl fmt::Display for RedactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedactError::MissingKey => {
                f.write_str("the `hash` policy needs a key (give `--key-env VAR`)")
            }
            RedactError::UnknownMethod(m) => write!(f, "unknown Qimen method `{m}`"),
            RedactError::Decode(failure) => {
                let issue = failure.to_issue();
                write!(
                    f,
                    "cannot redact: {} [{}] at byte {}",
                    issue.message, issue.rule, issue.span.start
                )
            }
            // What was found is left out: on a one-line body it could be personal data.
            RedactError::Http(e) => write!(
                f,
                "cannot redact: {} (at byte {})",
                e.message.split(", found").next().unwrap_or_default(),
                e.offset
            ),
            RedactError::Unsafe { path, reason } => {
                write!(f, "cannot redact `{path}` safely: {reason}")
            }
            RedactError::Rewrite(e) => write!(f, "cannot redact: {e}"),
        }
    }
}

impl std::error::Error for RedactError {}

/// Redacts a Qimen XML document. `method` (full or short name) picks the message; without it the
/// document's shape decides, and an ambiguous shape is an error.
pub fn redact_qimen(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    qimen::redact_document(input, method, redactor, &Limits::default())
}

/// Redacts the XML body of a whole HTTP request (a capture or a `.http` file). The request line,
/// headers and anything after the body stay byte-identical, except `Content-Length`: when the
/// header exists and the body's length changed, its value is set to the new length. The method
/// is `method`, else the query's `method` parameter when it names a known Qimen method, else the
/// body's shape.
pub fn redact_http(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    qimen::redact_request(input, method, redactor, &Limits::default())
}

/// [`redact_http`] when the input starts with an HTTP request line, else [`redact_qimen`].
pub fn redact_input(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    if http::looks_like_request(input) {
        redact_http(input, method, redactor)
    } else {
        redact_qimen(input, method, redactor)
    }
}
