//! Redaction of personal data: every value of a privacy-classified field is masked, replaced by a
//! keyed token, or dropped, and every other byte of the message stays exactly as it was.
//!
//! The parts, each usable on its own:
//! - [`mask`], [`hash`] and [`Redactor`] (in [`policy`]): what a value becomes, per class;
//! - [`rewrite`]: the engine that writes new values over spans of the original bytes in the
//!   span's own escaping (XML text, JSON string content, form component) and nothing else;
//! - the protocol front ends (Qimen XML, wdt JSON and forms, whole requests), which decode
//!   with the lint pipeline and find the classified values with the one collector of
//!   [`crate::privacy`];
//! - [`crate::redact()`], the front door: any input shape (XML, wdt JSON, form body, one HTTP
//!   request or a `.http` file of several, redacted request by request), told apart the way
//!   [`crate::lint`] does, with the same [`crate::Options`] (method, shape, limits).
//!
//! ```
//! use qmwire::{redact::Redactor, Options};
//! let xml = "<request><deliveryOrder><buyerNick>测试买家01</buyerNick></deliveryOrder></request>";
//! let options = Options::new().with_method("deliveryorder.create");
//! let out = qmwire::redact(xml.as_bytes(), &options, &Redactor::mask()).unwrap();
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

pub use policy::{Policy, Redactor};

use crate::error::Failure;
use crate::privacy::collect::Found;
use crate::privacy::Privacy;
use crate::wire::http::HttpError;
use crate::wire::params::ParamError;
use crate::wire::span::Span;
use rewrite::{Edit, Escaping, RewriteError};
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

/// Where the edits at `values` land in the output once every edit of `all` (which includes
/// them; each span with its new bytes, already escaped) is applied; `all` must be valid for
/// [`rewrite::apply_edits`].
pub(crate) fn changes(
    values: impl Iterator<Item = (Privacy, Span)>,
    all: &[(Span, String)],
) -> Vec<Change> {
    // Where each edit starts in the output: its input start plus what earlier edits added.
    let mut sorted: Vec<(Span, usize)> = all.iter().map(|(s, w)| (*s, w.len())).collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut placed: Vec<(Span, usize, usize)> = Vec::with_capacity(sorted.len());
    let mut shift: i64 = 0;
    for (span, written) in sorted {
        placed.push((span, (i64::from(span.start) + shift) as usize, written));
        shift += written as i64 - span.len() as i64;
    }
    let mut out: Vec<Change> = values
        .filter_map(|(class, span)| {
            let key = (span.start, span.end);
            let i = placed
                .binary_search_by_key(&key, |(s, _, _)| (s.start, s.end))
                .ok()?;
            let (_, start, written) = placed[i];
            Some(Change {
                class,
                input: span,
                output: Span::new(start, start + written),
            })
        })
        .collect();
    out.sort_by_key(|c| (c.input.start, c.input.end));
    out
}

/// Why nothing was redacted. Messages never contain personal values.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RedactError {
    /// `hash` was asked for without a key.
    MissingKey,
    /// The method name is not a known Qimen method.
    UnknownMethod(String),
    /// The document could not be decoded (broken XML or JSON, not UTF-8, unknown root, a
    /// method or wdt API that cannot be told from the shape, a limit).
    Decode(Failure),
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
            // What was found is left out: it could be part of a personal value.
            RedactError::Decode(failure) => write!(f, "cannot redact: {}", failure.masked()),
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

impl RedactError {
    /// The error in Chinese; like the English, it quotes nothing found in the input.
    pub fn zh(&self) -> String {
        match self {
            RedactError::MissingKey => "`hash` 策略需要密钥（请用 `--key-env VAR` 给出）".into(),
            RedactError::UnknownMethod(m) => format!("未知的方法 `{m}`"),
            RedactError::Decode(failure) => format!("无法脱敏：{}", failure.masked_zh()),
            RedactError::Form(e) => format!("无法脱敏：表单格式有误：{}", e.zh()),
            RedactError::Http(e) => format!(
                "无法脱敏：{}（第 {} 字节处）",
                e.message_zh.split("，实际").next().unwrap_or_default(),
                e.offset
            ),
            RedactError::Unsafe { path, reason } => {
                format!("无法安全地脱敏 `{path}`：{}", reason_zh(reason))
            }
            RedactError::Rewrite(e) => format!("无法脱敏：{}", e.zh()),
            RedactError::InRequest { index, line, error } => {
                format!("第 {index} 条请求（第 {line} 行）：{}", error.zh())
            }
        }
    }
}

