//! wdt (旺店通) signs: 企业版 openapi2, 旗舰版, and 旗舰版 through Qimen (`wdt_sign`).
//!
//! **企业版 openapi2** ([`sign`]): every parameter except `sign`, sorted by name (byte order, as
//! PHP's `ksort`), each packed as `%02d-name:%04d-value` with the lengths counted in Unicode
//! characters (code points, PHP's `iconv_strlen`; not bytes, so `店铺1` is `0003`), joined with
//! `;`; the sign is `lower(hex(md5(packed + appsecret)))`. Longer lengths print with more
//! digits. Empty values are packed too (`0000-`), as the Java SDK does and as the server sees
//! them; better not to send them at all.
//!
//! **旗舰版** ([`sign_ultimate`]): the appsecret comes as `secret:salt` ([`split_appsecret`]); the
//! sign is `lower(hex(md5(secret + S + secret)))` where S is `name` + `value` over every query
//! parameter except `sign` plus `body` = the exact JSON body text, sorted by name (byte order).
//!
//! **旗舰版 via Qimen** ([`sign_qimen_custom`]): `wdt_sign` = `lower(hex(md5(secret + S +
//! secret)))`, where S canonicalises the business parameters plus `method` recursively: JSON
//! objects and arrays inside values are expanded (objects sorted by name, `null` dropped, numbers
//! in Java's plain form); see the function for the exact rules.

use super::canonical::{self, Failure};
use super::{cmp_utf16, hex, MASK};
use md5::{Digest, Md5};
use std::fmt;
use std::fmt::Write as _;

/// Why a wdt sign cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// A 旗舰版 appsecret without the `:` between secret and salt.
    SecretWithoutSalt,
    /// A JSON-valued parameter nests deeper than the canonicaliser accepts.
    JsonTooDeep {
        /// The parameter's name.
        param: String,
    },
    /// A JSON-valued parameter holds a number whose plain form is absurdly long (`1e999999`).
    NumberTooLong {
        /// The parameter's name.
        param: String,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::SecretWithoutSalt => {
                f.write_str("expected the 旗舰版 appsecret as `secret:salt`, found no `:`")
            }
            SignError::JsonTooDeep { param } => write!(
                f,
                "parameter `{param}` nests JSON deeper than {} levels",
                canonical::MAX_DEPTH
            ),
            SignError::NumberTooLong { param } => write!(
                f,
                "parameter `{param}` holds a number longer than {} digits when written out",
                canonical::MAX_NUMBER_CHARS
            ),
        }
    }
}

impl SignError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            SignError::SecretWithoutSalt => {
                "旗舰版的 appsecret 应写成 `secret:salt`，实际里面没有 `:`".into()
            }
            SignError::JsonTooDeep { param } => format!(
                "参数 `{param}` 的 JSON 嵌套超过 {} 层",
                canonical::MAX_DEPTH
            ),
            SignError::NumberTooLong { param } => format!(
                "参数 `{param}` 里有一个数字，写成普通形式后超过 {} 位",
                canonical::MAX_NUMBER_CHARS
            ),
        }
    }
}

impl std::error::Error for SignError {}

pub(crate) fn md5_hex_lower(pieces: &[&[u8]]) -> String {
    let mut md5 = Md5::new();
    for piece in pieces {
        md5.update(piece);
    }
    hex(&md5.finalize(), false)
}

/// The 企业版 packed string (see the module docs); `sign` is left out.
pub fn pack<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    pack_with(params, |s| s.chars().count(), false)
}

/// [`pack`] with another length measure and, optionally, empty values left out: the variants
/// that reproduce common client mistakes (byte or UTF-16 lengths, skipped empty params).
pub(crate) fn pack_with<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    len: fn(&str) -> usize,
    skip_empty: bool,
) -> String {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, v)| *k != "sign" && !(skip_empty && v.is_empty()))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::new();
    for (i, (k, v)) in kept.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{:02}-{k}:{:04}-{v}", len(k), len(v));
    }
    out
}

/// The 企业版 openapi2 sign: `lower(hex(md5(pack(params) + appsecret)))`.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)], appsecret: &[u8]) -> String {
    md5_hex_lower(&[pack(params).as_bytes(), appsecret])
}

/// What the 企业版 sign hashes, with the appsecret shown as `***`: `pack(params)` + `***`.
pub fn canonical_masked<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    format!("{}{MASK}", pack(params))
}

