//! Converting between the wdt (旺店通) 企业版 standard openapi2 API and the same APIs called as
//! Qimen (奇门) custom APIs (奇门自定义), both ways.
//!
//! - [`methods`]: the 54 APIs offered on both sides and their names (`trade_push.php` ⇔
//!   `wdt.trade.push`), with the two exceptions to the naming rule.
//! - [`request`]: a whole HTTP request from one side to the other: URL, system parameters,
//!   timestamp format, business parameters byte for byte, and a fresh sign when a secret is
//!   given.
//! - [`response`]: reply envelopes (`{"code":0,…}` ⇔ `{"response":{…}}`, plus TOP's
//!   `error_response`) read into one typed [`response::Outcome`] and written out for either side.
//! - [`kingdee`]: wdt refund stock-in orders into 金蝶云星空 sales-return bills, through a
//!   user-owned mapping, and 金蝶's reply back onto the wdt orders.

pub mod kingdee;
pub use crate::model::wdt::names as methods;
pub mod request;
pub mod response;
