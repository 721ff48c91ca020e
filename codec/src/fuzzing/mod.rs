//! Fuzz harness bodies. They live in the library so that `cargo test` (stable) can replay every
//! corpus file and past crash through exactly the code the libFuzzer targets in `fuzz/` run.
//! Each function panics when an invariant breaks; any other outcome is a pass.

mod hostile;

pub use hostile::hostile;

use crate::model::qimen::{BodyKind, BODY_KINDS};
use crate::options::{Options, Shape};
use crate::qimen::document::decode_qimen;
use crate::render::{self, FileReport};
use crate::validate;
use crate::wire::limits::Limits;
use crate::xml::encode;

/// Small limits so the fuzzer spends its time on structure, not on huge inputs.
/// The front door with a forced shape and the harness limits.
fn lint_as(data: &[u8], shape: Shape, method: Option<&str>) -> crate::report::Report {
    let mut options = Options::new().with_shape(shape).with_limits(limits());
    options.method = method.map(str::to_string);
    crate::lint(data, &options)
}

fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_depth: 64,
        max_list_items: 2_000,
        max_items: 100_000,
    }
}

/// The decoder reads plain leaves `<name>text</name>` itself instead of through quick-xml's
/// events (see [`crate::xml::decode::XmlDecoder`]). Decodes `input` as `kind` with that scan and
/// without it, under the fuzzing limits and under tight ones (depth 3, 2 list items), and panics
/// unless both give the same model (spans included) or the same error, and the same lint report.
pub fn leaf_scan_agrees(kind: BodyKind, input: &str) {
    use crate::xml::decode::without_leaf_scan;
    let tight = Limits {
        max_bytes: 1 << 20,
        max_depth: 3,
        max_list_items: 2,
        max_items: 100_000,
    };
    for limits in [limits(), tight] {
        let fast = format!("{:?}", kind.decode(input, &limits));
        let reference = without_leaf_scan(|| format!("{:?}", kind.decode(input, &limits)));
        assert_eq!(fast, reference, "leaf scan changed the decode of {input:?}");
    }
    let method = kind.method();
    let fast = format!("{:?}", lint_as(input.as_bytes(), Shape::Xml, method));
    let reference =
        without_leaf_scan(|| format!("{:?}", lint_as(input.as_bytes(), Shape::Xml, method)));
    assert_eq!(fast, reference, "leaf scan changed the lint of {input:?}");
}

/// A request's method check asks whether its body reads better as another method
/// ([`crate::qimen::detect`]'s `better_fit`, a second reading of the body), unless the body's
/// own decode already proved that the named method knows every element path and every closed
/// code of the body. Decodes `input` with the method of `kind` and panics when that proof is
/// given but the second reading finds a path or code the method misreads, or `better_fit`
/// would name another method. Returns whether the proof was given.
pub fn method_fit_agrees(kind: BodyKind, input: &str) -> bool {
    use crate::qimen::detect;
    let Some(named) = kind.method().and_then(detect::method) else {
        return false;
    };
    let Ok(doc) = decode_qimen(input.as_bytes(), Some(named), &limits()) else {
        return false;
    };
    if !detect::known_to_decoder(&doc.body) {
        return false;
    }
    let misread = detect::misread_by(input, named, &limits());
    assert!(
        misread.is_none_or(|n| n == 0),
        "the decode vouched for {} but {misread:?} paths are misread in {input:?}",
        named.method
    );
    assert_eq!(detect::better_fit(input, named, &limits()), None);
    true
}

