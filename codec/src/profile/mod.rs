//! Counterparty profiles: what one WMS or ERP demands on top of the standard contract, as a
//! TOML overlay that never edits the specs.
//!
//! A profile re-levels rules (`off`, `info`, `warn`, `error`), everywhere or for some paths;
//! overlays fields per method (required or not, one-of groups, a tighter length, codes added
//! or restricted, a value fixed to a literal or a per-merchant variable, a recommended value,
//! extra fields with their type, extra fields merely allowed); states what the counterparty
//! expects of the request around the body (method name form, `v`, `format`, sign methods and
//! policy, the customer-id parameter's spelling and value, Content-Type, timestamp window);
//! and sets the privacy level. Profiles extend others (`extends`, later wins); the built-ins
//! are [`BUILTINS`]. The loader is strict: an unknown key, rule id, method or path is an error
//! at its line and column, with a suggestion.
//!
//! ```
//! use qmwire::profile::Profile;
//! use qmwire::Options;
//!
//! let mut profile = Profile::open("jxwms").unwrap();
//! profile.set_var("owner_id", "OW01").unwrap();
//! let options = Options::new().with_profile(profile);
//! let xml = r#"<request><actionType>add</actionType><warehouseCode>W1</warehouseCode>
//!   <ownerCode>OW01</ownerCode><item><itemCode>SKU-1</itemCode><itemName>加湿器</itemName>
//!   <itemType>ZC</itemType></item></request>"#;
//! // Without the profile, `item/barCode` is required; 聚星 takes items without one.
//! assert!(!qmwire::lint(xml.as_bytes(), &Options::new()).is_valid());
//! assert!(qmwire::lint(xml.as_bytes(), &options).is_valid());
//! ```
//!
//! The format and both built-ins are described in `docs/profiles.md`.

mod apply;
mod format;
mod load;
mod overlay;
mod paths;
mod schema;
mod show;
mod texts;
pub(crate) mod transport;

pub(crate) use apply::{merge, relevel};
pub(crate) use overlay::{qimen_outcome, wdt_outcome};
pub use schema::apply_to_schema;

use crate::privacy::PrivacyCheck;
use crate::report::Severity;
use std::collections::BTreeMap;
use std::path::Path;

/// The profiles built into qmwire: name, and the TOML they are written in.
pub static BUILTINS: &[(&str, &str)] = &[
    ("jxwms", include_str!("../../profiles/jxwms.toml")),
    ("yptc", include_str!("../../profiles/yptc.toml")),
];

/// The names `extends` takes for the plain contracts, which change nothing.
const BASES: [&str; 2] = ["qimen", "wdt"];

/// The level a profile gives a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as [`Severity::Info`].
    Info,
    /// Reported as [`Severity::Warning`].
    Warn,
    /// Reported as [`Severity::Error`].
    Error,
}

impl Level {
    /// The severity issues get at this level; `None` for [`Level::Off`].
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    /// `off`, `info`, `warn` or `error`, as profiles spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// A problem in a profile file, located in it (`built-in jxwms` for a built-in one).
pub type ProfileError = crate::error::FileError;

/// A value a check compares against: written in the profile, or a variable (`${owner_id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expected {
    Literal(String),
    Var(String),
}

impl Expected {
    /// `value` as a message shows what a check expected: `` `OW01` (variable `owner_id`) ``
    /// when it came from a variable, `` `OW01` `` otherwise.
    pub(crate) fn describe(expected: Option<&Expected>, value: &str) -> String {
        match expected {
            Some(Expected::Var(name)) => format!("`{value}` (variable `{name}`)"),
            _ => format!("`{value}`"),
        }
    }

    /// [`Expected::describe`] in Chinese.
    pub(crate) fn describe_zh(expected: Option<&Expected>, value: &str) -> String {
        match expected {
            Some(Expected::Var(name)) => format!("`{value}`（变量 `{name}`）"),
            _ => format!("`{value}`"),
        }
    }
}

/// A variable a profile declares.
#[derive(Debug, Clone, Default)]
pub(crate) struct VarDecl {
    env: Option<String>,
    doc: Option<String>,
}

