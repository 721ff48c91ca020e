//! `qmwire`: lint, sign, verify, redact and convert Qimen, wdt and 金蝶 messages from the command
//! line.
//!
//! Exit codes: 0 when no file has an error (warnings allowed), 1 when any file has an error,
//! 2 for usage and I/O errors.

#![forbid(unsafe_code)]

mod clap_zh;
mod convert;
mod kingdee;
mod lang;
mod profile;
mod redact;
mod schema;
mod secret;
mod serve;
mod sign;

use clap::{Parser, Subcommand, ValueEnum};
use qmwire::model::kingdee::KINGDEE_METHODS;
use qmwire::model::qimen::METHODS;
use qmwire::model::wdt::WDT_METHODS;
use qmwire::model::Flow;
use qmwire::options::Secret;
use qmwire::render::{self, FileReport};
use qmwire::rules::RULES;
use qmwire::{Limits, Options, PrivacyCheck, Report, Shape};
use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "qmwire",
    version,
    about = "Check Qimen (奇门), wdt (旺店通) and 金蝶云星空 messages: every field checked, every issue located"
)]
struct Cli {
    /// Language of messages, rule texts, notes and errors: `zh` (Chinese) or `en` (English).
    /// Default: from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`; `zh*` gives Chinese). Rule
    /// ids, paths, positions and the JSON shape are the same in both.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<lang::LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check messages against their contract and report every issue.
    Lint(LintArgs),
    /// Describe one rule, or list them all.
    Explain {
        /// Rule id, e.g. `max-length`.
        rule: Option<String>,
    },
    /// List the Qimen methods, wdt APIs and 金蝶 WebAPI operations qmwire knows, grouped by who
    /// sends the request.
    Methods,
    /// Compute the sign of a Qimen (TOP) or wdt request; the secret comes from an environment
    /// variable or a file, never from the command line.
    Sign {
        #[command(subcommand)]
        target: sign::SignTarget,
    },
    /// Check the `sign` of a received Qimen (TOP) or wdt request; on a mismatch, name the usual
    /// mistake that reproduces it. Exit 0 on a match, 1 on a mismatch, 2 for errors.
    Verify {
        /// When no known mistake explains a mismatch, also print the expected sign. For the
        /// operator only: a sender given the expected sign can sign any body without the
        /// secret, so never return this output to one.
        #[arg(long, global = true)]
        show_expected: bool,
        #[command(subcommand)]
        target: sign::VerifyTarget,
    },
    /// Convert between the wdt standard openapi2 API and Qimen custom: API names, requests,
    /// replies. Exit 0 converted, 1 input that cannot be converted, 2 usage or I/O errors.
    Convert {
        #[command(subcommand)]
        target: convert::ConvertTarget,
    },
    /// Mask, hash or drop every personal value of a message; every other byte stays as it was.
    Redact(redact::RedactArgs),
    /// Print the JSON Schema (draft 2020-12) of a message body, or list them all.
    Schema(schema::SchemaArgs),
    /// List, show or check counterparty profiles (see `lint --profile`).
    Profile {
        #[command(subcommand)]
        command: profile::ProfileCommand,
    },
    /// Run a validating receiver in front of a Qimen endpoint: verify each request's sign and
    /// timestamp, lint it, forward it when valid, refuse it with the Qimen failure reply when
    /// not (docs/serve.md).
    Serve(serve::ServeArgs),
}

