//! `qmwire sign`: compute a Qimen or wdt sign; `qmwire verify`: check a received sign and name
//! the mistake behind a mismatch. The secret is read from an environment variable or a file,
//! never from the command line, and is never printed.

use clap::{Subcommand, ValueEnum};
use qmwire::sign::diagnose::{self, Diagnosis};
use qmwire::sign::{qimen, wdt, SignMethod, MASK};
use qmwire::wire::params;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub(crate) enum SignTarget {
    /// Qimen / TOP `sign` (uppercase hex) over the query parameters and the raw body.
    Qimen(QimenArgs),
    /// wdt 企业版 openapi2 `sign` (lowercase hex) over the form parameters.
    Wdt(WdtArgs),
    /// wdt 旗舰版 `sign` (lowercase hex) over the query parameters and the JSON body; the secret
    /// is the whole appsecret `secret:salt`.
    WdtUltimate(UltimateArgs),
    /// `wdt_sign` of a wdt 旗舰版 call through Qimen custom (lowercase hex) over the form's
    /// business parameters and the method; the secret is the wdt appsecret `secret:salt`.
    WdtQimen(WdtQimenArgs),
}

#[derive(clap::Args)]
pub(crate) struct UltimateArgs {
    /// The URL query, `sid=…&key=…&salt=…&method=…&timestamp=…&v=1.0` (percent-encoded as
    /// sent). A `sign` in it is ignored.
    #[arg(long, value_name = "QUERY")]
    query: String,
    /// File with the JSON body, signed byte for byte as `body` (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    body: Option<String>,
    #[command(flatten)]
    secret: SecretArgs,
    #[command(flatten)]
    explain: ExplainArgs,
}

#[derive(clap::Args)]
pub(crate) struct WdtQimenArgs {
    /// The form body, `k=v&…` (percent-encoded as sent): the business parameters (`params`,
    /// `pager`, `datetime`, `wdt_appkey`, `wdt_salt`, …). `wdt_sign`, `sign`, `wdt3_customer_id`
    /// and the Qimen system parameters in it are not signed.
    #[arg(long, value_name = "FORM")]
    form: String,
    /// The URL query of the call, for its `method` (and nothing else: system parameters are not
    /// part of `wdt_sign`).
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,
    /// The Qimen method, e.g. `wdt.wms.stockspec.querychangehistory`, when neither the form nor
    /// the query has `method`.
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    #[command(flatten)]
    secret: SecretArgs,
    #[command(flatten)]
    explain: ExplainArgs,
}

/// `--explain` and how much it shows.
#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// Also print the signed string to standard error: the secret shown as `***`, and business
    /// values (anything but the system parameters) and personal values in the body masked with
    /// one `*` per character, so lengths and order stay visible.
    #[arg(long)]
    explain: bool,
    /// With `--explain`: show business values and the body as they are (they may hold personal
    /// data; the secret is still masked).
    #[arg(long, requires = "explain")]
    show_values: bool,
}

/// Parameters that carry no business data: shown by `--explain` as they are.
const SYSTEM_PARAMS: &[&str] = &[
    "method",
    "app_key",
    "appkey",
    "sid",
    "timestamp",
    "v",
    "format",
    "sign_method",
    "sign",
    "customerId",
    "customerid",
    "target_app_key",
    "partner_id",
    "simplify",
    "key",
    "salt",
    "wdt_appkey",
    "wdt_salt",
    "datetime",
];

