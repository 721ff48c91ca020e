//! Redaction of personal data: every value of a privacy-classified field is masked, replaced by a
//! keyed token, or dropped, and every other byte of the message stays exactly as it was.
//!
//! The parts, each usable on its own:
//! - [`mask`], [`hash`] and [`Redactor`] (in [`policy`]): what a value becomes, per class;
//! - [`rewrite`]: the engine that writes new values over spans of the original bytes in the
//!   span's own escaping (XML text, JSON string content, form component) and nothing else;
//! - the Qimen front end [`redact_qimen`], which decodes with the lint pipeline and finds the
//!   classified values with the generated field tables;
//! - the wdt front end [`redact_wdt_json`] / [`redact_wdt_form`] (business JSON, and form bodies
//!   whose parameters hold percent-encoded JSON);
//! - whole HTTP requests, Qimen or wdt ([`redact_http`]), also several in one `.http` file
//!   (separated by `###` lines, redacted request by request), and [`redact_input`], which tells
//!   them all apart by content the way `qmwire lint` does.
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
//! as they are. A signed request whose signed parameters changed gets a note
//! ([`Redacted::notes`]): redacted requests are for logs, they are never re-signed.

pub mod hash;
pub mod mask;
pub mod policy;
pub mod rewrite;

pub use crate::qimen::redact::{personal_values, PersonalValue};
pub use policy::{Policy, Redactor};

use crate::options::Limits;
use crate::privacy::Privacy;
use crate::qimen::lint::Failure;
use crate::wdt::WdtFailure;
use crate::wire::http::{self, HttpError};
use crate::wire::params::ParamError;
use crate::wire::span::Span;
use rewrite::{Edit, RewriteError};
use std::fmt;

/// What a front end does to each personal value: class, decoded value, the field's length
/// limit → the new value. Normally [`Redactor::apply_within`]; the fuzz harness also records.
pub(crate) type Apply<'r> = &'r dyn Fn(Privacy, &str, Option<u32>) -> String;

/// A redacted message.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The redacted bytes.
    pub output: Vec<u8>,
    /// How many personal values were rewritten.
    pub values: usize,
    /// The method the body was decoded as (a Qimen method, or a wdt API such as
    /// `trade_push`), when known. For a file of several requests, the method they all share
    /// (`None` when they differ).
    pub method: Option<&'static str>,
    /// `qimen` or `wdt`; `mixed` for a file of several requests that are not all of one
    /// protocol.
    pub protocol: &'static str,
    /// Things the reader of the output should know, e.g. that a request's `sign` no longer
    /// matches. Never contains personal values. In a file of several requests, each note starts
    /// with the request it is about (`request 2 (line 14): …`).
    pub notes: Vec<String>,
    /// Where each rewritten value was and now is, in input order.
    pub changes: Vec<Change>,
}

/// One rewritten personal value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Privacy,
    /// Its raw bytes in the input.
    pub input: Span,
    /// Its raw bytes in the output.
    pub output: Span,
}

/// Where the `values` edits land in the output once every edit of `all` (which includes them)
/// is applied; `all` must be valid for [`rewrite::apply_edits`].
pub(crate) fn changes<'e>(
    values: impl Iterator<Item = (Privacy, &'e Edit)>,
    all: &[Edit],
) -> Vec<Change> {
    // Where each edit starts in the output: its input start plus what earlier edits added.
    let mut sorted: Vec<(Span, usize)> = all
        .iter()
        .map(|e| (e.span, e.escaping.escape(&e.value).len()))
        .collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut placed: Vec<(Span, usize, usize)> = Vec::with_capacity(sorted.len());
    let mut shift: i64 = 0;
    for (span, written) in sorted {
        placed.push((span, (i64::from(span.start) + shift) as usize, written));
        shift += written as i64 - span.len() as i64;
    }
    let mut out: Vec<Change> = values
        .filter_map(|(class, e)| {
            let key = (e.span.start, e.span.end);
            let i = placed
                .binary_search_by_key(&key, |(s, _, _)| (s.start, s.end))
                .ok()?;
            let (_, start, written) = placed[i];
            Some(Change {
                class,
                input: e.span,
                output: Span::new(start, start + written),
            })
        })
        .collect();
    out.sort_by_key(|c| (c.input.start, c.input.end));
    out
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
    /// The wdt JSON could not be decoded (broken JSON, not UTF-8, a shape that fits no API or
    /// several, a limit).
    Wdt(WdtFailure),
    /// A form body or query is malformed (a bad `%` escape, not UTF-8 once decoded, an empty or
    /// repeated name).
    Form(ParamError),
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
    /// One request of a file of several could not be redacted, so none was (no partial output).
    InRequest {
        /// Which request, counting from 1 (parts with nothing but blank and comment lines are
        /// not counted).
        index: usize,
        /// The line, counting from 1, on which the request's part starts (just after its `###`
        /// separator line).
        line: usize,
        /// Why that request could not be redacted; its byte offsets are those it has when the
        /// request is redacted on its own.
        error: Box<RedactError>,
    },
}

