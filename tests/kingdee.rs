//! The 金蝶 fixture corpus under `tests/fixtures/kingdee/<operation>/` (see
//! tests/fixtures/README.md):
//! - `ok_*` gives no issue at all; `err_NNN_<rule>` exactly one error, of rule `<rule>`, and no
//!   warning; `warn_NNN_<rule>` no error and one warning, of rule `<rule>`;
//! - each is linted without `--method` (told from its keys and `Model`'s shape) and with the
//!   folder's operation, with the same findings;
//! - each is snapshotted (model, plus the full JSON report);
//! - every body survives decode → encode → decode unchanged.

use qmwire::kingdee::decode_kingdee;
use qmwire::model::kingdee::method;
use qmwire::options::Limits;
use qmwire::render::dump::dump_kingdee;
use qmwire::render::{self, FileReport};
use qmwire::{Options, Protocol, Report, Severity};
use std::path::Path;

struct Fixture {
    /// `BatchSave/err_001_kingdee.envelope-key.json`
    name: String,
    operation: &'static str,
    /// (rule, warning) the name plants; `None` for `ok_`.
    expect: Option<(String, bool)>,
    text: String,
}

fn fixtures() -> Vec<Fixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kingdee");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fixtures/kingdee exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        let operation = method(&folder)
            .unwrap_or_else(|| panic!("fixture folder `{folder}` names no 金蝶 operation"))
            .method;
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().to_string();
            let rule = |prefix: &str| {
                stem.strip_prefix(prefix)
                    .map(|rest| rest.split_once('_').expect("NNN_<rule>").1.to_string())
            };
            let expect = match (rule("err_"), rule("warn_")) {
                (Some(r), _) => Some((r, false)),
                (_, Some(r)) => Some((r, true)),
                _ => {
                    assert!(stem.starts_with("ok_"), "{folder}/{stem}: bad fixture name");
                    None
                }
            };
            out.push(Fixture {
                name: format!("{folder}/{stem}.json"),
                operation,
                expect,
                text: std::fs::read_to_string(&file).unwrap(),
            });
        }
    }
    assert!(out.len() >= 18, "{} fixtures", out.len());
    out
}

fn rules(report: &Report, severity: Severity) -> Vec<&'static str> {
    report
        .issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| i.rule)
        .collect()
}

#[test]
fn every_fixture_reports_exactly_what_it_plants() {
    for f in fixtures() {
        let detected = qmwire::lint(f.text.as_bytes(), &Options::new());
        let given = qmwire::lint(f.text.as_bytes(), &Options::new().with_method(f.operation));
        // Save and BatchSave replies have one shape: a reply is read as BatchSave's unless the
        // operation is given.
        let reply = f.text.trim_start().starts_with("{\"Result\"");
        let seen = if reply { "BatchSave" } else { f.operation };
        for (report, operation) in [(&detected, seen), (&given, f.operation)] {
            assert_eq!(report.protocol, Protocol::Kingdee, "{}", f.name);
            assert_eq!(report.method, Some(operation), "{}", f.name);
            let (errors, warnings) = (
                rules(report, Severity::Error),
                rules(report, Severity::Warning),
            );
            match &f.expect {
                None => assert!(report.issues.is_empty(), "{}: {:?}", f.name, report.issues),
                Some((rule, false)) => {
                    assert_eq!(errors, [rule.as_str()], "{}", f.name);
                    assert!(warnings.is_empty(), "{}: {warnings:?}", f.name);
                }
                Some((rule, true)) => {
                    assert!(errors.is_empty(), "{}: {errors:?}", f.name);
                    assert_eq!(warnings, [rule.as_str()], "{}", f.name);
                }
            }
        }
        assert!(detected.detected && !given.detected, "{}", f.name);
        assert_eq!(detected.issues, given.issues, "{}", f.name);
    }
}

#[test]
fn snapshots_of_model_and_report() {
    for f in fixtures() {
        let model = match decode_kingdee(f.text.as_bytes(), method(f.operation), &Limits::default())
        {
            Ok(doc) => dump_kingdee(&doc.body),
            Err(e) => format!("(not decoded: {})\n", e.to_issue().message),
        };
        let report = qmwire::lint(f.text.as_bytes(), &Options::new());
        let json = render::json::render(&[FileReport {
            path: &f.name,
            input: &f.text,
            report: &report,
        }]);
        let snapshot = format!(
            "--- model\n{model}--- report\n{}\n",
            serde_json::to_string_pretty(&json).unwrap()
        );
        let stem = f.name.rsplit_once('.').unwrap().0;
        insta::assert_snapshot!(stem.replace('/', "__"), snapshot);
    }
}

