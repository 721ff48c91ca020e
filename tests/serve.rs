//! `qmwire serve` over loopback: the real binary on 127.0.0.1:0, a small upstream server on
//! another loopback port, a handwritten HTTP/1.1 client. Every wait is bounded, and every
//! process and thread stops by itself.

use qmwire::sign::{qimen, SignMethod};
use qmwire::wire::{params, timestamp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "helloworld";
const UPSTREAM_REPLY: &str =
    "<response><flag>success</flag><code>0</code><message>from upstream</message></response>";
const SIGN_ENVELOPE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><response><flag>failure</flag><code>sign-check-failure</code><message>Illegal request</message></response>";

/// One request as the upstream received it.
#[derive(Debug, Clone)]
struct Received {
    target: String,
    head: String,
    body: Vec<u8>,
}

/// An HTTP/1.1 upstream: records each request, answers [`UPSTREAM_REPLY`] after `delay` (one
/// thread per connection), stops accepting when dropped (or after 90 s).
struct Upstream {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    /// Connections accepted.
    connections: Arc<AtomicUsize>,
    /// Connections ended: by the upstream (one request answered without keep-alive, or idle)
    /// or by the other end.
    ended: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Upstream {
    /// Answers one request per connection, with `Connection: close`.
    fn start(delay: Duration) -> Upstream {
        Upstream::start_with(delay, None)
    }

    /// Keeps connections alive (each reply with an `X-Code` header naming the order code of
    /// the request it answers) and closes one, without a word, when no next request comes
    /// within `idle`, as an upstream does when its keep-alive timeout ends.
    fn keep_alive(idle: Duration) -> Upstream {
        Upstream::start_with(Duration::ZERO, Some(idle))
    }

    fn start_with(delay: Duration, keep_alive: Option<Duration>) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let ended = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (rec, conns, st) = (received.clone(), connections.clone(), stop.clone());
        let end = ended.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(90);
            while !st.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        conns.fetch_add(1, Ordering::Relaxed);
                        let (rec, end) = (rec.clone(), end.clone());
                        std::thread::spawn(move || {
                            let serve = move || {
                                for n in 0.. {
                                    let wait = match (n, keep_alive) {
                                        (0, _) => Duration::from_secs(10),
                                        (_, Some(idle)) => idle,
                                        (_, None) => return,
                                    };
                                    let Some((r, s)) = read_request(stream, wait) else {
                                        return;
                                    };
                                    stream = s;
                                    let code = code_of(&r.body);
                                    rec.lock().unwrap().push(r);
                                    std::thread::sleep(delay);
                                    let connection = match keep_alive {
                                        None => "close".to_string(),
                                        Some(_) => format!("keep-alive\r\nX-Code: {code}"),
                                    };
                                    let _ = write!(
                                    stream,
                                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\nX-Upstream: yes\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n{UPSTREAM_REPLY}",
                                    UPSTREAM_REPLY.len()
                                );
                                }
                            };
                            serve();
                            end.fetch_add(1, Ordering::Relaxed);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        });
        Upstream {
            addr,
            received,
            connections,
            ended,
            stop,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one request (head and a `Content-Length` body) from `stream`, waiting at most `wait`
/// for each read.
fn read_request(stream: TcpStream, wait: Duration) -> Option<(Received, TcpStream)> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(wait)).ok()?;
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
        head.push_str(&line);
    }
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let target = head.split(' ').nth(1)?.to_string();
    Some((Received { target, head, body }, reader.into_inner()))
}

/// The `qmwire serve` child process, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(config: &str) -> Server {
        let dir = std::env::temp_dir().join(format!(
            "qmwire-serve-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("serve.toml");
        std::fs::write(&path, config).unwrap();
        let mut child = crate::files::qmwire_command()
            .arg("serve")
            .arg("--config")
            .arg(&path)
            .env("QM_TEST_SECRET", SECRET)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let lines = log.clone();
        // Drains standard error until the server exits, so it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(a) = line.strip_prefix("qmwire serve: listening on ") {
                    let _ = tx.send(a.to_string());
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("server did not start: {:?}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// The JSON request lines logged so far.
    fn requests(&self) -> Vec<serde_json::Value> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["msg"] == "request")
            .collect()
    }

    /// Waits (bounded) until `n` request lines are logged, and returns them.
    fn wait_requests(&self, n: usize) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.requests().len() < n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.requests()
    }

    /// Sends SIGTERM.
    fn terminate(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// Waits (bounded) for the process to exit.
    fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether a log line containing `text` arrives within a few seconds: the server writes its
    /// line after answering, and the reader thread collects it a moment later.
    fn logged(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.log().contains(text) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A config with `/qimen` (enforce) and `/report` (report-only) to `upstream`, `/down` to a
/// port nobody listens on, `/slow` to `slow` with a 1 s upstream timeout.
fn config(upstream: SocketAddr, slow: SocketAddr) -> String {
    let down = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let route = |path: &str, to: SocketAddr, extra: &str| {
        format!(
            "\n[[route]]\npath = \"{path}\"\nmode = \"receive\"\nprotocol = \"qimen\"\nupstream = \"http://{to}\"\nsecret-env = \"QM_TEST_SECRET\"\n{extra}"
        )
    };
    format!(
        "[[listen]]\naddress = \"127.0.0.1:0\"\n{}{}{}{}",
        route("/qimen", upstream, "timestamp-window = 300\n"),
        route("/report", upstream, "enforce = false\n"),
        route("/down", down, ""),
        route("/slow", slow, "upstream-timeout = 1\n"),
    )
}

/// The body of the bundled example request.
fn valid_body() -> Vec<u8> {
    let http = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/http/deliveryorder.create.http"
    ))
    .unwrap();
    let text = String::from_utf8(http).unwrap().replace("\r\n", "\n");
    let (_, body) = text.split_once("\n\n").unwrap();
    body.as_bytes().to_vec()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `path?query&sign=…` for `body`, signed with `secret` at `ts`.
fn signed_target(path: &str, body: &[u8], ts: i64, secret: &str) -> String {
    let ts = timestamp::format_qimen(ts);
    let pairs = [
        ("method", "taobao.qimen.deliveryorder.create"),
        ("app_key", "12345678"),
        ("customerId", "c1001"),
        ("format", "xml"),
        ("sign_method", "md5"),
        ("timestamp", ts.as_str()),
        ("v", "2.0"),
    ];
    let sign = qimen::sign(&pairs, Some(body), secret.as_bytes(), SignMethod::Md5);
    format!("{path}?{}&sign={sign}", params::encode(&pairs))
}

/// A reply: status, head (lowercased), body.
struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn post(addr: SocketAddr, target: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml;charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    read_reply(s)
}

fn read_reply(mut s: TcpStream) -> Reply {
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

#[test]
fn a_valid_request_is_forwarded_once_byte_for_byte_and_the_reply_relayed() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    let target = signed_target("/qimen", &body, now(), SECRET);
    let reply = post(server.addr, &target, &body);
    assert_eq!(reply.status, 200, "{}", server.log());
    assert_eq!(reply.body, UPSTREAM_REPLY);
    assert!(reply.head.contains("x-upstream: yes"), "{}", reply.head);
    let got = up.received();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].target, target);
    assert_eq!(got[0].body, body);
    let head = got[0].head.to_ascii_lowercase();
    assert!(
        head.contains("content-type: text/xml;charset=utf-8"),
        "{head}"
    );
    assert!(head.contains(&format!("host: {}", up.addr)), "{head}");
    let lines = server.wait_requests(1);
    assert_eq!(lines[0]["outcome"], "forwarded", "{}", server.log());
    assert_eq!(lines[0]["method"], "taobao.qimen.deliveryorder.create");
    assert_eq!(lines[0]["upstream_status"], 200);
    assert!(reply.head.contains(&format!(
        "x-request-id: {}",
        lines[0]["id"].as_str().unwrap()
    )));
}

