//! A whole request from the wdt 企业版 standard openapi2 API to the Qimen custom API, and back.
//!
//! **Standard** (`POST https://api.wangdian.cn/openapi2/trade_push.php`, sandbox host
//! `sandbox.wangdian.cn`): one form body holding the system parameters [`STANDARD_SYSTEM_PARAMS`]
//! (`sid`, `appkey`, `timestamp` in Unix seconds, `sign`) and the business parameters, whose
//! values are often JSON text.
//!
//! **Qimen custom** (`POST http://hu3cgwt0tc.api.taobao.com/router/qm`, test path
//! `/router/qmtest`): the system parameters [`QIMEN_SYSTEM_PARAMS`] in the URL query (`method`,
//! `app_key` = the caller's own Qimen app key, `target_app_key` = wdt's app key on Qimen,
//! `format=json`, `v=2.0`, `sign_method=md5`, `timestamp` as `yyyy-MM-dd HH:mm:ss` in GMT+8,
//! `sign`), and a form body with the business parameters plus `sid`.
//!
//! Converting reads the input into a [`WdtCall`] (the API, the environment, `sid`, the moment,
//! the business parameters in their order) and writes it out for the other side as a
//! [`Converted`] request. Business parameter names and values are carried over unchanged: they
//! are percent-decoded when read and form-encoded again ([`params::encode`]) when written, so
//! JSON text, Chinese, `&`, `+` and a literal `%26` come out as the same characters. Parameters
//! of the input side's protocol that have no counterpart (the old `sign`, `partner_id`,
//! `session`, …) are dropped, and [`Converted::notes`] names them.
//!
//! With a secret the output is signed (Qimen md5 over the query and form parameters, uppercase;
//! wdt 企业版 packed md5, lowercase). Without one, `sign` is left out and a note says so.
//!
//! ```
//! use qmwire::convert::request::{to_qimen_custom, ToQimenCustom};
//!
//! let standard = "POST /openapi2/trade_push.php HTTP/1.1\n\
//!                 Host: api.wangdian.cn\n\
//!                 Content-Type: application/x-www-form-urlencoded\n\n\
//!                 sid=wdt2&appkey=wdt2-ot&timestamp=1575599820&shop_no=api_test&switch=0\
//!                 &trade_list=%5B%7B%22tid%22%3A%22T1%22%2C%22buyer_nick%22%3A%22%E5%BC%A0%E4%B8%89%22%7D%5D";
//! let options = ToQimenCustom {
//!     app_key: "12345678",
//!     target_app_key: "87654321",
//!     secret: Some(b"helloworld"),
//!     ..ToQimenCustom::default()
//! };
//! let out = to_qimen_custom(standard.as_bytes(), &options).unwrap();
//! assert_eq!(out.param("timestamp"), Some("2019-12-06 10:37:00"));
//! assert_eq!(out.param("sign"), Some("E17DA04BB04802018C03DB6A20CC7B75"));
//! assert!(out.to_http().starts_with("POST /router/qm?method=wdt.trade.push&app_key=12345678&"));
//! ```

use super::methods::{self, Method, Side, UnknownMethod};
use crate::sign::{qimen, wdt, SignMethod};
use crate::wire::http::{self, HttpError};
use crate::wire::params::{self, ParamError};
use crate::wire::timestamp::{format_qimen, parse_qimen, TimestampError};
use std::collections::HashSet;
use std::fmt;

/// The production host of the standard API.
pub const STANDARD_HOST: &str = "api.wangdian.cn";
/// The sandbox host of the standard API.
pub const STANDARD_SANDBOX_HOST: &str = "sandbox.wangdian.cn";
/// The path in front of the script name on the standard API.
pub const STANDARD_PATH_PREFIX: &str = "/openapi2/";
/// The host of wdt 企业版's Qimen custom router.
pub const QIMEN_HOST: &str = "hu3cgwt0tc.api.taobao.com";
/// The production path of the Qimen custom router.
pub const QIMEN_PATH: &str = "/router/qm";
/// The test path of the Qimen custom router (the standard sandbox's counterpart).
pub const QIMEN_TEST_PATH: &str = "/router/qmtest";
/// The content type of both sides' form bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// The system parameters of a standard request. Every other parameter is a business parameter.
/// `sid` is carried over to the Qimen form body; the others are replaced by their Qimen
/// counterparts (`appkey` by `app_key`, `timestamp` reformatted, `sign` recomputed).
pub const STANDARD_SYSTEM_PARAMS: [&str; 4] = ["sid", "appkey", "timestamp", "sign"];

/// The system parameters of a Qimen custom request, wherever they appear (query or form). Every
/// other parameter except `sid` (and a wdt `appkey`, which some SDKs add) is a business
/// parameter. Only `timestamp` is carried over (as Unix seconds); the others have no
/// counterpart on the standard side.
pub const QIMEN_SYSTEM_PARAMS: [&str; 11] = [
    "method",
    "app_key",
    "target_app_key",
    "format",
    "v",
    "sign_method",
    "timestamp",
    "sign",
    "partner_id",
    "session",
    "customerId",
];

