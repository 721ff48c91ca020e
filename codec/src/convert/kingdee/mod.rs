//! From wdt to 金蝶云星空: a user-owned mapping (TOML, [`mapping`]) turns the orders of a wdt
//! `stockin_order_query_refund` reply into a `BatchSave` request of sales-return bills
//! ([`build`]), and a 金蝶 reply back into the wdt order numbers ([`back`]).
//!
//! ```
//! use qmwire::convert::kingdee::{build, mapping::Mapping};
//! let mapping = Mapping::builtin("seed003").unwrap();
//! let wdt = r#"{"code":0,"stockin_list":[{"order_no":"RK001","status":80,"shop_no":"SHOP01",
//!   "warehouse_no":"WH01","stockin_time":"2024-05-01 10:00:00","logistics_no":"SF1","remark":"",
//!   "details_list":[{"spec_no":"SKU-1","num":"2.0000","tax_price":"59.9000","remark":""}]}]}"#;
//! let out = build::to_batch_save(wdt.as_bytes(), &mapping, &Default::default()).unwrap();
//! assert_eq!(out.bills[0].order_no, "RK001");
//! assert!(out.json.contains(r#""FStockId":{"FNumber":"CK001"}"#));
//! assert!(qmwire::lint(out.json.as_bytes(), &qmwire::Options::new()).is_valid());
//! ```

pub mod back;
pub mod build;
pub mod mapping;