#[test]
fn a_bad_sign_is_refused_with_the_platform_envelope_and_never_forwarded() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    // Signed with another secret; the right sign must not come back.
    let target = signed_target("/qimen", &body, now(), "wrong-secret");
    let right = signed_target("/qimen", &body, now(), SECRET);
    let right_sign = right.rsplit_once("sign=").unwrap().1;
    let reply = post(server.addr, &target, &body);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, SIGN_ENVELOPE);
    assert!(
        reply.head.contains("x-qmwire-refused: sign"),
        "{}",
        reply.head
    );
    assert!(
        !reply.body.contains(right_sign) && !reply.head.contains(&right_sign.to_ascii_lowercase())
    );
    // No sign at all, and a body changed after signing.
    let unsigned = target.rsplit_once("&sign=").unwrap().0;
    assert_eq!(post(server.addr, unsigned, &body).body, SIGN_ENVELOPE);
    let mut changed = body.clone();
    changed.extend_from_slice(b" ");
    assert_eq!(post(server.addr, &right, &changed).body, SIGN_ENVELOPE);
    assert!(up.received().is_empty(), "{:?}", up.received());
    // The three refusals are logged (then the log holds what it will hold).
    let lines = server.wait_requests(3);
    assert_eq!(lines.len(), 3, "{}", server.log());
    assert!(lines
        .iter()
        .all(|l| l["outcome"] == "refused" && l["reason"] == "sign"));
    assert!(!server.log().contains(right_sign), "{}", server.log());
    assert!(!server.log().contains(SECRET), "{}", server.log());
}

#[test]
fn a_timestamp_outside_the_window_is_refused_either_way() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    // The /qimen route's window is 300 s.
    for skew in [-400, 400, -8 * 3600] {
        let target = signed_target("/qimen", &body, now() + skew, SECRET);
        let reply = post(server.addr, &target, &body);
        assert_eq!(reply.body, SIGN_ENVELOPE, "skew {skew}");
        assert!(
            reply.head.contains("x-qmwire-refused: timestamp"),
            "{}",
            reply.head
        );
    }
    assert!(up.received().is_empty());
    assert!(server.logged("timezone"), "{}", server.log());
}

#[test]
fn a_lint_error_is_refused_when_enforced_and_forwarded_when_report_only() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = String::from_utf8(valid_body())
        .unwrap()
        .replace(
            "<orderType>JYCK</orderType>",
            "<orderType>JYCKX</orderType>",
        )
        .into_bytes();
    let reply = post(
        server.addr,
        &signed_target("/qimen", &body, now(), SECRET),
        &body,
    );
    assert_eq!(reply.status, 200);
    assert!(
        reply.head.contains("x-qmwire-refused: lint"),
        "{}",
        reply.head
    );
    assert!(
        reply.body.contains("<flag>failure</flag><code>isv.invalid-parameter</code><message>invalid request: enum at /request/deliveryOrder/orderType</message>"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("JYCKX"), "{}", reply.body);
    assert!(up.received().is_empty());

    let target = signed_target("/report", &body, now(), SECRET);
    let reply = post(server.addr, &target, &body);
    assert_eq!(reply.body, UPSTREAM_REPLY);
    let got = up.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].target.as_str(), &got[0].body),
        (target.as_str(), &body)
    );
    let lines = server.wait_requests(2);
    assert_eq!(
        (&lines[1]["outcome"], &lines[1]["reason"]),
        (&"report-only".into(), &"lint".into()),
        "{}",
        server.log()
    );
}

