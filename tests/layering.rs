//! The library's imports point down (docs/design.md, "Layout"): no import cycle between its
//! top-level modules, and the layers named there never reach up.
//!
//! The generated models (`model/qimen`, `model/wdt`, `model/kingdee`) are a layer of their own: they implement
//! the XML and JSON decoders' traits, so they sit above `xml/` and `json/`, which sit above the
//! format-neutral vocabulary of `model/`.

use crate::files::{repo, under};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layer a source file belongs to: its top-level module, with the generated models apart.
fn layer(file: &Path) -> String {
    let rel = file.strip_prefix(repo().join("codec/src")).unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [model, protocol, ..]
            if model == "model"
                && (protocol == "qimen" || protocol == "wdt" || protocol == "kingdee") =>
        {
            "model(gen)".into()
        }
        [top, ..] => top.clone(),
        [] => unreachable!(),
    }
}

/// The top-level modules a file's code (not its tests, not its comments) names as `crate::x`.
fn imports(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let generated = path.starts_with("model::qimen")
                || path.starts_with("model::wdt")
                || path.starts_with("model::kingdee");
            if !name.is_empty() {
                out.insert(if generated { "model(gen)".into() } else { name });
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in under("codec/src", &["rs"]) {
        let from = layer(&file);
        if from == "lib" || from == "fuzzing" {
            continue; // the crate root and the test harnesses see everything
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for to in imports(&text) {
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

#[test]
fn no_import_cycle_between_modules() {
    let edges = graph();
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    assert!(edges.len() > 15, "{edges:?}");
}

#[test]
fn lower_layers_never_reach_up() {
    let edges = graph();
    let above = [
        "qimen", "wdt", "kingdee", "redact", "convert", "render", "front", "input",
    ];
    for low in [
        "options", "profile", "validate", "privacy", "model", "xml", "json", "sign", "wire",
    ] {
        for up in edges.get(low).into_iter().flatten() {
            assert!(!above.contains(&up.as_str()), "`{low}` imports `{up}`");
        }
    }
    for low in ["model", "xml", "json", "wire", "report", "error", "rules"] {
        for up in edges.get(low).into_iter().flatten() {
            assert!(
                !["validate", "privacy"].contains(&up.as_str()),
                "`{low}` imports `{up}`"
            );
        }
    }
    for up in edges.get("json").into_iter().flatten() {
        assert_ne!(up, "xml", "the JSON reader imports the XML reader");
    }
    for up in edges.get("sign").into_iter().flatten() {
        assert_eq!(up, "wire", "signing stands on wire/ alone");
    }
    assert_eq!(edges.get("wire"), None, "wire/ is the bottom layer");
}
