//! wdt lint: decode a body, run the field rules and the cross-field rules.

use crate::error::utf8_input;
use crate::error::DecodeError;
use crate::model::wdt::{self, WdtBody, WdtBodyKind, WDT_BODY_KINDS};
use crate::model::{Direction, WdtMethodSpec};
use crate::options::Limits;
use crate::qimen::lint::{PersonalSpans, Report};
use crate::validate::validator::{Mode, Sink, Validator};
use crate::validate::{Issue, Severity};
use crate::wire::span::Span;

/// A decoded wdt document.
#[derive(Debug)]
pub struct WdtDocument<'a> {
    /// The input text.
    pub input: &'a str,
    /// The decoded body.
    pub body: WdtBody<'a>,
    /// Whether the document was a bare array standing for the body's list field.
    pub bare: bool,
    /// Whether the kind was detected from the document's shape.
    pub detected: bool,
}

/// Why a document could not be decoded.
#[derive(Debug, Clone)]
pub enum WdtFailure {
    /// Broken JSON, wrong encoding, or a limit.
    Decode(DecodeError),
    /// The shape fits no known body, or several.
    Shape {
        /// What was wrong, in one sentence.
        message: String,
    },
}

impl WdtFailure {
    /// The failure as a report issue.
    pub fn to_issue(&self) -> Issue {
        match self {
            WdtFailure::Decode(e) => Issue {
                rule: "json-syntax",
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(e.offset(), e.offset()),
                message: e.message().to_string(),
            },
            WdtFailure::Shape { message } => Issue {
                rule: "method",
                severity: Severity::Error,
                path: "/".into(),
                span: Span::default(),
                message: message.clone(),
            },
        }
    }
}

/// Decodes `bytes` as a wdt body: as `method`'s request (or response, when the document looks
/// like one) when given, otherwise as whichever body the top-level keys fit.
pub fn decode_wdt<'a>(
    bytes: &'a [u8],
    method: Option<&'static WdtMethodSpec>,
    limits: &Limits,
) -> Result<WdtDocument<'a>, WdtFailure> {
    let input = utf8_input(bytes).map_err(WdtFailure::Decode)?;
    let (array, keys) =
        crate::json::decode::top_level_keys(input, limits).map_err(WdtFailure::Decode)?;
    let (kind, detected) = match method {
        Some(m) if !array && keys.iter().any(|k| k == "code") => (m.response, false),
        Some(m) => (m.request, false),
        None => (detect(array, &keys)?, true),
    };
    let body = kind.decode(input, limits).map_err(WdtFailure::Decode)?;
    let bare = kind.bare().is_some() && first_byte(input) == Some(b'[');
    Ok(WdtDocument {
        input,
        body,
        bare,
        detected,
    })
}

fn first_byte(input: &str) -> Option<u8> {
    input
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .bytes()
        .next()
}

/// Which body the document's keys fit best: the kind whose root (or, for an array, whose bare
/// list's items) shares the most keys with the document. Ties are refused, not guessed.
fn detect(array: bool, keys: &[std::borrow::Cow<'_, str>]) -> Result<WdtBodyKind, WdtFailure> {
    let mut scored: Vec<(usize, WdtBodyKind)> = WDT_BODY_KINDS
        .iter()
        .filter_map(|&k| {
            let spec = if array {
                let list = k.spec().field(k.bare()?)?;
                match list.kind {
                    crate::model::FieldKind::List(item) => match item.kind {
                        crate::model::FieldKind::Struct(s) => s,
                        _ => return None,
                    },
                    _ => return None,
                }
            } else {
                k.spec()
            };
            let hits = keys.iter().filter(|key| spec.field(key).is_some()).count();
            Some((hits, k))
        })
        .filter(|&(hits, _)| hits > 0)
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [] => Err(WdtFailure::Shape {
            message: format!(
                "cannot tell which wdt API this {} is for: none of its keys belongs to a known body; pass --method (`qmwire methods` lists them)",
                if array { "array" } else { "object" }
            ),
        }),
        [(best, kind), rest @ ..] if rest.first().is_none_or(|(n, _)| n < best) => Ok(*kind),
        [(best, _), ..] => {
            let names: Vec<String> = scored
                .iter()
                .filter(|(n, _)| n == best)
                .map(|(_, k)| {
                    let dir = match k.direction() {
                        Direction::Request => "request",
                        Direction::Response => "response",
                    };
                    format!("`{}` {dir}", k.method())
                })
                .collect();
            Err(WdtFailure::Shape {
                message: format!(
                    "cannot tell the wdt API from the document: it fits {} equally well; pass --method",
                    names.join(" and ")
                ),
            })
        }
    }
}

