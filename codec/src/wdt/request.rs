//! Linting a whole wdt (旺店通) request: system parameters, timestamp, `Content-Type` and sign,
//! with every position in the original input.
//!
//! Two kinds of request are recognised ([`detect`]):
//!
//! - **企业版 openapi2**: the target's path is `…/openapi2/<name>.php`; every parameter travels
//!   in the `application/x-www-form-urlencoded` body (parameters in the URL query are counted
//!   too). Required: `sid`, `appkey`, `timestamp` (`param.missing`), `sign` (`sign.missing`).
//!   `timestamp` is Unix seconds (`timestamp.format`), within ±300 s of now
//!   (`timestamp.window`, with `--now`); `sign` is 32 hex digits, lowercase as the SDKs send it
//!   (`sign.mismatch`, a warning for uppercase), and is verified with the appsecret when one is
//!   given (`sign.mismatch` with the diagnosis of [`crate::sign::diagnose_wdt`]).
//! - **企业版 through Qimen custom**: the query's `method` is `wdt.…` or `<namespace>.wdt.…`
//!   (`hu3cgwt0tc.wdt.trade.push`); the Qimen system parameters are in the query and the wdt
//!   business parameters in the form body. Required: `method`, `app_key`, `timestamp`, `v`,
//!   `target_app_key` and `sid` (or the 旗舰版 `wdt3_customer_id`) (`param.missing`);
//!   `format` and `sign_method` are warnings when missing. The timestamp is Qimen's
//!   `yyyy-MM-dd HH:mm:ss` GMT+8 within the configured window. The Qimen `sign` (md5, `hmac` or
//!   `hmac-sha256`) is over the query and form parameters, with no body bytes; it is verified
//!   with the Qimen app secret when one is given, with [`crate::sign::diagnose_qimen`]'s
//!   diagnosis. The inner `wdt_sign` of 旗舰版 calls needs the wdt appsecret, another secret, and
//!   is not checked here (`qmwire verify wdt-qimen` does).
//!
//! For both, `Content-Type` must be `application/x-www-form-urlencoded` with no charset or
//! `charset=utf-8` (`charset.mismatch`; a missing charset is a warning). Line ends after the
//! form body (as `.http` files have) are not part of it: a raw newline cannot occur in a form.
//!
//! Positions: a parameter's issue points at its value (in the query or the form), a missing
//! parameter at the request line, a `Content-Type` issue at the header's value. The values of
//! the business parameters (which hold buyer names, phones and addresses inside their JSON), in
//! the query or the form, are listed as personal spans, so renderers never quote them; a query
//! or form that does not decode is masked whole.
//!
//! # The hook for the business JSON
//!
//! [`business_params`] (one request) and [`business_params_in`] (one request of a bigger file)
//! return the [`WdtCall`]: which API is called and its business parameters (the form parameters
//! that are not system parameters, e.g. `trade_list`, `shop_no`, `params`, `pager`), each
//! decoded, with the byte range of its value in the **original input** and whether it was
//! percent-encoded. [`LocatedParam::original_span`] maps a range of the decoded value (e.g. the
//! span of a JSON member found by a JSON linter) back to the bytes as written.
//!
//! ```
//! use qmwire::wdt::request::{business_params, WdtEndpoint};
//!
//! let raw = b"POST /openapi2/trade_push.php HTTP/1.1\n\
//! Content-Type: application/x-www-form-urlencoded; charset=utf-8\n\n\
//! sid=s1&appkey=k&timestamp=1700000000&shop_no=s&trade_list=%5B%7B%22tid%22%3A%22T1%22%7D%5D&sign=x";
//! let call = business_params(raw).expect("a wdt request").expect("a well-formed form");
//! assert_eq!(call.endpoint, WdtEndpoint::Openapi2 { name: "trade_push".into() });
//! assert_eq!(call.endpoint.api_name(), "trade_push");
//! let names: Vec<&str> = call.business.iter().map(|p| p.name.as_ref()).collect();
//! assert_eq!(names, ["shop_no", "trade_list"]);
//! let list = &call.business[1];
//! assert_eq!(list.value, r#"[{"tid":"T1"}]"#);
//! assert!(list.percent_encoded);
//! // `"T1"` is bytes 8..12 of the decoded value; in the request it is written `%22T1%22`.
//! let span = list.original_span(8..12);
//! assert_eq!(&raw[span.range()], b"%22T1%22");
//! ```

