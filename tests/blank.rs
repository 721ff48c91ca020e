//! An empty block counts as absent, as an empty scalar does: `<senderInfo/>`,
//! `<senderInfo></senderInfo>` and a block whose fields are all empty (what JAXB and XStream
//! write for a null object or empty strings) draw no error for the fields inside; a required
//! block that is empty draws one `required` error at the block.

const EXAMPLE: &str = include_str!("../examples/qimen/deliveryorder.create.xml");

fn replace_block(xml: &str, name: &str, with: &str) -> String {
    let start = xml.find(&format!("<{name}>")).unwrap();
    let close = format!("</{name}>");
    let end = xml.find(&close).unwrap() + close.len();
    format!("{}{with}{}", &xml[..start], &xml[end..])
}

fn issues(xml: &str) -> Vec<(&'static str, String)> {
    crate::front::findings(xml, "deliveryorder.create")
}

#[test]
fn empty_optional_blocks_are_absent() {
    assert_eq!(issues(EXAMPLE), []);
    for empty in [
        "<senderInfo/>",
        "<senderInfo></senderInfo>",
        "<senderInfo>\n  </senderInfo>",
        "<senderInfo><name/><mobile></mobile><province> </province></senderInfo>",
    ] {
        let xml = replace_block(EXAMPLE, "senderInfo", empty);
        assert_eq!(issues(&xml), [], "{empty}");
    }
    let xml = replace_block(EXAMPLE, "receiverInfo", "<receiverInfo/>");
    assert_eq!(issues(&xml), []);
}

#[test]
fn an_empty_required_block_is_one_required_error() {
    let xml = replace_block(
        EXAMPLE,
        "deliveryOrder",
        "<deliveryOrder><deliveryOrderCode/></deliveryOrder>",
    );
    assert_eq!(
        issues(&xml),
        [("required", "/request/deliveryOrder".to_string())]
    );
}

#[test]
fn a_block_with_one_value_is_checked_as_usual() {
    let xml = replace_block(
        EXAMPLE,
        "senderInfo",
        "<senderInfo><name>陈一</name></senderInfo>",
    );
    let found = issues(&xml);
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|(rule, path)| *rule == "required"
            && path.starts_with("/request/deliveryOrder/senderInfo/")),
        "{found:?}"
    );
}
