//! Send mode for Qimen: a request on its way out is linted and, when the route signs, given a
//! `timestamp` (when it has none) and a fresh `sign`; a request with errors is refused here and
//! nothing is sent.

use super::config::Route;
use super::receive::{lint, Verdict};
use super::reply::Reason;
use qmwire::sign::diagnose::declared_method;
use qmwire::sign::qimen;
use qmwire::wire::{params, timestamp};

/// A request ready to go: its target (path and query, signed when the route signs) and what
/// the lint found.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) target: String,
    pub(crate) verdict: Verdict,
}

/// Prepares a request to `route` received with `target` (path and query) and `body`, at Unix
/// time `now`.
pub(crate) fn prepare(route: &Route, target: &str, body: &[u8], now: i64) -> Prepared {
    let refuse = |log: String| Prepared {
        target: target.to_string(),
        verdict: Verdict {
            message: format!("cannot sign: {log}"),
            ..Verdict::refuse(Reason::Lint, log)
        },
    };
    let target = if route.sign {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut pairs: Vec<(String, String)> = match params::parse(query) {
            Ok(p) => p
                .into_iter()
                .filter(|(k, _)| k != "sign")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            Err(e) => return refuse(format!("the query cannot be decoded: {e}")),
        };
        let method = match declared_method(&pairs) {
            Ok(m) => m,
            Err(e) => return refuse(e.to_string()),
        };
        if !pairs.iter().any(|(k, _)| k == "timestamp") {
            pairs.push(("timestamp".into(), timestamp::format_qimen(now)));
        }
        let sign = qimen::sign(&pairs, Some(body), &route.secret, method);
        pairs.push(("sign".into(), sign));
        format!("{path}?{}", params::encode(&pairs))
    } else {
        target.to_string()
    };
    let verdict = lint(route, &target, body);
    Prepared { target, verdict }
}