use crate::options::Options;
use crate::report::{Msg, Protocol, Report};
use crate::sign::{diagnose, wdt as wdt_sign};
use crate::validate::{Issue, Severity};
use crate::wire::http::{self, HttpRequest};
use crate::wire::http::{header_charset, is_utf8_name};
use crate::wire::located::{offset_in, parse_located, LocatedParam};
use crate::wire::params::ParamError;
use crate::wire::span::Span;
use crate::wire::timestamp;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// The wdt API a request calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WdtEndpoint {
    /// 企业版 openapi2, `…/openapi2/<name>.php`; `name` is e.g. `trade_push`.
    Openapi2 {
        /// The script name without `.php`.
        name: String,
    },
    /// Through Qimen custom; `method` as sent, e.g. `wdt.trade.push` or
    /// `hu3cgwt0tc.wdt.trade.push`.
    QimenCustom {
        /// The query's `method`.
        method: String,
    },
}

impl WdtEndpoint {
    /// The API's openapi2 name: `trade_push` for `…/trade_push.php` and for
    /// `[namespace.]wdt.trade.push` (the seed's mapping `xxx_yyy.php` ⇔ `wdt.xxx.yyy`).
    pub fn api_name(&self) -> String {
        match self {
            WdtEndpoint::Openapi2 { name } => name.clone(),
            WdtEndpoint::QimenCustom { method } => wdt_sign::qimen_custom_method(method)
                .trim_start_matches("wdt.")
                .replace('.', "_"),
        }
    }
}

/// A wdt call and its business parameters, located in the original input (see the module docs).
#[derive(Debug, Clone)]
pub struct WdtCall<'a> {
    /// Which API is called, and how.
    pub endpoint: WdtEndpoint,
    /// The form parameters that are not system parameters, in the order written.
    pub business: Vec<LocatedParam<'a>>,
}

/// System parameters of openapi2 calls; every other form parameter is a business parameter.
const OPENAPI2_SYSTEM: [&str; 4] = ["sid", "appkey", "timestamp", "sign"];

/// Parameters of Qimen custom calls that are not wdt business parameters: the Qimen system
/// parameters, the wdt account (`sid`, `appkey`) and the 旗舰版 inner-sign parameters.
const QIMEN_CUSTOM_SYSTEM: [&str; 17] = [
    "method",
    "app_key",
    "target_app_key",
    "timestamp",
    "v",
    "format",
    "sign_method",
    "sign",
    "session",
    "partner_id",
    "customerId",
    "sid",
    "appkey",
    "wdt3_customer_id",
    "wdt_appkey",
    "wdt_salt",
    "wdt_sign",
];

/// The path of a request target (`http://h/p?q` or `/p?q`), without query and fragment.
fn target_path(target: &str) -> &str {
    let no_query = target.split(['?', '#']).next().unwrap_or("");
    match no_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => no_query,
    }
}

/// Whether `method` is a wdt method through Qimen custom: `wdt.…` or `<namespace>.wdt.…`.
fn is_wdt_method(method: &str) -> bool {
    method.starts_with("wdt.")
        || method
            .split_once('.')
            .is_some_and(|(ns, rest)| !ns.is_empty() && rest.starts_with("wdt."))
}

/// Which wdt API the request calls, if it is a wdt request (see the module docs).
pub fn detect(req: &HttpRequest<'_>) -> Option<WdtEndpoint> {
    let path = target_path(req.target);
    if let Some(i) = path.find("/openapi2/") {
        let script = &path[i + "/openapi2/".len()..];
        if let Some(name) = script.strip_suffix(".php") {
            let ok =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if ok {
                return Some(WdtEndpoint::Openapi2 { name: name.into() });
            }
        }
    }
    let query = crate::wire::params::parse(req.query).ok()?;
    let method = query.iter().find(|(k, _)| k == "method")?.1.trim();
    is_wdt_method(method).then(|| WdtEndpoint::QimenCustom {
        method: method.to_string(),
    })
}

/// The form body as text without trailing line ends, and its offset in `input`; `None` when
/// the body is not UTF-8.
fn form_text<'a>(input: &'a [u8], req: &HttpRequest<'a>) -> Option<(&'a str, usize)> {
    let body = std::str::from_utf8(req.body).ok()?;
    Some((
        body.trim_end_matches(['\r', '\n']),
        offset_in(input, req.body),
    ))
}

/// [`business_params_in`] over a whole input that is one request.
pub fn business_params(input: &[u8]) -> Option<Result<WdtCall<'_>, ParamError>> {
    business_params_in(input, 0..input.len())
}

