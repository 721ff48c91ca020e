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
use crate::report::Issue;
use crate::wire::span::Span;

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
    issues.retain(|i| {
        !ctx.supersede
            .iter()
            .any(|(rule, span)| i.rule == *rule && i.span == *span)
            && !ctx.pruned.iter().any(|p| {
                i.path
                    .strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
    });
    issues.append(&mut ctx.out);
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
    /// Reports rule `rule` (at its catalogue severity).
    fn report(&mut self, rule: &'static str, path: String, span: Span, message: String) {
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
        message: String,
    ) {
        self.supersede.push((replaces, span));
        self.report(rule, path, span, message);
    }
}