impl ExplainArgs {
    /// `pairs` as `--explain` shows them: business values masked unless `--show-values`.
    fn pairs<'a>(&self, pairs: &[params::Pair<'a>]) -> Vec<params::Pair<'a>> {
        pairs
            .iter()
            .map(|(k, v)| {
                let keep = self.show_values || SYSTEM_PARAMS.contains(&k.as_ref());
                let v = if keep {
                    v.clone()
                } else {
                    masked_value(v).into()
                };
                (k.clone(), v)
            })
            .collect()
    }

    /// A body as `--explain` shows it: personal values masked (as `qmwire redact` masks them)
    /// unless `--show-values`; a body whose personal values cannot be located is masked whole.
    fn body(&self, body: &[u8], pairs: &[params::Pair<'_>]) -> Vec<u8> {
        if self.show_values {
            return body.to_vec();
        }
        let mut options = qmwire::Options::new();
        options.method = pairs
            .iter()
            .find(|(k, _)| k == "method")
            .map(|(_, v)| v.to_string());
        match qmwire::redact(body, &options, &qmwire::Redactor::mask()) {
            Ok(r) => r.output,
            Err(_) => stars(&String::from_utf8_lossy(body)).into_bytes(),
        }
    }
}

/// A business value with every character masked; a JSON object or array keeps its keys and
/// shape, its scalar values masked (so 旗舰版 canonicalisation still reads it).
fn masked_value(value: &str) -> String {
    fn mask(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = stars(s),
            serde_json::Value::Number(n) => *v = serde_json::Value::String(stars(&n.to_string())),
            serde_json::Value::Array(items) => items.iter_mut().for_each(mask),
            serde_json::Value::Object(map) => map.values_mut().for_each(mask),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(mut v) if v.is_object() || v.is_array() => {
            mask(&mut v);
            v.to_string()
        }
        _ => stars(value),
    }
}

/// One `*` per character, whitespace kept.
fn stars(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_whitespace() { c } else { '*' })
        .collect()
}

#[derive(clap::Args)]
#[group(id = "secret", required = true, multiple = false)]
pub(crate) struct SecretArgs {
    /// Name of the environment variable that holds the app secret.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// File that holds the app secret (one trailing newline is ignored, at most 64 KiB).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct QimenArgs {
    /// The URL query, `k=v&k2=v2` (percent-encoded as sent; `+` is a space). A `sign` in it is
    /// ignored.
    #[arg(long, value_name = "QUERY")]
    query: String,
    /// File with the request body, signed byte for byte (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    body: Option<String>,
    /// Sign method; defaults to the query's `sign_method`, else md5.
    #[arg(long, value_enum, value_name = "METHOD")]
    sign_method: Option<MethodArg>,
    #[command(flatten)]
    secret: SecretArgs,
    #[command(flatten)]
    explain: ExplainArgs,
}

#[derive(clap::Args)]
pub(crate) struct WdtArgs {
    /// The form body, `k=v&k2=v2` (percent-encoded as sent; `+` is a space). A `sign` in it is
    /// ignored.
    #[arg(long, value_name = "FORM")]
    form: String,
    #[command(flatten)]
    secret: SecretArgs,
    #[command(flatten)]
    explain: ExplainArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    /// MD5 with the secret around the message.
    Md5,
    /// HMAC-MD5 keyed with the secret.
    Hmac,
    /// HMAC-SHA256 keyed with the secret.
    HmacSha256,
}