/// Production or test/sandbox. The standard sandbox host and the Qimen test path
/// (`/router/qmtest`) correspond to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// `api.wangdian.cn` ⇔ `/router/qm`.
    #[default]
    Production,
    /// `sandbox.wangdian.cn` ⇔ `/router/qmtest`.
    Sandbox,
}

/// One call, independent of the side it was written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WdtCall {
    /// The API.
    pub method: &'static Method,
    /// Production or sandbox.
    pub environment: Environment,
    /// The wdt seller account.
    pub sid: String,
    /// The wdt `appkey`, when the input carried one.
    pub appkey: Option<String>,
    /// The request's moment in Unix seconds, when the input carried one.
    pub timestamp: Option<i64>,
    /// The business parameters, decoded, in input order.
    pub business: Vec<(String, String)>,
    /// Names of the input's parameters that are not carried over (its `sign`, Qimen-only
    /// system parameters), in input order.
    pub dropped: Vec<String>,
}

/// What to put into a Qimen custom request that the standard one does not have.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToQimenCustom<'a> {
    /// The caller's own Qimen (TOP) app key.
    pub app_key: &'a str,
    /// wdt's app key on Qimen, from the authorisation mail.
    pub target_app_key: &'a str,
    /// The caller's Qimen app secret; without it, `sign` is left out.
    pub secret: Option<&'a [u8]>,
    /// Use this moment (Unix seconds) instead of the input's `timestamp`.
    pub timestamp: Option<i64>,
    /// Send `hu3cgwt0tc.wdt.trade.push` instead of `wdt.trade.push`. Public code uses both;
    /// which one the gateway prefers is an open question.
    pub namespaced_method: bool,
}

/// What to put into a standard request that the Qimen custom one does not have.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToStandard<'a> {
    /// The wdt `appkey`; needed unless the input's form carries one.
    pub appkey: Option<&'a str>,
    /// The wdt appsecret; without it, `sign` is left out.
    pub secret: Option<&'a [u8]>,
    /// Use this moment (Unix seconds) instead of the input's `timestamp`.
    pub timestamp: Option<i64>,
}

/// A converted request, ready to be written as HTTP text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The host, e.g. `hu3cgwt0tc.api.taobao.com`.
    pub host: &'static str,
    /// The path, e.g. `/router/qm`.
    pub path: String,
    /// The URL query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The form body parameters, decoded, in order.
    pub form: Vec<(String, String)>,
    /// Whether a `sign` was computed.
    pub signed: bool,
    /// What the conversion changed or could not do, one sentence each.
    pub notes: Vec<String>,
    /// The same notes in Chinese, in the same order.
    pub notes_zh: Vec<String>,
}

impl Converted {
    /// The value of a parameter, from the query or the form.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(&self.form)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The full URL, query included.
    pub fn url(&self) -> String {
        let mut url = format!("{}://{}{}", self.scheme, self.host, self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&params::encode(&self.query));
        }
        url
    }

    /// The form-encoded body.
    pub fn body(&self) -> String {
        params::encode(&self.form)
    }

    /// The request as HTTP text: request line, `Host`, `Content-Type`, a blank line and the
    /// form body (LF line ends, no newline after the body, so that reading it back gives the
    /// same parameters).
    pub fn to_http(&self) -> String {
        let mut target = self.path.clone();
        if !self.query.is_empty() {
            target.push('?');
            target.push_str(&params::encode(&self.query));
        }
        format!(
            "POST {target} HTTP/1.1\nHost: {}\nContent-Type: {FORM_CONTENT_TYPE}\n\n{}",
            self.host,
            self.body()
        )
    }
}

/// Why a request cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// The input is not an HTTP request.
    Http(HttpError),
    /// The query or the body is not a valid form string.
    Params {
        /// `query` or `body`.
        part: &'static str,
        /// What is wrong.
        error: ParamError,
    },
    /// The body is not UTF-8.
    BodyNotUtf8,
    /// The body is declared as something other than a UTF-8 form.
    ContentType(String),
    /// The input was written for the other side (e.g. a Qimen router path given as standard).
    WrongSide {
        /// The side the input was expected to be.
        expected: Side,
        /// The path found.
        path: String,
    },
    /// The API name is not one of the 54.
    Method(UnknownMethod),
    /// A needed parameter or option is missing or empty.
    Missing {
        /// Its name.
        param: &'static str,
        /// Where it could come from.
        hint: &'static str,
        /// The same in Chinese.
        hint_zh: &'static str,
    },
    /// A parameter appears in both the query and the body.
    Duplicate(String),
    /// A `timestamp` in the wrong format.
    Timestamp(TimestampError),
    /// A business parameter has the name of a system parameter of the target side.
    Collision(String),
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Http(e) => write!(f, "{e}"),
            ConvertError::Params { part, error } => write!(f, "in the {part}: {error}"),
            ConvertError::BodyNotUtf8 => f.write_str("expected a UTF-8 form body, found other bytes"),
            ConvertError::ContentType(found) => write!(
                f,
                "expected `Content-Type: application/x-www-form-urlencoded` (UTF-8), found `{found}`"
            ),
            ConvertError::WrongSide { expected, path } => match expected {
                Side::Standard => write!(
                    f,
                    "expected a standard request to `{STANDARD_PATH_PREFIX}<name>.php`, found \
                     `{path}`, a Qimen custom path; convert it to the standard side instead"
                ),
                Side::QimenCustom => write!(
                    f,
                    "expected a Qimen custom request to `{QIMEN_PATH}`, found `{path}`, a \
                     standard path; convert it to the Qimen custom side instead"
                ),
            },
            ConvertError::Method(e) => write!(f, "{e}"),
            ConvertError::Missing { param, hint, .. } => {
                write!(f, "expected `{param}`, found none ({hint})")
            }
            ConvertError::Duplicate(name) => write!(
                f,
                "parameter `{name}` is given in both the query and the body"
            ),
            ConvertError::Timestamp(e) => write!(f, "`timestamp`: {e}"),
            ConvertError::Collision(name) => write!(
                f,
                "business parameter `{name}` has the name of a Qimen system parameter and \
                 cannot be sent through Qimen"
            ),
        }
    }
}

