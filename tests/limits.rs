//! Hostile input gets a clear `xml-syntax` error in bounded time and memory, never a panic.

use crate::front::{lint_qimen, lint_wdt, lint_wdt_form, redact_wdt_json};
use qmwire::error::DecodeErrorKind;
use qmwire::model::qimen::BodyKind;
use qmwire::options::Limits;
use qmwire::Options;

fn only_error(bytes: &[u8], limits: &Limits) -> qmwire::Issue {
    let report = lint_qimen(bytes, Some("deliveryorder.create"), limits);
    assert_eq!(report.issues.len(), 1, "{:?}", report.issues);
    report.issues.into_iter().next().unwrap()
}

#[test]
fn entity_bomb_is_rejected_without_expansion() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE request [\n <!ENTITY a \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        let prev = (b'a' + i - 1) as char;
        let cur = (b'a' + i) as char;
        xml.push_str(&format!(
            " <!ENTITY {cur} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<request><deliveryOrder><remark>&j;</remark></deliveryOrder></request>");
    let issue = only_error(xml.as_bytes(), &Limits::default());
    assert_eq!(issue.rule, "xml-syntax");
    assert!(issue.message.contains("DOCTYPE"), "{}", issue.message);
    let err = BodyKind::DeliveryOrderCreateRequest
        .decode(&xml, &Limits::default())
        .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Dtd);
}

#[test]
fn undefined_entities_are_errors() {
    let issue = only_error(
        b"<request><deliveryOrder><remark>a&nbsp;b</remark></deliveryOrder></request>",
        &Limits::default(),
    );
    assert_eq!(issue.rule, "xml-syntax");
    assert!(issue.message.contains("&nbsp;"), "{}", issue.message);
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let depth = 100_000;
    let xml = format!(
        "<request><extendProps>{}{}</extendProps></request>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let issue = only_error(xml.as_bytes(), &Limits::default());
    assert_eq!(issue.rule, "xml-syntax");
    assert!(
        issue.message.contains("nested deeper than the limit of 64"),
        "{}",
        issue.message
    );
}

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for spawned threads), so a stack
/// overflow shows up here rather than only on the main thread's 8 MiB.
fn on_a_2_mib_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

/// `depth` levels of nesting three ways: JSON arrays as a wdt bare trade list; a form parameter
/// holding one level less (the form stands for an object); XML elements, the root counted.
fn deep_inputs(depth: usize) -> (String, String, String) {
    let json = "[".repeat(depth) + &"]".repeat(depth);
    let form = format!("shop_no=s&trade_list={}", &json[1..json.len() - 1]);
    let xml = format!(
        "<request>{}{}</request>",
        "<x>".repeat(depth - 1),
        "</x>".repeat(depth - 1)
    );
    (json, form, xml)
}

#[test]
fn max_depth_has_a_ceiling_whatever_the_caller_asks() {
    on_a_2_mib_stack(|| {
        let ceiling = Limits::MAX_DEPTH as usize;
        let unlimited = Limits {
            max_depth: u32::MAX,
            ..Limits::default()
        };
        for depth in [ceiling + 1, 100_000] {
            let (json, form, xml) = deep_inputs(depth);
            for (report, rule) in [
                (lint_wdt(json.as_bytes(), None, &unlimited), "json-syntax"),
                (
                    lint_wdt_form(form.as_bytes(), Some("trade_push"), &unlimited),
                    "json-syntax",
                ),
                (lint_qimen(xml.as_bytes(), None, &unlimited), "xml-syntax"),
                (
                    qmwire::lint(
                        xml.as_bytes(),
                        &qmwire::Options::new()
                            .with_limits(unlimited)
                            .with_method("deliveryorder.create"),
                    ),
                    "xml-syntax",
                ),
            ] {
                assert_eq!(report.issues.len(), 1, "{depth}: {:?}", report.issues);
                let issue = &report.issues[0];
                assert_eq!(issue.rule, rule, "{depth}: {issue:?}");
                assert!(
                    issue.message.contains("deeper than the limit of 512"),
                    "{depth}: {}",
                    issue.message
                );
            }
        }
        // Redaction decodes with the same ceiling.
        let (json, _, _) = deep_inputs(100_000);
        let redactor = qmwire::Redactor::new(qmwire::redact::Policy::Mask, None).unwrap();
        assert!(redact_wdt_json(json.as_bytes(), Some("trade_push"), &redactor).is_err());
        // The deepest document allowed decodes on the same small stack.
        let (json, form, xml) = deep_inputs(ceiling);
        for report in [
            lint_wdt(json.as_bytes(), None, &unlimited),
            lint_wdt_form(form.as_bytes(), Some("trade_push"), &unlimited),
            lint_qimen(xml.as_bytes(), Some("deliveryorder.create"), &unlimited),
        ] {
            assert!(
                report
                    .issues
                    .iter()
                    .all(|i| i.rule != "json-syntax" && i.rule != "xml-syntax"),
                "{:?}",
                report.issues
            );
        }
    });
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let limits = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    let xml = format!(
        "<request><deliveryOrder><remark>{}</remark></deliveryOrder></request>",
        "x".repeat(2048)
    );
    let issue = only_error(xml.as_bytes(), &limits);
    assert!(
        issue.message.contains("over the limit of 1024 bytes"),
        "{}",
        issue.message
    );
}

