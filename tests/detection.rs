//! Detection needs evidence: every fixture of every method, linted without `--method`, is taken
//! for its own method or reported as ambiguous with its own method among the candidates, never
//! for another; bodies of methods qmwire
//! does not support are refused with a `method` error (which also stops redaction); and a
//! request whose query names one method while its body is plainly another says so.

use crate::files::under;
use qmwire::redact::Redactor;
use qmwire::Options;

#[test]
fn fixtures_are_detected_as_themselves_or_ambiguous() {
    let (mut own, mut ambiguous) = (0, 0);
    for path in under("tests/fixtures/qimen", &["xml"]) {
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.contains("xml-syntax") || name.contains("root-element") {
            continue;
        }
        let expected = qmwire::qimen::detect::method(&folder).map(|m| m.method);
        let report = qmwire::lint(&std::fs::read(&path).unwrap(), &Options::new());
        let refusal = report.issues.iter().find(|i| i.rule == "method");
        match report.method {
            // An ambiguity must name the fixture's own method among the candidates.
            _ if refusal.is_some() => {
                let message = &refusal.unwrap().message;
                if let Some(own) = expected {
                    assert!(
                        message.contains(&format!("`{own}`")),
                        "{folder}/{name}: {message}"
                    );
                }
                ambiguous += 1
            }
            // Generic replies (flag/code/message only) may be the envelope.
            None if report.root == Some("response") => ambiguous += 1,
            m if m == expected => own += 1,
            m => panic!("{folder}/{name} detected as {m:?}"),
        }
    }
    assert!(
        own > 60,
        "{own} detected as themselves, {ambiguous} ambiguous"
    );
}

#[test]
fn bodies_of_unsupported_methods_are_refused() {
    let files = under("tests/fixtures/unsupported", &["xml"]);
    assert!(files.len() >= 4);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let report = qmwire::lint(&bytes, &Options::new());
        let rules: Vec<&str> = report.issues.iter().map(|i| i.rule).collect();
        assert_eq!(rules, ["method"], "{}: {:?}", path.display(), report.issues);
        assert!(
            report.issues[0]
                .message
                .contains("no supported message knows"),
            "{}",
            report.issues[0].message
        );
        assert!(qmwire::redact(&bytes, &Options::new(), &Redactor::mask()).is_err());
    }
}

#[test]
fn a_query_method_that_the_body_plainly_is_not_is_reported_once() {
    let body = std::fs::read_to_string(
        crate::files::repo().join("tests/fixtures/qimen/singleitem.synchronize/ok_001.xml"),
    )
    .unwrap();
    let request = format!(
        "POST /router/qimen/service?method=taobao.qimen.deliveryorder.create&app_key=1&customerId=c&format=xml&sign_method=md5&timestamp=2024-05-01+10%3A00%3A00&v=2.0&sign=X HTTP/1.1\nContent-Type: text/xml;charset=utf-8\n\n{body}"
    );
    let report = qmwire::lint(request.as_bytes(), &Options::new());
    let named: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.rule == "method" && i.path == "?method")
        .collect();
    assert_eq!(named.len(), 1, "{:?}", report.issues);
    assert!(
        named[0]
            .message
            .contains("reads as `taobao.qimen.singleitem.synchronize`"),
        "{}",
        named[0].message
    );
    // The right method draws no such issue.
    let right = request.replace("deliveryorder.create", "singleitem.synchronize");
    let report = qmwire::lint(right.as_bytes(), &Options::new());
    assert!(
        !report.issues.iter().any(|i| i.path == "?method"),
        "{:?}",
        report.issues
    );
}
