//! One request, from its head to its reply: the route, the concurrency limit, the body, the
//! mode's checks, replay protection, the upstream; then one log line and the metrics.

use super::config::{Mode, Protocol};
use super::log;
use super::metrics::Sample;
use super::receive::{self, Verdict};
use super::replay::Seen;
use super::reply::{self, Body, Reason};
use super::{send, upstream, wdt, State};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Request, Response};
use serde::Serialize;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// Bodies up to this size are checked on the I/O thread; bigger ones on the blocking pool.
const INLINE_CHECK_MAX: usize = 64 * 1024;

/// What became of a request, for its log line and the metrics.
struct Record {
    id: String,
    route: String,
    method: &'static str,
    outcome: &'static str,
    reason: Option<Reason>,
    rules: Vec<&'static str>,
    upstream_status: Option<u16>,
    detail: String,
}

impl Record {
    fn refused(&mut self, reason: Reason, detail: String) {
        self.outcome = "refused";
        self.reason = Some(reason);
        self.detail = detail;
    }
}

/// A request's log line, its keys in the order they are written.
#[derive(Serialize)]
struct RequestLine<'a> {
    ts: f64,
    msg: &'static str,
    id: &'a str,
    route: &'a str,
    method: &'a str,
    outcome: &'a str,
    reason: &'a str,
    status: u16,
    upstream_status: Option<u16>,
    ms: f64,
    detail: &'a str,
}

/// The service function of every connection.
pub(crate) async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let started = Instant::now();
    match req.uri().path() {
        "/healthz" => return Ok(reply::healthy()),
        "/metrics" => {
            return Ok(reply::metrics(state.metrics.render(
                state.settings.max_in_flight - state.in_flight.available_permits(),
                state.replay.lock().map_or(0, |c| c.len()),
            )))
        }
        _ => {}
    }
    let n = state.next_id.fetch_add(1, Ordering::Relaxed);
    let route = state.routes.iter().position(|r| r.path == req.uri().path());
    let mut record = Record {
        id: format!("{}-{n}", state.id_prefix),
        route: route.map_or("-".into(), |i| state.routes[i].path.clone()),
        method: "-",
        outcome: "refused",
        reason: None,
        rules: Vec::new(),
        upstream_status: None,
        detail: String::new(),
    };
    let mut response = match (route, state.in_flight.clone().try_acquire_owned()) {
        (None, _) => {
            record.refused(Reason::NotFound, String::new());
            reply::failure(Reason::NotFound, "")
        }
        (Some(i), Err(_)) => {
            record.refused(
                Reason::Busy,
                format!("{} requests in flight", state.settings.max_in_flight),
            );
            reply::failure_for(state.routes[i].protocol, Reason::Busy, "")
        }
        (Some(i), Ok(_permit)) => process(&state, i, req, &mut record).await,
    };
    if let Ok(v) = HeaderValue::from_str(&record.id) {
        response.headers_mut().insert("x-request-id", v);
    }
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let reason = record.reason.map_or("-", Reason::as_str);
    log::request(&RequestLine {
        ts: log::now(),
        msg: "request",
        id: &record.id,
        route: &record.route,
        method: record.method,
        outcome: record.outcome,
        reason,
        status,
        upstream_status: record.upstream_status,
        ms: (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        detail: &record.detail,
    });
    let upstream_error = match record.reason {
        Some(Reason::UpstreamDown) => Some("down"),
        Some(Reason::UpstreamTimeout) => Some("timeout"),
        _ => None,
    };
    state.metrics.record(&Sample {
        route: &record.route,
        method: record.method,
        outcome: record.outcome,
        reason,
        rules: &record.rules,
        upstream_error,
        elapsed,
    });
    Ok(response)
}