#[test]
fn upstream_down_or_slow_gets_a_qimen_failure_with_502_or_504() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::from_secs(3)),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    let expect = |path: &str, status: u16, code: &str| {
        let reply = post(
            server.addr,
            &signed_target(path, &body, now(), SECRET),
            &body,
        );
        assert_eq!(reply.status, status, "{path}");
        let envelope = format!("<flag>failure</flag><code>{code}</code>");
        assert!(reply.body.contains(&envelope), "{}", reply.body);
    };
    expect("/down", 502, "upstream-unavailable");
    let started = Instant::now();
    expect("/slow", 504, "upstream-timeout");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(slow.received().len(), 1);
}

#[test]
fn healthz_unknown_paths_and_oversized_bodies() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let cfg = config(up.addr, slow.addr).replace("timestamp-window = 300\n", "max-body = 100\n");
    let server = Server::start(&cfg);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let reply = read_reply(s);
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok\n"));
    let reply = post(server.addr, "/nowhere?a=1", b"<request/>");
    assert_eq!(reply.status, 404);
    let body = valid_body();
    let reply = post(
        server.addr,
        &signed_target("/qimen", &body, now(), SECRET),
        &body,
    );
    assert_eq!(reply.status, 413);
    assert!(reply.body.contains("<flag>failure</flag>"));
    assert!(up.received().is_empty());
}

#[test]
fn check_accepts_a_good_config_and_names_the_line_of_a_bad_one() {
    let dir = std::env::temp_dir().join(format!("qmwire-serve-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
    std::fs::write(&good, config(addr, addr)).unwrap();
    let run = |path: &std::path::Path| {
        crate::files::qmwire_command()
            .args(["serve", "--check"])
            .arg(path)
            .env("QM_TEST_SECRET", SECRET)
            .output()
            .unwrap()
    };
    let out = run(&good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 route(s)"));
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        config(addr, addr).replacen("enforce = false", "enforce = false\nenforced = true", 1),
    )
    .unwrap();
    let out = run(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:19:1: unknown field `enforced`"),
        "{err}"
    );
}

/// `body` with its order code replaced by `code`.
fn with_code(body: &[u8], code: &str) -> Vec<u8> {
    String::from_utf8(body.to_vec())
        .unwrap()
        .replace(
            "<deliveryOrderCode>SO2025031500421</deliveryOrderCode>",
            &format!("<deliveryOrderCode>{code}</deliveryOrderCode>"),
        )
        .into_bytes()
}

/// The order code of a forwarded body (`-` when it has none).
fn code_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let tag = "<deliveryOrderCode>";
    match (text.find(tag), text.find("</deliveryOrderCode>")) {
        (Some(start), Some(end)) if start + tag.len() <= end => {
            text[start + tag.len()..end].to_string()
        }
        _ => "-".to_string(),
    }
}

#[test]
fn a_replayed_sign_is_refused_and_the_upstream_sees_the_request_once() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    let target = signed_target("/qimen", &body, now(), SECRET);
    assert_eq!(post(server.addr, &target, &body).body, UPSTREAM_REPLY);
    let again = post(server.addr, &target, &body);
    assert_eq!(again.status, 200);
    assert_eq!(again.body, SIGN_ENVELOPE);
    assert!(
        again.head.contains("x-qmwire-refused: replay"),
        "{}",
        again.head
    );
    assert_eq!(up.received().len(), 1);
    // The same sign on another route is another request; a new body is a new sign.
    let other = with_code(&body, "SO-REPLAY-2");
    let reply = post(
        server.addr,
        &signed_target("/qimen", &other, now(), SECRET),
        &other,
    );
    assert_eq!(reply.body, UPSTREAM_REPLY);
    // A sign whose upstream could not be reached is forgotten: the sender may retry it.
    let down = signed_target("/down", &body, now(), SECRET);
    for _ in 0..2 {
        let reply = post(server.addr, &down, &body);
        assert!(
            reply.head.contains("x-qmwire-refused: upstream-down"),
            "{}",
            reply.head
        );
    }
}

#[test]
fn a_full_replay_cache_refuses_new_signs_with_503() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&format!(
        "[server]\nreplay-cache = 2\n{}",
        config(up.addr, slow.addr)
    ));
    let body = valid_body();
    for i in 0..3 {
        let b = with_code(&body, &format!("SO-FULL-{i}"));
        let reply = post(server.addr, &signed_target("/qimen", &b, now(), SECRET), &b);
        if i < 2 {
            assert_eq!(reply.body, UPSTREAM_REPLY);
        } else {
            assert_eq!(reply.status, 503);
            assert!(
                reply.head.contains("x-qmwire-refused: replay-cache-full"),
                "{}",
                reply.head
            );
        }
    }
    assert_eq!(up.received().len(), 2);
}

