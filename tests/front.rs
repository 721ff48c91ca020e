//! The per-shape calls the tests make, each through the front door (`qmwire::lint`,
//! `qmwire::redact`) with the shape forced, so every test exercises the path users call.

use qmwire::model::qimen::QimenBody;
use qmwire::model::wdt::WdtBody;
use qmwire::privacy::{self, PersonalValue, Privacy};
use qmwire::{Limits, Options, RedactError, Redacted, Redactor, Report, Shape, Span};

fn options(shape: Option<Shape>, method: Option<&str>, limits: &Limits) -> Options {
    let mut o = Options::new().with_limits(*limits);
    o.shape = shape;
    o.method = method.map(str::to_string);
    o
}

/// Declares one function per shape that lints through the front door with that shape forced.
macro_rules! linters {
    ($($(#[$doc:meta])* $name:ident => $shape:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) fn $name(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
            qmwire::lint(bytes, &options($shape, method, limits))
        }
    )*};
}

/// Declares one function per shape that redacts through the front door with that shape forced
/// (`None`: sniffed).
macro_rules! redactors {
    ($($(#[$doc:meta])* $name:ident => $shape:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) fn $name(
            bytes: &[u8],
            method: Option<&str>,
            r: &Redactor,
        ) -> Result<Redacted, RedactError> {
            qmwire::redact(bytes, &options($shape, method, &Limits::default()), r)
        }
    )*};
}

linters! {
    /// A Qimen XML body.
    lint_qimen => Some(Shape::Xml);
    /// wdt business JSON.
    lint_wdt => Some(Shape::Json);
    /// A wdt form body.
    lint_wdt_form => Some(Shape::Form);
}

redactors! {
    /// A Qimen XML body, redacted.
    redact_qimen => Some(Shape::Xml);
    /// wdt business JSON, redacted.
    redact_wdt_json => Some(Shape::Json);
    /// A wdt form body, redacted.
    redact_wdt_form => Some(Shape::Form);
    /// One HTTP request or a `.http` file of several, redacted.
    redact_http => Some(Shape::Http);
    /// Any input, its shape sniffed, redacted.
    redact_input => None;
}

/// The (rule, path) of every issue of `input` linted through the front door as `method`.
pub(crate) fn findings(input: &str, method: &str) -> Vec<(&'static str, String)> {
    let options = Options::new().with_method(method);
    qmwire::lint(input.as_bytes(), &options)
        .issues
        .into_iter()
        .map(|i| (i.rule, i.path))
        .collect()
}

/// Class and span of every personal value of a Qimen body.
pub(crate) fn qimen_personal(body: &QimenBody<'_>) -> Vec<(Privacy, Span)> {
    pairs(privacy::qimen_values(body))
}

/// Class and span of every personal value of a wdt body.
pub(crate) fn wdt_personal(body: &WdtBody<'_>) -> Vec<(Privacy, Span)> {
    pairs(privacy::wdt_values(body, false))
}

fn pairs(values: Vec<PersonalValue>) -> Vec<(Privacy, Span)> {
    values.into_iter().map(|v| (v.class, v.span)).collect()
}
