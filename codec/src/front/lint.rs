//! [`crate::lint`]: any input shape, with one set of options, every position in the input.
//!
//! A request input (a capture, or a `.http` file of one or more requests separated by `###`
//! lines outside declared bodies, [`split_requests`]: the VS Code REST Client and JetBrains
//! HTTP Client convention) is linted request by request, each with its framing problems first
//! (rule `request.framing`, [`framing`]; a request with a transfer coding gets nothing else): Qimen requests with their query, headers and XML body, wdt
//! requests by [`crate::wdt::request`]. Body issues move by their body's offset, request-level
//! Qimen issues to the start of their request line. The merged [`Report`] lists the requests'
//! issues in file order; its `method`, `root` and `detected` are the request's when the file
//! holds one, and the shared method when several requests all call the same one.

use crate::input::sniff;
use crate::options::{Options, Shape};
use crate::qimen::request::{lint_parts, request_checks};
use crate::report::{Issue, Protocol, Report, Severity};
use crate::wdt::request as wdt;
use crate::wire::framing;
use crate::wire::http::{self, split_requests, HttpRequest};
use crate::wire::located::offset_in;
use crate::wire::span::Span;
use std::ops::Range;

/// Lints `input` (see [`crate::lint`]), listing at most [`Options::max_issues`] issues.
pub(crate) fn lint(input: &[u8], options: &Options) -> Report {
    let mut report = lint_all(input, options);
    report.keep_first(options.max_issues);
    report
}

/// Lints `input`, every issue listed.
fn lint_all(input: &[u8], options: &Options) -> Report {
    let method = options.method.as_deref();
    let shape = sniff(input, options);
    if let Some(issue) = over_limit(input, shape, options) {
        let mut report = Report::empty(match shape {
            Shape::Json | Shape::Form => Protocol::Wdt,
            _ => Protocol::Qimen,
        });
        report.issues.push(issue);
        return report;
    }
    let mut report = match shape {
        Shape::Http => return lint_requests(input, options),
        Shape::Json if crate::kingdee::detect::claims(input, method, &options.limits) => {
            crate::kingdee::lint::lint_json(input, method, options)
        }
        Shape::Json => crate::wdt::lint::lint_json(input, method, options),
        Shape::Form => crate::wdt::lint::lint_form(input, method, options),
        _ => match &options.url {
            Some(url) => lint_parts(http::url_query(url), input, None, options),
            None => crate::qimen::lint::lint_body(input, method, options),
        },
    };
    if let Some(profile) = &options.profile {
        crate::profile::relevel(profile, &mut report);
    }
    report
}

/// The one issue for an input over [`crate::Limits::max_bytes`], under the syntax rule of its
/// shape.
fn over_limit(input: &[u8], shape: Shape, options: &Options) -> Option<Issue> {
    let error = super::over_limit(input, &options.limits)?;
    let rule = match shape {
        Shape::Http => crate::rules::REQUEST_SYNTAX,
        Shape::Json | Shape::Form => crate::rules::JSON_SYNTAX,
        _ => crate::rules::XML_SYNTAX,
    };
    Some(Issue {
        rule,
        severity: Severity::Error,
        path: "/".into(),
        span: Span::new(error.offset(), error.offset()),
        message: error.message().to_string(),
        message_zh: Some(error.message_zh()),
    })
}

/// Lints the request at `range` (under the options' profile, when there is one); the issues
/// are in file coordinates.
fn lint_one(input: &[u8], range: Range<usize>, options: &Options) -> Report {
    let mut report = lint_request(input, range, options);
    if let Some(profile) = &options.profile {
        crate::profile::relevel(profile, &mut report);
    }
    report
}