impl fmt::Display for RedactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedactError::MissingKey => {
                f.write_str("the `hash` policy needs a key (give `--key-env VAR`)")
            }
            RedactError::UnknownMethod(m) => write!(f, "unknown method `{m}`"),
            RedactError::Decode(failure) => {
                let issue = failure.to_issue();
                write!(
                    f,
                    "cannot redact: {} [{}] at byte {}",
                    issue.message, issue.rule, issue.span.start
                )
            }
            RedactError::Wdt(failure) => {
                let issue = failure.to_issue();
                write!(
                    f,
                    "cannot redact: {} [{}] at byte {}",
                    without_found(&issue.message),
                    issue.rule,
                    issue.span.start
                )
            }
            RedactError::Form(e) => write!(f, "cannot redact: malformed form: {e}"),
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
            RedactError::InRequest { index, line, error } => {
                write!(f, "request {index} (line {line}): {error}")
            }
        }
    }
}

impl std::error::Error for RedactError {}

/// A decoder message without what it quotes from the input (a malformed number could be part of
/// a phone number; a character found could start a name).
fn without_found(message: &str) -> &str {
    if message.starts_with("malformed number") {
        return "malformed number";
    }
    message.split(", found").next().unwrap_or_default()
}

/// Redacts a Qimen XML document. `method` (full or short name) picks the message; without it the
/// document's shape decides, and an ambiguous shape is an error.
pub fn redact_qimen(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    crate::qimen::redact::redact_document(input, method, &with(redactor), &Limits::default())
}

/// Redacts wdt business JSON (a `trade_list` array, or an object of business parameters).
/// `method` is any name of a wdt API (`trade_push`, `wdt.trade.push`); without it the
/// document's keys decide, and a shape that fits several APIs is an error.
///
/// ```
/// use qmwire::redact::{redact_wdt_json, Redactor};
/// let json = r#"[{"receiver_name":"\u674e\u56db","receiver_mobile":13912345678,"tid":"T1"}]"#;
/// let out = redact_wdt_json(json.as_bytes(), Some("trade_push"), &Redactor::mask()).unwrap();
/// assert_eq!(
///     String::from_utf8(out.output).unwrap(),
///     r#"[{"receiver_name":"李*","receiver_mobile":"139****5678","tid":"T1"}]"#
/// );
/// ```
pub fn redact_wdt_json(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    crate::wdt::redact::redact_json(input, method, &with(redactor), &Limits::default())
}

/// Redacts a wdt form body (`shop_no=…&trade_list=%5B…`): the personal values inside its
/// percent-encoded JSON parameters, and business parameters that are personal themselves.
/// Only the bytes that encode personal values change; the JSON still decodes, the form too.
/// A `sign` or `wdt_sign` parameter is kept, with a note that it no longer matches.
pub fn redact_wdt_form(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    crate::wdt::redact::redact_form(input, method, &with(redactor), &Limits::default())
}

/// Redacts a whole HTTP request (a capture or a `.http` file). The request line, headers and
/// anything after the body stay byte-identical, except `Content-Length`: when the header exists
/// and the body's length changed, its value is set to the new length.
///
/// - A Qimen request: its XML body. The method is `method`, else the query's `method`
///   parameter when it names a known Qimen method, else the body's shape.
/// - A wdt request (an `openapi2/<api>.php` form post, or a Qimen-custom `wdt.*` call): its
///   business parameters, in the form body and in the query, as [`redact_wdt_form`] does. The
///   API is `method`, else the one the request calls.
///
/// A signed request whose signed content changed gets a note that its `sign` no longer matches.
///
/// A `.http` file may hold several requests separated by lines that start with `###` (as
/// [`split_requests`](crate::front::file::split_requests) finds them, the way `qmwire lint`
/// does). Each is then redacted on its own as above (its own `Content-Length`, its own `sign`
/// note), and everything outside the requests (the `###` lines, comment-only parts) is kept
/// byte for byte. [`Redacted::values`] is the sum; [`Redacted::changes`] are in file
/// coordinates; each note names its request; `method` is the one all requests share, if any,
/// and `protocol` is theirs, or `mixed`. If any request fails, the whole call fails with
/// [`RedactError::InRequest`] and there is no output.
pub fn redact_http(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    http_with(input, method, &with(redactor))
}