#[derive(clap::Args)]
struct LintArgs {
    /// Method of every input, full (`taobao.qimen.deliveryorder.create`) or short
    /// (`deliveryorder.create`). Without it, each document's shape decides, and an ambiguous
    /// shape is reported instead of guessed.
    #[arg(long, short)]
    method: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    limits: LimitArgs,
    /// Lint each XML file as the body of a request to this URL: its query (system parameters,
    /// timestamp, sign) is checked too. `.http` inputs carry their own query and ignore it.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Verify the `sign` of whole requests with the app secret in this environment variable
    /// (the Qimen app secret, or the wdt 企业版 appsecret for openapi2 requests).
    #[arg(long, value_name = "VAR", conflicts_with = "secret_file")]
    secret_env: Option<String>,
    /// Verify the `sign` of whole requests with the app secret in this file (one trailing
    /// newline ignored, at most 64 KiB).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Check request timestamps against this moment, `yyyy-MM-dd HH:mm:ss` in GMT+8, or `now`
    /// for the system clock. Without it, the timestamp window is not checked.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
    /// Allowed timestamp skew in seconds, either way, for every request (default: each
    /// protocol's own, 600 for Qimen as TOP allows, 300 for wdt openapi2; `SpiUtils` receivers
    /// check 300). Overrides the profile's.
    #[arg(long, value_name = "SECONDS")]
    timestamp_window: Option<i64>,
    /// Report plain-text personal data (rule `privacy.plaintext`): `oaid` only next to an OAID
    /// (the default, a warning), `warn` everywhere as warnings, `forbid` everywhere as errors.
    /// Overrides the profile's.
    #[arg(long, value_enum)]
    privacy: Option<PrivacyArg>,
    #[command(flatten)]
    profile: profile::ProfileArgs,
    /// List at most this many issues per file, the first in document order; the rest are
    /// counted (`… and N more issues`, `"omitted"` in JSON) and still decide the exit code.
    #[arg(long, value_name = "N", default_value_t = qmwire::options::DEFAULT_MAX_ISSUES)]
    max_issues: usize,
    /// Lint this many files at a time (default: the available parallelism, all cores). The
    /// output is the same whatever the number: files in sorted path order.
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Files or directories (searched recursively for `*.xml`, `*.http`, `*.json` and `*.form`,
    /// each directory once even through symbolic links);
    /// `-` reads standard input. `*.http` files, and inputs that start with an HTTP request
    /// line, are linted as whole requests (Qimen, or wdt openapi2 / Qimen custom); several
    /// requests in one file are separated by `###` lines. JSON is wdt business
    /// JSON, `key=value&…` a wdt form body, anything else Qimen XML.
    #[arg(required = true)]
    paths: Vec<String>,
}

/// The decoding limits, for every document of every input.
#[derive(clap::Args)]
struct LimitArgs {
    /// Largest accepted input in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    max_bytes: usize,
    /// Deepest accepted element nesting (JSON: objects and arrays); at most 512, a larger
    /// value counts as 512.
    #[arg(long, default_value_t = Limits::default().max_depth)]
    max_depth: u32,
    /// Most children accepted in one list element.
    #[arg(long, default_value_t = Limits::default().max_list_items)]
    max_list_items: u32,
    /// Most list items, map entries and elements or keys outside the contract in one whole
    /// document, all lists together (bounds the memory a document can cost).
    #[arg(long, default_value_t = Limits::default().max_items)]
    max_items: u32,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            max_list_items: self.max_list_items,
            max_items: self.max_items,
        }
    }
}

/// The shape a path's extension hints at (`.http`, `.json`, `.form`); the content decides the
/// rest.
fn shape_hint(path: &str) -> Option<Shape> {
    Path::new(path)
        .extension()
        .and_then(|e| Shape::from_extension(&e.to_string_lossy()))
        .filter(|s| *s != Shape::Xml)
}

#[derive(Clone, Copy, ValueEnum)]
enum PrivacyArg {
    Oaid,
    Warn,
    Forbid,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style text.
    Human,
    /// One JSON document on standard output.
    Json,
    /// One SARIF 2.1.0 log (GitHub and GitLab code scanning).
    Sarif,
    /// One JUnit XML report (Jenkins and GitLab test reports).
    Junit,
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli: Cli = match clap_zh::parse(&args, lang::before_parsing(&args)) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    lang::init(cli.lang);
    match cli.command {
        Command::Lint(args) => lint(args),
        Command::Explain { rule } => explain(rule.as_deref()),
        Command::Sign { target } => sign::run(target),
        Command::Verify {
            show_expected,
            target,
        } => sign::run_verify(target, show_expected),
        Command::Convert { target } => convert::run(target),
        Command::Redact(args) => redact::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Profile { command } => profile::run(command),
        Command::Serve(args) => serve::run(args),
        Command::Methods => {
            let mut out = String::new();
            for flow in Flow::ALL {
                let qimen = METHODS.iter().filter(|m| m.flow == flow);
                let wdt = WDT_METHODS.iter().filter(|m| m.flow == flow);
                let kingdee = KINGDEE_METHODS.iter().filter(|m| m.flow == flow);
                let lang = lang::get();
                let rows: Vec<(&str, &str, &str)> = qimen
                    .map(|m| (m.method, "", m.title_in(lang)))
                    .chain(wdt.map(|m| (m.method, "wdt: ", m.title_in(lang))))
                    .chain(kingdee.map(|m| (m.method, "金蝶: ", m.title_in(lang))))
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("{}\n", flow.heading_in(lang::get())));
                for (method, prefix, title) in rows {
                    out.push_str(&format!("  {method:<42} {prefix}{title}\n"));
                }
            }
            print_all(&out)
        }
    }
}

