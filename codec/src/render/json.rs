//! The machine-readable report: exactly one JSON document for the whole run.
//!
//! ```text
//! {"files":[{"path":…,"protocol":"qimen","method":…|null,"method_detected":bool,"valid":bool,
//!   "issues":[{"rule":…,"severity":"error"|"warning","path":…,"line":N,"column":N,"message":…}],
//!   "omitted":N}],
//!  "summary":{"files":N,"errors":N,"warnings":N}}
//! ```
//!
//! `omitted` counts the issues over the cap ([`crate::Options::max_issues`]) that `issues` does
//! not list; the summary counts every issue, listed or not.

use super::FileReport;
use crate::wire::span::LineIndex;
use serde_json::{json, Value};

/// Builds the JSON report for `files`.
pub fn render(files: &[FileReport<'_>]) -> Value {
    let (mut errors, mut warnings) = (0, 0);
    let list: Vec<Value> = files
        .iter()
        .map(|f| {
            errors += f.report.errors();
            warnings += f.report.warnings();
            let index = LineIndex::new(f.input);
            let issues: Vec<Value> = f
                .report
                .issues
                .iter()
                .map(|i| {
                    let at = index.line_col(i.span.start as usize);
                    json!({
                        "rule": i.rule,
                        "severity": i.severity.as_str(),
                        "path": i.path,
                        "line": at.line,
                        "column": at.column,
                        "message": i.message,
                    })
                })
                .collect();
            json!({
                "path": f.path,
                "protocol": f.report.protocol.as_str(),
                "method": f.report.method,
                "method_detected": f.report.detected,
                "valid": f.report.is_valid(),
                "issues": issues,
                "omitted": f.report.omitted,
            })
        })
        .collect();
    json!({
        "files": list,
        "summary": { "files": files.len(), "errors": errors, "warnings": warnings },
    })
}
