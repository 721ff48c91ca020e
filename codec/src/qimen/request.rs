//! Linting a whole Qimen request: the URL query (system parameters, timestamp, sign), the
//! headers (`Content-Type` charset) and the XML body together.
//!
//! [`lint_parts`] takes a query and a body (a parsed request's, or a file's with
//! [`crate::Options::url`]). Body issues come from the body linter, run with the query's
//! `method`, and keep their positions *within the body*. Request-level issues (rules
//! `request.syntax`, `param.missing`, `method`, `timestamp.format`, `timestamp.window`,
//! `charset.mismatch`, `sign.missing`, `sign.mismatch`) have an empty span at offset 0 and a
//! path naming the query parameter (`?timestamp`) or the header (`Content-Type`); they come
//! first. [`crate::lint`] places both in the caller's input (request-level issues at the
//! request line).
//!
//! ```
//! use qmwire::Options;
//!
//! let raw = b"POST /router/qimen/service?method=taobao.qimen.order.cancel&app_key=1&v=2.0\
//! &format=xml&sign_method=md5&timestamp=2024-05-01+02%3A00%3A00&sign=X HTTP/1.1\n\
//! Content-Type: text/xml;charset=utf-8\n\n<request/>";
//! let now = qmwire::wire::timestamp::parse_qimen("2024-05-01 10:00:00").unwrap();
//! let report = qmwire::lint(raw, &Options::new().with_now(now));
//! let rules: Vec<_> = report.issues.iter().map(|i| (i.rule, i.path.as_str())).collect();
//! assert!(rules.contains(&("param.missing", "?customerId")));
//! assert!(rules.contains(&("timestamp.window", "?timestamp")));
//! ```

use crate::options::Options;
use crate::profile::transport;
use crate::profile::SignPolicy;
use crate::qimen::detect;
use crate::qimen::lint::lint_body_fitting;
use crate::report::{Issue, Msg, Report, Severity};
use crate::sign::diagnose;
use crate::wire::http::{header_charset, is_utf8_name, same_charset};
use crate::wire::span::Span;
use crate::wire::{params, timestamp};

fn issue(rule: &'static str, severity: Severity, path: &str, message: Msg) -> Issue {
    Issue {
        rule,
        severity,
        path: path.to_string(),
        span: Span::new(0, 0),
        message: message.en,
        message_zh: message.zh,
    }
}

/// Lints a request given as its query (percent-encoded, as sent) and raw body, with `options`
/// (secret, clock and window, privacy, limits; its method when the query has none).
/// `content_type` is the `Content-Type` header (`Some("")` when the request had none); `None`
/// skips the charset check (headers unknown).
pub(crate) fn lint_parts(
    query: &str,
    body: &[u8],
    content_type: Option<&str>,
    options: &Options,
) -> Report {
    let (mut issues, mut report) = request_checks(query, body, content_type, options);
    issues.append(&mut report.issues);
    report.issues = issues;
    report
}