/// Writes `raw` on a new connection and reads what comes back until the server closes it
/// (bounded by `within`).
fn raw_exchange(addr: SocketAddr, raw: &[u8], within: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(within)).unwrap();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn malformed_http_large_heads_and_slow_clients_are_answered_and_cut() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&format!(
        "[server]\nread-timeout = 1\nmax-header = 4096\n{}",
        config(up.addr, slow.addr)
    ));
    let ten = Duration::from_secs(10);
    let (reply, _) = raw_exchange(server.addr, b"NOT HTTP AT ALL\r\n\r\n", ten);
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    let (reply, _) = raw_exchange(server.addr, b"\x00\xff\xfe\r\n\r\n", ten);
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(8000)
    );
    let (reply, _) = raw_exchange(server.addr, big.as_bytes(), ten);
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
    // A head that never ends: the connection is closed after the 1 s read timeout.
    let (reply, took) = raw_exchange(server.addr, b"POST /qimen HTTP/1.1\r\nHost: x\r\n", ten);
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(!reply.contains("200"), "{reply}");
    // A body that never ends: refused as bad-body after the timeout.
    let (reply, took) = raw_exchange(
        server.addr,
        b"POST /qimen HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<request>",
        ten,
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply
        .to_ascii_lowercase()
        .contains("x-qmwire-refused: bad-body"));
    // And the server still serves.
    let body = valid_body();
    let reply = post(
        server.addr,
        &signed_target("/qimen", &body, now(), SECRET),
        &body,
    );
    assert_eq!(reply.body, UPSTREAM_REPLY);
    assert_eq!(up.received().len(), 1);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn requests_past_max_in_flight_get_503_busy() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::from_secs(3)),
    );
    let server = Server::start(&format!(
        "[server]\nmax-in-flight = 1\n{}",
        config(up.addr, slow.addr).replace("upstream-timeout = 1\n", "")
    ));
    let body = valid_body();
    let first = {
        let (addr, target, body) = (
            server.addr,
            signed_target("/slow", &body, now(), SECRET),
            body.clone(),
        );
        std::thread::spawn(move || post(addr, &target, &body))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while slow.received().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let b = with_code(&body, "SO-BUSY");
    let reply = post(server.addr, &signed_target("/qimen", &b, now(), SECRET), &b);
    assert_eq!(reply.status, 503);
    assert!(
        reply.head.contains("x-qmwire-refused: busy"),
        "{}",
        reply.head
    );
    assert_eq!(first.join().unwrap().body, UPSTREAM_REPLY);
    assert!(up.received().is_empty());
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::from_secs(3)),
    );
    let mut server = Server::start(&format!(
        "[server]\nshutdown-grace = 10\n{}",
        config(up.addr, slow.addr).replace("upstream-timeout = 1\n", "")
    ));
    let body = valid_body();
    let in_flight = {
        let (addr, target, body) = (
            server.addr,
            signed_target("/slow", &body, now(), SECRET),
            body.clone(),
        );
        std::thread::spawn(move || post(addr, &target, &body))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while slow.received().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(slow.received().len(), 1);
    server.terminate();
    let reply = in_flight.join().unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, UPSTREAM_REPLY);
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
    assert!(server.logged("\"drained\":true"), "{}", server.log());
    assert!(TcpStream::connect(server.addr).is_err());
}

/// `GET path` on a new connection.
fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    read_reply(s)
}

/// The value of the metric line starting with `series` (name and labels), 0 when absent.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn metrics_count_requests_rules_upstream_errors_and_latency() {
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = valid_body();
    let method = "taobao.qimen.deliveryorder.create";
    let forwarded = format!("qmwire_serve_requests_total{{route=\"/qimen\",method=\"{method}\",outcome=\"forwarded\",reason=\"-\"}}");
    let refused = format!("qmwire_serve_requests_total{{route=\"/qimen\",method=\"{method}\",outcome=\"refused\",reason=\"lint\"}}");
    let rule = "qmwire_serve_rule_errors_total{route=\"/qimen\",rule=\"enum\"}";
    let down = "qmwire_serve_upstream_errors_total{route=\"/down\",kind=\"down\"}";
    let count = "qmwire_serve_request_duration_seconds_count{route=\"/qimen\"}";
    let before = get(server.addr, "/metrics");
    assert_eq!(before.status, 200);
    assert!(before
        .head
        .contains("content-type: text/plain; version=0.0.4"));
    assert_eq!(metric(&before.body, &forwarded), 0.0);
    assert_eq!(
        post(
            server.addr,
            &signed_target("/qimen", &body, now(), SECRET),
            &body
        )
        .body,
        UPSTREAM_REPLY
    );
    let bad = String::from_utf8(body.clone())
        .unwrap()
        .replace(
            "<orderType>JYCK</orderType>",
            "<orderType>JYCKX</orderType>",
        )
        .into_bytes();
    for i in 0..2 {
        let b = with_code(&bad, &format!("SO-M-{i}"));
        let _ = post(server.addr, &signed_target("/qimen", &b, now(), SECRET), &b);
    }
    let _ = post(
        server.addr,
        &signed_target("/down", &body, now(), SECRET),
        &body,
    );
    let text = get(server.addr, "/metrics").body;
    assert_eq!(metric(&text, &forwarded), 1.0, "{text}");
    assert_eq!(metric(&text, &refused), 2.0, "{text}");
    assert_eq!(metric(&text, rule), 2.0, "{text}");
    assert_eq!(metric(&text, down), 1.0, "{text}");
    assert_eq!(metric(&text, count), 3.0, "{text}");
    assert_eq!(
        metric(
            &text,
            "qmwire_serve_request_duration_seconds_bucket{route=\"/qimen\",le=\"+Inf\"}"
        ),
        3.0
    );
    assert_eq!(metric(&text, "qmwire_serve_in_flight"), 0.0);
    // Every log line is JSON (but the plain start-up line) and none holds the secret or a value.
    let lines = server.wait_requests(4);
    assert_eq!(lines.len(), 4, "{}", server.log());
    for line in server.log().lines() {
        assert!(
            line.starts_with("qmwire serve: listening on ")
                || serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "{line}"
        );
    }
    assert!(!server.log().contains(SECRET));
    assert!(!server.log().contains("JYCKX"));
    let ids: std::collections::BTreeSet<_> = lines.iter().map(|l| l["id"].to_string()).collect();
    assert_eq!(ids.len(), 4);
}

