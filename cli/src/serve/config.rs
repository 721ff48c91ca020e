//! The `qmwire serve` configuration file: TOML, strict (an unknown key, a wrong type or a bad
//! value is refused with its line:column), loaded and checked once at start.

use qmwire::profile::Profile;
use qmwire::{Options, Shape};
use serde::Deserialize;
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// The default largest request body, in bytes.
pub(crate) const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// The default timestamp window, in seconds (TOP's 10 minutes).
pub(crate) const DEFAULT_WINDOW: i64 = 600;
/// The default timestamp window of a wdt openapi2 route: the ±5 minutes wdt's server allows.
const DEFAULT_WDT_WINDOW: i64 = 300;
/// The default upstream timeout, in seconds.
pub(crate) const DEFAULT_UPSTREAM_TIMEOUT: u64 = 30;
/// The default time an idle upstream connection is kept for reuse, in seconds: under the
/// 5 seconds after which common servers (Apache httpd, Node.js) close an idle keep-alive
/// connection themselves, so that the upstream rarely closes one just as a request is sent.
pub(crate) const DEFAULT_UPSTREAM_IDLE_TIMEOUT: u64 = 4;
/// The default `[server]` limits; see [`Settings`].
const DEFAULT_MAX_CONNECTIONS: i64 = 1024;
const DEFAULT_MAX_IN_FLIGHT: i64 = 256;
const DEFAULT_MAX_HEADER: i64 = 16 * 1024;
const DEFAULT_READ_TIMEOUT: i64 = 30;
const DEFAULT_SHUTDOWN_GRACE: i64 = 30;
const DEFAULT_REPLAY_CACHE: i64 = 100_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    server: ServerFile,
    listen: Vec<Listen>,
    route: Vec<RouteFile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServerFile {
    max_connections: Option<Spanned<i64>>,
    max_in_flight: Option<Spanned<i64>>,
    max_header: Option<Spanned<i64>>,
    read_timeout: Option<Spanned<i64>>,
    shutdown_grace: Option<Spanned<i64>>,
    replay_cache: Option<Spanned<i64>>,
}

