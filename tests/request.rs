//! Whole-request lint (`qmwire lint` on `.http` files and with `--url`): system parameters,
//! timestamp window, charset and sign, on top of the body rules.

use std::path::Path;
use std::process::Output;

const NOW: &str = "2024-05-01 10:02:00";

fn qmwire(args: &[&str]) -> Output {
    crate::files::qmwire_command()
        .args(args)
        .env("QM_SECRET", "helloworld")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("run qmwire")
}

/// Lints one fixture with the secret and `--now`; returns the exit code and the issues.
fn lint(file: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let path = format!("tests/fixtures/http/{file}");
    let out = qmwire(&[
        "lint",
        "--secret-env",
        "QM_SECRET",
        "--now",
        NOW,
        "--format",
        "json",
        &path,
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    });
    let issues = doc["files"][0]["issues"].as_array().unwrap().clone();
    (out.status.code(), issues)
}

fn only_error(issues: &[serde_json::Value]) -> &serde_json::Value {
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0]["severity"], "error");
    &issues[0]
}

#[test]
fn correctly_signed_request_is_clean() {
    let (code, issues) = lint("ok.http");
    assert_eq!(code, Some(0), "{issues:#?}");
    assert!(issues.is_empty(), "{issues:#?}");
}

#[test]
fn wrong_sign_names_the_cause_and_never_the_secret() {
    let (code, issues) = lint("err_sign.http");
    assert_eq!(code, Some(1));
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], "sign.mismatch");
    assert_eq!(issue["path"], "?sign");
    let message = issue["message"].as_str().unwrap();
    assert!(message.contains("left the body out"), "{message}");
    assert!(!message.contains("helloworld"));
}

#[test]
fn eight_hours_off_is_a_timezone_bug() {
    let (code, issues) = lint("err_timestamp.http");
    assert_eq!(code, Some(1));
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], "timestamp.window");
    assert_eq!(issue["path"], "?timestamp");
    assert_eq!(
        (issue["line"].as_u64(), issue["column"].as_u64()),
        (Some(1), Some(1))
    );
    let message = issue["message"].as_str().unwrap();
    assert!(message.contains("probable timezone bug"), "{message}");
}

#[test]
fn missing_customer_id() {
    let (code, issues) = lint("err_customer.http");
    assert_eq!(code, Some(1));
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], "param.missing");
    assert_eq!(issue["path"], "?customerId");
}

#[test]
fn iso_timestamp_is_a_format_error() {
    let (code, issues) = lint("err_timestamp_format.http");
    assert_eq!(code, Some(1));
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], "timestamp.format");
    assert_eq!(issue["path"], "?timestamp");
    let message = issue["message"].as_str().unwrap();
    assert!(message.contains("ISO `T`"), "{message}");
}

#[test]
fn broken_query_escape_is_a_request_syntax_error() {
    let (code, issues) = lint("err_request_syntax.http");
    assert_eq!(code, Some(1));
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], "request.syntax");
    assert_eq!(issue["path"], "?");
}