/// The [`Apply`] of a redactor.
fn with(redactor: &Redactor) -> impl Fn(Privacy, &str, Option<u32>) -> String + '_ {
    move |class, value, max| redactor.apply_within(class, value, max)
}

/// [`redact_http`] with any [`Apply`]: one request, or each request of a multi-request file.
fn http_with(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let ranges = crate::front::file::split_requests(input);
    if ranges.len() <= 1 {
        // The whole input, as always: a single request keeps its comments and output exactly.
        return request_with(input, method, apply);
    }
    let line_of = |at: usize| input[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let mut output = Vec::with_capacity(input.len() + 16);
    let mut copied = 0;
    let mut parts: Vec<Redacted> = Vec::with_capacity(ranges.len());
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for (i, range) in ranges.into_iter().enumerate() {
        let (index, line) = (i + 1, line_of(range.start));
        let part = request_with(&input[range.clone()], method, apply).map_err(|error| {
            RedactError::InRequest {
                index,
                line,
                error: Box::new(error),
            }
        })?;
        output.extend_from_slice(&input[copied..range.start]);
        let landed = output.len();
        output.extend_from_slice(&part.output);
        copied = range.end;
        let by = |s: Span, at: usize| Span::new(s.start as usize + at, s.end as usize + at);
        changes.extend(part.changes.iter().map(|c| Change {
            class: c.class,
            input: by(c.input, range.start),
            output: by(c.output, landed),
        }));
        notes.extend(
            part.notes
                .iter()
                .map(|n| format!("request {index} (line {line}): {n}")),
        );
        parts.push(part);
    }
    output.extend_from_slice(&input[copied..]);
    let first = &parts[0];
    let method = first
        .method
        .filter(|_| parts.iter().all(|p| p.method == first.method));
    let protocol = if parts.iter().all(|p| p.protocol == first.protocol) {
        first.protocol
    } else {
        "mixed"
    };
    Ok(Redacted {
        output,
        values: parts.iter().map(|p| p.values).sum(),
        method,
        protocol,
        notes,
        changes,
    })
}

/// One HTTP request, Qimen or wdt, with any [`Apply`].
fn request_with(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let limits = Limits::default();
    let is_wdt = http::parse(input)
        .ok()
        .is_some_and(|r| crate::wdt::request::detect(&r).is_some());
    if is_wdt {
        crate::wdt::redact::redact_request(input, method, apply, &limits)
    } else {
        crate::qimen::redact::redact_request(input, method, apply, &limits)
    }
}

/// Redacts any supported input, told apart by content as `qmwire lint` does: an HTTP request
/// ([`redact_http`]), wdt JSON ([`redact_wdt_json`]: the first visible byte is `{` or `[`), a
/// form body ([`redact_wdt_form`]: it starts with `name=`, or `method` is a wdt API), else
/// Qimen XML ([`redact_qimen`]). A Qimen `method` keeps JSON- and form-looking input on the
/// Qimen side (where it fails to decode).
pub fn redact_input(
    input: &[u8],
    method: Option<&str>,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    input_with(input, method, &with(redactor))
}

/// [`redact_input`] with any [`Apply`].
pub(crate) fn input_with(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let limits = Limits::default();
    if http::looks_like_request(input) {
        return http_with(input, method, apply);
    }
    let wdt_method = method.is_some_and(|m| crate::model::wdt::method(m).is_some());
    let qimen_method = method.is_some_and(|m| crate::qimen::detect::method(m).is_some());
    let is_json = crate::wdt::looks_like_json(input);
    let is_form = !is_json && !qimen_method && crate::wdt::looks_like_form(input);
    if is_json && !qimen_method {
        crate::wdt::redact::redact_json(input, method, apply, &limits)
    } else if is_form || (wdt_method && !is_json) {
        crate::wdt::redact::redact_form(input, method, apply, &limits)
    } else {
        crate::qimen::redact::redact_document(input, method, apply, &limits)
    }
}