/// Lints the request at `range`.
fn lint_request(input: &[u8], range: Range<usize>, options: &Options) -> Report {
    let part = &input[range.clone()];
    let req = match http::parse(part) {
        Ok(req) => req,
        Err(e) => {
            let at = range.start + e.offset;
            let mut report = Report::empty(Protocol::Qimen);
            report.issues.push(Issue {
                rule: crate::rules::REQUEST_SYNTAX,
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(at, at),
                message: e.message,
                message_zh: Some(e.message_zh),
            });
            // Nothing was decoded: hide the whole part when quoting.
            report.personal_spans = Some(vec![Span::new(range.start, range.end)]);
            return report;
        }
    };
    let framing = framing::problems(&req.headers, req.body.len(), req.trailing);
    let mut issues: Vec<Issue> = framing
        .iter()
        .map(|p| {
            let at = offset_in(input, p.value.as_bytes());
            Issue {
                rule: crate::rules::REQUEST_FRAMING,
                severity: Severity::Error,
                path: p.header.into(),
                span: Span::new(at, at + p.value.len()),
                message: p.message.clone(),
                message_zh: Some(p.message_zh.clone()),
            }
        })
        .collect();
    let body_at = offset_in(input, req.body);
    // Bytes after a shorter Content-Length are not part of the request: hidden when quoting.
    let beyond = (!req.trailing.is_empty()).then(|| {
        let at = offset_in(input, req.trailing);
        Span::new(at, at + req.trailing.len())
    });
    let endpoint = wdt::detect(&req);
    if framing.iter().any(|p| p.refuses) {
        let protocol = match endpoint {
            Some(_) => Protocol::Wdt,
            None => Protocol::Qimen,
        };
        let mut report = Report::empty(protocol);
        report.issues = issues;
        report.personal_spans = Some(vec![Span::new(body_at, range.end)]);
        return report;
    }
    let mut report = match endpoint {
        Some(endpoint) => wdt::lint_request(input, &req, &endpoint, options),
        None => lint_qimen(input, &req, body_at, options),
    };
    issues.append(&mut report.issues);
    report.issues = issues;
    if let (Some(spans), Some(beyond)) = (&mut report.personal_spans, beyond) {
        spans.push(beyond);
    }
    report
}

/// Lints one Qimen request (query, headers, body) whose body is at `body_at` in `input`.
fn lint_qimen(input: &[u8], req: &HttpRequest<'_>, body_at: usize, options: &Options) -> Report {
    let line = offset_in(input, req.method.as_bytes());
    let content_type = Some(req.header("content-type").unwrap_or(""));
    let (mut issues, mut report) = request_checks(req.query, req.body, content_type, options);
    for issue in &mut issues {
        issue.span = Span::new(line, line);
    }
    let shift = |s: Span| Span::new(s.start as usize + body_at, s.end as usize + body_at);
    for issue in &mut report.issues {
        issue.span = shift(issue.span);
    }
    report.personal_spans = Some(match &report.personal_spans {
        Some(spans) => spans.iter().map(|&s| shift(s)).collect(),
        None => vec![Span::new(body_at, body_at + req.body.len())],
    });
    issues.append(&mut report.issues);
    report.issues = issues;
    report
}

