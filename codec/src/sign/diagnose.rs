//! Checking a received sign and, when it does not match, finding the usual mistake that
//! reproduces it.
//!
//! [`diagnose_qimen`] and [`diagnose_wdt`] compute the expected sign of the request as it was
//! received, compare it with the received sign in constant time ([`super::signs_match`]), and on
//! a mismatch re-sign the request with one well-known mistake applied at a time. The first
//! mistake whose sign equals the received one is reported as a [`Cause`], whose `Display` is a
//! sentence saying what the sender probably did and how to fix it. When no mistake reproduces
//! the sign, `cause` is `None` (wrong secret, or a change this module does not know).
//!
//! Nothing here ever puts the secret into a [`Diagnosis`] or a sentence, and the public form of
//! a [`Diagnosis`] (what may answer a sender) never holds the expected sign.
//!
//! ```
//! use qmwire::sign::diagnose::{diagnose_qimen, Cause};
//! use qmwire::wire::params;
//!
//! let pairs = params::parse("a=1&sign_method=md5&timestamp=2016-01-01+12%3A00%3A00").unwrap();
//! let good = diagnose_qimen(&pairs, None, b"helloworld", "x").unwrap();
//! let good = good.expected_sign_for_operator();
//! let d = diagnose_qimen(&pairs, None, b"helloworld", &good.to_ascii_lowercase()).unwrap();
//! assert!(!d.matches);
//! assert_eq!(d.cause, Some(Cause::LowercaseHex));
//! ```

use super::qimen::{self, SignMethod};
use super::verify::{signs_match, Algorithm};
use super::wdt::{QimenCustomVariant, SignError};
use super::{cmp_utf16, hex, wdt};
use crate::wire::{params, timestamp};
use md5::{Digest, Md5};
use std::cmp::Ordering;
use std::fmt;

/// The outcome of checking a received sign.
///
/// Its public form ([`fmt::Display`], [`fmt::Debug`], [`serde::Serialize`]) says whether the
/// sign matches and which known mistake reproduces it, and never holds the expected sign: a
/// receiver may hand it back to a sender as it is. The expected sign would let the sender sign
/// any body without the secret, so it is only reachable through
/// [`Diagnosis::expected_sign_for_operator`], for the operator's own eyes.
///
/// ```
/// use qmwire::sign::diagnose_wdt;
///
/// let form = [("appkey", "test2-xx"), ("sid", "test2"), ("timestamp", "1470042310")];
/// let d = diagnose_wdt(&form, b"12345", "0123456789abcdef0123456789abcdef");
/// assert!(!d.matches);
/// let answer = d.to_string();
/// assert!(!answer.contains(d.expected_sign_for_operator()));
/// assert!(!format!("{d:?}").contains(d.expected_sign_for_operator()));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Whether the received sign matches the expected one (under the algorithm's case rule).
    pub matches: bool,
    /// On a mismatch, the first known mistake that reproduces the received sign. On a match,
    /// a note about an accepted but risky form ([`Cause::WdtUppercaseHex`]), if any.
    pub cause: Option<Cause>,
    /// The sign the request should carry: private, see
    /// [`Diagnosis::expected_sign_for_operator`].
    expected: String,
}

impl Diagnosis {
    /// The sign the request should carry. **For the operator only**: never put it in anything
    /// that answers a sender (an HTTP reply, an error message, a log the sender can read). With
    /// it, a sender holding no secret has a valid sign for the body it sent, so a receiver that
    /// returns it signs forged requests for anyone. `qmwire verify` prints it only with
    /// `--show-expected`, and `qmwire lint` never.
    pub fn expected_sign_for_operator(&self) -> &str {
        &self.expected
    }
}

impl Diagnosis {
    /// The `sign.mismatch` message for a mismatch of the received sign `received` (which the
    /// sender knows): the mistake, or that none is known. Never the expected sign.
    pub(crate) fn mismatch_message(&self, received: &str) -> String {
        match self.cause {
            Some(cause) => {
                format!("expected a sign that verifies with the secret, found `{received}`: {cause}")
            }
            None => format!(
                "expected a sign that verifies with the secret, found `{received}`; no known mistake reproduces it (wrong secret, or the request changed after signing)"
            ),
        }
    }

    /// [`Diagnosis::mismatch_message`] in Chinese.
    pub(crate) fn mismatch_message_zh(&self, received: &str) -> String {
        match self.cause {
            Some(cause) => format!("签名 `{received}` 用该密钥验证不通过：{}", cause.zh()),
            None => format!(
                "签名 `{received}` 用该密钥验证不通过；已知的常见错误都复现不出它（密钥不对，或签名后请求又被改过）"
            ),
        }
    }
}

impl fmt::Display for Diagnosis {
    /// `sign matches`, `sign matches (note: …)`, `sign does not match: <the mistake>`, or `sign
    /// does not match; no known mistake reproduces it (…)`. Never the expected sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.matches, &self.cause) {
            (true, None) => f.write_str("sign matches"),
            (true, Some(note)) => write!(f, "sign matches (note: {note})"),
            (false, Some(cause)) => write!(f, "sign does not match: {cause}"),
            (false, None) => f.write_str(
                "sign does not match; no known mistake reproduces it (wrong secret, or the \
                 request changed after signing)",
            ),
        }
    }
}

impl fmt::Debug for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnosis")
            .field("matches", &self.matches)
            .field("cause", &self.cause)
            .field("expected", &"<withheld>")
            .finish()
    }
}

