//! Qimen (奇门) WMS: which message a document is (detect), decoding and linting a body (lint),
//! whole requests (request), redaction (redact), and the cross-field rules of the contract
//! (rules, one file each).

pub mod detect;
pub mod document;
pub(crate) mod lint;
pub(crate) mod redact;
pub(crate) mod request;
pub(crate) mod rules;

pub use document::{decode_qimen, QimenDocument};
