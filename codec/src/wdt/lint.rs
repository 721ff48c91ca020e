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
    issues_capped(doc, usize::MAX, false).0
}

/// What [`issues_capped`] found: the kept issues, how many more there are (of which how many
/// errors), and the spans to hide when asked for.
pub(crate) type Checked = (Vec<Issue>, usize, usize, Option<Vec<Span>>);

/// The first `cap` issues of [`issues`] in document order, and how many more there are (of
/// which how many errors). Memory stays bounded by the cap, not by what the document holds.
/// With `spans`, also every span the privacy collector hides (what the lint needs when the
/// privacy check reports nothing), gathered in the validator's walk.
pub(crate) fn issues_capped(doc: &WdtDocument<'_>, cap: usize, spans: bool) -> Checked {
    let mut sink = Sink::by_position(Mode::All, cap);
    let bare = if doc.bare {
        doc.body.kind().bare()
    } else {
        None
    };
    let mut v = Validator::json(&mut sink, bare);
    if spans {
        v = v.with_personal_spans();
    }
    doc.body.visit(&mut v);
    let hidden = v.into_personal_spans();
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
    let hidden = hidden.map(|h| {
        if h.incomplete {
            privacy::wdt_spans(&doc.body, doc.bare).hidden
        } else {
            h.spans
        }
    });
    (issues, omitted, omitted_errors, hidden)
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
            // The default privacy check reports nothing in wdt bodies (they carry no `oaid`):
            // then only the spans are needed, to hide values in quoted lines, and the
            // validator's walk gathers them.
            let spans_only = options.privacy == PrivacyCheck::Oaid;
            let (issues, omitted, omitted_errors, spans) = issues_capped(&doc, cap, spans_only);
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
            let mut personal = match spans {
                Some(hidden) => privacy::Personal {
                    values: Vec::new(),
                    hidden,
                },
                None => privacy::wdt_personal(&doc.body, doc.bare),
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

#[cfg(test)]
mod tests {
    use super::issues_capped;
    use crate::model::wdt;
    use crate::options::Limits;
    use crate::wdt::decode_wdt;

    /// A trade push whose first trade's `receiver_name` is written `name` (raw JSON), with a
    /// key outside the contract and a repeated personal key in the second trade.
    fn push(name: &str) -> String {
        format!(
            r#"{{"shop_no":"s1","trade_list":[{{"tid":"T1","receiver_name":{name},"receiver_mobile":"13800000000","buyer_nick":"~CKoqAl2hWzh54uBFv9Suug==~1~","order_list":[{{"oid":"O1","goods_no":"G","num":1,"price":"1.00","extra":"x"}}]}},{{"tid":"T2","receiver_name":"李四","receiver_name":"王五","receiver_address":"\u6d59\u6c5f","receiver_mobile":13800000001,"order_list":"not a list"}}]}}"#
        )
    }

    /// The validator's walk gathers exactly the spans the privacy collector's own walk hides,
    /// in the same order, and reports the same issues either way: on every bundled wdt JSON
    /// document and on the value shapes the collector tells apart.
    #[test]
    fn the_validator_gathers_the_collectors_spans() {
        let mut inputs: Vec<(Option<&str>, String)> = Vec::new();
        for name in [
            r#""王伟""#,
            r#""""#,
            r#""  ""#,
            r#""　王""#,
            r#"" 王""#,
            "null",
            "true",
            "12",
            r#""~CKoqAl2hWzh54uBFv9Suug==~1~""#,
            r#""$1388$CKoqAl2hWzh54uBFv9Suug==$1$""#,
            r#""\u738b""#,
            r#""\u0020""#,
            r#"{"a":"王"}"#,
            r#"["王"]"#,
            r#""~王""#,
            r#""$5""#,
        ] {
            inputs.push((Some("trade_push"), push(name)));
        }
        inputs.push((Some("trade_push"), r#"{"trade_list":"x"}"#.into()));
        inputs.push((
            Some("trade_push"),
            r#"[{"tid":"T1","receiver_name":"王"}]"#.into(),
        ));
        let root = format!("{}/../tests/fixtures/wdt", env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<_> = std::fs::read_dir(&root).expect("fixtures").collect();
        dirs.sort_by_key(|d| d.as_ref().map(|d| d.path()).ok());
        for dir in dirs {
            let dir = dir.expect("dir").path();
            let api = dir.file_name().and_then(|n| n.to_str()).map(str::to_string);
            let method = api.filter(|a| wdt::method(a).is_some());
            for file in std::fs::read_dir(&dir).expect("dir") {
                let path = file.expect("file").path();
                if path.extension().and_then(|e| e.to_str()) == Some("json") {
                    let text = std::fs::read_to_string(&path).expect("utf-8");
                    let method = method.clone().map(|m| &*Box::leak(m.into_boxed_str()));
                    inputs.push((method, text.clone()));
                    inputs.push((None, text));
                }
            }
        }
        let mut compared = 0;
        for (method, input) in &inputs {
            let spec = method.and_then(wdt::method);
            let Ok(doc) = decode_wdt(input.as_bytes(), spec, &Limits::default()) else {
                continue;
            };
            let (issues, omitted, errors, spans) = issues_capped(&doc, 5, true);
            let (plain, plain_omitted, plain_errors, none) = issues_capped(&doc, 5, false);
            assert!(none.is_none());
            assert_eq!(format!("{issues:?}"), format!("{plain:?}"), "{input}");
            assert_eq!((omitted, errors), (plain_omitted, plain_errors), "{input}");
            let collected = crate::privacy::wdt_spans(&doc.body, doc.bare).hidden;
            assert_eq!(spans, Some(collected), "{input}");
            compared += 1;
        }
        assert!(compared > 60, "{compared} documents compared");
    }
}