/// The form of the Qimen method name a counterparty takes.
pub(crate) use format::MethodName;
/// What a counterparty does with the `sign`.
pub(crate) use format::SignPolicy;

/// What the counterparty expects of the request around the body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Transport {
    pub(crate) endpoints: Option<format::Endpoints>,
    pub(crate) gateway: Option<bool>,
    pub(crate) method_name: Option<MethodName>,
    pub(crate) v: Option<String>,
    pub(crate) format: Option<String>,
    pub(crate) sign_methods: Option<Vec<String>>,
    pub(crate) sign: Option<SignPolicy>,
    pub(crate) customer_param: Option<String>,
    pub(crate) customer_equals: Option<Expected>,
    pub(crate) content_type: Option<String>,
    pub(crate) timestamp_window: Option<i64>,
}

/// The value kind of a field a profile adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtraKind {
    Str(Option<u32>),
    Integer,
    Decimal(u32),
    DateTime,
    Date,
    Time,
    Flag,
}

/// One field overlay, merged over the profiles it extends.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldOverlay {
    pub(crate) required: Option<bool>,
    pub(crate) severity: Option<Level>,
    pub(crate) any_of: Vec<Vec<String>>,
    pub(crate) max_chars: Option<u32>,
    pub(crate) enum_add: Vec<String>,
    pub(crate) enum_only: Option<Vec<String>>,
    pub(crate) equals: Option<Expected>,
    pub(crate) recommended: Option<String>,
    pub(crate) extra: Option<ExtraKind>,
    /// The personal-data class of a field the profile adds.
    pub(crate) privacy: Option<crate::model::privacy::Privacy>,
    pub(crate) doc: Option<String>,
    /// What `equals` compares against once variables have values (see [`Profile::bind`]).
    pub(crate) bound: Option<String>,
}

impl FieldOverlay {
    /// Whether the overlay checks nothing and relaxes nothing (a `doc`, a `severity` alone).
    pub(crate) fn is_inert(&self) -> bool {
        self.required.is_none() && !self.checks_more()
    }

    /// Whether all the overlay does is make a field the base contract requires optional.
    pub(crate) fn only_relaxes_required(&self) -> bool {
        self.required == Some(false) && !self.checks_more()
    }

    /// Whether the overlay does anything besides setting `required`.
    fn checks_more(&self) -> bool {
        !self.any_of.is_empty()
            || self.max_chars.is_some()
            || !self.enum_add.is_empty()
            || self.enum_only.is_some()
            || self.equals.is_some()
            || self.recommended.is_some()
            || self.extra.is_some()
            || self.privacy.is_some()
    }
}

/// The overlays of one body of a method (its request, or its reply).
#[derive(Debug, Clone, Default)]
pub(crate) struct SideOverlay {
    /// Extra elements accepted without a type, by path.
    pub(crate) allow: Vec<String>,
    /// Field overlays by path (no root, no indexes: `deliveryOrder/receiverInfo/mobile`).
    pub(crate) fields: BTreeMap<String, FieldOverlay>,
    /// Both as a tree, for the walk over a body.
    pub(crate) trie: overlay::Trie,
}

impl SideOverlay {
    fn is_empty(&self) -> bool {
        self.allow.is_empty() && self.fields.is_empty()
    }
}

/// Everything a profile says about one method.
#[derive(Debug, Clone, Default)]
pub(crate) struct MethodOverlay {
    pub(crate) direction: Option<format::DirectionName>,
    pub(crate) rate: Option<format::Rate>,
    pub(crate) doc: Option<String>,
    pub(crate) request: SideOverlay,
    pub(crate) response: SideOverlay,
}

