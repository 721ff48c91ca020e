//! Forwarding a request to the route's upstream: one HTTP/1.1 connection per request, the
//! given target (path and query) and body unchanged.

use super::config::Route;
use super::reply::Reason;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded in either direction.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
];

/// Removes the hop-by-hop headers, those named in `Connection` included, and `Upgrade`.
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    for name in HOP_BY_HOP.iter().copied().chain(["upgrade"]) {
        headers.remove(name);
    }
    for name in named {
        headers.remove(name.as_str());
    }
}

/// Why a forward failed.
#[derive(Debug)]
pub(crate) struct Failure {
    /// [`Reason::UpstreamDown`] or [`Reason::UpstreamTimeout`].
    pub(crate) reason: Reason,
    pub(crate) detail: String,
    /// Whether the upstream may have received the request: false only when no connection was
    /// made.
    pub(crate) maybe_delivered: bool,
}

/// The request target for the upstream: the route's upstream path, when it has one, with the
/// query of `target`; otherwise `target` as it is.
pub(crate) fn target_for(route: &Route, target: &str) -> String {
    match &route.upstream.path {
        None => target.to_string(),
        Some(path) => match target.split_once('?') {
            Some((_, query)) => format!("{path}?{query}"),
            None => path.clone(),
        },
    }
}

/// Sends the request to the upstream at `target` (path and query) and returns its reply (the
/// body still streaming), or why not: [`Reason::UpstreamDown`] or [`Reason::UpstreamTimeout`]
/// (no reply head within the route's upstream timeout, connecting included).
pub(crate) async fn forward(
    route: &Route,
    parts: Parts,
    target: String,
    body: Bytes,
) -> Result<Response<Incoming>, Failure> {
    let fail = |reason, detail: String, maybe_delivered| Failure {
        reason,
        detail,
        maybe_delivered,
    };
    let authority = route.upstream.authority.clone();
    let call = async {
        let stream = TcpStream::connect(&authority)
            .await
            .map_err(|e| fail(Reason::UpstreamDown, format!("connect: {e}"), false))?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| fail(Reason::UpstreamDown, format!("handshake: {e}"), false))?;
        tokio::spawn(async move {
            // Ends when the reply has been read (or the connection fails; the reply's body
            // then ends with an error, which the client sees as a cut connection).
            let _ = conn.await;
        });
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = parts.method;
        *request.uri_mut() = target
            .parse()
            .map_err(|_| fail(Reason::Internal, "request target".into(), false))?;
        let mut headers = parts.headers;
        strip_hop_by_hop(&mut headers);
        headers.remove(header::CONTENT_LENGTH);
        headers.insert(
            header::HOST,
            HeaderValue::from_str(&authority)
                .map_err(|_| fail(Reason::Internal, "upstream host".into(), false))?,
        );
        *request.headers_mut() = headers;
        sender
            .send_request(request)
            .await
            .map_err(|e| fail(Reason::UpstreamDown, format!("request: {e}"), true))
    };
    match tokio::time::timeout(route.upstream_timeout, call).await {
        Ok(result) => result,
        Err(_) => Err(fail(
            Reason::UpstreamTimeout,
            format!("no reply within {}s", route.upstream_timeout.as_secs()),
            true,
        )),
    }
}
