//! Qimen allows `remark` and `extendProps` under every element that has children: they are
//! part of every block's contract (decoded, encoded, in the JSON Schemas), never an
//! `unknown-field` warning, and stray text inside `extendProps` is reported there.

const EXAMPLE: &str = include_str!("../examples/qimen/deliveryorder.create.xml");

fn issues(xml: &str) -> Vec<(&'static str, String)> {
    crate::front::findings(xml, "deliveryorder.create")
}

#[test]
fn remark_and_extend_props_are_accepted_under_every_block() {
    let extra = "<remark>备注</remark><extendProps><k1>v1</k1><k2>v2</k2></extendProps>";
    let mut xml = EXAMPLE.to_string();
    for close in ["</senderInfo>", "</receiverInfo>", "</orderLine>"] {
        xml = xml.replace(close, &format!("{extra}{close}"));
    }
    // `deliveryOrder` declares its own `remark` (and the example uses it).
    xml = xml.replace(
        "</deliveryOrder>",
        "<extendProps><k2>v2</k2></extendProps></deliveryOrder>",
    );
    assert_ne!(xml, EXAMPLE);
    assert_eq!(issues(&xml), []);
    // And kept: the encoder writes them back.
    let doc = qmwire::qimen::decode_qimen(xml.as_bytes(), None, &Default::default()).unwrap();
    let encoded = qmwire::xml::encode(&doc.body);
    assert!(encoded.matches("<k2>v2</k2>").count() >= 4, "{encoded}");
}

#[test]
fn the_schemas_know_them_too() {
    let schema = std::fs::read_to_string(
        crate::files::repo().join("schemas/qimen/deliveryorder.create.request.json"),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let defs = doc["$defs"].as_object().unwrap();
    let line = defs
        .values()
        .find(|d| d["properties"].get("planQty").is_some())
        .expect("the order line's schema");
    assert!(line["properties"].get("remark").is_some(), "{line}");
    assert!(line["properties"].get("extendProps").is_some(), "{line}");
}

#[test]
fn stray_text_in_extend_props_is_reported_there() {
    let xml = EXAMPLE.replace(
        "</deliveryOrder>",
        "<extendProps>loose<k>v</k></extendProps></deliveryOrder>",
    );
    assert_eq!(
        issues(&xml),
        [(
            "unknown-field",
            "/request/deliveryOrder/extendProps/#text".to_string()
        )]
    );
}