/// A `[[overrides]]` block: levels for some paths (globs over paths without root or indexes;
/// `*` is one segment, `**` any number), optionally for some methods only.
#[derive(Debug, Clone)]
pub(crate) struct Override {
    pub(crate) paths: Vec<String>,
    pub(crate) methods: Option<Vec<&'static str>>,
    pub(crate) rules: Vec<(&'static str, Level)>,
}

/// A loaded profile, merged over every profile it extends. Build one with [`Profile::open`]
/// (a built-in name or a file), [`Profile::from_file`] or [`Profile::parse`]; give it values
/// for its variables with [`Profile::set_var`] or [`Profile::vars_from_env`]; pass it with
/// [`crate::Options::with_profile`].
#[derive(Debug, Clone, Default)]
pub struct Profile {
    id: String,
    title: Option<String>,
    source: Option<String>,
    origin: String,
    chain: Vec<String>,
    offered: Option<Vec<&'static str>>,
    unlisted: Option<Level>,
    vars: BTreeMap<String, VarDecl>,
    values: BTreeMap<String, String>,
    pub(crate) transport: Transport,
    rules: BTreeMap<&'static str, Level>,
    overrides: Vec<Override>,
    methods: BTreeMap<&'static str, MethodOverlay>,
    privacy: Option<PrivacyCheck>,
}

impl Profile {
    /// A built-in profile by name (see [`BUILTINS`]), or the profile file at `name_or_path`.
    pub fn open(name_or_path: &str) -> Result<Profile, ProfileError> {
        match BUILTINS.iter().find(|(n, _)| *n == name_or_path) {
            Some(_) => load::builtin(name_or_path),
            None if !looks_like_path(name_or_path) => {
                let names: Vec<&str> = BUILTINS.iter().map(|(n, _)| *n).collect();
                let near = crate::wire::suggest::closest(name_or_path, names.iter().copied(), 2);
                Err(ProfileError {
                    origin: name_or_path.to_string(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "no built-in profile `{name_or_path}` (built-ins: {}){}; a file is named by a path ending in `.toml`",
                        names.join(", "),
                        near.map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_default()
                    ),
                    message_zh: format!(
                        "没有名为 `{name_or_path}` 的内置配置（内置的有：{}）；文件要写成以 `.toml` 结尾的路径{}",
                        names.join("、"),
                        load::did_you_mean_zh(near)
                    ),
                })
            }
            None => Profile::from_file(Path::new(name_or_path)),
        }
    }

    /// The profile in the file at `path`; profiles it extends by path are found relative to
    /// the file's directory.
    pub fn from_file(path: &Path) -> Result<Profile, ProfileError> {
        load::file(path)
    }

    /// The profile written in `text`; `origin` names it in errors, and `base` is the directory
    /// that paths in its `extends` are relative to.
    pub fn parse(text: &str, origin: &str, base: Option<&Path>) -> Result<Profile, ProfileError> {
        load::text(text, origin, base)
    }

    /// The profile's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The profile's one-line title, if it has one.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The privacy level the profile sets, if it sets one.
    pub fn privacy(&self) -> Option<PrivacyCheck> {
        self.privacy
    }

    /// The timestamp window (seconds) the profile sets, if it sets one.
    pub fn timestamp_window(&self) -> Option<i64> {
        self.transport.timestamp_window
    }

    /// Whether the counterparty checks the `sign` at all (`sign = "not-checked"` says it does
    /// not).
    pub fn checks_sign(&self) -> bool {
        self.transport.sign != Some(SignPolicy::NotChecked)
    }

    /// Whether the counterparty takes sign method `method` (`md5`, `hmac`, `hmac-sha256`): any,
    /// unless the profile lists them.
    pub fn accepts_sign_method(&self, method: &str) -> bool {
        self.transport
            .sign_methods
            .as_ref()
            .is_none_or(|list| list.iter().any(|m| m == method))
    }

    /// The sign methods the profile lists (empty when it takes any).
    pub fn sign_methods(&self) -> Vec<&str> {
        self.transport
            .sign_methods
            .iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// Gives variable `name` a value (a merchant's owner id, say; never a secret).
    pub fn set_var(&mut self, name: &str, value: &str) -> Result<(), ProfileError> {
        if !self.vars.contains_key(name) {
            let near = crate::wire::suggest::closest(name, self.vars.keys().map(String::as_str), 3);
            return Err(ProfileError {
                origin: self.origin.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "profile `{}` declares no variable `{name}` (it declares: {}){}",
                    self.id,
                    self.var_names().join(", "),
                    near.map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default()
                ),
                message_zh: format!(
                    "对接方配置 `{}` 没有声明变量 `{name}`（它声明的有：{}）{}",
                    self.id,
                    self.var_names().join("、"),
                    load::did_you_mean_zh(near)
                ),
            });
        }
        self.values.insert(name.to_string(), value.to_string());
        self.bind();
        Ok(())
    }

