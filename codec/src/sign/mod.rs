//! Signing Qimen (奇门) and wdt (旺店通) requests, over the bytes exactly as sent.
//!
//! - [`crate::wire::params`]: decode a URL query or form body into ordered pairs (strict percent-decoding,
//!   duplicate names rejected).
//! - [`qimen`]: TOP / Qimen `sign` with `sign_method` `md5`, `hmac` or `hmac-sha256`,
//!   uppercase hex, including the raw XML body.
//! - [`wdt`]: wdt 企业版 openapi2 `sign` (length-prefixed pairs, lowercase hex), 旗舰版 `sign`,
//!   and the 旗舰版-via-Qimen `wdt_sign` with its recursive JSON canonicalisation.
//! - [`verify`]: constant-time comparison of a computed and a received sign, with each
//!   algorithm's rule for hex case.
//! - [`diagnose`]: check a received sign and name the usual mistake that reproduces a
//!   mismatched one.
//!
//! Every signing function has a companion that returns the signed text with the secret shown as
//! `***`, so a sign mismatch can be explained without leaking the secret. Nothing here panics on
//! any input; what can be malformed (query strings, JSON-valued params, `secret:salt`) returns
//! an error instead.
//!
//! ```
//! use qmwire::sign::{qimen, wdt};
//! use qmwire::wire::params;
//!
//! let query = "app_key=12345678&fields=num_iid,title,nick,price,num&format=json\
//!              &method=taobao.item.seller.get&num_iid=11223344&session=test&sign_method=md5\
//!              &timestamp=2016-01-01+12%3A00%3A00&v=2.0";
//! let pairs = params::parse(query).unwrap();
//! let sign = qimen::sign(&pairs, None, b"helloworld", qimen::SignMethod::Md5);
//! assert_eq!(sign, "66987CB115214E59E6EC978214934FB8");
//!
//! let form = [("appkey", "test2-xx"), ("sid", "test2"), ("timestamp", "1470042310"),
//!             ("page_no", "0"), ("page_size", "40"),
//!             ("start_time", "2016-08-01 12:00:00"), ("end_time", "2016-08-01 13:00:00")];
//! assert_eq!(wdt::sign(&form, b"12345"), "ad4e6fe037ea6e3ba4768317be9d1309");
//! ```

mod canonical;
pub mod diagnose;
pub mod qimen;
pub mod verify;
pub mod wdt;

#[cfg(test)]
mod tests;

pub use crate::wire::params::{ParamError, ParamErrorKind};
pub use diagnose::{
    diagnose_qimen, diagnose_wdt, diagnose_wdt_qimen_custom, diagnose_wdt_ultimate, Cause,
    Diagnosis, UnsupportedSignMethod,
};
pub use qimen::SignMethod;
pub use verify::{signs_match, Algorithm, CaseRule};
pub use wdt::SignError;

use std::cmp::Ordering;

/// What stands for the secret in every explained (canonical) string.
pub const MASK: &str = "***";

/// Hex digits of `bytes`, uppercase or lowercase.
fn hex(bytes: &[u8], upper: bool) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    out
}

/// Java's `String.compareTo`: by UTF-16 code unit.
fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}
