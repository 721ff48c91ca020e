//! The command line itself in Chinese: the help of every command and argument, and the errors
//! of parsing it. clap writes both in English only, so under `--lang zh` the parser is built
//! from the same derive definitions with every text swapped for the one in [`texts`], and a
//! parse error is worded here from its kind and context (the exit code stays clap's: 2, or 0
//! for `--help` and `--version`).
//!
//! The English command line is clap's own, untouched.

mod texts;

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use std::ffi::OsString;
use std::process::ExitCode;

use texts::text;

/// The help layout, as clap's own but with the usage heading in Chinese.
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Parses `args` with the command `T` describes, in `lang`; on an error or a help request,
/// prints what clap would (in that language) and gives the exit code to end with.
pub(crate) fn parse<T: clap::Parser>(args: &[OsString], lang: qmwire::Lang) -> Result<T, ExitCode> {
    if lang == qmwire::Lang::En {
        return Ok(T::parse_from(args));
    }
    let cmd = localise(T::command());
    let result = cmd
        .try_get_matches_from(args)
        .and_then(|m| T::from_arg_matches(&m));
    result.map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        // The command's help (already Chinese), printed in place of an error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            eprint!("{}", message(&e));
            ExitCode::from(2)
        }
    })
}

/// `cmd` (built: help flags, `help` subcommands and global arguments in place) with every
/// text in Chinese.
pub(crate) fn localise(mut cmd: Command) -> Command {
    cmd.build();
    localise_command(cmd, "")
}

/// The key of the subcommand `name` of the command at `path` (`""` for the root).
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path} {name}")
    }
}

/// The key of a command's own texts: every `help` subcommand has the key `help`, and the
/// copies of the tree under one (`help sign qimen`, `sign help qimen`) share the texts of the
/// commands they stand for.
fn own_key(path: &str) -> String {
    if path == "help" || path.ends_with(" help") {
        return "help".into();
    }
    path.split(' ')
        .filter(|w| *w != "help")
        .collect::<Vec<_>>()
        .join(" ")
}

fn localise_command(cmd: Command, path: &str) -> Command {
    let key = own_key(path);
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .mut_args(|a| localise_arg(a, &key))
        .mut_subcommands(|s| {
            let sub = join(path, s.get_name());
            localise_command(s, &sub)
        });
    if let Some(about) = text(&key) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    cmd
}

/// The text of argument `id` of the command at `path`: its own, else the one shared by every
/// command that has an argument of that id (flattened groups, global flags).
pub(crate) fn arg_text(path: &str, id: &str) -> Option<&'static str> {
    text(&format!("{path}:{id}")).or_else(|| text(&format!(":{id}")))
}

/// The text of value `value` of argument `id`.
pub(crate) fn value_text(path: &str, id: &str, value: &str) -> Option<&'static str> {
    text(&format!("{path}:{id}={value}")).or_else(|| text(&format!(":{id}={value}")))
}

fn localise_arg(a: Arg, path: &str) -> Arg {
    let id = a.get_id().as_str().to_string();
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let a = a.help_heading(heading);
    let Some(help) = arg_text(path, &id) else {
        return a;
    };
    let values: Vec<PossibleValue> = a
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let mut short = help.to_string();
    let mut long = help.to_string();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let takes_value = a.get_action().takes_values();
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short.push_str(&format!(" [可选值：{}]", names.join("、")));
        let described: Vec<String> = values
            .iter()
            .map(|v| match value_text(path, &id, v.get_name()) {
                Some(t) => format!("  - {}：{t}", v.get_name()),
                None => format!("  - {}", v.get_name()),
            })
            .collect();
        long.push_str(&format!("\n\n可选值：\n{}", described.join("\n")));
    }
    if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
        let d = format!(" [默认：{}]", defaults.join("、"));
        short.push_str(&d);
        if values.is_empty() {
            long.push_str(&d);
        } else {
            long.push_str(&format!("\n\n默认：{}", defaults.join("、")));
        }
    }
    a.help(short)
        .long_help(long)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// A parse error in Chinese: what is wrong, the suggestion clap found, the usage and where to
