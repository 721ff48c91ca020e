//! The fixture corpus under `tests/fixtures/qimen/<method>/`:
//! - `ok_*.xml` must have no error; `err_NNN_<rule>.xml` exactly one error, of rule `<rule>`;
//!   `warn_NNN_<rule>.xml` no error and exactly one warning, of rule `<rule>`;
//! - each is snapshotted (decoded model with personal values masked, plus the full report);
//! - every decodable fixture survives decode → encode → decode unchanged;
//! - no personal value of any fixture appears in the snapshot, the human or the JSON output.

use crate::front::{lint_qimen, qimen_personal as personal_fields};
use qmwire::options::Limits;
use qmwire::qimen::decode_qimen;
use qmwire::qimen::detect::method;
use qmwire::render::dump::dump;
use qmwire::render::{self, FileReport};
use qmwire::xml::encode;
use std::path::{Path, PathBuf};

struct Fixture {
    /// `deliveryorder.create/err_001_enum.xml`
    name: String,
    method: Option<&'static str>,
    expected_rule: Option<String>,
    /// The rule is a warning's (`warn_NNN_<rule>`), not an error's.
    warning: bool,
    bytes: Vec<u8>,
}

fn fixtures() -> Vec<Fixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/qimen");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/qimen exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        let method = method(&folder).map(|m| m.method);
        assert!(
            method.is_some() || folder == "response" || folder == "error_response",
            "fixture folder `{folder}` names no known method"
        );
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().to_string();
            let warning = stem.starts_with("warn_");
            let expected_rule = stem
                .strip_prefix("err_")
                .or_else(|| stem.strip_prefix("warn_"))
                .map(|rest| rest.split_once('_').expect("err_NNN_<rule>").1.to_string());
            assert!(
                expected_rule.is_some() || stem.starts_with("ok_"),
                "fixture {folder}/{stem}: name must start with ok_, err_NNN_<rule> or warn_NNN_<rule>"
            );
            out.push(Fixture {
                name: format!("{folder}/{stem}.xml"),
                method,
                expected_rule,
                warning,
                bytes: std::fs::read(&file).unwrap(),
            });
        }
    }
    assert!(
        out.len() >= 40,
        "expected a full corpus, found {} fixtures",
        out.len()
    );
    out
}

#[test]
fn every_fixture_reports_exactly_what_it_plants() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let report = lint_qimen(&f.bytes, f.method, &Limits::default());
        let of = |severity| -> Vec<&str> {
            report
                .issues
                .iter()
                .filter(|i| i.severity == severity)
                .map(|i| i.rule)
                .collect()
        };
        let (errors, warnings) = (of(qmwire::Severity::Error), of(qmwire::Severity::Warning));
        let ok = match &f.expected_rule {
            None => errors.is_empty(),
            Some(rule) if f.warning => errors.is_empty() && warnings == [rule.as_str()],
            Some(rule) => errors == [rule.as_str()],
        };
        if !ok {
            failures.push(format!(
                "{}: expected {}, got errors {:?}",
                f.name,
                f.expected_rule.as_deref().unwrap_or("none"),
                report.issues
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn snapshots_of_model_and_report() {
    for f in fixtures() {
        let input = String::from_utf8_lossy(&f.bytes).into_owned();
        let spec = f.method.and_then(method);
        let model = match decode_qimen(&f.bytes, spec, &Limits::default()) {
            Ok(doc) => dump(&doc.body),
            Err(e) => format!("(not decoded: {})\n", e.to_issue().message),
        };
        let report = lint_qimen(&f.bytes, f.method, &Limits::default());
        let json = render::json::render(&[FileReport {
            path: &f.name,
            input: &input,
            report: &report,
        }]);
        let snapshot = format!(
            "--- model\n{model}--- report\n{}\n",
            serde_json::to_string_pretty(&json).unwrap()
        );
        let name = f.name.trim_end_matches(".xml").replace('/', "__");
        insta::assert_snapshot!(name, snapshot);
    }
}

#[test]
fn decode_encode_decode_is_identity() {
    let mut checked = 0;
    for f in fixtures() {
        let spec = f.method.and_then(method);
        let Ok(doc) = decode_qimen(&f.bytes, spec, &Limits::default()) else {
            continue;
        };
        let xml = encode(&doc.body);
        let again = doc
            .body
            .kind()
            .decode(&xml, &Limits::default())
            .unwrap_or_else(|e| {
                panic!(
                    "{}: re-decoding the encoded form failed: {e}\n{xml}",
                    f.name
                )
            });
        assert_eq!(
            doc.body, again,
            "{}: model changed in the round trip",
            f.name
        );
        // Encoding is stable after the first pass.
        assert_eq!(encode(&again), xml, "{}", f.name);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixtures round-tripped");
}

#[test]
fn personal_values_never_leave_the_library() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/snapshots");
    let mut snapshot_text = String::new();
    for e in std::fs::read_dir(&snapshots).into_iter().flatten() {
        snapshot_text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap_or_default());
    }
    let mut seen = 0;
    for f in fixtures() {
        let spec = f.method.and_then(method);
        let Ok(doc) = decode_qimen(&f.bytes, spec, &Limits::default()) else {
            continue;
        };
        let input = doc.input;
        let report = lint_qimen(&f.bytes, f.method, &Limits::default());
        let files = [FileReport {
            path: &f.name,
            input,
            report: &report,
        }];
        let human = render::human::render(&files);
        let json = render::json::render(&files).to_string();
        let model = dump(&doc.body);
        for (class, span) in personal_fields(&doc.body) {
            let value = input[span.range()].trim();
            if value.chars().count() < 2 {
                continue;
            }
            seen += 1;
            for (what, text) in [
                ("human output", &human),
                ("JSON output", &json),
                ("model dump", &model),
                ("snapshots", &snapshot_text),
            ] {
                assert!(
                    !text.contains(value),
                    "{}: a {} value appears in the {what}",
                    f.name,
                    class.as_str()
                );
            }
        }
    }
    assert!(
        seen >= 20,
        "the corpus has only {seen} personal values to check"
    );
}
