//! 金蝶云星空 (Kingdee K/3 Cloud) WebAPI bodies: the `Save`/`BatchSave` request of the
//! sales-return bill (`SAL_RETURNSTOCK`) and the reply, decoded into the generated models of
//! [`crate::model::kingdee`], checked by the same field rules as wdt JSON, then by the 金蝶 rules
//! rules (rule ids `kingdee.*`, one file per concern under `kingdee/rules/`).
//!
//! A request is `{"formid": …, "data": {…, "Model": …}}`; a reply is
//! `{"Result": {"ResponseStatus": …}}`. Both are told apart from wdt JSON by their keys, so
//! `qmwire lint` needs no flag; `Save` and `BatchSave` are told apart by whether `Model` is an
//! object or an array.
//!
//! ```
//! let json = r#"{"formid":"SAL_RETURNSTOCK","data":{"Model":[{
//!   "FBillTypeID":{"FNUMBER":"XSTHD01_SYS"},"FDate":"2024-05-01","FSaleOrgId":{"FNumber":"100"},
//!   "FRetcustId":"C001","FStockOrgId":{"FNumber":"106"},
//!   "SubHeadEntity":{"FSettleCurrId":{"FNumber":"PRE001"},"FSettleOrgId":{"FNumber":"100"}},
//!   "FEntity":[{"FMaterialId":{"FNumber":"M1"},"FRealQty":2,"FStockId":{"FNumber":"CK01"}}]}]}}"#;
//! let report = qmwire::lint(json.as_bytes(), &qmwire::Options::new());
//! assert_eq!(report.protocol, qmwire::Protocol::Kingdee);
//! assert_eq!(report.method, Some("BatchSave"));
//! let rules: Vec<_> = report.issues.iter().map(|i| (i.rule, i.path.as_str())).collect();
//! assert_eq!(rules, [("kingdee.base-data-object", "/data/Model/0/FRetcustId")]);
//! ```

pub(crate) mod detect;
pub mod document;
pub(crate) mod lint;
pub(crate) mod redact;
pub mod reply;
pub(crate) mod rules;

pub use document::{decode_kingdee, KingdeeDocument};
pub use lint::issues;

/// The bill fields that hold numbers (quantity, prices, tax rate, exchange rate): exact plain
/// decimals (rule `kingdee.decimal`).
pub const DECIMAL_FIELDS: &[&str] = &[
    "FRealQty",
    "FPrice",
    "FTaxPrice",
    "FEntryTaxRate",
    "FExchangeRate",
];