impl serde::Serialize for Diagnosis {
    /// `{"matches": bool, "cause": sentence or null, "message": Display}`; no expected sign.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Diagnosis", 3)?;
        s.serialize_field("matches", &self.matches)?;
        s.serialize_field("cause", &self.cause.map(|c| c.to_string()))?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// A known signing mistake. `Display` gives the sentence for a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// Qimen: the hex digits are lowercase; receivers compare exactly against uppercase.
    LowercaseHex,
    /// Qimen: signed with another `sign_method` than the request declares.
    WrongSignMethod {
        /// The `sign_method` in the request (md5 when absent).
        declared: SignMethod,
        /// The method that reproduces the received sign.
        used: SignMethod,
    },
    /// Qimen md5: the secret only in front of the message.
    SecretOnlyAtStart,
    /// Qimen md5: the secret only after the message.
    SecretOnlyAtEnd,
    /// Qimen: the body was not part of the signed string.
    BodyLeftOut,
    /// Qimen: the signed body had an XML declaration the sent body lacks.
    XmlDeclarationAdded,
    /// Qimen: the sent body has an XML declaration the signed body lacked.
    XmlDeclarationDropped,
    /// Qimen: the signed body ended with a newline the sent body lacks.
    TrailingNewlineAdded,
    /// Qimen: the sent body ends with a newline the signed body lacked.
    TrailingNewlineRemoved,
    /// Qimen: the signed body had its leading and trailing whitespace trimmed.
    BodyTrimmed,
    /// Qimen: spaces in values were signed as `+` (the still form-encoded value).
    SpaceSignedAsPlus,
    /// Qimen: spaces in values were signed as `%20` (the still percent-encoded value).
    SpaceSignedAsPercent20,
    /// Qimen: whole values were signed URL-encoded (`%3A` for `:`, `+` for a space).
    ValuesSignedEncoded,
    /// Qimen: empty-valued parameters were signed (as `SpiUtils` on the receiving side does).
    EmptyParamsIncluded,
    /// Qimen: parameter names sorted ignoring case.
    KeysSortedCaseInsensitively,
    /// Qimen: a `sign` parameter (an empty placeholder) was part of the signed string.
    SignParamIncluded,
    /// wdt 企业版: lengths counted in UTF-8 bytes.
    WdtByteLengths,
    /// wdt 企业版: lengths counted in UTF-16 code units (Java `String.length()`).
    WdtUtf16Lengths,
    /// wdt 企业版: uppercase hex. Matches (case is ignored), reported as a note.
    WdtUppercaseHex,
    /// wdt 企业版: the appsecret in front of the packed string as well as after it.
    WdtSecretPrepended,
    /// wdt 企业版: empty-valued parameters left out of the packed string although sent.
    WdtEmptyParamsSkipped,
    /// wdt 旗舰版: the JSON body was not part of the signed string.
    WdtBodyLeftOut,
    /// wdt 旗舰版 / `wdt_sign`: signed with the whole `secret:salt` appsecret.
    WdtAppsecretNotSplit,
    /// wdt 旗舰版 / `wdt_sign`: the salt appended to the secret.
    WdtSaltAppended,
    /// wdt 旗舰版: the `salt` parameter left out of the signed string although sent.
    WdtSaltLeftOut,
    /// wdt 旗舰版: the signed timestamp is not the sent one: one of them is plain Unix seconds,
    /// the other offset by 1325347200.
    WdtTimestampNotOffset,
    /// `wdt_sign`: the method signed with its namespace prefix (`3ldsmu02o9.wdt.…`).
    WdtMethodPrefixSigned,
    /// `wdt_sign`: JSON-valued parameters signed as raw text, not expanded.
    WdtJsonNotExpanded,
    /// `wdt_sign`: `target_app_key` signed too.
    WdtTargetAppKeySigned,
    /// `wdt_sign`: `wdt3_customer_id` signed too.
    WdtCustomerIdSigned,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::LowercaseHex => f.write_str(
                "the sign is lowercase hex; the sender probably hex-encoded the digest in \
                 lowercase; write it in uppercase, receivers compare it exactly",
            ),
            Cause::WrongSignMethod { declared, used } => write!(
                f,
                "the sender signed with {used} although the request declares \
                 sign_method={declared}; sign with the declared method (or declare the one used)"
            ),
            Cause::SecretOnlyAtStart => f.write_str(
                "the sender put the secret only in front of the signed string; md5 wraps it on \
                 both sides: secret + params + body + secret",
            ),
            Cause::SecretOnlyAtEnd => f.write_str(
                "the sender put the secret only at the end of the signed string; md5 wraps it on \
                 both sides: secret + params + body + secret",
            ),
            Cause::BodyLeftOut => f.write_str(
                "the sender left the body out of the signed string; append the raw body, byte \
                 for byte, after the sorted parameters",
            ),
            Cause::XmlDeclarationAdded => f.write_str(
                "the sender signed the body with an xml declaration that the sent body does not \
                 have (it was re-serialised after signing); sign exactly the bytes that are sent",
            ),
            Cause::XmlDeclarationDropped => f.write_str(
                "the sender signed the body without the xml declaration that the sent body \
                 starts with (it was re-serialised after signing); sign exactly the bytes that \
                 are sent",
            ),
            Cause::TrailingNewlineAdded => f.write_str(
                "the sender signed the body with a trailing newline that the sent body does not \
                 have; sign exactly the bytes that are sent",
            ),
            Cause::TrailingNewlineRemoved => f.write_str(
                "the sender signed the body without the trailing newline that the sent body ends \
                 with; sign exactly the bytes that are sent",
            ),
            Cause::BodyTrimmed => f.write_str(
                "the sender signed the body with its leading and trailing whitespace trimmed; \
                 sign exactly the bytes that are sent",
            ),
            Cause::SpaceSignedAsPlus => f.write_str(
                "the sender signed spaces in parameter values as `+`, i.e. the still-encoded \
                 value; sign the decoded value, with real spaces",
            ),
            Cause::SpaceSignedAsPercent20 => f.write_str(
                "the sender signed spaces in parameter values as `%20`, i.e. the still-encoded \
                 value; sign the decoded value, with real spaces",
            ),
            Cause::ValuesSignedEncoded => f.write_str(
                "the sender signed the url-encoded parameter values; sign the decoded values and \
                 encode only when building the query",
            ),
            Cause::EmptyParamsIncluded => f.write_str(
                "the sender signed the empty-valued parameters too (as the SpiUtils receiver \
                 does), while the TOP client skips them; do not send empty parameters at all",
            ),
            Cause::KeysSortedCaseInsensitively => f.write_str(
                "the sender sorted the parameter names ignoring case; sort them case-sensitively \
                 by code unit (`Z` < `_` < `a`)",
            ),
            Cause::SignParamIncluded => f.write_str(
                "the sender included the `sign` parameter itself (an empty placeholder) in the \
                 signed string; leave `sign` out when signing",
            ),
            Cause::WdtByteLengths => f.write_str(
                "the sender counted lengths in utf-8 bytes; count characters (`店铺1` is 0003, \
                 not 0007)",
            ),
            Cause::WdtUtf16Lengths => f.write_str(
                "the sender counted lengths in utf-16 code units (java `String.length()`), which \
                 differ for emoji; count characters (code points)",
            ),
            Cause::WdtUppercaseHex => f.write_str(
                "the sign is uppercase hex; it matches ignoring case, but the sdks send lowercase \
                 and whether the server accepts uppercase is not documented; send lowercase",
            ),
            Cause::WdtSecretPrepended => f.write_str(
                "the sender put the appsecret in front of the packed string as well; the 企业版 \
                 sign appends it only at the end: md5(packed + appsecret)",
            ),
            Cause::WdtEmptyParamsSkipped => f.write_str(
                "the sender left the empty-valued parameters out of the packed string (as the \
                 php sdk does) but sent them; do not send empty parameters, or pack them as \
                 `0000-`",
            ),
            Cause::WdtBodyLeftOut => f.write_str(
                "the sender left the json body out of the signed string; 旗舰版 signs it as a \
                 parameter named `body`, sorted with the others, byte for byte as sent",
            ),
            Cause::WdtAppsecretNotSplit => f.write_str(
                "the sender signed with the whole appsecret, salt and `:` included; sign with \
                 the part before `:` only (the part after it travels as the salt)",
            ),
            Cause::WdtSaltAppended => f.write_str(
                "the sender appended the salt to the secret when signing; the salt is only sent \
                 as a parameter, sign with the part of the appsecret before `:`",
            ),
            Cause::WdtSaltLeftOut => f.write_str(
                "the sender left the `salt` parameter out of the signed string but sent it; sign \
                 every query parameter except `sign`",
            ),
            Cause::WdtTimestampNotOffset => f.write_str(
                "the signed timestamp differs from the sent one by 1325347200 (one is plain unix \
                 seconds, the other offset); sign and send the same value, unix seconds − \
                 1325347200",
            ),
            Cause::WdtMethodPrefixSigned => f.write_str(
                "the sender signed the method with its namespace prefix; `wdt_sign` signs \
                 `wdt.…` without the `3ldsmu02o9.` part",
            ),
            Cause::WdtJsonNotExpanded => f.write_str(
                "the sender signed json-valued parameters as raw text; `wdt_sign` expands them \
                 (object members sorted by name as name + value, `null` dropped, array items in \
                 order)",
            ),
            Cause::WdtTargetAppKeySigned => f.write_str(
                "the sender signed `target_app_key` in `wdt_sign`; qmwire leaves it out (as the \
                 go port does); if the server accepts this form, only the ports disagree",
            ),
            Cause::WdtCustomerIdSigned => f.write_str(
                "the sender signed `wdt3_customer_id` in `wdt_sign`; leave it out of the signed \
                 string, it is sent only",
            ),
        }
    }
}

