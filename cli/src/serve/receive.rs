//! Receive mode for Qimen: verify the sign, check the timestamp window both ways, lint the body;
//! then forward or refuse.

use super::config::Route;
use super::reply::Reason;
use qmwire::sign::diagnose::received_sign;
use qmwire::sign::diagnose_qimen;
use qmwire::wire::{params, timestamp};
use qmwire::{Report, Severity};

/// At most this many `rule at path` items in a lint refusal's message.
const MAX_LISTED: usize = 10;

/// What the checks found.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    /// `None`: forward. `Some`: refuse (or, report-only, forward and log).
    pub(crate) refusal: Option<Reason>,
    /// For a lint refusal: `rule at path; …`, rule ids and wire paths only.
    pub(crate) message: String,
    /// For the log: what was checked and found, never a personal value, never the expected
    /// sign.
    pub(crate) log: String,
    /// The method named by the body, from the linter's catalogue (`-` when not linted or not
    /// known).
    pub(crate) method: &'static str,
    /// The rule id of each error found, in report order.
    pub(crate) rules: Vec<&'static str>,
    /// When the sign and the timestamp passed: what replay protection keys on.
    pub(crate) signed: Option<Signed>,
}

/// A request whose sign verified and whose timestamp is inside the window.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub(crate) app_key: String,
    pub(crate) sign: String,
    /// Its timestamp, Unix seconds.
    pub(crate) ts: i64,
}

impl Verdict {
    pub(crate) fn refuse(reason: Reason, log: String) -> Verdict {
        Verdict {
            refusal: Some(reason),
            log,
            method: "-",
            ..Verdict::default()
        }
    }
}

/// Checks one request to `route`: `target` is its path and query as received, `body` its body,
/// `now` the Unix time. Sign first (nothing else is told to a sender who cannot sign), then the
/// timestamp, then the body.
pub(crate) fn check(route: &Route, target: &str, body: &[u8], now: i64) -> Verdict {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let pairs = match params::parse(query) {
        Ok(p) => p,
        Err(e) => {
            return Verdict::refuse(
                Reason::Sign,
                format!("query cannot be decoded at byte {}", e.offset),
            )
        }
    };
    let Some(sign) = received_sign(&pairs) else {
        return Verdict::refuse(Reason::Sign, "no sign parameter".into());
    };
    match diagnose_qimen(&pairs, Some(body), &route.secret, sign) {
        Err(e) => return Verdict::refuse(Reason::Sign, e.to_string()),
        // `Diagnosis`'s Display never holds the expected sign.
        Ok(d) if !d.matches => return Verdict::refuse(Reason::Sign, d.to_string()),
        Ok(_) => {}
    }
    let Some((_, ts)) = pairs.iter().find(|(k, _)| k == "timestamp") else {
        return Verdict::refuse(Reason::Timestamp, "no timestamp parameter".into());
    };
    let ts_unix = match timestamp::check_qimen(ts, now, route.window) {
        Err(e) => return Verdict::refuse(Reason::Timestamp, format!("timestamp: {e}")),
        Ok(c) if !c.is_within() => {
            return Verdict::refuse(Reason::Timestamp, format!("timestamp: {c}"))
        }
        Ok(c) => now + c.offset(),
    };
    let app_key = pairs
        .iter()
        .find(|(k, _)| k == "app_key")
        .map_or(String::new(), |(_, v)| v.to_string());
    let mut verdict = lint(route, target, body);
    verdict.signed = Some(Signed {
        app_key,
        sign: sign.to_string(),
        ts: ts_unix,
    });
    verdict
}

/// Lints `body` as the body of a request to `target` (path and query) with the route's
/// options: the system parameters, the method's contract, the profile's rules. A refusal
/// ([`Reason::Lint`]) when it has errors.
pub(crate) fn lint(route: &Route, target: &str, body: &[u8]) -> Verdict {
    let options = route
        .options
        .clone()
        .with_url(format!("http://qmwire.invalid{target}"));
    verdict_of(&qmwire::lint(body, &options))
}

/// What a lint report means for a request: forward it (warnings only), or refuse it for its
/// errors, named by rule id and path only.
pub(crate) fn verdict_of(report: &Report) -> Verdict {
    let errors: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    let method = report.method.unwrap_or("-");
    if report.errors() == 0 {
        return Verdict {
            log: format!("{method}: {} warnings", report.warnings()),
            method,
            ..Verdict::default()
        };
    }
    let mut message = errors
        .iter()
        .take(MAX_LISTED)
        .map(|i| format!("{} at {}", i.rule, i.path))
        .collect::<Vec<_>>()
        .join("; ");
    let more = report.errors().saturating_sub(errors.len().min(MAX_LISTED));
    if more > 0 {
        message.push_str(&format!("; and {more} more errors"));
    }
    let message = format!("invalid request: {message}");
    Verdict {
        refusal: Some(Reason::Lint),
        log: format!("{method}: {message}"),
        message,
        method,
        rules: errors.iter().map(|i| i.rule).collect(),
        signed: None,
    }
}