/// The wdt call made by the request at `request` (a byte range) in `input`, with its business
/// parameters; positions are in `input`. `None` when that range is not an HTTP request to a
/// wdt endpoint, or its body is not UTF-8; an error when the form body is malformed (bad `%`
/// escape, not UTF-8 once decoded, an empty or repeated name).
pub fn business_params_in(
    input: &[u8],
    request: Range<usize>,
) -> Option<Result<WdtCall<'_>, ParamError>> {
    let req = http::parse(input.get(request)?).ok()?;
    let endpoint = detect(&req)?;
    let (form, base) = form_text(input, &req)?;
    let system: &[&str] = match endpoint {
        WdtEndpoint::Openapi2 { .. } => &OPENAPI2_SYSTEM,
        WdtEndpoint::QimenCustom { .. } => &QIMEN_CUSTOM_SYSTEM,
    };
    Some(parse_located(form, base).map(|params| {
        WdtCall {
            endpoint,
            business: params
                .into_iter()
                .filter(|p| !system.contains(&p.name.as_ref()))
                .collect(),
        }
    }))
}

/// Collects issues with positions in the whole input.
struct Issues<'a> {
    issues: Vec<Issue>,
    /// Where the request line starts: missing parameters point here.
    line: usize,
    input: &'a [u8],
}

impl Issues<'_> {
    fn push(
        &mut self,
        rule: &'static str,
        severity: Severity,
        path: &str,
        span: Span,
        message: Msg,
    ) {
        self.issues.push(Issue {
            rule,
            severity,
            path: path.to_string(),
            span,
            message: message.en,
            message_zh: message.zh,
        });
    }

    fn missing(&mut self, severity: Severity, name: &str, why: &str, why_zh: &str) {
        let at = Span::new(self.line, self.line);
        self.push(
            crate::rules::PARAM_MISSING,
            severity,
            &format!("?{name}"),
            at,
            Msg::new(
                format!("expected parameter `{name}`{why}, found none"),
                format!("缺少参数 `{name}`{why_zh}"),
            ),
        );
    }
}

/// The merged parameters of the query and the form, each with where it was found.
struct Params<'a> {
    all: Vec<LocatedParam<'a>>,
}

impl<'a> Params<'a> {
    fn get(&self, name: &str) -> Option<&LocatedParam<'a>> {
        self.all
            .iter()
            .find(|p| p.name == name && !p.value.is_empty())
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.all
            .iter()
            .map(|p| (p.name.as_ref(), p.value.as_ref()))
            .collect()
    }
}

/// Lints one wdt request. `req` was parsed from a sub-slice of `input` (or all of it); every
/// position in the report is in `input`.
pub(crate) fn lint_request(
    input: &[u8],
    req: &HttpRequest<'_>,
    endpoint: &WdtEndpoint,
    options: &Options,
) -> Report {
    let line = offset_in(input, req.method.as_bytes());
    let mut out = Issues {
        issues: Vec::new(),
        line,
        input,
    };
    let mut personal = Vec::new();
    // An absent query is a static `""`, not a slice of the input.
    let query_at = if req.query.is_empty() {
        line
    } else {
        offset_in(input, req.query.as_bytes())
    };
    let query = match parse_located(req.query, query_at) {
        Ok(q) => Some(q),
        Err(e) => {
            out.push(
                crate::rules::REQUEST_SYNTAX,
                Severity::Error,
                "?",
                Span::new(e.offset, e.offset),
                Msg::new(
                    format!("malformed query: {e}"),
                    format!("查询串格式错误：{}", e.zh()),
                ),
            );
            None
        }
    };
    let form = match form_text(input, req) {
        None => {
            let at = offset_in(input, req.body);
            out.push(
                crate::rules::REQUEST_SYNTAX,
                Severity::Error,
                "/",
                Span::new(at, at),
                Msg::new(
                    "expected a form body in UTF-8, found other bytes".into(),
                    "表单正文应为 UTF-8，实际含有其他字节".into(),
                ),
            );
            None
        }
        Some((text, base)) => match parse_located(text, base) {
            Ok(f) => Some(f),
            Err(e) => {
                out.push(
                    crate::rules::REQUEST_SYNTAX,
                    Severity::Error,
                    "/",
                    Span::new(e.offset, e.offset),
                    Msg::new(
                        format!("malformed form body: {e}"),
                        format!("表单正文格式错误：{}", e.zh()),
                    ),
                );
                None
            }
        },
    };
    content_type(&mut out, req);
    // Business values may hold personal data: mask them, or all of a part that did not decode.
    let system: &[&str] = match endpoint {
        WdtEndpoint::Openapi2 { .. } => &OPENAPI2_SYSTEM,
        WdtEndpoint::QimenCustom { .. } => &QIMEN_CUSTOM_SYSTEM,
    };
    for (part, whole) in [
        (&query, Span::new(query_at, query_at + req.query.len())),
        (&form, {
            let at = offset_in(input, req.body);
            Span::new(at, at + req.body.len())
        }),
    ] {
        match part {
            Some(params) => personal.extend(
                params
                    .iter()
                    .filter(|p| !system.contains(&p.name.as_ref()))
                    .map(|p| p.value_span),
            ),
            None => personal.push(whole),
        }
    }
    // The business JSON of an API qmwire has a contract for, linted like a form body file.
    let api = crate::model::wdt::method(&endpoint.api_name());
    let mut business = None;
    if let (Some(spec), Some(_), Some((text, base))) = (api, &form, form_text(input, req)) {
        let mut body = super::lint::lint_form(text.as_bytes(), Some(spec.method), options);
        let shift = |s: Span| Span::new(s.start as usize + base, s.end as usize + base);
        for issue in &mut body.issues {
            issue.span = shift(issue.span);
        }
        if let Some(spans) = &body.personal_spans {
            personal.extend(spans.iter().map(|&s| shift(s)));
        }
        business = Some(body);
    }
    if let (Some(query), Some(form)) = (query, form) {
        // Where each query parameter's name starts, looked up in constant time.
        let in_query: HashMap<Cow<'_, str>, u32> = query
            .iter()
            .map(|q| (q.name.clone(), q.name_span.start))
            .collect();
        let mut all = query;
        for p in form {
            if let Some(first) = in_query.get(&p.name) {
                let at = p.name_span;
                out.push(
                    crate::rules::REQUEST_SYNTAX,
                    Severity::Error,
                    &format!("?{}", p.name),
                    at,
                    Msg::new(
                        format!(
                            "parameter `{}` is in the query and in the form body; the two sides of a signed call would disagree on which counts (first at byte {})",
                            p.name, first
                        ),
                        format!(
                            "参数 `{}` 同时出现在查询串和表单正文里；签名调用的双方对以哪个为准会有分歧（第一次在第 {} 字节）",
                            p.name, first
                        ),
                    ),
                );
                continue;
            }
            all.push(p);
        }
        let params = Params { all };
        match endpoint {
            WdtEndpoint::Openapi2 { .. } => openapi2(&mut out, &params, options),
            WdtEndpoint::QimenCustom { .. } => qimen_custom(&mut out, &params, options),
        }
    }
    let mut report = Report::empty(Protocol::Wdt);
    report.method = api.map(|m| m.method);
    report.issues = out.issues;
    if let Some(business) = business {
        report.absorb(business);
    }
    report.personal_spans = Some(personal);
    report
}