impl ConvertError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ConvertError::Http(e) => format!("{}（第 {} 字节处）", e.message_zh, e.offset),
            ConvertError::Params { part, error } => {
                let part = if *part == "query" {
                    "查询串"
                } else {
                    "正文"
                };
                format!("{part}有误：{}", error.zh())
            }
            ConvertError::BodyNotUtf8 => "应为 UTF-8 编码的表单正文，实际不是".into(),
            ConvertError::ContentType(found) => format!(
                "应为 `Content-Type: application/x-www-form-urlencoded`（UTF-8），实际为 `{found}`"
            ),
            ConvertError::WrongSide { expected, path } => match expected {
                Side::Standard => format!(
                    "应为发往 `{STANDARD_PATH_PREFIX}<name>.php` 的标准接口请求，实际路径 `{path}` \
                     是奇门自定义的；请改为转换到标准接口一边"
                ),
                Side::QimenCustom => format!(
                    "应为发往 `{QIMEN_PATH}` 的奇门自定义请求，实际路径 `{path}` 是标准接口的；\
                     请改为转换到奇门自定义一边"
                ),
            },
            ConvertError::Method(e) => e.zh(),
            ConvertError::Missing { param, hint_zh, .. } => {
                format!("缺少 `{param}`（{hint_zh}）")
            }
            ConvertError::Duplicate(name) => {
                format!("参数 `{name}` 在查询串和正文里都出现了")
            }
            ConvertError::Timestamp(e) => format!("`timestamp`：{}", e.zh()),
            ConvertError::Collision(name) => {
                format!("业务参数 `{name}` 与奇门的系统参数同名，无法经奇门发送")
            }
        }
    }
}

impl std::error::Error for ConvertError {}

impl From<UnknownMethod> for ConvertError {
    fn from(e: UnknownMethod) -> ConvertError {
        ConvertError::Method(e)
    }
}

/// The request's parts that both sides need: path, host, and every parameter (query, then
/// form), decoded.
struct Parts {
    host: String,
    path: String,
    params: Vec<(String, String)>,
}

/// Reads an HTTP request whose parameters are in the query and/or a form body.
fn read_parts(input: &[u8]) -> Result<Parts, ConvertError> {
    let req = http::parse(input).map_err(ConvertError::Http)?;
    if let Some(ct) = req.header("content-type") {
        let lower = ct.to_ascii_lowercase();
        let form = lower.starts_with("application/x-www-form-urlencoded");
        let charset_ok = match lower.split_once("charset=") {
            Some((_, cs)) => {
                let cs = cs.split(';').next().unwrap_or("").trim().trim_matches('"');
                cs == "utf-8" || cs == "utf8"
            }
            None => true,
        };
        if !form || !charset_ok {
            return Err(ConvertError::ContentType(ct.to_string()));
        }
    }
    // A raw line end can't be part of a form body (it would be `%0A`): what follows the last
    // parameter is an editor's final newline.
    let body = std::str::from_utf8(req.body).map_err(|_| ConvertError::BodyNotUtf8)?;
    let body = body.trim_end_matches(['\r', '\n']);
    let (host, path) = split_target(req.target, req.header("host"));
    let mut all: Vec<(String, String)> = Vec::new();
    // The names so far, found in constant time: a counterparty controls how many there are.
    let mut seen: HashSet<String> = HashSet::new();
    for (part, text) in [("query", req.query), ("body", body)] {
        let pairs = params::parse(text).map_err(|error| ConvertError::Params { part, error })?;
        for (k, v) in pairs {
            if !seen.insert(k.to_string()) {
                return Err(ConvertError::Duplicate(k.into_owned()));
            }
            all.push((k.into_owned(), v.into_owned()));
        }
    }
    Ok(Parts {
        host,
        path,
        params: all,
    })
}

/// (host, path) of a request target: from an absolute URL, else from the `Host` header.
fn split_target(target: &str, host_header: Option<&str>) -> (String, String) {
    let no_query = target.split(['?', '#']).next().unwrap_or("");
    if let Some((_, rest)) = no_query.split_once("://") {
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        return (host.to_ascii_lowercase(), path.to_string());
    }
    (
        host_header.unwrap_or("").to_ascii_lowercase(),
        no_query.to_string(),
    )
}

fn take(params: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let i = params.iter().position(|(k, _)| k == name)?;
    Some(params.remove(i).1)
}

