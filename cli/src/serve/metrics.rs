//! The counters behind `GET /metrics`, written in the Prometheus text exposition format
//! (version 0.0.4) by hand: a handful of counters and one histogram do not need a metrics
//! crate and its registry.
//!
//! Every label value comes from a closed set: configured route paths (or `-` for a request to
//! no route), method names from the linter's catalogue (or `-` when the body's method is not
//! known), outcomes and reasons from this module's callers, rule ids from the rule catalogue.
//! A sender cannot create new series by sending odd paths or methods.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// One finished request, as counted.
pub(crate) struct Sample<'a> {
    pub(crate) route: &'a str,
    pub(crate) method: &'static str,
    pub(crate) outcome: &'static str,
    pub(crate) reason: &'static str,
    pub(crate) rules: &'a [&'static str],
    pub(crate) upstream_error: Option<&'static str>,
    pub(crate) elapsed: Duration,
}

#[derive(Default)]
struct Histogram {
    /// Cumulative counts per bucket of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Counters {
    /// (route, method, outcome, reason) → requests.
    requests: BTreeMap<(String, &'static str, &'static str, &'static str), u64>,
    /// (route, rule) → error findings in refused or reported requests.
    rules: BTreeMap<(String, &'static str), u64>,
    /// (route, kind) → upstream failures.
    upstream_errors: BTreeMap<(String, &'static str), u64>,
    /// route → latency of every request to it.
    latency: BTreeMap<String, Histogram>,
}

/// The server's counters.
#[derive(Default)]
pub(crate) struct Metrics {
    counters: Mutex<Counters>,
}

impl Metrics {
    /// Counts one finished request.
    pub(crate) fn record(&self, s: &Sample<'_>) {
        let Ok(mut c) = self.counters.lock() else {
            return;
        };
        *c.requests
            .entry((s.route.to_string(), s.method, s.outcome, s.reason))
            .or_default() += 1;
        for rule in s.rules {
            *c.rules.entry((s.route.to_string(), rule)).or_default() += 1;
        }
        if let Some(kind) = s.upstream_error {
            *c.upstream_errors
                .entry((s.route.to_string(), kind))
                .or_default() += 1;
        }
        let h = c.latency.entry(s.route.to_string()).or_default();
        let secs = s.elapsed.as_secs_f64();
        for (bound, n) in BUCKETS.iter().zip(h.buckets.iter_mut()) {
            if secs <= *bound {
                *n += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// The exposition text; `in_flight` and `replay_signs` are gauges read by the caller.
    pub(crate) fn render(&self, in_flight: usize, replay_signs: usize) -> String {
        let mut out = String::new();
        let Ok(c) = self.counters.lock() else {
            return out;
        };
        out.push_str("# HELP qmwire_serve_requests_total Requests to a route, by the body's method, the outcome and the refusal reason.\n# TYPE qmwire_serve_requests_total counter\n");
        for ((route, method, outcome, reason), n) in &c.requests {
            let _ = writeln!(
                out,
                "qmwire_serve_requests_total{{route=\"{}\",method=\"{method}\",outcome=\"{outcome}\",reason=\"{reason}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP qmwire_serve_rule_errors_total Lint errors found in requests, by rule id.\n# TYPE qmwire_serve_rule_errors_total counter\n");
        for ((route, rule), n) in &c.rules {
            let _ = writeln!(
                out,
                "qmwire_serve_rule_errors_total{{route=\"{}\",rule=\"{rule}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP qmwire_serve_upstream_errors_total Upstream calls that failed: down (no connection or a cut one) or timeout.\n# TYPE qmwire_serve_upstream_errors_total counter\n");
        for ((route, kind), n) in &c.upstream_errors {
            let _ = writeln!(
                out,
                "qmwire_serve_upstream_errors_total{{route=\"{}\",kind=\"{kind}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP qmwire_serve_request_duration_seconds Time from the request head to the reply head.\n# TYPE qmwire_serve_request_duration_seconds histogram\n");
        for (route, h) in &c.latency {
            let route = label(route);
            for (bound, n) in BUCKETS.iter().zip(h.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "qmwire_serve_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "qmwire_serve_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\nqmwire_serve_request_duration_seconds_sum{{route=\"{route}\"}} {}\nqmwire_serve_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        let _ = write!(
            out,
            "# HELP qmwire_serve_in_flight Requests being handled now.\n# TYPE qmwire_serve_in_flight gauge\nqmwire_serve_in_flight {in_flight}\n# HELP qmwire_serve_replay_signs Signs kept by replay protection.\n# TYPE qmwire_serve_replay_signs gauge\nqmwire_serve_replay_signs {replay_signs}\n"
        );
        out
    }
}

/// A label value escaped as the exposition format requires (`\`, `"` and newlines).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::{Metrics, Sample};
    use std::time::Duration;

    #[test]
    fn counters_and_the_histogram_are_rendered() {
        let m = Metrics::default();
        let sample = Sample {
            route: "/q\"",
            method: "taobao.qimen.deliveryorder.create",
            outcome: "refused",
            reason: "lint",
            rules: &["enum", "enum"],
            upstream_error: None,
            elapsed: Duration::from_millis(3),
        };
        m.record(&sample);
        m.record(&Sample {
            upstream_error: Some("timeout"),
            rules: &[],
            elapsed: Duration::from_secs(7),
            ..sample
        });
        let text = m.render(1, 5);
        assert!(text.contains("qmwire_serve_requests_total{route=\"/q\\\"\",method=\"taobao.qimen.deliveryorder.create\",outcome=\"refused\",reason=\"lint\"} 2\n"), "{text}");
        assert!(text.contains("qmwire_serve_rule_errors_total{route=\"/q\\\"\",rule=\"enum\"} 2\n"));
        assert!(text.contains("kind=\"timeout\"} 1\n"));
        assert!(text.contains("le=\"0.0025\"} 0\n"));
        assert!(text.contains("le=\"0.005\"} 1\n"));
        assert!(text.contains("le=\"5\"} 1\n"));
        assert!(text.contains("le=\"+Inf\"} 2\n"));
        assert!(text.contains("\nqmwire_serve_in_flight 1\n"));
        assert!(text.contains("\nqmwire_serve_replay_signs 5\n"));
    }
}
