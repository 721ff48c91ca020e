//! `lint --format sarif` and `--format junit`: the SARIF log validates against the official
//! SARIF 2.1.0 schema and has what code-scanning services require; the JUnit report is
//! well-formed XML with the structure and counts Jenkins and GitLab read; neither holds a
//! personal value.

use crate::files::repo;
use qmwire::render::{self, FileReport};
use qmwire::rules::RULES;
use qmwire::Options;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

/// Lint the 聚星 fixtures under their profile.
const JXWMS: &[&str] = &[
    "--profile",
    "jxwms",
    "--var",
    "owner_id=404781084",
    "--var",
    "warehouse_id=1038",
    "tests/fixtures/profiles/jxwms/",
];

pub(crate) fn qmwire(args: &[&str]) -> Output {
    crate::files::qmwire_command()
        .args(args)
        .current_dir(repo())
        .env("QM_SECRET", "helloworld")
        .output()
        .expect("run qmwire")
}

fn sarif(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["lint", "--format", "sarif"];
    all.extend_from_slice(args);
    let out = qmwire(&all);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (v, out.status.code())
}

/// The official SARIF 2.1.0 schema (2.1.0-rtm.5, as the npm package `@microsoft/jest-sarif`
/// ships it; `.ci/run` fetches it and names it in `QMWIRE_SARIF_SCHEMA`). Outside CI, without
/// it, the schema check is skipped with a note; in CI (`CI` set) its absence fails.
fn sarif_schema() -> Option<Value> {
    let path = std::env::var_os("QMWIRE_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/sarif-schema/sarif-2.1.0-rtm.5.json"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            // The schema's pattern for language tags (the `language` properties) has a stray
            // `]` that the regex engines of the `jsonschema` crate refuse to compile; qmwire
            // writes no `language`, so the pattern is replaced by what it means.
            let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
            assert!(text.contains(bad), "the schema changed");
            let text = text.replace(bad, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
            Some(serde_json::from_str(&text).unwrap())
        }
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("the SARIF schema {} is missing in CI: {e}", path.display())
        }
        Err(_) => {
            eprintln!(
                "SARIF schema validation skipped: no {} (set QMWIRE_SARIF_SCHEMA; .ci/run fetches it)",
                path.display()
            );
            None
        }
    }
}

/// Fails unless `log` validates against the schema and has every field GitHub code scanning
/// requires.
fn check_sarif(log: &Value, validator: Option<&jsonschema::Validator>) {
    if let Some(v) = validator {
        let errors: Vec<String> = v
            .iter_errors(log)
            .take(5)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "qmwire");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        assert!(rule["id"].is_string(), "{rule}");
    }
    for result in run["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(result["message"]["text"].is_string(), "{result}");
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.is_empty() && !uri.starts_with('/'), "{uri}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
}

#[test]
fn sarif_logs_validate_against_the_sarif_schema_and_have_what_code_scanning_needs() {
    let schema = sarif_schema();
    let validator = schema
        .as_ref()
        .map(|s| jsonschema::validator_for(s).expect("the SARIF schema compiles"));
    let runs: [&[&str]; 5] = [
        &["tests/fixtures/"],
        &["examples/"],
        &["--max-issues", "1", "tests/fixtures/qimen/"],
        JXWMS,
        &[
            "--secret-env",
            "QM_SECRET",
            "--now",
            "2024-05-01 10:02:00",
            "--privacy",
            "forbid",
            "tests/fixtures/http/",
        ],
    ];
    for args in runs {
        let (log, code) = sarif(args);
        check_sarif(&log, validator.as_ref());
        assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?}");
    }
    // The checks bite: a log without a region's start line does not pass.
    if let Some(v) = &validator {
        let (mut log, _) = sarif(&["tests/fixtures/qimen/deliveryorder.create/"]);
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            Value::from(0);
        assert!(!v.is_valid(&log));
        log["version"] = Value::from("2.0.0");
        assert!(!v.is_valid(&log));
    }
}