/// `charset.mismatch`: the body must be a UTF-8 form.
fn content_type(out: &mut Issues<'_>, req: &HttpRequest<'_>) {
    const EXPECTED: &str = "`application/x-www-form-urlencoded; charset=utf-8`";
    let Some(value) = req.header("content-type") else {
        let at = Span::new(out.line, out.line);
        out.push(
            crate::rules::CHARSET_MISMATCH,
            Severity::Warning,
            "Content-Type",
            at,
            Msg::new(
                format!("expected {EXPECTED}, found no Content-Type header"),
                format!("应为 {EXPECTED}，实际没有 Content-Type 头"),
            ),
        );
        return;
    };
    let at = offset_in(out.input, value.as_bytes());
    let span = Span::new(at, at + value.len());
    let media = value.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        out.push(
            crate::rules::CHARSET_MISMATCH,
            Severity::Error,
            "Content-Type",
            span,
            Msg::new(
                format!("expected {EXPECTED} (wdt reads form parameters), found `{value}`"),
                format!("应为 {EXPECTED}（旺店通读取表单参数），实际为 `{value}`"),
            ),
        );
        return;
    }
    match header_charset(value).filter(|c| !c.is_empty()) {
        None => out.push(
            crate::rules::CHARSET_MISMATCH,
            Severity::Warning,
            "Content-Type",
            span,
            Msg::new(
                format!("expected {EXPECTED}, found `{value}`; without a charset, receivers may not decode the parameters as UTF-8"),
                format!("应为 {EXPECTED}，实际为 `{value}`；没有 charset，接收方可能不按 UTF-8 解码参数"),
            ),
        ),
        Some(c) if !is_utf8_name(c) => out.push(
            crate::rules::CHARSET_MISMATCH,
            Severity::Error,
            "Content-Type",
            span,
            Msg::new(
                format!("expected charset `utf-8` (the parameters are percent-encoded UTF-8 and signed as such), found charset `{c}`"),
                format!("charset 应为 `utf-8`（参数是百分号编码的 UTF-8，也按此签名），实际为 `{c}`"),
            ),
        ),
        Some(_) => {}
    }
}

