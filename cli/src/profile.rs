//! `--profile NAME|PATH` and `--var k=v` for the commands that take a counterparty profile,
//! and `qmwire profile list|show|check`.

use clap::Subcommand;
use qmwire::profile::{Profile, BUILTINS};
use std::process::ExitCode;

/// The profile options shared by `lint` (and any command that honours a profile).
#[derive(clap::Args, Default)]
pub(crate) struct ProfileArgs {
    /// Lint under a counterparty profile: a built-in name (`qmwire profile list`) or a TOML
    /// file. It re-levels rules, adds or relaxes field requirements and checks what the
    /// counterparty expects of the request; see docs/profiles.md.
    #[arg(long, value_name = "NAME|PATH")]
    pub(crate) profile: Option<String>,
    /// A value for one of the profile's variables (a merchant's owner id, say; never a
    /// secret), `NAME=VALUE`; repeatable. Variables the profile ties to an environment
    /// variable are read from it otherwise.
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "profile")]
    pub(crate) vars: Vec<String>,
}

impl ProfileArgs {
    /// The profile asked for, with its variables filled in; `Err` holds the message for a
    /// profile that cannot be used (exit 2: a broken profile never silently disables a check).
    pub(crate) fn load(&self) -> Result<Option<Profile>, String> {
        let Some(name) = &self.profile else {
            return Ok(None);
        };
        let mut profile = Profile::open(name).map_err(|e| in_lang(&e))?;
        for var in &self.vars {
            // Only the part before any `=` is shown: the value is never echoed.
            let (k, v) = var.split_once('=').ok_or_else(|| {
                let name = var.split('=').next().unwrap_or("");
                crate::lang::say(
                    || format!("--var: expected NAME=VALUE, found `{name}`"),
                    || format!("--var：应为 NAME=VALUE，实际为 `{name}`"),
                )
            })?;
            profile.set_var(k, v).map_err(|e| in_lang(&e))?;
        }
        profile.vars_from_env(|name| std::env::var(name).ok());
        for var in profile.unset_vars() {
            match crate::lang::get() {
                qmwire::Lang::Zh => eprintln!(
                    "qmwire: 注意：对接方配置 `{}` 的变量 `{var}` 没有值（--var {var}=…）；与它比较的检查已跳过",
                    profile.id()
                ),
                _ => eprintln!(
                    "qmwire: note: profile `{}` has no value for variable `{var}` (--var {var}=…); the checks that compare against it are skipped",
                    profile.id()
                ),
            }
        }
        Ok(Some(profile))
    }
}

/// A profile error (file:line:column and what is wrong) in the run's language.
fn in_lang(e: &qmwire::profile::ProfileError) -> String {
    e.to_string_in(crate::lang::get())
}

/// `qmwire profile …`.
#[derive(Subcommand)]
pub(crate) enum ProfileCommand {
    /// List the built-in profiles.
    List,
    /// Print a profile: its summary, or with `--resolved` the whole profile merged over
    /// everything it extends, as TOML.
    Show {
        /// A built-in name or a TOML file.
        profile: String,
        /// Print the merged profile as TOML (it loads again as the same profile).
        #[arg(long)]
        resolved: bool,
    },
    /// Load a profile file and report the first problem (file:line:column) or `ok`; exit 2
    /// on a problem.
    Check {
        /// The TOML file.
        file: String,
    },
}

/// Runs `qmwire profile …`.
pub(crate) fn run(command: ProfileCommand) -> ExitCode {
    match command {
        ProfileCommand::List => {
            let mut out = String::new();
            for (name, _) in BUILTINS {
                match Profile::open(name) {
                    Ok(p) => out.push_str(&format!("{:<8} {}\n", name, p.title().unwrap_or(""))),
                    Err(e) => out.push_str(&crate::lang::say(
                        || format!("{name:<8} (broken: {e})\n"),
                        || format!("{name:<8} （已损坏：{}）\n", in_lang(&e)),
                    )),
                }
            }
            crate::print_all(&out)
        }
        ProfileCommand::Show { profile, resolved } => match Profile::open(&profile) {
            Ok(p) if resolved => crate::print_all(&p.resolved_toml()),
            Ok(p) => crate::print_all(&format!("{}\n", p.summary_in(crate::lang::get()))),
            Err(e) => {
                eprintln!("qmwire: {}", in_lang(&e));
                ExitCode::from(2)
            }
        },
        ProfileCommand::Check { file } => match Profile::from_file(std::path::Path::new(&file)) {
            Ok(p) => crate::print_all(&crate::lang::say(
                || format!("ok: {file} (profile `{}`)\n", p.id()),
                || format!("ok: {file}（对接方配置 `{}`）\n", p.id()),
            )),
            Err(e) => {
                eprintln!("qmwire: {}", in_lang(&e));
                ExitCode::from(2)
            }
        },
    }
}
