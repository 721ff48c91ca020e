//! Why an input could not be decoded.

use crate::report::{Issue, Severity};
use crate::wire::span::Span;
use std::fmt;

/// What went wrong while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The XML is not well formed.
    Syntax,
    /// The input is not UTF-8.
    Encoding,
    /// The document has a DTD (`<!DOCTYPE …>`); DTDs are always rejected.
    Dtd,
    /// An entity reference other than the five predefined ones or a character reference.
    Entity,
    /// Input size, nesting depth or list length went over a [`Limits`] value.
    Limit,
    /// The root element is not the one expected.
    Root,
}

/// A fatal decoding failure, with the byte offset where it was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<DecodeErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeErrorInner {
    kind: DecodeErrorKind,
    offset: usize,
    message: String,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize, message: impl Into<String>) -> Self {
        DecodeError(Box::new(DecodeErrorInner {
            kind,
            offset,
            message: message.into(),
        }))
    }

    /// The category of the failure.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// Byte offset in the input where the failure was detected.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What went wrong, in one lowercase sentence.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.0.message, self.0.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Checks that `bytes` are UTF-8 and returns them as text, or says where they are not.
pub fn utf8_input(bytes: &[u8]) -> Result<&str, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::new(
            DecodeErrorKind::Encoding,
            0,
            "input is UTF-16 (byte order mark found); Qimen and wdt messages must be UTF-8",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        DecodeError::new(
            DecodeErrorKind::Encoding,
            e.valid_up_to(),
            format!(
                "input is not valid UTF-8 at byte {}; Qimen and wdt messages must be UTF-8 (GBK text must be converted first)",
                e.valid_up_to()
            ),
        )
    })
}

/// Why a Qimen document could not be decoded into a body. Each maps to one error [`Issue`].
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
                rule: crate::rules::XML_SYNTAX,
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(e.offset(), e.offset()),
                message: e.message().to_string(),
            },
            Failure::Ambiguous { methods, root, at } => Issue {
                rule: crate::rules::METHOD,
                severity: Severity::Error,
                path: format!("/{root}"),
                span: Span::new(*at, *at),
                message: format!(
                    "cannot tell the method from the document: it fits {} equally well; pass --method",
                    methods.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")
                ),
            },
            Failure::BadRoot { found, expected, at } => Issue {
                rule: crate::rules::ROOT_ELEMENT,
                severity: Severity::Error,
                path: format!("/{found}"),
                span: Span::new(*at, *at),
                message: format!("expected root element {expected}, found `<{found}>`"),
            },
        }
    }
}

/// Why a wdt document could not be decoded into a body.
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
                rule: crate::rules::JSON_SYNTAX,
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(e.offset(), e.offset()),
                message: e.message().to_string(),
            },
            WdtFailure::Shape { message } => Issue {
                rule: crate::rules::METHOD,
                severity: Severity::Error,
                path: "/".into(),
                span: Span::default(),
                message: message.clone(),
            },
        }
    }
}
