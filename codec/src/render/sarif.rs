//! SARIF 2.1.0, the format GitHub and GitLab code scanning read: one log, one run.
//!
//! - `tool.driver.rules` is the whole catalogue ([`crate::rules::RULES`]) in its order, each
//!   rule with its summary as short and full description and help text, and its default
//!   severity as `defaultConfiguration.level` (error, warning, and `note` for info).
//! - One result per listed issue: `ruleId` and `ruleIndex` into the catalogue, `level` (the
//!   issue's own severity, after a profile re-levelled it), `message.text` (the same masked
//!   message as the other formats), a physical location (the path as a relative URI,
//!   `startLine`/`startColumn`/`endLine`/`endColumn` counted in characters, as
//!   `run.columnKind` says, and `byteOffset`/`byteLength` of the span) and the wire path as
//!   the logical location's `fullyQualifiedName`.
//! - No source snippet is included, so no personal value can leak through one.
//! - Under a counterparty profile, the invocation lists each re-levelling as a
//!   `ruleConfigurationOverrides` entry (`enabled: false` for `off`), and `run.properties`
//!   carries the profile as the JSON report gives it.
//! - Issues over `--max-issues` are counted in a `toolExecutionNotifications` entry per file;
//!   `run.properties.summary` counts every issue, listed or not.

use super::FileReport;
use crate::report::{Lang, ProfileUse, Severity};
use crate::rules::RULES;
use crate::wire::span::LineIndex;
use serde_json::{json, Map, Value};

/// The schema URI written in `$schema`: the OASIS 2.1.0 schema (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF level of a severity: `error`, `warning` or `note`.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Builds the SARIF log for `files`. `complete` is false when some input could not be read
/// (it is then missing from the log), and becomes the invocation's `executionSuccessful`.
pub fn render(files: &[FileReport<'_>], complete: bool) -> Value {
    render_in(files, complete, Lang::En)
}

/// [`render`] with the results' messages and the rules' descriptions in `lang`; rule ids,
/// levels and locations are the same in both languages.
pub fn render_in(files: &[FileReport<'_>], complete: bool, lang: Lang) -> Value {
    let mut results = Vec::new();
    let mut notes = Vec::new();
    let mut profile: Option<ProfileUse> = None;
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for f in files {
        errors += f.report.errors();
        warnings += f.report.warnings();
        infos += f.report.infos();
        crate::profile::merge(&mut profile, f.report.profile.clone());
        let index = LineIndex::new(f.input);
        let uri = uri(f.path);
        for issue in &f.report.issues {
            let (start, end) = (issue.span.start as usize, issue.span.end as usize);
            let (from, to) = (index.line_col(start), index.line_col(end));
            results.push(json!({
                "ruleId": issue.rule,
                "ruleIndex": rule_index(issue.rule),
                "level": level(issue.severity),
                "message": { "text": issue.message_in(lang) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": from.line,
                            "startColumn": from.column,
                            "endLine": to.line,
                            "endColumn": to.column,
                            "byteOffset": start,
                            "byteLength": end - start,
                        },
                    },
                    "logicalLocations": [{ "fullyQualifiedName": issue.path }],
                }],
            }));
        }
        if f.report.omitted > 0 {
            notes.push(json!({
                "level": "warning",
                "message": { "text": match lang {
                    Lang::Zh => format!(
                        "{} 中另有 {} 个问题（{} 个错误）未列出（--max-issues）",
                        f.path, f.report.omitted, f.report.omitted_errors
                    ),
                    _ => format!(
                        "{} more issues in {} ({} errors) not listed (--max-issues)",
                        f.report.omitted, f.path, f.report.omitted_errors
                    ),
                } },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
        }
    }
    let mut invocation = json!({ "executionSuccessful": complete });
    if !notes.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notes);
    }
    let mut properties = Map::new();
    let mut summary = json!({ "files": files.len(), "errors": errors, "warnings": warnings });
    if let Some(p) = &profile {
        summary["infos"] = json!(infos);
        if !p.changed.is_empty() {
            invocation["ruleConfigurationOverrides"] = overrides(p);
        }
        properties.insert("profile".into(), super::json::profile(p));
    }
    properties.insert("summary".into(), summary);
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "qmwire",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(lang),
            } },
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": properties,
        }],
    })
}

/// The catalogue as `reportingDescriptor`s.
fn rules(lang: Lang) -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            let summary = r.summary_in(lang);
            let help = match lang {
                Lang::Zh => format!(
                    "{summary}（`qmwire explain {}` 会打印这段说明；docs/lint.md 列出了所有规则）",
                    r.id
                ),
                _ => format!(
                    "{summary} (`qmwire explain {}` prints this; docs/lint.md lists every rule)",
                    r.id
                ),
            };
            json!({
                "id": r.id,
                "shortDescription": { "text": short(summary) },
                "fullDescription": { "text": summary },
                "help": { "text": help },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect()
}

/// The first clause of a summary (up to `;` or `. `), for `shortDescription`.
fn short(summary: &str) -> &str {
    let end = [
        summary.find("; "),
        summary.find(". "),
        summary.find('；'),
        summary.find('。'),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(summary.len());
    &summary[..end]
}

/// The position of `rule` in [`RULES`] (every reported id is in it; a test checks that), or
/// SARIF's "not given", -1.
fn rule_index(rule: &str) -> i64 {
    RULES
        .iter()
        .position(|r| r.id == rule)
        .map_or(-1, |i| i as i64)
}

/// One `configurationOverride` per rule and level a profile gave it.
fn overrides(p: &ProfileUse) -> Value {
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<(&str, Option<Severity>)> = Vec::new();
    for c in &p.changed {
        if seen.contains(&(c.rule, c.to)) {
            continue;
        }
        seen.push((c.rule, c.to));
        let configuration = match c.to {
            Some(s) => json!({ "level": level(s) }),
            None => json!({ "enabled": false }),
        };
        out.push(json!({
            "descriptor": { "id": c.rule, "index": rule_index(c.rule) },
            "configuration": configuration,
        }));
    }
    Value::Array(out)
}

/// `path` as a URI reference: a relative path stays relative (to the working directory, as
/// code-scanning services resolve it against the checkout), an absolute one becomes a `file:`
/// URI; bytes outside the unreserved set and `/` are percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./a/b c.xml"), "a/b%20c.xml");
        assert_eq!(
            uri("/tmp/订单#1.xml"),
            "file:///tmp/%E8%AE%A2%E5%8D%95%231.xml"
        );
        assert_eq!(uri("-"), "-");
    }

    #[test]
    fn short_descriptions_end_at_the_first_clause() {
        assert_eq!(short("a b; c. d"), "a b");
        assert_eq!(short("a. b; c"), "a");
        assert_eq!(short("whole"), "whole");
    }
}