/// The Unix time in seconds.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn process(
    state: &State,
    route_index: usize,
    req: Request<Incoming>,
    record: &mut Record,
) -> Response<Body> {
    let route = state.routes[route_index].clone();
    let (parts, body) = req.into_parts();
    let protocol = route.protocol;
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > route.max_body as u64) {
        record.refused(Reason::BodyTooLarge, "by Content-Length".into());
        return reply::failure_for(protocol, Reason::BodyTooLarge, "");
    }
    let collected = tokio::time::timeout(
        state.settings.read_timeout,
        Limited::new(body, route.max_body).collect(),
    )
    .await;
    let body: Bytes = match collected {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            record.refused(Reason::BodyTooLarge, String::new());
            return reply::failure_for(protocol, Reason::BodyTooLarge, "");
        }
        Ok(Err(e)) => {
            record.refused(Reason::BadBody, e.to_string());
            return reply::failure_for(protocol, Reason::BadBody, "");
        }
        Err(_) => {
            record.refused(Reason::BadBody, "body not received in time".into());
            return reply::failure_for(protocol, Reason::BadBody, "");
        }
    };
    let received = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    let now = unix_now();
    let content_type = parts
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let inline = body.len() <= INLINE_CHECK_MAX;
    let check = {
        let route = route.clone();
        move || {
            let incoming = wdt::Incoming {
                target: &received,
                content_type: content_type.as_deref(),
                body: &body,
            };
            match (route.mode, route.protocol) {
                (Mode::Receive, Protocol::Qimen) => {
                    let verdict = receive::check(&route, &received, &body, now);
                    (received.clone(), body.clone(), verdict)
                }
                (Mode::Send, Protocol::Qimen) => {
                    let p = send::prepare(&route, &received, &body, now);
                    (p.target, body.clone(), p.verdict)
                }
                (Mode::Receive, Protocol::Wdt | Protocol::WdtQimen) => {
                    let verdict = wdt::check(&route, &incoming, now);
                    (received.clone(), body.clone(), verdict)
                }
                (Mode::Send, Protocol::Wdt | Protocol::WdtQimen) => {
                    let p = wdt::prepare(&route, &incoming, now);
                    (p.target, Bytes::from(p.body), p.verdict)
                }
            }
        }
    };
    // Signing and linting are CPU work: a small body (tens of microseconds) is checked on the
    // I/O thread, a big one on the blocking pool so it does not hold the others up.
    let checked = if inline {
        Ok(check())
    } else {
        tokio::task::spawn_blocking(check).await
    };
    let (target, body, verdict) = match checked {
        Ok(v) => v,
        Err(e) => {
            record.refused(Reason::Internal, e.to_string());
            return reply::failure_for(protocol, Reason::Internal, "");
        }
    };
    let Verdict {
        refusal,
        message,
        log,
        method,
        rules,
        signed,
    } = verdict;
    record.method = method;
    // Sign and timestamp first, then replay protection (a replay is refused whatever its
    // body: that body was already seen), then the lint.
    let refusal = match refusal {
        Some(reason @ (Reason::Sign | Reason::Timestamp)) => Some((reason, log.clone())),
        _ => match signed.as_ref().map(|s| {
            state.replay.lock().map_or(Seen::Full, |mut cache| {
                cache.check(&route.path, &s.app_key, &s.sign, s.ts, route.window, now)
            })
        }) {
            Some(Seen::Replay) => Some((
                Reason::Replay,
                "sign already accepted inside the window".into(),
            )),
            Some(Seen::Full) => Some((
                Reason::ReplayFull,
                format!("{} signs kept", state.settings.replay_cache),
            )),
            Some(Seen::New) | None => refusal.map(|r| (r, log.clone())),
        },
    };
    if let Some((Reason::Lint, _)) = refusal {
        record.rules = rules;
    }
    match refusal {
        Some((reason, detail)) if route.enforce => {
            record.refused(reason, detail);
            let mut r = reply::failure_for(protocol, reason, &message);
            if route.mode == Mode::Send && reason == Reason::Lint {
                // Nothing was sent: the status says so too.
                *r.status_mut() = hyper::StatusCode::UNPROCESSABLE_ENTITY;
            }
            return r;
        }
        Some((reason, detail)) => {
            record.outcome = "report-only";
            record.reason = Some(reason);
            record.detail = detail;
        }
        None => {
            record.outcome = "forwarded";
            record.detail = log;
        }
    }
    let upstream_target = upstream::target_for(&route, &target);
    let pool = &state.pools[route_index];
    match upstream::forward(&route, pool, parts, upstream_target, body).await {
        Ok(response) => {
            record.upstream_status = Some(response.status().as_u16());
            let (mut head, body) = response.into_parts();
            upstream::strip_hop_by_hop(&mut head.headers);
            Response::from_parts(head, body.boxed())
        }
        Err(f) => {
            if !f.maybe_delivered {
                // The upstream never saw it: the sender's retry with the same sign must pass.
                if let (Some(s), Ok(mut cache)) = (&signed, state.replay.lock()) {
                    cache.forget(&route.path, &s.app_key, &s.sign);
                }
            }
            record.outcome = "failed";
            record.reason = Some(f.reason);
            record.detail = f.detail;
            reply::failure_for(protocol, f.reason, "")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A request line is written exactly as the generic event line would write the same fields.
    #[test]
    fn request_lines_keep_the_event_format() {
        for (upstream_status, ms, detail) in [
            (
                Some(200),
                1.0,
                "taobao.qimen.deliveryorder.create: 0 warnings",
            ),
            (
                None,
                0.3,
                "invalid request: \"sign\" at ?sign; 中文 \\ tab\t",
            ),
            (Some(502), 12345.6, ""),
        ] {
            let line = RequestLine {
                ts: 1796176800.123,
                msg: "request",
                id: "19a2b3c4d5e6-7",
                route: "/qimen",
                method: "-",
                outcome: "refused",
                reason: "sign",
                status: 401,
                upstream_status,
                ms,
                detail,
            };
            let mut fields = serde_json::Map::new();
            fields.insert("ts".into(), json!(1796176800.123));
            fields.insert("msg".into(), json!("request"));
            let rest = json!({
                "id": line.id,
                "route": line.route,
                "method": line.method,
                "outcome": line.outcome,
                "reason": line.reason,
                "status": line.status,
                "upstream_status": upstream_status,
                "ms": ms,
                "detail": detail,
            });
            if let serde_json::Value::Object(rest) = rest {
                fields.extend(rest);
            }
            let event = serde_json::Value::Object(fields).to_string();
            assert_eq!(serde_json::to_string(&line).unwrap(), event);
        }
    }
}
