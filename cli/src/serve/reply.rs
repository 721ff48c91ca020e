//! The replies `qmwire serve` writes itself: Qimen failure envelopes, `/healthz`, `/metrics`.

use super::config::Protocol;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// Every reply body: our own (a full buffer) or the upstream's (streamed through).
pub(crate) type Body = http_body_util::combinators::BoxBody<Bytes, hyper::Error>;

/// The code and message the Qimen platform expects when a receiver refuses a request's sign
/// (the SPI receivers' `sign-check-failure` / `Illegal request`). Also used for a timestamp
/// outside the window and for a replayed sign: the platform documents no separate code for
/// either.
pub(crate) const SIGN_CODE: &str = "sign-check-failure";
/// See [`SIGN_CODE`].
pub(crate) const SIGN_MESSAGE: &str = "Illegal request";
/// The code of a request refused for lint errors: the platform's invalid-parameter code.
pub(crate) const INVALID_CODE: &str = "isv.invalid-parameter";

/// Why qmwire answered a request itself; sent in the `X-Qmwire-Refused` header too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    Sign,
    Timestamp,
    Lint,
    Replay,
    ReplayFull,
    Busy,
    BodyTooLarge,
    BadBody,
    NotFound,
    UpstreamDown,
    UpstreamTimeout,
    Internal,
}

impl Reason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Reason::Sign => "sign",
            Reason::Timestamp => "timestamp",
            Reason::Lint => "lint",
            Reason::Replay => "replay",
            Reason::ReplayFull => "replay-cache-full",
            Reason::Busy => "busy",
            Reason::BodyTooLarge => "body-too-large",
            Reason::BadBody => "bad-body",
            Reason::NotFound => "not-found",
            Reason::UpstreamDown => "upstream-down",
            Reason::UpstreamTimeout => "upstream-timeout",
            Reason::Internal => "internal",
        }
    }

    /// The HTTP status: 200 for a refusal the platform reads from the envelope (a receiver
    /// that answers a bad sign with another status gets the call retried or reported as a
    /// transport error), the matching error status for the rest.
    fn status(self) -> StatusCode {
        match self {
            Reason::Sign | Reason::Timestamp | Reason::Lint | Reason::Replay => StatusCode::OK,
            Reason::ReplayFull | Reason::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Reason::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Reason::BadBody => StatusCode::BAD_REQUEST,
            Reason::NotFound => StatusCode::NOT_FOUND,
            Reason::UpstreamDown => StatusCode::BAD_GATEWAY,
            Reason::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Reason::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// `<response><flag>failure</flag><code>…</code><message>…</message></response>`.
pub(crate) fn envelope(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><response><flag>failure</flag><code>{}</code><message>{}</message></response>",
        escape(code),
        escape(message)
    )
}

/// The code of every wdt openapi2 refusal: wdt documents its failure reply as
/// `{"code":…,"message":…}` with 0 for success and shows 99 for a refused parameter, but no
/// code for a bad sign or a stale timestamp; the reason is in the message and the
/// `X-Qmwire-Refused` header.
pub(crate) const WDT_FAILURE_CODE: i64 = 99;

/// A Qimen failure reply for `reason`; `message` only matters for [`Reason::Lint`].
pub(crate) fn failure(reason: Reason, lint_message: &str) -> Response<Body> {
    failure_for(Protocol::Qimen, reason, lint_message)
}

/// The failure reply of `protocol` for `reason`: the Qimen XML envelope; wdt openapi2's
/// `{"code":99,"message":…}`; through Qimen custom, the Qimen codes in the JSON envelope
/// `{"response":{"flag":"failure","code":…,"message":…}}`.
pub(crate) fn failure_for(
    protocol: Protocol,
    reason: Reason,
    lint_message: &str,
) -> Response<Body> {
    let (code, message) = match reason {
        Reason::Sign | Reason::Timestamp | Reason::Replay => (SIGN_CODE, SIGN_MESSAGE),
        Reason::ReplayFull => (
            "replay-cache-full",
            "too many recent requests, try again later",
        ),
        Reason::Busy => ("busy", "too many requests in flight, try again later"),
        Reason::Lint => (INVALID_CODE, lint_message),
        Reason::BodyTooLarge => ("body-too-large", "request body too large"),
        Reason::BadBody => ("bad-request", "request body could not be read"),
        Reason::NotFound => ("not-found", "no route for this path"),
        Reason::UpstreamDown => ("upstream-unavailable", "upstream unavailable"),
        Reason::UpstreamTimeout => ("upstream-timeout", "upstream did not answer in time"),
        Reason::Internal => ("internal-error", "internal error"),
    };
    let (body, content_type) = match protocol {
        Protocol::Qimen => (envelope(code, message), "text/xml;charset=utf-8"),
        Protocol::Wdt => (
            serde_json::json!({ "code": WDT_FAILURE_CODE, "message": message }).to_string(),
            "application/json;charset=utf-8",
        ),
        Protocol::WdtQimen => (
            serde_json::json!({ "response": { "flag": "failure", "code": code, "message": message } })
                .to_string(),
            "application/json;charset=utf-8",
        ),
    };
    let mut r = Response::new(full(body));
    *r.status_mut() = reason.status();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        "x-qmwire-refused",
        HeaderValue::from_static(reason.as_str()),
    );
    r
}

/// `200 ok`.
pub(crate) fn healthy() -> Response<Body> {
    let mut r = Response::new(full("ok\n".to_string()));
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

/// The Prometheus text exposition.
pub(crate) fn metrics(text: String) -> Response<Body> {
    let mut r = Response::new(full(text));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

pub(crate) fn full(text: String) -> Body {
    Full::new(Bytes::from(text))
        .map_err(|never| match never {})
        .boxed()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    qmwire::xml::encode::escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sign_envelope_is_the_platform_s() {
        assert_eq!(
            super::envelope(super::SIGN_CODE, super::SIGN_MESSAGE),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><response><flag>failure</flag><code>sign-check-failure</code><message>Illegal request</message></response>"
        );
        assert!(super::envelope("c", "a<b&").ends_with("<message>a&lt;b&amp;</message></response>"));
    }
}