impl Cause {
    /// The mistake in Chinese, as `Display` words it in English.
    pub fn zh(&self) -> String {
        let s = match self {
            Cause::LowercaseHex => "签名是小写十六进制；发送方大概把摘要转成了小写。请用大写，接收方按原样比较",
            Cause::WrongSignMethod { declared, used } => {
                return format!(
                    "发送方用 {used} 签名，而请求声明的是 sign_method={declared}；请用声明的方法签名（或声明实际用的方法）"
                )
            }
            Cause::SecretOnlyAtStart => "发送方只把密钥放在待签名串的前面；md5 要两边都放：密钥 + 参数 + 正文 + 密钥",
            Cause::SecretOnlyAtEnd => "发送方只把密钥放在待签名串的后面；md5 要两边都放：密钥 + 参数 + 正文 + 密钥",
            Cause::BodyLeftOut => "发送方签名时漏了正文；应在排好序的参数后面逐字节接上原始正文",
            Cause::XmlDeclarationAdded => "发送方签名的正文带有 XML 声明，而发出的正文没有（签名后又重新序列化了）；请对实际发出的字节签名",
            Cause::XmlDeclarationDropped => "发送方签名的正文没有 XML 声明，而发出的正文以它开头（签名后又重新序列化了）；请对实际发出的字节签名",
            Cause::TrailingNewlineAdded => "发送方签名的正文末尾有换行，而发出的正文没有；请对实际发出的字节签名",
            Cause::TrailingNewlineRemoved => "发送方签名的正文末尾没有换行，而发出的正文有；请对实际发出的字节签名",
            Cause::BodyTrimmed => "发送方签名前把正文首尾的空白去掉了；请对实际发出的字节签名",
            Cause::SpaceSignedAsPlus => "发送方把参数值里的空格按 `+` 签名（即仍是编码后的值）；请对解码后的值签名，用真正的空格",
            Cause::SpaceSignedAsPercent20 => "发送方把参数值里的空格按 `%20` 签名（即仍是编码后的值）；请对解码后的值签名，用真正的空格",
            Cause::ValuesSignedEncoded => "发送方对 URL 编码后的参数值签名；请对解码后的值签名，只在拼查询串时编码",
            Cause::EmptyParamsIncluded => "发送方把空值参数也签了（接收方 SpiUtils 就是这么做的），而 TOP 客户端会跳过它们；干脆不要发送空参数",
            Cause::KeysSortedCaseInsensitively => "发送方排序参数名时忽略了大小写；应按码元区分大小写排序（`Z` < `_` < `a`）",
            Cause::SignParamIncluded => "发送方把 `sign` 参数本身（一个空占位）也放进了待签名串；签名时不要带 `sign`",
            Cause::WdtByteLengths => "发送方按 UTF-8 字节数计长度；应按字符数（`店铺1` 是 0003，不是 0007）",
            Cause::WdtUtf16Lengths => "发送方按 UTF-16 码元计长度（Java 的 `String.length()`），遇到 emoji 就不同；应按字符（码点）计",
            Cause::WdtUppercaseHex => "签名是大写十六进制；忽略大小写时是匹配的，但各 SDK 发的是小写，服务端是否接受大写没有文档说明；请发小写",
            Cause::WdtSecretPrepended => "发送方在拼接串前面也放了 appsecret；企业版签名只在末尾追加：md5(拼接串 + appsecret)",
            Cause::WdtEmptyParamsSkipped => "发送方拼接时漏掉了空值参数（PHP SDK 就是这样），却又发送了它们；不要发送空参数，或按 `0000-` 拼接",
            Cause::WdtBodyLeftOut => "发送方签名时漏了 JSON 正文；旗舰版把它当作名为 `body` 的参数，与其他参数一起排序，按发出的字节原样签名",
            Cause::WdtAppsecretNotSplit => "发送方用整个 appsecret（连同 salt 和 `:`）签名；应只用 `:` 前面的部分（后面的部分作为 salt 发送）",
            Cause::WdtSaltAppended => "发送方签名时把 salt 接在了密钥后面；salt 只作为参数发送，签名用 appsecret 中 `:` 前面的部分",
            Cause::WdtSaltLeftOut => "发送方签名时漏了 `salt` 参数，却又发送了它；除 `sign` 外的每个查询参数都要签",
            Cause::WdtTimestampNotOffset => "签名用的时间戳与发出的相差 1325347200（一个是普通 Unix 秒数，另一个减了偏移）；签名和发送要用同一个值：Unix 秒数 − 1325347200",
            Cause::WdtMethodPrefixSigned => "发送方签名时方法名带了命名空间前缀；`wdt_sign` 签的是不带 `3ldsmu02o9.` 的 `wdt.…`",
            Cause::WdtJsonNotExpanded => "发送方把 JSON 值的参数按原始文本签名；`wdt_sign` 会展开它们（对象成员按名称排序，写成名称 + 值，去掉 `null`，数组元素按顺序）",
            Cause::WdtTargetAppKeySigned => "发送方在 `wdt_sign` 中签了 `target_app_key`；qmwire 不签它（Go 移植版也不签）；如果服务端接受这种写法，只是各移植版不一致",
            Cause::WdtCustomerIdSigned => "发送方在 `wdt_sign` 中签了 `wdt3_customer_id`；它只发送，不参与签名",
        };
        s.to_string()
    }
}

/// A `sign_method` in the request that is not `md5`, `hmac` or `hmac-sha256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedSignMethod(pub String);

impl fmt::Display for UnsupportedSignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported `sign_method={}`; expected md5, hmac or hmac-sha256",
            self.0
        )
    }
}

impl UnsupportedSignMethod {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        format!(
            "不支持的 `sign_method={}`；应为 md5、hmac 或 hmac-sha256",
            self.0
        )
    }
}

impl std::error::Error for UnsupportedSignMethod {}

/// The `sign_method` a request declares: its `sign_method` parameter, md5 when absent.
pub fn declared_method<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
) -> Result<SignMethod, UnsupportedSignMethod> {
    match params.iter().find(|(k, _)| k.as_ref() == "sign_method") {
        None => Ok(SignMethod::Md5),
        Some((_, v)) => SignMethod::from_wire(v.as_ref())
            .ok_or_else(|| UnsupportedSignMethod(v.as_ref().into())),
    }
}

/// The value of the `sign` parameter, if the request has one.
pub fn received_sign<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Option<&str> {
    params
        .iter()
        .find(|(k, _)| k.as_ref() == "sign")
        .map(|(_, v)| v.as_ref())
}

/// A mistake made on every parameter value: its cause and the value as the sender signed it.
type ValueMistake = (Cause, fn(&str) -> String);

