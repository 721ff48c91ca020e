//! The whole lint pipeline for one message: route → decode → validate → report.

use crate::error::utf8_input;
use crate::error::DecodeError;
use crate::model::qimen::{BodyKind, QimenBody};
use crate::model::{FieldSpec, Item, List, Map, MethodSpec, Node, Unknown, Visitor};
use crate::options::Limits;
use crate::privacy::plaintext;
pub use crate::privacy::plaintext::PrivacyCheck;
use crate::privacy::Privacy;
use crate::qimen::detect::{self, Route};
use crate::validate::{self, Issue, Severity};
use crate::wire::span::Span;
use crate::wire::text::Text;

/// A decoded Qimen document: the input, the body and how its kind was chosen.
#[derive(Debug)]
pub struct QimenDocument<'a> {
    /// The input text.
    pub input: &'a str,
    /// The decoded body.
    pub body: QimenBody<'a>,
    /// The method, when the body belongs to one (not for the generic envelopes).
    pub method: Option<&'static str>,
    /// Whether the kind was detected from the document's shape.
    pub detected: bool,
    /// Spans of attribute lists on decoded elements; the model does not keep attributes.
    pub attributes: Vec<Span>,
}

/// Why a document could not be decoded into a body. Each maps to one error [`Issue`].
#[derive(Debug, Clone)]
pub enum Failure {
    /// Broken XML, wrong encoding, a DTD, or a limit.
    Decode(DecodeError),
    /// Several messages fit the shape.
    Ambiguous {
        /// The methods that fit equally well.
        methods: Vec<&'static str>,
        /// The root element (`request` or `response`).
        root: &'static str,
        /// Where the root element starts.
        at: usize,
    },
    /// The root element is not a Qimen body.
    BadRoot {
        /// Root name found.
        found: String,
        /// What was expected.
        expected: &'static str,
        /// Where the root element starts.
        at: usize,
    },
}

impl Failure {
    /// The failure as a report issue.
    pub fn to_issue(&self) -> Issue {
        match self {
            Failure::Decode(e) => Issue {
                rule: "xml-syntax",
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(e.offset(), e.offset()),
                message: e.message().to_string(),
            },
            Failure::Ambiguous { methods, root, at } => Issue {
                rule: "method",
                severity: Severity::Error,
                path: format!("/{root}"),
                span: Span::new(*at, *at),
                message: format!(
                    "cannot tell the method from the document: it fits {} equally well; pass --method",
                    methods.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")
                ),
            },
            Failure::BadRoot { found, expected, at } => Issue {
                rule: "root-element",
                severity: Severity::Error,
                path: format!("/{found}"),
                span: Span::new(*at, *at),
                message: format!("expected root element {expected}, found `<{found}>`"),
            },
        }
    }
}

fn root_offset(input: &str) -> usize {
    // Best effort: the first `<` that opens an element (not `<?` or `<!`).
    input
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| !matches!(input.as_bytes().get(i + 1), Some(b'?' | b'!')))
        .unwrap_or(0)
}

/// Decodes `bytes` as a Qimen body, using `method` when given and the document's shape otherwise.
pub fn decode_qimen<'a>(
    bytes: &'a [u8],
    method: Option<&'static MethodSpec>,
    limits: &Limits,
) -> Result<QimenDocument<'a>, Failure> {
    let input = utf8_input(bytes).map_err(Failure::Decode)?;
    let route = detect::route(input, method, limits).map_err(Failure::Decode)?;
    let (kind, detected) = match route {
        Route::Body { kind, detected } => (kind, detected),
        Route::Ambiguous { methods, root } => {
            return Err(Failure::Ambiguous {
                methods,
                root,
                at: root_offset(input),
            })
        }
        Route::BadRoot { found, expected } => {
            return Err(Failure::BadRoot {
                found,
                expected,
                at: root_offset(input),
            })
        }
    };
    let mut attributes = Vec::new();
    let body = kind
        .decode_noting(input, limits, &mut attributes)
        .map_err(Failure::Decode)?;
    let method = kind.method().or(method.map(|m| m.method));
    Ok(QimenDocument {
        input,
        body,
        method,
        detected,
        attributes,
    })
}

/// The outcome of linting one message.
#[derive(Debug, Clone)]
pub struct Report {
    /// `qimen` or `wdt`.
    pub protocol: &'static str,
    /// Full method name, when known.
    pub method: Option<&'static str>,
    /// The body kind, when decoding got that far.
    pub body: Option<BodyKind>,
    /// Whether the method was detected from the document's shape.
    pub detected: bool,
    /// Every issue, in document order.
    pub issues: Vec<Issue>,
    /// Spans of personal values, so renderers can hide them when quoting source lines.
    /// `None` when the document could not be decoded (renderers must then hide all text).
    pub personal_spans: Option<Vec<Span>>,
}

impl Report {
    /// A Qimen report with nothing in it yet.
    pub fn empty() -> Report {
        Report {
            protocol: "qimen",
            method: None,
            body: None,
            detected: false,
            issues: Vec::new(),
            personal_spans: None,
        }
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .count()
    }

    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors() == 0
    }
}

/// Lints one Qimen message. `method` is a full or short method name; an unknown name is
/// reported as a `method` error. Plain-text personal data is checked with the default
/// [`PrivacyCheck`] (only receiver values next to an `oaid`).
pub fn lint_qimen(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    lint_qimen_with(bytes, method, limits, PrivacyCheck::default())
}