/// The query of a request target, decoded.
fn query_of(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    params::parse(query)
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn send_mode_signs_and_forwards_a_valid_request_and_sends_nothing_for_an_invalid_one() {
    let up = Upstream::start(Duration::ZERO);
    let server = Server::start(&format!(
        "[[listen]]\naddress = \"127.0.0.1:0\"\n\n[[route]]\npath = \"/send\"\nmode = \"send\"\nprotocol = \"qimen\"\nupstream = \"http://{}/router/qimen/service\"\nsecret-env = \"QM_TEST_SECRET\"\n",
        up.addr
    ));
    let body = valid_body();
    let unsigned = "/send?method=taobao.qimen.deliveryorder.create&app_key=12345678&customerId=c1001&format=xml&sign_method=md5&v=2.0";
    let reply = post(server.addr, unsigned, &body);
    assert_eq!(reply.status, 200, "{}", server.log());
    assert_eq!(reply.body, UPSTREAM_REPLY);
    let got = up.received();
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .target
            .starts_with("/router/qimen/service?method=taobao.qimen.deliveryorder.create&"),
        "{}",
        got[0].target
    );
    assert_eq!(got[0].body, body);
    let pairs = query_of(&got[0].target);
    let ts = &pairs.iter().find(|(k, _)| k == "timestamp").unwrap().1;
    let sent = timestamp::parse_qimen(ts).unwrap();
    assert!((sent - now()).abs() <= 5, "{ts}");
    let sign = &pairs.iter().find(|(k, _)| k == "sign").unwrap().1;
    let expected = qimen::sign(&pairs, Some(&body), SECRET.as_bytes(), SignMethod::Md5);
    assert_eq!(sign, &expected);
    // A timestamp given by the sender is kept, and a stale sign replaced.
    let ts = timestamp::format_qimen(now() - 60);
    let target = format!(
        "{unsigned}&timestamp={}&sign=0000",
        params::encode_component(&ts)
    );
    assert_eq!(post(server.addr, &target, &body).body, UPSTREAM_REPLY);
    let pairs = query_of(&up.received()[1].target);
    assert!(pairs.contains(&("timestamp".to_string(), ts)));
    let sign = &pairs.iter().find(|(k, _)| k == "sign").unwrap().1;
    assert_eq!(
        sign,
        &qimen::sign(&pairs, Some(&body), SECRET.as_bytes(), SignMethod::Md5)
    );

    // Lint errors: refused here with 422, nothing sent.
    let bad = String::from_utf8(body.clone())
        .unwrap()
        .replace(
            "<orderType>JYCK</orderType>",
            "<orderType>JYCKX</orderType>",
        )
        .into_bytes();
    let reply = post(server.addr, unsigned, &bad);
    assert_eq!(reply.status, 422);
    assert!(
        reply.head.contains("x-qmwire-refused: lint"),
        "{}",
        reply.head
    );
    assert!(
        reply.body.contains("<code>isv.invalid-parameter</code><message>invalid request: enum at /request/deliveryOrder/orderType</message>"),
        "{}",
        reply.body
    );
    // An unknown sign_method cannot be signed.
    let reply = post(server.addr, &unsigned.replace("md5", "sha1"), &body);
    assert_eq!(reply.status, 422);
    assert!(
        reply
            .body
            .contains("cannot sign: unsupported `sign_method=sha1`"),
        "{}",
        reply.body
    );
    assert_eq!(up.received().len(), 2);
}