#[test]
fn long_lists_are_cut_off_at_the_limit() {
    let limits = Limits {
        max_list_items: 100,
        max_items: 100_000,
        ..Limits::default()
    };
    let xml = format!(
        "<request><orderLines>{}</orderLines></request>",
        "<orderLine/>".repeat(101)
    );
    let issue = only_error(xml.as_bytes(), &limits);
    assert!(
        issue.message.contains("more than 100 children"),
        "{}",
        issue.message
    );
}

#[test]
fn non_utf8_input_names_the_byte() {
    let mut bytes = b"<request><deliveryOrder><shopNick>".to_vec();
    bytes.extend_from_slice(&[0xB5, 0xEA]); // "店" in GBK
    bytes.extend_from_slice(b"</shopNick></deliveryOrder></request>");
    let issue = only_error(&bytes, &Limits::default());
    assert_eq!(issue.rule, "xml-syntax");
    assert!(
        issue.message.contains("not valid UTF-8 at byte 34"),
        "{}",
        issue.message
    );
    let issue = only_error(&[0xFF, 0xFE, b'<', 0], &Limits::default());
    assert!(issue.message.contains("UTF-16"), "{}", issue.message);
}

#[test]
fn truncated_and_mismatched_documents_are_syntax_errors() {
    for xml in [
        "<request><deliveryOrder><remark>x</remark>",
        "<request><deliveryOrder></request>",
        "<request></request><request></request>",
        "",
        "just text",
    ] {
        let issue = only_error(xml.as_bytes(), &Limits::default());
        assert_eq!(issue.rule, "xml-syntax", "{xml:?}: {issue:?}");
    }
}

#[test]
fn control_characters_in_kept_text_are_syntax_errors() {
    for xml in [
        "<request><deliveryOrder><remark>a\u{1}b</remark></deliveryOrder></request>",
        "<request><deliveryOrder><custom>\u{b}</custom></deliveryOrder></request>",
        "<request><deliveryOrder>stray\u{1f}</deliveryOrder></request>",
    ] {
        let issue = only_error(xml.as_bytes(), &Limits::default());
        assert_eq!(issue.rule, "xml-syntax", "{xml:?}");
        assert!(
            issue.message.contains("control character U+00"),
            "{}",
            issue.message
        );
    }
}

