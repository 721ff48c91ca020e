//! The language of everything the command prints: `--lang zh|en`, else the locale
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first non-empty one decides, `zh*` gives Chinese).

use qmwire::Lang;
use std::sync::OnceLock;

static LANG: OnceLock<Lang> = OnceLock::new();

/// `--lang`'s values.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum LangArg {
    /// Chinese (简体中文).
    Zh,
    /// English.
    En,
}

/// The language of the run as far as it can be known before the command line is parsed (for
/// its help and its errors): a `--lang zh|en` (`--lang=zh`) before any `--`, else the locale's.
pub(crate) fn before_parsing(args: &[std::ffi::OsString]) -> Lang {
    let mut given = None;
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word {
            Some("--") => break,
            Some("--lang") => words.next().flatten(),
            Some(w) => w.strip_prefix("--lang="),
            None => None,
        };
        given = given.or(match value {
            Some("zh") => Some(LangArg::Zh),
            Some("en") => Some(LangArg::En),
            _ => None,
        });
    }
    resolve(given)
}

/// `arg` when given, else the locale's language.
fn resolve(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => {
            let var = |name: &str| std::env::var(name).ok();
            Lang::from_locale(
                var("LC_ALL").as_deref(),
                var("LC_MESSAGES").as_deref(),
                var("LANG").as_deref(),
            )
        }
    }
}

/// Fixes the language for the run: `arg` when given, else the locale's.
pub(crate) fn init(arg: Option<LangArg>) {
    let _ = LANG.set(resolve(arg));
}

/// The run's language (English before [`init`]).
pub(crate) fn get() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// `en()` or `zh()`, by the run's language; only the one wanted is built.
pub(crate) fn say(en: impl FnOnce() -> String, zh: impl FnOnce() -> String) -> String {
    match get() {
        Lang::Zh => zh(),
        _ => en(),
    }
}

/// A query or form parameter error after the flag that gave the text (`--query: …`).
pub(crate) fn param_error(flag: &str, e: &qmwire::wire::params::ParamError) -> String {
    say(|| format!("{flag}: {e}"), || format!("{flag}：{}", e.zh()))
}

/// `en` or `zh`, by the run's language.
pub(crate) fn pick<'a>(en: &'a str, zh: &'a str) -> &'a str {
    get().pick(en, zh)
}

/// An operating-system I/O error in the run's language: the English is the system's own text;
/// the Chinese says the same for the kinds a user meets (a missing file, no permission, …)
/// and keeps the system's text in brackets for the rest.
pub(crate) fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if get() != Lang::Zh {
        return e.to_string();
    }
    let said = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::AlreadyExists => "文件已存在",
        K::InvalidData => "内容不是有效的 UTF-8 文本",
        K::BrokenPipe => "管道已关闭",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::FileTooLarge => "文件太大",
        K::Interrupted => "读写被中断",
        K::OutOfMemory => "内存不足",
        _ => return format!("读写出错（{e}）"),
    };
    said.to_string()
}
