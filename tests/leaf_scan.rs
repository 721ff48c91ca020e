//! The decoder's leaf scan (plain `<name>text</name>` elements read without quick-xml's events)
//! must decode exactly as quick-xml's events alone: same model with the same spans, same error
//! at the same offset, same lint report. Checked on every bundled XML document, on each of them
//! cut short at many points, and on hand-written edge cases around the shapes the scan accepts
//! and refuses.

use crate::files;
use qmwire::fuzzing::leaf_scan_agrees;
use qmwire::model::qimen::{BodyKind, BODY_KINDS};
use std::path::PathBuf;

fn bundled_documents() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    for dir in [
        "tests/fixtures/qimen",
        "tests/fixtures/convert",
        "examples",
        "benches/data",
    ] {
        paths.extend(files::under(dir, &["xml"]));
    }
    assert!(paths.len() > 100, "found only {} documents", paths.len());
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
            Some((p, text))
        })
        .collect()
}

/// The body kind the document's root and method imply, or every kind with that root.
fn kinds_for(text: &str) -> Vec<BodyKind> {
    let root = if text.contains("<error_response") {
        "error_response"
    } else if text.contains("<response") {
        "response"
    } else {
        "request"
    };
    BODY_KINDS
        .iter()
        .copied()
        .filter(|k| k.root() == root)
        .collect()
}

#[test]
fn bundled_documents_decode_the_same() {
    for (path, text) in bundled_documents() {
        for kind in kinds_for(&text) {
            leaf_scan_agrees(kind, &text);
        }
        assert!(!path.as_os_str().is_empty());
    }
}

#[test]
fn truncated_documents_fail_the_same() {
    for (_, text) in bundled_documents() {
        let kind = kinds_for(&text)[0];
        let step = (text.len() / 40).max(1);
        for cut in (0..text.len()).step_by(step) {
            if text.is_char_boundary(cut) {
                leaf_scan_agrees(kind, &text[..cut]);
            }
        }
    }
}

