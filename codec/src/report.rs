//! What linting reports: the protocol, the method, and every issue with a stable rule id, a
//! severity, a wire path and a span in the caller's input.

use crate::wire::span::Span;
use std::fmt;

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The message breaks the contract; the other side may reject it.
    Error,
    /// Suspicious but accepted (e.g. an element the contract does not define).
    Warning,
    /// Worth knowing, never a failure: what a counterparty profile recommends, or a rule a
    /// profile lowered to `info`.
    Info,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Stable rule id, e.g. `enum` or `max-length` (see [`crate::rules::RULES`]).
    pub rule: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// Wire path, e.g. `/request/orderLines/orderLine[2]/planQty` (1-based indexes).
    pub path: String,
    /// The offending bytes (the value; for a missing field, the parent's start tag).
    pub span: Span,
    /// What was expected and what was found, in English. Never contains a personal value.
    pub message: String,
    /// The same in Chinese, naming the field by its Chinese label; `None` where no Chinese
    /// text was written for it (then [`Issue::message_in`] falls back to English, and a test
    /// over the fixtures fails).
    pub message_zh: Option<String>,
}

impl Issue {
    /// The message in `lang` (English when no Chinese text was written for this issue).
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }
}

/// The language of messages, rule summaries and CLI text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// `en` or `zh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `zh` or `en` (ASCII case ignored); `None` for anything else.
    pub fn parse(name: &str) -> Option<Lang> {
        if name.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else if name.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language a POSIX locale asks for: the first non-empty of `LC_ALL`, `LC_MESSAGES`
    /// and `LANG` (in that order, as given) decides; a value starting with `zh` gives Chinese,
    /// anything else (or none) English.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        match [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
        {
            Some(v) if v.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")) => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// Picks `en` or `zh` by this language.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An issue message in both languages, as rule code builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Msg {
    /// English.
    pub en: String,
    /// Chinese, when written.
    pub zh: Option<String>,
}

impl Msg {
    /// A message written in both languages.
    pub(crate) fn new(en: String, zh: String) -> Msg {
        Msg { en, zh: Some(zh) }
    }
}

impl From<String> for Msg {
    /// An English-only message (its Chinese is missing; a fixture test catches it).
    fn from(en: String) -> Msg {
        Msg { en, zh: None }
    }
}

/// Which protocol an input speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// Qimen (奇门): XML bodies, TOP-signed requests.
    Qimen,
    /// wdt (旺店通): business JSON, form posts, openapi2 or Qimen-custom requests.
    Wdt,
    /// 金蝶云星空 (Kingdee K/3 Cloud): WebAPI Save/BatchSave bodies and their replies.
    Kingdee,
    /// A `.http` file holding requests of both protocols.
    Mixed,
}

impl Protocol {
    /// `qimen`, `wdt`, `kingdee` or `mixed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Qimen => "qimen",
            Protocol::Wdt => "wdt",
            Protocol::Kingdee => "kingdee",
            Protocol::Mixed => "mixed",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of linting one input: every issue, with spans in the input's own coordinates.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// The protocol the input speaks.
    pub protocol: Protocol,
    /// Full method (or wdt API) name, when known.
    pub method: Option<&'static str>,
    /// The root element of the decoded Qimen body (`request`, `response`, `error_response`),
    /// when decoding got that far.
    pub root: Option<&'static str>,
    /// Whether the method was detected from the document's shape.
    pub detected: bool,
    /// Every issue, in document order (request-level issues first); at most
    /// [`crate::Options::max_issues`] of them from [`crate::lint`].
    pub issues: Vec<Issue>,
    /// How many issues were found after the first [`crate::Options::max_issues`] and left out
    /// of [`Report::issues`]. [`Report::errors`], [`Report::warnings`] and
    /// [`Report::is_valid`] still count them.
    pub omitted: usize,
    /// How many of the [`Report::omitted`] issues are errors.
    pub omitted_errors: usize,
    /// How many of the [`Report::omitted`] issues are infos (the rest are warnings).
    pub omitted_infos: usize,
    /// Spans of personal values, so renderers can hide them when quoting source lines.
    /// `None` when the document could not be decoded (renderers must then hide all text).
    pub personal_spans: Option<Vec<Span>>,
    /// The counterparty profile the input was linted under, and what it changed.
    pub profile: Option<ProfileUse>,
}

/// What a counterparty profile did to one report: which profile, and every rule whose level it
/// changed that fired (or would have fired, for a rule it turned off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProfileUse {
    /// The profile's id (`jxwms`).
    pub id: String,
    /// One entry per rule and change of level the profile made, in the order first met.
    pub changed: Vec<RuleChange>,
}

/// A rule a profile re-levelled, as it fired in one report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleChange {
    /// The rule id.
    pub rule: &'static str,
    /// The severity the issues had before the profile (the rule's default, or what a field
    /// overlay said).
    pub from: Severity,
    /// The level the profile gave them: `None` for `off` (the issues were dropped).
    pub to: Option<Severity>,
    /// How many issues it changed.
    pub count: usize,
}

impl Report {
    /// A report of `protocol` with nothing in it yet.
    pub fn empty(protocol: Protocol) -> Report {
        Report {
            protocol,
            method: None,
            root: None,
            detected: false,
            issues: Vec::new(),
            omitted: 0,
            omitted_errors: 0,
            omitted_infos: 0,
            personal_spans: None,
            profile: None,
        }
    }

    /// Number of errors, listed or [omitted](Report::omitted).
    pub fn errors(&self) -> usize {
        self.count(Severity::Error) + self.omitted_errors
    }

    /// Number of warnings, listed or [omitted](Report::omitted).
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning) + (self.omitted - self.omitted_errors - self.omitted_infos)
    }

    /// Number of infos, listed or [omitted](Report::omitted).
    pub fn infos(&self) -> usize {
        self.count(Severity::Info) + self.omitted_infos
    }

    /// Keeps the first `max` issues and counts the rest in [`Report::omitted`] and
    /// [`Report::omitted_errors`].
    pub(crate) fn keep_first(&mut self, max: usize) {
        if self.issues.len() <= max {
            return;
        }
        let rest = self.issues.split_off(max);
        self.omitted += rest.len();
        let count = |s: Severity| rest.iter().filter(|i| i.severity == s).count();
        self.omitted_errors += count(Severity::Error);
        self.omitted_infos += count(Severity::Info);
    }

    /// Appends `issues` while fewer than `max` are listed, and counts the others in
    /// [`Report::omitted`] and [`Report::omitted_errors`].
    pub(crate) fn push_within(&mut self, max: usize, issues: impl IntoIterator<Item = Issue>) {
        for issue in issues {
            if self.issues.len() < max {
                self.issues.push(issue);
            } else {
                self.omitted += 1;
                self.omitted_errors += usize::from(issue.severity == Severity::Error);
                self.omitted_infos += usize::from(issue.severity == Severity::Info);
            }
        }
    }

    /// Adds `other`'s listed issues after this report's, and its omitted counts to these.
    pub(crate) fn absorb(&mut self, other: Report) {
        self.issues.extend(other.issues);
        self.omitted += other.omitted;
        self.omitted_errors += other.omitted_errors;
        self.omitted_infos += other.omitted_infos;
    }

    fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count()
    }

    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors() == 0
    }
}