impl From<MethodArg> for SignMethod {
    fn from(m: MethodArg) -> SignMethod {
        match m {
            MethodArg::Md5 => SignMethod::Md5,
            MethodArg::Hmac => SignMethod::Hmac,
            MethodArg::HmacSha256 => SignMethod::HmacSha256,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum VerifyTarget {
    /// Check the `sign` of a Qimen / TOP request (query and raw body as received).
    Qimen(VerifyQimenArgs),
    /// Check the `sign` of a wdt 企业版 openapi2 request (form body as received).
    Wdt(VerifyWdtArgs),
    /// Check the `sign` of a wdt 旗舰版 request (query and JSON body as received; secret
    /// `secret:salt`).
    WdtUltimate(VerifyUltimateArgs),
    /// Check the `wdt_sign` of a wdt 旗舰版 call through Qimen custom (form as received).
    WdtQimen(VerifyWdtQimenArgs),
}

#[derive(clap::Args)]
pub(crate) struct VerifyUltimateArgs {
    /// The URL query as received, including `sign=…`.
    #[arg(long, value_name = "QUERY")]
    query: String,
    /// File with the JSON body as received (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    body: Option<String>,
    #[command(flatten)]
    secret: SecretArgs,
}

#[derive(clap::Args)]
pub(crate) struct VerifyWdtQimenArgs {
    /// The form body as received, including `wdt_sign=…`.
    #[arg(long, value_name = "FORM")]
    form: String,
    /// The URL query of the call, for its `method`.
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,
    /// The Qimen method, when neither the form nor the query has `method`.
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    #[command(flatten)]
    secret: SecretArgs,
}

#[derive(clap::Args)]
pub(crate) struct VerifyQimenArgs {
    /// The URL query as received, `k=v&k2=v2`, including `sign=…`; its `sign_method` decides the
    /// method (md5 when absent).
    #[arg(long, value_name = "QUERY")]
    query: String,
    /// File with the request body as received (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    body: Option<String>,
    #[command(flatten)]
    secret: SecretArgs,
    /// The counterparty's profile: a sign method it does not take is a mismatch, and a
    /// counterparty that does not check signs is said so (see `lint --profile`).
    #[command(flatten)]
    profile: crate::profile::ProfileArgs,
}

#[derive(clap::Args)]
pub(crate) struct VerifyWdtArgs {
    /// The form body as received, `k=v&k2=v2`, including `sign=…`.
    #[arg(long, value_name = "FORM")]
    form: String,
    #[command(flatten)]
    secret: SecretArgs,
}

pub(crate) fn run(target: SignTarget) -> ExitCode {
    let result = match target {
        SignTarget::Qimen(args) => sign_qimen(args),
        SignTarget::Wdt(args) => sign_wdt(args),
        SignTarget::WdtUltimate(args) => sign_wdt_ultimate(args),
        SignTarget::WdtQimen(args) => sign_wdt_qimen(args),
    };
    exit_code(result.map(|()| ExitCode::SUCCESS))
}

/// `qmwire verify`: 0 and `ok` on a match, 1 and `mismatch: …` otherwise, 2 for errors. The
/// expected sign is printed only with `show_expected`.
pub(crate) fn run_verify(target: VerifyTarget, show_expected: bool) -> ExitCode {
    if let VerifyTarget::Qimen(args) = &target {
        match profile_refusal(args) {
            Ok(None) => {}
            Ok(Some(reason)) => {
                return exit_code(
                    print_line(&format!("mismatch: {reason}")).map(|()| ExitCode::from(1)),
                )
            }
            Err(e) => return exit_code(Err(e)),
        }
    }
    let result = match target {
        VerifyTarget::Qimen(args) => verify_qimen(args),
        VerifyTarget::Wdt(args) => verify_wdt(args),
        VerifyTarget::WdtUltimate(args) => verify_wdt_ultimate(args),
        VerifyTarget::WdtQimen(args) => verify_wdt_qimen(args),
    };
    exit_code(result.and_then(|d| report(d, show_expected)))
}

/// The exit code of a finished command, or 2 with the message for an error.
fn exit_code(result: Result<ExitCode, String>) -> ExitCode {
    result.unwrap_or_else(|message| {
        eprintln!("qmwire: {message}");
        ExitCode::from(2)
    })
}

/// A wdt signing error in the run's language (it names parameters, never values or the secret).
fn sign_error(e: &wdt::SignError) -> String {
    crate::lang::say(|| e.to_string(), || e.zh())
}

/// A `sign_method` in `--query` that no algorithm matches.
fn unsupported(e: &diagnose::UnsupportedSignMethod) -> String {
    crate::lang::say(
        || format!("--query: {e}"),
        || format!("--query：{}", e.zh()),
    )
}

/// The secret's bytes (see [`crate::secret::read_secret`]).
fn read_secret(args: &SecretArgs) -> Result<Vec<u8>, String> {
    crate::secret::read_secret(args.secret_env.as_deref(), args.secret_file.as_deref())
}

/// Prints the explained string to stderr. The functions mask the secret where the algorithm
/// puts it; any other occurrence (a parameter or the body that happens to hold it) is masked
/// here too, so the secret never reaches the terminal.
fn explain(text: &str, secret: &[u8]) {
    let masked = match std::str::from_utf8(secret) {
        Ok(s) if text.contains(s) => {
            eprintln!(
                "qmwire: {}",
                crate::lang::say(
                    || format!(
                        "note: the secret also occurs in the signed data; shown as `{MASK}`"
                    ),
                    || format!("注：密钥也出现在待签名的数据里；显示为 `{MASK}`"),
                )
            );
            text.replace(s, MASK)
        }
        _ => text.to_string(),
    };
    eprintln!("{masked}");
}

fn print_sign(sign: &str) -> Result<(), String> {
    print_line(sign)
}

fn print_line(line: &str) -> Result<(), String> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            crate::lang::say(
                || format!("cannot write to standard output: {e}"),
                || format!("无法写入标准输出：{e}"),
            )
        })
}