/// Writes `text` to standard output; a closed pipe (`| head`) ends quietly, not with a panic.
pub(crate) fn print_all(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

fn explain(rule: Option<&str>) -> ExitCode {
    let lang = lang::get();
    match rule {
        None => {
            let mut out = String::new();
            for r in RULES {
                out.push_str(&format!(
                    "{:<20} {:<8} {}\n",
                    r.id,
                    r.severity.to_string(),
                    r.summary_in(lang)
                ));
            }
            print_all(&out)
        }
        Some(id) => match qmwire::rules::rule(id) {
            Some(r) => print_all(&format!(
                "{} ({}): {}\n",
                r.id,
                r.severity,
                r.summary_in(lang)
            )),
            None => {
                eprintln!(
                    "qmwire: {}",
                    match lang {
                        qmwire::Lang::Zh =>
                            format!("没有规则 `{id}`；`qmwire explain` 会列出所有规则"),
                        _ => format!("no rule `{id}`; `qmwire explain` lists them"),
                    }
                );
                ExitCode::from(2)
            }
        },
    }
}

/// Expands directories into the `*.xml`, `*.http`, `*.json` and `*.form` files below them,
/// sorted for stable output. Symbolic links are followed, but each directory is walked at most
/// once (by its canonical path), so a link back up the tree (`a -> .`) ends the walk instead of
/// looping for ever.
fn collect(path: &str, out: &mut Vec<String>) -> io::Result<()> {
    if path == "-" {
        out.push(path.to_string());
        return Ok(());
    }
    let p = Path::new(path);
    if !p.is_dir() {
        out.push(path.to_string());
        return Ok(());
    }
    let mut found: Vec<PathBuf> = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![p.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !visited.insert(std::fs::canonicalize(&dir)?) {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| {
                ["xml", "http", "json", "form"]
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            }) {
                found.push(path);
            }
        }
    }
    found.sort();
    out.extend(found.into_iter().map(|p| p.to_string_lossy().into_owned()));
    Ok(())
}