/// The server-wide limits (`[server]`).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Open client connections at most; the next one waits in the listen backlog.
    pub(crate) max_connections: usize,
    /// Requests handled at once at most; one more is refused with 503 at once.
    pub(crate) max_in_flight: usize,
    /// The largest request head (request line and headers), in bytes; larger gets 431.
    pub(crate) max_header: usize,
    /// How long a client may take to send a request head, and then its body.
    pub(crate) read_timeout: std::time::Duration,
    /// How long a shutdown waits for requests in flight.
    pub(crate) shutdown_grace: std::time::Duration,
    /// Signs kept by replay protection at most.
    pub(crate) replay_cache: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Listen {
    address: Spanned<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    /// Check requests coming in, forward the valid ones.
    Receive,
    /// Check (and sign) requests going out, forward the valid ones to the gateway.
    Send,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Protocol {
    /// Qimen: XML body, TOP sign over the query and the body.
    Qimen,
    /// wdt 企业版 openapi2: a form post, the wdt sign, Unix-seconds timestamps.
    Wdt,
    /// wdt 企业版 through Qimen custom: Qimen query, wdt form body, Qimen sign without body.
    WdtQimen,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RouteFile {
    path: Spanned<String>,
    mode: Mode,
    protocol: Protocol,
    upstream: Spanned<String>,
    secret_env: Option<Spanned<String>>,
    secret_file: Option<Spanned<String>>,
    sign: Option<Spanned<bool>>,
    profile: Option<Spanned<String>>,
    timestamp_window: Option<Spanned<i64>>,
    #[serde(default = "yes")]
    enforce: bool,
    max_body: Option<Spanned<i64>>,
    upstream_timeout: Option<Spanned<i64>>,
    upstream_idle_timeout: Option<Spanned<i64>>,
}

fn yes() -> bool {
    true
}

/// Where a route forwards to: `http://host[:port][/path]`.
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    /// `host:port`, for the TCP connection and the `Host` header.
    pub(crate) authority: String,
    /// The path requests are sent to; `None`: the request's own path.
    pub(crate) path: Option<String>,
}

/// One checked route.
pub(crate) struct Route {
    pub(crate) path: String,
    pub(crate) mode: Mode,
    pub(crate) protocol: Protocol,
    /// Send mode: fill `timestamp` when missing and compute `sign` before forwarding.
    pub(crate) sign: bool,
    pub(crate) upstream: Upstream,
    pub(crate) secret: Vec<u8>,
    pub(crate) window: i64,
    pub(crate) enforce: bool,
    pub(crate) max_body: usize,
    pub(crate) upstream_timeout: std::time::Duration,
    /// How long an idle keep-alive connection to the upstream is kept for the next request;
    /// zero: a new connection for every request.
    pub(crate) upstream_idle_timeout: std::time::Duration,
    /// Lint options: the route's profile, the body read as Qimen XML.
    pub(crate) options: Options,
}

impl std::fmt::Debug for Route {
    /// Everything but the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field("protocol", &self.protocol)
            .field("sign", &self.sign)
            .field("upstream", &self.upstream)
            .field("window", &self.window)
            .field("enforce", &self.enforce)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// A checked configuration.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) settings: Settings,
    pub(crate) listen: Vec<SocketAddr>,
    pub(crate) routes: Vec<Arc<Route>>,
}

/// `line:column` (1-based, columns in characters) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Reads and checks a configuration; `env` looks up environment variables (the secrets).
/// `Err` is one message per problem found, each starting with `FILE:line:column: `.
pub(crate) fn load(
    name: &str,
    text: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Config, Vec<String>> {
    let zh = crate::lang::get() == qmwire::Lang::Zh;
    let at = |span: Range<usize>, msg: String| {
        let (l, c) = line_col(text, span.start);
        match zh {
            true => format!("{name}:{l}:{c}：{msg}"),
            false => format!("{name}:{l}:{c}: {msg}"),
        }
    };
    let whole = |msg: String| match zh {
        true => format!("{name}：{msg}"),
        false => format!("{name}: {msg}"),
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim_end().to_string();
        let msg = say(msg.clone(), toml_zh(&msg));
        vec![match e.span() {
            Some(span) => at(span, msg),
            None => whole(msg),
        }]
    })?;
    let mut errors = Vec::new();
    let server = &file.server;
    let mut limit = |value: &Option<Spanned<i64>>, key: &str, range: (i64, i64), default: i64| {
        bounded(&mut errors, &at, value, key, range).unwrap_or(default)
    };
    let secs = |n: i64| std::time::Duration::from_secs(n.unsigned_abs());
    let settings = Settings {
        max_connections: limit(
            &server.max_connections,
            "max-connections",
            (1, 1_000_000),
            DEFAULT_MAX_CONNECTIONS,
        ) as usize,
        max_in_flight: limit(
            &server.max_in_flight,
            "max-in-flight",
            (1, 1_000_000),
            DEFAULT_MAX_IN_FLIGHT,
        ) as usize,
        max_header: limit(
            &server.max_header,
            "max-header",
            (1024, 1024 * 1024),
            DEFAULT_MAX_HEADER,
        ) as usize,
        read_timeout: secs(limit(
            &server.read_timeout,
            "read-timeout",
            (1, 3600),
            DEFAULT_READ_TIMEOUT,
        )),
        shutdown_grace: secs(limit(
            &server.shutdown_grace,
            "shutdown-grace",
            (0, 3600),
            DEFAULT_SHUTDOWN_GRACE,
        )),
        replay_cache: limit(
            &server.replay_cache,
            "replay-cache",
            (1, 10_000_000),
            DEFAULT_REPLAY_CACHE,
        ) as usize,
    };
    let mut listen = Vec::new();
    if file.listen.is_empty() {
        errors.push(whole(say(
            "expected at least one [[listen]] address".into(),
            "至少要有一个 [[listen]] 地址".into(),
        )));
    }
    for l in &file.listen {
        match l.address.get_ref().parse::<SocketAddr>() {
            Ok(addr) => listen.push(addr),
            Err(_) => errors.push(at(
                l.address.span(),
                say(
                    format!(
                        "expected an IP address and port such as `127.0.0.1:8080`, found `{}`",
                        l.address.get_ref()
                    ),
                    format!(
                        "应为 `127.0.0.1:8080` 这样的 IP 地址和端口，实际为 `{}`",
                        l.address.get_ref()
                    ),
                ),
            )),
        }
    }
    if file.route.is_empty() {
        errors.push(whole(say(
            "expected at least one [[route]]".into(),
            "至少要有一个 [[route]]".into(),
        )));
    }
    let mut routes: Vec<Arc<Route>> = Vec::new();
    for r in file.route {
        let path = r.path.get_ref().clone();
        if !path.starts_with('/') || path.contains('?') || path == "/healthz" || path == "/metrics"
        {
            errors.push(at(
                r.path.span(),
                say(
                    format!("expected a path starting with `/`, without a query, other than /healthz and /metrics; found `{path}`"),
                    format!("应为以 `/` 开头、不带查询串、也不是 /healthz 或 /metrics 的路径，实际为 `{path}`"),
                ),
            ));
        } else if routes.iter().any(|x| x.path == path) {
            errors.push(at(
                r.path.span(),
                say(
                    format!("route `{path}` is defined twice"),
                    format!("路由 `{path}` 定义了两次"),
                ),
            ));
        }
        let sign = match (&r.sign, r.mode) {
            (None, Mode::Send) => true,
            (None, Mode::Receive) => false,
            (Some(v), Mode::Send) => *v.get_ref(),
            (Some(v), Mode::Receive) => {
                errors.push(at(
                    v.span(),
                    say(
                        "`sign` is a send-mode key: receive mode always verifies the sign".into(),
                        "`sign` 是 send 模式的键：receive 模式总会验证签名".into(),
                    ),
                ));
                false
            }
        };
        let upstream = match parse_upstream(r.upstream.get_ref()) {
            Ok(u) => Some(u),
            Err(msg) => {
                errors.push(at(r.upstream.span(), msg));
                None
            }
        };
        let needs_secret = r.mode == Mode::Receive || sign;
        let secret = match (&r.secret_env, &r.secret_file) {
            (Some(_), Some(file)) => {
                errors.push(at(
                    file.span(),
                    say(
                        "expected one of `secret-env` and `secret-file`, found both".into(),
                        "`secret-env` 和 `secret-file` 只能给一个，实际两个都给了".into(),
                    ),
                ));
                None
            }
            (None, None) if needs_secret => {
                errors.push(at(
                    r.path.span(),
                    say(
                        format!(
                            "route `{path}` needs `secret-env` or `secret-file`: {}",
                            if r.mode == Mode::Receive {
                                "receive mode verifies the sign"
                            } else {
                                "send mode signs unless `sign = false`"
                            }
                        ),
                        format!(
                            "路由 `{path}` 需要 `secret-env` 或 `secret-file`：{}",
                            if r.mode == Mode::Receive {
                                "receive 模式要验证签名"
                            } else {
                                "send 模式要签名，除非写了 `sign = false`"
                            }
                        ),
                    ),
                ));
                None
            }
            (None, None) => Some(Vec::new()),
            (Some(var), None) => match env(var.get_ref()) {
                Some(s) if !s.is_empty() => Some(s.into_bytes()),
                Some(_) => {
                    errors.push(at(
                        var.span(),
                        say(
                            "the environment variable named by secret-env is empty".into(),
                            "secret-env 指定的环境变量是空的".into(),
                        ),
                    ));
                    None
                }
                None => {
                    errors.push(at(
                        var.span(),
                        say(
                            "the environment variable named by secret-env is not set".into(),
                            "secret-env 指定的环境变量没有设置".into(),
                        ),
                    ));
                    None
                }
            },
            (None, Some(file)) => match read_secret(file.get_ref()) {
                Ok(secret) => Some(secret),
                Err(msg) => {
                    errors.push(at(file.span(), msg));
                    None
                }
            },
        };
        let mut options = match r.protocol {
            Protocol::Qimen => Options::new().with_shape(Shape::Xml),
            // wdt routes lint the whole request (serve::wdt sets the shape).
            Protocol::Wdt | Protocol::WdtQimen => Options::new(),
        };
        let mut profile_window = None;
        if let Some(p) = &r.profile {
            match Profile::open(p.get_ref()) {
                Ok(mut profile) => {
                    profile.vars_from_env(|n| env(n));
                    profile_window = profile.timestamp_window();
                    options = options.with_profile(profile);
                }
                Err(e) => errors.push(at(
                    p.span(),
                    say(
                        format!("profile: {e}"),
                        format!("profile：{}", e.to_string_in(qmwire::Lang::Zh)),
                    ),
                )),
            }
        }
        let window = bounded(
            &mut errors,
            &at,
            &r.timestamp_window,
            "timestamp-window",
            (0, 86_400),
        )
        .or(profile_window)
        .unwrap_or(match r.protocol {
            Protocol::Wdt => DEFAULT_WDT_WINDOW,
            Protocol::Qimen | Protocol::WdtQimen => DEFAULT_WINDOW,
        });
        let max_body = bounded(
            &mut errors,
            &at,
            &r.max_body,
            "max-body",
            (1, 64 * 1024 * 1024),
        )
        .map_or(DEFAULT_MAX_BODY, |n| n as usize);
        let upstream_timeout = bounded(
            &mut errors,
            &at,
            &r.upstream_timeout,
            "upstream-timeout",
            (1, 3600),
        )
        .map_or(DEFAULT_UPSTREAM_TIMEOUT, |n| n as u64);
        let upstream_idle_timeout = bounded(
            &mut errors,
            &at,
            &r.upstream_idle_timeout,
            "upstream-idle-timeout",
            (0, 3600),
        )
        .map_or(DEFAULT_UPSTREAM_IDLE_TIMEOUT, |n| n as u64);
        if let (Some(upstream), Some(secret)) = (upstream, secret) {
            routes.push(Arc::new(Route {
                path,
                mode: r.mode,
                protocol: r.protocol,
                sign,
                upstream,
                secret,
                window,
                enforce: r.enforce,
                max_body,
                upstream_timeout: std::time::Duration::from_secs(upstream_timeout),
                upstream_idle_timeout: std::time::Duration::from_secs(upstream_idle_timeout),
                options,
            }));
        }
    }
    if errors.is_empty() {
        Ok(Config {
            settings,
            listen,
            routes,
        })
    } else {
        Err(errors)
    }
}

/// The TOML reader's message in Chinese: a missing or unknown key said in Chinese, anything
/// else after a Chinese lead-in.
fn toml_zh(msg: &str) -> String {
    let quoted = |prefix: &str| {
        msg.split_once(prefix)
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(name, _)| name.to_string())
    };
    if let Some(name) = quoted("missing field `") {
        return format!("缺少 `{name}`");
    }
    if let Some(name) = quoted("unknown field `") {
        return match msg.split_once("expected one of ") {
            Some((_, list)) => format!(
                "未知的键 `{name}`，应为 {} 之一",
                list.split(", ").collect::<Vec<_>>().join("、")
            ),
            None => format!("未知的键 `{name}`"),
        };
    }
    format!("TOML 内容有误：{msg}")
}