/// `--max-bytes` is the input as given, for every shape: a request whose body fits but whose
/// query or headers make it too big is refused, as is a form whose decoded JSON would fit.
#[test]
fn max_bytes_is_the_input_as_given_for_every_shape() {
    use qmwire::{Options, Redactor};
    let body = "<request/>";
    let request = format!(
        "POST /router/qimen/service?method=taobao.qimen.order.cancel&pad={} HTTP/1.1\n\n{body}",
        "x".repeat(200)
    );
    let limits = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    let options = Options::new().with_limits(limits);
    let report = qmwire::lint(request.as_bytes(), &options);
    let rules: Vec<_> = report.issues.iter().map(|i| i.rule).collect();
    assert_eq!(rules, ["request.syntax"], "{:?}", report.issues);
    assert!(report.issues[0]
        .message
        .contains("over the limit of 100 bytes"));
    assert!(qmwire::redact(request.as_bytes(), &options, &Redactor::mask()).is_err());
    let form = format!("shop_no=s&trade_list=%5B{}%5D", "%20".repeat(40));
    let report = qmwire::lint(form.as_bytes(), &options);
    let rules: Vec<_> = report.issues.iter().map(|i| i.rule).collect();
    assert_eq!(rules, ["json-syntax"], "{:?}", report.issues);
    // Within the limit nothing changes.
    let report = qmwire::lint(body.as_bytes(), &options);
    assert!(!report.issues.iter().any(|i| i.message.contains("limit of")));
}

/// Issues are collected within the cap (the rest counted, never built); for every fixture and
/// example, and every small cap, the listed issues are the first of the uncapped report and the
/// counts are exact, blocks that turn out empty (whose issues are taken back) included.
#[test]
fn a_capped_report_is_the_start_of_the_whole_one_with_exact_counts() {
    use crate::files::under;
    let files = [
        under("tests/fixtures", &["xml", "json", "form", "http"]),
        under("examples", &["xml", "json", "form", "http"]),
    ]
    .concat();
    let blank = "<request><deliveryOrder><deliveryOrderCode>D</deliveryOrderCode><senderInfo><name></name><mobile> </mobile></senderInfo><x>1</x><receiverInfo/><y>2</y></deliveryOrder><orderLines><orderLine/></orderLines></request>";
    let mut inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
        .collect();
    inputs.push(("blank".into(), blank.as_bytes().to_vec()));
    for (name, bytes) in &inputs {
        for privacy in [qmwire::PrivacyCheck::Oaid, qmwire::PrivacyCheck::Forbid] {
            let mut options = Options::new().with_privacy(privacy);
            if name == "blank" {
                options = options.with_method("deliveryorder.create");
            }
            let all = qmwire::lint(bytes, &options.clone().with_max_issues(usize::MAX));
            for cap in 0..=all.issues.len().min(6) {
                let capped = qmwire::lint(bytes, &options.clone().with_max_issues(cap));
                assert_eq!(capped.issues, all.issues[..cap], "{name} cap {cap}");
                assert_eq!(capped.omitted, all.issues.len() - cap, "{name} cap {cap}");
                assert_eq!(
                    (capped.errors(), capped.warnings()),
                    (all.errors(), all.warnings()),
                    "{name} cap {cap}"
                );
            }
        }
    }
}

#[test]
fn a_document_of_many_tiny_items_is_refused_by_the_item_budget() {
    // Three input bytes (`{}`) decode into a whole order line: a 15 MB push of empty lines
    // would decode into gigabytes. 100,001 lines over 50 trades are refused; 100,000 are not.
    let push = |lines: usize| {
        let per = lines / 50;
        let trade = |n: usize| format!(r#"{{"order_list":[{}]}}"#, vec!["{}"; n].join(","));
        let mut trades: Vec<String> = (0..50).map(|_| trade(per)).collect();
        trades[0] = trade(per + lines % 50);
        format!(r#"{{"shop_no":"s","trade_list":[{}]}}"#, trades.join(","))
    };
    let options = qmwire::Options::new().with_method("trade_push");
    // 50 trades count too: 99,950 lines + 50 trades = 100,000 items.
    let at_limit = qmwire::lint(push(99_950).as_bytes(), &options);
    assert!(at_limit.issues.iter().all(|i| i.rule != "json-syntax"));
    let over = qmwire::lint(push(99_951).as_bytes(), &options);
    assert_eq!(over.issues.len(), 1);
    assert_eq!(over.issues[0].rule, "json-syntax");
    assert!(
        over.issues[0].message.contains("--max-items"),
        "{}",
        over.issues[0].message
    );
}
