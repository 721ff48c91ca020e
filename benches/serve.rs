//! `qmwire serve` over loopback (issue 17, item 5): requests per second and p50/p99 latency of
//! verify + lint + forward for the 3 KB `deliveryorder.create`, against a bare pass-through
//! proxy on the same stack (tokio + hyper 1, keep-alive upstream connections reused as
//! `qmwire serve` reuses them), measured in the same run in interleaved rounds.
//!
//! Both proxies are child processes (this binary re-run with `QMWIRE_BENCH_ROLE=bare-proxy` is
//! the bare one); the upstream and the load generator (keep-alive client connections) run in
//! this process. Every request is signed with its own order code, so replay protection passes
//! each one once. See benches/README.md.
//!
//! `cargo bench -p qmwire-cli --bench serve`; under `--test` (`cargo test --benches`) one small
//! round each, to prove the set-up works, and no figures.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body as _, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use qmwire::sign::{qimen, SignMethod};
use qmwire::wire::{params, timestamp};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "bench-secret";
const REPLY: &str = "<response><flag>success</flag><code>0</code><message>ok</message></response>";
/// Client connections sending at once, each with keep-alive.
const CLIENTS: usize = 8;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    if std::env::var("QMWIRE_BENCH_ROLE").as_deref() == Ok("bare-proxy") {
        return bare_proxy_main();
    }
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let (rounds, per_round) = if full { (7, 2_000) } else { (1, 40) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(rounds, per_round, full));
}

/// One proxy under test.
struct Candidate {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
}

impl Drop for Candidate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The user and system CPU time the candidate's process has used so far, from
/// `/proc/PID/stat` (Linux, 100 clock ticks a second); `None` elsewhere.
fn cpu_time(c: &Candidate) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", c.child.id())).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces): utime and
    // stime are the 12th and 13th of them.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let ticks: u64 = fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Starts `cmd` with standard error piped, waits (bounded) for its `listening on` line, and
/// drains the rest of standard error in a thread.
fn start(name: &'static str, mut cmd: Command) -> Candidate {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(a) = line.strip_prefix("qmwire serve: listening on ") {
                let _ = tx.send(a.to_string());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the proxy did not start")
        .parse()
        .expect("address");
    Candidate { name, child, addr }
}