fn read_body(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).map_err(|e| {
            crate::lang::say(
                || format!("cannot read the body from standard input: {e}"),
                || format!("无法从标准输入读取正文：{e}"),
            )
        })?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| crate::convert::file_error(path, &e))
    }
}

fn sign_qimen(args: QimenArgs) -> Result<(), String> {
    let pairs = params::parse(&args.query).map_err(|e| crate::lang::param_error("--query", &e))?;
    let in_query = pairs
        .iter()
        .find(|(k, _)| k == "sign_method")
        .map(|(_, v)| v.as_ref());
    let method = match (args.sign_method.map(SignMethod::from), in_query) {
        (Some(flag), Some(q)) if q != flag.as_str() => {
            return Err(crate::lang::say(
                || {
                    format!(
                        "`--sign-method {flag}` does not match `sign_method={q}` in the query (the \
                         method is itself signed)"
                    )
                },
                || format!("`--sign-method {flag}` 与查询串里的 `sign_method={q}` 不一致（方法本身也参与签名）"),
            ))
        }
        (Some(flag), Some(_)) => flag,
        (Some(flag), None) => {
            if flag != SignMethod::Md5 {
                eprintln!(
                    "qmwire: {}",
                    crate::lang::say(
                        || format!("warning: the query has no `sign_method`; receivers then check md5, not {flag}"),
                        || format!("警告：查询串里没有 `sign_method`，接收方会按 md5 验签，而不是 {flag}"),
                    )
                );
            }
            flag
        }
        (None, Some(q)) => SignMethod::from_wire(q).ok_or_else(|| {
            crate::lang::say(
                || format!("unsupported `sign_method={q}` in the query; expected md5, hmac or hmac-sha256"),
                || format!("查询串里的 `sign_method={q}` 不受支持；应为 md5、hmac 或 hmac-sha256"),
            )
        })?,
        (None, None) => SignMethod::Md5,
    };
    let body = args.body.as_deref().map(read_body).transpose()?;
    let secret = read_secret(&args.secret)?;
    if args.explain.explain {
        let shown_body = body.as_deref().map(|b| args.explain.body(b, &pairs));
        explain(
            &qimen::canonical_masked(&args.explain.pairs(&pairs), shown_body.as_deref(), method),
            &secret,
        );
    }
    print_sign(&qimen::sign(&pairs, body.as_deref(), &secret, method))
}

fn sign_wdt(args: WdtArgs) -> Result<(), String> {
    let pairs = params::parse(&args.form).map_err(|e| crate::lang::param_error("--form", &e))?;
    let secret = read_secret(&args.secret)?;
    if args.explain.explain {
        explain(&wdt::canonical_masked(&args.explain.pairs(&pairs)), &secret);
    }
    print_sign(&wdt::sign(&pairs, &secret))
}