/// Picks a body kind from the first byte, then decodes the rest as that body: arbitrary bytes
/// never panic, the leaf scan agrees with plain quick-xml events ([`leaf_scan_agrees`]), and
/// every span of a decoded value lies on char boundaries inside the input.
pub fn decode_xml(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind: BodyKind = BODY_KINDS[pick as usize % BODY_KINDS.len()];
    let Ok(input) = std::str::from_utf8(rest) else {
        let _ = decode_qimen(rest, None, &limits());
        return;
    };
    leaf_scan_agrees(kind, input);
    method_fit_agrees(kind, input);
    if let Ok(body) = kind.decode(input, &limits()) {
        for span in crate::privacy::qimen_values(&body).iter().map(|v| v.span) {
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

/// Arbitrary bytes as wdt JSON: the reader accepts exactly what serde_json accepts (outside our
/// documented limits and serde_json's own number range), never panics, keeps every personal
/// span on char boundaries inside the input, and the three validation tiers agree. The first
/// byte picks the body kind for a direct decode.
pub fn decode_json(data: &[u8]) {
    use crate::error::DecodeErrorKind;
    use crate::json::decode::check_syntax;
    use crate::model::wdt::WDT_BODY_KINDS;

    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        let _ = crate::wdt::decode_wdt(rest, None, &limits());
        return;
    };
    let ours = check_syntax(input, &limits());
    if !input.starts_with('\u{feff}') {
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(input);
        match (&ours, &theirs) {
            (Err(e), _) if e.kind() == DecodeErrorKind::Limit => {}
            (Ok(()), Err(e)) if e.to_string().contains("out of range") => {}
            (Err(e), Err(_)) => assert!(e.offset() <= input.len()),
            (Ok(()), Ok(_)) => {}
            _ => panic!(
                "JSON reader disagrees with serde_json: ours {ours:?}, serde_json {theirs:?}"
            ),
        }
    }
    let kind = WDT_BODY_KINDS[pick as usize % WDT_BODY_KINDS.len()];
    if let Ok(body) = kind.decode(input, &limits()) {
        for span in crate::privacy::wdt_values(&body, false)
            .iter()
            .map(|v| v.span)
        {
            assert!(span.end as usize <= input.len(), "span past the end");
            assert!(
                input.is_char_boundary(span.start as usize)
                    && input.is_char_boundary(span.end as usize)
            );
        }
    }
    if let Ok(doc) = crate::wdt::decode_wdt(rest, None, &limits()) {
        let all = crate::wdt::issues(&doc);
        for i in &all {
            assert!(i.span.end as usize <= input.len() && i.span.start <= i.span.end);
            assert!(
                i.path.starts_with('/'),
                "path {:?} is not a JSON Pointer",
                i.path
            );
        }
    }
}

/// 金蝶 WebAPI bodies. The first byte picks the body kind the rest is decoded as. Checks: no
/// panic; a decoded body survives encode → decode unchanged and its encoding is stable; the
/// document decoded by its keys lints with issues inside the input, on JSON Pointer paths and
/// with catalogued rule ids; the front door's report (with the 金蝶 operation given) keeps its
/// spans inside the input; and the built-in seed003 mapping either refuses the input or turns it
/// into a request that decodes as a BatchSave.
pub fn decode_kingdee(data: &[u8]) {
    use crate::model::kingdee::{KingdeeBodyKind, KINGDEE_BODY_KINDS};

    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    if let Ok(input) = std::str::from_utf8(rest) {
        let kind = KINGDEE_BODY_KINDS[pick as usize % KINGDEE_BODY_KINDS.len()];
        if let Ok(body) = kind.decode(input, &limits()) {
            let json = body.encode(false);
            let again = kind
                .decode(&json, &limits())
                .unwrap_or_else(|e| panic!("encoded form does not decode: {e}\n{json}"));
            assert_eq!(body, again, "model changed in the round trip\n{json}");
            assert_eq!(again.encode(false), json, "encoding is not stable");
        }
    }
    if let Ok(doc) = crate::kingdee::decode_kingdee(rest, None, &limits()) {
        for i in crate::kingdee::lint::issues(&doc) {
            assert!(i.span.start <= i.span.end && i.span.end as usize <= rest.len());
            assert!(
                i.path.starts_with('/'),
                "path {:?} is not a JSON Pointer",
                i.path
            );
            assert!(
                crate::rules::rule(i.rule).is_some(),
                "uncatalogued {}",
                i.rule
            );
        }
    }
    let report = lint_as(rest, Shape::Json, Some("BatchSave"));
    for i in &report.issues {
        assert!(i.span.start <= i.span.end && i.span.end as usize <= rest.len());
    }
    let mapping = crate::convert::kingdee::mapping::Mapping::builtin("seed003")
        .expect("the built-in mapping reads");
    if let Ok(converted) = crate::convert::kingdee::build::to_batch_save(rest, &mapping, &limits())
    {
        KingdeeBodyKind::BatchSaveRequest
            .decode(&converted.json, &limits())
            .unwrap_or_else(|e| panic!("converted request does not decode: {e}"));
        assert_eq!(converted.report.method, Some("BatchSave"));
    }
}

/// wdt JSON: decode → encode → decode yields an equal model (bare arrays stay bare), and
/// encoding is stable after one pass.
pub fn roundtrip_json(data: &[u8]) {
    let Ok(doc) = crate::wdt::decode_wdt(data, None, &limits()) else {
        return;
    };
    let json = doc.body.encode(doc.bare);
    let again = match doc.body.kind().decode(&json, &limits()) {
        Ok(b) => b,
        Err(e) => panic!("encoded form does not decode: {e}\n{json}"),
    };
    assert_eq!(doc.body, again, "model changed in the round trip\n{json}");
    assert_eq!(again.encode(doc.bare), json, "encoding is not stable");
}

/// The whole lint pipeline and both renderers: never panics, the JSON is one well-formed
/// document whose summary matches the report. The same bytes also go through the wdt JSON and
/// wdt form pipelines, whose issues must point inside the input.
pub fn lint(data: &[u8]) {
    for report in [
        lint_as(data, Shape::Json, None),
        lint_as(data, Shape::Form, None),
    ] {
        for i in &report.issues {
            assert!(i.span.start <= i.span.end && i.span.end as usize <= data.len());
        }
        let input = String::from_utf8_lossy(data);
        let files = [FileReport {
            path: "fuzz.json",
            input: &input,
            report: &report,
        }];
        assert!(render::human::render(&files).ends_with('\n'));
    }
    let report = lint_as(data, Shape::Xml, None);
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

/// The signing side. The input is `[mode][secret_len] secret query [0xFF body]`: the first byte
/// picks the mode (bit 0: there is a body, after the first `0xFF` following the secret; bit 1:
/// `wdt_sign` takes its method from the whole query instead of the `method` param), the second
/// byte the secret's length (clamped to what is left). A query that is not UTF-8 is parsed
/// lossily. Checks:
/// - [`crate::wire::params::parse`] never panics, and when it succeeds, [`crate::wire::params::encode`] gives the same
///   pairs back;
/// - each Qimen method: the sign matches itself, has the method's length in uppercase hex, does
///   not depend on the order of the params, and (`md5`) changes when one body byte flips; its
///   explain string is the message, wrapped in `***` for `md5`;
/// - wdt 企业版: lowercase 32-hex, order-independent; 旗舰版 and `wdt_sign` on arbitrary values
///   never panic and give lowercase 32-hex;
/// - no explain string contains the secret when the secret holds a character none of the
///   inputs, nor the explain strings' own framing, could have put there.
pub fn sign(data: &[u8]) {
    use crate::sign::{qimen, signs_match, wdt, Algorithm, SignMethod, MASK};
    use crate::wire::params;

    let [mode, secret_len, rest @ ..] = data else {
        return;
    };
    let (secret, rest) = rest.split_at(usize::from(*secret_len).min(rest.len()));
    let (query_bytes, body) = if mode & 1 == 1 {
        match rest.iter().position(|&b| b == 0xFF) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, Some(&[][..])),
        }
    } else {
        (rest, None)
    };
    let query = String::from_utf8_lossy(query_bytes);
    let body_text = body.map(String::from_utf8_lossy);

    // A form body is parsed the same way; it must not panic either.
    if let Some(text) = &body_text {
        let _ = params::parse(text);
    }
    let Ok(pairs) = params::parse(&query) else {
        return;
    };
    let encoded = params::encode(&pairs);
    let again = params::parse(&encoded).expect("encoded pairs parse");
    assert_eq!(again, pairs, "encode → parse changed the pairs");
    let reversed: Vec<_> = pairs.iter().rev().cloned().collect();

    // What could legitimately appear in an explain string, so the secret-leak check only fires
    // on a secret that could not have come from anywhere else.
    let method_param = pairs
        .iter()
        .find(|(k, _)| k == "method")
        .map_or("", |(_, v)| v.as_ref());
    let custom_method: &str = if mode & 2 == 2 { &query } else { method_param };
    let mut sources = String::from("0123456789-:;.*methodbodytruefalse\u{FFFD}");
    sources.push_str(&query);
    sources.push_str(custom_method);
    for (k, v) in &pairs {
        sources.push_str(k);
        sources.push_str(v);
    }
    if let Some(text) = &body_text {
        sources.push_str(text);
    }
    let secret_text = std::str::from_utf8(secret).ok();
    // JSON escapes in values (`\u5e97`) can produce any character in `wdt_sign`'s string.
    let escapes = sources.contains('\\');
    let must_hide = secret_text.filter(|s| s.chars().any(|c| !sources.contains(c)));
    let check_hidden = |what: &str, explained: &str| {
        if let Some(s) = must_hide {
            assert!(
                !explained.contains(s),
                "{what} explain string shows the secret"
            );
        }
    };

    for method in SignMethod::ALL {
        let algorithm = Algorithm::Qimen(method);
        let s = qimen::sign(&pairs, body, secret, method);
        assert!(signs_match(algorithm, &s, &s));
        assert_eq!(s.len(), method.sign_len(), "{method} sign length");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
            "{method} sign is not uppercase hex: {s}"
        );
        // Qimen compares exactly: the lowercase form only matches when it is the same text.
        let lower = s.to_ascii_lowercase();
        assert_eq!(signs_match(algorithm, &s, &lower), lower == s);
        assert_eq!(
            qimen::sign(&reversed, body, secret, method),
            s,
            "{method}: order"
        );
        let explained = qimen::canonical_masked(&pairs, body, method);
        let message = String::from_utf8_lossy(&qimen::message(&pairs, body)).into_owned();
        let expected = match method {
            SignMethod::Md5 => format!("{MASK}{message}{MASK}"),
            SignMethod::Hmac | SignMethod::HmacSha256 => message,
        };
        assert_eq!(explained, expected, "{method} explain string");
        check_hidden(method.as_str(), &explained);
        if method == SignMethod::Md5 {
            if let Some(body) = body.filter(|b| !b.is_empty()) {
                let mut flipped = body.to_vec();
                let i = usize::from(*secret_len) % flipped.len();
                flipped[i] ^= 0x01;
                let other = qimen::sign(&pairs, Some(&flipped), secret, method);
                assert_ne!(other, s, "md5 sign ignores body byte {i}");
            }
        }
    }

    let w = wdt::sign(&pairs, secret);
    assert!(is_lower_hex32(&w), "wdt sign: {w}");
    assert!(signs_match(Algorithm::Wdt, &w, &w));
    assert!(signs_match(Algorithm::Wdt, &w, &w.to_ascii_uppercase()));
    assert_eq!(wdt::sign(&reversed, secret), w, "wdt: order");
    check_hidden("wdt", &wdt::canonical_masked(&pairs));

    let ultimate_secret = wdt::split_appsecret(secret).map_or(secret, |(s, _)| s);
    let body_str = body.and_then(|b| std::str::from_utf8(b).ok());
    let u = wdt::sign_ultimate(&pairs, body_str, ultimate_secret);
    assert!(is_lower_hex32(&u), "wdt ultimate sign: {u}");
    check_hidden(
        "wdt ultimate",
        &wdt::canonical_masked_ultimate(&pairs, body_str),
    );

    // `wdt_sign` over the params, and over arbitrary text as a JSON-looking value.
    let mut custom: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (&**k, &**v)).collect();
    if let Ok(c) = wdt::sign_qimen_custom(&custom, custom_method, secret) {
        assert!(is_lower_hex32(&c), "wdt_sign: {c}");
        let rev: Vec<_> = custom.iter().rev().copied().collect();
        assert_eq!(
            wdt::sign_qimen_custom(&rev, custom_method, secret),
            Ok(c),
            "wdt_sign: order"
        );
    }
    if let Ok(explained) = wdt::canonical_masked_qimen_custom(&custom, custom_method) {
        if !escapes {
            check_hidden("wdt_sign", &explained);
        }
    }
    if let Some(text) = &body_text {
        custom.push(("biz_content", text));
        if let Ok(c) = wdt::sign_qimen_custom(&custom, custom_method, secret) {
            assert!(is_lower_hex32(&c), "wdt_sign: {c}");
        }
        let _ = wdt::canonical_masked_qimen_custom(&custom, custom_method);
    }
}

