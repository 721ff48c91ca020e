//! `qmwire convert`: between the wdt 企业版 standard openapi2 API and the same APIs called
//! through Qimen custom (奇门自定义): API names, whole requests, reply envelopes.
//!
//! Exit codes: 0 converted; 1 the input cannot be converted (unknown API, malformed request or
//! reply, a gateway failure asked for as a standard reply); 2 usage and I/O errors (missing
//! options, unreadable files, a secret that cannot be read).

use clap::{Subcommand, ValueEnum};
use qmwire::convert::request::{self, ToQimenCustom, ToStandard};
use qmwire::convert::response;
use qmwire::model::wdt::names::{self as methods, Side, METHODS};
use qmwire::wire::timestamp;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub(crate) enum ConvertTarget {
    /// Print the other side's name of an API: `trade_push.php` → `wdt.trade.push` and back
    /// (also `trade_push`, `hu3cgwt0tc.wdt.trade.push`). `--all` lists the 54 APIs.
    Method(MethodArgs),
    /// Convert a whole HTTP request (raw or `.http` text) to the other side; the converted
    /// request is printed as HTTP text, notes go to standard error.
    Request(RequestArgs),
    /// Convert a JSON reply: a wdt reply to the Qimen custom envelope, or a Qimen custom (or TOP
    /// `error_response`) reply to the wdt one.
    Response(ResponseArgs),
    /// Turn a wdt `stockin_order_query_refund` reply into a 金蝶云星空 BatchSave request of
    /// sales-return bills, as a mapping file says (printed on standard output, linted; issues
    /// on standard error). With `--reply`, read 金蝶's reply to that request back onto the wdt
    /// order numbers instead.
    Kingdee(KingdeeArgs),
    /// Print a built-in 金蝶 mapping (`seed003`), to copy and adapt.
    KingdeeMapping {
        /// The built-in's name.
        #[arg(default_value = "seed003")]
        name: String,
    },
}

#[derive(clap::Args)]
pub(crate) struct KingdeeArgs {
    /// The mapping: a TOML file, or `builtin:seed003` (see `qmwire convert kingdee-mapping`).
    #[arg(long, value_name = "FILE")]
    mapping: String,
    /// 金蝶's reply to the converted request: print, per bill, the wdt order it came from,
    /// whether it was saved, and its errors, instead of the request.
    #[arg(long, value_name = "FILE")]
    reply: Option<String>,
    /// The wdt `stockin_order_query_refund` reply, or `-` for standard input.
    input: String,
}

