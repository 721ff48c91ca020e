//! A request's method check asks whether the body reads better as another method than the one
//! its query names. That needs a second reading of the body, except when the body's own decode
//! proves the named method knows every element path and closed code of it. The proof must never
//! be given where the second reading would find a path or code the method misreads
//! (`qmwire::fuzzing::method_fit_agrees` checks both readings): on every bundled XML document
//! under every method with its root, and on edge shapes that must each withhold the proof.

use crate::files;
use qmwire::fuzzing::method_fit_agrees;
use qmwire::model::qimen::{BodyKind, BODY_KINDS};

fn kinds_with_root(text: &str) -> impl Iterator<Item = BodyKind> + '_ {
    BODY_KINDS
        .iter()
        .copied()
        .filter(move |k| text.contains(&format!("<{}", k.root())))
}

#[test]
fn bundled_documents_agree_under_every_method() {
    let mut vouched = 0;
    let mut withheld = 0;
    for dir in [
        "tests/fixtures/qimen",
        "tests/fixtures/convert",
        "examples",
        "benches/data",
    ] {
        for path in files::under(dir, &["xml"]) {
            let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
                continue;
            };
            for kind in kinds_with_root(&text) {
                if method_fit_agrees(kind, &text) {
                    vouched += 1;
                } else {
                    withheld += 1;
                }
            }
        }
    }
    // Both answers occur often: the check is not vacuous either way.
    assert!(vouched > 50, "the decode vouched only {vouched} times");
    assert!(withheld > 500, "the decode withheld only {withheld} times");
}

const CREATE: BodyKind = BodyKind::DeliveryOrderCreateRequest;

fn order(inner: &str) -> String {
    format!(
        "<request><deliveryOrder><deliveryOrderCode>A1</deliveryOrderCode>{inner}</deliveryOrder><extendProps><k><x>1</x></k></extendProps></request>"
    )
}

#[test]
fn known_shapes_are_vouched_for() {
    for inner in [
        "<orderType>JYCK</orderType>",
        "<orderType> JYCK\n</orderType>",
        "<orderType></orderType>",
        "<orderType>   </orderType><remark>a&amp;b<![CDATA[c]]><!-- d --></remark>",
        "<receiverInfo><name>n</name></receiverInfo>",
    ] {
        assert!(method_fit_agrees(CREATE, &order(inner)), "{inner}");
    }
}

#[test]
fn unknown_paths_and_codes_withhold_the_proof() {
    for inner in [
        // An element the method does not know, near the root and below the depth read twice.
        "<orderTyp>JYCK</orderTyp>",
        "<receiverInfo><name>n</name><a><b><c>deep</c></b></a></receiverInfo>",
        // A code outside the closed table, or written so that it is not one verbatim piece.
        "<orderType>XXXX</orderType>",
        "<orderType>JY&#67;K</orderType>",
        "<orderType><![CDATA[JYCK]]></orderType>",
        "<orderType>JY<!-- c -->CK</orderType>",
        // A second occurrence (kept aside unread), stray text, a scalar holding an element.
        "<orderType>JYCK</orderType><orderType>JYCK</orderType>",
        "stray<orderType>JYCK</orderType>",
        "<orderType><x>JYCK</x></orderType>",
    ] {
        assert!(!method_fit_agrees(CREATE, &order(inner)), "{inner}");
    }
    let lines = "<request><orderLines><orderLine><itemCode>I</itemCode></orderLine><line/></orderLines></request>";
    assert!(!method_fit_agrees(CREATE, lines));
    let lines =
        "<request><orderLines><orderLine><itemCode>I</itemCode></orderLine></orderLines></request>";
    assert!(method_fit_agrees(CREATE, lines));
}