/// The request-level checks of [`lint_parts`] (every issue with an empty span at 0), and the
/// body's report, linted with the request's method (the query's, or else the options').
pub(crate) fn request_checks(
    query: &str,
    body: &[u8],
    content_type: Option<&str>,
    options: &Options,
) -> (Vec<Issue>, Report) {
    let mut issues = Vec::new();
    let (pairs, parsed) = match params::parse(query) {
        Ok(p) => (p, true),
        Err(e) => {
            issues.push(issue(
                crate::rules::REQUEST_SYNTAX,
                Severity::Error,
                "?",
                Msg::new(
                    format!("malformed query: {e}"),
                    format!("查询串格式错误：{}", e.zh()),
                ),
            ));
            (Vec::new(), false)
        }
    };
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_ref())
    };
    let missing = |name: &str, why: &str, why_zh: &str| {
        Msg::new(
            format!("expected system parameter `{name}`{why}, found none"),
            format!("缺少系统参数 `{name}`{why_zh}"),
        )
    };

    // param.missing
    if parsed {
        for name in ["method", "app_key", "timestamp", "v"] {
            if get(name).is_none() {
                issues.push(issue(
                    crate::rules::PARAM_MISSING,
                    Severity::Error,
                    &format!("?{name}"),
                    missing(name, "", ""),
                ));
            }
        }
        if get("sign_method").is_none() {
            issues.push(issue(
                crate::rules::PARAM_MISSING,
                Severity::Warning,
                "?sign_method",
                missing(
                    "sign_method",
                    " (receivers then assume md5)",
                    "（接收方会按 md5 处理）",
                ),
            ));
        }
        if get("format").is_none() {
            issues.push(issue(
                crate::rules::PARAM_MISSING,
                Severity::Warning,
                "?format",
                missing("format", " (`xml` for Qimen WMS)", "（奇门 WMS 用 `xml`）"),
            ));
        }
    }

    // method
    let query_method = get("method");
    let spec = match query_method {
        Some(m) => detect::method(m),
        None => options.method.as_deref().and_then(detect::method),
    };
    // The body is linted here, before the method check, which its decode can often answer.
    let ask = query_method.is_some() && spec.is_some();
    let (report, body_fits) = lint_body_fitting(body, spec.map(|m| m.method), options, ask);
    if let Some(m) = query_method {
        if spec.is_none() {
            issues.push(issue(
                crate::rules::METHOD,
                Severity::Error,
                "?method",
                Msg::new(
                    format!("expected a known Qimen method (`qmwire methods`), found `{m}`"),
                    format!("应为已知的奇门方法（见 `qmwire methods`），实际为 `{m}`"),
                ),
            ));
        }
        // A body whose decode knew every element fits its method: only otherwise is the
        // body read again to ask whether another method fits it better.
        let other = spec.filter(|_| !body_fits).and_then(|named| {
            let text = std::str::from_utf8(body).ok()?;
            detect::better_fit(text, named, &options.limits).map(|fit| (named, fit))
        });
        if let Some((named, (better, known, named_known, total))) = other {
            issues.push(issue(
                crate::rules::METHOD,
                Severity::Error,
                "?method",
                Msg::new(
                    format!(
                        "the query names `{}`, but the body reads as `{better}`: that message knows {known} of its {total} elements, `{}` only {named_known}; check which message this is",
                        named.method, named.method
                    ),
                    format!(
                        "查询串写的是 `{}`，但正文更像 `{better}`：它认识正文 {total} 个元素中的 {known} 个，而 `{}` 只认识 {named_known} 个；请确认这是哪个报文",
                        named.method, named.method
                    ),
                ),
            ));
        }
    }
    let profile = options.profile.as_deref();
    let customer = profile.map_or("customerId", transport::customer_param);
    let wms = spec.is_some() || query_method.is_some_and(|m| m.starts_with("taobao.qimen."));
    if parsed && wms && get(customer).is_none() {
        match pairs
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(customer) && !v.is_empty())
        {
            Some((k, _)) if profile.is_some_and(|p| p.transport.customer_param.is_some()) => {
                issues.push(issue(
                    crate::rules::PARAM_MISSING,
                    Severity::Warning,
                    &format!("?{k}"),
                    Msg::new(
                        format!("expected `{customer}`, as this counterparty spells it, found `{k}`"),
                        format!("该对接方的写法是 `{customer}`，实际为 `{k}`"),
                    ),
                ))
            }
            Some((k, _)) => issues.push(issue(
                crate::rules::PARAM_MISSING,
                Severity::Warning,
                &format!("?{k}"),
                Msg::new(
                    format!("expected `customerId` (camelCase), found `{k}`; some receivers only accept the canonical name"),
                    format!("应为 `customerId`（驼峰写法），实际为 `{k}`；有的接收方只认标准写法"),
                ),
            )),
            None => issues.push(issue(
                crate::rules::PARAM_MISSING,
                Severity::Error,
                &format!("?{customer}"),
                missing(
                    customer,
                    " (required for Qimen WMS methods)",
                    "（奇门 WMS 方法必填）",
                ),
            )),
        }
    }
    if let Some(profile) = profile {
        issues.extend(transport::checks(profile, get, content_type));
    }

    // timestamp.format / timestamp.window
    if let Some(ts) = get("timestamp") {
        match timestamp::parse_qimen(ts) {
            Err(e) => issues.push(issue(
                crate::rules::TIMESTAMP_FORMAT,
                Severity::Error,
                "?timestamp",
                Msg::new(e.to_string(), e.zh()),
            )),
            Ok(at) => {
                if let Some(now) = options.now {
                    let check =
                        timestamp::check(at, now, options.window_for(timestamp::QIMEN_WINDOW));
                    if !check.is_within() {
                        issues.push(issue(
                            crate::rules::TIMESTAMP_WINDOW,
                            Severity::Error,
                            "?timestamp",
                            Msg::new(
                                format!(
                                    "{check} (timestamp `{ts}`, now `{}`, both GMT+8)",
                                    timestamp::format_qimen(now)
                                ),
                                format!(
                                    "{}（时间戳 `{ts}`，当前 `{}`，均为北京时间）",
                                    check.zh(),
                                    timestamp::format_qimen(now)
                                ),
                            ),
                        ));
                    }
                }
            }
        }
    }

    // charset.mismatch
    if let Some(ct) = content_type {
        // A charset warning is moot when the header is the one the counterparty prescribes.
        let prescribed = profile.is_some_and(|p| transport::content_type_fits(p, ct));
        issues
            .extend(charset(ct, body).filter(|i| !(prescribed && i.severity == Severity::Warning)));
    }

    // sign.missing / sign.mismatch, unless the counterparty does not look at the sign
    let policy = profile.and_then(|p| p.transport.sign);
    if parsed && policy != Some(SignPolicy::NotChecked) {
        match diagnose::received_sign(&pairs).filter(|s| !s.is_empty()) {
            None => issues.push(issue(
                crate::rules::SIGN_MISSING,
                Severity::Error,
                "?sign",
                Msg::new(
                    "expected a `sign` query parameter, found none".into(),
                    "查询串里缺少 `sign` 参数".into(),
                ),
            )),
            Some(received) => {
                let secret = options
                    .secret_bytes()
                    .filter(|_| policy != Some(SignPolicy::Present));
                if let Some(secret) = secret {
                    match diagnose::diagnose_qimen(&pairs, Some(body), secret, received) {
                        Ok(d) if d.matches => {}
                        Ok(d) => issues.push(issue(
                            crate::rules::SIGN_MISMATCH,
                            Severity::Error,
                            "?sign",
                            Msg::new(
                                d.mismatch_message(received),
                                d.mismatch_message_zh(received),
                            ),
                        )),
                        Err(e) => issues.push(issue(
                            crate::rules::SIGN_MISMATCH,
                            Severity::Error,
                            "?sign_method",
                            Msg::new(
                                format!("cannot verify the sign: {e}"),
                                format!("无法验签：{e}"),
                            ),
                        )),
                    }
                }
            }
        }
    }

    (issues, report)
}