const NO_PARAMS: [(&str, &str); 0] = [];

/// The Qimen sign over an already built message (params + body), as [`qimen::sign`] would.
fn sign_message(message: &[u8], secret: &[u8], method: SignMethod) -> String {
    qimen::sign(&NO_PARAMS, Some(message), secret, method)
}

fn md5_upper(pieces: &[&[u8]]) -> String {
    let mut md5 = Md5::new();
    for piece in pieces {
        md5.update(piece);
    }
    hex(&md5.finalize(), true)
}

/// The message with explicit choices: which pairs, empty values kept or not, the name order.
fn custom_message(
    pairs: &[(&str, String)],
    body: Option<&[u8]>,
    keep_empty: bool,
    order: fn(&str, &str) -> Ordering,
) -> Vec<u8> {
    let mut kept: Vec<&(&str, String)> = pairs
        .iter()
        .filter(|(k, v)| !k.is_empty() && (keep_empty || !v.is_empty()))
        .collect();
    kept.sort_by(|a, b| order(a.0, b.0));
    let mut out = Vec::new();
    for (k, v) in kept {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    if let Some(body) = body {
        out.extend_from_slice(body);
    }
    out
}

fn cmp_lower(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .encode_utf16()
        .cmp(b.to_lowercase().encode_utf16())
}

fn cmp_upper(a: &str, b: &str) -> Ordering {
    a.to_uppercase()
        .encode_utf16()
        .cmp(b.to_uppercase().encode_utf16())
}

const XML_DECLARATIONS: [&[u8]; 2] = [
    b"<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
];

/// Bodies the sender may have signed instead of the one received, each with its cause.
fn body_variants(body: &[u8]) -> Vec<(Cause, Vec<u8>)> {
    let mut out = Vec::new();
    if !body.starts_with(b"<?xml") {
        for decl in XML_DECLARATIONS {
            for sep in [&b""[..], b"\n", b"\r\n"] {
                out.push((Cause::XmlDeclarationAdded, [decl, sep, body].concat()));
            }
        }
    } else if let Some(end) = body.windows(2).position(|w| w == b"?>") {
        let rest = &body[end + 2..];
        out.push((Cause::XmlDeclarationDropped, rest.to_vec()));
        out.push((Cause::XmlDeclarationDropped, trim_start(rest).to_vec()));
    }
    for nl in [&b"\n"[..], b"\r\n"] {
        out.push((Cause::TrailingNewlineAdded, [body, nl].concat()));
    }
    for nl in [&b"\r\n"[..], b"\n"] {
        if let Some(stripped) = body.strip_suffix(nl) {
            out.push((Cause::TrailingNewlineRemoved, stripped.to_vec()));
        }
    }
    let trimmed = trim_end(trim_start(body));
    if trimmed.len() != body.len() {
        out.push((Cause::BodyTrimmed, trimmed.to_vec()));
    }
    out
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    &b[..b.len() - n]
}

/// Checks the received Qimen / TOP `sign` of a request and explains a mismatch.
///
/// `params` are the request's decoded parameters as received (a `sign` among them is ignored),
/// `body` the raw body as received, `received` the sign to check. The method is the request's
/// `sign_method` ([`declared_method`]); an unsupported one is an error.
pub fn diagnose_qimen<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&[u8]>,
    secret: &[u8],
    received: &str,
) -> Result<Diagnosis, UnsupportedSignMethod> {
    let method = declared_method(params)?;
    let algorithm = Algorithm::Qimen(method);
    let expected = qimen::sign(params, body, secret, method);
    if signs_match(algorithm, &expected, received) {
        return Ok(Diagnosis {
            matches: true,
            cause: None,
            expected,
        });
    }
    let hits = |candidate: &str| signs_match(algorithm, candidate, received);
    let cause = qimen_cause(params, body, secret, method, received, hits);
    Ok(Diagnosis {
        matches: false,
        cause,
        expected,
    })
}

fn qimen_cause<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&[u8]>,
    secret: &[u8],
    method: SignMethod,
    received: &str,
    hits: impl Fn(&str) -> bool,
) -> Option<Cause> {
    let expected = qimen::sign(params, body, secret, method);
    if hits(&expected.to_ascii_lowercase()) {
        return Some(Cause::LowercaseHex);
    }
    for used in SignMethod::ALL {
        // A sign of another length is compared exactly too: equal only if it is that method's.
        if used != method
            && signs_match(
                Algorithm::Qimen(used),
                &qimen::sign(params, body, secret, used),
                received,
            )
        {
            return Some(Cause::WrongSignMethod {
                declared: method,
                used,
            });
        }
    }
    let message = qimen::message(params, body);
    if method == SignMethod::Md5 {
        if hits(&md5_upper(&[secret, &message])) {
            return Some(Cause::SecretOnlyAtStart);
        }
        if hits(&md5_upper(&[&message, secret])) {
            return Some(Cause::SecretOnlyAtEnd);
        }
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        if hits(&qimen::sign(params, None, secret, method)) {
            return Some(Cause::BodyLeftOut);
        }
        for (cause, variant) in body_variants(body) {
            if hits(&qimen::sign(params, Some(&variant), secret, method)) {
                return Some(cause);
            }
        }
    }
    let pairs: Vec<(&str, String)> = params
        .iter()
        .filter(|(k, _)| k.as_ref() != "sign")
        .map(|(k, v)| (k.as_ref(), v.as_ref().to_string()))
        .collect();
    let with_values = |cause: Cause, f: fn(&str) -> String| {
        let mapped: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (*k, f(v))).collect();
        (mapped != pairs && hits(&qimen::sign(&mapped, body, secret, method))).then_some(cause)
    };
    let value_mistakes: [ValueMistake; 3] = [
        (Cause::SpaceSignedAsPlus, |v| v.replace(' ', "+")),
        (Cause::SpaceSignedAsPercent20, |v| v.replace(' ', "%20")),
        (Cause::ValuesSignedEncoded, params::encode_component),
    ];
    for (cause, f) in value_mistakes {
        if let Some(cause) = with_values(cause, f) {
            return Some(cause);
        }
    }
    if pairs.iter().any(|(_, v)| v.is_empty())
        && hits(&sign_message(
            &custom_message(&pairs, body, true, cmp_utf16),
            secret,
            method,
        ))
    {
        return Some(Cause::EmptyParamsIncluded);
    }
    for order in [cmp_lower, cmp_upper] {
        let msg = custom_message(&pairs, body, false, order);
        if msg != message && hits(&sign_message(&msg, secret, method)) {
            return Some(Cause::KeysSortedCaseInsensitively);
        }
    }
    let mut with_sign = pairs.clone();
    with_sign.retain(|(_, v)| !v.is_empty());
    with_sign.push(("sign", String::new()));
    if hits(&sign_message(
        &custom_message(&with_sign, body, true, cmp_utf16),
        secret,
        method,
    )) {
        return Some(Cause::SignParamIncluded);
    }
    None
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn utf16_units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Checks the received wdt 企业版 openapi2 `sign` of a request and explains a mismatch.
///
/// Hex case is ignored ([`Algorithm::Wdt`]); an uppercase sign that matches is reported with
/// `matches: true` and [`Cause::WdtUppercaseHex`] as a note.
pub fn diagnose_wdt<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    appsecret: &[u8],
    received: &str,
) -> Diagnosis {
    let expected = wdt::sign(params, appsecret);
    let hits = |candidate: &str| signs_match(Algorithm::Wdt, candidate, received);
    if hits(&expected) {
        let upper = received.bytes().any(|b| b.is_ascii_uppercase());
        return Diagnosis {
            matches: true,
            cause: upper.then_some(Cause::WdtUppercaseHex),
            expected,
        };
    }
    let md5_lower = |pieces: &[&[u8]]| {
        let mut md5 = Md5::new();
        for piece in pieces {
            md5.update(piece);
        }
        hex(&md5.finalize(), false)
    };
    let packed = wdt::pack(params);
    let repacked = |cause: Cause, variant: String| {
        (variant != packed).then(|| (cause, md5_lower(&[variant.as_bytes(), appsecret])))
    };
    let candidates = [
        repacked(
            Cause::WdtByteLengths,
            wdt::pack_with(params, str::len, false),
        ),
        repacked(
            Cause::WdtUtf16Lengths,
            wdt::pack_with(params, utf16_units, false),
        ),
        Some((
            Cause::WdtSecretPrepended,
            md5_lower(&[appsecret, packed.as_bytes(), appsecret]),
        )),
        repacked(
            Cause::WdtEmptyParamsSkipped,
            wdt::pack_with(params, chars, true),
        ),
    ];
    let cause = candidates
        .into_iter()
        .flatten()
        .find(|(_, candidate)| hits(candidate))
        .map(|(c, _)| c);
    Diagnosis {
        matches: false,
        cause,
        expected,
    }
}

