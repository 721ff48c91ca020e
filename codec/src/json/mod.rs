//! wdt JSON: a zero-copy decoder that keeps the span of every value, the escaping rules, and
//! the encoder that writes a model back.
//!
//! serde_json cannot say where a value was, and every wdt diagnostic needs a line:column, so the
//! decoder is a small strict JSON reader (RFC 8259) of its own. Like the XML side it is lenient
//! about the contract (unknown keys, wrong value types and duplicate keys are kept for
//! validation) and strict about syntax and limits.

pub(crate) mod decode;
pub(crate) mod encode;
pub(crate) mod node;
