//! Turning reports into output: rustc-style text for people; one JSON document, a SARIF 2.1.0
//! log or a JUnit XML report for machines. None ever prints a personal value: quoted source
//! lines have them replaced by `*`, and the machine formats quote no source at all.

pub mod dump;
pub mod human;
pub mod json;
pub mod json_view;
pub mod junit;
pub mod sarif;

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