/// The body file as text: the 旗舰版 body is JSON, signed as the text it is.
fn read_text_body(path: &str) -> Result<String, String> {
    String::from_utf8(read_body(path)?).map_err(|_| {
        crate::lang::say(
            || format!("{path}: the body is not UTF-8"),
            || format!("{path}：正文不是 UTF-8"),
        )
    })
}

/// The secret part of a 旗舰版 appsecret `secret:salt`, checking the query's `salt` against it.
fn ultimate_secret<'s>(
    appsecret: &'s [u8],
    pairs: &[params::Pair<'_>],
) -> Result<&'s [u8], String> {
    let (secret, salt) = wdt::split_appsecret(appsecret).map_err(|e| sign_error(&e))?;
    match pairs.iter().find(|(k, _)| k == "salt") {
        None => eprintln!(
            "qmwire: {}",
            crate::lang::pick(
                "warning: the query has no `salt`; 旗舰版 requests send the part of the appsecret after `:` as `salt`",
                "警告：查询串里没有 `salt`；旗舰版请求要把 appsecret 中 `:` 之后的部分作为 `salt` 发送",
            )
        ),
        Some((_, v)) if v.as_bytes() != salt => eprintln!(
            "qmwire: {}",
            crate::lang::pick(
                "warning: the query's `salt` is not the part of the appsecret after `:`",
                "警告：查询串里的 `salt` 不是 appsecret 中 `:` 之后的部分",
            )
        ),
        Some(_) => {}
    }
    Ok(secret)
}

fn sign_wdt_ultimate(args: UltimateArgs) -> Result<(), String> {
    let pairs = params::parse(&args.query).map_err(|e| crate::lang::param_error("--query", &e))?;
    let body = args.body.as_deref().map(read_text_body).transpose()?;
    let appsecret = read_secret(&args.secret)?;
    let secret = ultimate_secret(&appsecret, &pairs)?;
    if args.explain.explain {
        let shown_body = body.as_deref().map(|b| {
            String::from_utf8_lossy(&args.explain.body(b.as_bytes(), &pairs)).into_owned()
        });
        explain(
            &wdt::canonical_masked_ultimate(&args.explain.pairs(&pairs), shown_body.as_deref()),
            secret,
        );
    }
    print_sign(&wdt::sign_ultimate(&pairs, body.as_deref(), secret))
}

/// The form's pairs and the method for `wdt_sign`: `--method`, else the form's or the query's
/// `method`.
fn qimen_custom_input<'a>(
    form: &'a str,
    query: Option<&'a str>,
    method: Option<&'a str>,
) -> Result<(Vec<params::Pair<'a>>, String), String> {
    let pairs = params::parse(form).map_err(|e| crate::lang::param_error("--form", &e))?;
    let query = query
        .map(params::parse)
        .transpose()
        .map_err(|e| crate::lang::param_error("--query", &e))?
        .unwrap_or_default();
    let find = |list: &[params::Pair<'_>]| {
        list.iter()
            .find(|(k, v)| k == "method" && !v.is_empty())
            .map(|(_, v)| v.to_string())
    };
    let method = method
        .map(str::to_string)
        .or_else(|| find(&pairs))
        .or_else(|| find(&query))
        .ok_or_else(|| {
            crate::lang::pick(
                "no method: give `--method`, or `method=…` in `--form` or `--query`",
                "没有方法名：请用 `--method` 给出，或在 `--form`、`--query` 里写 `method=…`",
            )
            .to_string()
        })?;
    Ok((pairs, method))
}

/// The secret part of a wdt appsecret for `wdt_sign`: before `:` when there is one.
fn qimen_custom_secret(appsecret: &[u8]) -> &[u8] {
    wdt::split_appsecret(appsecret).map_or(appsecret, |(secret, _)| secret)
}