fn openapi2(out: &mut Issues<'_>, params: &Params<'_>, options: &Options) {
    for name in ["sid", "appkey", "timestamp"] {
        if params.get(name).is_none() {
            out.missing(Severity::Error, name, "", "");
        }
    }
    if let Some(ts) = params.get("timestamp") {
        let value = ts.value.as_ref();
        let millis = value.len() == 13 && value.bytes().all(|b| b.is_ascii_digit());
        let window = options.window_for(timestamp::WDT_WINDOW);
        match timestamp::check_wdt(value, options.now.unwrap_or(0), window) {
            Err(e) => {
                let (hint, hint_zh) = if millis {
                    (" (milliseconds; send seconds)", "（这是毫秒数，应发秒数）")
                } else {
                    ("", "")
                };
                out.push(
                    crate::rules::TIMESTAMP_FORMAT,
                    Severity::Error,
                    "?timestamp",
                    ts.value_span,
                    Msg::new(format!("{e}{hint}"), format!("{}{hint_zh}", e.zh())),
                );
            }
            Ok(check) => {
                if let (Some(now), false) = (options.now, check.is_within()) {
                    out.push(
                        crate::rules::TIMESTAMP_WINDOW,
                        Severity::Error,
                        "?timestamp",
                        ts.value_span,
                        Msg::new(
                            format!(
                                "{check} (timestamp `{value}` is {}, now {} GMT+8)",
                                timestamp::format_qimen(value.parse().unwrap_or(0)),
                                timestamp::format_qimen(now)
                            ),
                            format!(
                                "{}（时间戳 `{value}` 即 {}，当前 {}，北京时间）",
                                check.zh(),
                                timestamp::format_qimen(value.parse().unwrap_or(0)),
                                timestamp::format_qimen(now)
                            ),
                        ),
                    );
                }
            }
        }
    }
    let Some(sign) = params.all.iter().find(|p| p.name == "sign") else {
        let at = Span::new(out.line, out.line);
        out.push(
            crate::rules::SIGN_MISSING,
            Severity::Error,
            "?sign",
            at,
            Msg::new(
                "expected a `sign` parameter, found none".into(),
                "缺少 `sign` 参数".into(),
            ),
        );
        return;
    };
    let received = sign.value.as_ref();
    let well_formed = received.len() == 32 && received.bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        out.push(
            crate::rules::SIGN_MISMATCH,
            Severity::Error,
            "?sign",
            sign.value_span,
            Msg::new(
                format!(
                    "expected 32 lowercase hex digits (md5), found {} characters{}",
                    received.chars().count(),
                    if received.is_empty() { " (empty)" } else { "" }
                ),
                format!(
                    "应为 32 位小写十六进制（md5），实际 {} 个字符{}",
                    received.chars().count(),
                    if received.is_empty() {
                        "（为空）"
                    } else {
                        ""
                    }
                ),
            ),
        );
        return;
    }
    let upper = received.bytes().any(|b| b.is_ascii_uppercase());
    match options.secret_bytes() {
        Some(secret) => {
            let d = diagnose::diagnose_wdt(&params.pairs(), secret, received);
            if !d.matches {
                out.push(
                    crate::rules::SIGN_MISMATCH,
                    Severity::Error,
                    "?sign",
                    sign.value_span,
                    Msg::new(
                        d.mismatch_message(received),
                        d.mismatch_message_zh(received),
                    ),
                );
                return;
            }
            if let Some(note) = d.cause {
                out.push(
                    crate::rules::SIGN_MISMATCH,
                    Severity::Warning,
                    "?sign",
                    sign.value_span,
                    Msg::new(note.to_string(), note.zh()),
                );
            }
        }
        None if upper => out.push(
            crate::rules::SIGN_MISMATCH,
            Severity::Warning,
            "?sign",
            sign.value_span,
            Msg::new(
                diagnose::Cause::WdtUppercaseHex.to_string(),
                diagnose::Cause::WdtUppercaseHex.zh(),
            ),
        ),
        None => {}
    }
}