#[test]
fn thousands_of_mixed_requests_are_each_forwarded_once_or_refused_with_a_reason() {
    const THREADS: usize = 8;
    const PER_THREAD: usize = 250;
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let body = Arc::new(valid_body());
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (addr, body) = (server.addr, body.clone());
            std::thread::spawn(move || {
                // (what was expected, what came back) per request; kinds by i % 5: two valid,
                // a bad sign, a lint error, a replay of the valid request four before.
                let mut outcomes = Vec::new();
                let mut sent: Vec<(String, Vec<u8>)> = Vec::new();
                for i in 0..PER_THREAD {
                    let code = format!("SO-RUN-{t}-{i}");
                    let (expect, target, b) = match i % 5 {
                        0 | 1 => {
                            let b = with_code(&body, &code);
                            ("forwarded", signed_target("/qimen", &b, now(), SECRET), b)
                        }
                        2 => {
                            let b = with_code(&body, &code);
                            ("sign", signed_target("/qimen", &b, now(), "other"), b)
                        }
                        3 => {
                            let b = String::from_utf8(with_code(&body, &code))
                                .unwrap()
                                .replace("<orderType>JYCK</orderType>", "<orderType>X</orderType>")
                                .into_bytes();
                            ("lint", signed_target("/qimen", &b, now(), SECRET), b)
                        }
                        _ => {
                            let (target, b) = sent[i - 4].clone();
                            ("replay", target, b)
                        }
                    };
                    let reply = post(addr, &target, &b);
                    let got = if reply.body == UPSTREAM_REPLY {
                        "forwarded".to_string()
                    } else {
                        reply
                            .head
                            .lines()
                            .find_map(|l| l.strip_prefix("x-qmwire-refused: "))
                            .unwrap_or("no reason")
                            .to_string()
                    };
                    outcomes.push((expect, got, code));
                    sent.push((target, b));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<_> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_eq!(outcomes.len(), THREADS * PER_THREAD);
    for (expect, got, code) in &outcomes {
        assert_eq!(expect, got, "{code}");
    }
    let forwarded: std::collections::BTreeSet<String> = outcomes
        .iter()
        .filter(|(e, _, _)| *e == "forwarded")
        .map(|(_, _, c)| c.clone())
        .collect();
    // At the upstream: each forwarded request exactly once, nothing else.
    let received = up.received();
    let codes: Vec<String> = received.iter().map(|r| code_of(&r.body)).collect();
    let unique: std::collections::BTreeSet<String> = codes.iter().cloned().collect();
    assert_eq!(codes.len(), forwarded.len());
    assert_eq!(unique, forwarded);
    // And the server's own counts agree.
    let text = get(server.addr, "/metrics").body;
    let count = |outcome: &str, reason: &str| {
        metric(&text, &format!("qmwire_serve_requests_total{{route=\"/qimen\",method=\"taobao.qimen.deliveryorder.create\",outcome=\"{outcome}\",reason=\"{reason}\"}}"))
            + metric(&text, &format!("qmwire_serve_requests_total{{route=\"/qimen\",method=\"-\",outcome=\"{outcome}\",reason=\"{reason}\"}}"))
    };
    let n = (THREADS * PER_THREAD) as f64;
    assert_eq!(count("forwarded", "-"), n * 2.0 / 5.0, "{text}");
    assert_eq!(count("refused", "sign"), n / 5.0, "{text}");
    assert_eq!(count("refused", "lint"), n / 5.0, "{text}");
    assert_eq!(count("refused", "replay"), n / 5.0, "{text}");
}

#[test]
fn the_configs_in_docs_serve_md_pass_check() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/serve.md")).unwrap();
    let blocks: Vec<&str> = page
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 3, "{}", blocks.len());
    let dir = std::env::temp_dir().join(format!("qmwire-serve-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, block) in blocks.iter().enumerate() {
        let path = dir.join(format!("doc{i}.toml"));
        std::fs::write(&path, block).unwrap();
        let out = crate::files::qmwire_command()
            .args(["serve", "--check"])
            .arg(&path)
            .env("QM_SECRET", SECRET)
            .env("WDT_APPSECRET", SECRET)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "block {i}:\n{block}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The body of a fixture request, without its `timestamp` and `sign` parameters.
fn fixture_form(name: &str) -> (String, String) {
    let text = std::fs::read_to_string(format!(
        "{}/../tests/fixtures/http/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap();
    let target = head.lines().next().unwrap().split(' ').nth(1).unwrap();
    let form: Vec<&str> = body
        .trim_end()
        .split('&')
        .filter(|p| !p.starts_with("timestamp=") && !p.starts_with("sign="))
        .collect();
    (target.to_string(), form.join("&"))
}

fn post_form(addr: SocketAddr, target: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    read_reply(s)
}

fn wdt_route(path: &str, mode: &str, protocol: &str, upstream: SocketAddr) -> String {
    format!(
        "[[listen]]\naddress = \"127.0.0.1:0\"\n\n[[route]]\npath = \"{path}\"\nmode = \"{mode}\"\nprotocol = \"{protocol}\"\nupstream = \"http://{upstream}\"\nsecret-env = \"QM_TEST_SECRET\"\n"
    )
}

#[test]
fn wdt_openapi2_send_signs_receive_verifies_and_refusals_use_wdt_s_json_form() {
    let up = Upstream::start(Duration::ZERO);
    let path = "/openapi2/trade_push.php";
    let receiver = Server::start(&wdt_route(path, "receive", "wdt", up.addr));
    let sender = Server::start(&wdt_route(path, "send", "wdt", receiver.addr));
    let (_, form) = fixture_form("wdt_ok.http");
    let reply = post_form(sender.addr, path, form.as_bytes());
    assert_eq!(
        reply.body,
        UPSTREAM_REPLY,
        "{}\n{}",
        sender.log(),
        receiver.log()
    );
    let got = up.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].target, path);
    let pairs = query_of(&format!(
        "?{}",
        String::from_utf8(got[0].body.clone()).unwrap()
    ));
    let sign = pairs.iter().find(|(k, _)| k == "sign").unwrap().1.clone();
    let unsigned: Vec<_> = pairs.iter().filter(|(k, _)| k != "sign").cloned().collect();
    assert_eq!(sign, qmwire::sign::wdt::sign(&unsigned, SECRET.as_bytes()));
    let ts: i64 = unsigned
        .iter()
        .find(|(k, _)| k == "timestamp")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!((ts - now()).abs() <= 5);

    // The same signed request again: a replay, in wdt's form.
    let reply = post_form(receiver.addr, path, &got[0].body);
    assert_eq!(reply.status, 200);
    assert!(
        reply.head.contains("x-qmwire-refused: replay"),
        "{}",
        reply.head
    );
    assert!(
        reply.head.contains("content-type: application/json"),
        "{}",
        reply.head
    );
    assert_eq!(reply.body, r#"{"code":99,"message":"Illegal request"}"#);
    // Signed with another secret.
    let mut bad = unsigned.clone();
    bad.push(("sign".into(), qmwire::sign::wdt::sign(&unsigned, b"other")));
    let reply = post_form(receiver.addr, path, params::encode(&bad).as_bytes());
    assert!(
        reply.head.contains("x-qmwire-refused: sign"),
        "{}",
        reply.head
    );
    // Broken JSON in trade_list: refused by the sender, nothing sent.
    let broken = form.replacen("trade_list=%5B%7B", "trade_list=%5B%7B%7B", 1);
    let reply = post_form(sender.addr, path, broken.as_bytes());
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(
        reply.head.contains("x-qmwire-refused: lint"),
        "{}",
        reply.head
    );
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["code"], 99);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid request: "),
        "{body}"
    );
    assert!(!reply.body.contains("张三") && !reply.body.contains("13800000001"));
    assert_eq!(up.received().len(), 1);
}

#[test]
fn wdt_through_qimen_send_signs_receive_verifies() {
    let up = Upstream::start(Duration::ZERO);
    let receiver = Server::start(&wdt_route("/router/qm", "receive", "wdt-qimen", up.addr));
    let sender = Server::start(&wdt_route("/router/qm", "send", "wdt-qimen", receiver.addr));
    let (target, form) = fixture_form("wdt_qimen_ok.http");
    let (path, query) = target.split_once('?').unwrap();
    let query: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("timestamp=") && !p.starts_with("sign="))
        .collect();
    let unsigned = format!("{path}?{}", query.join("&"));
    let reply = post_form(sender.addr, &unsigned, form.as_bytes());
    assert_eq!(
        reply.body,
        UPSTREAM_REPLY,
        "{}\n{}",
        sender.log(),
        receiver.log()
    );
    let got = up.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body, form.as_bytes());
    let mut all = query_of(&got[0].target);
    let sign = all.iter().find(|(k, _)| k == "sign").unwrap().1.clone();
    all.extend(query_of(&format!("?{form}")));
    assert_eq!(
        sign,
        qimen::sign(&all, None, SECRET.as_bytes(), SignMethod::Md5)
    );
    // A bad sign at the receiver: the Qimen codes in the JSON envelope.
    let bad = got[0]
        .target
        .replace(&sign, "00000000000000000000000000000000");
    let reply = post_form(receiver.addr, &bad, form.as_bytes());
    assert!(
        reply.head.contains("x-qmwire-refused: sign"),
        "{}",
        reply.head
    );
    assert_eq!(
        reply.body,
        r#"{"response":{"flag":"failure","code":"sign-check-failure","message":"Illegal request"}}"#
    );
    assert_eq!(up.received().len(), 1);
}

/// Whether `curl` runs; skips (or, under CI, fails) when it does not.
fn curl_available() -> bool {
    let ok = Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "curl is required for the real-client check under CI"
        );
        eprintln!("note: curl not found; skipping the curl check of qmwire serve");
    }
    ok
}