fn unix_seconds(value: &str) -> Result<i64, ConvertError> {
    let ok = !value.is_empty() && value.len() <= 12 && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<i64>() {
        Ok(n) if ok => Ok(n),
        _ => Err(ConvertError::Timestamp(TimestampError {
            found: value.to_string(),
            expected: "unix seconds",
            hint: if parse_qimen(value).is_ok() {
                " (a formatted date-time: is this a Qimen request?)"
            } else {
                ""
            },
        })),
    }
}

fn required(
    value: Option<String>,
    param: &'static str,
    (hint, hint_zh): (&'static str, &'static str),
) -> Result<String, ConvertError> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ConvertError::Missing {
            param,
            hint,
            hint_zh,
        }),
    }
}

/// Reads a standard openapi2 request (raw HTTP or `.http` text).
pub fn parse_standard(input: &[u8]) -> Result<WdtCall, ConvertError> {
    let Parts {
        host,
        path,
        mut params,
    } = read_parts(input)?;
    if path.starts_with("/router/") {
        return Err(ConvertError::WrongSide {
            expected: Side::Standard,
            path,
        });
    }
    let script = path.rsplit('/').next().unwrap_or("");
    let method = methods::lookup(script)?;
    let environment = if host.starts_with("sandbox.") {
        Environment::Sandbox
    } else {
        Environment::Production
    };
    let sid = required(
        take(&mut params, "sid"),
        "sid",
        ("the wdt seller account", "旺店通的卖家账号"),
    )?;
    let appkey = take(&mut params, "appkey").filter(|v| !v.is_empty());
    let timestamp = take(&mut params, "timestamp")
        .map(|t| unix_seconds(&t))
        .transpose()?;
    let dropped = take(&mut params, "sign")
        .map(|_| vec!["sign".to_string()])
        .unwrap_or_default();
    Ok(WdtCall {
        method,
        environment,
        sid,
        appkey,
        timestamp,
        business: params,
        dropped,
    })
}

/// Reads a Qimen custom request (raw HTTP or `.http` text). System parameters are recognised
/// in the query and in the form alike.
pub fn parse_qimen_custom(input: &[u8]) -> Result<WdtCall, ConvertError> {
    let Parts { path, params, .. } = read_parts(input)?;
    if path.contains(STANDARD_PATH_PREFIX) || path.ends_with(".php") {
        return Err(ConvertError::WrongSide {
            expected: Side::QimenCustom,
            path,
        });
    }
    let environment = if path.ends_with(QIMEN_TEST_PATH) {
        Environment::Sandbox
    } else {
        Environment::Production
    };
    let mut method = None;
    let mut timestamp = None;
    let mut sid = None;
    let mut appkey = None;
    let mut business = Vec::new();
    let mut dropped = Vec::new();
    for (k, v) in params {
        match k.as_str() {
            "method" => method = Some(v),
            "timestamp" => timestamp = Some(v),
            "sid" => sid = Some(v),
            "appkey" => appkey = Some(v).filter(|v| !v.is_empty()),
            _ if QIMEN_SYSTEM_PARAMS.contains(&k.as_str()) => dropped.push(k),
            _ => business.push((k, v)),
        }
    }
    let method = required(
        method,
        "method",
        (
            "the Qimen custom method, e.g. `wdt.trade.push`",
            "奇门自定义的方法名，例如 `wdt.trade.push`",
        ),
    )?;
    let method = methods::lookup(&method)?;
    let timestamp = match timestamp {
        Some(t) => Some(parse_qimen(&t).map_err(ConvertError::Timestamp)?),
        None => None,
    };
    let sid = required(
        sid,
        "sid",
        (
            "the wdt seller account, in the form body",
            "旺店通的卖家账号，放在表单正文里",
        ),
    )?;
    Ok(WdtCall {
        method,
        environment,
        sid,
        appkey,
        timestamp,
        business,
        dropped,
    })
}

/// The notes of a conversion, in English and in Chinese.
#[derive(Default)]
struct Notes {
    en: Vec<String>,
    zh: Vec<String>,
}

impl Notes {
    fn push(&mut self, en: String, zh: String) {
        self.en.push(en);
        self.zh.push(zh);
    }
}

fn dropped_note(dropped: &[String], notes: &mut Notes) {
    let names: Vec<String> = dropped
        .iter()
        .filter(|n| *n != "sign")
        .map(|n| format!("`{n}`"))
        .collect();
    if !names.is_empty() {
        notes.push(
            format!(
                "dropped {}: no counterpart on the other side",
                names.join(", ")
            ),
            format!("去掉了 {}：另一边没有对应的参数", names.join("、")),
        );
    }
}

fn empty_value_notes(call: &WdtCall, notes: &mut Notes) {
    for (k, v) in &call.business {
        if v.is_empty() {
            notes.push(
                format!(
                    "business parameter `{k}` is empty: Qimen leaves empty values out of its \
                     sign, wdt packs them; better not to send it"
                ),
                format!(
                    "业务参数 `{k}` 是空的：奇门签名时略过空值，旺店通却会把它拼进去；最好不要发送"
                ),
            );
        }
    }
}

