//! Forwarding a request to the route's upstream over HTTP/1.1, the given target (path and
//! query) and body unchanged; keep-alive connections are reused from the route's [`Pool`].

use super::config::Route;
use super::reply::Reason;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
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

/// Idle keep-alive connections to one route's upstream, most recently used last.
///
/// A connection is taken for one request at a time and comes back only once its reply has
/// been read to the end, so requests and replies of different clients never share a
/// connection at the same time. Connections idle longer than the route's
/// `upstream-idle-timeout` are closed rather than reused.
#[derive(Debug)]
pub(crate) struct Pool {
    idle: Mutex<Vec<IdleConnection>>,
    timeout: Duration,
    /// How many idle connections are kept at most; more are closed.
    max_idle: usize,
}

#[derive(Debug)]
struct IdleConnection {
    sender: SendRequest<Full<Bytes>>,
    since: Instant,
}

impl Pool {
    /// A pool that keeps connections idle for up to `timeout` (zero: none kept) and at most
    /// `max_idle` of them.
    pub(crate) fn new(timeout: Duration, max_idle: usize) -> Pool {
        Pool {
            idle: Mutex::new(Vec::new()),
            timeout,
            max_idle,
        }
    }

    /// The most recently used idle connection that is still open and fresh, ready for a
    /// request; `None` when there is none.
    async fn take(&self) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let candidate = {
                let mut idle = self.idle.lock().ok()?;
                idle.pop()?
            };
            if candidate.since.elapsed() >= self.timeout || candidate.sender.is_closed() {
                continue;
            }
            let mut sender = candidate.sender;
            // Its reply was read to the end; the connection is ready at once unless it is
            // closing, in which case `ready` fails.
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    /// Closes the connections idle for longer than the timeout, and forgets the ones the
    /// upstream closed, every timeout (at least every second) for as long as the server runs:
    /// a route without traffic holds no stale connections to its upstream.
    pub(crate) async fn sweep_forever(self: Arc<Pool>) {
        if self.timeout.is_zero() {
            return;
        }
        loop {
            tokio::time::sleep(self.timeout.max(Duration::from_secs(1))).await;
            if let Ok(mut idle) = self.idle.lock() {
                self.sweep(&mut idle);
            }
        }
    }

    fn sweep(&self, idle: &mut Vec<IdleConnection>) {
        let timeout = self.timeout;
        idle.retain(|c| c.since.elapsed() < timeout && !c.sender.is_closed());
    }

    /// Gives back a connection whose reply was read to the end.
    fn put(&self, sender: SendRequest<Full<Bytes>>) {
        if self.timeout.is_zero() || sender.is_closed() {
            return;
        }
        let Ok(mut idle) = self.idle.lock() else {
            return;
        };
        self.sweep(&mut idle);
        if idle.len() < self.max_idle {
            idle.push(IdleConnection {
                sender,
                since: Instant::now(),
            });
        }
    }
}

/// The upstream's reply body, relayed as it arrives; once it has been read to the end, its
/// connection goes back to the pool. A body dropped before its end (the client went away)
/// closes the connection instead: what is left of the reply would otherwise be read as the
/// next request's.
pub(crate) struct Relayed {
    body: Incoming,
    back: Option<(SendRequest<Full<Bytes>>, Arc<Pool>)>,
}

impl Relayed {
    fn give_back(&mut self) {
        if let Some((sender, pool)) = self.back.take() {
            pool.put(sender);
        }
    }
}

impl Drop for Relayed {
    fn drop(&mut self) {
        // An empty reply, or one whose last frame was taken without a final poll, is complete
        // too.
        if self.body.is_end_stream() {
            self.give_back();
        }
    }
}

impl Body for Relayed {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => this.give_back(),
            Poll::Ready(Some(Ok(_))) if this.body.is_end_stream() => this.give_back(),
            Poll::Ready(Some(Err(_))) => this.back = None,
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Sends the request to the upstream at `target` (path and query) and returns its reply (the
/// body still streaming), or why not: [`Reason::UpstreamDown`] or [`Reason::UpstreamTimeout`]
/// (no reply head within the route's upstream timeout, connecting included).
///
/// An idle connection from `pool` is used when there is one. A pooled connection that turns
/// out closed before the request was written to it (the upstream closed it while idle) gives
/// the request back, and it is sent again on another connection; once any byte of it may have
/// been written, a failure is reported and nothing is sent again.
pub(crate) async fn forward(
    route: &Route,
    pool: &Arc<Pool>,
    parts: Parts,
    target: String,
    body: Bytes,
) -> Result<Response<Relayed>, Failure> {
    let fail = |reason, detail: String, maybe_delivered| Failure {
        reason,
        detail,
        maybe_delivered,
    };
    let authority = &route.upstream.authority;
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
        HeaderValue::from_str(authority)
            .map_err(|_| fail(Reason::Internal, "upstream host".into(), false))?,
    );
    *request.headers_mut() = headers;
    let call = async {
        loop {
            let (mut sender, pooled) = match pool.take().await {
                Some(s) => (s, true),
                None => (connect(authority).await?, false),
            };
            match sender.try_send_request(request).await {
                Ok(response) => {
                    let (head, body) = response.into_parts();
                    let relayed = Relayed {
                        body,
                        back: Some((sender, pool.clone())),
                    };
                    return Ok(Response::from_parts(head, relayed));
                }
                Err(mut e) => match e.take_message() {
                    // Never written: safe to send on another connection. A fresh connection
                    // that fails so is not tried again (the upstream is going away).
                    Some(unsent) if pooled => request = unsent,
                    unsent => {
                        return Err(fail(
                            Reason::UpstreamDown,
                            format!("request: {}", e.into_error()),
                            unsent.is_none(),
                        ))
                    }
                },
            }
        }
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

/// A new HTTP/1.1 connection to `authority`, its connection task spawned.
async fn connect(authority: &str) -> Result<SendRequest<Full<Bytes>>, Failure> {
    let down = |detail: String| Failure {
        reason: Reason::UpstreamDown,
        detail,
        maybe_delivered: false,
    };
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| down(format!("connect: {e}")))?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| down(format!("handshake: {e}")))?;
    tokio::spawn(async move {
        // Ends when the upstream closes the connection, when it fails (a reply body being
        // read then ends with an error, which the client sees as a cut connection), or when
        // the pool drops the connection's sender.
        let _ = conn.await;
    });
    Ok(sender)
}
