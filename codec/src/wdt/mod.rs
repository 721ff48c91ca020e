//! wdt (旺店通 企业版) business JSON: decoding the bodies of `trade_push` and friends, the
//! field rules through the generated tables, and the cross-field rules of wdt's documents
//! (exact money formulas, duplicate ids, per-buyer and per-batch limits).
//!
//! Inputs come in three shapes, all decoded without copying and all reported with JSON Pointer
//! paths into the business JSON:
//! - the bare business JSON: a `trade_list` array, or an object of business parameters;
//! - the form body as posted to `openapi2/<api>.php` (see [`form`]);
//! - the same form through Qimen's custom router (`method=wdt.trade.push` in the query).
//!
//! ```
//! let json = r#"[{"tid":"T1","trade_status":30,"pay_status":2,"delivery_term":1,
//!   "trade_time":"2024-05-01 10:00:00","receiver_name":"王五","receiver_address":"北京 北京市 海淀区 花园路1号",
//!   "post_amount":10,"paid":"409.01","order_list":[{"oid":"O1","num":1,"price":399,"status":30,
//!   "refund_status":0,"goods_id":"G1","spec_no":"S1","adjust_amount":0,"discount":0,"share_discount":0}]}]"#;
//! let report = qmwire::lint(json.as_bytes(), &qmwire::Options::new());
//! let rules: Vec<_> = report.issues.iter().map(|i| (i.rule, i.path.as_str())).collect();
//! assert_eq!(rules, [("wdt.paid", "/0/paid")]);
//! ```

pub(crate) mod detect;
pub mod document;
pub mod form;
pub(crate) mod lint;
pub(crate) mod redact;
pub mod request;
pub(crate) mod rules;

/// The exact decimal amounts of the money formulas, now shared with the Qimen rules; kept here
/// under its old name.
pub use crate::wire::money;
pub use document::{decode_wdt, WdtDocument};
pub use lint::issues;