#[test]
fn curl_gets_a_valid_request_through_and_a_bad_one_refused_over_one_keep_alive_connection() {
    if !curl_available() {
        return;
    }
    let (up, slow) = (
        Upstream::start(Duration::ZERO),
        Upstream::start(Duration::ZERO),
    );
    let server = Server::start(&config(up.addr, slow.addr));
    let dir = std::env::temp_dir().join(format!("qmwire-serve-curl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body = valid_body();
    let file = dir.join("body.xml");
    std::fs::write(&file, &body).unwrap();
    let good = format!(
        "http://{}{}",
        server.addr,
        signed_target("/qimen", &body, now(), SECRET)
    );
    let bad = format!(
        "http://{}{}",
        server.addr,
        signed_target("/qimen", &body, now(), "x")
    );
    // Two requests in one curl run (`--next`): curl reuses the connection when it can.
    let out = Command::new("curl")
        .args([
            "-sS",
            "--max-time",
            "20",
            "-H",
            "Content-Type: text/xml;charset=utf-8",
        ])
        .arg("--data-binary")
        .arg(format!("@{}", file.display()))
        .arg(&good)
        .args([
            "--next",
            "-sS",
            "--max-time",
            "20",
            "-H",
            "Content-Type: text/xml;charset=utf-8",
        ])
        .arg("--data-binary")
        .arg(format!("@{}", file.display()))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{UPSTREAM_REPLY}{SIGN_ENVELOPE}")
    );
    let got = up.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body, body);
    let lines = server.wait_requests(2);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[0]["outcome"], &lines[1]["reason"]),
        (&"forwarded".into(), &"sign".into())
    );
}

#[test]
fn a_wdt_receive_route_uses_its_own_timestamp_window() {
    let up = Upstream::start(Duration::ZERO);
    let path = "/openapi2/trade_push.php";
    let server = Server::start(&format!(
        "{}timestamp-window = 600\n",
        wdt_route(path, "receive", "wdt", up.addr)
    ));
    let (_, form) = fixture_form("wdt_ok.http");
    let signed = |ts: i64| {
        let mut pairs = query_of(&format!("?{form}"));
        pairs.push(("timestamp".into(), ts.to_string()));
        let sign = qmwire::sign::wdt::sign(&pairs, SECRET.as_bytes());
        pairs.push(("sign".into(), sign));
        params::encode(&pairs)
    };
    // 400 s old: outside wdt's usual ±300 s, inside this route's 600 s.
    let reply = post_form(server.addr, path, signed(now() - 400).as_bytes());
    assert_eq!(reply.body, UPSTREAM_REPLY, "{}", server.log());
    let reply = post_form(server.addr, path, signed(now() - 700).as_bytes());
    assert!(
        reply.head.contains("x-qmwire-refused: timestamp"),
        "{}",
        reply.head
    );
    assert_eq!(up.received().len(), 1);
}

