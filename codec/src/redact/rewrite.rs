//! The rewrite engine: replace given spans of the original bytes and nothing else.
//!
//! A front end (Qimen XML here; wdt JSON and form bodies later) decodes a message, finds the
//! spans of personal values and their decoded values, and hands them over as [`Target`]s;
//! [`rewrite`] applies a [`Redactor`] to each value and writes the result back in the span's own
//! [`Escaping`]. Every byte outside the spans is copied unchanged.
//!
//! [`apply_edits`] is the lower level: it writes given new values without a policy. Nested
//! encodings use it, e.g. a wdt form body whose field holds JSON: rewrite the decoded JSON with
//! [`Escaping::JsonString`] targets, then put the new JSON back into the form with one
//! [`Escaping::FormComponent`] [`Edit`].
//!
//! Both refuse the whole job ([`RewriteError`]) when a span is out of range, not on a character
//! boundary, or overlaps another: never a partial output. Spans may come in any order; two empty
//! spans at the same place are allowed.

use super::Redactor;
use crate::privacy::Privacy;
use crate::wire::span::Span;
use std::fmt;

/// How the bytes of a span are written, and so how a new value must be escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    /// XML character data between a start and an end tag. The original may hold entities,
    /// character references, CDATA sections and comments; the new value is written as plain
    /// text with `&`, `<` and `>` escaped (a CDATA section becomes escaped text).
    Xml,
    /// The content of a JSON string, between (not including) its quotes. The new value is
    /// written with `"`, `\` and control characters escaped; other characters as UTF-8.
    JsonString,
    /// A whole JSON value that is not a string, e.g. a phone number written as a bare number
    /// (`13912345678`). The new value is written as a JSON string, quotes included
    /// (`"139****5678"`), escaped as for [`Escaping::JsonString`].
    JsonValue,
    /// One value of an `application/x-www-form-urlencoded` body or query, between `=` and the
    /// next `&`. The new value is percent-encoded as UTF-8; ASCII letters, digits and `*-._~`
    /// stay as they are, a space becomes `%20` (which every decoder reads as a space).
    FormComponent,
}

impl Escaping {
    /// `value` escaped for this kind of span.
    pub fn escape(self, value: &str) -> String {
        match self {
            Escaping::Xml => escape_xml(value),
            Escaping::JsonString => escape_json(value),
            Escaping::JsonValue => format!("\"{}\"", escape_json(value)),
            Escaping::FormComponent => encode_form(value),
        }
    }
}

/// One personal value to redact: where it is, its class, its decoded value, how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The bytes to replace (for XML: the element's raw content; for JSON: between the quotes;
    /// for forms: the percent-encoded value).
    pub span: Span,
    /// The class of personal data, which picks the masking rule and salts the hash.
    pub class: Privacy,
    /// The value as decoded (entities, escapes, percent-encoding resolved).
    pub value: String,
    /// How the span is written.
    pub escaping: Escaping,
}

/// One replacement with a known new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes to replace.
    pub span: Span,
    /// The new decoded value; it is escaped with `escaping` when written.
    pub value: String,
    /// How the span is written.
    pub escaping: Escaping,
}

/// Why a rewrite was refused. Messages name offsets, never contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewriteError {
    /// A span ends after the input or starts after it ends.
    OutOfRange {
        /// The span.
        span: Span,
        /// Length of the input.
        len: usize,
    },
    /// A span starts or ends inside a UTF-8 character.
    NotCharBoundary {
        /// The span.
        span: Span,
    },
    /// Two spans share bytes.
    Overlap {
        /// The earlier span.
        first: Span,
        /// The span that overlaps it.
        second: Span,
    },
}

impl fmt::Display for RewriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewriteError::OutOfRange { span, len } => write!(
                f,
                "expected a span within the {len}-byte input, found {}..{}",
                span.start, span.end
            ),
            RewriteError::NotCharBoundary { span } => write!(
                f,
                "span {}..{} does not start and end on character boundaries",
                span.start, span.end
            ),
            RewriteError::Overlap { first, second } => write!(
                f,
                "spans {}..{} and {}..{} overlap",
                first.start, first.end, second.start, second.end
            ),
        }
    }
}

impl RewriteError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            RewriteError::OutOfRange { span, len } => {
                format!("区间 {}..{} 超出了 {len} 字节的输入", span.start, span.end)
            }
            RewriteError::NotCharBoundary { span } => {
                format!("区间 {}..{} 的起止不在字符边界上", span.start, span.end)
            }
            RewriteError::Overlap { first, second } => format!(
                "区间 {}..{} 与 {}..{} 重叠",
                first.start, first.end, second.start, second.end
            ),
        }
    }
}

impl std::error::Error for RewriteError {}

