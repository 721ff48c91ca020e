//! Re-levelling a report's issues by a profile's `[rules]` and `[[overrides]]`, and recording
//! what changed in [`ProfileUse`].

use super::paths::normalize;
use super::Profile;
use crate::report::{Issue, ProfileUse, Report, RuleChange};

/// Re-levels `report`'s issues (of one body or one request, whose method is `report.method`)
/// and adds a `profile.method` issue when the profile does not offer the method. Records the
/// profile and every change in [`Report::profile`].
pub(crate) fn relevel(profile: &Profile, report: &mut Report) {
    let method = report.method;
    let mut use_ = report.profile.take().unwrap_or_else(|| ProfileUse {
        id: profile.id.clone(),
        changed: Vec::new(),
    });
    if let Some(level) = method.and_then(|m| profile.unlisted(m)) {
        if let Some(severity) = level.severity() {
            report.issues.insert(
                0,
                Issue {
                    rule: crate::rules::PROFILE_METHOD,
                    severity,
                    path: "/".into(),
                    span: crate::wire::span::Span::default(),
                    message: format!(
                        "profile `{}` does not list `{}` among the methods this counterparty offers",
                        profile.id,
                        method.unwrap_or_default()
                    ),
                    message_zh: Some(format!(
                        "对接方配置 `{}` 列出的该对接方支持的方法里没有 `{}`",
                        profile.id,
                        method.unwrap_or_default()
                    )),
                },
            );
        }
    }
    if !profile.rules.is_empty() || !profile.overrides.is_empty() {
        let bare = (report.protocol == crate::report::Protocol::Wdt)
            .then(|| method.and_then(crate::model::wdt::method))
            .flatten()
            .and_then(|m| m.request.bare());
        let mut kept = Vec::with_capacity(report.issues.len());
        for mut issue in std::mem::take(&mut report.issues) {
            let path = normalize(&issue.path, bare);
            let Some(level) = profile.level(issue.rule, &path, method) else {
                kept.push(issue);
                continue;
            };
            let to = level.severity();
            if to != Some(issue.severity) {
                record(&mut use_.changed, issue.rule, issue.severity, to, 1);
            }
            if let Some(severity) = to {
                issue.severity = severity;
                kept.push(issue);
            }
        }
        report.issues = kept;
    }
    report.profile = Some(use_);
}

/// Counts `count` changes of `rule` from `from` to `to`.
fn record(
    changed: &mut Vec<RuleChange>,
    rule: &'static str,
    from: crate::Severity,
    to: Option<crate::Severity>,
    count: usize,
) {
    match changed
        .iter_mut()
        .find(|c| c.rule == rule && c.from == from && c.to == to)
    {
        Some(c) => c.count += count,
        None => changed.push(RuleChange {
            rule,
            from,
            to,
            count,
        }),
    }
}

/// Adds `other`'s changes to `into` (reports of several requests merged into one).
pub(crate) fn merge(into: &mut Option<ProfileUse>, other: Option<ProfileUse>) {
    let Some(other) = other else { return };
    match into {
        None => *into = Some(other),
        Some(mine) => {
            for c in other.changed {
                record(&mut mine.changed, c.rule, c.from, c.to, c.count);
            }
        }
    }
}
