//! The machine-readable report: exactly one JSON document for the whole run.
//!
//! ```text
//! {"files":[{"path":…,"protocol":"qimen","method":…|null,"method_detected":bool,"valid":bool,
//!   "issues":[{"rule":…,"severity":"error"|"warning","path":…,"line":N,"column":N,"message":…}],
//!   "omitted":N, "profile":{…}}],
//!  "summary":{"files":N,"errors":N,"warnings":N, "infos":N}}
//! ```
//!
//! `omitted` counts the issues over the cap ([`crate::Options::max_issues`]) that `issues` does
//! not list; the summary counts every issue, listed or not. Under a counterparty profile (and
//! only then) each file names it, `"profile":{"id":…,"changed":[{"rule":…,"from":"error",
//! "to":"off"|"info"|"warning"|"error","count":N}]}` (every rule the profile re-levelled that
//! fired), severities may be `"info"`, and the summary counts `"infos"`.

use super::FileReport;
use crate::report::{Lang, ProfileUse};
use crate::wire::span::LineIndex;
use serde_json::{json, Value};

/// Builds the JSON report for `files`, messages in English.
pub fn render(files: &[FileReport<'_>]) -> Value {
    render_in(files, Lang::En)
}

/// Builds the JSON report for `files` with each `message` in `lang`; the shape and every other
/// value are the same in both languages.
pub fn render_in(files: &[FileReport<'_>], lang: Lang) -> Value {
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    let profiled = files.iter().any(|f| f.report.profile.is_some());
    let list: Vec<Value> = files
        .iter()
        .map(|f| {
            errors += f.report.errors();
            warnings += f.report.warnings();
            infos += f.report.infos();
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
                        "message": i.message_in(lang),
                    })
                })
                .collect();
            let mut file = json!({
                "path": f.path,
                "protocol": f.report.protocol.as_str(),
                "method": f.report.method,
                "method_detected": f.report.detected,
                "valid": f.report.is_valid(),
                "issues": issues,
                "omitted": f.report.omitted,
            });
            if let Some(p) = &f.report.profile {
                file["profile"] = profile(p);
            }
            file
        })
        .collect();
    let mut summary = json!({ "files": files.len(), "errors": errors, "warnings": warnings });
    if profiled {
        summary["infos"] = json!(infos);
    }
    json!({ "files": list, "summary": summary })
}

/// A file's `profile`: `{"id":…,"changed":[{"rule":…,"from":…,"to":…,"count":N}]}`.
pub(crate) fn profile(p: &ProfileUse) -> Value {
    let changed: Vec<Value> = p
        .changed
        .iter()
        .map(|c| {
            json!({
                "rule": c.rule,
                "from": c.from.as_str(),
                "to": c.to.map_or("off", |s| s.as_str()),
                "count": c.count,
            })
        })
        .collect();
    json!({ "id": p.id, "changed": changed })
}
