//! qmwire: typed zero-copy models, validation and linting for the Qimen (奇门) WMS XML protocol
//! (and, later, wdt 旺店通 JSON).
//!
//! Every message is declared once as data in `codec/spec/`; `cargo xtask codegen` turns those
//! declarations into the models in [`model::qimen`]. Decoding borrows the input (no copies of
//! text), validation walks the model with the generated field tables, and every issue carries a
//! stable rule id, a wire path and a byte span that [`span::LineIndex`] turns into line:column.
//!
//! ```
//! let xml = r#"<request><actionType>add</actionType><warehouseCode>W1</warehouseCode>
//!   <ownerCode>O1</ownerCode><item><itemCode>SKU-1</itemCode><itemName>加湿器</itemName>
//!   <barCode>690000000001</barCode><itemType>ZC</itemType></item></request>"#;
//! let report = qmwire::qimen::lint::lint_qimen(xml.as_bytes(), Some("singleitem.synchronize"), &Default::default());
//! assert!(report.is_valid(), "{:?}", report.issues);
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod convert;
pub mod error;
pub mod front;
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
pub mod model;
pub mod options;
pub mod privacy;
pub mod qimen;
pub mod redact;
pub mod render;
pub mod report;
pub mod rules;
pub mod sign;
pub mod validate;
pub mod wdt;
pub mod wire;
pub mod xml;

pub use wire::span::{LineCol, LineIndex, Span};

/// The README's Rust examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
pub use validate::{Issue, Severity};
pub use wire::text::Text;
