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

/// Fixes the language for the run: `arg` when given, else the locale's.
pub(crate) fn init(arg: Option<LangArg>) {
    let lang = match arg {
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
    };
    let _ = LANG.set(lang);
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