#[test]
fn decode_encode_decode_is_identity() {
    for f in fixtures() {
        let doc = decode_kingdee(f.text.as_bytes(), method(f.operation), &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {}", f.name, e.to_issue().message));
        let encoded = doc.body.encode(false);
        let again = doc
            .body
            .kind()
            .decode(&encoded, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: re-decoding failed: {e}\n{encoded}", f.name));
        assert_eq!(doc.body, again, "{}", f.name);
        assert_eq!(again.encode(false), encoded, "{}", f.name);
    }
}

#[test]
fn save_and_batch_save_are_told_apart_by_the_model() {
    let save = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kingdee/Save/ok_001.json"),
    )
    .unwrap();
    let report = qmwire::lint(save.as_bytes(), &Options::new());
    assert_eq!((report.method, report.issues.len()), (Some("Save"), 0));
    // The same bill called as a BatchSave: Model must then be an array.
    let report = qmwire::lint(save.as_bytes(), &Options::new().with_method("batchSave"));
    let found: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.rule, i.path.as_str()))
        .collect();
    assert_eq!(found, [("kingdee.model-shape", "/data/Model")]);
    // And an array sent to Save.
    let mut value: serde_json::Value = serde_json::from_str(&save).unwrap();
    let bill = value["data"]["Model"].take();
    value["data"]["Model"] = serde_json::Value::Array(vec![bill]);
    let batch = serde_json::to_string(&value).unwrap();
    let report = qmwire::lint(batch.as_bytes(), &Options::new().with_method("Save"));
    let found: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.rule, i.path.as_str()))
        .collect();
    assert_eq!(found, [("kingdee.model-shape", "/data/Model")], "{batch}");
}

#[test]
fn reply_errors_name_the_bill_and_the_field_path() {
    let reply = r#"{"Result":{"ResponseStatus":{"IsSuccess":"false","Errors":[
        {"FieldName":"FStockId","Message":"仓库不存在","DIndex":3},
        {"FieldName":"","Message":"单据编号重复","DIndex":0}],"MsgCode":9}}}"#;
    let report = qmwire::lint(reply.as_bytes(), &Options::new());
    assert_eq!(report.protocol, Protocol::Kingdee);
    let messages: Vec<&str> = report.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("bill 3 of the request (`/data/Model/3`)"));
    assert!(messages[0].contains("`/data/Model/3/FEntity/*/FStockId`"));
    assert!(messages[0].contains("仓库不存在"));
    assert!(messages[0].contains("MsgCode 9: a named field or value does not exist"));
    assert!(messages[1].contains("bill 0") && !messages[1].contains("field `"));
    // A failure without errors is still explained; a success is quiet.
    let failed = r#"{"Result":{"ResponseStatus":{"IsSuccess":false,"Errors":[],"MsgCode":"1"}}}"#;
    let report = qmwire::lint(failed.as_bytes(), &Options::new());
    assert_eq!(report.issues.len(), 1);
    assert_eq!(report.issues[0].path, "/Result/ResponseStatus/IsSuccess");
    assert!(report.issues[0].message.contains("session context is lost"));
    let ok = r#"{"Result":{"ResponseStatus":{"IsSuccess":true,"Errors":[]}}}"#;
    assert!(qmwire::lint(ok.as_bytes(), &Options::new())
        .issues
        .is_empty());
}

#[test]
fn wdt_json_is_not_taken_for_kingdee_and_the_reverse() {
    let wdt = r#"{"code":0,"message":"","total_count":0,"stockin_list":[]}"#;
    let report = qmwire::lint(wdt.as_bytes(), &Options::new());
    assert_eq!(report.protocol, Protocol::Wdt);
    let report = qmwire::lint(wdt.as_bytes(), &Options::new().with_method("BatchSave"));
    assert_eq!(report.protocol, Protocol::Kingdee);
    assert!(!report.is_valid());
}

#[test]
fn redaction_reuses_the_engine_and_leaves_bills_unchanged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/kingdee/BatchSave/ok_001.json");
    let bytes = std::fs::read(path).unwrap();
    let out = qmwire::redact(&bytes, &Options::new(), &qmwire::Redactor::mask()).unwrap();
    assert_eq!((out.protocol, out.values), ("kingdee", 0));
    assert_eq!(out.output, bytes);
    assert!(qmwire::redact(b"{\"formid\":", &Options::new(), &qmwire::Redactor::mask()).is_err());
}

#[test]
fn many_misspelt_keys_are_each_reported_once() {
    // 20,000 keys outside the contract in `data`: each is one `kingdee.envelope-key` in place of
    // its `unknown-field` warning (the replacement is a set lookup, not a scan per issue).
    let keys: String = (0..20_000)
        .map(|i| format!("\"IsVerifyBaseDatafield{i}\":true,"))
        .collect();
    let json = format!(r#"{{"formid":"SAL_RETURNSTOCK","data":{{{keys}"Model":[]}}}}"#);
    let options = Options::new().with_max_issues(usize::MAX);
    let report = qmwire::lint(json.as_bytes(), &options);
    let count = |rule: &str| report.issues.iter().filter(|i| i.rule == rule).count();
    assert_eq!(count("kingdee.envelope-key"), 20_000);
    assert_eq!(count("unknown-field"), 0);
    assert_eq!(count("min-items"), 1);
}