fn sign_wdt_qimen(args: WdtQimenArgs) -> Result<(), String> {
    let (pairs, method) =
        qimen_custom_input(&args.form, args.query.as_deref(), args.method.as_deref())?;
    let appsecret = read_secret(&args.secret)?;
    let secret = qimen_custom_secret(&appsecret);
    let sign = wdt::sign_qimen_custom(&pairs, &method, secret).map_err(|e| sign_error(&e))?;
    if args.explain.explain {
        let text = wdt::canonical_masked_qimen_custom(&args.explain.pairs(&pairs), &method)
            .map_err(|e| sign_error(&e))?;
        explain(&text, secret);
    }
    print_sign(&sign)
}

/// Parses the received parameters and takes out the received `sign`.
fn received<'a>(input: &'a str, flag: &str) -> Result<(Vec<params::Pair<'a>>, String), String> {
    let pairs = params::parse(input).map_err(|e| crate::lang::param_error(flag, &e))?;
    let sign = diagnose::received_sign(&pairs)
        .ok_or_else(|| {
            crate::lang::say(
                || format!("{flag}: no `sign` parameter to verify"),
                || format!("{flag}：没有要验证的 `sign` 参数"),
            )
        })?
        .to_string();
    Ok((pairs, sign))
}

/// What the counterparty's profile (`--profile`) says of the request before its sign is
/// computed: a note when it does not check signs, and the reason to refuse a sign method it
/// does not take.
fn profile_refusal(args: &VerifyQimenArgs) -> Result<Option<String>, String> {
    let Some(profile) = args.profile.load()? else {
        return Ok(None);
    };
    let (pairs, _) = received(&args.query, "--query")?;
    let method = pairs
        .iter()
        .find(|(k, _)| k == "sign_method")
        .map_or("md5", |(_, v)| &**v);
    if !profile.checks_sign() {
        eprintln!(
            "qmwire: {}",
            crate::lang::say(
                || {
                    format!(
                    "note: profile `{}` says this counterparty does not check the sign; verifying it anyway",
                    profile.id()
                )
                },
                || format!(
                    "注：对接方配置 `{}` 说该对接方不验签；仍然照常验证",
                    profile.id()
                ),
            )
        );
    }
    Ok((!profile.accepts_sign_method(method)).then(|| {
        let listed: Vec<String> = profile
            .sign_methods()
            .iter()
            .map(|m| format!("`{m}`"))
            .collect();
        crate::lang::say(
            || {
                format!(
                    "profile `{}` says this counterparty takes sign method {} only, and the request uses `{method}`",
                    profile.id(),
                    listed.join(" or ")
                )
            },
            || {
                format!(
                    "对接方配置 `{}` 说该对接方只接受签名方法 {}，而请求用的是 `{method}`",
                    profile.id(),
                    listed.join(" 或 ")
                )
            },
        )
    }))
}

fn verify_qimen(args: VerifyQimenArgs) -> Result<Diagnosis, String> {
    let (pairs, sign) = received(&args.query, "--query")?;
    diagnose::declared_method(&pairs).map_err(|e| unsupported(&e))?;
    let body = args.body.as_deref().map(read_body).transpose()?;
    let secret = read_secret(&args.secret)?;
    diagnose::diagnose_qimen(&pairs, body.as_deref(), &secret, &sign).map_err(|e| unsupported(&e))
}

fn verify_wdt(args: VerifyWdtArgs) -> Result<Diagnosis, String> {
    let (pairs, sign) = received(&args.form, "--form")?;
    let secret = read_secret(&args.secret)?;
    Ok(diagnose::diagnose_wdt(&pairs, &secret, &sign))
}