async fn run(rounds: usize, per_round: usize, full: bool) {
    let upstream = start_upstream().await;
    let dir = std::env::temp_dir().join(format!("qmwire-bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        format!(
            "[[listen]]\naddress = \"127.0.0.1:0\"\n\n[[route]]\npath = \"/qimen\"\nmode = \"receive\"\nprotocol = \"qimen\"\nupstream = \"http://{upstream}\"\nsecret-env = \"QM_BENCH_SECRET\"\n"
        ),
    )
    .expect("config");
    let mut serve = Command::new(env!("CARGO_BIN_EXE_qmwire"));
    serve
        .args(["serve", "--config"])
        .arg(&config)
        .env("QM_BENCH_SECRET", SECRET);
    let mut bare = Command::new(std::env::current_exe().expect("own path"));
    bare.env("QMWIRE_BENCH_ROLE", "bare-proxy")
        .env("QMWIRE_BENCH_UPSTREAM", upstream.to_string());
    let candidates = [start("qmwire serve", serve), start("bare proxy", bare)];

    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../benches/data/deliveryorder_create_3k.xml"
    ))
    .expect("bench document");
    // Each candidate gets its own requests in each round: (target, body), signed now.
    let mut n = 0;
    let mut batches = Vec::new();
    for _ in 0..rounds {
        for _ in &candidates {
            let batch: Vec<(String, Bytes)> = (0..per_round)
                .map(|_| {
                    n += 1;
                    request(&doc, n)
                })
                .collect();
            batches.push(Arc::new(batch));
        }
    }
    // Warm-up, and proof that the requests pass: every reply is the upstream's.
    for c in &candidates {
        let (_, _, relayed) = round(c.addr, Arc::new(vec![request(&doc, 0)])).await;
        assert_eq!(
            relayed, 1,
            "{}: the warm-up request was not relayed",
            c.name
        );
    }
    let cpu_before: Vec<Option<Duration>> = candidates.iter().map(cpu_time).collect();
    let mut best = vec![Duration::MAX; candidates.len()];
    let mut latencies = vec![Vec::new(); candidates.len()];
    let mut batch = batches.into_iter();
    for _ in 0..rounds {
        for (i, c) in candidates.iter().enumerate() {
            let requests = batch.next().expect("a batch per round and candidate");
            let (took, lat, relayed) = round(c.addr, requests).await;
            assert_eq!(relayed, per_round, "{}: every request relayed", c.name);
            best[i] = best[i].min(took);
            latencies[i].extend(lat);
        }
    }
    let cpu: Vec<Option<Duration>> = candidates
        .iter()
        .zip(&cpu_before)
        .map(|(c, before)| Some(cpu_time(c)?.saturating_sub((*before)?)))
        .collect();
    if !full {
        println!("serve bench: set-up works (run with `cargo bench` for figures)");
        return;
    }
    println!(
        "deliveryorder_create_3k over loopback, {CLIENTS} keep-alive clients, {per_round} requests per round, best of {rounds} interleaved rounds:"
    );
    let mut rps = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let lat = &mut latencies[i];
        lat.sort();
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        let r = per_round as f64 / best[i].as_secs_f64();
        rps.push(r);
        let cpu = cpu[i].map_or("-".to_string(), |t| {
            format!(
                "{:.0} us",
                t.as_secs_f64() * 1e6 / (rounds * per_round) as f64
            )
        });
        println!(
            "  {:<13} {:>8.0} requests/s   p50 {:>7.3} ms   p99 {:>7.3} ms   CPU {cpu} per request",
            c.name,
            r,
            pct(0.50).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0
        );
    }
    println!(
        "  ratio qmwire serve / bare proxy: {:.2}x (target >= 0.8x)",
        rps[0] / rps[1]
    );
    // What the checks alone cost, in this process: the sign verified and the request linted
    // as `qmwire serve` does for each of them.
    let sample: Vec<(String, Bytes)> = (0..2_000).map(|i| request(&doc, 1_000_000 + i)).collect();
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        for (target, body) in &sample {
            std::hint::black_box(check(target, body));
        }
        best = best.min(started.elapsed() / sample.len() as u32);
    }
    println!(
        "  verify + lint alone: {:.1} us per request (best of 5 x 2,000, one thread)",
        best.as_secs_f64() * 1e6
    );
}

/// The sign and the lint of one request, as `qmwire serve` checks it.
fn check(target: &str, body: &[u8]) -> bool {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let pairs = params::parse(query).expect("query");
    let sign = qmwire::sign::diagnose::received_sign(&pairs).expect("sign");
    let ok = qmwire::sign::diagnose_qimen(&pairs, Some(body), SECRET.as_bytes(), sign)
        .is_ok_and(|d| d.matches);
    let options = qmwire::Options::new()
        .with_shape(qmwire::Shape::Xml)
        .with_url(format!("http://qmwire.invalid{target}"));
    ok && qmwire::lint(body, &options).errors() == 0
}