/// A config with `/qimen` to `upstream`, its idle upstream connections kept for `idle`
/// seconds (the default when `None`).
fn keep_alive_config(upstream: SocketAddr, idle: Option<u32>) -> String {
    let idle = idle.map_or(String::new(), |s| format!("upstream-idle-timeout = {s}\n"));
    format!(
        "[[listen]]\naddress = \"127.0.0.1:0\"\n\n[[route]]\npath = \"/qimen\"\nmode = \"receive\"\nprotocol = \"qimen\"\nupstream = \"http://{upstream}\"\nsecret-env = \"QM_TEST_SECRET\"\n{idle}"
    )
}

/// Posts a valid request with order code `code` to `/qimen`; panics unless the reply is the
/// upstream's answer to that very request.
fn post_and_expect_own_reply(addr: SocketAddr, body: &[u8], code: &str) {
    let b = with_code(body, code);
    let reply = post(addr, &signed_target("/qimen", &b, now(), SECRET), &b);
    assert_eq!(reply.body, UPSTREAM_REPLY, "{code}: {}", reply.head);
    assert!(
        reply
            .head
            .contains(&format!("x-code: {}", code.to_ascii_lowercase())),
        "{code}: {}",
        reply.head
    );
}

/// The order codes the upstream received, in order.
fn received_codes(up: &Upstream) -> Vec<String> {
    up.received().iter().map(|r| code_of(&r.body)).collect()
}

#[test]
fn upstream_connections_are_reused_unless_the_idle_timeout_is_zero() {
    let body = valid_body();
    for (idle, connections) in [(None, 1), (Some(0), 6)] {
        let up = Upstream::keep_alive(Duration::from_secs(10));
        let server = Server::start(&keep_alive_config(up.addr, idle));
        let codes: Vec<String> = (0..6).map(|i| format!("SO-REUSE-{i}")).collect();
        for code in &codes {
            post_and_expect_own_reply(server.addr, &body, code);
        }
        assert_eq!(received_codes(&up), codes, "{idle:?}");
        assert_eq!(
            up.connections.load(Ordering::Relaxed),
            connections,
            "{idle:?}"
        );
    }
}

#[test]
fn an_upstream_closing_idle_connections_between_requests_loses_and_repeats_nothing() {
    let body = valid_body();
    // The upstream closes a connection idle for 150 ms. Requests come in threes, one right
    // after the other; between the threes a pause of 500 ms lets the upstream close the
    // pooled connection, which the next request must find closed and not use.
    let up = Upstream::keep_alive(Duration::from_millis(150));
    let server = Server::start(&keep_alive_config(up.addr, None));
    let codes: Vec<String> = (0..9).map(|i| format!("SO-CLOSE-{i}")).collect();
    for (i, code) in codes.iter().enumerate() {
        post_and_expect_own_reply(server.addr, &body, code);
        if i % 3 == 2 {
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    assert_eq!(received_codes(&up), codes);
    // A new connection after each pause at least; reuse within the threes (they cannot all
    // have been slower than 150 ms).
    let connections = up.connections.load(Ordering::Relaxed);
    assert!((3..9).contains(&connections), "{connections}");
    let lines = server.wait_requests(codes.len());
    assert!(
        lines.iter().all(|l| l["outcome"] == "forwarded"),
        "{lines:?}"
    );
}

#[test]
fn concurrent_clients_over_pooled_upstream_connections_each_get_their_own_reply() {
    const THREADS: usize = 8;
    const PER_THREAD: usize = 40;
    let up = Upstream::keep_alive(Duration::from_secs(10));
    let server = Server::start(&keep_alive_config(up.addr, None));
    let body = Arc::new(valid_body());
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (addr, body) = (server.addr, body.clone());
            std::thread::spawn(move || {
                for i in 0..PER_THREAD {
                    post_and_expect_own_reply(addr, &body, &format!("SO-MIX-{t}-{i}"));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let mut codes = received_codes(&up);
    codes.sort();
    let mut expected: Vec<String> = (0..THREADS)
        .flat_map(|t| (0..PER_THREAD).map(move |i| format!("SO-MIX-{t}-{i}")))
        .collect();
    expected.sort();
    assert_eq!(codes, expected);
    // No more connections than requests at once.
    let connections = up.connections.load(Ordering::Relaxed);
    assert!((1..=THREADS).contains(&connections), "{connections}");
}

#[test]
fn idle_upstream_connections_are_closed_after_the_idle_timeout() {
    // The upstream would keep an idle connection for 10 s; qmwire's timeout is 1 s, and it
    // closes the connection itself, without a request coming.
    let up = Upstream::keep_alive(Duration::from_secs(10));
    let server = Server::start(&keep_alive_config(up.addr, Some(1)));
    post_and_expect_own_reply(server.addr, &valid_body(), "SO-IDLE-1");
    let deadline = Instant::now() + Duration::from_secs(5);
    while up.ended.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(up.ended.load(Ordering::Relaxed), 1);
    assert_eq!(up.connections.load(Ordering::Relaxed), 1);
}