#[derive(clap::Args)]
pub(crate) struct MethodArgs {
    /// The API name on either side.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    name: Option<String>,
    /// List every API: script, Qimen method, what it does.
    #[arg(long)]
    all: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RequestSide {
    /// The Qimen custom router (`hu3cgwt0tc.api.taobao.com/router/qm`); the input is standard.
    QimenCustom,
    /// The standard openapi2 API (`api.wangdian.cn/openapi2/<name>.php`); the input is Qimen
    /// custom.
    Standard,
}

#[derive(clap::Args)]
pub(crate) struct RequestArgs {
    /// The side to convert to.
    #[arg(long, value_enum)]
    to: RequestSide,
    /// With `--to qimen-custom`: your own Qimen app key (required). With `--to standard`: the
    /// wdt `appkey` (required unless the request's form carries one).
    #[arg(long, value_name = "KEY")]
    app_key: Option<String>,
    /// With `--to qimen-custom`: wdt's app key on Qimen, from the authorisation mail (required).
    #[arg(long, value_name = "KEY")]
    target_app_key: Option<String>,
    /// Sign the converted request with the secret in this environment variable: your Qimen app
    /// secret for `--to qimen-custom`, the wdt appsecret for `--to standard`. Without a secret
    /// the output has no `sign`.
    #[arg(long, value_name = "VAR", conflicts_with = "secret_file")]
    secret_env: Option<String>,
    /// Sign with the secret in this file (one trailing newline ignored, at most 64 KiB).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Use this moment instead of the request's `timestamp`: Unix seconds, `yyyy-MM-dd
    /// HH:mm:ss` (GMT+8), or `now`.
    #[arg(long, value_name = "TIME")]
    timestamp: Option<String>,
    /// Send the Qimen method with its namespace, `hu3cgwt0tc.wdt.trade.push`.
    #[arg(long)]
    namespaced_method: bool,
    /// The request file, or `-` for standard input.
    input: String,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ResponseSide {
    /// The wdt standard reply; the input is a Qimen custom or TOP reply.
    Wdt,
    /// The Qimen custom envelope; the input is a wdt reply.
    QimenCustom,
}

#[derive(clap::Args)]
pub(crate) struct ResponseArgs {
    /// The side to convert to.
    #[arg(long, value_enum)]
    to: ResponseSide,
    /// Indent the JSON output.
    #[arg(long)]
    pretty: bool,
    /// Write `"flag":"success"` in a Qimen success reply. Off by default: the official Java
    /// Qimen-cloud client takes any `flag` for a failure; the .NET client reads `success`.
    #[arg(long)]
    success_flag: bool,
    /// The reply file, or `-` for standard input.
    input: String,
}

/// What stopped a conversion: a usage or I/O error (exit 2) or an input that cannot be
/// converted (exit 1).
pub(crate) enum Failure {
    Usage(String),
    Input(String),
}

pub(crate) fn run(target: ConvertTarget) -> ExitCode {
    let result = match target {
        ConvertTarget::Method(args) => method(args),
        ConvertTarget::Request(args) => convert_request(args),
        ConvertTarget::Response(args) => convert_response(args),
        ConvertTarget::Kingdee(args) => {
            crate::kingdee::convert(args.mapping, args.reply, args.input)
        }
        ConvertTarget::KingdeeMapping { name } => crate::kingdee::print_mapping(&name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("qmwire: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("qmwire: {message}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            Failure::Usage(crate::lang::say(
                || format!("cannot write to standard output: {e}"),
                || format!("无法写入标准输出：{}", crate::lang::io_error(&e)),
            ))
        })
}

pub(crate) fn read_input(path: &str) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).map_err(|e| {
            Failure::Usage(crate::lang::say(
                || format!("cannot read standard input: {e}"),
                || format!("无法读取标准输入：{}", crate::lang::io_error(&e)),
            ))
        })?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| Failure::Usage(file_error(path, &e)))
    }
}

/// `path: error` for a file that cannot be read or written.
pub(crate) fn file_error(path: &str, e: &io::Error) -> String {
    crate::lang::say(
        || format!("{path}: {e}"),
        || format!("{path}：{}", crate::lang::io_error(e)),
    )
}

/// A JSON value that cannot be written (it always can: serde_json fails only on I/O).
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    crate::lang::say(
        || format!("cannot write JSON: {e}"),
        || format!("无法写出 JSON：{e}"),
    )
}

fn method(args: MethodArgs) -> Result<(), Failure> {
    let Some(name) = args.name else {
        for m in &METHODS {
            let summary = crate::lang::pick(m.summary, m.summary_zh);
            print(&format!("{:<50} {:<50} {summary}", m.php, m.qimen))?;
        }
        return Ok(());
    };
    let found = methods::lookup(&name)
        .map_err(|e| Failure::Input(crate::lang::say(|| e.to_string(), || e.zh())))?;
    match methods::side_of(&name) {
        Side::Standard => print(found.qimen),
        Side::QimenCustom => print(found.php),
    }
}

/// `--timestamp`: `now`, Unix seconds, or a Qimen date-time.
fn moment(text: &str) -> Result<i64, Failure> {
    if text == "now" {
        return Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64));
    }
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse() {
            return Ok(n);
        }
    }
    timestamp::parse_qimen(text).map_err(|e| {
        Failure::Usage(crate::lang::say(
            || format!("--timestamp: {e}, unix seconds, or `now`"),
            || format!("--timestamp：{}，或者 Unix 秒数、`now`", e.zh()),
        ))
    })
}

