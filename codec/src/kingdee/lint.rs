//! Linting 金蝶 WebAPI bodies: decode, the field rules through the generated tables, the 金蝶
//! rules of [`super::rules`], rule `privacy.plaintext`.

use super::document::{decode_kingdee, KingdeeDocument};
use crate::model::kingdee;
use crate::options::Options;
use crate::privacy::{self, plaintext};
use crate::report::{Issue, Protocol, Report, Severity};
use crate::rules::unknown_method;
use crate::validate::validator::{Mode, Sink, Validator};

/// The reply path under which the fields a request asked for come back: any field of the form.
const RETURNED_DATA: &str = "/Result/NeedReturnData/";

/// Field rules and 金蝶 rules over a decoded document, in document order.
pub fn issues(doc: &KingdeeDocument<'_>) -> Vec<Issue> {
    issues_capped(doc, usize::MAX).0
}

/// The first `cap` issues of [`issues`] in document order, and how many more there are (of
/// which how many errors).
pub(crate) fn issues_capped(doc: &KingdeeDocument<'_>, cap: usize) -> (Vec<Issue>, usize, usize) {
    // The 金蝶 rules replace some field-rule issues: collect them all, then cap.
    let mut sink = Sink::by_position(Mode::All, usize::MAX);
    let mut v = Validator::json(&mut sink, None);
    doc.body.visit(&mut v);
    let (mut issues, _, _) = sink.finish();
    issues
        .retain(|i| !(i.rule == crate::rules::UNKNOWN_FIELD && i.path.starts_with(RETURNED_DATA)));
    super::rules::check(doc, &mut issues);
    issues.sort_by_key(|i| i.span.start);
    let (mut omitted, mut omitted_errors) = (0, 0);
    if issues.len() > cap {
        let rest = issues.split_off(cap);
        omitted = rest.len();
        omitted_errors = rest
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
    }
    (issues, omitted, omitted_errors)
}

/// Lints one 金蝶 body with `options` (limits, privacy). `method` is any name of a 金蝶
/// operation (`BatchSave`, the service URL); an unknown name is reported as a `method` error.
pub(crate) fn lint_json(bytes: &[u8], method: Option<&str>, options: &Options) -> Report {
    let mut report = Report::empty(Protocol::Kingdee);
    let spec = match method.map(|m| (m, kingdee::method(m))) {
        Some((name, None)) => {
            report
                .issues
                .push(unknown_method("金蝶 WebAPI operation", name));
            return report;
        }
        Some((_, found)) => found,
        None => None,
    };
    report.method = spec.map(|m| m.method);
    match decode_kingdee(bytes, spec, &options.limits) {
        Ok(doc) => {
            report.method = Some(doc.body.kind().method());
            report.detected = doc.detected;
            let (issues, omitted, omitted_errors) = issues_capped(&doc, options.collection_cap());
            report.issues = issues;
            report.omitted += omitted;
            report.omitted_errors += omitted_errors;
            let personal = privacy::kingdee_personal(&doc.body);
            let plain = plaintext::check(&personal.values, options.privacy, false);
            if !plain.is_empty() {
                report.issues.extend(plain);
                report.issues.sort_by_key(|i| i.span.start);
                report.keep_first(options.collection_cap());
            }
            report.personal_spans = Some(personal.hidden);
        }
        Err(failure) => report.issues.push(failure.to_issue()),
    }
    report
}
