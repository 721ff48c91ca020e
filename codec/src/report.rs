//! What validation reports: issues with a stable rule id, a severity, a wire path and a span.

use crate::wire::span::Span;
use std::fmt;

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The message breaks the contract; the other side may reject it.
    Error,
    /// Suspicious but accepted (e.g. an element the contract does not define).
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Stable rule id, e.g. `enum` or `max-length` (see [`crate::validate::RULES`]).
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Wire path, e.g. `/request/orderLines/orderLine[2]/planQty` (1-based indexes).
    pub path: String,
    /// The offending bytes (the value; for a missing field, the parent's start tag).
    pub span: Span,
    /// What was expected and what was found. Never contains a personal value.
    pub message: String,
}