/// `en` or `zh`, by the run's language.
fn say(en: String, zh: String) -> String {
    crate::lang::get().pick(en, zh)
}

/// The largest secret file read.
const MAX_SECRET_FILE: u64 = 4096;

/// The secret in the file at `path`: its bytes without the line ends at the end (as `echo`
/// writes it). Never quoted in an error.
fn read_secret(path: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        say(
            format!("cannot read the secret-file `{path}`: {e}"),
            format!(
                "无法读取 secret-file `{path}`：{}",
                crate::lang::io_error(&e)
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SECRET_FILE {
        return Err(say(
            format!(
                "expected a secret-file of at most {MAX_SECRET_FILE} bytes, found a larger one: `{path}`"
            ),
            format!("secret-file 最多 {MAX_SECRET_FILE} 字节，`{path}` 超过了"),
        ));
    }
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    if bytes.is_empty() {
        return Err(say(
            format!("the secret-file `{path}` is empty"),
            format!("secret-file `{path}` 是空的"),
        ));
    }
    Ok(bytes)
}

/// `value` when it lies in `range` (inclusive); otherwise an error naming `key` and the range.
fn bounded(
    errors: &mut Vec<String>,
    at: &impl Fn(Range<usize>, String) -> String,
    value: &Option<Spanned<i64>>,
    key: &str,
    range: (i64, i64),
) -> Option<i64> {
    let v = value.as_ref()?;
    if (range.0..=range.1).contains(v.get_ref()) {
        return Some(*v.get_ref());
    }
    errors.push(at(
        v.span(),
        say(
            format!(
                "expected a {key} of {} to {}, found {}",
                range.0,
                range.1,
                v.get_ref()
            ),
            format!(
                "{key} 应在 {} 到 {} 之间，实际为 {}",
                range.0,
                range.1,
                v.get_ref()
            ),
        ),
    ));
    None
}

/// `http://host[:port][/path]`. Only plain HTTP in this increment. With a path, requests are
/// sent to that path (their query kept); without one, to the request's own path.
fn parse_upstream(url: &str) -> Result<Upstream, String> {
    if url.starts_with("https://") {
        return Err(say(
            format!(
                "expected an http:// upstream, found `{url}`: https upstreams are not supported yet (terminate TLS in front of qmwire or use a local proxy)"
            ),
            format!(
                "上游应为 http:// 地址，实际为 `{url}`：暂不支持 https 上游（请在 qmwire 前面终结 TLS，或用本地代理）"
            ),
        ));
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(say(
            format!("expected an upstream such as `http://127.0.0.1:9000`, found `{url}`"),
            format!("上游应为 `http://127.0.0.1:9000` 这样的地址，实际为 `{url}`"),
        ));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) if i + 1 < rest.len() => (&rest[..i], Some(rest[i..].to_string())),
        Some(i) => (&rest[..i], None),
        None => (rest, None),
    };
    if authority.is_empty()
        || authority.contains(['?', '#', '@', ' '])
        || path.as_deref().is_some_and(|p| p.contains(['?', '#', ' ']))
    {
        return Err(say(
            format!(
                "expected an upstream of the form `http://host[:port][/path]` (no query), found `{url}`"
            ),
            format!(
                "上游应写成 `http://host[:port][/path]`（不带查询串），实际为 `{url}`"
            ),
        ));
    }
    let authority = if has_port(authority) {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok(Upstream { authority, path })
}

fn has_port(authority: &str) -> bool {
    // `[::1]:80`, `host:80`; a bare IPv6 literal is always bracketed in a URL.
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    authority[host_end..]
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[listen]]
address = "127.0.0.1:0"

[[route]]
path = "/qimen"
mode = "receive"
protocol = "qimen"
upstream = "http://127.0.0.1:9000"
secret-env = "QM_SECRET"
"#;

    fn env(n: &str) -> Option<String> {
        (n == "QM_SECRET").then(|| "helloworld".to_string())
    }

    #[test]
    fn a_minimal_config_loads_with_defaults() {
        let c = load("c.toml", GOOD, env).unwrap();
        assert_eq!(c.listen.len(), 1);
        let r = &c.routes[0];
        assert_eq!(r.upstream.authority, "127.0.0.1:9000");
        assert_eq!(
            (r.window, r.enforce, r.max_body),
            (600, true, DEFAULT_MAX_BODY)
        );
        assert!(!format!("{r:?}").contains("helloworld"));
        assert_eq!(
            r.upstream_idle_timeout.as_secs(),
            DEFAULT_UPSTREAM_IDLE_TIMEOUT
        );
    }

    #[test]
    fn the_upstream_idle_timeout_may_be_zero_but_not_negative() {
        let with = |v: &str| {
            GOOD.replace(
                "secret-env",
                &format!("upstream-idle-timeout = {v}\nsecret-env"),
            )
        };
        let c = load("c.toml", &with("0"), env).unwrap();
        assert!(c.routes[0].upstream_idle_timeout.is_zero());
        let e = load("c.toml", &with("-1"), env).unwrap_err();
        assert!(
            e[0].starts_with(
                "c.toml:10:25: expected a upstream-idle-timeout of 0 to 3600, found -1"
            ),
            "{e:?}"
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_position() {
        let text = GOOD.replace("secret-env", "secret = \"x\"\nsecret-env");
        let e = load("c.toml", &text, env).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("c.toml:10:1: unknown field `secret`"),
            "{e:?}"
        );
    }

    #[test]
    fn bad_values_are_all_reported_with_their_positions() {
        let text = GOOD
            .replace("http://127.0.0.1:9000", "https://wms.example:443")
            .replace("QM_SECRET", "NOT_SET")
            .replace("\"/qimen\"", "\"qimen\"");
        let e = load("c.toml", &text, env).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("c.toml:6:8: expected a path"), "{e:?}");
        assert!(
            e[1].starts_with("c.toml:9:12: expected an http:// upstream"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("c.toml:10:14: the environment variable"),
            "{e:?}"
        );
        let text = GOOD.replace("\"receive\"", "\"relay\"");
        let e = load("c.toml", &text, env).unwrap_err();
        assert!(
            e[0].starts_with("c.toml:7:8: unknown variant `relay`"),
            "{e:?}"
        );
        let text = GOOD.replace("secret-env", "sign = true\nsecret-env");
        let e = load("c.toml", &text, env).unwrap_err();
        assert!(
            e[0].starts_with("c.toml:10:8: `sign` is a send-mode key"),
            "{e:?}"
        );
        let text = format!("[server]\nmax-in-flight = 0\n{GOOD}");
        let e = load("c.toml", &text, env).unwrap_err();
        assert!(
            e[0].starts_with("c.toml:2:17: expected a max-in-flight of 1 to 1000000, found 0"),
            "{e:?}"
        );
    }

    #[test]
    fn a_send_route_needs_a_secret_only_to_sign() {
        let send = GOOD
            .replace("\"receive\"", "\"send\"")
            .replace("secret-env = \"QM_SECRET\"\n", "");
        let e = load("c.toml", &send, env).unwrap_err();
        assert!(
            e[0].contains("needs `secret-env` or `secret-file`"),
            "{e:?}"
        );
        let c = load("c.toml", &format!("{send}sign = false\n"), env).unwrap();
        assert_eq!((c.routes[0].mode, c.routes[0].sign), (Mode::Send, false));
        assert!(c.routes[0].secret.is_empty());
        assert_eq!(c.settings.max_in_flight, 256);
    }

    #[test]
    fn a_secret_file_is_read_without_its_line_end_and_never_quoted() {
        let dir = std::env::temp_dir().join(format!("qmwire-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secret");
        std::fs::write(&file, "s3cret-value\n").unwrap();
        let text = GOOD.replace(
            "secret-env = \"QM_SECRET\"",
            &format!("secret-file = {:?}", file.display().to_string()),
        );
        let c = load("c.toml", &text, env).unwrap();
        assert_eq!(c.routes[0].secret, b"s3cret-value");
        std::fs::write(&file, "\n").unwrap();
        let e = load("c.toml", &text, env).unwrap_err();
        assert!(e[0].starts_with("c.toml:10:15: the secret-file"), "{e:?}");
        let both = format!("{GOOD}secret-file = \"/nonexistent\"\n");
        let e = load("c.toml", &both, env).unwrap_err();
        assert!(e[0].contains("found both"), "{e:?}");
        let missing = text.replace(&file.display().to_string(), "/nonexistent/qmwire-secret");
        let e = load("c.toml", &missing, env).unwrap_err();
        assert!(e[0].contains("cannot read the secret-file"), "{e:?}");
        std::fs::write(&file, "s3cret-value").unwrap();
        let c = load("c.toml", &text, env).unwrap();
        assert!(!format!("{:?}", c.routes[0]).contains("s3cret"));
    }

    #[test]
    fn upstream_forms() {
        assert_eq!(
            parse_upstream("http://wms.local").unwrap().authority,
            "wms.local:80"
        );
        assert_eq!(
            parse_upstream("http://[::1]:81/").unwrap().authority,
            "[::1]:81"
        );
        let u = parse_upstream("http://h:1/router/qimen/service").unwrap();
        assert_eq!(
            (u.authority.as_str(), u.path.as_deref()),
            ("h:1", Some("/router/qimen/service"))
        );
        assert!(parse_upstream("http://h:1/p?q=1").is_err());
        assert!(parse_upstream("ftp://h").is_err());
    }
}