/// A note of [`Redacted::notes`] in Chinese. Every note is one of the few sentences the
/// redactors write (a `sign` that no longer matches, after the request it is about in a file
/// of several), so it is read back into its parts and said again; none quotes the input.
pub fn note_zh(note: &str) -> String {
    if let Some(rest) = note.strip_prefix("request ") {
        if let Some((head, inner)) = rest.split_once("): ") {
            if let Some((index, line)) = head.split_once(" (line ") {
                return format!("第 {index} 条请求（第 {line} 行）：{}", note_zh(inner));
            }
        }
    }
    let signs = note
        .strip_prefix("the request's `")
        .and_then(|r| r.split_once("` was computed over the original "))
        .filter(|(_, rest)| rest.ends_with("a redacted request is for logs, not for sending"));
    match signs {
        Some((names, _)) => format!(
            "请求里的 `{}` 是按原来的值算出的，脱敏后已对不上；脱敏后的请求只用于日志，不能发送",
            names.replace("` and `", "` 和 `")
        ),
        None => note.to_string(),
    }
}

/// Why a personal value cannot be located, in Chinese.
fn reason_zh(reason: &str) -> &'static str {
    match reason {
        "the personal field holds child elements instead of text" => {
            "个人信息字段里是子元素，而不是文本"
        }
        "the personal field holds an object or an array instead of a value" => {
            "个人信息字段里是对象或数组，而不是一个值"
        }
        "the element is repeated; receivers disagree on which copy counts, so its personal values cannot be located reliably" => {
            "元素重复出现；各接收方认哪一份不一致，因此无法可靠地找出其中的个人信息"
        }
        "the key is repeated; receivers disagree on which copy counts, so its personal values cannot be located reliably" => {
            "键重复出现；各接收方认哪一份不一致，因此无法可靠地找出其中的个人信息"
        }
        "a personal value could not be mapped back into the form" => {
            "有个人信息无法对应回表单里的位置"
        }
        "the request is not a wdt call" => "这条请求不是旺店通的调用",
        "the form body is not UTF-8" => "表单正文不是 UTF-8",
        _ => "无法可靠地找出其中的个人信息",
    }
}

impl std::error::Error for RedactError {}

impl From<crate::privacy::collect::Refusal> for RedactError {
    fn from(r: crate::privacy::collect::Refusal) -> RedactError {
        RedactError::Unsafe {
            path: r.path,
            reason: r.reason,
        }
    }
}

/// Applies `edits` to `input` (and a `Content-Length` fix when asked: the header's value span
/// and the body's span) and reports the changes, for every protocol's front end; `text` is
/// `input` itself when it is already known to be UTF-8.
pub(crate) fn finish(
    input: &[u8],
    text: Option<&str>,
    mut edits: Vec<(Privacy, Edit)>,
    method: Option<&'static str>,
    protocol: &'static str,
    notes: Vec<String>,
    content_length: Option<(Span, Span)>,
) -> Result<Redacted, RedactError> {
    edits.sort_by_key(|(_, e)| (e.span.start, e.span.end));
    let values = edits.len();
    // Each new value in its span's escaping, escaped once for the output and the changes.
    let mut all: Vec<(Span, String)> = edits
        .iter()
        .map(|(_, e)| (e.span, e.escaping.escape(&e.value)))
        .collect();
    if let Some((header, body)) = content_length {
        let mut len = body.len() as i64;
        for (span, written) in &all {
            if span.start >= body.start && span.end <= body.end {
                len += written.len() as i64 - span.len() as i64;
            }
        }
        if len != body.len() as i64 {
            all.push((header, Escaping::FormComponent.escape(&len.to_string())));
        }
    }
    let text = match text {
        Some(text) => Some(text),
        None => std::str::from_utf8(input).ok(),
    };
    let output = rewrite::apply_written(input, text, &all).map_err(RedactError::Rewrite)?;
    let changes = changes(edits.iter().map(|(c, e)| (*c, e.span)), &all);
    Ok(Redacted {
        output,
        values,
        method,
        protocol,
        notes,
        changes,
    })
}

/// The edit that rewrites a personal value found in a JSON body: a string's content in the
/// string's escaping, a bare number as a JSON string.
pub(crate) fn json_edit(found: &Found, apply: Apply<'_>) -> (Privacy, Edit) {
    let edit = Edit {
        span: found.span,
        value: apply(found.class, &found.value, found.max_chars),
        escaping: json_escaping(found),
    };
    (found.class, edit)
}

/// How a new value is written over a personal value found in JSON: as a string's content, or,
/// over a bare number, as a whole JSON string.
pub(crate) fn json_escaping(found: &Found) -> Escaping {
    if found.number {
        Escaping::JsonValue
    } else {
        Escaping::JsonString
    }
}

#[cfg(test)]
mod zh_tests {
    #[test]
    fn every_note_has_its_chinese() {
        for note in [
            "the request's `sign` was computed over the original body and no longer matches; a redacted request is for logs, not for sending",
            "request 2 (line 14): the request's `sign` and `wdt_sign` was computed over the original values and no longer matches; a redacted request is for logs, not for sending",
        ] {
            let zh = super::note_zh(note);
            assert!(zh.contains("脱敏后已对不上") && !zh.contains("redacted"), "{zh}");
        }
        assert!(super::note_zh("request 2 (line 14): the request's `sign` was computed over the original values and no longer matches; a redacted request is for logs, not for sending")
            .starts_with("第 2 条请求（第 14 行）："));
    }
}