    /// Reads every variable that names an environment variable from `env` (e.g.
    /// `|name| std::env::var(name).ok()`); values already set are kept.
    pub fn vars_from_env(&mut self, env: impl Fn(&str) -> Option<String>) {
        for (name, decl) in &self.vars {
            if self.values.contains_key(name) {
                continue;
            }
            if let Some(value) = decl.env.as_deref().and_then(&env) {
                self.values.insert(name.clone(), value);
            }
        }
        self.bind();
    }

    /// Resolves every `equals` to the value it compares against (a literal, or a variable's
    /// value when it has one) and rebuilds the walk's trees, so that linting looks nothing up.
    pub(crate) fn bind(&mut self) {
        let values = &self.values;
        let id = &self.id;
        let resolve = |e: &Expected| match e {
            Expected::Literal(v) => Some(v.clone()),
            Expected::Var(name) => values.get(name).cloned(),
        };
        for (method, m) in self.methods.iter_mut() {
            for (response, side) in [(false, &mut m.request), (true, &mut m.response)] {
                for overlay in side.fields.values_mut() {
                    overlay.bound = overlay.equals.as_ref().and_then(resolve);
                }
                if let Some(root) = paths::Root::of(method, response) {
                    side.trie = overlay::Trie::of(side, &root, id);
                }
            }
        }
    }

    /// The variables the profile declares that have no value: the checks that compare
    /// against them are skipped, and a caller should say so.
    pub fn unset_vars(&self) -> Vec<&str> {
        self.vars
            .keys()
            .filter(|n| !self.values.contains_key(*n))
            .map(String::as_str)
            .collect()
    }

    fn var_names(&self) -> Vec<&str> {
        self.vars.keys().map(String::as_str).collect()
    }

    /// The value a check compares against, when it has one.
    pub(crate) fn expected<'e>(&'e self, e: &'e Expected) -> Option<&'e str> {
        match e {
            Expected::Literal(v) => Some(v),
            Expected::Var(name) => self.values.get(name).map(String::as_str),
        }
    }

    /// The overlays for `method`'s request or reply, when the profile has any.
    pub(crate) fn side(&self, method: &str, response: bool) -> Option<&SideOverlay> {
        let m = self.methods.get(method)?;
        let side = if response { &m.response } else { &m.request };
        (!side.is_empty()).then_some(side)
    }

    /// The level the profile gives `rule` at `path` (normalised: no root, no indexes) in
    /// `method`, when it changes it: the last matching override, else `[rules]`.
    pub(crate) fn level(&self, rule: &str, path: &str, method: Option<&str>) -> Option<Level> {
        for o in self.overrides.iter().rev() {
            let in_scope = match (&o.methods, method) {
                (None, _) => true,
                (Some(ms), Some(m)) => ms.contains(&m),
                (Some(_), None) => false,
            };
            if !in_scope || !o.paths.iter().any(|g| paths::glob_matches(g, path)) {
                continue;
            }
            if let Some((_, level)) = o.rules.iter().rev().find(|(r, _)| *r == rule) {
                return Some(*level);
            }
        }
        self.rules.get(rule).copied()
    }

    /// Whether the profile lists the methods it offers and `method` is not one of them; the
    /// level to report that at.
    pub(crate) fn unlisted(&self, method: &str) -> Option<Level> {
        let offered = self.offered.as_ref()?;
        (!offered.contains(&method)).then_some(self.unlisted.unwrap_or(Level::Error))
    }

    /// The merged profile as TOML, for `qmwire profile show --resolved`.
    pub fn resolved_toml(&self) -> String {
        show::resolved(self)
    }

    /// What the profile is, in a few lines: id, title, source, what it extends.
    pub fn summary(&self) -> String {
        show::summary(self, crate::report::Lang::En)
    }

    /// [`Profile::summary`] with its labels in `lang`; the title and source are the profile's
    /// own words, as written in it.
    pub fn summary_in(&self, lang: crate::report::Lang) -> String {
        show::summary(self, lang)
    }
}

/// Whether a `--profile` argument names a file rather than a built-in.
fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains('\\') || s.ends_with(".toml")
}