/// Reads `path` (`-`: standard input), at most `max_bytes + 1` bytes: enough for the library to
/// tell that an input is over the limit without holding more of it in memory.
fn read(path: &str, max_bytes: usize) -> io::Result<Vec<u8>> {
    let bound = (max_bytes as u64).saturating_add(1);
    let mut buf = Vec::new();
    if path == "-" {
        io::stdin().lock().take(bound).read_to_end(&mut buf)?;
    } else {
        std::fs::File::open(path)?
            .take(bound)
            .read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// What reading and linting one input gave: its text (lossy UTF-8) and report, or the I/O error.
type Linted = io::Result<(String, Report)>;

/// Reads and lints one input (already read when it is standard input), its shape hinted by the
/// file extension.
fn lint_one(path: &str, bytes: io::Result<Vec<u8>>, options: &mut Options) -> Linted {
    let bytes = bytes?;
    options.shape = shape_hint(path);
    let report = qmwire::lint(&bytes, options);
    Ok((String::from_utf8_lossy(&bytes).into_owned(), report))
}

/// Reads and lints every path on up to `jobs` threads, and gives the results in the order of
/// `paths`, so the output does not depend on the number of threads or on their timing.
///
/// Standard input (`-`) is read first, on this thread and in order, so that a second `-` reads
/// what is left of it (nothing) exactly as a one-thread run would. The other files go to
/// scoped threads that take the next index from a shared counter: one slow file does not hold
/// up a fixed share of the rest.
fn lint_all(paths: &[String], options: &Options, jobs: usize) -> Vec<Linted> {
    let max_bytes = options.limits.max_bytes;
    let mut stdin: Vec<Option<io::Result<Vec<u8>>>> = paths
        .iter()
        .map(|p| (p == "-").then(|| read(p, max_bytes)))
        .collect();
    let jobs = jobs.clamp(1, paths.len().max(1));
    if jobs == 1 {
        let mut options = options.clone();
        return paths
            .iter()
            .zip(stdin)
            .map(|(path, pre)| {
                let bytes = pre.unwrap_or_else(|| read(path, max_bytes));
                lint_one(path, bytes, &mut options)
            })
            .collect();
    }
    let stdin: Vec<std::sync::Mutex<Option<io::Result<Vec<u8>>>>> =
        stdin.drain(..).map(std::sync::Mutex::new).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Linted>> = paths.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut options = options.clone();
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        let pre = stdin[i].lock().map_or(None, |mut slot| slot.take());
                        let bytes = pre.unwrap_or_else(|| read(path, max_bytes));
                        done.push((i, lint_one(path, bytes, &mut options)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
                // A panic in the library is a bug; surface it as a one-thread run would.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every index is taken by one worker"))
        .collect()
}

fn lint(args: LintArgs) -> ExitCode {
    if let Some(m) = &args.method {
        if qmwire::qimen::detect::method(m).is_none()
            && qmwire::model::wdt::method(m).is_none()
            && qmwire::model::kingdee::method(m).is_none()
        {
            eprintln!(
                "qmwire: {}",
                match lang::get() {
                    qmwire::Lang::Zh => format!("未知的方法 `{m}`；已知的方法有："),
                    _ => format!("unknown method `{m}`; known methods:"),
                }
            );
            for m in METHODS {
                eprintln!("  {}", m.method);
            }
            for m in WDT_METHODS {
                eprintln!("  {} (wdt)", m.method);
            }
            for m in KINGDEE_METHODS {
                eprintln!("  {} (金蝶)", m.method);
            }
            return ExitCode::from(2);
        }
    }
    let now = match args.now.as_deref() {
        None => None,
        Some("now") => Some(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        ),
        Some(t) => match qmwire::wire::timestamp::parse_qimen(t) {
            Ok(n) => Some(n),
            Err(e) => {
                match lang::get() {
                    qmwire::Lang::Zh => eprintln!("qmwire: --now：{}，或者 `now`", e.zh()),
                    _ => eprintln!("qmwire: --now: {e}, or `now`"),
                }
                return ExitCode::from(2);
            }
        },
    };
    let secret = if args.secret_env.is_some() || args.secret_file.is_some() {
        match secret::read_secret(args.secret_env.as_deref(), args.secret_file.as_deref()) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("qmwire: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let mut options = Options::new()
        .with_limits(args.limits.limits())
        .with_max_issues(args.max_issues);
    match args.profile.load() {
        Ok(Some(profile)) => options = options.with_profile(profile),
        Ok(None) => {}
        Err(e) => {
            eprintln!("qmwire: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(privacy) = args.privacy {
        options = options.with_privacy(match privacy {
            PrivacyArg::Oaid => PrivacyCheck::Oaid,
            PrivacyArg::Warn => PrivacyCheck::Warn,
            PrivacyArg::Forbid => PrivacyCheck::Forbid,
        });
    }
    if let Some(window) = args.timestamp_window {
        options = options.with_timestamp_window(window);
    }
    options.method = args.method;
    options.secret = secret.map(Secret::new);
    options.now = now;
    options.url = args.url;
    let mut io_failed = false;
    let mut paths = Vec::new();
    for p in &args.paths {
        if let Err(e) = collect(p, &mut paths) {
            eprintln!("qmwire: {}", convert::file_error(p, &e));
            io_failed = true;
        }
    }
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let mut linted: Vec<(String, String, Report)> = Vec::new();
    let results = lint_all(&paths, &options, jobs);
    for (path, result) in paths.into_iter().zip(results) {
        match result {
            Ok((text, report)) => linted.push((path, text, report)),
            Err(e) => {
                eprintln!("qmwire: {}", convert::file_error(&path, &e));
                io_failed = true;
            }
        }
    }
    let files: Vec<FileReport<'_>> = linted
        .iter()
        .map(|(path, input, report)| FileReport {
            path,
            input,
            report,
        })
        .collect();
    let lang = lang::get();
    let output = match args.format {
        Format::Human => render::human::render_in(&files, lang),
        Format::Json => format!("{}\n", render::json::render_in(&files, lang)),
        Format::Sarif => format!("{}\n", render::sarif::render_in(&files, !io_failed, lang)),
        Format::Junit => render::junit::render_in(&files, lang),
    };
    let mut stdout = io::stdout().lock();
    if stdout
        .write_all(output.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    if io_failed {
        ExitCode::from(2)
    } else if files.iter().any(|f| !f.report.is_valid()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
