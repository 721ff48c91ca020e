//! JUnit XML, as Jenkins and GitLab test reports read it: `<testsuites>` holding one
//! `<testsuite name="qmwire lint">` for the run.
//!
//! - One `<testcase>` per file (`name` is the path, `classname` is `qmwire.lint`, `file` the
//!   path). A `.http` file (or a capture) holding several requests gives one test case per
//!   request, named `PATH [request N, line L]` (L is its request line), unless `--max-issues`
//!   cut the file's list short: the omitted issues cannot be placed in a request, so the file
//!   is then one test case.
//! - A test case with an error has one `<failure>` (both Jenkins and GitLab read only the
//!   first): `type` is the first error's rule id, `message` that error's rule and message
//!   (with the count when there are more), and the text lists every error, one a line:
//!   `error[RULE] WIRE-PATH at FILE:LINE:COLUMN: MESSAGE`.
//! - Warnings and infos go to the test case's `<system-out>` in the same one-line form (Jenkins
//!   shows it; GitLab shows only failures), with the count of issues not listed.
//! - `tests` counts the test cases, `failures` those with an error; `errors` and `skipped` are
//!   0 (a file that cannot be read is reported on standard error and makes the exit code 2,
//!   as with the other formats).
//! - Under a counterparty profile, the suite's `<properties>` name it (`profile`) and each
//!   re-levelling (`profile.changed`).
//! - Text is XML-escaped; control characters (and the non-characters U+FFFE, U+FFFF, which
//!   XML 1.0 does not allow) are written as `\u{…}`, as the human output writes them, so the
//!   document stays well-formed whatever the input held. Messages never hold a personal value,
//!   and no source line is quoted.

use super::human::escaped;
use super::FileReport;
use crate::report::{Issue, Lang, Severity};
use crate::wire::http;
use crate::wire::span::LineIndex;
use crate::xml::encode::escape_into;
use std::fmt::Write;
use std::ops::Range;

/// One test case: its name, the file it is in, and its issues.
struct Case<'a> {
    name: String,
    path: &'a str,
    issues: Vec<&'a Issue>,
    /// Issues found but not listed (`--max-issues`), and how many of them are errors.
    omitted: (usize, usize),
    index: &'a LineIndex<'a>,
}

