//! Qimen (奇门) / TOP request signing, over the raw bytes as sent.
//!
//! The signed message is every parameter except `sign`, sorted by name, written as `key` +
//! `value` with no separators (values decoded, not URL-encoded), followed by the raw body when
//! there is one:
//!
//! | `sign_method` | sign |
//! |---|---|
//! | `md5` (default) | `UPPER(hex(md5(secret + message + secret)))` |
//! | `hmac` | `UPPER(hex(hmac_md5(key = secret, message)))` |
//! | `hmac-sha256` | `UPPER(hex(hmac_sha256(key = secret, message)))` (64 hex digits) |
//!
//! As in the official SDK (`TaobaoUtils.signTopRequest`), parameters with an empty name or an
//! empty value are left out. Names sort like Java's `Arrays.sort(String[])`, by UTF-16 code
//! unit; for the ASCII names TOP uses that is plain byte order (`A-Z` < `_` < `a-z`). The
//! `sign_method` parameter itself is signed like any other. Parameters are signed as given: pass
//! each name once ([`crate::wire::params::parse`] rejects duplicates).
//!
//! ```
//! use qmwire::sign::qimen::{sign, SignMethod};
//! let params = [
//!     ("app_key", "12345678"), ("fields", "num_iid,title,nick,price,num"), ("format", "json"),
//!     ("method", "taobao.item.seller.get"), ("num_iid", "11223344"), ("session", "test"),
//!     ("sign_method", "md5"), ("timestamp", "2016-01-01 12:00:00"), ("v", "2.0"),
//! ];
//! assert_eq!(sign(&params, None, b"helloworld", SignMethod::Md5), "66987CB115214E59E6EC978214934FB8");
//! ```

use super::{cmp_utf16, hex, MASK};
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use std::fmt;

/// The `sign_method` values TOP and Qimen accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignMethod {
    /// `md5`: the secret wraps the message. The default when `sign_method` is absent.
    #[default]
    Md5,
    /// `hmac`: HMAC-MD5 keyed with the secret.
    Hmac,
    /// `hmac-sha256`: HMAC-SHA256 keyed with the secret.
    HmacSha256,
}

impl SignMethod {
    /// Every method, in the order of the TOP documentation.
    pub const ALL: [SignMethod; 3] = [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256];

    /// The wire value: `md5`, `hmac` or `hmac-sha256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Md5 => "md5",
            SignMethod::Hmac => "hmac",
            SignMethod::HmacSha256 => "hmac-sha256",
        }
    }

    /// The method for a wire value (exact, lowercase as the SDKs send it), if it is one.
    pub fn from_wire(value: &str) -> Option<SignMethod> {
        SignMethod::ALL.into_iter().find(|m| m.as_str() == value)
    }

    /// Number of hex digits in a sign made with this method: 32, or 64 for `hmac-sha256`.
    pub fn sign_len(self) -> usize {
        match self {
            SignMethod::Md5 | SignMethod::Hmac => 32,
            SignMethod::HmacSha256 => 64,
        }
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a parameter takes part in the sign: not `sign`, and neither name nor value empty.
pub fn is_signed(key: &str, value: &str) -> bool {
    key != "sign" && !key.is_empty() && !value.is_empty()
}

/// The signed parameters, sorted by name (UTF-16 order, stable for equal names).
fn sorted<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Vec<(&str, &str)> {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, v)| is_signed(k, v))
        .collect();
    kept.sort_by(|a, b| cmp_utf16(a.0, b.0));
    kept
}

/// Feeds the message (sorted `key` + `value` pairs, then the body) to `sink`, piece by piece.
fn for_each_piece<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&[u8]>,
    mut sink: impl FnMut(&[u8]),
) {
    for (k, v) in sorted(params) {
        sink(k.as_bytes());
        sink(v.as_bytes());
    }
    if let Some(body) = body {
        sink(body);
    }
}

/// The message without the secret: sorted `key` + `value` pairs, then the body. This is exactly
/// what `hmac` and `hmac-sha256` sign; `md5` wraps it in the secret.
pub fn message<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)], body: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for_each_piece(params, body, |piece| out.extend_from_slice(piece));
    out
}