/// Writes a call as a Qimen custom request.
pub fn render_qimen_custom(
    call: &WdtCall,
    options: &ToQimenCustom<'_>,
) -> Result<Converted, ConvertError> {
    if options.app_key.is_empty() {
        return Err(ConvertError::Missing {
            param: "app_key",
            hint: "your own Qimen app key",
            hint_zh: "你自己的奇门 app key",
        });
    }
    if options.target_app_key.is_empty() {
        return Err(ConvertError::Missing {
            param: "target_app_key",
            hint: "wdt's app key on Qimen, from the authorisation mail",
            hint_zh: "旺店通在奇门上的 app key，见授权邮件",
        });
    }
    if let Some((k, _)) = call
        .business
        .iter()
        .find(|(k, _)| QIMEN_SYSTEM_PARAMS.contains(&k.as_str()))
    {
        return Err(ConvertError::Collision(k.clone()));
    }
    let unix = options
        .timestamp
        .or(call.timestamp)
        .ok_or(ConvertError::Missing {
            param: "timestamp",
            hint: "the input has none; give a moment to use",
            hint_zh: "输入里没有；请给出要用的时刻",
        })?;
    let method = if options.namespaced_method {
        call.method.qimen_namespaced()
    } else {
        call.method.qimen.to_string()
    };
    let mut query: Vec<(String, String)> = [
        ("method", method),
        ("app_key", options.app_key.to_string()),
        ("target_app_key", options.target_app_key.to_string()),
        ("format", "json".to_string()),
        ("v", "2.0".to_string()),
        ("sign_method", SignMethod::Md5.as_str().to_string()),
        ("timestamp", format_qimen(unix)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut form = vec![("sid".to_string(), call.sid.clone())];
    form.extend(call.business.iter().cloned());

    let mut notes = Notes::default();
    if call.appkey.is_some() {
        notes.push(
            "the wdt `appkey` is not sent: Qimen identifies the caller by `app_key`".to_string(),
            "旺店通的 `appkey` 不再发送：奇门凭 `app_key` 识别调用方".to_string(),
        );
    }
    dropped_note(&call.dropped, &mut notes);
    empty_value_notes(call, &mut notes);
    let signed = match options.secret {
        Some(secret) => {
            let all: Vec<&(String, String)> = query.iter().chain(&form).collect();
            let pairs: Vec<(&str, &str)> =
                all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let sign = qimen::sign(&pairs, None, secret, SignMethod::Md5);
            query.push(("sign".to_string(), sign));
            true
        }
        None => {
            notes.push(
                "no secret given: `sign` is left out; sign with your Qimen app secret (md5 over \
                 the query and form parameters)"
                    .to_string(),
                "没有给密钥：输出里没有 `sign`；请用你的奇门 app secret 签名（对查询参数和表单参数做 md5）"
                    .to_string(),
            );
            false
        }
    };
    Ok(Converted {
        scheme: "http",
        host: QIMEN_HOST,
        path: match call.environment {
            Environment::Production => QIMEN_PATH,
            Environment::Sandbox => QIMEN_TEST_PATH,
        }
        .to_string(),
        query,
        form,
        signed,
        notes: notes.en,
        notes_zh: notes.zh,
    })
}

/// Writes a call as a standard openapi2 request.
pub fn render_standard(
    call: &WdtCall,
    options: &ToStandard<'_>,
) -> Result<Converted, ConvertError> {
    let mut notes = Notes::default();
    let appkey = match (options.appkey.filter(|a| !a.is_empty()), &call.appkey) {
        (Some(given), Some(found)) => {
            if given != found {
                notes.push(
                    "the request's wdt `appkey` was replaced by the one given".to_string(),
                    "请求里旺店通的 `appkey` 换成了给定的那个".to_string(),
                );
            }
            given.to_string()
        }
        (Some(given), None) => given.to_string(),
        (None, Some(found)) => found.clone(),
        (None, None) => {
            return Err(ConvertError::Missing {
                param: "appkey",
                hint: "the wdt appkey: the Qimen request does not carry it",
                hint_zh: "旺店通的 appkey：奇门请求里没有它",
            })
        }
    };
    let unix = options
        .timestamp
        .or(call.timestamp)
        .ok_or(ConvertError::Missing {
            param: "timestamp",
            hint: "the input has none; give a moment to use",
            hint_zh: "输入里没有；请给出要用的时刻",
        })?;
    let mut form = vec![
        ("sid".to_string(), call.sid.clone()),
        ("appkey".to_string(), appkey),
        ("timestamp".to_string(), unix.to_string()),
    ];
    form.extend(call.business.iter().cloned());
    dropped_note(&call.dropped, &mut notes);
    empty_value_notes(call, &mut notes);
    let signed = match options.secret {
        Some(secret) => {
            let sign = wdt::sign(&form, secret);
            form.push(("sign".to_string(), sign));
            true
        }
        None => {
            notes.push(
                "no secret given: `sign` is left out; sign with the wdt appsecret (packed md5 \
                 over the form parameters)"
                    .to_string(),
                "没有给密钥：输出里没有 `sign`；请用旺店通的 appsecret 签名（对表单参数拼接后做 md5）"
                    .to_string(),
            );
            false
        }
    };
    Ok(Converted {
        scheme: "https",
        host: match call.environment {
            Environment::Production => STANDARD_HOST,
            Environment::Sandbox => STANDARD_SANDBOX_HOST,
        },
        path: format!("{STANDARD_PATH_PREFIX}{}", call.method.php),
        query: Vec::new(),
        form,
        signed,
        notes: notes.en,
        notes_zh: notes.zh,
    })
}

/// Converts a standard request (HTTP text) into a Qimen custom request.
pub fn to_qimen_custom(
    input: &[u8],
    options: &ToQimenCustom<'_>,
) -> Result<Converted, ConvertError> {
    render_qimen_custom(&parse_standard(input)?, options)
}

/// Converts a Qimen custom request (HTTP text) into a standard request.
pub fn to_standard(input: &[u8], options: &ToStandard<'_>) -> Result<Converted, ConvertError> {
    render_standard(&parse_qimen_custom(input)?, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TV-QM-CUSTOM-1's business parameters, as a standard request signed with `12345`.
    const TRADE_LIST: &str = r#"[{"tid":"T1","buyer_nick":"张三"}]"#;

    fn standard_request(extra: &str) -> String {
        let form = params::encode(&[
            ("sid", "wdt2"),
            ("appkey", "wdt2-ot"),
            ("timestamp", "1575599820"),
            ("shop_no", "api_test"),
            ("switch", "0"),
            ("trade_list", TRADE_LIST),
        ]);
        format!(
            "POST https://api.wangdian.cn/openapi2/trade_push.php HTTP/1.1\r\n\
             Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\r\n{form}{extra}\n"
        )
    }

    fn qimen_options(secret: Option<&[u8]>) -> ToQimenCustom<'_> {
        ToQimenCustom {
            app_key: "12345678",
            target_app_key: "87654321",
            secret,
            ..ToQimenCustom::default()
        }
    }

    #[test]
    fn a_name_in_the_query_and_in_a_large_body_is_refused() {
        let query = crate::wire::params::tests::many(50_000);
        let body: Vec<String> = (50_000..100_000).map(|i| format!("q{i}={i}")).collect();
        let raw = format!(
            "POST https://api.wangdian.cn/openapi2/trade_push.php?{query} HTTP/1.1\r\n\r\n{}&p123=x\n",
            body.join("&")
        );
        match to_qimen_custom(raw.as_bytes(), &qimen_options(None)) {
            Err(ConvertError::Duplicate(name)) => assert_eq!(name, "p123"),
            other => panic!("expected a duplicate, found {other:?}"),
        }
    }

    #[test]
    fn tv_qm_custom_1_comes_out_of_a_converted_request() {
        let out = to_qimen_custom(
            standard_request("").as_bytes(),
            &qimen_options(Some(b"helloworld")),
        )
        .unwrap();
        assert_eq!(out.param("sign"), Some("E17DA04BB04802018C03DB6A20CC7B75"));
        assert!(out.signed);
        assert_eq!(
            out.url().split('?').next(),
            Some("http://hu3cgwt0tc.api.taobao.com/router/qm")
        );
        assert_eq!(
            out.to_http(),
            "POST /router/qm?method=wdt.trade.push&app_key=12345678&target_app_key=87654321\
             &format=json&v=2.0&sign_method=md5&timestamp=2019-12-06+10%3A37%3A00\
             &sign=E17DA04BB04802018C03DB6A20CC7B75 HTTP/1.1\n\
             Host: hu3cgwt0tc.api.taobao.com\n\
             Content-Type: application/x-www-form-urlencoded; charset=UTF-8\n\n\
             sid=wdt2&shop_no=api_test&switch=0\
             &trade_list=%5B%7B%22tid%22%3A%22T1%22%2C%22buyer_nick%22%3A%22%E5%BC%A0%E4%B8%89%22%7D%5D"
        );
        assert_eq!(
            out.notes,
            vec!["the wdt `appkey` is not sent: Qimen identifies the caller by `app_key`"]
        );
        // What we wrote is read back as the same request, and verifies.
        let http = out.to_http();
        let req = http::parse(http.as_bytes()).unwrap();
        let mut pairs = params::parse(req.query).unwrap();
        let received = pairs.pop().unwrap();
        pairs.extend(params::parse(std::str::from_utf8(req.body).unwrap()).unwrap());
        assert_eq!(
            received.1,
            qimen::sign(&pairs, None, b"helloworld", SignMethod::Md5)
        );
    }

    #[test]
    fn without_a_secret_there_is_no_sign_and_a_note() {
        let out = to_qimen_custom(standard_request("").as_bytes(), &qimen_options(None)).unwrap();
        assert_eq!(out.param("sign"), None);
        assert!(!out.signed);
        assert!(out
            .notes
            .iter()
            .any(|n| n.starts_with("no secret given: `sign` is left out")));
        let back = to_standard(out.to_http().as_bytes(), &ToStandard::default());
        assert!(matches!(
            back,
            Err(ConvertError::Missing {
                param: "appkey",
                ..
            })
        ));
    }

    #[test]
    fn round_trip_keeps_business_parameters_byte_for_byte() {
        let tricky: [(&str, &str); 4] = [
            ("trade_list", TRADE_LIST),
            ("remark", "a&b+c %26 d=e 100% 店铺1 😀 \"q\" \\ / ~"),
            (
                "goods_list",
                r#"[{"spec_no":"S&1","num":"1.50","name":"加湿器+滤芯"}]"#,
            ),
            ("plus", "+"),
        ];
        let mut pairs = vec![
            ("sid", "wdt2"),
            ("appkey", "wdt2-ot"),
            ("timestamp", "1575599820"),
        ];
        pairs.extend(tricky);
        let form = params::encode(&pairs);
        let input =
            format!("POST /openapi2/trade_push.php HTTP/1.1\nHost: sandbox.wangdian.cn\n\n{form}");
        let first = parse_standard(input.as_bytes()).unwrap();
        assert_eq!(first.environment, Environment::Sandbox);
        let custom = render_qimen_custom(&first, &qimen_options(Some(b"qm-secret"))).unwrap();
        assert_eq!(custom.path, QIMEN_TEST_PATH);
        let http = custom.to_http();
        let again = parse_qimen_custom(http.as_bytes()).unwrap();
        assert_eq!(again.business, first.business);
        assert_eq!(again.sid, "wdt2");
        assert_eq!(again.timestamp, Some(1_575_599_820));
        assert_eq!(again.environment, Environment::Sandbox);
        assert_eq!(
            again.dropped,
            [
                "app_key",
                "target_app_key",
                "format",
                "v",
                "sign_method",
                "sign"
            ]
        );
        let standard = render_standard(
            &again,
            &ToStandard {
                appkey: Some("wdt2-ot"),
                secret: Some(b"12345"),
                timestamp: None,
            },
        )
        .unwrap();
        assert_eq!(
            standard.url(),
            "https://sandbox.wangdian.cn/openapi2/trade_push.php"
        );
        // Same parameters as the input, plus a wdt sign that verifies.
        let back = parse_standard(standard.to_http().as_bytes()).unwrap();
        assert_eq!(back.business, first.business);
        let business: Vec<(String, String)> = tricky
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(back.business, business);
        let sign = standard.param("sign").unwrap();
        let unsigned: Vec<_> = standard
            .form
            .iter()
            .filter(|(k, _)| k != "sign")
            .cloned()
            .collect();
        assert_eq!(sign, wdt::sign(&unsigned, b"12345"));
        assert_eq!(
            standard.notes,
            vec!["dropped `app_key`, `target_app_key`, `format`, `v`, `sign_method`: no counterpart on the other side"]
        );
    }

    #[test]
    fn timestamps_convert_both_ways() {
        let call = parse_standard(standard_request("").as_bytes()).unwrap();
        let mut options = qimen_options(None);
        options.timestamp = Some(0);
        let out = render_qimen_custom(&call, &options).unwrap();
        assert_eq!(out.param("timestamp"), Some("1970-01-01 08:00:00"));
        let qimen = "POST /router/qm?method=wdt.refund.query&timestamp=2024-02-29+23%3A59%3A59&app_key=1 HTTP/1.1\n\n\
                     sid=s1&appkey=k1&status=10";
        let out = to_standard(qimen.as_bytes(), &ToStandard::default()).unwrap();
        assert_eq!(out.param("timestamp"), Some("1709222399"));
        assert_eq!(out.param("appkey"), Some("k1"));
        assert_eq!(out.path, "/openapi2/refund_query.php");
        let bad = qimen.replace("23%3A59%3A59", "24%3A00%3A00");
        assert!(matches!(
            to_standard(bad.as_bytes(), &ToStandard::default()),
            Err(ConvertError::Timestamp(_))
        ));
        let bad = standard_request("").replace("1575599820", "2019-12-06+10%3A37%3A00");
        let e = parse_standard(bad.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`timestamp`: expected unix seconds, found `2019-12-06 10:37:00` (a formatted \
             date-time: is this a Qimen request?)"
        );
    }

    #[test]
    fn namespaced_methods_and_exceptions() {
        let input = "POST http://api.wangdian.cn/openapi2/shop.php HTTP/1.1\n\nsid=s&appkey=k&timestamp=1&shop_no=x";
        let mut options = qimen_options(None);
        options.namespaced_method = true;
        let out = to_qimen_custom(input.as_bytes(), &options).unwrap();
        assert_eq!(out.param("method"), Some("hu3cgwt0tc.wdt.shop.query"));
        let back = to_standard(
            out.to_http().as_bytes(),
            &ToStandard {
                appkey: Some("k"),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(back.path, "/openapi2/shop.php");
    }

    #[test]
    fn malformed_inputs_are_clear_errors() {
        let err = |input: &str| parse_standard(input.as_bytes()).unwrap_err().to_string();
        assert!(err("sid=1").starts_with("expected a request line"));
        assert_eq!(
            err("POST /openapi2/trade_pushh.php HTTP/1.1\n\nsid=1"),
            "expected one of the 54 wdt APIs offered through Qimen custom, found \
             `trade_pushh.php`; did you mean `trade_push.php` (`wdt.trade.push`)?"
        );
        assert_eq!(
            err("POST /openapi2/trade_push.php HTTP/1.1\n\nappkey=1"),
            "expected `sid`, found none (the wdt seller account)"
        );
        assert_eq!(
            err("POST /openapi2/trade_push.php HTTP/1.1\nContent-Type: application/json\n\n{}"),
            "expected `Content-Type: application/x-www-form-urlencoded` (UTF-8), found `application/json`"
        );
        assert_eq!(
            err("POST /openapi2/trade_push.php HTTP/1.1\nContent-Type: application/x-www-form-urlencoded; charset=GBK\n\nsid=1"),
            "expected `Content-Type: application/x-www-form-urlencoded` (UTF-8), found `application/x-www-form-urlencoded; charset=GBK`"
        );
        assert_eq!(
            err("POST /openapi2/trade_push.php?sid=1 HTTP/1.1\n\nsid=2"),
            "parameter `sid` is given in both the query and the body"
        );
        assert_eq!(
            err("POST /openapi2/trade_push.php HTTP/1.1\n\nsid=%E5"),
            "in the body: percent-decoded bytes are not UTF-8, in the segment at byte 4"
        );
        assert!(
            err("POST /router/qm?method=wdt.trade.push HTTP/1.1\n\nsid=1")
                .contains("a Qimen custom path; convert it to the standard side instead")
        );
        let mut bad = b"POST /openapi2/trade_push.php HTTP/1.1\n\nsid=".to_vec();
        bad.push(0xff);
        assert_eq!(parse_standard(&bad), Err(ConvertError::BodyNotUtf8));

        let qerr = |input: &str| {
            parse_qimen_custom(input.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            qerr("POST /router/qm HTTP/1.1\n\nsid=1"),
            "expected `method`, found none (the Qimen custom method, e.g. `wdt.trade.push`)"
        );
        assert!(qerr("POST /openapi2/trade_push.php HTTP/1.1\n\nsid=1").contains("a standard path"));
        assert_eq!(
            qerr("POST /router/qm?method=wdt.trade.push HTTP/1.1\n\nshop_no=1"),
            "expected `sid`, found none (the wdt seller account, in the form body)"
        );

        // A business parameter that Qimen would read as its own.
        let call = parse_standard(standard_request("&format=xml").as_bytes()).unwrap();
        assert_eq!(
            render_qimen_custom(&call, &qimen_options(None))
                .unwrap_err()
                .to_string(),
            "business parameter `format` has the name of a Qimen system parameter and cannot be \
             sent through Qimen"
        );
        assert!(matches!(
            render_qimen_custom(&call, &ToQimenCustom::default()),
            Err(ConvertError::Missing {
                param: "app_key",
                ..
            })
        ));
        let no_time = "POST /openapi2/trade_push.php HTTP/1.1\n\nsid=1&shop_no=2";
        let call = parse_standard(no_time.as_bytes()).unwrap();
        assert!(matches!(
            render_qimen_custom(&call, &qimen_options(None)),
            Err(ConvertError::Missing {
                param: "timestamp",
                ..
            })
        ));
    }

    #[test]
    fn every_prefix_of_a_request_is_handled_without_panic() {
        let standard = standard_request("&remark=%E5%BA%97%26");
        let custom = to_qimen_custom(standard.as_bytes(), &qimen_options(Some(b"s")))
            .unwrap()
            .to_http();
        for input in [standard.as_bytes(), custom.as_bytes()] {
            for end in 0..=input.len() {
                let prefix = &input[..end];
                let _ =
                    parse_standard(prefix).map(|c| render_qimen_custom(&c, &qimen_options(None)));
                let _ =
                    parse_qimen_custom(prefix).map(|c| render_standard(&c, &ToStandard::default()));
            }
        }
    }

    #[test]
    fn a_given_appkey_replaces_the_one_in_the_form() {
        let qimen =
            "POST /router/qm?method=wdt.goods.query&timestamp=2024-01-01+00%3A00%3A00 HTTP/1.1\n\n\
                     sid=s1&appkey=old&goods_no=G1";
        let given = ToStandard {
            appkey: Some("new"),
            ..Default::default()
        };
        let out = to_standard(qimen.as_bytes(), &given).unwrap();
        assert_eq!(out.param("appkey"), Some("new"));
        assert_eq!(
            out.notes[0],
            "the request's wdt `appkey` was replaced by the one given"
        );
        let same = ToStandard {
            appkey: Some("old"),
            ..Default::default()
        };
        let out = to_standard(qimen.as_bytes(), &same).unwrap();
        assert!(!out.notes.iter().any(|n| n.contains("replaced")));
    }

    #[test]
    fn dropped_and_empty_parameters_are_noted_by_name_only() {
        let qimen = "POST /router/qm?method=wdt.trade.query&partner_id=top-sdk&timestamp=2024-01-01+00%3A00%3A00 HTTP/1.1\n\n\
                     sid=s1&customerId=c&buyer_nick=&shop_no=x";
        let out = to_standard(
            qimen.as_bytes(),
            &ToStandard {
                appkey: Some("k"),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            out.notes[..2],
            [
                "dropped `partner_id`, `customerId`: no counterpart on the other side".to_string(),
                "business parameter `buyer_nick` is empty: Qimen leaves empty values out of its \
                 sign, wdt packs them; better not to send it"
                    .to_string()
            ]
        );
        assert_eq!(out.param("buyer_nick"), Some(""));
    }
}
