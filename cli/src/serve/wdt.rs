//! The wdt (旺店通) protocols: 企业版 openapi2 (`protocol = "wdt"`: every parameter in the
//! form body, the wdt sign, Unix-seconds timestamps) and 企业版 through Qimen custom
//! (`protocol = "wdt-qimen"`: Qimen system parameters in the query, wdt business parameters in
//! the form body, the Qimen sign over both with no body bytes).
//!
//! Receive: verify the sign and the timestamp window, then lint the whole request as
//! `qmwire lint` lints a captured one. Send: sign (and add `timestamp`) where the protocol
//! puts them, then lint.

use super::config::{Protocol, Route};
use super::receive::{verdict_of, Signed, Verdict};
use super::reply::Reason;
use qmwire::sign::diagnose::{declared_method, received_sign};
use qmwire::sign::{diagnose_qimen, diagnose_wdt, qimen, wdt};
use qmwire::wire::{params, timestamp};
use qmwire::{Options, Protocol as Detected, Shape};

/// One request as received: its target (path and query), `Content-Type` and body.
pub(crate) struct Incoming<'a> {
    pub(crate) target: &'a str,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

type Pairs = Vec<(String, String)>;

fn decode(text: &str) -> Result<Pairs, String> {
    params::parse(text)
        .map(|p| {
            p.into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .map_err(|e| format!("cannot be decoded at byte {}", e.offset))
}

/// The query and the form body of `req`, decoded.
fn parts(req: &Incoming<'_>) -> Result<(Pairs, Pairs), String> {
    let query = req.target.split_once('?').map_or("", |(_, q)| q);
    let query = decode(query).map_err(|e| format!("query {e}"))?;
    let form = std::str::from_utf8(req.body)
        .map_err(|_| "form body is not UTF-8".to_string())?
        .trim_end_matches(['\r', '\n']);
    let form = decode(form).map_err(|e| format!("form body {e}"))?;
    Ok((query, form))
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Checks a request received on a wdt route (see the module docs). `now` is the Unix time.
pub(crate) fn check(route: &Route, req: &Incoming<'_>, now: i64) -> Verdict {
    let (query, form) = match parts(req) {
        Ok(p) => p,
        Err(e) => return Verdict::refuse(Reason::Sign, e),
    };
    let all: Pairs = query.iter().chain(form.iter()).cloned().collect();
    let Some(sign) = received_sign(&all) else {
        return Verdict::refuse(Reason::Sign, "no sign parameter".into());
    };
    let diagnosis = match route.protocol {
        Protocol::Wdt => Ok(diagnose_wdt(&all, &route.secret, sign)),
        // Through Qimen custom: the Qimen sign over the query and the form, no body bytes.
        _ => diagnose_qimen(&all, None, &route.secret, sign).map_err(|e| e.to_string()),
    };
    match diagnosis {
        Err(e) => return Verdict::refuse(Reason::Sign, e),
        // `Diagnosis`'s Display never holds the expected sign.
        Ok(d) if !d.matches => return Verdict::refuse(Reason::Sign, d.to_string()),
        Ok(_) => {}
    }
    let Some(ts) = value(&all, "timestamp") else {
        return Verdict::refuse(Reason::Timestamp, "no timestamp parameter".into());
    };
    let checked = match route.protocol {
        Protocol::Wdt => ts
            .trim()
            .parse::<i64>()
            .map(|t| timestamp::check(t, now, route.window))
            .map_err(|_| "expected Unix seconds".to_string()),
        _ => timestamp::check_qimen(ts, now, route.window).map_err(|e| e.to_string()),
    };
    let ts_unix = match checked {
        Err(e) => return Verdict::refuse(Reason::Timestamp, format!("timestamp: {e}")),
        Ok(c) if !c.is_within() => {
            return Verdict::refuse(Reason::Timestamp, format!("timestamp: {c}"))
        }
        Ok(c) => now + c.offset(),
    };
    let app_key = value(&all, "appkey")
        .or(value(&all, "app_key"))
        .unwrap_or("")
        .to_string();
    let mut verdict = lint(route, req, now, true);
    verdict.signed = Some(Signed {
        app_key,
        sign: sign.to_string(),
        ts: ts_unix,
    });
    verdict
}

/// A request ready to go on a wdt send route: its target and body as they will be sent.
pub(crate) struct Prepared {
    pub(crate) target: String,
    pub(crate) body: Vec<u8>,
    pub(crate) verdict: Verdict,
}

/// Prepares a request on a wdt send route: when the route signs, drops any `sign`, adds
/// `timestamp` when neither the query nor the form has one, and signs (openapi2: the wdt sign,
/// added to the form body, which is re-encoded; through Qimen: the Qimen sign, added to the
/// query); then lints.
pub(crate) fn prepare(route: &Route, req: &Incoming<'_>, now: i64) -> Prepared {
    let unchanged = |verdict| Prepared {
        target: req.target.to_string(),
        body: req.body.to_vec(),
        verdict,
    };
    if !route.sign {
        return unchanged(lint(route, req, now, false));
    }
    let refuse = |log: String| {
        unchanged(Verdict {
            message: format!("cannot sign: {log}"),
            ..Verdict::refuse(Reason::Lint, log)
        })
    };
    let (mut query, mut form) = match parts(req) {
        Ok(p) => p,
        Err(e) => return refuse(e),
    };
    query.retain(|(k, _)| k != "sign");
    form.retain(|(k, _)| k != "sign");
    let has_ts = value(&query, "timestamp").is_some() || value(&form, "timestamp").is_some();
    let path = req.target.split_once('?').map_or(req.target, |(p, _)| p);
    let (target, body) = match route.protocol {
        Protocol::Wdt => {
            if !has_ts {
                form.push(("timestamp".into(), now.to_string()));
            }
            let all: Pairs = query.iter().chain(form.iter()).cloned().collect();
            form.push(("sign".into(), wdt::sign(&all, &route.secret)));
            (req.target.to_string(), params::encode(&form).into_bytes())
        }
        _ => {
            if !has_ts {
                query.push(("timestamp".into(), timestamp::format_qimen(now)));
            }
            let all: Pairs = query.iter().chain(form.iter()).cloned().collect();
            let method = match declared_method(&all) {
                Ok(m) => m,
                Err(e) => return refuse(e.to_string()),
            };
            query.push((
                "sign".into(),
                qimen::sign(&all, None, &route.secret, method),
            ));
            (
                format!("{path}?{}", params::encode(&query)),
                req.body.to_vec(),
            )
        }
    };
    let signed = Incoming {
        target: &target,
        content_type: req.content_type,
        body: &body,
    };
    let verdict = lint(route, &signed, now, false);
    Prepared {
        target,
        body,
        verdict,
    }
}

/// Lints `req` as a whole request (target as the upstream will see it, `Content-Type`, body),
/// as `qmwire lint` lints a captured one, with the route's profile. The sign is checked before
/// (receive) or made here (send), so no secret is given to the linter. The linter checks the
/// timestamp against the route's window and clock; `window_checked`: the receive side checked
/// it already, with the same window, so a window finding of the linter would only say that
/// again and is left out.
fn lint(route: &Route, req: &Incoming<'_>, now: i64, window_checked: bool) -> Verdict {
    let target = super::upstream::target_for(route, req.target);
    let mut http = format!("POST {target} HTTP/1.1\r\n").into_bytes();
    if let Some(ct) = req.content_type {
        http.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
    }
    http.extend_from_slice(format!("Content-Length: {}\r\n\r\n", req.body.len()).as_bytes());
    http.extend_from_slice(req.body);
    let mut options: Options = route.options.clone().with_shape(Shape::Http).with_now(now);
    options = options.with_timestamp_window(route.window);
    let mut report = qmwire::lint(&http, &options);
    if window_checked {
        report
            .issues
            .retain(|i| i.rule != qmwire::rules::TIMESTAMP_WINDOW);
    }
    if report.protocol != Detected::Wdt {
        return Verdict {
            message: "invalid request: not a wdt request".into(),
            ..Verdict::refuse(
                Reason::Lint,
                match route.protocol {
                    Protocol::Wdt => "not a wdt openapi2 request: the path it is sent to must end in /openapi2/NAME.php".into(),
                    _ => "not a wdt request through Qimen: the query's method must be wdt.… or NAMESPACE.wdt.…".into(),
                },
            )
        };
    }
    verdict_of(&report)
}