/// Redacts every target of `original` with `redactor`; see the module docs.
///
/// The result differs from `original` only inside the targets' spans. A target whose redacted
/// value equals its value is still rewritten (normalising its escaping), so no raw form of a
/// personal value (say, a CDATA section) survives either.
pub fn rewrite(
    original: &[u8],
    targets: &[Target],
    redactor: &Redactor,
) -> Result<Vec<u8>, RewriteError> {
    let edits: Vec<Edit> = targets
        .iter()
        .map(|t| Edit {
            span: t.span,
            value: redactor.apply(t.class, &t.value),
            escaping: t.escaping,
        })
        .collect();
    apply_edits(original, &edits)
}

/// Writes every edit's value (escaped) over its span; everything else is copied.
pub fn apply_edits(original: &[u8], edits: &[Edit]) -> Result<Vec<u8>, RewriteError> {
    apply_checked(original, std::str::from_utf8(original).ok(), edits)
}

/// [`apply_edits`]; `text` is `original` as UTF-8 when it is, so that no edit may split a
/// character.
fn apply_checked(
    original: &[u8],
    text: Option<&str>,
    edits: &[Edit],
) -> Result<Vec<u8>, RewriteError> {
    let written: Vec<(Span, String)> = edits
        .iter()
        .map(|e| (e.span, e.escaping.escape(&e.value)))
        .collect();
    apply_written(original, text, &written)
}

/// Writes each `(span, bytes)` of `written` (new values already in their span's escaping) over
/// its span; everything else is copied. `text` is `original` as UTF-8 when it is, so that no
/// edit may split a character. The checks and errors of [`apply_edits`].
pub(crate) fn apply_written(
    original: &[u8],
    text: Option<&str>,
    written: &[(Span, String)],
) -> Result<Vec<u8>, RewriteError> {
    let mut order: Vec<&(Span, String)> = written.iter().collect();
    order.sort_by_key(|(span, _)| (span.start, span.end));
    let mut size = original.len();
    for (span, new) in &order {
        let span = *span;
        if span.start > span.end || span.end as usize > original.len() {
            return Err(RewriteError::OutOfRange {
                span,
                len: original.len(),
            });
        }
        if let Some(t) = text {
            if !t.is_char_boundary(span.start as usize) || !t.is_char_boundary(span.end as usize) {
                return Err(RewriteError::NotCharBoundary { span });
            }
        }
        size = (size + new.len()).saturating_sub(span.len());
    }
    for pair in order.windows(2) {
        let (a, b) = (pair[0].0, pair[1].0);
        if b.start < a.end {
            return Err(RewriteError::Overlap {
                first: a,
                second: b,
            });
        }
    }
    // The output's size is known: one allocation.
    let mut out = Vec::with_capacity(size);
    let mut at = 0;
    for (span, new) in order {
        out.extend_from_slice(&original[at..span.start as usize]);
        out.extend_from_slice(new.as_bytes());
        at = span.end as usize;
    }
    out.extend_from_slice(&original[at..]);
    Ok(out)
}

/// XML character data: `&`, `<` and `>` escaped (`>` too, so `]]>` cannot appear).
pub fn escape_xml(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    // The three characters are ASCII: copy the runs between them whole.
    for i in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
        out.push_str(&value[at..i]);
        out.push_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        at = i + 1;
    }
    out.push_str(&value[at..]);
    out
}

/// JSON string content: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`
/// (the JSON encoder's escaping, [`crate::wire::json_escape::escape_into`]).
pub fn escape_json(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    crate::wire::json_escape::escape_into(value, &mut out);
    out
}

