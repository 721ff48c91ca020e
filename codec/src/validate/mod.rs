//! Validation: field rules applied through the generated field tables, reported as [`Issue`]s.
//!
//! Three tiers, as in jsonschema: [`is_valid`] (no messages built), [`first_error`], and [`issues`]
//! (every error and warning).

pub(crate) mod rules;
pub(crate) mod validator;

pub use crate::report::{Issue, Severity};
pub use crate::rules::{rule, Rule, RULES};
pub use validator::Mode;

use crate::model::qimen::QimenBody;
use validator::{Sink, Validator};

fn run(body: &QimenBody<'_>, mode: Mode) -> Sink {
    let mut sink = Sink::new(mode);
    let mut v = Validator::new(&mut sink, body.kind().root());
    body.visit(&mut v);
    sink
}

/// Whether the body breaks no field rule. Builds no strings; the only allocations are for
/// values that hold entities or CDATA, which must be unescaped to be checked.
pub fn is_valid(body: &QimenBody<'_>) -> bool {
    run(body, Mode::AnyError).errors == 0
}

/// The first error, if any.
pub fn first_error(body: &QimenBody<'_>) -> Option<Issue> {
    run(body, Mode::FirstError).issues.into_iter().next()
}

/// Every issue, errors and warnings, in document order.
pub fn issues(body: &QimenBody<'_>) -> Vec<Issue> {
    run(body, Mode::All).issues
}

/// What [`issues_capped`] found: the kept issues, how many more there are (of which how many
/// errors), and the spans to hide when asked for.
pub(crate) type Checked = (Vec<Issue>, usize, usize, Option<validator::Hidden>);

/// The first `cap` issues of [`issues`], and how many more there are (errors among them):
/// those are counted, never built, so memory is bounded by `cap`. With `spans`, also every span
/// the privacy collector hides, gathered in the same walk ([`Validator::with_personal_spans`]).
pub(crate) fn issues_capped(body: &QimenBody<'_>, cap: usize, spans: bool) -> Checked {
    let mut sink = Sink::capped(Mode::All, cap);
    let mut v = Validator::new(&mut sink, body.kind().root());
    if spans {
        v = v.with_personal_spans();
    }
    body.visit(&mut v);
    let hidden = v.into_personal_spans();
    (sink.issues, sink.omitted, sink.omitted_errors, hidden)
}
