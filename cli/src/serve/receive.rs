//! Receive mode for Qimen: verify the sign, check the timestamp window both ways, lint the body;
//! then forward or refuse.

use super::config::Route;
use super::reply::Reason;
use qmwire::sign::diagnose::received_sign;
use qmwire::sign::diagnose_qimen;
use qmwire::wire::{params, timestamp};
use qmwire::Severity;

/// At most this many `rule at path` items in a lint refusal's message.
const MAX_LISTED: usize = 10;

/// What the checks found.
#[derive(Debug)]
pub(crate) struct Verdict {
    /// `None`: forward. `Some`: refuse (or, report-only, forward and log).
    pub(crate) refusal: Option<Reason>,
    /// For a lint refusal: `rule at path; …`, rule ids and wire paths only.
    pub(crate) message: String,
    /// For the log: what was checked and found, never a personal value, never the expected
    /// sign.
    pub(crate) log: String,
}

impl Verdict {
    fn refuse(reason: Reason, log: String) -> Verdict {
        Verdict {
            refusal: Some(reason),
            message: String::new(),
            log,
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
    match timestamp::check_qimen(ts, now, route.window) {
        Err(e) => return Verdict::refuse(Reason::Timestamp, format!("timestamp: {e}")),
        Ok(c) if !c.is_within() => {
            return Verdict::refuse(Reason::Timestamp, format!("timestamp: {c}"))
        }
        Ok(_) => {}
    }
    // The sign and the window are checked above; the linter checks the system parameters and
    // the body as the body of a request to this target.
    let options = route
        .options
        .clone()
        .with_url(format!("http://qmwire.invalid{target}"));
    let report = qmwire::lint(body, &options);
    let errors: Vec<String> = report
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| format!("{} at {}", i.rule, i.path))
        .collect();
    let method = report.method.unwrap_or("unknown method");
    if report.errors() == 0 {
        return Verdict {
            refusal: None,
            message: String::new(),
            log: format!(
                "{method}: sign ok, timestamp ok, {} warnings",
                report.warnings()
            ),
        };
    }
    let mut message = errors
        .iter()
        .take(MAX_LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    let more = report.errors() - errors.len().min(MAX_LISTED);
    if more > 0 {
        message.push_str(&format!("; and {more} more errors"));
    }
    let message = format!("invalid request: {message}");
    Verdict {
        refusal: Some(Reason::Lint),
        log: format!("{method}: {message}"),
        message,
    }
}