/// Redaction of arbitrary bytes with every policy (`qmwire::redact`: Qimen XML, wdt JSON, wdt
/// form bodies, Qimen and wdt HTTP requests). Whenever redaction succeeds:
/// - **locality**: the reported changes are in order, inside both texts, and every byte
///   between them is unchanged (in a request, a `Content-Length` value may differ, in digits);
/// - **the output decodes** as the same protocol and method: redacting it again succeeds, and
///   changes nothing (idempotence);
/// - **each personal field now holds the policy's value**: the output's personal values, located
///   by the same decoders, are the input's values passed through the redactor, position by
///   position (under `drop` they are all blank, so none is found);
/// - **no personal value survives in its field**: for each input value of at least 2
///   characters that the policy changes, the new value cannot carry it: under `mask` it has the
///   same length and differs, so it does not contain the value; under `hash` it is a token
///   (`qmh_` and hex, which may contain a short value only by chance, so containment is not
///   asserted); under `drop` it is empty.
///
/// Searching the whole output for each value would not be sound: the same text may legitimately
/// stand outside every personal field (a `buyer_message` quoting the receiver's name, a `tid`
/// made of the same digits as a phone), where it is not classified and locality keeps it as it
/// was. Those bytes are exactly the unchanged gaps checked above.
pub fn redact(data: &[u8]) {
    use crate::privacy::Privacy;
    use crate::redact::{hash, Policy, Redactor};
    use std::cell::RefCell;

    type Located = Vec<(Privacy, String, Option<u32>)>;
    let locate = |bytes: &[u8]| -> Option<Located> {
        let seen = RefCell::new(Vec::new());
        let record = |class: Privacy, value: &str, max: Option<u32>| {
            seen.borrow_mut().push((class, value.to_string(), max));
            value.to_string()
        };
        crate::front::redact::with(bytes, &Options::new(), &record).ok()?;
        Some(seen.into_inner())
    };
    let redactors = [
        Redactor::mask(),
        Redactor::new(Policy::Hash, Some(b"fuzz key")).expect("a key"),
        Redactor::new(Policy::Drop, None).expect("no key needed"),
    ];
    for r in &redactors {
        let Ok(out) = crate::redact(data, &Options::new(), r) else {
            continue;
        };
        let policy = r.policy();
        let before = locate(data).expect("values can be located where redaction succeeded");
        assert_eq!(before.len(), out.values, "{policy}: value count");
        assert_eq!(out.changes.len(), out.values, "{policy}: change count");

        // Locality.
        let output = &out.output;
        let (mut at_in, mut at_out) = (0usize, 0usize);
        let request = crate::wire::http::looks_like_request(data);
        for c in &out.changes {
            let (i, o) = (c.input.range(), c.output.range());
            assert!(
                i.start >= at_in && i.end <= data.len(),
                "{policy}: input span"
            );
            assert!(
                o.start >= at_out && o.end <= output.len(),
                "{policy}: output span"
            );
            same_gap(
                &data[at_in..i.start],
                &output[at_out..o.start],
                request,
                policy,
            );
            (at_in, at_out) = (i.end, o.end);
        }
        same_gap(&data[at_in..], &output[at_out..], request, policy);

        // The output decodes, as the same thing, and is a fixed point.
        let again = crate::redact(output, &Options::new(), r)
            .unwrap_or_else(|e| panic!("{policy}: the output does not redact again: {e}"));
        assert_eq!(again.protocol, out.protocol, "{policy}: protocol");
        assert_eq!(again.method, out.method, "{policy}: method");
        assert!(again.output == out.output, "{policy}: not idempotent");

        // Each personal field holds what the policy makes of its value.
        let after = locate(output).expect("the output's values can be located");
        if policy == Policy::Drop {
            assert!(after.is_empty(), "drop: {} values left", after.len());
        } else {
            assert_eq!(after.len(), before.len(), "{policy}: values after");
            for ((class, value, max), (class2, value2, _)) in before.iter().zip(&after) {
                assert_eq!(class, class2, "{policy}: class order");
                assert!(
                    *value2 == r.apply_within(*class, value, *max),
                    "{policy}: a {} field does not hold the redacted value",
                    class.as_str()
                );
            }
        }

        // No value survives in its field.
        for (class, value, max) in &before {
            let core = value.trim();
            let new = r.apply_within(*class, value, *max);
            if core.chars().count() < 2 || new == *value {
                continue; // already redacted (a masked value, a token)
            }
            match policy {
                Policy::Mask => {
                    assert_eq!(new.chars().count(), value.chars().count(), "mask: length");
                    assert!(!new.contains(core), "mask: a {} survives", class.as_str());
                }
                Policy::Hash => assert!(hash::is_token(new.trim()), "hash: not a token"),
                Policy::Drop => assert!(new.is_empty(), "drop: not empty"),
            }
        }
    }
}

