//! The 金蝶 rules, one small file per concern. They run after the field rules over the typed
//! model and report with JSON Pointer paths. Where a 金蝶 rule says more about a place than the
//! generic rule did (`element-content` for a bare string where a base-data object belongs,
//! `unknown-field` for a misspelt data key), the generic issue gives way to it.

mod batch;
mod keys;
mod reply_errors;
mod values;
mod walk;

use super::KingdeeDocument;
use crate::model::kingdee::KingdeeBody;
use crate::report::{Issue, Msg};
use crate::wire::span::Span;
use std::collections::HashSet;

/// Runs every 金蝶 rule that applies to `doc`, adding to `issues` (field-rule issues the 金蝶
/// rules supersede are removed).
pub(crate) fn check(doc: &KingdeeDocument<'_>, issues: &mut Vec<Issue>) {
    let mut ctx = Ctx::default();
    match &doc.body {
        KingdeeBody::SaveRequest(_) | KingdeeBody::BatchSaveRequest(_) => {
            let seen = walk::walk(&doc.body, &mut ctx);
            batch::check(&doc.body, &seen, &mut ctx);
        }
        KingdeeBody::SaveReply(r) => {
            if let Some(result) = &r.result {
                reply_errors::check(result, &mut ctx);
            }
        }
        KingdeeBody::BatchSaveReply(r) => {
            if let Some(result) = &r.result {
                reply_errors::check(result, &mut ctx);
            }
        }
    }
    if !ctx.supersede.is_empty() || !ctx.pruned.is_empty() {
        let replaced: HashSet<(&str, Span)> = ctx.supersede.iter().copied().collect();
        let pruned: HashSet<&str> = ctx.pruned.iter().map(String::as_str).collect();
        issues.retain(|i| !replaced.contains(&(i.rule, i.span)) && !under_pruned(&i.path, &pruned));
    }
    issues.append(&mut ctx.out);
}

/// Whether `path` lies strictly below one of `pruned` (checked ancestor by ancestor, so the cost
/// is the path's depth, not the number of pruned paths).
fn under_pruned(path: &str, pruned: &HashSet<&str>) -> bool {
    !pruned.is_empty()
        && path
            .match_indices('/')
            .skip(1)
            .any(|(at, _)| pruned.contains(&path[..at]))
}

/// Where 金蝶 issues go, and which field-rule issues they replace.
#[derive(Default)]
pub(crate) struct Ctx {
    out: Vec<Issue>,
    /// (generic rule, span) pairs a 金蝶 issue replaces.
    supersede: Vec<(&'static str, Span)>,
    /// Paths of values of the wrong shape: the field rules' findings below them (each field
    /// "missing") say nothing more.
    pruned: Vec<String>,
}

impl Ctx {
    /// Reports rule `rule` (at its catalogue severity), its message in English and Chinese.
    fn report(&mut self, rule: &'static str, path: String, span: Span, message: Msg) {
        self.out
            .push(crate::rules::issue(rule, path, span, message));
    }

    /// Reports rule `rule` in place of the generic `replaces` issue at the same span.
    fn instead(
        &mut self,
        replaces: &'static str,
        rule: &'static str,
        path: String,
        span: Span,
        message: Msg,
    ) {
        self.supersede.push((replaces, span));
        self.report(rule, path, span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruned_paths_cover_what_lies_below_them_only() {
        let pruned: HashSet<&str> = ["/data/Model"].into_iter().collect();
        assert!(under_pruned("/data/Model/FDate", &pruned));
        assert!(under_pruned("/data/Model/FEntity/0/FStockId", &pruned));
        assert!(!under_pruned("/data/Model", &pruned));
        assert!(!under_pruned("/data/Models/x", &pruned));
        assert!(!under_pruned("/data/BatchCount", &pruned));
        assert!(!under_pruned("/data/Model/FDate", &HashSet::new()));
    }
}