/// Field rules and cross-field rules over a decoded document, in document order.
pub fn issues(doc: &WdtDocument<'_>) -> Vec<Issue> {
    let mut sink = Sink::new(Mode::All);
    let bare = if doc.bare {
        doc.body.kind().bare()
    } else {
        None
    };
    let mut v = Validator::json(&mut sink, bare);
    doc.body.visit(&mut v);
    let mut issues = sink.issues;
    super::rules::check(doc, &mut issues);
    issues.sort_by_key(|i| i.span.start);
    issues
}

/// Lints one wdt business JSON document. `method` is any name of a wdt API (`trade_push`,
/// `trade_push.php`, `wdt.trade.push`); an unknown name is reported as a `method` error.
pub fn lint_wdt(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    let mut report = Report::empty();
    report.protocol = "wdt";
    let spec = match method.map(|m| (m, wdt::method(m))) {
        Some((name, None)) => {
            report
                .issues
                .push(crate::qimen::lint::unknown_method("wdt API", name));
            return report;
        }
        Some((_, found)) => found,
        None => None,
    };
    report.method = spec.map(|m| m.method);
    match decode_wdt(bytes, spec, limits) {
        Ok(doc) => {
            report.method = Some(doc.body.kind().method());
            report.detected = doc.detected;
            report.issues = issues(&doc);
            report.personal_spans = Some(personal_spans(&doc.body));
        }
        Err(failure) => report.issues.push(failure.to_issue()),
    }
    report
}

/// Spans of every personal value in `body`.
pub fn personal_spans(body: &WdtBody<'_>) -> Vec<Span> {
    personal_fields(body).into_iter().map(|(_, s)| s).collect()
}

/// Every personal value in `body`: its class and where its raw text is.
pub fn personal_fields(body: &WdtBody<'_>) -> Vec<(crate::privacy::Privacy, Span)> {
    let mut c = PersonalSpans::default();
    body.visit(&mut c);
    c.0
}

/// Whether `input` looks like JSON rather than XML or a form (first visible byte).
pub fn looks_like_json(input: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&input[..input.len().min(64)]);
    matches!(first_byte(&text), Some(b'{' | b'['))
}

/// Lints a form body as posted to `openapi2/<api>.php` or through Qimen's custom router: the
/// business parameters (system parameters are left to whole-request lint) with their
/// JSON-valued ones decoded. Positions point into `body`.
pub fn lint_wdt_form(body: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    let text = match utf8_input(body) {
        Ok(t) => t,
        Err(e) => {
            let mut report = Report::empty();
            report.protocol = "wdt";
            report.issues.push(WdtFailure::Decode(e).to_issue());
            return report;
        }
    };
    let root = method.and_then(wdt::method).map(|m| m.request.spec());
    let form = match super::form::FormJson::from_form(text.trim_end(), root) {
        Ok(f) => f,
        Err(e) => {
            let mut report = Report::empty();
            report.protocol = "wdt";
            report.method = method.and_then(wdt::method).map(|m| m.method);
            let (rule, path) = match &e.kind {
                crate::wire::params::ParamErrorKind::DuplicateKey(k) => {
                    ("duplicate-element", format!("/{k}"))
                }
                _ => ("json-syntax", "/".to_string()),
            };
            report.issues.push(Issue {
                rule,
                severity: Severity::Error,
                path,
                span: Span::new(e.offset, e.offset),
                message: format!("the form body cannot be decoded: {e}"),
            });
            // Nothing was decoded: hide the whole body when quoting.
            report.personal_spans = Some(vec![Span::new(0, body.len())]);
            return report;
        }
    };
    let mut report = lint_wdt(form.json.as_bytes(), method, limits);
    for issue in &mut report.issues {
        issue.span = form.original_span(issue.span);
    }
    if let Some(spans) = &mut report.personal_spans {
        for s in spans.iter_mut() {
            *s = form.original_span(*s);
        }
    }
    report
}

/// Whether `input` looks like a form body (`key=value&…`) rather than JSON or XML.
pub fn looks_like_form(input: &[u8]) -> bool {
    let head = &input[..input.len().min(256)];
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    match first {
        Some(i) => {
            let rest = &head[i..];
            let key_end = rest.iter().position(|&b| b == b'=');
            key_end.is_some_and(|k| {
                k > 0
                    && rest[..k]
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'%' || b == b'.')
            })
        }
        None => false,
    }
}