/// [`lint_qimen`] with a chosen strictness for rule `privacy.plaintext`.
pub fn lint_qimen_with(
    bytes: &[u8],
    method: Option<&str>,
    limits: &Limits,
    privacy: PrivacyCheck,
) -> Report {
    let mut report = Report::empty();
    let spec = match method.map(|m| (m, detect::method(m))) {
        Some((name, None)) => {
            report.issues.push(unknown_method("Qimen method", name));
            return report;
        }
        Some((_, found)) => found,
        None => None,
    };
    report.method = spec.map(|m| m.method);
    match decode_qimen(bytes, spec, limits) {
        Ok(doc) => {
            report.method = doc.method;
            report.body = Some(doc.body.kind());
            report.detected = doc.detected;
            report.issues = validate::issues(&doc.body);
            if let Some(issue) = declared_encoding(doc.input) {
                report.issues.insert(0, issue);
            }
            report.issues.extend(
                doc.attributes
                    .iter()
                    .map(|&span| attribute_issue(doc.input, span)),
            );
            report.issues.extend(plaintext::check(&doc.body, privacy));
            report.personal_spans = Some(personal_spans(&doc.body));
        }
        Err(failure) => report.issues.push(failure.to_issue()),
    }
    report
}

/// Redoes rule `privacy.plaintext` of a finished `report` of `body` with another strictness
/// (for reports built elsewhere, e.g. whole-request lint). Does nothing when the body was not
/// decoded.
pub fn recheck_privacy(report: &mut Report, body: &[u8], limits: &Limits, privacy: PrivacyCheck) {
    if report.body.is_none() {
        return;
    }
    let spec = report.method.and_then(detect::method);
    let Ok(doc) = decode_qimen(body, spec, limits) else {
        return;
    };
    report.issues.retain(|i| i.rule != plaintext::RULE);
    report.issues.extend(plaintext::check(&doc.body, privacy));
}

/// The `method` error for a method (or API) name no spec knows; `what` names the kind of name.
pub(crate) fn unknown_method(what: &str, name: &str) -> Issue {
    Issue {
        rule: "method",
        severity: Severity::Error,
        path: "/".into(),
        span: Span::default(),
        message: format!("unknown {what} `{name}`"),
    }
}

/// A warning when the XML declaration names a non-UTF-8 encoding over non-ASCII UTF-8 text.
fn declared_encoding(input: &str) -> Option<Issue> {
    let body = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let decl = &body[..body.strip_prefix("<?xml")?.find("?>")? + 5];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let name = &rest[1..rest[1..].find(quote)? + 1];
    let utf8 = name.eq_ignore_ascii_case("utf-8") || name.eq_ignore_ascii_case("utf8");
    if utf8 || input.is_ascii() {
        return None;
    }
    // `decl` is a prefix of `body`, which follows an optional byte order mark.
    let offset = input.len() - body.len() + at;
    Some(Issue {
        rule: "encoding",
        severity: Severity::Warning,
        path: "/".into(),
        span: Span::new(offset, offset + "encoding".len()),
        message: format!(
            "the XML declaration says `{name}`, but the bytes are UTF-8; a receiver that trusts the declaration will garble the text (declare `utf-8`)"
        ),
    })
}

/// The warning for attributes found on an element: the contract has none and the model drops
/// them, so they are reported rather than lost silently.
fn attribute_issue(input: &str, span: Span) -> Issue {
    let before = &input[..span.start as usize];
    let tag = &before[before.rfind('<').map_or(0, |i| i + 1)..];
    let element = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
    Issue {
        rule: "unknown-field",
        severity: Severity::Warning,
        path: format!("//{element}/@*"),
        span,
        message: format!(
            "attributes on `<{element}>` are not part of the Qimen contract; they are ignored and not written back by the encoder"
        ),
    }
}

/// Spans of every value of a personal-data field in `body`.
pub fn personal_spans(body: &QimenBody<'_>) -> Vec<Span> {
    personal_fields(body)
        .into_iter()
        .map(|(_, span)| span)
        .collect()
}

/// Every personal-data value in `body`: its class and where its raw text is.
pub fn personal_fields(body: &QimenBody<'_>) -> Vec<(Privacy, Span)> {
    let mut c = PersonalSpans::default();
    body.visit(&mut c);
    c.0
}

/// Collects the class and span of every personal value a model holds.
#[derive(Debug, Default)]
pub(crate) struct PersonalSpans(pub(crate) Vec<(Privacy, Span)>);

impl<'a> Visitor<'a> for PersonalSpans {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        if let (Some(class), Some(t)) = (field.privacy, value) {
            self.0.push((class, t.span()));
        }
    }
    fn node<T: Node<'a>>(&mut self, _: &'static FieldSpec, value: Option<&T>) {
        if let Some(n) = value {
            n.visit(self);
        }
    }
    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        if let (Some(list), crate::model::FieldKind::List(item)) = (value, field.kind) {
            for it in &list.items {
                it.accept(item, self);
            }
        }
    }
    fn map(&mut self, _: &'static FieldSpec, _: Option<&Map<'a>>) {}
    fn unknown(&mut self, _: &[Unknown<'a>]) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_encoding_is_checked_against_the_bytes() {
        let gbk = "\u{FEFF}<?xml version=\"1.0\" encoding='GBK'?><response><flag>success</flag><message>中</message></response>";
        let issue = declared_encoding(gbk).expect("a warning");
        assert_eq!(issue.rule, "encoding");
        assert_eq!(&gbk[issue.span.range()], "encoding");
        // ASCII-only text reads the same in any of these encodings; UTF-8 declarations are right.
        assert!(declared_encoding("<?xml version=\"1.0\" encoding=\"GBK\"?><response/>").is_none());
        assert!(declared_encoding("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>中</r>").is_none());
        assert!(declared_encoding("<r>中</r>").is_none());
    }
}
