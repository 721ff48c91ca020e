//! Qimen (奇门) WMS: which message a document is (detect), decoding and linting a body (lint),
//! whole requests (request), and redaction (redact).

pub mod detect;
pub mod document;
pub(crate) mod lint;
pub(crate) mod redact;
pub(crate) mod request;

pub use document::{decode_qimen, QimenDocument};
