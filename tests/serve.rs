//! `qmwire serve` over loopback: the real binary on 127.0.0.1:0, a small upstream server on
//! another loopback port, a handwritten HTTP/1.1 client. Every wait is bounded, and every
//! process and thread stops by itself.

use qmwire::sign::{qimen, SignMethod};
use qmwire::wire::{params, timestamp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
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

/// A one-thread HTTP/1.1 upstream: records each request, answers [`UPSTREAM_REPLY`] after
/// `delay`, stops when dropped (or after 60 s).
struct Upstream {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Upstream {
    fn start(delay: Duration) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (rec, st) = (received.clone(), stop.clone());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !st.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some((r, mut stream)) = read_request(stream) {
                            rec.lock().unwrap().push(r);
                            std::thread::sleep(delay);
                            let _ = write!(
                                stream,
                                "HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\nX-Upstream: yes\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{UPSTREAM_REPLY}",
                                UPSTREAM_REPLY.len()
                            );
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Upstream {
            addr,
            received,
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

/// Reads one request (head and a `Content-Length` body) from `stream`.
fn read_request(stream: TcpStream) -> Option<(Received, TcpStream)> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
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
    assert!(server.logged("forwarded"), "{}", server.log());
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
    let refusals = || server.log().matches("refused").count();
    let deadline = Instant::now() + Duration::from_secs(10);
    while refusals() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(refusals(), 3, "{}", server.log());
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
    assert!(
        server.logged("report-only: would refuse lint"),
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
