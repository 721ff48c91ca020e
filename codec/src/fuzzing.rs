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

/// The signing side. The input is `[mode][secret_len] secret query [0xFF body]`: the first byte
/// picks the mode (bit 0: there is a body, after the first `0xFF` following the secret; bit 1:
/// `wdt_sign` takes its method from the whole query instead of the `method` param), the second
/// byte the secret's length (clamped to what is left). A query that is not UTF-8 is parsed
/// lossily. Checks:
/// - [`params::parse`] never panics, and when it succeeds, [`params::encode`] gives the same
///   pairs back;
/// - each Qimen method: the sign matches itself, has the method's length in uppercase hex, does
///   not depend on the order of the params, and (`md5`) changes when one body byte flips; its
///   explain string is the message, wrapped in `***` for `md5`;
/// - wdt 企业版: lowercase 32-hex, order-independent; 旗舰版 and `wdt_sign` on arbitrary values
///   never panic and give lowercase 32-hex;
/// - no explain string contains the secret when the secret holds a character none of the
///   inputs, nor the explain strings' own framing, could have put there.
pub fn sign(data: &[u8]) {
    use crate::sign::{params, qimen, signs_match, wdt, Algorithm, SignMethod, MASK};

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

fn is_lower_hex32(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
