//! The profile file as written: TOML read strictly (an unknown key is an error), with the
//! position of every name that is checked against the catalogue later (rule ids, methods,
//! paths), so that a mistake is reported at its line and column.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The version of the format this build reads.
pub(crate) const SCHEMA: u32 = 1;

/// A whole profile file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct File {
    /// Format version; must be [`SCHEMA`].
    pub schema: Spanned<u32>,
    /// Who the profile is for.
    pub profile: Header,
    /// Per-merchant values the checks refer to as `${name}`.
    #[serde(default)]
    pub vars: BTreeMap<Spanned<String>, Var>,
    /// What the counterparty expects of the request around the body.
    #[serde(default)]
    pub transport: Option<Transport>,
    /// Level per rule id.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<LevelName>>,
    /// Levels per rule id for some paths only.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Field overlays and notes per method.
    #[serde(default)]
    pub methods: BTreeMap<Spanned<String>, Method>,
    /// The privacy level.
    #[serde(default)]
    pub privacy: Option<Privacy>,
}

/// `[profile]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Header {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    pub methods: Option<Vec<Spanned<String>>>,
    pub unlisted_method: Option<LevelName>,
}

/// One `[vars]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Var {
    /// Environment variable the value may come from.
    pub env: Option<String>,
    /// What the value is.
    pub doc: Option<String>,
    /// A value given in the file itself.
    pub value: Option<String>,
}

/// `[transport]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Transport {
    /// Where the counterparty listens (for people; not checked).
    pub endpoints: Option<Endpoints>,
    /// Whether requests pass the Qimen router (for people; not checked).
    pub gateway: Option<bool>,
    pub method_name: Option<MethodName>,
    pub v: Option<String>,
    pub format: Option<String>,
    pub sign_method: Option<Vec<Spanned<String>>>,
    pub sign: Option<SignPolicy>,
    pub customer_id: Option<CustomerId>,
    pub content_type: Option<String>,
    pub timestamp: Option<Spanned<String>>,
    pub timestamp_window: Option<Spanned<i64>>,
}

/// Endpoints: a list, or a table by environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Endpoints {
    List(Vec<String>),
    ByEnvironment(BTreeMap<String, String>),
}

/// Which form of the Qimen method name the counterparty takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum MethodName {
    Full,
    Short,
    Either,
}

/// What the counterparty does with the `sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SignPolicy {
    /// Verified: `sign.missing` and `sign.mismatch` as usual.
    Verified,
    /// Must be there, is not verified.
    Present,
    /// Neither required nor verified.
    NotChecked,
}

/// `customer-id = { param = "…", equals = "…" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct CustomerId {
    pub param: Option<Spanned<String>>,
    pub equals: Option<Spanned<String>>,
}

/// A level as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LevelName {
    Off,
    Info,
    Warn,
    Error,
}

/// One `[[overrides]]` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Override {
    pub paths: Vec<Spanned<String>>,
    pub methods: Option<Vec<Spanned<String>>>,
    pub rules: BTreeMap<Spanned<String>, Spanned<LevelName>>,
}

/// `[methods."name"]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Method {
    pub direction: Option<DirectionName>,
    pub rate: Option<Rate>,
    pub doc: Option<String>,
    /// Extra elements of the request the counterparty accepts.
    #[serde(default)]
    pub allow_fields: Vec<Spanned<String>>,
    /// Overlays on the request's fields.
    #[serde(default)]
    pub fields: BTreeMap<Spanned<String>, Field>,
    /// Overlays on the reply.
    pub response: Option<Side>,
}

/// The overlays of one body (a request or its reply).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Side {
    #[serde(default)]
    pub allow_fields: Vec<Spanned<String>>,
    #[serde(default)]
    pub fields: BTreeMap<Spanned<String>, Field>,
}

/// Whether we send the message or receive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DirectionName {
    Outbound,
    Inbound,
}

/// A rate the counterparty states (for people; not checked).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Rate {
    pub max: u32,
    pub per: String,
    pub doc: Option<String>,
}

/// One field overlay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Field {
    pub required: Option<bool>,
    pub severity: Option<Spanned<LevelName>>,
    pub any_of: Option<Vec<Vec<Spanned<String>>>>,
    pub max_chars: Option<Spanned<u32>>,
    pub enum_add: Option<Vec<String>>,
    pub enum_only: Option<Vec<String>>,
    pub equals: Option<Spanned<String>>,
    pub recommended: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<Spanned<String>>,
    pub privacy: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `[privacy]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Privacy {
    pub plaintext: PlaintextName,
}

/// `plaintext = oaid | warn | forbid`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PlaintextName {
    Oaid,
    Warn,
    Forbid,
}