/// Lints every request of a `.http` file or raw capture (see the module docs). An input with no
/// request at all gets one `request.syntax` error.
fn lint_requests(input: &[u8], options: &Options) -> Report {
    let ranges = split_requests(input);
    if ranges.is_empty() {
        let mut report = Report::empty(Protocol::Qimen);
        report.issues.push(Issue {
            rule: crate::rules::REQUEST_SYNTAX,
            severity: Severity::Error,
            path: "/".into(),
            span: Span::new(0, 0),
            message: "expected a request line `POST /path?query HTTP/1.1`, found no request".into(),
            message_zh: Some(
                "应为 `POST /path?query HTTP/1.1` 这样的请求行，实际没有任何请求".into(),
            ),
        });
        report.personal_spans = Some(vec![Span::new(0, input.len())]);
        return report;
    }
    let mut linted: Vec<Report> = ranges
        .into_iter()
        .map(|r| lint_one(input, r, options))
        .collect();
    if linted.len() == 1 {
        return linted.remove(0);
    }
    let first = &linted[0];
    let same = |f: fn(&Report) -> Option<&'static str>| {
        let v = f(first);
        linted.iter().all(|r| f(r) == v).then_some(v).flatten()
    };
    let protocol = if linted.iter().all(|r| r.protocol == first.protocol) {
        first.protocol
    } else {
        Protocol::Mixed
    };
    let mut merged = Report::empty(protocol);
    merged.method = same(|r| r.method);
    if merged.method.is_some() {
        merged.root = first.root;
        merged.detected = linted.iter().any(|r| r.detected);
    }
    let mut personal = Vec::new();
    for mut report in linted {
        personal.extend(report.personal_spans.take().unwrap_or_default());
        crate::profile::merge(&mut merged.profile, report.profile.take());
        merged.absorb(report);
    }
    merged.personal_spans = Some(personal);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_split_on_triple_hash_lines() {
        use crate::wire::http::split_requests;
        let input = b"### first\nPOST /a HTTP/1.1\n\nbody1\n###\n\n### only a comment\n# c\n\n### third\nPOST /b HTTP/1.1\n\nbody ### not a separator\n";
        let ranges = split_requests(input);
        assert_eq!(ranges.len(), 2);
        assert!(input[ranges[0].clone()].starts_with(b"POST /a"));
        assert!(input[ranges[0].clone()].ends_with(b"body1\n"));
        assert!(input[ranges[1].clone()].starts_with(b"POST /b"));
        assert!(input[ranges[1].clone()].ends_with(b"not a separator\n"));
        assert_eq!(split_requests(b"POST /x HTTP/1.1\n\n"), vec![0..18]);
        assert!(split_requests(b"### nothing\n# here\n").is_empty());
    }

    /// Every issue of `input`, none left out.
    fn everything(input: &[u8], options: &Options) -> Report {
        lint_all(input, &options.clone().with_max_issues(usize::MAX))
    }

    /// `n` unknown elements in an otherwise fine `order.cancel`, then one enum error.
    fn flood(n: usize) -> String {
        format!(
            "<request><warehouseCode>W</warehouseCode><ownerCode>O</ownerCode><orderCode>C</orderCode>{}<orderType>NOPE</orderType></request>",
            "<x>1</x>".repeat(n)
        )
    }

    #[test]
    fn issues_are_capped_per_input_and_the_rest_counted() {
        // 1.5 MB of `<x>1</x>`: one unknown-field warning each, and one error. By default the
        // document is refused outright (more than 100,000 elements kept aside)...
        let xml = flood(190_000);
        let refused = lint(xml.as_bytes(), &Options::new().with_method("order.cancel"));
        assert_eq!(refused.issues.len(), 1);
        assert_eq!(refused.issues[0].rule, "xml-syntax");
        assert!(refused.issues[0].message.contains("--max-items"));
        // ...and with room for them, every one is reported and capped.
        let limits = crate::Limits {
            max_items: 1_000_000,
            ..crate::Limits::default()
        };
        let options = Options::new()
            .with_method("order.cancel")
            .with_limits(limits);
        let all = everything(xml.as_bytes(), &options);
        assert_eq!(all.issues.len(), 190_001);
        assert_eq!((all.errors(), all.warnings()), (1, 190_000));
        // The first 1,000 as the report orders them: the element's fields, then what it does
        // not define.
        let report = lint(xml.as_bytes(), &options);
        assert_eq!(report.issues, all.issues[..1_000]);
        assert_eq!(report.issues[0].path, "/request/orderType");
        assert_eq!(&xml[report.issues[1].span.range()], "<x>1</x>");
        assert_eq!((report.omitted, report.omitted_errors), (189_001, 0));
        assert_eq!((report.errors(), report.warnings()), (1, 190_000));
        // Another cap, none, and a cap of 0 that only counts: the omitted error still makes
        // the input invalid.
        let xml = flood(5_000);
        let all = everything(xml.as_bytes(), &options);
        let report = lint(xml.as_bytes(), &options.clone().with_max_issues(3));
        assert_eq!(report.issues, all.issues[..3]);
        assert_eq!(report.omitted, 4_998);
        let report = lint(xml.as_bytes(), &options.clone().with_max_issues(usize::MAX));
        assert_eq!((report.issues.len(), report.omitted), (5_001, 0));
        let report = lint(xml.as_bytes(), &options.with_max_issues(0));
        assert!(report.issues.is_empty());
        assert_eq!((report.omitted, report.omitted_errors), (5_001, 1));
        assert_eq!((report.errors(), report.warnings()), (1, 5_000));
        assert!(!report.is_valid());
    }

    #[test]
    fn an_error_after_the_cap_is_counted_as_an_error() {
        // wdt issues are in input order: 5,000 unknown keys, then a bad code.
        let keys: String = (0..5_000).map(|i| format!("\"k{i}\":1,")).collect();
        let json = format!(r#"{{{keys}"shop_no":"s","trade_list":[{{"trade_status":"oops"}}]}}"#);
        let options = Options::new().with_method("trade_push");
        let all = everything(json.as_bytes(), &options);
        let errors = all.errors();
        assert!(
            errors > 1
                && all.issues[..1_000]
                    .iter()
                    .all(|i| i.severity == Severity::Warning)
        );
        let report = lint(json.as_bytes(), &options);
        assert_eq!(report.issues, all.issues[..1_000]);
        assert_eq!(report.omitted_errors, errors);
        assert_eq!(
            (report.errors(), report.warnings()),
            (errors, all.warnings())
        );
        assert!(!report.is_valid());
    }

    #[test]
    fn a_capped_wdt_report_lists_the_first_issues_in_the_input_and_counts_the_rest() {
        // The walk follows the spec's field order, not the document's: bad codes written before
        // and after floods of unknown keys, in several trades, a cross-field error, a missing
        // field reported at its object's start.
        let trade = |i: usize| {
            let keys: String = (0..300).map(|k| format!("\"x{i}_{k}\":1,")).collect();
            format!(
                r#"{{"trade_status":"oops{i}",{keys}"tid":"T{i}","pay_status":"9","delivery_term":1,"paid":"1","order_list":[{{"oid":"O{i}","num":1,"price":"2","goods_no":"G"}}]}}"#
            )
        };
        let trades: Vec<String> = (0..6).map(trade).collect();
        let json = format!(
            r#"{{"k":1,"trade_list":[{}],"shop_no":"s"}}"#,
            trades.join(",")
        );
        let options = Options::new().with_method("trade_push");
        let all = lint_all(
            json.as_bytes(),
            &options.clone().with_max_issues(usize::MAX),
        );
        assert!(
            all.issues.len() > 1_800 && all.errors() >= 6,
            "{}",
            all.issues.len()
        );
        assert!(all
            .issues
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
        for cap in [0, 1, 5, 64, 100, 333, 1_000, all.issues.len()] {
            let report = lint(json.as_bytes(), &options.clone().with_max_issues(cap));
            assert_eq!(
                report.issues,
                all.issues[..cap.min(all.issues.len())],
                "cap {cap}"
            );
            assert_eq!(report.errors(), all.errors(), "cap {cap}");
            assert_eq!(report.warnings(), all.warnings(), "cap {cap}");
        }
    }

    #[test]
    fn the_cap_applies_to_a_file_of_requests_as_a_whole() {
        let request = format!(
            "POST /router/qimen/service?method=taobao.qimen.order.cancel&app_key=1&customerId=c&format=xml&sign_method=md5&timestamp=2024-05-01+10%3A00%3A00&v=2.0&sign=0 HTTP/1.1\nContent-Type: text/xml;charset=utf-8\n\n{}\n",
            flood(600)
        );
        let file = format!("###\n{request}###\n{request}");
        let report = lint(file.as_bytes(), &Options::new());
        assert_eq!(report.issues.len(), 1_000);
        // 2 × 601 body issues; the requests themselves are fine but for their sign.
        let all = everything(file.as_bytes(), &Options::new());
        assert_eq!(report.omitted, all.issues.len() - 1_000);
        assert_eq!(report.errors(), all.errors());
        assert_eq!(report.warnings(), all.warnings());
        assert_eq!(report.issues, all.issues[..1_000]);
    }

    #[test]
    fn every_prefix_of_a_mixed_file_lints_without_panics_and_spans_stay_inside() {
        let file = include_bytes!("../../../tests/fixtures/http/multi.http");
        let options = Options::new()
            .with_secret(*b"helloworld")
            .with_now(1_714_528_920);
        for end in 0..=file.len() {
            let input = &file[..end];
            let report = lint_requests(input, &options);
            for issue in &report.issues {
                assert!(
                    issue.span.start <= issue.span.end && issue.span.end as usize <= end,
                    "prefix {end}: {issue:?}"
                );
            }
            for span in report.personal_spans.unwrap() {
                assert!(span.end as usize <= end, "prefix {end}: {span:?}");
            }
        }
        // The whole file: a Qimen request that is fine, then a wdt and a Qimen one with issues.
        let report = lint_requests(file, &options);
        let rules: Vec<&str> = report.issues.iter().map(|i| i.rule).collect();
        assert_eq!(rules, ["timestamp.window", "param.missing"]);
        assert_eq!(report.protocol, Protocol::Mixed);
    }
}