/// The message of a `sign.mismatch` error.
fn qimen_custom(out: &mut Issues<'_>, params: &Params<'_>, options: &Options) {
    for name in ["method", "app_key", "timestamp", "v"] {
        if params.get(name).is_none() {
            out.missing(Severity::Error, name, "", "");
        }
    }
    if params.get("target_app_key").is_none() {
        out.missing(
            Severity::Error,
            "target_app_key",
            " (the wdt Qimen appkey, for Qimen custom calls)",
            "（旺店通在奇门的 appkey，奇门自定义接口调用要用）",
        );
    }
    if params.get("sid").is_none() && params.get("wdt3_customer_id").is_none() {
        out.missing(
            Severity::Error,
            "sid",
            " (the wdt seller account; 旗舰版 calls send `wdt3_customer_id`)",
            "（旺店通卖家账号；旗舰版调用发 `wdt3_customer_id`）",
        );
    }
    if params.get("sign_method").is_none() {
        out.missing(
            Severity::Warning,
            "sign_method",
            " (receivers then assume md5)",
            "（接收方会按 md5 处理）",
        );
    }
    if params.get("format").is_none() {
        out.missing(
            Severity::Warning,
            "format",
            " (`json` for wdt through Qimen)",
            "（经奇门调用旺店通用 `json`）",
        );
    }
    if let Some(ts) = params.get("timestamp") {
        let value = ts.value.as_ref();
        match timestamp::parse_qimen(value) {
            Err(e) => out.push(
                crate::rules::TIMESTAMP_FORMAT,
                Severity::Error,
                "?timestamp",
                ts.value_span,
                Msg::new(e.to_string(), e.zh()),
            ),
            Ok(at) => {
                if let Some(now) = options.now {
                    let check =
                        timestamp::check(at, now, options.window_for(timestamp::QIMEN_WINDOW));
                    if !check.is_within() {
                        out.push(
                            crate::rules::TIMESTAMP_WINDOW,
                            Severity::Error,
                            "?timestamp",
                            ts.value_span,
                            Msg::new(
                                format!(
                                    "{check} (timestamp `{value}`, now `{}`, both GMT+8)",
                                    timestamp::format_qimen(now)
                                ),
                                format!(
                                    "{}（时间戳 `{value}`，当前 `{}`，均为北京时间）",
                                    check.zh(),
                                    timestamp::format_qimen(now)
                                ),
                            ),
                        );
                    }
                }
            }
        }
    }
    let Some(sign) = params.get("sign") else {
        let at = Span::new(out.line, out.line);
        out.push(
            crate::rules::SIGN_MISSING,
            Severity::Error,
            "?sign",
            at,
            Msg::new(
                "expected a `sign` query parameter, found none".into(),
                "查询串里缺少 `sign` 参数".into(),
            ),
        );
        return;
    };
    let Some(secret) = options.secret_bytes() else {
        return;
    };
    let received = sign.value.as_ref();
    match diagnose::diagnose_qimen(&params.pairs(), None, secret, received) {
        Ok(d) if d.matches => {}
        Ok(d) => out.push(
            crate::rules::SIGN_MISMATCH,
            Severity::Error,
            "?sign",
            sign.value_span,
            Msg::new(
                d.mismatch_message(received),
                d.mismatch_message_zh(received),
            ),
        ),
        Err(e) => {
            let at = params
                .get("sign_method")
                .map_or(sign.value_span, |p| p.value_span);
            out.push(
                crate::rules::SIGN_MISMATCH,
                Severity::Error,
                "?sign_method",
                at,
                Msg::new(
                    format!("cannot verify the sign: {e}"),
                    format!("无法验签：{e}"),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::params::encode;

    const NOW: i64 = 1_714_528_920; // 2024-05-01 10:02:00 GMT+8

    /// A signed openapi2 request with these form params (plus `sign`, unless `sign` is given).
    fn openapi2(params: &[(&str, &str)], sign: Option<&str>, content_type: &str) -> Vec<u8> {
        let computed = wdt_sign::sign(params, b"appsecret");
        let mut all = params.to_vec();
        all.push(("sign", sign.unwrap_or(&computed)));
        format!(
            "POST https://sandbox.wangdian.cn/openapi2/stock_query.php HTTP/1.1\r\nContent-Type: {content_type}\r\n\r\n{}\r\n",
            encode(&all)
        )
        .into_bytes()
    }

    fn lint(input: &[u8], secret: Option<&[u8]>) -> Vec<(&'static str, Severity, String)> {
        let req = http::parse(input).unwrap();
        let endpoint = detect(&req).expect("a wdt request");
        let mut options = Options::new().with_now(NOW);
        if let Some(secret) = secret {
            options = options.with_secret(secret);
        }
        lint_request(input, &req, &endpoint, &options)
            .issues
            .into_iter()
            .map(|i| (i.rule, i.severity, i.message))
            .collect()
    }

    const FORM: &str = "application/x-www-form-urlencoded; charset=UTF-8";
    const BASE: [(&str, &str); 4] = [
        ("sid", "s1"),
        ("appkey", "k1"),
        ("timestamp", "1714528900"),
        ("spec_no", "规格 1"),
    ];

    #[test]
    fn detection() {
        let wdt = |target: &str| {
            let raw = format!("POST {target} HTTP/1.1\n\n");
            detect(&http::parse(raw.as_bytes()).unwrap())
        };
        assert_eq!(
            wdt("http://api.wangdian.cn/openapi2/trade_push.php?x=1"),
            Some(WdtEndpoint::Openapi2 {
                name: "trade_push".into()
            })
        );
        let custom = wdt("/router/qm?method=hu3cgwt0tc.wdt.trade.push&app_key=1").unwrap();
        assert_eq!(custom.api_name(), "trade_push");
        assert_eq!(
            wdt("/router/qm?method=wdt.stockout.order.query.trade")
                .unwrap()
                .api_name(),
            "stockout_order_query_trade"
        );
        assert_eq!(
            wdt("/router/qimen/service?method=taobao.qimen.order.cancel"),
            None
        );
        assert_eq!(wdt("/openapi2/../x.php.bak"), None);
        assert_eq!(wdt("/other/trade_push.php"), None);
    }

    #[test]
    fn a_right_request_is_clean_with_and_without_the_secret() {
        let input = openapi2(&BASE, None, FORM);
        assert_eq!(lint(&input, Some(b"appsecret")), vec![]);
        assert_eq!(lint(&input, None), vec![]);
    }

    #[test]
    fn sign_shape_case_and_secret() {
        let good = wdt_sign::sign(&BASE, b"appsecret");
        let upper = openapi2(&BASE, Some(&good.to_ascii_uppercase()), FORM);
        for secret in [None, Some(&b"appsecret"[..])] {
            let got = lint(&upper, secret);
            assert_eq!(got.len(), 1);
            assert_eq!((got[0].0, got[0].1), ("sign.mismatch", Severity::Warning));
        }
        let short = lint(&openapi2(&BASE, Some("abc"), FORM), None);
        assert_eq!((short[0].0, short[0].1), ("sign.mismatch", Severity::Error));
        assert!(short[0].2.starts_with("expected 32 lowercase hex digits"));
        let wrong = lint(&openapi2(&BASE, None, FORM), Some(b"other"));
        assert_eq!(wrong[0].0, "sign.mismatch");
        assert!(wrong[0].2.contains("no known mistake"), "{}", wrong[0].2);
        assert!(!wrong[0].2.contains("other"), "{}", wrong[0].2);
        let mut unsigned = format!("POST /openapi2/a.php HTTP/1.1\nContent-Type: {FORM}\n\n");
        unsigned.push_str(&encode(&BASE));
        let got = lint(unsigned.as_bytes(), None);
        assert_eq!(got[0].0, "sign.missing");
    }

    #[test]
    fn timestamps() {
        let with_ts = |ts: &str| {
            let mut p = BASE.to_vec();
            p[2].1 = ts;
            lint(&openapi2(&p, None, FORM), None)
        };
        let got = with_ts("1714528920000");
        assert_eq!(got[0].0, "timestamp.format");
        assert!(got[0].2.contains("milliseconds"), "{}", got[0].2);
        let got = with_ts("2024-05-01 10:02:00");
        assert!(got[0].2.contains("send seconds"), "{}", got[0].2);
        assert_eq!(with_ts("1714528620"), vec![], "300 s behind is inside");
        let got = with_ts("1714528619");
        assert_eq!(got[0].0, "timestamp.window");
        assert!(!got[0].2.contains("timezone"));
        // A window that is set applies to openapi2 requests too, narrower or wider.
        let mut p = BASE.to_vec();
        p[2].1 = "1714528800";
        let input = openapi2(&p, None, FORM);
        let req = http::parse(&input).unwrap();
        let endpoint = detect(&req).expect("a wdt request");
        let rules = |window: i64| -> Vec<&'static str> {
            let options = Options::new().with_now(NOW).with_timestamp_window(window);
            let report = lint_request(&input, &req, &endpoint, &options);
            report.issues.iter().map(|i| i.rule).collect()
        };
        assert_eq!(rules(60), ["timestamp.window"], "120 s behind, window 60");
        assert!(rules(120).is_empty(), "120 s behind, window 120");
        assert_eq!(
            with_ts("1714528500")[0].0,
            "timestamp.window",
            "420 s behind"
        );
        p[2].1 = "1714528500";
        let input = openapi2(&p, None, FORM);
        let report = lint_request(
            &input,
            &http::parse(&input).unwrap(),
            &endpoint,
            &Options::new().with_now(NOW).with_timestamp_window(600),
        );
        assert!(report.issues.is_empty(), "420 s behind, window 600");
    }

    #[test]
    fn content_types() {
        let ct = |value: &str| {
            lint(&openapi2(&BASE, None, value), None)
                .into_iter()
                .map(|(r, s, _)| (r, s))
                .collect::<Vec<_>>()
        };
        assert_eq!(ct("application/x-www-form-urlencoded;charset=utf8"), vec![]);
        assert_eq!(
            ct("application/x-www-form-urlencoded"),
            vec![("charset.mismatch", Severity::Warning)]
        );
        assert_eq!(
            ct("application/x-www-form-urlencoded; charset=GBK"),
            vec![("charset.mismatch", Severity::Error)]
        );
        assert_eq!(
            ct("text/plain"),
            vec![("charset.mismatch", Severity::Error)]
        );
    }

    #[test]
    fn malformed_and_duplicated_params() {
        let raw = format!("POST /openapi2/a.php?sid=s1 HTTP/1.1\nContent-Type: {FORM}\n\nsid=s2&appkey=k&timestamp=1714528900&sign=00000000000000000000000000000000");
        let got = lint(raw.as_bytes(), None);
        assert_eq!(got[0].0, "request.syntax");
        assert!(
            got[0].2.contains("in the query and in the form"),
            "{}",
            got[0].2
        );
        // 50,000 parameters on each side, one of them in both: reported once, at the form's.
        let query = crate::wire::params::tests::many(50_000);
        let form: Vec<String> = (50_000..100_000).map(|i| format!("q{i}={i}")).collect();
        let form = format!(
            "{}&p49999=x&sid=s&appkey=k&timestamp=1714528900",
            form.join("&")
        );
        let raw = format!("POST /openapi2/a.php?{query} HTTP/1.1\nContent-Type: {FORM}\n\n{form}");
        let req = http::parse(raw.as_bytes()).unwrap();
        let report = lint_request(
            raw.as_bytes(),
            &req,
            &detect(&req).unwrap(),
            &Options::new(),
        );
        let twice: Vec<&Issue> = report
            .issues
            .iter()
            .filter(|i| i.message.contains("in the query and in the form"))
            .collect();
        assert_eq!(twice.len(), 1, "{twice:?}");
        assert_eq!(twice[0].path, "?p49999");
        let at = raw.find("&p49999=x").unwrap() + 1;
        assert_eq!(twice[0].span.start as usize, at);
        let first = raw.find("p49999=").unwrap();
        assert!(
            twice[0]
                .message
                .ends_with(&format!("(first at byte {first})")),
            "{}",
            twice[0].message
        );
        let raw = format!("POST /openapi2/a.php HTTP/1.1\nContent-Type: {FORM}\n\nsid=%E5%B");
        let got = lint(raw.as_bytes(), None);
        assert_eq!(got.len(), 1);
        assert!(got[0].2.starts_with("malformed form body"), "{}", got[0].2);
        // The form did not decode: all of it is masked.
        let req = http::parse(raw.as_bytes()).unwrap();
        let report = lint_request(
            raw.as_bytes(),
            &req,
            &detect(&req).unwrap(),
            &Options::default(),
        );
        let body_at = raw.find("\n\n").unwrap() + 2;
        assert_eq!(
            report.personal_spans,
            Some(vec![Span::new(body_at, raw.len())])
        );
        // Business values in the query are masked too; system ones are not.
        let raw =
            "POST /router/qm?method=wdt.trade.push&trade_list=%5B%5D HTTP/1.1\n\nsid=1&shop_no=s";
        let req = http::parse(raw.as_bytes()).unwrap();
        let report = lint_request(
            raw.as_bytes(),
            &req,
            &detect(&req).unwrap(),
            &Options::default(),
        );
        let masked: Vec<&str> = report
            .personal_spans
            .unwrap()
            .iter()
            .map(|s| &raw[s.range()])
            .collect();
        assert_eq!(masked, ["%5B%5D", "s"]);
    }

    #[test]
    fn hook_positions_in_a_bigger_file() {
        let request = openapi2(&BASE, None, FORM);
        let mut file = b"### one\n".to_vec();
        let start = file.len();
        file.extend_from_slice(&request);
        let call = business_params_in(&file, start..file.len())
            .unwrap()
            .unwrap();
        assert_eq!(call.business.len(), 1);
        let spec = &call.business[0];
        assert_eq!(spec.value, "规格 1");
        assert_eq!(&file[spec.value_span.range()], b"%E8%A7%84%E6%A0%BC+1");
        assert_eq!(&file[spec.original_span(6..7).range()], b"+");
        assert!(business_params(
            b"POST /router/qimen/service?method=taobao.qimen.order.cancel HTTP/1.1\n\n"
        )
        .is_none());
        let bad = b"POST /openapi2/a.php HTTP/1.1\n\na=%ZZ";
        assert!(business_params(bad).unwrap().is_err());
    }

    #[test]
    fn the_business_json_of_a_known_api_is_linted_in_place() {
        let ok = include_str!("../../../tests/fixtures/http/wdt_qimen_ok.http");
        let bad = ok.replace("paid%22%3A10%2C", "paid%22%3A10.01%2C");
        assert_ne!(ok, bad, "the fixture changed: plant the error elsewhere");
        let req = http::parse(bad.as_bytes()).unwrap();
        let report = lint_request(
            bad.as_bytes(),
            &req,
            &detect(&req).unwrap(),
            &Options::default(),
        );
        let found: Vec<(&str, &str, &str)> = report
            .issues
            .iter()
            .map(|i| (i.rule, i.path.as_str(), &bad[i.span.range()]))
            .collect();
        assert_eq!(found, [("wdt.paid", "/trade_list/0/paid", "10.01")]);
        assert_eq!(report.method, Some("trade_push"));
    }
}