/// The diagnosis of a wdt sign (case ignored) from the expected sign and the candidates that
/// reproduce known mistakes, tried in order.
fn wdt_diagnosis(
    algorithm: Algorithm,
    expected: String,
    received: &str,
    candidates: Vec<(Cause, String)>,
) -> Diagnosis {
    if signs_match(algorithm, &expected, received) {
        let upper = received.bytes().any(|b| b.is_ascii_uppercase());
        return Diagnosis {
            matches: true,
            cause: upper.then_some(Cause::WdtUppercaseHex),
            expected,
        };
    }
    let cause = candidates
        .into_iter()
        .find(|(_, candidate)| {
            *candidate != expected && signs_match(algorithm, candidate, received)
        })
        .map(|(c, _)| c);
    Diagnosis {
        matches: false,
        cause,
        expected,
    }
}

/// md5 of `pieces`, lowercase hex.
fn md5_lower(pieces: &[&[u8]]) -> String {
    wdt::md5_hex_lower(pieces)
}

/// Candidates where only the secret handling differs: `wrap(secret_like)` = md5(k + S + k), and
/// the secret on one side only.
fn secret_mistakes(
    s: &str,
    secret: &[u8],
    salt: Option<&[u8]>,
    whole: &[u8],
) -> Vec<(Cause, String)> {
    let s = s.as_bytes();
    let mut out = Vec::new();
    if let Some(salt) = salt {
        out.push((Cause::WdtAppsecretNotSplit, md5_lower(&[whole, s, whole])));
        let joined = [secret, salt].concat();
        out.push((Cause::WdtSaltAppended, md5_lower(&[&joined, s, &joined])));
        out.push((
            Cause::WdtSaltAppended,
            md5_lower(&[secret, s, secret, salt]),
        ));
    }
    out.push((Cause::SecretOnlyAtStart, md5_lower(&[secret, s])));
    out.push((Cause::SecretOnlyAtEnd, md5_lower(&[s, secret])));
    out
}

/// Checks the received wdt 旗舰版 `sign` and explains a mismatch.
///
/// `params` are the query parameters as received (a `sign` among them is ignored), `body` the
/// JSON body text as received, `appsecret` the whole `secret:salt`. Hex case is ignored; an
/// uppercase sign that matches comes with [`Cause::WdtUppercaseHex`] as a note. Mistakes tried:
/// body left out or changed (trailing newline, surrounding whitespace), the appsecret not split
/// or the salt appended to the secret, the `salt` parameter left out, the timestamp signed
/// without (or with) the 1325347200 offset the sent one has, the secret on one side only.
pub fn diagnose_wdt_ultimate<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: Option<&str>,
    appsecret: &[u8],
    received: &str,
) -> Result<Diagnosis, SignError> {
    let (secret, salt) = wdt::split_appsecret(appsecret)?;
    let expected = wdt::sign_ultimate(params, body, secret);
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    let sign = |p: &[(&str, &str)], b: Option<&str>| wdt::sign_ultimate(p, b, secret);
    let mut candidates = Vec::new();
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        candidates.push((Cause::WdtBodyLeftOut, sign(&pairs, None)));
        for (cause, variant) in body_variants(body.as_bytes()) {
            let generic = !matches!(
                cause,
                Cause::XmlDeclarationAdded | Cause::XmlDeclarationDropped
            );
            if let (true, Ok(text)) = (generic, String::from_utf8(variant)) {
                candidates.push((cause, sign(&pairs, Some(&text))));
            }
        }
    }
    let s = wdt::ultimate_string(&pairs, body);
    candidates.extend(secret_mistakes(&s, secret, Some(salt), appsecret));
    if pairs.iter().any(|(k, _)| *k == "salt") {
        let without: Vec<(&str, &str)> = pairs
            .iter()
            .copied()
            .filter(|(k, _)| *k != "salt")
            .collect();
        candidates.push((Cause::WdtSaltLeftOut, sign(&without, body)));
    }
    let ts = pairs
        .iter()
        .find(|(k, _)| *k == "timestamp")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    if let Some(ts) = ts {
        for other in [
            ts + timestamp::WDT_ULTIMATE_EPOCH,
            ts - timestamp::WDT_ULTIMATE_EPOCH,
        ] {
            let other = other.to_string();
            let shifted: Vec<(&str, &str)> = pairs
                .iter()
                .map(|&(k, v)| {
                    if k == "timestamp" {
                        (k, other.as_str())
                    } else {
                        (k, v)
                    }
                })
                .collect();
            candidates.push((Cause::WdtTimestampNotOffset, sign(&shifted, body)));
        }
    }
    Ok(wdt_diagnosis(
        Algorithm::WdtUltimate,
        expected,
        received,
        candidates,
    ))
}

