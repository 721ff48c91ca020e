//! A `.http` file (or raw capture) holding one or more requests, linted as a whole with every
//! position relative to the whole file.
//!
//! Requests are separated by lines that start with `###` (the VS Code REST Client and JetBrains
//! HTTP Client convention; the rest of the line is a name or comment). Each part is one request:
//! optional blank and `#` / `//` comment lines, the request line, headers, a blank line, the
//! body. The body runs up to the next `###` line, byte for byte. A part with nothing but blank
//! and comment lines is skipped.
//!
//! Each request is linted as [`super::lint_request`] would (wdt requests by [`super::wdt`]), and
//! the issues are moved into file coordinates: body issues by the body's offset, request-level
//! Qimen issues to the start of their request line. The merged [`Report`] lists the requests'
//! issues in file order. Its `method`, `body` and `detected` are the request's when the file
//! holds one request, and the shared method when several requests all call the same one.

use crate::options::Limits;
use crate::qimen::lint::{lint_qimen, Report};
use crate::qimen::request::{request_checks, Options};
use crate::validate::{Issue, Severity};
use crate::wdt::request as wdt;
use crate::wire::http;
use crate::wire::located::offset_in;
use crate::wire::span::Span;
use std::ops::Range;

/// Whether the line is a request separator: it starts with `###`.
fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"###")
}

/// Whether the text holds anything but blank lines and `#` / `//` comment lines.
fn has_content(part: &[u8]) -> bool {
    part.split(|&b| b == b'\n').any(|l| {
        let t = l.trim_ascii();
        !(t.is_empty() || t.starts_with(b"#") || t.starts_with(b"//"))
    })
}

/// The byte ranges of the requests in `input`: the text between `###` lines, without the
/// separator lines, parts with no content left out.
pub fn split_requests(input: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < input.len() {
        let end = input[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(input.len(), |i| at + i + 1);
        if is_separator(&input[at..end]) {
            if has_content(&input[start..at]) {
                out.push(start..at);
            }
            start = end;
        }
        at = end;
    }
    if has_content(&input[start..]) {
        out.push(start..input.len());
    }
    out
}

/// Lints the request at `range`; the issues are in file coordinates.
fn lint_one(input: &[u8], range: Range<usize>, options: &Options<'_>, limits: &Limits) -> Report {
    let part = &input[range.clone()];
    let req = match http::parse(part) {
        Ok(req) => req,
        Err(e) => {
            let at = range.start + e.offset;
            let mut report = Report::empty();
            report.issues.push(Issue {
                rule: "request.syntax",
                severity: Severity::Error,
                path: "/".into(),
                span: Span::new(at, at),
                message: e.message,
            });
            // Nothing was decoded: hide the whole part when quoting.
            report.personal_spans = Some(vec![Span::new(range.start, range.end)]);
            return report;
        }
    };
    if let Some(endpoint) = wdt::detect(&req) {
        return wdt::lint_wdt(input, &req, &endpoint, options, limits);
    }
    let line = offset_in(input, req.method.as_bytes());
    let body_at = offset_in(input, req.body);
    let content_type = Some(req.header("content-type").unwrap_or(""));
    let (mut issues, spec) = request_checks(req.query, req.body, content_type, options);
    for issue in &mut issues {
        issue.span = Span::new(line, line);
    }
    let mut report = lint_qimen(req.body, spec.map(|m| m.method), limits);
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
pub fn lint_http_file(input: &[u8], options: &Options<'_>, limits: &Limits) -> Report {
    let ranges = split_requests(input);
    if ranges.is_empty() {
        let mut report = Report::empty();
        report.issues.push(Issue {
            rule: "request.syntax",
            severity: Severity::Error,
            path: "/".into(),
            span: Span::new(0, 0),
            message: "expected a request line `POST /path?query HTTP/1.1`, found no request".into(),
        });
        report.personal_spans = Some(vec![Span::new(0, input.len())]);
        return report;
    }
    let mut linted: Vec<Report> = ranges
        .into_iter()
        .map(|r| lint_one(input, r, options, limits))
        .collect();
    if linted.len() == 1 {
        return linted.remove(0);
    }
    let mut merged = Report::empty();
    let first = &linted[0];
    let same = |f: fn(&Report) -> Option<&'static str>| {
        let v = f(first);
        linted.iter().all(|r| f(r) == v).then_some(v).flatten()
    };
    merged.method = same(|r| r.method);
    merged.protocol = same(|r| Some(r.protocol)).unwrap_or("mixed");
    if merged.method.is_some() {
        merged.body = first.body;
        merged.detected = linted.iter().any(|r| r.detected);
    }
    let mut personal = Vec::new();
    for report in linted {
        merged.issues.extend(report.issues);
        personal.extend(report.personal_spans.unwrap_or_default());
    }
    merged.personal_spans = Some(personal);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_split_on_triple_hash_lines() {
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

    #[test]
    fn every_prefix_of_a_mixed_file_lints_without_panics_and_spans_stay_inside() {
        let file = include_bytes!("../../../tests/fixtures/http/multi.http");
        let options = Options {
            secret: Some(b"helloworld"),
            now: Some(1_714_528_920),
            ..Options::default()
        };
        for end in 0..=file.len() {
            let input = &file[..end];
            let report = lint_http_file(input, &options, &Limits::default());
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
        let report = lint_http_file(file, &options, &Limits::default());
        let rules: Vec<&str> = report.issues.iter().map(|i| i.rule).collect();
        assert_eq!(rules, ["timestamp.window", "param.missing"]);
        assert_eq!(report.protocol, "mixed");
    }
}