#[test]
fn without_now_or_secret_only_static_checks_run() {
    // No clock, no secret: the window and the sign are not checked.
    let out = qmwire(&[
        "lint",
        "tests/fixtures/http/err_timestamp.http",
        "tests/fixtures/http/err_sign.http",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bundled_example_request_verifies() {
    let out = qmwire(&[
        "lint",
        "--secret-env",
        "QM_SECRET",
        "--now",
        "2025-03-15 10:03:00",
        "examples/http/",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("checked 1 file: 0 errors, 0 warnings"),
        "{text}"
    );
}

#[test]
fn url_applies_a_query_to_xml_bodies() {
    let out = qmwire(&[
        "lint",
        "--format",
        "json",
        "--url",
        "http://qimen.api.taobao.com/router/qimen/service?method=order.cancel&app_key=1&v=2.0&format=xml&sign_method=md5&timestamp=2024-05-01+10%3A00%3A00&sign=X",
        "examples/qimen/order.cancel.xml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = doc["files"][0]["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0]["rule"], "param.missing");
    assert_eq!(doc["files"][0]["method"], "taobao.qimen.order.cancel");
}

#[test]
fn bad_now_is_a_usage_error() {
    let out = qmwire(&["lint", "--now", "2024-05-01T10:00:00", "examples/http/"]);
    assert_eq!(out.status.code(), Some(2));
    let out = qmwire(&["lint", "--secret-env", "QM_NO_SUCH_VAR", "examples/http/"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Asserts the fixture gives exactly one error, with this rule and path; returns its message.
fn one_error(file: &str, rule: &str, path: &str) -> String {
    let (code, issues) = lint(file);
    assert_eq!(code, Some(1), "{file}: {issues:#?}");
    let issue = only_error(&issues);
    assert_eq!(issue["rule"], rule, "{file}");
    assert_eq!(issue["path"], path, "{file}");
    let message = issue["message"].as_str().unwrap().to_string();
    assert!(!message.contains("helloworld"), "{message}");
    message
}

#[test]
fn wdt_requests_that_are_right_are_clean() {
    for file in ["wdt_ok.http", "wdt_qimen_ok.http"] {
        let (code, issues) = lint(file);
        assert_eq!(code, Some(0), "{file}: {issues:#?}");
        assert!(issues.is_empty(), "{file}: {issues:#?}");
    }
}

#[test]
fn wdt_openapi2_request_problems() {
    let m = one_error("wdt_err_sign.http", "sign.mismatch", "?sign");
    assert!(m.contains("utf-8 bytes"), "{m}");
    let m = one_error("wdt_err_timestamp.http", "timestamp.window", "?timestamp");
    assert!(
        m.contains("±5m") && m.contains("probable timezone bug"),
        "{m}"
    );
    one_error("wdt_err_missing.http", "param.missing", "?appkey");
    let m = one_error(
        "wdt_err_content_type.http",
        "charset.mismatch",
        "Content-Type",
    );
    assert!(m.contains("application/x-www-form-urlencoded"), "{m}");
}

#[test]
fn wdt_qimen_custom_request_problems() {
    let m = one_error("wdt_qimen_err_sign.http", "sign.mismatch", "?sign");
    assert!(m.contains("as `+`"), "{m}");
    let (code, issues) = lint("wdt_qimen_err_missing.http");
    assert_eq!(code, Some(1));
    let paths: Vec<&str> = issues.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["?target_app_key", "?sid"], "{issues:#?}");
    assert!(issues.iter().all(|i| i["rule"] == "param.missing"));
}

#[test]
fn wdt_issues_point_at_the_value_and_hide_business_values() {
    let out = qmwire(&[
        "lint",
        "--secret-env",
        "QM_SECRET",
        "--now",
        NOW,
        "tests/fixtures/http/wdt_err_timestamp.http",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("tests/fixtures/http/wdt_err_timestamp.http:5:37"),
        "{text}"
    );
    // The form line is quoted with the business values (names, phones) masked.
    assert!(text.contains("timestamp=1714500150&shop_no=****"), "{text}");
    assert!(!text.contains("13800000001"), "{text}");
    assert!(!text.contains("%E5%BC%A0%E4%B8%89"), "{text}");
}

#[test]
fn every_request_of_a_multi_request_file_is_linted_with_file_positions() {
    let (code, issues) = lint("multi.http");
    assert_eq!(code, Some(1));
    let got: Vec<(&str, u64, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["rule"].as_str().unwrap(),
                i["line"].as_u64().unwrap(),
                i["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // The first request is clean; the second's timestamp is on line 19, the third request
    // line (missing customerId) is line 23.
    assert_eq!(
        got,
        [("timestamp.window", 19, 37), ("param.missing", 23, 1)],
        "{issues:#?}"
    );
}

#[test]
fn a_sign_mismatch_never_shows_the_expected_sign() {
    use qmwire::sign::{diagnose_qimen, diagnose_wdt};
    use qmwire::wire::{http, params};
    let read = |f: &str| std::fs::read(format!("../tests/fixtures/http/{f}")).unwrap();
    let received = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .find(|(k, _)| k == "sign")
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let owned = |text: &str| -> Vec<(String, String)> {
        params::parse(text)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let qimen = read("err_sign.http");
    let req = http::parse(&qimen).unwrap();
    let pairs = owned(req.query);
    let d = diagnose_qimen(&pairs, Some(req.body), b"helloworld", &received(&pairs)).unwrap();
    let wdt = read("wdt_err_sign.http");
    let req = http::parse(&wdt).unwrap();
    let form = owned(std::str::from_utf8(req.body).unwrap().trim_end());
    let e = diagnose_wdt(&form, b"helloworld", &received(&form));
    for (file, d) in [("err_sign.http", d), ("wdt_err_sign.http", e)] {
        assert!(!d.matches);
        let expected = d.expected_sign_for_operator().to_ascii_lowercase();
        let (_, issues) = lint(file);
        assert_eq!(only_error(&issues)["rule"], "sign.mismatch");
        let path = format!("tests/fixtures/http/{file}");
        let human = qmwire(&["lint", "--secret-env", "QM_SECRET", "--now", NOW, &path]);
        for shown in [
            serde_json::to_string(&issues).unwrap(),
            String::from_utf8_lossy(&human.stdout).into_owned(),
        ] {
            assert!(
                !shown.to_ascii_lowercase().contains(&expected),
                "{file}: {shown}"
            );
        }
    }
}
