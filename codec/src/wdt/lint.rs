//! Linting wdt business JSON and form bodies: decode, field rules, the cross-field rules of
//! [`super::rules`], rule `privacy.plaintext`.

use super::document::{decode_wdt, WdtDocument};
use crate::error::utf8_input;
use crate::error::Failure;
use crate::model::wdt;
use crate::options::{Options, PrivacyCheck};
use crate::privacy::{self, plaintext};
use crate::report::{Issue, Protocol, Report, Severity};
use crate::rules::unknown_method;
use crate::validate::validator::{Mode, Sink, Validator};
use crate::wire::span::Span;

/// Field rules and cross-field rules over a decoded document, in document order.
pub fn issues(doc: &WdtDocument<'_>) -> Vec<Issue> {
    issues_capped(doc, usize::MAX).0
}

/// The first `cap` issues of [`issues`] in document order, and how many more there are (of
/// which how many errors). Memory stays bounded by the cap, not by what the document holds.
pub(crate) fn issues_capped(doc: &WdtDocument<'_>, cap: usize) -> (Vec<Issue>, usize, usize) {
    let mut sink = Sink::by_position(Mode::All, cap);
    let bare = if doc.bare {
        doc.body.kind().bare()
    } else {
        None
    };
    let mut v = Validator::json(&mut sink, bare);
    doc.body.visit(&mut v);
    let (mut issues, mut omitted, mut omitted_errors) = sink.finish();
    super::rules::check(doc, &mut issues);
    issues.sort_by_key(|i| i.span.start);
    if issues.len() > cap {
        let rest = issues.split_off(cap);
        omitted += rest.len();
        omitted_errors += rest
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
    }
    (issues, omitted, omitted_errors)
}

/// Lints one wdt business JSON document with `options` (limits, privacy). `method` is any
/// name of a wdt API (`trade_push`, `trade_push.php`, `wdt.trade.push`); an unknown name is
/// reported as a `method` error. Spans are within `bytes`.
pub(crate) fn lint_json(bytes: &[u8], method: Option<&str>, options: &Options) -> Report {
    let mut report = Report::empty(Protocol::Wdt);
    let spec = match method.map(|m| (m, wdt::method(m))) {
        Some((name, None)) => {
            report.issues.push(unknown_method("wdt API", name));
            return report;
        }
        Some((_, found)) => found,
        None => None,
    };
    report.method = spec.map(|m| m.method);
    match decode_wdt(bytes, spec, &options.limits) {
        Ok(doc) => {
            report.method = Some(doc.body.kind().method());
            report.detected = doc.detected;
            let cap = options.collection_cap();
            let (issues, omitted, omitted_errors) = issues_capped(&doc, cap);
            report.issues = issues;
            report.omitted += omitted;
            report.omitted_errors += omitted_errors;
            let mut added_personal = Vec::new();
            if let Some(profile) = options.profile.as_deref() {
                if let Some(outcome) =
                    crate::profile::wdt_outcome(profile, &doc.body, doc.bare, &report.issues)
                {
                    added_personal = outcome.apply(&mut report.issues);
                }
            }
            // The default privacy check reports nothing in wdt bodies (they carry no `oaid`):
            // then only the spans are needed, to hide values in quoted lines.
            let mut personal = if options.privacy == PrivacyCheck::Oaid {
                privacy::wdt_spans(&doc.body, doc.bare)
            } else {
                privacy::wdt_personal(&doc.body, doc.bare)
            };
            personal.add(added_personal);
            let plain = plaintext::check(&personal.values, options.privacy, false);
            if !plain.is_empty() {
                report.issues.extend(plain);
                report.issues.sort_by_key(|i| i.span.start);
                report.keep_first(cap);
            }
            report.personal_spans = Some(personal.hidden);
        }
        Err(failure) => report.issues.push(failure.to_issue()),
    }
    report
}

/// Lints a form body as posted to `openapi2/<api>.php` or through Qimen's custom router: the
/// business parameters (system parameters are left to whole-request lint) with their
/// JSON-valued ones decoded, with `options`. Positions point into `body`.
pub(crate) fn lint_form(body: &[u8], method: Option<&str>, options: &Options) -> Report {
    let text = match utf8_input(body) {
        Ok(t) => t,
        Err(e) => {
            let mut report = Report::empty(Protocol::Wdt);
            report.issues.push(Failure::Json(e).to_issue());
            return report;
        }
    };
    let root = method.and_then(wdt::method).map(|m| m.request.spec());
    let form = match super::form::FormJson::from_form(text.trim_end(), root) {
        Ok(f) => f,
        Err(e) => {
            let mut report = Report::empty(Protocol::Wdt);
            report.method = method.and_then(wdt::method).map(|m| m.method);
            let (rule, path) = match &e.kind {
                crate::wire::params::ParamErrorKind::DuplicateKey(k) => {
                    (crate::rules::DUPLICATE_ELEMENT, format!("/{k}"))
                }
                _ => (crate::rules::JSON_SYNTAX, "/".to_string()),
            };
            report.issues.push(Issue {
                rule,
                severity: Severity::Error,
                path,
                span: Span::new(e.offset, e.offset),
                message: format!("the form body cannot be decoded: {e}"),
                message_zh: Some(format!("表单正文无法解码：{}", e.zh())),
            });
            // Nothing was decoded: hide the whole body when quoting.
            report.personal_spans = Some(vec![Span::new(0, body.len())]);
            return report;
        }
    };
    let mut report = lint_json(form.json.as_bytes(), method, options);
    for issue in &mut report.issues {
        issue.span = form.original_span(issue.span);
    }
    if let Some(spans) = &mut report.personal_spans {
        for s in spans.iter_mut() {
            *s = form.original_span(*s);
        }
    }
    report
}