/// The document with order code `n`, signed for `/qimen` now.
fn request(doc: &str, n: usize) -> (String, Bytes) {
    let body = doc.replace(
        "<deliveryOrderCode>DO202611220001</deliveryOrderCode>",
        &format!("<deliveryOrderCode>DOBENCH{n:010}</deliveryOrderCode>"),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let ts = timestamp::format_qimen(now);
    let pairs = [
        ("method", "taobao.qimen.deliveryorder.create"),
        ("app_key", "12345678"),
        ("customerId", "c1001"),
        ("format", "xml"),
        ("sign_method", "md5"),
        ("timestamp", ts.as_str()),
        ("v", "2.0"),
    ];
    let sign = qimen::sign(
        &pairs,
        Some(body.as_bytes()),
        SECRET.as_bytes(),
        SignMethod::Md5,
    );
    (
        format!("/qimen?{}&sign={sign}", params::encode(&pairs)),
        Bytes::from(body),
    )
}

/// Sends `requests` to `addr` over [`CLIENTS`] keep-alive connections; returns the wall time,
/// each request's latency and how many replies were the upstream's.
async fn round(
    addr: SocketAddr,
    requests: Arc<Vec<(String, Bytes)>>,
) -> (Duration, Vec<Duration>, usize) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS.min(requests.len()))
        .map(|c| {
            let requests = requests.clone();
            tokio::spawn(async move { client(addr, &requests, c).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut relayed = 0;
    for t in tasks {
        let (lat, ok) = t.await.expect("client task").expect("client");
        latencies.extend(lat);
        relayed += ok;
    }
    (started.elapsed(), latencies, relayed)
}

/// One keep-alive connection sending every `CLIENTS`-th request from `first`.
async fn client(
    addr: SocketAddr,
    requests: &[(String, Bytes)],
    first: usize,
) -> Result<(Vec<Duration>, usize), BoxError> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut latencies = Vec::new();
    let mut relayed = 0;
    for (target, body) in requests.iter().skip(first).step_by(CLIENTS) {
        let req = Request::post(target.as_str())
            .header("host", addr.to_string())
            .header("content-type", "text/xml;charset=utf-8")
            .body(Full::new(body.clone()))?;
        let sent = Instant::now();
        sender.ready().await?;
        let reply = sender.send_request(req).await?;
        let bytes = tokio::time::timeout(Duration::from_secs(30), reply.into_body().collect())
            .await??
            .to_bytes();
        latencies.push(sent.elapsed());
        relayed += usize::from(bytes.as_ref() == REPLY.as_bytes());
    }
    Ok((latencies, relayed))
}

/// The upstream: answers [`REPLY`] to anything, keep-alive.
async fn start_upstream() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = service_fn(|req: Request<Incoming>| async move {
                    let _ = req.into_body().collect().await;
                    Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from_static(
                        REPLY.as_bytes(),
                    ))))
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

/// The bare proxy: reads the body (up to 1 MiB, as `qmwire serve`'s default), forwards the
/// request with its target, headers and body over a keep-alive upstream connection (the most
/// recently used idle one, else a new one; back to the idle list once the reply was read to
/// the end, as `qmwire serve` does), relays the reply. No checks, no log, no metrics.
fn bare_proxy_main() {
    let upstream: SocketAddr = std::env::var("QMWIRE_BENCH_UPSTREAM")
        .expect("QMWIRE_BENCH_UPSTREAM")
        .parse()
        .expect("upstream address");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        eprintln!(
            "qmwire serve: listening on {}",
            listener.local_addr().expect("address")
        );
        let idle: Idle = Arc::new(Mutex::new(Vec::new()));
        while let Ok((stream, _)) = listener.accept().await {
            let idle = idle.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| forward(upstream, idle.clone(), req));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;
/// The bare proxy's idle upstream connections.
type Idle = Arc<Mutex<Vec<Sender>>>;

/// A reply body that gives its connection back once read to the end.
struct Relayed {
    body: Incoming,
    back: Option<(Sender, Idle)>,
}

impl Relayed {
    fn give_back(&mut self) {
        if let Some((sender, idle)) = self.back.take() {
            if !sender.is_closed() {
                idle.lock().expect("idle list").push(sender);
            }
        }
    }
}

impl Drop for Relayed {
    fn drop(&mut self) {
        if self.body.is_end_stream() {
            self.give_back();
        }
    }
}

impl hyper::body::Body for Relayed {
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
}

async fn forward(
    upstream: SocketAddr,
    idle: Idle,
    req: Request<Incoming>,
) -> Result<Response<Relayed>, BoxError> {
    let (parts, body) = req.into_parts();
    let body = Limited::new(body, 1024 * 1024).collect().await?.to_bytes();
    let mut out = Request::new(Full::new(body));
    *out.method_mut() = parts.method;
    *out.uri_mut() = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .parse()?;
    let mut headers = parts.headers;
    headers.remove(hyper::header::CONTENT_LENGTH);
    headers.remove(hyper::header::CONNECTION);
    headers.insert(hyper::header::HOST, upstream.to_string().parse()?);
    *out.headers_mut() = headers;
    let pooled = loop {
        let next = idle.lock().expect("idle list").pop();
        match next {
            Some(mut s) if !s.is_closed() => {
                if s.ready().await.is_ok() {
                    break Some(s);
                }
            }
            Some(_) => {}
            None => break None,
        }
    };
    let mut sender = match pooled {
        Some(s) => s,
        None => {
            let stream = TcpStream::connect(upstream).await?;
            let (sender, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            sender
        }
    };
    let (head, body) = sender.send_request(out).await?.into_parts();
    Ok(Response::from_parts(
        head,
        Relayed {
            body,
            back: Some((sender, idle)),
        },
    ))
}
