//! Turning reports into output: rustc-style text for people, one JSON document for machines.
//! Neither ever prints a personal value: quoted source lines have them replaced by `*`.

pub mod dump;
pub mod human;
pub mod json;
pub mod json_view;

use crate::report::Report;

/// One linted input, as the renderers need it.
pub struct FileReport<'a> {
    /// The path shown to the user (`-` for standard input).
    pub path: &'a str,
    /// The input text (lossily decoded when it was not UTF-8), for line:column and quoting.
    pub input: &'a str,
    /// The lint result.
    pub report: &'a Report,
}
