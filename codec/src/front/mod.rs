//! The front door's machinery: linting and redacting any input shape.

pub(crate) mod lint;
pub(crate) mod redact;