#[test]
fn edge_shapes_decode_the_same() {
    let cases = [
        // Shapes the scan reads itself.
        "<request><deliveryOrder><deliveryOrderCode>A1</deliveryOrderCode></deliveryOrder></request>",
        "<request>\n  <deliveryOrder>\r\n\t<remark></remark>\n  <remark>x</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>a > b ]]> c</remark></deliveryOrder></request>",
        "<request><deliveryOrder><备注>中文</备注><a.b-c_d:e>1</a.b-c_d:e></deliveryOrder></request>",
        "<request><deliveryOrder>text</deliveryOrder><orderLines>  </orderLines></request>",
        "<request><orderLines>stray</orderLines><extendProps>x</extendProps></request>",
        "<request><extendProps><k1>v</k1><k2></k2></extendProps></request>",
        "<request><deliveryOrder><x>unknown</x><receiverInfo>r</receiverInfo></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![CDATA[a<b>]]>b&amp;c<![CDATA[]]]></remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>&#x4E2D;&#20013;&lt;&gt;&quot;&apos;</remark><foo>&lt;<![CDATA[&]]></foo></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![CDATA[x]]></remark><remark><![CDATA[dup]]></remark></deliveryOrder></request>",
        // Leaves read as structs, lists or maps: quick-xml's events after all.
        "<request><deliveryOrder><![CDATA[x]]> <![CDATA[y]]>\n a&amp;b </deliveryOrder></request>",
        "<request><orderLines>&amp;</orderLines><extendProps> <![CDATA[z]]> </extendProps></request>",
        "<request><deliveryOrder></deliveryOrder><orderLines></orderLines><extendProps></extendProps></request>",
        // Shapes the scan leaves to quick-xml.
        "<request><deliveryOrder><remark>&#0;</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>&#xD800;</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>a &amp</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>a &amp &lt;</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![CDATA[x</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![cdata[x]]></remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![CDATA[x]]><!-- c --></remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>a &amp; b</remark><remark>&#20013;</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark><![CDATA[<x>]]></remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>a<!-- c -->b</remark><remark a=\"1\">x</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>x</remark ><remark/><remark />\u{a0}<remark>y</remark></deliveryOrder></request>",
        "<request><deliveryOrder>&amp;<remark>x</remark>t<remark>y</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark><b>x</b></remark></deliveryOrder></request>",
        "<request><deliveryOrder>text<remark>x</remark> <remark>y</remark>\n</deliveryOrder></request>",
        // Broken documents: the same error at the same place.
        "<request><deliveryOrder><remark>x</remarks></deliveryOrder></request>",
        "<request><deliveryOrder><remark>x</remark></request>",
        "<request><deliveryOrder><remark>x</remark><remark>a & b</remark></deliveryOrder></request>",
        "<request><deliveryOrder><remark>x</remark><remark>y</remark>",
        "<request><deliveryOrder><remark>x</remark></deliveryOrder></request><request/>",
        "<request><deliveryOrder><remark>x</remark><!DOCTYPE x></deliveryOrder></request>",
        "<request><deliveryOrder><remark>x</remark><remark>&bogus;</remark></deliveryOrder></request>",
        "<request><a><b><c><d>deep</d></c></b></a></request>",
        "<request><deliveryOrder><receiverInfo><receiverName>x</receiverName></receiverInfo></deliveryOrder></request>",
        "<request><orderLines><orderLine><planQty>1</planQty></orderLine><orderLine/><x>1</x></orderLines></request>",
        // Blocks whose plain start and end tags the scan takes, and the ones it leaves.
        "<request>\n <deliveryOrder>\n  <senderInfo><name>n</name></senderInfo>\n </deliveryOrder>\n</request>\n",
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfo ></deliveryOrder ></request >",
        "<request><deliveryOrder><senderInfo><name>n</name><!-- c --></senderInfo><?pi x?></deliveryOrder></request>",
        "<request><deliveryOrder a=\"1\"><senderInfo><name>n</name></senderInfo></deliveryOrder></request>",
        "<request><deliveryOrder><senderInfo>t<name>n</name>u</senderInfo>&amp;</deliveryOrder></request>",
        "<request><orderLines><orderLine><itemCode>a</itemCode></orderLine>\n<orderLine><itemCode>b</itemCode></orderLine></orderLines></request>",
        "<request><extendProps><k><x>1</x></k></extendProps><x><y><z>1</z></y></x></request>",
        "<request><deliveryOrder><x><y>1</y><z><w/></z></x></deliveryOrder></request>",
        // Broken blocks: the same error at the same place.
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfos></deliveryOrder></request>",
        "<request><deliveryOrder><senderInfo><name>n</name></deliveryOrder></request>",
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfo></deliveryOrder></request></request>",
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfo></x></deliveryOrder></request>",
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfo></deliveryOrder>",
        "<request><deliveryOrder><senderInfo><name>n</name>",
        "<request><deliveryOrder></deliveryOrder",
        "<request><deliveryOrder><senderInfo></senderInfo></deliveryOrder></requests>",
        "</request><request/>",
        "<request/></request>",
        "<request><x><y><z>1</z></y></x ></request>",
        "<request><x><y><z>1</z></w></x></request>",
        "<request><x><y><z>1</z></y></request>",
        "<request><remark><y><z>1</z></y></remark><remark><y></z></remark></request>",
        "<request><orderLines><orderLine></orderLines></orderLine></request>",
        "<request><deliveryOrder><senderInfo><name>n</name></senderInfo></deliveryOrder></request><!-- c --></x>",
    ];
    for case in cases {
        for kind in kinds_for(case) {
            leaf_scan_agrees(kind, case);
        }
        let bom = format!("\u{feff}<?xml version=\"1.0\"?>\n{case}");
        leaf_scan_agrees(BodyKind::DeliveryOrderCreateRequest, &bom);
    }
}