/// Signs `params` (and `body`, when present, byte for byte) with `secret`; uppercase hex.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&[u8]>,
    secret: &[u8],
    method: SignMethod,
) -> String {
    match method {
        SignMethod::Md5 => {
            let mut md5 = Md5::new();
            md5.update(secret);
            for_each_piece(params, body, |piece| md5.update(piece));
            md5.update(secret);
            hex(&md5.finalize(), true)
        }
        SignMethod::Hmac => {
            let mut mac = <Hmac<Md5> as KeyInit>::new_from_slice(secret)
                .expect("HMAC accepts keys of any length");
            for_each_piece(params, body, |piece| mac.update(piece));
            hex(&mac.finalize().into_bytes(), true)
        }
        SignMethod::HmacSha256 => {
            let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
                .expect("HMAC accepts keys of any length");
            for_each_piece(params, body, |piece| mac.update(piece));
            hex(&mac.finalize().into_bytes(), true)
        }
    }
}

/// The string that is hashed, for explaining a mismatch, with the secret shown as `***`:
/// `***` + message + `***` for `md5`, the bare message for the HMAC methods (there the secret is
/// the key, not part of the text). A body that is not UTF-8 is shown with `U+FFFD` for the bad
/// bytes; the sign itself always uses the raw bytes.
///
/// Only the secret's own positions are masked: a parameter value that happens to contain the
/// secret is shown as it is.
pub fn canonical_masked<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&[u8]>,
    method: SignMethod,
) -> String {
    let text = String::from_utf8_lossy(&message(params, body)).into_owned();
    match method {
        SignMethod::Md5 => format!("{MASK}{text}{MASK}"),
        SignMethod::Hmac | SignMethod::HmacSha256 => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TV-TOP-1 (docs/protocol.md): the official TOP example, without `sign_method`.
    fn top1(method: SignMethod) -> Vec<(&'static str, &'static str)> {
        vec![
            ("app_key", "12345678"),
            ("fields", "num_iid,title,nick,price,num"),
            ("format", "json"),
            ("method", "taobao.item.seller.get"),
            ("num_iid", "11223344"),
            ("session", "test"),
            ("sign_method", method.as_str()),
            ("timestamp", "2016-01-01 12:00:00"),
            ("v", "2.0"),
        ]
    }

    /// TV-QM-1 (docs/protocol.md): a Qimen WMS call with an XML body.
    fn qm1(method: SignMethod) -> Vec<(&'static str, &'static str)> {
        // Deliberately not in sorted order.
        vec![
            ("v", "2.0"),
            ("timestamp", "2016-07-06 12:00:00"),
            ("method", "taobao.qimen.deliveryorder.create"),
            ("sign_method", method.as_str()),
            ("format", "xml"),
            ("customerId", "c1001"),
            ("app_key", "12345678"),
        ]
    }

    const QM1_BODY: &[u8] = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode><orderType>JYCK</orderType></deliveryOrder></request>";

    #[test]
    fn tv_top_1_md5_official() {
        let params = top1(SignMethod::Md5);
        assert_eq!(
            message(&params, None),
            b"app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0"
        );
        assert_eq!(
            sign(&params, None, b"helloworld", SignMethod::Md5),
            "66987CB115214E59E6EC978214934FB8"
        );
    }

    #[test]
    fn tv_top_1_hmac_and_hmac_sha256() {
        assert_eq!(
            sign(
                &top1(SignMethod::Hmac),
                None,
                b"helloworld",
                SignMethod::Hmac
            ),
            "D56D7858309C31B6251083A874D48273"
        );
        assert_eq!(
            sign(
                &top1(SignMethod::HmacSha256),
                None,
                b"helloworld",
                SignMethod::HmacSha256
            ),
            "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8"
        );
    }

    #[test]
    fn hmac_md5_rfc_2202_case_1() {
        // RFC 4231 test case 1: {"Hi": " There"} signs "Hi There" with key 0x0b * 16.
        assert_eq!(
            sign(&[("Hi", " There")], None, &[0x0b; 16], SignMethod::Hmac),
            "9294727A3638BB1C13F48EF8158BFC9D"
        );
    }

    #[test]
    fn tv_qm_1_with_xml_body() {
        let secret = b"helloworld";
        let cases = [
            (SignMethod::Md5, "82F9F321443E0C326C1A9CF84C4DA8BA"),
            (SignMethod::Hmac, "F4908FD04676E4F300CAC7137A311330"),
            (
                SignMethod::HmacSha256,
                "2FB9D6BF6408D6D5392CCFD95CEE01927EB8B90E2D071AB4C7AD7FB660C1D2E6",
            ),
        ];
        for (method, expected) in cases {
            let got = sign(&qm1(method), Some(QM1_BODY), secret, method);
            assert_eq!(got, expected, "{method}");
            assert_eq!(got.len(), method.sign_len());
        }
        assert_eq!(
            sign(&qm1(SignMethod::Md5), None, secret, SignMethod::Md5),
            "078BB480AC6D55F5A0EE889A493020AA"
        );
    }

    #[test]
    fn tv_qm_custom_1_enterprise_via_qimen() {
        // docs/protocol.md: system + business params, no body, plain TOP md5.
        let params = [
            ("app_key", "12345678"),
            ("format", "json"),
            ("method", "wdt.trade.push"),
            ("sign_method", "md5"),
            ("target_app_key", "87654321"),
            ("timestamp", "2019-12-06 10:37:00"),
            ("v", "2.0"),
            ("sid", "wdt2"),
            ("shop_no", "api_test"),
            ("switch", "0"),
            ("trade_list", r#"[{"tid":"T1","buyer_nick":"张三"}]"#),
        ];
        assert_eq!(
            String::from_utf8(message(&params, None)).unwrap(),
            r#"app_key12345678formatjsonmethodwdt.trade.pushshop_noapi_testsidwdt2sign_methodmd5switch0target_app_key87654321timestamp2019-12-06 10:37:00trade_list[{"tid":"T1","buyer_nick":"张三"}]v2.0"#
        );
        assert_eq!(
            sign(&params, None, b"helloworld", SignMethod::Md5),
            "E17DA04BB04802018C03DB6A20CC7B75"
        );
    }

    #[test]
    fn sign_and_empty_values_are_skipped() {
        let base = top1(SignMethod::Md5);
        let expected = sign(&base, None, b"helloworld", SignMethod::Md5);
        let mut more = base.clone();
        more.push(("sign", "66987CB115214E59E6EC978214934FB8"));
        more.push(("partner_id", ""));
        more.push(("", "orphan"));
        assert_eq!(sign(&more, None, b"helloworld", SignMethod::Md5), expected);
    }

    #[test]
    fn names_sort_by_utf16_code_unit_case_sensitively() {
        let params = [("b", "2"), ("_", "u"), ("B", "1"), ("a", "0")];
        assert_eq!(message(&params, None), b"B1_ua0b2");
        // U+FF21 (BMP) sorts after U+1F600 (a surrogate pair, 0xD83D...) in UTF-16, as in Java,
        // although its UTF-8 bytes sort first.
        let params = [("\u{FF21}", "x"), ("\u{1F600}", "y")];
        assert_eq!(
            String::from_utf8(message(&params, None)).unwrap(),
            "\u{1F600}y\u{FF21}x"
        );
    }

    #[test]
    fn canonical_string_masks_the_secret() {
        let params = top1(SignMethod::Md5);
        let text = canonical_masked(&params, None, SignMethod::Md5);
        assert!(text.starts_with("***app_key12345678"));
        assert!(text.ends_with("v2.0***"));
        assert!(!text.contains("helloworld"));
        let text = canonical_masked(&qm1(SignMethod::Hmac), Some(QM1_BODY), SignMethod::Hmac);
        assert!(text.starts_with("app_key12345678customerIdc1001"));
        assert!(text.ends_with("</request>"));
        let lossy = canonical_masked(&[("a", "1")], Some(&[0xff, b'x']), SignMethod::Md5);
        assert_eq!(lossy, "***a1\u{FFFD}x***");
    }

    #[test]
    fn sign_method_wire_values() {
        for m in SignMethod::ALL {
            assert_eq!(SignMethod::from_wire(m.as_str()), Some(m));
        }
        assert_eq!(SignMethod::from_wire("MD5"), None);
        assert_eq!(SignMethod::from_wire("sha1"), None);
        assert_eq!(SignMethod::default(), SignMethod::Md5);
    }
}
