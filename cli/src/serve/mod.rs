//! `qmwire serve`: a validating HTTP receiver in front of a Qimen endpoint. It verifies each
//! request's sign and timestamp, lints its body, forwards a valid request to the upstream byte
//! for byte and relays the reply; an invalid one gets the Qimen failure envelope. See
//! docs/serve.md.
//!
//! The stack is tokio + hyper 1 (HTTP/1.1 server and client), with no framework: the
//! `qmwire` library itself stays free of async code.

mod config;
mod receive;
mod reply;
mod upstream;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use reply::{Body, Reason};
use std::convert::Infallible;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a client may take to send the request head, and then the body.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest configuration file read.
const MAX_CONFIG: u64 = 1024 * 1024;

/// `qmwire serve --config FILE` or `qmwire serve --check FILE`.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct ServeArgs {
    /// Run the server with this configuration (TOML; see docs/serve.md).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Check this configuration and exit: 0 when it would start, 2 with every problem (each
    /// with its line:column) when not. Secrets must be set, as at start.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

pub(crate) fn run(args: ServeArgs) -> ExitCode {
    let (path, check_only) = match (args.config, args.check) {
        (Some(p), _) => (p, false),
        (None, Some(p)) => (p, true),
        (None, None) => unreachable!("clap requires one of --config and --check"),
    };
    let name = path.display().to_string();
    let text = match read_config(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("qmwire serve: {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match config::load(&name, &text, |v| std::env::var(v).ok()) {
        Ok(c) => c,
        Err(errors) => {
            for e in errors {
                eprintln!("qmwire serve: {e}");
            }
            return ExitCode::from(2);
        }
    };
    if check_only {
        println!(
            "ok: {name}: {} listener(s), {} route(s)",
            config.listen.len(),
            config.routes.len()
        );
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("qmwire serve: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qmwire serve: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_config(path: &std::path::Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_CONFIG {
        return Err("expected a configuration file, found more than 1 MiB".into());
    }
    String::from_utf8(bytes).map_err(|_| "expected UTF-8 text".into())
}

struct State {
    routes: Vec<Arc<config::Route>>,
    next_id: AtomicU64,
}

/// Binds every listener (all before serving any), announces each bound address on standard
/// error, and serves until killed.
async fn serve(config: config::Config) -> Result<(), String> {
    let mut listeners = Vec::new();
    for addr in &config.listen {
        let l = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        listeners.push(l);
    }
    for r in &config.routes {
        eprintln!(
            "qmwire serve: route {} -> http://{} (receive, qimen, {})",
            r.path,
            r.upstream.authority,
            if r.enforce { "enforce" } else { "report-only" }
        );
    }
    let state = Arc::new(State {
        routes: config.routes,
        next_id: AtomicU64::new(1),
    });
    let mut tasks = Vec::new();
    for l in listeners {
        let addr = l.local_addr().map_err(|e| e.to_string())?;
        eprintln!("qmwire serve: listening on {addr}");
        tasks.push(tokio::spawn(accept_loop(l, state.clone())));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                eprintln!("qmwire serve: accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(state.clone(), req));
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    if req.uri().path() == "/healthz" {
        return Ok(reply::healthy());
    }
    let id = state.next_id.fetch_add(1, Ordering::Relaxed);
    let Some(route) = state
        .routes
        .iter()
        .find(|r| r.path == req.uri().path())
        .cloned()
    else {
        log(id, "-", "refused not-found", "");
        return Ok(reply::failure(Reason::NotFound, ""));
    };
    Ok(receive(id, route, req).await)
}

/// One line per request on standard error: request id, route, outcome, details (rule ids,
/// paths, sign causes; never a personal value, a secret or the expected sign).
fn log(id: u64, route: &str, outcome: &str, detail: &str) {
    eprintln!("qmwire serve: req={id} route={route} {outcome}: {detail}");
}

async fn receive(id: u64, route: Arc<config::Route>, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let path = route.path.as_str();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > route.max_body as u64) {
        log(id, path, "refused body-too-large", "by Content-Length");
        return reply::failure(Reason::BodyTooLarge, "");
    }
    let body: Bytes = match tokio::time::timeout(
        READ_TIMEOUT,
        Limited::new(body, route.max_body).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            log(id, path, "refused body-too-large", "");
            return reply::failure(Reason::BodyTooLarge, "");
        }
        Ok(Err(e)) => {
            log(id, path, "refused bad-body", &e.to_string());
            return reply::failure(Reason::BadBody, "");
        }
        Err(_) => {
            log(id, path, "refused bad-body", "body not received in time");
            return reply::failure(Reason::BadBody, "");
        }
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let checked = {
        let route = route.clone();
        let body = body.clone();
        // Signing and linting are CPU work: off the I/O threads.
        tokio::task::spawn_blocking(move || receive::check(&route, &target, &body, now)).await
    };
    let verdict = match checked {
        Ok(v) => v,
        Err(e) => {
            log(id, path, "refused internal", &e.to_string());
            return reply::failure(Reason::Internal, "");
        }
    };
    if let Some(reason) = verdict.refusal {
        if route.enforce {
            log(
                id,
                path,
                &format!("refused {}", reason.as_str()),
                &verdict.log,
            );
            return reply::failure(reason, &verdict.message);
        }
        log(
            id,
            path,
            &format!("report-only: would refuse {}, forwarding", reason.as_str()),
            &verdict.log,
        );
    }
    match upstream::forward(&route, &parts, body).await {
        Ok(response) => {
            log(
                id,
                path,
                "forwarded",
                &format!("{}; upstream {}", verdict.log, response.status().as_u16()),
            );
            let (mut head, body) = response.into_parts();
            upstream::strip_hop_by_hop(&mut head.headers);
            Response::from_parts(head, body.boxed())
        }
        Err((reason, detail)) => {
            log(id, path, &format!("failed {}", reason.as_str()), &detail);
            reply::failure(reason, "")
        }
    }
}
