//! The rule catalogue is complete and alive: every id a report carries is declared in
//! `qmwire::rules`, every declared rule is reported by some bundled fixture, and every rule is
//! documented in docs/lint.md.

use crate::files::{repo, under};
use qmwire::rules::RULES;
use qmwire::{Options, PrivacyCheck, Shape};
use std::collections::BTreeSet;

/// The option sets every fixture is linted under: plain, strict privacy, and (for requests)
/// with a secret and a clock, so request-level rules get their chance.
pub(crate) fn option_sets(path: &std::path::Path) -> Vec<Options> {
    let hint = path
        .extension()
        .and_then(|e| Shape::from_extension(&e.to_string_lossy()))
        .filter(|s| *s != Shape::Xml);
    let mut base = Options::new();
    base.shape = hint;
    let now = qmwire::wire::timestamp::parse_qimen("2024-05-01 10:00:00").unwrap();
    let mut sets = vec![
        base.clone(),
        base.clone().with_privacy(PrivacyCheck::Forbid),
        base.clone().with_secret(*b"helloworld").with_now(now),
    ];
    // Fixtures written for a counterparty profile are linted under it too.
    let dir = path
        .parent()
        .and_then(|d| d.file_name())
        .map(|d| d.to_string_lossy().into_owned());
    if path
        .parent()
        .and_then(|d| d.parent())
        .is_some_and(|d| d.ends_with("profiles"))
    {
        sets.push(base.with_profile(crate::profiles::fixture_profile(&dir.unwrap())));
    }
    sets
}

#[test]
fn every_reported_rule_is_catalogued_and_every_catalogued_rule_is_reported() {
    let catalogued: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(catalogued.len(), RULES.len(), "an id is declared twice");
    let mut seen = BTreeSet::new();
    let files = [
        under("tests/fixtures", &["xml", "json", "form", "http"]),
        under("examples", &["xml", "json", "form", "http"]),
    ]
    .concat();
    assert!(files.len() > 100, "{} fixtures", files.len());
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for options in option_sets(path) {
            for issue in qmwire::lint(&bytes, &options).issues {
                assert!(
                    catalogued.contains(issue.rule),
                    "{}: rule `{}` is not in qmwire::rules::RULES",
                    path.display(),
                    issue.rule
                );
                seen.insert(issue.rule);
            }
        }
    }
    let never: Vec<_> = catalogued.difference(&seen).collect();
    assert!(never.is_empty(), "no fixture reports {never:?}");
}

#[test]
fn every_rule_is_documented() {
    let docs = std::fs::read_to_string(repo().join("docs/lint.md")).unwrap();
    for rule in RULES {
        assert!(
            docs.contains(&format!("| `{}` |", rule.id)),
            "docs/lint.md has no table row for `{}`",
            rule.id
        );
    }
}