/// Checks a received `wdt_sign` (旗舰版 through Qimen custom) and explains a mismatch.
///
/// `params` are the request's parameters as received (query and form; `wdt_sign`, `sign` and
/// the system parameters are left out as [`wdt::sign_qimen_custom`] does), `method` the Qimen
/// method, `appsecret` the wdt appsecret: `secret:salt`, or the secret alone. Hex case is
/// ignored. Mistakes tried: the appsecret not split or the salt appended, the method signed with
/// its namespace prefix, JSON values signed raw, `target_app_key` or `wdt3_customer_id` signed,
/// the secret on one side only.
pub fn diagnose_wdt_qimen_custom<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    method: &str,
    appsecret: &[u8],
    received: &str,
) -> Result<Diagnosis, SignError> {
    let (secret, salt) = match wdt::split_appsecret(appsecret) {
        Ok((secret, salt)) => (secret, Some(salt)),
        Err(_) => (appsecret, None),
    };
    let s = wdt::qimen_custom_string_with(params, method, QimenCustomVariant::RIGHT)?;
    let expected = md5_lower(&[secret, s.as_bytes(), secret]);
    let mut candidates = secret_mistakes(&s, secret, salt, appsecret);
    let variants = [
        (
            Cause::WdtMethodPrefixSigned,
            QimenCustomVariant {
                keep_prefix: true,
                ..QimenCustomVariant::RIGHT
            },
        ),
        (
            Cause::WdtJsonNotExpanded,
            QimenCustomVariant {
                raw_json: true,
                ..QimenCustomVariant::RIGHT
            },
        ),
        (
            Cause::WdtTargetAppKeySigned,
            QimenCustomVariant {
                also_sign: Some("target_app_key"),
                ..QimenCustomVariant::RIGHT
            },
        ),
        (
            Cause::WdtCustomerIdSigned,
            QimenCustomVariant {
                also_sign: Some("wdt3_customer_id"),
                ..QimenCustomVariant::RIGHT
            },
        ),
    ];
    for (cause, variant) in variants {
        let text = wdt::qimen_custom_string_with(params, method, variant)?;
        if text != s {
            candidates.push((cause, md5_lower(&[secret, text.as_bytes(), secret])));
        }
    }
    Ok(wdt_diagnosis(
        Algorithm::WdtQimenCustom,
        expected,
        received,
        candidates,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"helloworld";

    /// TV-TOP-1 plus a mixed-case name, an empty value, a space in a value.
    fn base(method: SignMethod) -> Vec<(&'static str, String)> {
        [
            ("app_key", "12345678"),
            ("Zone", "z1"),
            ("customerId", "c1001"),
            ("format", "xml"),
            ("method", "taobao.qimen.deliveryorder.create"),
            ("remark", ""),
            ("sign_method", method.as_str()),
            ("timestamp", "2016-07-06 12:00:00"),
            ("v", "2.0"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
    }

    const BODY: &[u8] = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode></deliveryOrder></request>";
    const BARE: &[u8] =
        b"<request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode></deliveryOrder></request>";

    fn diag(params: &[(&str, String)], body: Option<&[u8]>, received: &str) -> Diagnosis {
        diagnose_qimen(params, body, SECRET, received).unwrap()
    }

    /// Asserts the mismatch is explained by exactly `cause`.
    fn assert_cause(params: &[(&str, String)], body: Option<&[u8]>, wrong: &str, cause: Cause) {
        let d = diag(params, body, wrong);
        assert!(!d.matches, "{cause:?}");
        assert_eq!(d.cause, Some(cause));
        let method = declared_method(params).unwrap();
        assert_eq!(d.expected, qimen::sign(params, body, SECRET, method));
        assert_ne!(d.expected, wrong);
    }

    /// The message written out by hand: `k`+`v` in the given order, then the body.
    fn manual(pairs: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut out: Vec<u8> = pairs
            .iter()
            .flat_map(|(k, v)| [*k, *v])
            .collect::<String>()
            .into();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_correct_sign_matches_and_a_random_one_has_no_cause() {
        let p = base(SignMethod::Md5);
        let good = qimen::sign(&p, Some(BODY), SECRET, SignMethod::Md5);
        let d = diag(&p, Some(BODY), &good);
        assert_eq!(
            d,
            Diagnosis {
                matches: true,
                cause: None,
                expected: good.clone()
            }
        );
        let d = diag(&p, Some(BODY), "0123456789ABCDEF0123456789ABCDEF");
        assert!(!d.matches);
        assert_eq!(d.cause, None);
        assert_eq!(d.expected, good);
        // A `sign` in the params is ignored when computing the expected sign.
        let mut with_sign = p.clone();
        with_sign.push(("sign", good.clone()));
        assert!(diag(&with_sign, Some(BODY), &good).matches);
        assert_eq!(received_sign(&with_sign), Some(good.as_str()));
    }

    #[test]
    fn lowercase_hex() {
        let p = base(SignMethod::Hmac);
        let good = qimen::sign(&p, Some(BODY), SECRET, SignMethod::Hmac);
        assert_cause(
            &p,
            Some(BODY),
            &good.to_ascii_lowercase(),
            Cause::LowercaseHex,
        );
    }

    #[test]
    fn other_sign_method_than_declared() {
        for declared in SignMethod::ALL {
            let p = base(declared);
            for used in SignMethod::ALL.into_iter().filter(|&m| m != declared) {
                let wrong = qimen::sign(&p, Some(BODY), SECRET, used);
                assert_cause(
                    &p,
                    Some(BODY),
                    &wrong,
                    Cause::WrongSignMethod { declared, used },
                );
            }
        }
    }

    #[test]
    fn secret_only_at_one_end() {
        let p = base(SignMethod::Md5);
        let msg = qimen::message(&p, Some(BODY));
        assert_cause(
            &p,
            Some(BODY),
            &md5_upper(&[SECRET, &msg]),
            Cause::SecretOnlyAtStart,
        );
        assert_cause(
            &p,
            Some(BODY),
            &md5_upper(&[&msg, SECRET]),
            Cause::SecretOnlyAtEnd,
        );
    }

    #[test]
    fn body_mistakes() {
        let p = base(SignMethod::Md5);
        let s = |signed: Option<&[u8]>| qimen::sign(&p, signed, SECRET, SignMethod::Md5);
        assert_cause(&p, Some(BODY), &s(None), Cause::BodyLeftOut);
        // Signed with a declaration (either spelling), sent without.
        assert_cause(&p, Some(BARE), &s(Some(BODY)), Cause::XmlDeclarationAdded);
        let upper = [
            &br#"<?xml version="1.0" encoding="UTF-8"?>"#[..],
            b"\n",
            BARE,
        ]
        .concat();
        assert_cause(&p, Some(BARE), &s(Some(&upper)), Cause::XmlDeclarationAdded);
        // Signed without, sent with.
        assert_cause(&p, Some(BODY), &s(Some(BARE)), Cause::XmlDeclarationDropped);
        let nl = [BODY, b"\n"].concat();
        assert_cause(&p, Some(BODY), &s(Some(&nl)), Cause::TrailingNewlineAdded);
        assert_cause(&p, Some(&nl), &s(Some(BODY)), Cause::TrailingNewlineRemoved);
        let crlf = [BODY, b"\r\n"].concat();
        assert_cause(
            &p,
            Some(&crlf),
            &s(Some(BODY)),
            Cause::TrailingNewlineRemoved,
        );
        let padded = [&b"\n\t "[..], BODY, b"  "].concat();
        assert_cause(&p, Some(&padded), &s(Some(BODY)), Cause::BodyTrimmed);
    }

    #[test]
    fn encoded_values() {
        let p = base(SignMethod::Md5);
        let with_ts = |ts: &str| {
            let mut q = p.clone();
            q.iter_mut().find(|(k, _)| *k == "timestamp").unwrap().1 = ts.into();
            qimen::sign(&q, Some(BODY), SECRET, SignMethod::Md5)
        };
        assert_cause(
            &p,
            Some(BODY),
            &with_ts("2016-07-06+12:00:00"),
            Cause::SpaceSignedAsPlus,
        );
        assert_cause(
            &p,
            Some(BODY),
            &with_ts("2016-07-06%2012:00:00"),
            Cause::SpaceSignedAsPercent20,
        );
        assert_cause(
            &p,
            Some(BODY),
            &with_ts("2016-07-06+12%3A00%3A00"),
            Cause::ValuesSignedEncoded,
        );
    }

    #[test]
    fn empty_params_sort_order_and_sign_included() {
        let p = base(SignMethod::Md5);
        let sorted: Vec<(&str, &str)> = vec![
            ("Zone", "z1"),
            ("app_key", "12345678"),
            ("customerId", "c1001"),
            ("format", "xml"),
            ("method", "taobao.qimen.deliveryorder.create"),
            ("remark", ""),
            ("sign_method", "md5"),
            ("timestamp", "2016-07-06 12:00:00"),
            ("v", "2.0"),
        ];
        let md5 = |msg: &[u8]| md5_upper(&[SECRET, msg, SECRET]);
        assert_eq!(
            md5(&manual(
                &sorted
                    .iter()
                    .copied()
                    .filter(|(_, v)| !v.is_empty())
                    .collect::<Vec<_>>(),
                BODY
            )),
            qimen::sign(&p, Some(BODY), SECRET, SignMethod::Md5)
        );
        assert_cause(
            &p,
            Some(BODY),
            &md5(&manual(&sorted, BODY)),
            Cause::EmptyParamsIncluded,
        );
        let mut folded: Vec<(&str, &str)> = sorted
            .iter()
            .copied()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        folded.rotate_left(1); // `Zone` last: after `v` when case is ignored.
        assert_eq!(folded.last().unwrap().0, "Zone");
        assert_cause(
            &p,
            Some(BODY),
            &md5(&manual(&folded, BODY)),
            Cause::KeysSortedCaseInsensitively,
        );
        let mut with_sign: Vec<(&str, &str)> = sorted
            .iter()
            .copied()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        with_sign.insert(5, ("sign", ""));
        assert_eq!(with_sign[4].0, "method");
        assert_cause(
            &p,
            Some(BODY),
            &md5(&manual(&with_sign, BODY)),
            Cause::SignParamIncluded,
        );
    }

    #[test]
    fn unsupported_sign_method_is_an_error() {
        let p = [("a", "1"), ("sign_method", "sha1")];
        let err = diagnose_qimen(&p, None, SECRET, "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported `sign_method=sha1`; expected md5, hmac or hmac-sha256"
        );
        assert_eq!(declared_method(&[("a", "1")]), Ok(SignMethod::Md5));
    }

    fn wdt_base(extra: (&'static str, &'static str)) -> Vec<(&'static str, &'static str)> {
        vec![
            ("appkey", "test2-xx"),
            ("sid", "test2"),
            ("timestamp", "1470042310"),
            extra,
        ]
    }

    #[test]
    fn wdt_correct_random_and_uppercase() {
        let p = wdt_base(("shop_no", "店铺1"));
        let d = diagnose_wdt(&p, b"12345", "086c38546b98d12684c8305ddefb96db");
        assert_eq!(
            d,
            Diagnosis {
                matches: true,
                cause: None,
                expected: "086c38546b98d12684c8305ddefb96db".into()
            }
        );
        let d = diagnose_wdt(&p, b"12345", "086C38546B98D12684C8305DDEFB96DB");
        assert!(d.matches);
        assert_eq!(d.cause, Some(Cause::WdtUppercaseHex));
        let d = diagnose_wdt(&p, b"12345", "00000000000000000000000000000000");
        assert!(!d.matches);
        assert_eq!(d.cause, None);
        assert_eq!(d.expected, "086c38546b98d12684c8305ddefb96db");
        assert_eq!(wdt::pack_with(&p, chars, false), wdt::pack(&p));
    }

    #[test]
    fn wdt_lengths_from_the_published_vectors() {
        // TV-WDT-2 and TV-WDT-3 (docs/protocol.md).
        let d = diagnose_wdt(
            &wdt_base(("shop_no", "店铺1")),
            b"12345",
            "bb090c517b47d57247daf6a70776c205",
        );
        assert_eq!((d.matches, d.cause), (false, Some(Cause::WdtByteLengths)));
        let astral = wdt_base(("buyer_message", "好评😀"));
        let d = diagnose_wdt(&astral, b"12345", "5d905b5f82b362b1ffd89d2f575141c1");
        assert_eq!((d.matches, d.cause), (false, Some(Cause::WdtUtf16Lengths)));
        let d = diagnose_wdt(&astral, b"12345", "2bd1dee16c0735d6b547cbdfc4775571");
        assert_eq!(d.cause, Some(Cause::WdtByteLengths));
        assert_eq!(d.expected, "58e6816fc5e1aea00b7f6660855da85c");
    }

    #[test]
    fn wdt_secret_prepended_and_empty_params_skipped() {
        let p = wdt_base(("remark", ""));
        let packed = wdt::pack(&p);
        let mut md5 = Md5::new();
        md5.update(b"12345");
        md5.update(packed.as_bytes());
        md5.update(b"12345");
        let wrong = hex(&md5.finalize(), false);
        let d = diagnose_wdt(&p, b"12345", &wrong);
        assert_eq!(
            (d.matches, d.cause),
            (false, Some(Cause::WdtSecretPrepended))
        );
        // The PHP SDK never packs empty values.
        let without: Vec<_> = p.iter().copied().filter(|(_, v)| !v.is_empty()).collect();
        let d = diagnose_wdt(&p, b"12345", &wdt::sign(&without, b"12345"));
        assert_eq!(
            (d.matches, d.cause),
            (false, Some(Cause::WdtEmptyParamsSkipped))
        );
    }

    #[test]
    fn sentences_are_lowercase_and_never_hold_the_secret() {
        let all = [
            Cause::LowercaseHex,
            Cause::WrongSignMethod {
                declared: SignMethod::Md5,
                used: SignMethod::Hmac,
            },
            Cause::SecretOnlyAtStart,
            Cause::SecretOnlyAtEnd,
            Cause::BodyLeftOut,
            Cause::XmlDeclarationAdded,
            Cause::XmlDeclarationDropped,
            Cause::TrailingNewlineAdded,
            Cause::TrailingNewlineRemoved,
            Cause::BodyTrimmed,
            Cause::SpaceSignedAsPlus,
            Cause::SpaceSignedAsPercent20,
            Cause::ValuesSignedEncoded,
            Cause::EmptyParamsIncluded,
            Cause::KeysSortedCaseInsensitively,
            Cause::SignParamIncluded,
            Cause::WdtByteLengths,
            Cause::WdtUtf16Lengths,
            Cause::WdtUppercaseHex,
            Cause::WdtSecretPrepended,
            Cause::WdtEmptyParamsSkipped,
            Cause::WdtBodyLeftOut,
            Cause::WdtAppsecretNotSplit,
            Cause::WdtSaltAppended,
            Cause::WdtSaltLeftOut,
            Cause::WdtTimestampNotOffset,
            Cause::WdtMethodPrefixSigned,
            Cause::WdtJsonNotExpanded,
            Cause::WdtTargetAppKeySigned,
            Cause::WdtCustomerIdSigned,
        ];
        for c in all {
            let s = c.to_string();
            assert!(s.starts_with(char::is_lowercase), "{s}");
            assert!(s.contains(';'), "says the fix: {s}");
        }
    }

    #[test]
    fn the_public_form_never_holds_the_expected_sign() {
        let pairs = base(SignMethod::Md5);
        let good = diag(&pairs, None, "x").expected;
        // Every cause, no cause, and a match: Display, Debug, JSON and the lint message.
        let mut all = vec![
            diag(&pairs, None, &good.to_ascii_lowercase()),
            diag(&pairs, None, "0123456789ABCDEF0123456789ABCDEF"),
            diag(&pairs, None, &good),
        ];
        let form = wdt_base(("shop_no", "店铺1"));
        all.push(diagnose_wdt(
            &form,
            b"12345",
            "0123456789abcdef0123456789abcdef",
        ));
        all.push(diagnose_wdt(
            &form,
            b"12345",
            &wdt::sign(&form, b"12345").to_uppercase(),
        ));
        for d in &all {
            let expected = d.expected_sign_for_operator().to_string();
            assert!(expected.len() >= 32);
            let lower = expected.to_ascii_lowercase();
            for shown in [
                d.to_string(),
                format!("{d:?}"),
                format!("{d:#?}"),
                serde_json::to_string(d).unwrap(),
                d.mismatch_message("0123"),
            ] {
                assert!(!shown.to_ascii_lowercase().contains(&lower), "{shown}");
            }
        }
        assert_eq!(all[2].to_string(), "sign matches");
        assert!(all[1].to_string().contains("no known mistake"));
    }

    /// TV-QJB-1 (docs/protocol.md).
    fn qjb1(ts: &'static str) -> Vec<(&'static str, &'static str)> {
        vec![
            ("sid", "wdtapi3"),
            ("key", "appkey"),
            ("salt", "salt"),
            ("method", "goods.Goods.queryWithSpec"),
            ("timestamp", ts),
            ("v", "1.0"),
        ]
    }
    const QJB1_BODY: &str = r#"[{"goods_no":"G001"}]"#;
    const QJB1_SIGN: &str = "703b2c4b5b16565883e6b58d18e254a2";

    /// Diagnoses `received` for TV-QJB-1's params as sent with its body.
    fn ultimate(p: &[(&str, &str)], received: &str) -> Diagnosis {
        diagnose_wdt_ultimate(p, Some(QJB1_BODY), b"secret:salt", received).unwrap()
    }

    #[test]
    fn ultimate_vector_matches_and_uppercase_is_a_note() {
        let p = qjb1("100");
        assert_eq!(ultimate(&p, QJB1_SIGN).cause, None);
        assert!(ultimate(&p, QJB1_SIGN).matches);
        let d = ultimate(&p, &QJB1_SIGN.to_ascii_uppercase());
        assert_eq!((d.matches, d.cause), (true, Some(Cause::WdtUppercaseHex)));
        let d = ultimate(&p, "00000000000000000000000000000000");
        assert_eq!((d.matches, d.cause), (false, None));
        assert_eq!(d.expected, QJB1_SIGN);
        assert_eq!(
            diagnose_wdt_ultimate(&p, None, b"no-colon", "x"),
            Err(SignError::SecretWithoutSalt)
        );
    }

    #[test]
    fn ultimate_mistakes() {
        let p = qjb1("100");
        let s = |p: &[(&str, &str)], body: Option<&str>, secret: &[u8]| {
            wdt::sign_ultimate(p, body, secret)
        };
        let cases: Vec<(String, Cause)> = vec![
            (s(&p, None, b"secret"), Cause::WdtBodyLeftOut),
            (
                s(&p, Some(&format!("{QJB1_BODY}\n")), b"secret"),
                Cause::TrailingNewlineAdded,
            ),
            (
                s(&p, Some(QJB1_BODY), b"secret:salt"),
                Cause::WdtAppsecretNotSplit,
            ),
            (
                s(&p, Some(QJB1_BODY), b"secretsalt"),
                Cause::WdtSaltAppended,
            ),
            (
                s(
                    &qjb1("100")[..2]
                        .iter()
                        .chain(&qjb1("100")[3..])
                        .copied()
                        .collect::<Vec<_>>(),
                    Some(QJB1_BODY),
                    b"secret",
                ),
                Cause::WdtSaltLeftOut,
            ),
            (
                s(&qjb1("1325347300"), Some(QJB1_BODY), b"secret"),
                Cause::WdtTimestampNotOffset,
            ),
        ];
        for (wrong, cause) in cases {
            let d = ultimate(&p, &wrong);
            assert_eq!((d.matches, d.cause), (false, Some(cause)), "{cause:?}");
        }
        let text = wdt::ultimate_string(&p, Some(QJB1_BODY));
        let d = ultimate(&p, &md5_lower(&[b"secret", text.as_bytes()]));
        assert_eq!(d.cause, Some(Cause::SecretOnlyAtStart));
    }

    /// TV-QM3-1 (docs/protocol.md), with the system parameters of a real request around it.
    fn qm3(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut p = vec![
            ("datetime", "2020-09-17 19:22:26"),
            ("wdt_salt", "salt"),
            ("wdt_appkey", "wdt_appkey"),
            ("pager", r#"{"page_no":1,"page_size":10}"#),
            (
                "params",
                r#"{"end_date":"2020-09-20 00:00:00","spec_no":null,"start_date":"2020-08-23 00:00:00","warehouse_no":"1001"}"#,
            ),
            ("wdt3_customer_id", "wdtapi3"),
            ("target_app_key", "21363512"),
        ];
        p.extend_from_slice(extra);
        p
    }
    const QM3_METHOD: &str = "3ldsmu02o9.wdt.wms.stockspec.querychangehistory";
    const QM3_SIGN: &str = "1f5e87bbbc8bc68f4f0af70f79620b7d";

    #[test]
    fn wdt_sign_vector_and_mistakes() {
        let p = qm3(&[]);
        for appsecret in [&b"secret:salt"[..], b"secret"] {
            let d = diagnose_wdt_qimen_custom(&p, QM3_METHOD, appsecret, QM3_SIGN).unwrap();
            assert_eq!((d.matches, d.cause), (true, None));
        }
        let variant = |v: QimenCustomVariant| {
            let text = wdt::qimen_custom_string_with(&p, QM3_METHOD, v).unwrap();
            md5_lower(&[b"secret", text.as_bytes(), b"secret"])
        };
        let right = QimenCustomVariant::RIGHT;
        let cases = [
            (
                variant(QimenCustomVariant {
                    keep_prefix: true,
                    ..right
                }),
                Cause::WdtMethodPrefixSigned,
            ),
            (
                variant(QimenCustomVariant {
                    raw_json: true,
                    ..right
                }),
                Cause::WdtJsonNotExpanded,
            ),
            (
                variant(QimenCustomVariant {
                    also_sign: Some("target_app_key"),
                    ..right
                }),
                Cause::WdtTargetAppKeySigned,
            ),
            (
                variant(QimenCustomVariant {
                    also_sign: Some("wdt3_customer_id"),
                    ..right
                }),
                Cause::WdtCustomerIdSigned,
            ),
            (
                wdt::sign_qimen_custom(&p, QM3_METHOD, b"secret:salt").unwrap(),
                Cause::WdtAppsecretNotSplit,
            ),
        ];
        for (wrong, cause) in cases {
            let d = diagnose_wdt_qimen_custom(&p, QM3_METHOD, b"secret:salt", &wrong).unwrap();
            assert_eq!((d.matches, d.cause), (false, Some(cause)), "{cause:?}");
            assert_eq!(d.expected, QM3_SIGN);
        }
    }
}