/// read more, laid out as clap lays out its English.
fn message(e: &clap::Error) -> String {
    let string = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let strings = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(list)) => list.clone(),
        _ => Vec::new(),
    };
    let number = |kind| match e.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let arg = string(ContextKind::InvalidArg).unwrap_or_default();
    let value = string(ContextKind::InvalidValue).unwrap_or_default();
    let mut out = String::from("错误：");
    match e.kind() {
        ErrorKind::ArgumentConflict => {
            let prior = strings(ContextKind::PriorArg);
            if prior.len() == 1 && prior[0] == arg {
                out.push_str(&format!("参数 `{arg}` 只能给一次"));
            } else if let Some(sub) = string(ContextKind::InvalidSubcommand) {
                out.push_str(&format!(
                    "子命令 `{sub}` 不能与 {} 同时使用",
                    quoted(&prior)
                ));
            } else if prior.is_empty() {
                out.push_str(&format!("参数 `{arg}` 与其他给出的参数冲突"));
            } else {
                out.push_str(&format!("参数 `{arg}` 不能与 {} 同时使用", quoted(&prior)));
            }
        }
        ErrorKind::NoEquals => out.push_str(&format!("给 `{arg}` 赋值时要用等号（`{arg}=…`）")),
        ErrorKind::InvalidValue if value.is_empty() => {
            out.push_str(&format!("`{arg}` 需要一个值，却没有给出"));
            valid_values(&mut out, &strings(ContextKind::ValidValue));
        }
        ErrorKind::InvalidValue => {
            out.push_str(&format!("`{arg}` 的值 `{value}` 无效"));
            valid_values(&mut out, &strings(ContextKind::ValidValue));
        }
        ErrorKind::ValueValidation => {
            // Every validated argument of qmwire takes a whole number (a count, a size, a
            // number of seconds).
            let why = if value.trim().parse::<i128>().is_ok() {
                "超出允许的范围"
            } else {
                "应为整数"
            };
            out.push_str(&format!("`{arg}` 的值 `{value}` 无效：{why}"));
        }
        ErrorKind::InvalidSubcommand => {
            let sub = string(ContextKind::InvalidSubcommand).unwrap_or_default();
            out.push_str(&format!("没有 `{sub}` 这个子命令"));
        }
        ErrorKind::MissingRequiredArgument => {
            out.push_str("缺少以下必需的参数：");
            for a in strings(ContextKind::InvalidArg) {
                out.push_str(&format!("\n  {a}"));
            }
        }
        ErrorKind::MissingSubcommand => {
            let sub = string(ContextKind::InvalidSubcommand).unwrap_or_default();
            out.push_str(&format!("`{sub}` 后面需要一个子命令"));
            let subs = strings(ContextKind::ValidSubcommand);
            if !subs.is_empty() {
                out.push_str(&format!("\n  可用的子命令：{}", quoted(&subs)));
            }
        }
        ErrorKind::InvalidUtf8 => out.push_str("参数不是有效的 UTF-8"),
        ErrorKind::TooManyValues => {
            out.push_str(&format!("`{arg}` 不接受更多的值，却又给了 `{value}`"))
        }
        ErrorKind::TooFewValues => out.push_str(&format!(
            "`{arg}` 需要 {} 个值，只给了 {} 个",
            number(ContextKind::MinValues).unwrap_or(0),
            number(ContextKind::ActualNumValues).unwrap_or(0)
        )),
        ErrorKind::WrongNumberOfValues => out.push_str(&format!(
            "`{arg}` 需要 {} 个值，实际给了 {} 个",
            number(ContextKind::ExpectedNumValues).unwrap_or(0),
            number(ContextKind::ActualNumValues).unwrap_or(0)
        )),
        ErrorKind::UnknownArgument => out.push_str(&format!("没有 `{arg}` 这个参数")),
        _ => out.push_str("命令行参数有误"),
    }
    let mut hints = Vec::new();
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "子命令"),
        (ContextKind::SuggestedArg, "参数"),
        (ContextKind::SuggestedValue, "值"),
    ] {
        let found = strings(kind);
        if !found.is_empty() {
            hints.push(format!("  提示：有类似的{what}：{}", quoted(&found)));
        }
    }
    if e.kind() == ErrorKind::UnknownArgument && arg.starts_with('-') && hints.is_empty() {
        hints.push(format!(
            "  提示：如果 `{arg}` 是一个值而不是选项，请在它前面加 `--`（`-- {arg}`）"
        ));
    }
    if !hints.is_empty() {
        out.push_str("\n\n");
        out.push_str(&hints.join("\n"));
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim_start();
        out.push_str(&format!("\n\n用法：{usage}"));
    }
    out.push_str("\n\n想了解更多，请用 `--help`。\n");
    out
}