/// Renders the JUnit XML document for `files`, messages in English.
pub fn render(files: &[FileReport<'_>]) -> String {
    render_in(files, Lang::En)
}

/// Renders the JUnit XML document for `files` with messages (and the few words around them)
/// in `lang`; test case names, rule ids, paths and positions are the same in both languages.
pub fn render_in(files: &[FileReport<'_>], lang: Lang) -> String {
    let indexes: Vec<LineIndex<'_>> = files.iter().map(|f| LineIndex::new(f.input)).collect();
    let cases: Vec<Case<'_>> = files
        .iter()
        .zip(&indexes)
        .flat_map(|(f, index)| cases(f, index))
        .collect();
    let failures = cases.iter().filter(|c| c.failed()).count();
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\"",
        cases.len()
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"qmwire lint\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"qmwire lint\" {counts}>");
    properties(&mut out, files);
    for case in &cases {
        case.write(&mut out, lang);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// The suite's `<properties>`: the profile and what it re-levelled, when there is one.
fn properties(out: &mut String, files: &[FileReport<'_>]) {
    let mut profile = None;
    for f in files {
        crate::profile::merge(&mut profile, f.report.profile.clone());
    }
    let Some(p) = profile else { return };
    out.push_str("    <properties>\n");
    property(out, "profile", &p.id);
    for c in &p.changed {
        let to = c.to.map_or("off", |s| s.as_str());
        let value = format!("{}: {} → {to} ×{}", c.rule, c.from, c.count);
        property(out, "profile.changed", &value);
    }
    out.push_str("    </properties>\n");
}

fn property(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "      <property name=\"{name}\" value=\"");
    text(out, value);
    out.push_str("\"/>\n");
}

/// The test cases of one file: one per request of a request file with several, else one.
fn cases<'a>(f: &FileReport<'a>, index: &'a LineIndex<'a>) -> Vec<Case<'a>> {
    let whole = || Case {
        name: f.path.to_string(),
        path: f.path,
        issues: f.report.issues.iter().collect(),
        omitted: (f.report.omitted, f.report.omitted_errors),
        index,
    };
    let requests = if is_request_file(f) && f.report.omitted == 0 {
        http::split_requests(f.input.as_bytes())
    } else {
        Vec::new()
    };
    if requests.len() < 2 {
        return vec![whole()];
    }
    let mut cases: Vec<Case<'a>> = requests
        .iter()
        .enumerate()
        .map(|(n, r)| Case {
            name: format!(
                "{} [request {}, line {}]",
                f.path,
                n + 1,
                index.line_col(request_line(f.input, r)).line
            ),
            path: f.path,
            issues: Vec::new(),
            omitted: (0, 0),
            index,
        })
        .collect();
    for issue in &f.report.issues {
        // The last request starting at or before the issue holds it.
        let at = issue.span.start as usize;
        let n = requests
            .partition_point(|r| r.start <= at)
            .saturating_sub(1);
        cases[n].issues.push(issue);
    }
    cases
}

/// Whether `f` was linted as HTTP requests: a `.http` file, or content that starts with a
/// request line (as [`crate::input::sniff`] decides without a shape hint).
fn is_request_file(f: &FileReport<'_>) -> bool {
    std::path::Path::new(f.path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("http"))
        || http::looks_like_request(f.input.as_bytes())
}

/// The offset of the request line in `range`: its first line that is not blank or a comment.
fn request_line(input: &str, range: &Range<usize>) -> usize {
    let mut at = range.start;
    for line in input[range.clone()].split_inclusive('\n') {
        let t = line.trim();
        if !(t.is_empty() || t.starts_with('#') || t.starts_with("//")) {
            return at;
        }
        at += line.len();
    }
    range.start
}

impl Case<'_> {
    fn failed(&self) -> bool {
        self.omitted.1 > 0 || self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    fn write(&self, out: &mut String, lang: Lang) {
        let zh = lang == Lang::Zh;
        out.push_str("    <testcase name=\"");
        text(out, &self.name);
        out.push_str("\" classname=\"qmwire.lint\" file=\"");
        text(out, self.path);
        out.push('"');
        let (errors, others): (Vec<&Issue>, Vec<&Issue>) = self
            .issues
            .iter()
            .partition(|i| i.severity == Severity::Error);
        let (omitted, omitted_errors) = self.omitted;
        if errors.is_empty() && others.is_empty() && omitted == 0 {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        if self.failed() {
            let total = errors.len() + omitted_errors;
            let (kind, message) = match errors.first() {
                Some(first) if total > 1 && zh => (
                    first.rule,
                    format!(
                        "共 {total} 个错误；第一个：{}: {}",
                        first.rule,
                        first.message_in(lang)
                    ),
                ),
                Some(first) if total > 1 => (
                    first.rule,
                    format!(
                        "{total} errors; first: {}: {}",
                        first.rule,
                        first.message_in(lang)
                    ),
                ),
                Some(first) => (
                    first.rule,
                    format!("{}: {}", first.rule, first.message_in(lang)),
                ),
                None if zh => ("omitted", format!("{total} 个错误，未列出")),
                None => ("omitted", format!("{total} errors, not listed")),
            };
            out.push_str("      <failure type=\"");
            text(out, kind);
            out.push_str("\" message=\"");
            text(out, &message);
            out.push_str("\">");
            for issue in &errors {
                self.line(out, issue, lang);
            }
            if omitted_errors > 0 && zh {
                let _ = writeln!(out, "…… 另有 {omitted_errors} 个错误未列出");
            } else if omitted_errors > 0 {
                let _ = writeln!(out, "… and {omitted_errors} more errors, not listed");
            }
            out.push_str("</failure>\n");
        }
        let omitted_others = omitted - omitted_errors;
        if !others.is_empty() || omitted_others > 0 {
            out.push_str("      <system-out>");
            for issue in &others {
                self.line(out, issue, lang);
            }
            if omitted_others > 0 && zh {
                let _ = writeln!(out, "…… 另有 {omitted_others} 个警告或提示未列出");
            } else if omitted_others > 0 {
                let _ = writeln!(
                    out,
                    "… and {omitted_others} more warnings or infos, not listed"
                );
            }
            out.push_str("</system-out>\n");
        }
        out.push_str("    </testcase>\n");
    }

    /// `SEVERITY[RULE] PATH at FILE:LINE:COLUMN: MESSAGE` and a newline.
    fn line(&self, out: &mut String, issue: &Issue, lang: Lang) {
        let at = self.index.line_col(issue.span.start as usize);
        let line = format!(
            "{}[{}] {} at {}:{}:{}: {}",
            issue.severity,
            issue.rule,
            issue.path,
            self.path,
            at.line,
            at.column,
            issue.message_in(lang)
        );
        text(out, &line);
        out.push('\n');
    }
}

/// Writes `value` as XML text (or an attribute value): escaped, with control characters and
/// the non-characters U+FFFE and U+FFFF written as `\u{…}`.
fn text(out: &mut String, value: &str) {
    let clean = escaped(value);
    if clean.contains(['\u{FFFE}', '\u{FFFF}']) {
        let clean = clean
            .replace('\u{FFFE}', "\\u{fffe}")
            .replace('\u{FFFF}', "\\u{ffff}");
        escape_into(out, &clean);
    } else {
        escape_into(out, &clean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_stripped_of_what_xml_forbids() {
        let mut out = String::new();
        text(&mut out, "a<b>&\"'\u{1b}\u{0}\u{FFFE}\n");
        assert_eq!(
            out,
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1b}\\u{0}\\u{fffe}\\u{a}"
        );
    }
}
