//! `qmwire redact`: rewrite the personal values of one message (Qimen XML, wdt JSON, a wdt form
//! body, or a whole Qimen or wdt HTTP request) and write the result; every other byte stays as
//! it was. Broken input gives exit 2 and no output at all. Notes (a `sign` that no longer
//! matches) go to standard error and do not change the exit code.

use crate::LimitArgs;
use clap::{Args, ValueEnum};
use qmwire::redact::{Policy, Redactor};
use qmwire::Options;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct RedactArgs {
    /// What personal values become: masked with `*` (`李**`, `139****5678`), a keyed token
    /// (`qmh_…`, the same value gives the same token under the same key), or nothing.
    #[arg(long, value_enum, default_value_t = PolicyArg::Mask)]
    policy: PolicyArg,
    /// For `--policy hash`: the environment variable holding the key (never given on the
    /// command line).
    #[arg(long, value_name = "VAR")]
    key_env: Option<String>,
    /// Method of the message, full or short (`deliveryorder.create`). Without it, a whole
    /// request's `method` parameter or the document's shape decides.
    #[arg(long, short)]
    method: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
    /// Redact under a counterparty profile too: the fields it adds with a personal-data class
    /// are rewritten like the contract's own (see `lint --profile`).
    #[command(flatten)]
    profile: crate::profile::ProfileArgs,
    /// Write the result to this file instead of standard output (only when redaction succeeds).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The message: Qimen XML, wdt JSON (`.json`), a wdt form body (`.form`) or a whole HTTP
    /// request or several (`.http`); `-` (the default) reads standard input. The extension is a
    /// hint and the content decides the rest, as for `qmwire lint`.
    #[arg(default_value = "-")]
    input: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum PolicyArg {
    Mask,
    Hash,
    Drop,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("qmwire: {message}");
    ExitCode::from(2)
}

/// Runs `qmwire redact`.
pub(crate) fn run(args: RedactArgs) -> ExitCode {
    let policy = match args.policy {
        PolicyArg::Mask => Policy::Mask,
        PolicyArg::Hash => Policy::Hash,
        PolicyArg::Drop => Policy::Drop,
    };
    let key = match (policy, &args.key_env) {
        (Policy::Hash, None) => {
            return fail(crate::lang::pick(
                "`--policy hash` needs a key: give `--key-env VAR` (the key is read from that environment variable)",
                "`--policy hash` 需要密钥：请用 `--key-env VAR` 给出（密钥从这个环境变量读取）",
            ))
        }
        // The errors name the flag, never its argument: it may be the key, given by mistake.
        (Policy::Hash, Some(var)) => match crate::secret::from_env(var, "--key-env") {
            Err(e) => return fail(e),
            Ok(v) if v.is_empty() => {
                return fail(crate::lang::pick(
                    "the environment variable given to --key-env is empty",
                    "--key-env 指定的环境变量是空的",
                ))
            }
            Ok(v) => Some(v.into_encoded_bytes()),
        },
        _ => None,
    };
    let redactor = match Redactor::new(policy, key.as_deref()) {
        Ok(r) => r,
        Err(e) => return fail(crate::lang::say(|| e.to_string(), || e.zh())),
    };
    let limits = args.limits.limits();
    let bytes = crate::read(&args.input, limits.max_bytes);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail(crate::convert::file_error(&args.input, &e)),
    };
    let mut options = Options::new().with_limits(limits);
    match args.profile.load() {
        Ok(Some(profile)) => options = options.with_profile(profile),
        Ok(None) => {}
        Err(e) => return fail(e),
    }
    options.method = args.method;
    options.shape = crate::shape_hint(&args.input);
    let result = qmwire::redact(&bytes, &options, &redactor);
    let redacted = match result {
        Ok(r) => r,
        Err(e) => {
            return fail(crate::lang::say(
                || format!("{}: {e}", args.input),
                || format!("{}：{}", args.input, e.zh()),
            ))
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &redacted.output)
            .map_err(|e| crate::convert::file_error(&path.display().to_string(), &e)),
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(&redacted.output)
                .and_then(|_| stdout.flush())
                .map_err(|e| {
                    crate::lang::say(
                        || format!("standard output: {e}"),
                        || format!("标准输出：{}", crate::lang::io_error(&e)),
                    )
                })
        }
    };
    match written {
        Ok(()) => {
            for note in &redacted.notes {
                match crate::lang::get() {
                    qmwire::Lang::Zh => eprintln!(
                        "qmwire: 注：{}：{}",
                        args.input,
                        qmwire::redact::note_zh(note)
                    ),
                    _ => eprintln!("qmwire: note: {}: {note}", args.input),
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