/// Splits a 旗舰版 appsecret `secret:salt` at its first `:` into `(secret, salt)`.
pub fn split_appsecret(appsecret: &[u8]) -> Result<(&[u8], &[u8]), SignError> {
    let colon = appsecret
        .iter()
        .position(|&b| b == b':')
        .ok_or(SignError::SecretWithoutSalt)?;
    Ok((&appsecret[..colon], &appsecret[colon + 1..]))
}

/// The 旗舰版 S: sorted `name` + `value` over the params (except `sign`) and `body`.
pub(crate) fn ultimate_string<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&str>,
) -> String {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| *k != "sign")
        .collect();
    if let Some(body) = body {
        kept.push(("body", body));
    }
    kept.sort_by(|a, b| a.0.cmp(b.0));
    kept.into_iter().flat_map(|(k, v)| [k, v]).collect()
}

/// The 旗舰版 sign: `lower(hex(md5(secret + S + secret)))` with S over the query params (except
/// `sign`) and `body` = the exact JSON body text. `secret` is the part before `:` of the
/// appsecret ([`split_appsecret`]); the salt travels as the `salt` param.
pub fn sign_ultimate<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&str>,
    secret: &[u8],
) -> String {
    md5_hex_lower(&[secret, ultimate_string(params, body).as_bytes(), secret])
}

/// What the 旗舰版 sign hashes, with the secret shown as `***`.
pub fn canonical_masked_ultimate<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&str>,
) -> String {
    format!("{MASK}{}{MASK}", ultimate_string(params, body))
}

/// Parameters that never take part in `wdt_sign`: the sign itself, the customer id, and the
/// TOP / Qimen system parameters (signed by the outer TOP sign instead), so that either the
/// business parameters alone or a whole request's parameters can be passed.
pub const QIMEN_CUSTOM_EXCLUDED: [&str; 12] = [
    "wdt_sign",
    "wdt3_customer_id",
    "sign",
    "app_key",
    "target_app_key",
    "sign_method",
    "timestamp",
    "format",
    "v",
    "session",
    "partner_id",
    "customerId",
];

/// The Qimen method name as `wdt_sign` signs it: a namespace prefix such as `3ldsmu02o9.` in
/// front of `wdt.` is dropped; surrounding whitespace is trimmed.
pub fn qimen_custom_method(method: &str) -> &str {
    let method = method.trim();
    if method.starts_with("wdt.") {
        return method;
    }
    match method.find(".wdt.") {
        Some(i) => &method[i + 1..],
        None => method,
    }
}

/// How a `wdt_sign` string is built: the right way ([`QimenCustomVariant::RIGHT`]) or with one of
/// the usual mistakes, for the diagnosis.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QimenCustomVariant {
    /// Sign the method name as given, namespace prefix included.
    pub keep_prefix: bool,
    /// Sign JSON values as their raw text instead of expanding them.
    pub raw_json: bool,
    /// A normally excluded parameter that is signed anyway.
    pub also_sign: Option<&'static str>,
}

impl QimenCustomVariant {
    /// The documented construction.
    pub(crate) const RIGHT: QimenCustomVariant = QimenCustomVariant {
        keep_prefix: false,
        raw_json: false,
        also_sign: None,
    };
}

/// S for `wdt_sign` (see [`sign_qimen_custom`]).
fn qimen_custom_string<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    method: &str,
) -> Result<String, SignError> {
    qimen_custom_string_with(params, method, QimenCustomVariant::RIGHT)
}

/// S for `wdt_sign`, built as `variant` says.
pub(crate) fn qimen_custom_string_with<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    method: &str,
    variant: QimenCustomVariant,
) -> Result<String, SignError> {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| {
            *k != "method" && (!QIMEN_CUSTOM_EXCLUDED.contains(k) || variant.also_sign == Some(*k))
        })
        .collect();
    let method = if variant.keep_prefix {
        method.trim()
    } else {
        qimen_custom_method(method)
    };
    kept.push(("method", method));
    kept.sort_by(|a, b| cmp_utf16(a.0, b.0));
    let mut out = String::new();
    for (k, v) in kept {
        out.push_str(k);
        if variant.raw_json {
            out.push_str(v);
            continue;
        }
        canonical::push_text(v, 0, &mut out).map_err(|f| {
            let param = k.to_string();
            match f {
                Failure::TooDeep => SignError::JsonTooDeep { param },
                Failure::NumberTooLong => SignError::NumberTooLong { param },
            }
        })?;
    }
    Ok(out)
}

