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

/// A Qimen XML body.
pub(crate) fn lint_qimen(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    qmwire::lint(bytes, &options(Some(Shape::Xml), method, limits))
}

/// wdt business JSON.
pub(crate) fn lint_wdt(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    qmwire::lint(bytes, &options(Some(Shape::Json), method, limits))
}

/// A wdt form body.
pub(crate) fn lint_wdt_form(bytes: &[u8], method: Option<&str>, limits: &Limits) -> Report {
    qmwire::lint(bytes, &options(Some(Shape::Form), method, limits))
}

/// A Qimen XML body, redacted.
pub(crate) fn redact_qimen(
    bytes: &[u8],
    method: Option<&str>,
    r: &Redactor,
) -> Result<Redacted, RedactError> {
    qmwire::redact(
        bytes,
        &options(Some(Shape::Xml), method, &Limits::default()),
        r,
    )
}

/// wdt business JSON, redacted.
pub(crate) fn redact_wdt_json(
    bytes: &[u8],
    method: Option<&str>,
    r: &Redactor,
) -> Result<Redacted, RedactError> {
    qmwire::redact(
        bytes,
        &options(Some(Shape::Json), method, &Limits::default()),
        r,
    )
}

/// A wdt form body, redacted.
pub(crate) fn redact_wdt_form(
    bytes: &[u8],
    method: Option<&str>,
    r: &Redactor,
) -> Result<Redacted, RedactError> {
    qmwire::redact(
        bytes,
        &options(Some(Shape::Form), method, &Limits::default()),
        r,
    )
}

/// One HTTP request or a `.http` file of several, redacted.
pub(crate) fn redact_http(
    bytes: &[u8],
    method: Option<&str>,
    r: &Redactor,
) -> Result<Redacted, RedactError> {
    qmwire::redact(
        bytes,
        &options(Some(Shape::Http), method, &Limits::default()),
        r,
    )
}

/// Any input, its shape sniffed, redacted.
pub(crate) fn redact_input(
    bytes: &[u8],
    method: Option<&str>,
    r: &Redactor,
) -> Result<Redacted, RedactError> {
    qmwire::redact(bytes, &options(None, method, &Limits::default()), r)
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
