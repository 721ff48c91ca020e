//! Fuzz harness bodies. They live in the library so that `cargo test` (stable) can replay every
//! corpus file and past crash through exactly the code the libFuzzer targets in `fuzz/` run.
//! Each function panics when an invariant breaks; any other outcome is a pass.

use crate::lint::{decode_qimen, lint_qimen};
use crate::model::qimen::{BodyKind, BODY_KINDS};
use crate::render::{self, FileReport};
use crate::validate;
use crate::xml::{encode, Limits};

/// Small limits so the fuzzer spends its time on structure, not on huge inputs.
fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_depth: 64,
        max_list_items: 2_000,
    }
}

/// Picks a body kind from the first byte, then decodes the rest as that body: arbitrary bytes
/// never panic, and every span of a decoded value lies on char boundaries inside the input.
pub fn decode_xml(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind: BodyKind = BODY_KINDS[pick as usize % BODY_KINDS.len()];
    let Ok(input) = std::str::from_utf8(rest) else {
        let _ = decode_qimen(rest, None, &limits());
        return;
    };
    if let Ok(body) = kind.decode(input, &limits()) {
        for span in crate::lint::personal_spans(&body) {
            assert!(span.end as usize <= input.len(), "span past the end");
            assert!(
                input.is_char_boundary(span.start as usize)
                    && input.is_char_boundary(span.end as usize)
            );
        }
        let all = validate::issues(&body);
        assert_eq!(
            validate::is_valid(&body),
            all.iter().all(|i| i.severity != crate::Severity::Error)
        );
        assert_eq!(
            validate::first_error(&body).is_some(),
            !validate::is_valid(&body)
        );
    }
}

/// decode → encode → decode yields an equal model, and encoding is stable after one pass.
pub fn roundtrip_xml(data: &[u8]) {
    let Ok(doc) = decode_qimen(data, None, &limits()) else {
        return;
    };
    let xml = encode(&doc.body);
    let again = match doc.body.kind().decode(&xml, &limits()) {
        Ok(b) => b,
        Err(e) => panic!("encoded form does not decode: {e}\n{xml}"),
    };
    assert_eq!(doc.body, again, "model changed in the round trip\n{xml}");
    assert_eq!(encode(&again), xml, "encoding is not stable");
}

/// The whole lint pipeline and both renderers: never panics, the JSON is one well-formed
/// document whose summary matches the report.
pub fn lint(data: &[u8]) {
    let report = lint_qimen(data, None, &limits());
    let input = String::from_utf8_lossy(data);
    let files = [FileReport {
        path: "fuzz.xml",
        input: &input,
        report: &report,
    }];
    let human = render::human::render(&files);
    assert!(human.ends_with('\n'));
    let json = render::json::render(&files);
    let text = json.to_string();
    let back: serde_json::Value = serde_json::from_str(&text).expect("JSON output parses");
    assert_eq!(back["summary"]["errors"], report.errors());
    assert_eq!(back["summary"]["warnings"], report.warnings());
    assert_eq!(report.is_valid(), report.errors() == 0);
}