fn verify_wdt_ultimate(args: VerifyUltimateArgs) -> Result<Diagnosis, String> {
    let (pairs, sign) = received(&args.query, "--query")?;
    let body = args.body.as_deref().map(read_text_body).transpose()?;
    let appsecret = read_secret(&args.secret)?;
    ultimate_secret(&appsecret, &pairs)?;
    let ts = pairs.iter().find(|(k, _)| k == "timestamp");
    if let Some((_, ts)) = ts {
        if let Err(e) = qmwire::wire::timestamp::check_wdt_ultimate(ts, 0) {
            eprintln!(
                "qmwire: {}",
                crate::lang::say(
                    || format!("warning: `timestamp`: {e}"),
                    || format!("警告：`timestamp`：{}", e.zh()),
                )
            );
        } else if ts.parse::<i64>().is_ok_and(|t| t >= 1_000_000_000) {
            eprintln!(
                "qmwire: {}",
                crate::lang::pick(
                    "warning: `timestamp` looks like plain unix seconds; 旗舰版 expects unix seconds − 1325347200 (seconds since 2012-01-01 GMT+8)",
                    "警告：`timestamp` 像是普通的 Unix 秒数；旗舰版要的是 Unix 秒数 − 1325347200（自 2012-01-01 北京时间起的秒数）",
                )
            );
        }
    }
    diagnose::diagnose_wdt_ultimate(&pairs, body.as_deref(), &appsecret, &sign)
        .map_err(|e| sign_error(&e))
}

fn verify_wdt_qimen(args: VerifyWdtQimenArgs) -> Result<Diagnosis, String> {
    let (pairs, method) =
        qimen_custom_input(&args.form, args.query.as_deref(), args.method.as_deref())?;
    let sign = pairs
        .iter()
        .find(|(k, _)| k == "wdt_sign")
        .map(|(_, v)| v.to_string())
        .ok_or_else(|| {
            crate::lang::pick(
                "--form: no `wdt_sign` parameter to verify",
                "--form：没有要验证的 `wdt_sign` 参数",
            )
            .to_string()
        })?;
    let appsecret = read_secret(&args.secret)?;
    diagnose::diagnose_wdt_qimen_custom(&pairs, &method, &appsecret, &sign)
        .map_err(|e| sign_error(&e))
}

/// Prints the verdict. Only fixed sentences are printed, never the secret, and the expected
/// sign only with `show_expected` (`--show-expected`, for the operator: a sender given it can
/// sign any body).
///
/// `ok` and `mismatch:` are the same in every language; the sentences after them follow
/// `--lang`.
fn report(d: Diagnosis, show_expected: bool) -> Result<ExitCode, String> {
    let zh = crate::lang::get() == qmwire::Lang::Zh;
    if d.matches {
        match d.cause {
            Some(note) if zh => eprintln!("qmwire: 注：{}", note.zh()),
            Some(note) => eprintln!("qmwire: note: {note}"),
            None => {}
        }
        print_line("ok")?;
        return Ok(ExitCode::SUCCESS);
    }
    match d.cause {
        Some(cause) if zh => print_line(&format!("mismatch: {}", cause.zh()))?,
        Some(cause) => print_line(&format!("mismatch: {cause}"))?,
        None if show_expected && zh => print_line(&format!(
            "mismatch: 已知的常见错误都复现不出收到的签名；应为 {}",
            d.expected_sign_for_operator()
        ))?,
        None if show_expected => print_line(&format!(
            "mismatch: no known mistake reproduces the received sign; expected {}",
            d.expected_sign_for_operator()
        ))?,
        None if zh => print_line(
            "mismatch: 已知的常见错误都复现不出收到的签名（密钥不对，或签名后请求又被改过；--show-expected 会打印应有的签名）",
        )?,
        None => print_line(
            "mismatch: no known mistake reproduces the received sign (wrong secret, or the request changed after signing; --show-expected prints the expected sign)",
        )?,
    }
    Ok(ExitCode::from(1))
}