/// `encoding="…"` of the XML declaration, if the body has one that names an encoding.
fn declared_encoding(body: &[u8]) -> Option<&str> {
    let body = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    let body = body.strip_prefix(b"<?xml")?;
    let end = body.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&body[..end]).ok()?;
    let rest = decl[decl.find("encoding")? + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

/// The `charset.mismatch` issues for a `Content-Type` value and a body.
fn charset(content_type: &str, body: &[u8]) -> Option<Issue> {
    let header = header_charset(content_type).filter(|c| !c.is_empty());
    let declared = declared_encoding(body);
    let (found, found_zh) = if content_type.is_empty() {
        (
            "no Content-Type header".to_string(),
            "没有 Content-Type 头".to_string(),
        )
    } else {
        (format!("`{content_type}`"), format!("`{content_type}`"))
    };
    match (header, declared) {
        (Some(h), Some(d)) if !same_charset(h, d) => Some(issue(
            crate::rules::CHARSET_MISMATCH,
            Severity::Error,
            "Content-Type",
            Msg::new(
                format!("expected the Content-Type charset to match the XML declaration's encoding `{d}`, found charset `{h}`"),
                format!("Content-Type 的 charset 应与 XML 声明的编码 `{d}` 一致，实际为 `{h}`"),
            ),
        )),
        (Some(_), Some(_)) => None,
        (None, _) if body.is_empty() => None,
        (None, d) => Some(issue(
            crate::rules::CHARSET_MISMATCH,
            Severity::Warning,
            "Content-Type",
            Msg::new(
                format!(
                    "expected `text/xml;charset={}`, found {found}; without a charset, receivers may not read the body as {}",
                    d.unwrap_or("utf-8"),
                    d.unwrap_or("UTF-8")
                ),
                format!(
                    "应为 `text/xml;charset={}`，实际为{found_zh}；没有 charset，接收方可能不按 {} 读取正文",
                    d.unwrap_or("utf-8"),
                    d.unwrap_or("UTF-8")
                ),
            ),
        )),
        (Some(h), None) if !is_utf8_name(h) => Some(issue(
            crate::rules::CHARSET_MISMATCH,
            Severity::Warning,
            "Content-Type",
            Msg::new(
                format!("expected charset `utf-8` (an XML document without an encoding declaration is UTF-8), found charset `{h}`"),
                format!("charset 应为 `utf-8`（没有编码声明的 XML 文档就是 UTF-8），实际为 `{h}`"),
            ),
        )),
        (Some(_), None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::qimen::{self, SignMethod};

    const BODY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request><orderCode>O1</orderCode><ownerCode>OW</ownerCode><warehouseCode>W</warehouseCode><orderType>JYCK</orderType></request>\n";

    fn query(ts: &str, sign: Option<&str>, customer: &str) -> String {
        let mut pairs = vec![
            ("method", "taobao.qimen.order.cancel"),
            ("app_key", "12345678"),
            (customer, "c1001"),
            ("format", "xml"),
            ("sign_method", "md5"),
            ("timestamp", ts),
            ("v", "2.0"),
        ];
        let s = qimen::sign(
            &pairs,
            Some(BODY.as_bytes()),
            b"helloworld",
            SignMethod::Md5,
        );
        let s = sign.map(str::to_string).unwrap_or(s);
        pairs.push(("sign", &s));
        params::encode(&pairs)
    }

    fn rules(r: &Report) -> Vec<(&'static str, Severity, String)> {
        r.issues
            .iter()
            .map(|i| (i.rule, i.severity, i.path.clone()))
            .collect()
    }

    fn now() -> i64 {
        timestamp::parse_qimen("2024-05-01 10:05:00").unwrap()
    }

    #[test]
    fn a_correct_request_is_clean() {
        let q = query("2024-05-01 10:00:00", None, "customerId");
        let opts = Options::new().with_secret(*b"helloworld").with_now(now());
        let r = lint_parts(&q, BODY.as_bytes(), Some("text/xml;charset=UTF-8"), &opts);
        assert_eq!(rules(&r), vec![]);
        assert_eq!(r.method, Some("taobao.qimen.order.cancel"));
    }

    #[test]
    fn request_level_problems() {
        let q = query("2024-05-01 02:00:00", Some("0000"), "customerid");
        let opts = Options::new().with_secret(*b"helloworld").with_now(now());
        let r = lint_parts(&q, BODY.as_bytes(), Some("text/xml;charset=GBK"), &opts);
        let got = rules(&r);
        assert!(
            got.contains(&("param.missing", Severity::Warning, "?customerid".into())),
            "{got:?}"
        );
        assert!(got.contains(&("timestamp.window", Severity::Error, "?timestamp".into())));
        assert!(got.contains(&("charset.mismatch", Severity::Error, "Content-Type".into())));
        assert!(got.contains(&("sign.mismatch", Severity::Error, "?sign".into())));
        let window = r
            .issues
            .iter()
            .find(|i| i.rule == "timestamp.window")
            .unwrap();
        assert!(
            window.message.contains("probable timezone bug"),
            "{}",
            window.message
        );
        for i in &r.issues {
            assert!(!i.message.contains("helloworld"));
        }
        let r = lint_parts(
            "method=nope&timestamp=2024-5-1",
            b"",
            None,
            &Options::default(),
        );
        let got: Vec<_> = r.issues.iter().map(|i| i.rule).collect();
        assert!(
            got.contains(&"method")
                && got.contains(&"timestamp.format")
                && got.contains(&"sign.missing"),
            "{got:?}"
        );
        assert!(!got.contains(&"timestamp.window"));
    }

    #[test]
    fn charsets() {
        let decl = b"<?xml version='1.0' encoding='GBK'?><r/>";
        assert_eq!(declared_encoding(decl), Some("GBK"));
        assert_eq!(header_charset("text/xml; charset=\"utf-8\""), Some("utf-8"));
        assert!(charset("text/xml;charset=utf8", BODY.as_bytes()).is_none());
        assert_eq!(
            charset("text/xml", BODY.as_bytes()).unwrap().severity,
            Severity::Warning
        );
        assert_eq!(
            charset("text/xml;charset=gbk", b"<r/>").unwrap().severity,
            Severity::Warning
        );
        assert!(charset("text/xml;charset=utf-8", b"<r/>").is_none());
        assert_eq!(
            charset("text/xml;charset=utf-8", decl).unwrap().severity,
            Severity::Error
        );
    }
}