/// A form value: UTF-8 bytes percent-encoded (uppercase hex) except ASCII letters, digits and
/// `*-._~`.
pub fn encode_form(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::params;

    fn edit(start: usize, end: usize, value: &str, escaping: Escaping) -> Edit {
        Edit {
            span: Span::new(start, end),
            value: value.into(),
            escaping,
        }
    }

    #[test]
    fn only_the_spans_change() {
        let src = "<a><n>&#x674E;四</n> <!-- c --> <m><![CDATA[x<y]]></m></a>";
        let n = src.find("&#x674E;").unwrap();
        let m = src.find("<![CDATA[").unwrap();
        let out = apply_edits(
            src.as_bytes(),
            &[
                // Given out of order on purpose.
                edit(m, m + "<![CDATA[x<y]]>".len(), "x<*", Escaping::Xml),
                edit(n, n + "&#x674E;四".len(), "李*", Escaping::Xml),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<a><n>李*</n> <!-- c --> <m>x&lt;*</m></a>"
        );
    }

    #[test]
    fn bad_spans_are_refused_whole() {
        let src = "abc中def".as_bytes();
        let e = apply_edits(src, &[edit(2, 20, "", Escaping::Xml)]).unwrap_err();
        assert!(matches!(e, RewriteError::OutOfRange { len: 9, .. }), "{e}");
        let e = apply_edits(src, &[edit(3, 2, "", Escaping::Xml)]).unwrap_err();
        assert!(matches!(e, RewriteError::OutOfRange { .. }));
        let e = apply_edits(src, &[edit(4, 6, "", Escaping::Xml)]).unwrap_err();
        assert_eq!(
            e,
            RewriteError::NotCharBoundary {
                span: Span::new(4, 6)
            }
        );
        let e = apply_edits(
            src,
            &[
                edit(0, 2, "x", Escaping::Xml),
                edit(1, 3, "y", Escaping::Xml),
            ],
        )
        .unwrap_err();
        assert!(matches!(e, RewriteError::Overlap { .. }), "{e}");
        assert_eq!(e.to_string(), "spans 0..2 and 1..3 overlap");
        // Adjacent and empty spans are fine.
        let out = apply_edits(
            src,
            &[
                edit(0, 1, "X", Escaping::Xml),
                edit(1, 1, "+", Escaping::Xml),
                edit(1, 2, "Y", Escaping::Xml),
            ],
        )
        .unwrap();
        assert_eq!(out, "X+Yc中def".as_bytes());
    }

    #[test]
    fn xml_escaping_round_trips() {
        let v = "李<四>&\"'";
        let escaped = escape_xml(v);
        assert_eq!(escaped, "李&lt;四&gt;&amp;\"'");
        assert_eq!(crate::wire::text::unescape(&escaped), v);
    }

    #[test]
    fn json_escaping_round_trips() {
        let v = "李\"四\\\n\t\u{1}/𠀀";
        let escaped = escape_json(v);
        assert_eq!(escaped, "李\\\"四\\\\\\n\\t\\u0001/𠀀");
        let back: String = serde_json::from_str(&format!("\"{escaped}\"")).unwrap();
        assert_eq!(back, v);
        let quoted = Escaping::JsonValue.escape(v);
        let back: String = serde_json::from_str(&quoted).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn form_encoding_round_trips() {
        let v = "李 四+&=%*.-_~{\"k\":1}";
        let encoded = encode_form(v);
        assert_eq!(
            encoded,
            "%E6%9D%8E%20%E5%9B%9B%2B%26%3D%25*.-_~%7B%22k%22%3A1%7D"
        );
        let query = format!("k={encoded}");
        let pairs = params::parse(&query).unwrap();
        assert_eq!(pairs[0].1, v);
    }

    #[test]
    fn rewrite_applies_the_policy_per_class() {
        let src = r#"{"receiver_name":"\u674e\u56db","receiver_mobile":"13912345678"}"#;
        let name = src.find(r"\u674e").unwrap();
        let mobile = src.find("13912345678").unwrap();
        let targets = [
            Target {
                span: Span::new(name, name + r"\u674e\u56db".len()),
                class: Privacy::Name,
                value: "李四".into(),
                escaping: Escaping::JsonString,
            },
            Target {
                span: Span::new(mobile, mobile + 11),
                class: Privacy::Phone,
                value: "13912345678".into(),
                escaping: Escaping::JsonString,
            },
        ];
        let out = rewrite(src.as_bytes(), &targets, &Redactor::mask()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"receiver_name":"李*","receiver_mobile":"139****5678"}"#
        );
    }

    /// The recipe the module docs give for a wdt form body whose `data` field holds JSON.
    #[test]
    fn json_inside_a_form_field() {
        let form = "method=trade_push&data=%7B%22receiver_name%22%3A%22%E6%9D%8E%E5%9B%9B%22%2C%22n%22%3A1%7D&sign=abc";
        let start = form.find("data=").unwrap() + "data=".len();
        let end = start + form[start..].find('&').unwrap();
        let pairs = params::parse(form).unwrap();
        let json = pairs
            .iter()
            .find(|(k, _)| k == "data")
            .unwrap()
            .1
            .to_string();
        assert_eq!(json, r#"{"receiver_name":"李四","n":1}"#);
        let name = json.find("李四").unwrap();
        let inner = rewrite(
            json.as_bytes(),
            &[Target {
                span: Span::new(name, name + "李四".len()),
                class: Privacy::Name,
                value: "李四".into(),
                escaping: Escaping::JsonString,
            }],
            &Redactor::mask(),
        )
        .unwrap();
        let out = apply_edits(
            form.as_bytes(),
            &[Edit {
                span: Span::new(start, end),
                value: String::from_utf8(inner).unwrap(),
                escaping: Escaping::FormComponent,
            }],
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("method=trade_push&data=") && out.ends_with("&sign=abc"));
        let back = params::parse(&out).unwrap();
        assert_eq!(back[1].1, r#"{"receiver_name":"李*","n":1}"#);
    }
}