/// The 旗舰版-via-Qimen `wdt_sign`: `lower(hex(md5(secret + S + secret)))`, `secret` being the
/// part of the wdt appsecret before `:`.
///
/// S: the parameters except [`QIMEN_CUSTOM_EXCLUDED`], plus `method` =
/// [`qimen_custom_method`]`(method)` (replacing any `method` param), sorted by name (UTF-16
/// order), each written as name + canonical value. A value that is a JSON object or array is
/// expanded recursively: object members sorted by name as name + value, array items in order
/// without names, `null` members and items left out, `true`/`false` as such, numbers as Java's
/// `BigDecimal.toPlainString` writes them (`1.50` stays `1.50`), strings as their text (expanded
/// again when they are JSON objects or arrays). Any other value is written as it is.
///
/// The TOP sign of the same request is computed afterwards, over everything including
/// `wdt_sign` ([`super::qimen::sign`]).
pub fn sign_qimen_custom<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    method: &str,
    secret: &[u8],
) -> Result<String, SignError> {
    let s = qimen_custom_string(params, method)?;
    Ok(md5_hex_lower(&[secret, s.as_bytes(), secret]))
}

/// What `wdt_sign` hashes, with the secret shown as `***`.
pub fn canonical_masked_qimen_custom<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    method: &str,
) -> Result<String, SignError> {
    Ok(format!(
        "{MASK}{}{MASK}",
        qimen_custom_string(params, method)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TV-WDT-1 base params (docs/protocol.md), in the order the guide lists them.
    fn wdt1() -> Vec<(&'static str, &'static str)> {
        vec![
            ("appkey", "test2-xx"),
            ("page_no", "0"),
            ("end_time", "2016-08-01 13:00:00"),
            ("start_time", "2016-08-01 12:00:00"),
            ("page_size", "40"),
            ("sid", "test2"),
            ("timestamp", "1470042310"),
        ]
    }

    #[test]
    fn tv_wdt_1_official() {
        let params = wdt1();
        assert_eq!(
            pack(&params),
            "06-appkey:0008-test2-xx;08-end_time:0019-2016-08-01 13:00:00;07-page_no:0001-0;09-page_size:0002-40;03-sid:0005-test2;10-start_time:0019-2016-08-01 12:00:00;09-timestamp:0010-1470042310"
        );
        assert_eq!(sign(&params, b"12345"), "ad4e6fe037ea6e3ba4768317be9d1309");
        let mut with_sign = params.clone();
        with_sign.push(("sign", "ad4e6fe037ea6e3ba4768317be9d1309"));
        assert_eq!(
            sign(&with_sign, b"12345"),
            "ad4e6fe037ea6e3ba4768317be9d1309"
        );
        assert!(canonical_masked(&params).ends_with("09-timestamp:0010-1470042310***"));
    }

    fn wdt2_base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("appkey", "test2-xx"),
            ("sid", "test2"),
            ("timestamp", "1470042310"),
        ]
    }

    #[test]
    fn tv_wdt_2_counts_characters_not_bytes() {
        let mut params = wdt2_base();
        params.push(("shop_no", "店铺1"));
        assert!(pack(&params).contains(";07-shop_no:0003-店铺1;"));
        assert_eq!(sign(&params, b"12345"), "086c38546b98d12684c8305ddefb96db");
        assert_ne!(sign(&params, b"12345"), "bb090c517b47d57247daf6a70776c205");
    }

    #[test]
    fn tv_wdt_3_astral_counts_code_points() {
        // The published values hold for the three base params plus `buyer_message` only
        // (without TV-WDT-2's `shop_no`).
        let mut params = wdt2_base();
        params.push(("buyer_message", "好评😀"));
        assert!(pack(&params).starts_with("06-appkey:0008-test2-xx;13-buyer_message:0003-好评😀;"));
        assert_eq!(sign(&params, b"12345"), "58e6816fc5e1aea00b7f6660855da85c");
        // Not the UTF-16 (0004) nor the byte (0010) reading.
        for wrong in [
            "5d905b5f82b362b1ffd89d2f575141c1",
            "2bd1dee16c0735d6b547cbdfc4775571",
        ] {
            assert_ne!(sign(&params, b"12345"), wrong);
        }
    }

    #[test]
    fn wide_lengths_print_wider_and_empty_values_pack_as_zero() {
        let long = "x".repeat(12_345);
        let params = [("a", long.as_str()), ("b", "")];
        let packed = pack(&params);
        assert!(packed.starts_with("01-a:12345-x"));
        assert!(packed.ends_with(";01-b:0000-"));
    }

    #[test]
    fn tv_qjb_1_ultimate() {
        let (secret, salt) = split_appsecret(b"secret:salt").unwrap();
        assert_eq!((secret, salt), (&b"secret"[..], &b"salt"[..]));
        let params = [
            ("sid", "wdtapi3"),
            ("key", "appkey"),
            ("salt", "salt"),
            ("method", "goods.Goods.queryWithSpec"),
            ("timestamp", "100"),
            ("v", "1.0"),
        ];
        let body = r#"[{"goods_no":"G001"}]"#;
        assert_eq!(
            canonical_masked_ultimate(&params, Some(body)),
            r#"***body[{"goods_no":"G001"}]keyappkeymethodgoods.Goods.queryWithSpecsaltsaltsidwdtapi3timestamp100v1.0***"#
        );
        assert_eq!(
            sign_ultimate(&params, Some(body), secret),
            "703b2c4b5b16565883e6b58d18e254a2"
        );
        assert_eq!(
            split_appsecret(b"no-salt"),
            Err(SignError::SecretWithoutSalt)
        );
        assert_eq!(split_appsecret(b"a:b:c").unwrap().1, b"b:c");
    }

    fn qm3() -> Vec<(&'static str, &'static str)> {
        vec![
            ("datetime", "2020-09-17 19:22:26"),
            ("wdt_salt", "salt"),
            ("wdt_appkey", "wdt_appkey"),
            ("pager", r#"{"page_no":1,"page_size":10}"#),
            (
                "params",
                r#"{"end_date":"2020-09-20 00:00:00","spec_no":null,"start_date":"2020-08-23 00:00:00","warehouse_no":"1001"}"#,
            ),
            ("wdt3_customer_id", "wdtapi3"),
        ]
    }

    const QM3_S: &str = "datetime2020-09-17 19:22:26methodwdt.wms.stockspec.querychangehistorypagerpage_no1page_size10paramsend_date2020-09-20 00:00:00start_date2020-08-23 00:00:00warehouse_no1001wdt_appkeywdt_appkeywdt_saltsalt";

    #[test]
    fn tv_qm3_1_wdt_sign() {
        let method = "wdt.wms.stockspec.querychangehistory";
        assert_eq!(
            canonical_masked_qimen_custom(&qm3(), method).unwrap(),
            format!("***{QM3_S}***")
        );
        assert_eq!(
            sign_qimen_custom(&qm3(), method, b"secret").unwrap(),
            "1f5e87bbbc8bc68f4f0af70f79620b7d"
        );
    }

    #[test]
    fn wdt_sign_ignores_system_params_and_namespace_prefix() {
        let mut params = qm3();
        params.extend([
            ("app_key", "12345678"),
            ("target_app_key", "21363512"),
            ("sign_method", "md5"),
            ("timestamp", "2020-09-17 19:22:26"),
            ("format", "json"),
            ("v", "2.0"),
            ("method", "ignored.in.favour.of.the.argument"),
            ("wdt_sign", "0123"),
            ("sign", "ABCD"),
        ]);
        assert_eq!(
            sign_qimen_custom(
                &params,
                " 3ldsmu02o9.wdt.wms.stockspec.querychangehistory",
                b"secret"
            )
            .unwrap(),
            "1f5e87bbbc8bc68f4f0af70f79620b7d"
        );
        assert_eq!(qimen_custom_method("wdt.a.b"), "wdt.a.b");
        assert_eq!(qimen_custom_method("other.method"), "other.method");
    }

    #[test]
    fn wdt_sign_errors_name_the_param() {
        let params = [("params", r#"{"n":1e99999999}"#)];
        let err = sign_qimen_custom(&params, "wdt.x", b"s").unwrap_err();
        assert_eq!(
            err,
            SignError::NumberTooLong {
                param: "params".into()
            }
        );
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        let err = sign_qimen_custom(&[("pager", deep.as_str())], "wdt.x", b"s").unwrap_err();
        assert_eq!(
            err.to_string(),
            "parameter `pager` nests JSON deeper than 128 levels"
        );
    }
}