#[test]
fn sarif_carries_the_catalogue_the_positions_and_the_byte_span() {
    let path = "tests/fixtures/qimen/deliveryorder.create/err_001_enum.xml";
    let (log, code) = sarif(&[path]);
    assert_eq!(code, Some(1));
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (rule, r) in rules.iter().zip(RULES) {
        assert_eq!(rule["id"], r.id);
        assert_eq!(rule["fullDescription"]["text"], r.summary);
        assert!(r
            .summary
            .starts_with(rule["shortDescription"]["text"].as_str().unwrap()));
        assert!(rule["help"]["text"].as_str().unwrap().contains(r.summary));
        let level = match r.severity {
            qmwire::Severity::Error => "error",
            qmwire::Severity::Warning => "warning",
            _ => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "enum");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        path
    );
    let region = &location["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(7), Some(20))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(7), Some(25))
    );
    let (at, len) = (
        region["byteOffset"].as_u64().unwrap() as usize,
        region["byteLength"].as_u64().unwrap() as usize,
    );
    let bytes = std::fs::read(repo().join(path)).unwrap();
    assert_eq!(&bytes[at..at + len], b"JYCKX");
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "/request/deliveryOrder/orderType"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(
        run["properties"]["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0})
    );

    // Every listed issue of every fixture is at the line:column the JSON report gives.
    let (log, _) = sarif(&["tests/fixtures/"]);
    let out = qmwire(&["lint", "--format", "json", "tests/fixtures/"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_json: Vec<(String, u64, u64, String)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let uri = render::sarif::uri(f["path"].as_str().unwrap());
            f["issues"].as_array().unwrap().iter().map(move |i| {
                (
                    uri.clone(),
                    i["line"].as_u64().unwrap(),
                    i["column"].as_u64().unwrap(),
                    i["rule"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let from_sarif: Vec<(String, u64, u64, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = &r["locations"][0]["physicalLocation"];
            (
                p["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                p["region"]["startLine"].as_u64().unwrap(),
                p["region"]["startColumn"].as_u64().unwrap(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(from_json.len() > 50, "{}", from_json.len());
    assert_eq!(from_sarif, from_json);
}

#[test]
fn sarif_records_what_a_profile_re_levelled_and_what_was_not_listed() {
    // The made-up profile raises `unknown-field` to an error and lowers it to info on some
    // paths: two overrides of one rule.
    let (log, _) = sarif(&[
        "--profile",
        "tests/fixtures/profiles/custom/profile.toml",
        "tests/fixtures/profiles/custom/",
    ]);
    let run = &log["runs"][0];
    assert_eq!(run["properties"]["profile"]["id"], "acme");
    let changed = run["properties"]["profile"]["changed"].as_array().unwrap();
    let overrides = run["invocations"][0]["ruleConfigurationOverrides"]
        .as_array()
        .unwrap();
    assert!(!changed.is_empty() && !overrides.is_empty(), "{run}");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for o in overrides {
        let index = o["descriptor"]["index"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], o["descriptor"]["id"]);
        let to = match &o["configuration"] {
            c if c["enabled"] == false => "off",
            c if c["level"] == "note" => "info",
            c => c["level"].as_str().unwrap(),
        };
        assert!(
            changed
                .iter()
                .any(|c| c["rule"] == o["descriptor"]["id"] && c["to"] == to),
            "{o}"
        );
    }
    assert_eq!(overrides.len(), 2, "{overrides:?}");
    // Without a profile, neither is there.
    let (log, _) = sarif(&[
        "--max-issues",
        "0",
        "tests/fixtures/qimen/deliveryorder.create/",
    ]);
    let run = &log["runs"][0];
    assert!(run["invocations"][0]["ruleConfigurationOverrides"].is_null());
    assert!(run["properties"]["profile"].is_null());
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("not listed"));
    // An unreadable path: the log is still one document, and says the run was incomplete.
    let (log, code) = sarif(&[
        "tests/fixtures/qimen/deliveryorder.create/ok_001.xml",
        "no/such/file.xml",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

/// The JUnit report of a run, parsed; fails unless it is well-formed and its counts add up.
fn junit(args: &[&str]) -> (String, Option<i32>) {
    let mut all = vec!["lint", "--format", "junit"];
    all.extend_from_slice(args);
    let out = qmwire(&all);
    let xml = String::from_utf8(out.stdout).unwrap();
    check_junit(&xml);
    (xml, out.status.code())
}

/// The conventions Jenkins' and GitLab's JUnit readers rely on.
pub(crate) fn check_junit(xml: &str) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    // quick-xml, the parser the codec uses, reads it to the end too.
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}:\n{xml}"),
        }
    }
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let count = |n: roxmltree::Node<'_, '_>, a: &str| -> usize {
        n.attribute(a)
            .unwrap_or_else(|| panic!("no {a}"))
            .parse()
            .unwrap()
    };
    let suite = suites[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    assert!(suite.attribute("name").is_some());
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    for n in [root, suite] {
        assert_eq!(count(n, "tests"), cases.len());
        assert_eq!(count(n, "failures"), failed);
        assert_eq!((count(n, "errors"), count(n, "skipped")), (0, 0));
    }
    for child in suite.children().filter(|n| n.is_element()) {
        assert!(
            ["testcase", "properties"].contains(&child.tag_name().name()),
            "{:?}",
            child.tag_name()
        );
    }
    for case in cases {
        assert!(case.attribute("name").is_some() && case.attribute("classname").is_some());
        let failures: Vec<_> = case
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert!(failures.len() <= 1, "one failure a test case");
        for f in failures {
            assert!(f.attribute("type").is_some() && f.attribute("message").is_some());
            let text = f.text().unwrap();
            assert!(
                text.starts_with("error[") || text.starts_with("… and "),
                "{text}"
            );
        }
        for child in case.children().filter(|n| n.is_element()) {
            assert!(["failure", "system-out"].contains(&child.tag_name().name()));
        }
    }
}

#[test]
fn junit_has_a_test_case_per_file_and_per_request_with_errors_as_failures() {
    let (xml, code) = junit(&["tests/fixtures/"]);
    assert_eq!(code, Some(1));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed = |name: &str| {
        let case = cases
            .iter()
            .find(|c| c.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no test case {name}"));
        case.children().any(|n| n.has_tag_name("failure"))
    };
    assert!(failed(
        "tests/fixtures/qimen/deliveryorder.create/err_001_enum.xml"
    ));
    assert!(!failed(
        "tests/fixtures/qimen/deliveryorder.create/ok_001.xml"
    ));
    // multi.http: three requests, three test cases; only the third lacks `customerId` (the
    // second is wrong only against a clock).
    let multi: Vec<_> = cases
        .iter()
        .filter(|c| {
            c.attribute("name")
                .unwrap()
                .starts_with("tests/fixtures/http/multi.http [request ")
        })
        .collect();
    assert_eq!(multi.len(), 3);
    assert!(failed(
        "tests/fixtures/http/multi.http [request 3, line 23]"
    ));
    assert!(!failed(
        "tests/fixtures/http/multi.http [request 1, line 2]"
    ));
    let failure = cases
        .iter()
        .find(|c| {
            c.attribute("name") == Some("tests/fixtures/http/multi.http [request 3, line 23]")
        })
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("param.missing"));
    assert_eq!(
        failure.text(),
        Some("error[param.missing] ?customerId at tests/fixtures/http/multi.http:23:1: expected system parameter `customerId` (required for Qimen WMS methods), found none\n")
    );
    // A test case per file in every other directory: as many as the JSON report has files,
    // plus the extra requests of the multi-request files.
    let json: Value =
        serde_json::from_slice(&qmwire(&["lint", "--format", "json", "tests/fixtures/"]).stdout)
            .unwrap();
    let files = json["files"].as_array().unwrap();
    let extra: usize = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(".http"))
        .map(|f| {
            let text = std::fs::read(repo().join(f["path"].as_str().unwrap())).unwrap();
            qmwire::wire::http::split_requests(&text).len().max(1) - 1
        })
        .sum();
    assert_eq!(cases.len(), files.len() + extra);
    let invalid = files.iter().filter(|f| f["valid"] == false).count();
    assert!(failed(
        "tests/fixtures/qimen/deliveryorder.create/err_001_enum.xml"
    ));
    assert!(
        cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count()
            >= invalid
    );

    // Warnings go to system-out, not into a failure.
    let (xml, code) =
        junit(&["tests/fixtures/qimen/deliveryorder.create/warn_005_qimen.total-amount.xml"]);
    assert_eq!(code, Some(0));
    assert!(
        xml.contains("<system-out>warning[qimen.total-amount] ") && !xml.contains("<failure"),
        "{xml}"
    );

    // Cut short by --max-issues: the file is one test case, and says what was left out.
    let (xml, _) = junit(&["--max-issues", "0", "tests/fixtures/http/multi.http"]);
    assert!(xml.contains("tests=\"1\" failures=\"1\""), "{xml}");
    assert!(xml.contains("… and 1 more errors, not listed"), "{xml}");

    // A profile is named in the suite's properties.
    let (xml, _) = junit(JXWMS);
    assert!(
        xml.contains("<property name=\"profile\" value=\"jxwms\"/>"),
        "{xml}"
    );
}

#[test]
fn junit_stays_well_formed_whatever_the_input_holds() {
    // Control characters, markup and U+FFFF in values that messages quote, in a name.
    let input = "<request><orderType>A\u{1}<![CDATA[<]]>&amp;\"\u{FFFF}\u{1b}]0;x\u{7}</orderType></request>";
    let report = qmwire::lint(
        input.as_bytes(),
        &Options::new().with_method("order.cancel"),
    );
    assert!(!report.issues.is_empty());
    let xml = render::junit::render(&[FileReport {
        path: "a<b>&\u{2}\u{FFFE}.xml",
        input,
        report: &report,
    }]);
    check_junit(&xml);
    assert!(!xml.contains(['\u{1}', '\u{2}', '\u{7}', '\u{1b}', '\u{FFFE}', '\u{FFFF}']));
}

/// Values of at least two characters at the report's personal spans.
fn personal_values(input: &str, report: &qmwire::Report) -> Vec<String> {
    let mut out: Vec<String> = report
        .personal_spans
        .iter()
        .flatten()
        .filter_map(|s| input.get(s.range()))
        .filter(|v| v.chars().count() >= 2 && !v.contains('*') && !v.trim().is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// No personal value in any format (human, JSON, SARIF, JUnit) in either language, for every
/// fixture linted with every plain-text personal value reported.
#[test]
fn no_personal_value_in_any_format_or_language() {
    let mut checked = 0;
    for dir in [
        "tests/fixtures/qimen",
        "tests/fixtures/wdt",
        "tests/fixtures/http",
        "examples",
    ] {
        for path in crate::files::under(dir, &["xml", "http", "json", "form"]) {
            let Ok(input) = String::from_utf8(std::fs::read(&path).unwrap()) else {
                continue;
            };
            let shape = path
                .extension()
                .and_then(|e| qmwire::Shape::from_extension(&e.to_string_lossy()))
                .filter(|s| *s != qmwire::Shape::Xml);
            let mut options = Options::new().with_privacy(qmwire::PrivacyCheck::Forbid);
            options.shape = shape;
            let report = qmwire::lint(input.as_bytes(), &options);
            // A value also written outside every personal field (an address `海淀` inside the
            // district `海淀区`, public) may be quoted from there; the human report quotes lines.
            let mut outside = input.clone().into_bytes();
            for s in report.personal_spans.iter().flatten() {
                outside[s.range()].fill(b' ');
            }
            let outside = String::from_utf8_lossy(&outside).into_owned();
            let values: Vec<String> = personal_values(&input, &report)
                .into_iter()
                .filter(|v| !outside.contains(v.as_str()))
                .collect();
            let files = [FileReport {
                path: "f",
                input: &input,
                report: &report,
            }];
            for lang in [qmwire::Lang::En, qmwire::Lang::Zh] {
                let outputs = [
                    ("human", render::human::render_in(&files, lang)),
                    ("JSON", render::json::render_in(&files, lang).to_string()),
                    (
                        "SARIF",
                        render::sarif::render_in(&files, true, lang).to_string(),
                    ),
                    ("JUnit", render::junit::render_in(&files, lang)),
                ];
                for v in &values {
                    let escaped = serde_json::to_string(v).unwrap();
                    let in_json = &escaped[1..escaped.len() - 1];
                    for (format, text) in &outputs {
                        assert!(
                            !text.contains(v.as_str()) && !text.contains(in_json),
                            "{v} in the {format} output ({lang}) of {}",
                            path.display()
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn the_junit_example_in_lint_md_is_what_qmwire_prints() {
    let page = std::fs::read_to_string(repo().join("docs/lint.md")).unwrap();
    let from = page
        .find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites")
        .unwrap();
    let to = page[from..].find("</testsuites>\n").unwrap() + "</testsuites>\n".len();
    let (xml, _) = junit(&[
        "tests/fixtures/http/multi.http",
        "tests/fixtures/qimen/deliveryorder.create/warn_005_qimen.total-amount.xml",
    ]);
    assert_eq!(&page[from..from + to], xml);
}