fn convert_request(args: RequestArgs) -> Result<(), Failure> {
    let secret = if args.secret_env.is_some() || args.secret_file.is_some() {
        Some(
            crate::secret::read_secret(args.secret_env.as_deref(), args.secret_file.as_deref())
                .map_err(Failure::Usage)?,
        )
    } else {
        None
    };
    let timestamp = args.timestamp.as_deref().map(moment).transpose()?;
    let converted = match args.to {
        RequestSide::QimenCustom => {
            let app_key = args.app_key.as_deref().ok_or_else(|| {
                Failure::Usage(
                    crate::lang::pick(
                        "`--to qimen-custom` needs `--app-key` (your own Qimen app key)",
                        "`--to qimen-custom` 需要 `--app-key`（你自己的奇门 app key）",
                    )
                    .into(),
                )
            })?;
            let target_app_key = args.target_app_key.as_deref().ok_or_else(|| {
                Failure::Usage(
                    crate::lang::pick(
                        "`--to qimen-custom` needs `--target-app-key` (wdt's app key on Qimen)",
                        "`--to qimen-custom` 需要 `--target-app-key`（旺店通在奇门上的 app key）",
                    )
                    .into(),
                )
            })?;
            for (flag, value) in [("--app-key", app_key), ("--target-app-key", target_app_key)] {
                if value.trim().is_empty() {
                    return Err(Failure::Usage(crate::lang::say(
                        || format!("`{flag}` is empty; the Qimen router needs an app key there"),
                        || format!("`{flag}` 是空的；奇门路由要求这里有 app key"),
                    )));
                }
            }
            let input = read_input(&args.input)?;
            let options = ToQimenCustom {
                app_key,
                target_app_key,
                secret: secret.as_deref(),
                timestamp,
                namespaced_method: args.namespaced_method,
            };
            request::to_qimen_custom(&input, &options)
        }
        RequestSide::Standard => {
            if args.target_app_key.is_some() {
                return Err(Failure::Usage(
                    crate::lang::pick(
                        "`--target-app-key` only applies with `--to qimen-custom`",
                        "`--target-app-key` 只能与 `--to qimen-custom` 一起使用",
                    )
                    .into(),
                ));
            }
            if args.namespaced_method {
                return Err(Failure::Usage(
                    crate::lang::pick(
                        "`--namespaced-method` only applies with `--to qimen-custom`",
                        "`--namespaced-method` 只能与 `--to qimen-custom` 一起使用",
                    )
                    .into(),
                ));
            }
            let input = read_input(&args.input)?;
            let options = ToStandard {
                appkey: args.app_key.as_deref(),
                secret: secret.as_deref(),
                timestamp,
            };
            request::to_standard(&input, &options)
        }
    }
    .map_err(|e| {
        Failure::Input(crate::lang::say(
            || format!("{}: {e}", args.input),
            || format!("{}：{}", args.input, e.zh()),
        ))
    })?;
    match crate::lang::get() {
        qmwire::Lang::Zh => {
            for note in &converted.notes_zh {
                eprintln!("qmwire: 注：{note}");
            }
        }
        _ => {
            for note in &converted.notes {
                eprintln!("qmwire: note: {note}");
            }
        }
    }
    print(&converted.to_http())
}

fn convert_response(args: ResponseArgs) -> Result<(), Failure> {
    let input = read_input(&args.input)?;
    let text = std::str::from_utf8(&input).map_err(|_| {
        Failure::Input(crate::lang::say(
            || format!("{}: expected UTF-8 JSON, found other bytes", args.input),
            || format!("{}：应为 UTF-8 编码的 JSON，实际不是", args.input),
        ))
    })?;
    let value = match args.to {
        ResponseSide::QimenCustom => response::parse_wdt(text)
            .map(|o| response::to_qimen_custom_flagged(&o, args.success_flag)),
        ResponseSide::Wdt => response::parse_qimen_custom(text).and_then(|o| response::to_wdt(&o)),
    }
    .map_err(|e| {
        Failure::Input(crate::lang::say(
            || format!("{}: {e}", args.input),
            || format!("{}：{}", args.input, e.zh()),
        ))
    })?;
    let out = if args.pretty {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    }
    .map_err(|e| Failure::Usage(json_error(&e)))?;
    print(&out)
}
