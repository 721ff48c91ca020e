//! Hostile input gets a clear `xml-syntax` error in bounded time and memory, never a panic.

use crate::front::lint_qimen;
use qmwire::error::DecodeErrorKind;
use qmwire::model::qimen::BodyKind;
use qmwire::options::Limits;

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
