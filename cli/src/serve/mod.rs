//! `qmwire serve`: a validating HTTP proxy for Qimen. In receive mode it verifies each
//! request's sign and timestamp, refuses replays, lints the body, forwards a valid request to
//! the upstream byte for byte and relays the reply; an invalid one gets the Qimen failure
//! envelope. In send mode it lints (and signs) a request on its way out to the gateway. See
//! docs/serve.md.
//!
//! The stack is tokio + hyper 1 (HTTP/1.1 server and client), with no framework: the
//! `qmwire` library itself stays free of async code.

mod config;
mod handle;
mod log;
mod metrics;
mod receive;
mod replay;
mod reply;
mod send;
mod upstream;
mod wdt;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::json;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Semaphore};

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
    /// with its line:column) when not. Secrets must be available (environment variables set,
    /// secret files readable), as at start.
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
            match crate::lang::get() {
                qmwire::Lang::Zh => eprintln!("qmwire serve: {name}：{e}"),
                _ => eprintln!("qmwire serve: {name}: {e}"),
            }
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
            "{}",
            crate::lang::say(
                || format!(
                    "ok: {name}: {} listener(s), {} route(s)",
                    config.listen.len(),
                    config.routes.len()
                ),
                || format!(
                    "ok: {name}：{} 个监听地址，{} 条路由",
                    config.listen.len(),
                    config.routes.len()
                ),
            )
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
            eprintln!(
                "qmwire serve: {}",
                crate::lang::say(
                    || format!("cannot start the runtime: {e}"),
                    || format!("无法启动运行时：{}", crate::lang::io_error(&e)),
                )
            );
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(serve(config));
    // Tasks still running after the drain (requests past the grace time) are dropped here.
    runtime.shutdown_timeout(Duration::from_secs(1));
    log::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qmwire serve: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_config(path: &std::path::Path) -> Result<String, String> {
    let cannot = |e: std::io::Error| {
        crate::lang::say(
            || format!("cannot read: {e}"),
            || format!("无法读取：{}", crate::lang::io_error(&e)),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONFIG {
        return Err(crate::lang::pick(
            "expected a configuration file, found more than 1 MiB",
            "应为配置文件，实际超过了 1 MiB",
        )
        .into());
    }
    String::from_utf8(bytes)
        .map_err(|_| crate::lang::pick("expected UTF-8 text", "应为 UTF-8 文本").into())
}

/// What every request handler shares.
struct State {
    settings: config::Settings,
    routes: Vec<Arc<config::Route>>,
    /// The idle upstream connections of each route, in the order of `routes`.
    pools: Vec<Arc<upstream::Pool>>,
    next_id: AtomicU64,
    /// Request ids are `{id_prefix}-{n}`: the prefix tells one run of the server from another.
    id_prefix: String,
    in_flight: Arc<Semaphore>,
    replay: Mutex<replay::Cache>,
    metrics: metrics::Metrics,
}

/// Binds every listener (all before serving any), announces each bound address on standard
/// error, and serves until SIGTERM or Ctrl-C; then stops accepting, lets the requests in flight
/// finish for up to `shutdown-grace`, and returns.
async fn serve(config: config::Config) -> Result<(), String> {
    let mut listeners = Vec::new();
    for addr in &config.listen {
        let l = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            crate::lang::say(
                || format!("cannot listen on {addr}: {e}"),
                || format!("无法在 {addr} 上监听：{}", crate::lang::io_error(&e)),
            )
        })?;
        listeners.push(l);
    }
    let stop_signal = stop_signal()?;
    for r in &config.routes {
        log::event(
            "route",
            json!({
                "route": r.path,
                "upstream": format!("http://{}{}", r.upstream.authority, r.upstream.path.as_deref().unwrap_or("")),
                "mode": match r.mode { config::Mode::Receive => "receive", config::Mode::Send => "send" },
                "protocol": match r.protocol {
                    config::Protocol::Qimen => "qimen",
                    config::Protocol::Wdt => "wdt",
                    config::Protocol::WdtQimen => "wdt-qimen",
                },
                "enforce": r.enforce,
            }),
        );
    }
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let settings = config.settings;
    let state = Arc::new(State {
        in_flight: Arc::new(Semaphore::new(settings.max_in_flight)),
        replay: Mutex::new(replay::Cache::new(settings.replay_cache)),
        id_prefix: format!("{started:x}{:04x}", std::process::id() & 0xffff),
        pools: config
            .routes
            .iter()
            .map(|r| {
                Arc::new(upstream::Pool::new(
                    r.upstream_idle_timeout,
                    settings.max_in_flight,
                ))
            })
            .collect(),
        settings,
        routes: config.routes,
        next_id: AtomicU64::new(1),
        metrics: metrics::Metrics::default(),
    });
    for pool in &state.pools {
        tokio::spawn(pool.clone().sweep_forever());
    }
    let graceful = Arc::new(GracefulShutdown::new());
    let connections = Arc::new(Semaphore::new(state.settings.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    for l in listeners {
        let addr = l.local_addr().map_err(|e| e.to_string())?;
        log::event("listening", json!({ "address": addr.to_string() }));
        // Test harnesses and scripts wait for this plain line.
        eprintln!(
            "qmwire serve: {}",
            crate::lang::say(
                || format!("listening on {addr}"),
                || format!("正在 {addr} 上监听"),
            )
        );
        tasks.push(tokio::spawn(accept_loop(
            l,
            state.clone(),
            connections.clone(),
            graceful.clone(),
            stop_rx.clone(),
        )));
    }
    stop_signal.await;
    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = t.await;
    }
    // The accept loops are gone, and with them every other holder of `graceful`.
    let graceful = Arc::try_unwrap(graceful).unwrap_or_default();
    let open = graceful.count();
    log::event(
        "shutting down",
        json!({ "connections": open, "grace_s": state.settings.shutdown_grace.as_secs() }),
    );
    let drained = tokio::time::timeout(state.settings.shutdown_grace, graceful.shutdown())
        .await
        .is_ok();
    log::event("stopped", json!({ "drained": drained }));
    Ok(())
}

/// Resolves on the first SIGTERM or Ctrl-C (SIGINT).
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| {
            crate::lang::say(
                || format!("cannot watch SIGTERM: {e}"),
                || format!("无法监视 SIGTERM：{}", crate::lang::io_error(&e)),
            )
        })?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    connections: Arc<Semaphore>,
    graceful: Arc<GracefulShutdown>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        // At `max-connections`, wait for one to close before accepting (the kernel's backlog
        // holds the next clients meanwhile).
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => p,
            _ = stop.changed() => return,
        };
        let Ok(permit) = permit else { return };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                log::event("accept failed", json!({ "error": e.to_string() }));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = state.clone();
        let settings = &state.settings;
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(settings.read_timeout)
            .max_header_size(settings.max_header)
            .serve_connection(
                TokioIo::new(stream),
                service_fn({
                    let state = state.clone();
                    move |req| handle::handle(state.clone(), req)
                }),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
}