/// `` `a`、`b` ``.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join("、")
}

fn valid_values(out: &mut String, values: &[String]) {
    if !values.is_empty() {
        out.push_str(&format!("\n  可选值：{}", quoted(values)));
    }
}

#[cfg(test)]
mod tests {
    use super::texts::TEXTS;
    use super::*;
    use clap::CommandFactory;

    /// Every command (by its key) and every argument (command key, id) of the built tree.
    fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, Option<String>, Vec<String>)>) {
        let key = own_key(path);
        out.push((key.clone(), None, Vec::new()));
        for a in cmd.get_arguments() {
            let values = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            out.push((key.clone(), Some(a.get_id().to_string()), values));
        }
        for s in cmd.get_subcommands() {
            walk(s, &join(path, s.get_name()), out);
        }
    }

    fn tree() -> Vec<(String, Option<String>, Vec<String>)> {
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut out = Vec::new();
        walk(&cmd, "", &mut out);
        out
    }

    fn chinese(t: &str) -> bool {
        t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_command_argument_and_value_has_chinese_help() {
        let mut missing = Vec::new();
        for (path, id, values) in tree() {
            match &id {
                None => {
                    if !text(&path).is_some_and(chinese) {
                        missing.push(format!("`{path}`"));
                    }
                }
                Some(id) => {
                    if !arg_text(&path, id).is_some_and(chinese) {
                        missing.push(format!("`{path}:{id}`"));
                    }
                    for v in values {
                        if !value_text(&path, id, &v).is_some_and(chinese) {
                            missing.push(format!("`{path}:{id}={v}`"));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no Chinese text for {}",
            missing.join(", ")
        );
    }

    #[test]
    fn every_text_is_used() {
        let tree = tree();
        let used = |key: &str| {
            tree.iter()
                .any(|(path, id, values)| match (id, key.split_once(':')) {
                    (None, None) => path == key,
                    (Some(id), Some((p, rest))) => {
                        let (a, v) = rest
                            .split_once('=')
                            .map_or((rest, None), |(a, v)| (a, Some(v)));
                        (p.is_empty() || p == path)
                            && a == id
                            && v.is_none_or(|v| values.iter().any(|x| x == v))
                    }
                    _ => false,
                })
        };
        let unused: Vec<&str> = TEXTS.iter().map(|(k, _)| *k).filter(|k| !used(k)).collect();
        assert!(unused.is_empty(), "texts for nothing: {unused:?}");
        let mut keys: Vec<&str> = TEXTS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TEXTS.len(), "a key is listed twice");
    }

    #[test]
    fn the_localised_tree_has_no_english_help_left() {
        let cmd = localise(crate::Cli::command());
        fn check(cmd: &Command, path: &str, bad: &mut Vec<String>) {
            if !cmd.get_about().is_some_and(|a| chinese(&a.to_string())) {
                bad.push(path.to_string());
            }
            for a in cmd.get_arguments() {
                if !a.get_help().is_some_and(|h| chinese(&h.to_string())) {
                    bad.push(format!("{path}:{}", a.get_id()));
                }
            }
            for s in cmd.get_subcommands() {
                check(s, &join(path, s.get_name()), bad);
            }
        }
        let mut bad = Vec::new();
        check(&cmd, "", &mut bad);
        assert!(bad.is_empty(), "still English: {bad:?}");
        let help = cmd.clone().render_long_help().to_string();
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print help",
        ] {
            assert!(!help.contains(english), "{english} in\n{help}");
        }
    }
}