/// Bytes between changes must be equal; in a request, a `Content-Length` value may differ (in
/// digits only).
fn same_gap(a: &[u8], b: &[u8], request: bool, policy: crate::redact::Policy) {
    if a == b {
        return;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let header = a[..prefix]
        .to_ascii_lowercase()
        .windows(15)
        .any(|w| w == b"content-length:");
    assert!(
        request && header && digits(da) && digits(db),
        "{policy}: bytes outside the personal values changed"
    );
}

fn is_lower_hex32(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(feature = "fuzzing")]
pub use structured::structured;

/// The structured target: valid documents built from the field tables, then broken in one place.
#[cfg(feature = "fuzzing")]
mod structured {
    use super::limits;
    use crate::model::qimen::{BodyKind, BODY_KINDS};
    use crate::model::{FieldKind, FieldSpec, StructSpec};
    use crate::validate;
    use crate::xml::encode::escape_into;
    use arbitrary::{Result, Unstructured};

    /// Below this depth, optional nested structs and lists are left out.
    const MAX_DEPTH: usize = 6;

    /// One generated element.
    struct Gen {
        field: &'static FieldSpec,
        /// Its validator path, e.g. `/request/orderLines/orderLine[2]/planQty`.
        path: String,
        /// A field of its parent struct (not a list item): dropping it can break `required`.
        droppable: bool,
        id: usize,
        body: Body,
    }

    enum Body {
        /// Unescaped text.
        Text(String),
        /// Fields of a struct, or the items of a list.
        Children(Vec<Gen>),
        /// Entries of a free map.
        Map(Vec<(&'static str, String)>),
    }

    /// Characters to build text from: ASCII, XML specials, CJK, emoji and combining marks.
    const PICKS: &[char] = &[
        'a', 'Z', '0', '9', '-', '_', '.', '&', '<', '>', '"', '\'', ';', '#', '仓', '库', '张',
        '三', '，', '😀', '🏬', '\u{301}', 'é', '\u{FEFF}', ']',
    ];

    fn text(u: &mut Unstructured<'_>, min: usize, max: usize) -> Result<String> {
        let len = if u.ratio(1, 8)? {
            max
        } else {
            u.int_in_range(min..=max.min(min + 24))?
        };
        let mut s = String::with_capacity(len);
        let mut count = 0;
        while count < len {
            let c = if u.ratio(1, 4)? {
                u.arbitrary::<char>()?
            } else {
                *u.choose(PICKS)?
            };
            // XML forbids most control characters, and the parser trims surrounding whitespace.
            if !c.is_control() && !c.is_whitespace() {
                s.push(c);
                count += 1;
            } else if u.is_empty() {
                s.push('x');
                count += 1;
            }
        }
        Ok(s)
    }

    fn digits(u: &mut Unstructured<'_>, n: usize) -> Result<String> {
        (0..n)
            .map(|_| Ok(char::from(b'0' + u.int_in_range(0..=9u8)?)))
            .collect()
    }

    fn date(u: &mut Unstructured<'_>) -> Result<String> {
        let y: u32 = u.int_in_range(1..=9999)?;
        let m: u32 = u.int_in_range(1..=12)?;
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let last = match m {
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 31,
        };
        let d: u32 = u.int_in_range(1..=last)?;
        Ok(format!("{y:04}-{m:02}-{d:02}"))
    }

    fn time(u: &mut Unstructured<'_>) -> Result<String> {
        let h: u32 = u.int_in_range(0..=23)?;
        let m: u32 = u.int_in_range(0..=59)?;
        let s: u32 = u.int_in_range(0..=59)?;
        Ok(format!("{h:02}:{m:02}:{s:02}"))
    }

    /// A value `field` accepts.
    fn valid_value(u: &mut Unstructured<'_>, field: &FieldSpec) -> Result<String> {
        Ok(match field.kind {
            FieldKind::Integer if field.enumeration.is_some_and(|t| !t.open) => {
                let table = field.enumeration.expect("checked");
                u.choose(table.values)?.code.to_owned()
            }
            FieldKind::Integer => {
                let base = field.min.unwrap_or(-1_000);
                let n = base.saturating_add(u.int_in_range(0..=1_000_000i64)?);
                if u.ratio(1, 16)? {
                    i64::MAX.to_string()
                } else {
                    n.to_string()
                }
            }
            FieldKind::Decimal { scale, precision } => {
                let mut s = String::new();
                if u.arbitrary()? {
                    s.push('-');
                }
                let max_int = precision.map_or(16, |p| p.saturating_sub(scale).max(1) as usize);
                let int_len = u.int_in_range(1..=max_int.min(16))?;
                s.push_str(&digits(u, int_len)?);
                if scale > 0 && u.arbitrary()? {
                    s.push('.');
                    let frac_len = u.int_in_range(1..=scale as usize)?;
                    s.push_str(&digits(u, frac_len)?);
                }
                s
            }
            FieldKind::DateTime | FieldKind::ZeroableDateTime => {
                format!("{} {}", date(u)?, time(u)?)
            }
            FieldKind::Date => date(u)?,
            FieldKind::Time => time(u)?,
            FieldKind::Flag => (*u.choose(&["Y", "N"])?).to_owned(),
            _ => match field.enumeration {
                Some(table) if !table.open || u.arbitrary()? => {
                    u.choose(table.values)?.code.to_owned()
                }
                _ => {
                    let max = field.max_chars.map_or(40, |m| m as usize);
                    let min = usize::from(field.required).min(max);
                    text(u, min, max)?
                }
            },
        })
    }

    /// Whether [`broken_value`] can break `field`.
    fn breakable(field: &FieldSpec) -> bool {
        match field.kind {
            FieldKind::Integer
            | FieldKind::Decimal { .. }
            | FieldKind::DateTime
            | FieldKind::ZeroableDateTime
            | FieldKind::Date
            | FieldKind::Time
            | FieldKind::Flag => true,
            FieldKind::Str => {
                field.enumeration.is_some_and(|t| !t.open) || field.max_chars.is_some()
            }
            _ => false,
        }
    }

    /// A value that breaks exactly one rule of `field`, and that rule's id.
    fn broken_value(u: &mut Unstructured<'_>, field: &FieldSpec) -> Result<(String, &'static str)> {
        Ok(match field.kind {
            FieldKind::Integer => match field.min {
                Some(min) if min > i64::MIN && u.arbitrary()? => ((min - 1).to_string(), "integer"),
                _ => (
                    (*u.choose(&["1.5", "+1", "1e3", "99999999999999999999", "一"])?).to_owned(),
                    crate::rules::INTEGER,
                ),
            },
            FieldKind::Decimal { scale, .. } => {
                let frac = digits(u, scale as usize + 1)?;
                (format!("1.{frac}"), "decimal")
            }
            FieldKind::DateTime | FieldKind::ZeroableDateTime => {
                let v = *u.choose(&[
                    "2020-09-26T13:53:08",
                    "2021-02-29 00:00:00",
                    "2020-09-26 24:00:00",
                    "2020-09-26",
                    "1601097188",
                ])?;
                (v.to_owned(), "datetime")
            }
            FieldKind::Date => {
                let v = *u.choose(&[
                    "2021-02-29",
                    "2020-9-26",
                    "2020-09-26 00:00:00",
                    "2020/09/26",
                ])?;
                (v.to_owned(), "date")
            }
            FieldKind::Time => {
                let v = *u.choose(&["24:00:00", "12:60:00", "1:02:03", "12:00"])?;
                (v.to_owned(), "time")
            }
            FieldKind::Flag => (
                (*u.choose(&["y", "n", "true", "1", "是"])?).to_owned(),
                crate::rules::FLAG,
            ),
            FieldKind::Str => match (field.enumeration, field.max_chars) {
                (Some(table), _) if !table.open => {
                    let mut code = match u.choose(table.values) {
                        Ok(v) => v.code.to_lowercase(),
                        Err(_) => String::new(),
                    };
                    while code.trim().is_empty() || table.contains(&code) {
                        code.push('X');
                    }
                    (code, "enum")
                }
                (_, Some(max)) => {
                    let over = max as usize + 1;
                    (text(u, over, over)?, crate::rules::MAX_LENGTH)
                }
                _ => unreachable!("not breakable: {}", field.name),
            },
            _ => unreachable!("not breakable: {}", field.name),
        })
    }

    struct Builder<'u, 'd> {
        u: &'u mut Unstructured<'d>,
        next_id: usize,
        /// Building wdt JSON: JSON Pointer paths, and values that keep the cross-field rules
        /// quiet (unique ids, no money formula, a query window that fits).
        json: bool,
    }

    impl Builder<'_, '_> {
        fn id(&mut self) -> usize {
            self.next_id += 1;
            self.next_id
        }

        fn fields(
            &mut self,
            spec: &'static StructSpec,
            path: &str,
            depth: usize,
        ) -> Result<Vec<Gen>> {
            let mut out = Vec::new();
            for field in spec.fields {
                let nested = matches!(field.kind, FieldKind::Struct(_) | FieldKind::List(_));
                // The first field of each any-of group is always there (wdt: goods_no on every
                // order line, shop_no in a push).
                let anchor = spec
                    .any_of
                    .iter()
                    .any(|g| g.fields.first() == Some(&field.name));
                let present = field.required
                    || anchor
                    || (!(nested && depth >= MAX_DEPTH) && self.u.arbitrary::<bool>()?);
                if present {
                    let path = format!("{path}/{}", field.name);
                    let mut g = self.element(field, path, true, depth)?;
                    // The anchor must hold a value (an optional string may come out empty),
                    // or the valid document would break its group's `any-of`.
                    if let (true, Body::Text(v)) = (anchor, &mut g.body) {
                        if v.is_empty() {
                            *v = text(self.u, 1, field.max_chars.map_or(40, |m| m as usize))?;
                        }
                    }
                    out.push(g);
                }
            }
            Ok(out)
        }

        fn element(
            &mut self,
            field: &'static FieldSpec,
            path: String,
            droppable: bool,
            depth: usize,
        ) -> Result<Gen> {
            let id = self.id();
            let body = match field.kind {
                FieldKind::Struct(spec) => Body::Children(self.fields(spec, &path, depth + 1)?),
                FieldKind::List(item) => {
                    let min = field.min_items.unwrap_or(0) as usize;
                    let n = self.u.int_in_range(min..=min + 3)?;
                    let mut items = Vec::with_capacity(n);
                    for i in 1..=n {
                        let p = if self.json {
                            format!("{path}/{}", i - 1)
                        } else {
                            format!("{path}/{}[{i}]", item.name)
                        };
                        items.push(self.element(item, p, false, depth + 1)?);
                    }
                    Body::Children(items)
                }
                FieldKind::Map => {
                    let n = self.u.int_in_range(usize::from(field.required)..=3)?;
                    let mut entries = Vec::with_capacity(n);
                    for _ in 0..n {
                        let key = *self.u.choose(&["k", "key1", "备注", "a_b", "x.y"])?;
                        entries.push((key, text(self.u, 0, 12)?));
                    }
                    Body::Map(entries)
                }
                _ if self.json => Body::Text(match field.name {
                    // Unique ids and nicks: no duplicate or per-buyer rule fires.
                    "tid" | "oid" | "refund_no" | "buyer_nick" => format!("{}{id}", field.name),
                    // Never blank: an order line needs goods_no or spec_no, a push shop_no or
                    // shop_id.
                    "goods_no" => format!("G{id}"),
                    "shop_no" => format!("S{id}"),
                    // Instalments: neither money formula applies.
                    "delivery_term" => "3".into(),
                    // A query window of zero length, a page size in range.
                    "start_time" | "end_time" => "2024-05-01 10:00:00".into(),
                    "page_size" => "40".into(),
                    _ => valid_value(self.u, field)?,
                }),
                _ => Body::Text(valid_value(self.u, field)?),
            };
            Ok(Gen {
                field,
                path,
                droppable,
                id,
                body,
            })
        }
    }

    fn render(g: &Gen, out: &mut String) {
        out.push('<');
        out.push_str(g.field.name);
        out.push('>');
        match &g.body {
            Body::Text(v) => escape_into(out, v),
            Body::Children(children) => children.iter().for_each(|c| render(c, out)),
            Body::Map(entries) => {
                for (k, v) in entries {
                    out.push_str(&format!("<{k}>"));
                    escape_into(out, v);
                    out.push_str(&format!("</{k}>"));
                }
            }
        }
        out.push_str("</");
        out.push_str(g.field.name);
        out.push('>');
    }

    /// Writes `g`'s value as JSON: numbers sometimes bare, everything else as strings.
    fn render_json(g: &Gen, bare_numbers: bool, out: &mut String) {
        match &g.body {
            Body::Text(v) if bare_numbers && is_json_number(v) => out.push_str(v),
            Body::Text(v) => out.push_str(&crate::wire::json_escape::quote(v)),
            Body::Children(children) if matches!(g.field.kind, FieldKind::List(_)) => {
                out.push('[');
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    render_json(c, bare_numbers, out);
                }
                out.push(']');
            }
            Body::Children(children) => json_object(children, bare_numbers, out),
            Body::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&crate::wire::json_escape::quote(k));
                    out.push(':');
                    out.push_str(&crate::wire::json_escape::quote(v));
                }
                out.push('}');
            }
        }
    }

    fn json_object(children: &[Gen], bare_numbers: bool, out: &mut String) {
        out.push('{');
        for (i, c) in children.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&crate::wire::json_escape::quote(c.field.name));
            out.push(':');
            render_json(c, bare_numbers, out);
        }
        out.push('}');
    }

    /// Whether `v` may be written as a bare JSON number (no leading zeros, no lone sign).
    fn is_json_number(v: &str) -> bool {
        let digits = v.strip_prefix('-').unwrap_or(v);
        let int = digits.split('.').next().unwrap_or("");
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && !(int.len() > 1 && int.starts_with('0'))
            && digits.len() <= 15
            && serde_json::from_str::<serde_json::Number>(v).is_ok()
    }

    fn document(kind: BodyKind, children: &[Gen]) -> String {
        let root = kind.root();
        let mut out = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><{root}>");
        children.iter().for_each(|c| render(c, &mut out));
        out.push_str(&format!("</{root}>"));
        out
    }

    fn all<'g>(children: &'g [Gen], out: &mut Vec<&'g Gen>) {
        for c in children {
            out.push(c);
            if let Body::Children(inner) = &c.body {
                all(inner, out);
            }
        }
    }

    /// The ids of fields that are the only field holding anything in a block which is itself a
    /// field (not a list item): dropping one leaves the block empty, and an empty block counts
    /// as absent, so the `required` error would be the block's, not the field's.
    fn sole_fields(children: &[Gen], out: &mut Vec<usize>) {
        for c in children {
            if let Body::Children(inner) = &c.body {
                if c.droppable && matches!(c.field.kind, FieldKind::Struct(_)) {
                    let holding: Vec<&Gen> = inner.iter().filter(|g| holds_something(g)).collect();
                    if let [only] = holding.as_slice() {
                        out.push(only.id);
                    }
                }
                sole_fields(inner, out);
            }
        }
    }

    /// Whether an element holds anything the validator counts: non-blank text, a block or list
    /// with something in it, a map with an entry.
    fn holds_something(g: &Gen) -> bool {
        match &g.body {
            Body::Text(t) => !t.trim().is_empty(),
            Body::Children(inner) => match g.field.kind {
                FieldKind::List(_) => !inner.is_empty(),
                _ => inner.iter().any(holds_something),
            },
            Body::Map(entries) => !entries.is_empty(),
        }
    }

    /// Removes (`None`) or replaces the value of element `id`.
    fn mutate(children: &mut Vec<Gen>, id: usize, value: &Option<String>) -> bool {
        if let Some(i) = children.iter().position(|c| c.id == id) {
            match value {
                None => {
                    children.remove(i);
                }
                Some(v) => children[i].body = Body::Text(v.clone()),
            }
            return true;
        }
        children.iter_mut().any(|c| match &mut c.body {
            Body::Children(inner) => mutate(inner, id, value),
            _ => false,
        })
    }

    /// Builds a valid document for a body kind picked by the input (walking the generated field
    /// tables: required fields present, values within every rule, text with XML specials, CJK
    /// and emoji) and checks it decodes with no issue at all. Then breaks it in one place (one
    /// scalar value made to break one rule of its field, or one required field dropped) and
    /// checks the validator reports exactly that: one error, with the expected rule id and path.
    pub fn structured(data: &[u8]) {
        let _ = run(&mut Unstructured::new(data));
    }

    fn run(u: &mut Unstructured<'_>) -> Result<()> {
        if u.ratio(1, 3)? {
            return run_wdt(u);
        }
        let kind = *u.choose(BODY_KINDS)?;
        let pick: u32 = u.arbitrary()?;
        let root_path = format!("/{}", kind.root());
        let mut b = Builder {
            u,
            next_id: 0,
            json: false,
        };
        let mut children = b.fields(kind.spec(), &root_path, 0)?;
        let u = b.u;

        let xml = document(kind, &children);
        let body = kind
            .decode(&xml, &limits())
            .unwrap_or_else(|e| panic!("a generated valid {kind:?} does not decode: {e}\n{xml}"));
        let issues = validate::issues(&body);
        assert!(
            issues.is_empty(),
            "a generated valid {kind:?} has issues: {issues:#?}\n{xml}"
        );
        assert!(validate::is_valid(&body));

        // Break it in one place: drop a required field, or give a scalar a bad value. The pick
        // was drawn first so that it does not depend on how much input the document used up.
        let Some((path, value, rule)) = break_one(u, &mut children, pick)? else {
            return Ok(());
        };
        let xml = document(kind, &children);
        let body = kind.decode(&xml, &limits()).unwrap_or_else(|e| {
            panic!("a {kind:?} with a broken {path} does not decode: {e}\n{xml}")
        });
        let issues = validate::issues(&body);
        let errors: Vec<_> = issues.iter().map(|i| (i.rule, i.path.as_str())).collect();
        assert_eq!(
            errors,
            [(rule, path.as_str())],
            "{kind:?} with {path} set to {value:?}: expected one `{rule}` error\n{xml}\n{issues:#?}"
        );
        assert!(!validate::is_valid(&body));
        assert_eq!(validate::first_error(&body).map(|i| i.rule), Some(rule));
        Ok(())
    }

    /// Breaks the document in one place: drops a required field, or gives a scalar a bad
    /// value (`pick` chooses which). Returns the path, the new value (`None`: dropped) and the
    /// rule that must fire, or `None` when there is nothing to break.
    fn break_one(
        u: &mut Unstructured<'_>,
        children: &mut Vec<Gen>,
        pick: u32,
    ) -> Result<Option<(String, Option<String>, &'static str)>> {
        let mut nodes = Vec::new();
        all(children, &mut nodes);
        let mut sole = Vec::new();
        sole_fields(children, &mut sole);
        let drops: Vec<&Gen> = nodes
            .iter()
            .copied()
            .filter(|g| g.droppable && g.field.required && !sole.contains(&g.id))
            .collect();
        let breaks: Vec<&Gen> = nodes
            .into_iter()
            .filter(|g| matches!(g.body, Body::Text(_)) && breakable(g.field))
            .collect();
        let drop = (pick & 1 == 1 && !drops.is_empty()) || breaks.is_empty();
        let from = if drop { &drops } else { &breaks };
        let Some(&target) = from.get((pick >> 1) as usize % from.len().max(1)) else {
            return Ok(None);
        };
        let (id, path) = (target.id, target.path.clone());
        let (value, rule) = if drop {
            (None, "required")
        } else {
            let (value, rule) = broken_value(u, target.field)?;
            (Some(value), rule)
        };
        assert!(mutate(children, id, &value));
        Ok(Some((path, value, rule)))
    }

    /// The wdt side of [`structured`]: a valid body as JSON (numbers sometimes bare), no issue at
    /// all, then one break and exactly its error at its JSON Pointer.
    fn run_wdt(u: &mut Unstructured<'_>) -> Result<()> {
        use crate::model::wdt::WDT_BODY_KINDS;
        use crate::wdt::{issues, WdtDocument};

        let kind = *u.choose(WDT_BODY_KINDS)?;
        let pick: u32 = u.arbitrary()?;
        let bare_numbers: bool = u.arbitrary()?;
        let mut b = Builder {
            u,
            next_id: 0,
            json: true,
        };
        let mut children = b.fields(kind.spec(), "", 0)?;
        let u = b.u;
        let check = |children: &[Gen]| {
            let mut json = String::new();
            json_object(children, bare_numbers, &mut json);
            let body = kind
                .decode(&json, &limits())
                .unwrap_or_else(|e| panic!("a generated {kind:?} does not decode: {e}\n{json}"));
            let doc = WdtDocument {
                input: &json,
                body,
                bare: false,
                detected: false,
            };
            let found: Vec<(&'static str, String)> =
                issues(&doc).into_iter().map(|i| (i.rule, i.path)).collect();
            (json.clone(), found)
        };
        let (json, found) = check(&children);
        assert!(
            found.is_empty(),
            "a generated valid {kind:?} has issues: {found:?}\n{json}"
        );

        let Some((path, value, rule)) = break_one(u, &mut children, pick)? else {
            return Ok(());
        };
        let (json, found) = check(&children);
        assert_eq!(
            found,
            [(rule, path.clone())],
            "{kind:?} with {path} set to {value:?}: expected one `{rule}` error\n{json}"
        );
        Ok(())
    }
}
