//! Property-style tests over the whole module, driven by a small deterministic generator (no
//! extra crates): order independence, body sensitivity, empty values, percent-decoding round
//! trips, and no panics on garbage. The published vectors live next to each algorithm.

use super::qimen::{self, SignMethod};
use super::wdt;
use crate::wire::params::{self, encode, encode_component};

/// SplitMix64: tiny, deterministic, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// Text made of pieces that are awkward for query strings and for length counting.
    fn text(&mut self, max_pieces: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", " ", "&", "+", "=", "%", "%26", "%2B", "?", "#", "/", ":", ";",
            "~", "*", "-", "_", ".", "\"", "{", "}", "[", "]", "店", "铺", "张三", "😀", "𠀀",
            "\u{FF21}", "\n", "\t", "é",
        ];
        let n = self.below(max_pieces + 1);
        (0..n).map(|_| *self.pick(PIECES)).collect()
    }

    /// A name: ASCII letters, digits and `_`, never empty.
    fn name(&mut self) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        let n = 1 + self.below(10);
        (0..n).map(|_| char::from(*self.pick(CHARS))).collect()
    }

    /// Up to `max` pairs with distinct names and non-empty values.
    fn pairs(&mut self, max: usize) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for _ in 0..self.below(max + 1) {
            let name = self.name();
            if name == "sign" || out.iter().any(|(k, _)| *k == name) {
                continue;
            }
            let mut value = self.text(6);
            if value.is_empty() {
                value.push('v');
            }
            out.push((name, value));
        }
        out
    }
}

const CASES: usize = 300;

#[test]
fn parameter_order_does_not_change_any_sign() {
    let mut rng = Rng(1);
    for _ in 0..CASES {
        let params = rng.pairs(12);
        let mut shuffled = params.clone();
        rng.shuffle(&mut shuffled);
        let body = rng.text(20);
        for method in SignMethod::ALL {
            assert_eq!(
                qimen::sign(&params, Some(body.as_bytes()), b"k", method),
                qimen::sign(&shuffled, Some(body.as_bytes()), b"k", method),
            );
        }
        assert_eq!(wdt::sign(&params, b"k"), wdt::sign(&shuffled, b"k"));
        assert_eq!(
            wdt::sign_ultimate(&params, Some(&body), b"k"),
            wdt::sign_ultimate(&shuffled, Some(&body), b"k")
        );
        assert_eq!(
            wdt::sign_qimen_custom(&params, "wdt.a.b", b"k"),
            wdt::sign_qimen_custom(&shuffled, "wdt.a.b", b"k")
        );
    }
}

#[test]
fn changing_any_single_body_byte_changes_the_sign() {
    let params = [
        ("app_key", "12345678"),
        ("customerId", "c1001"),
        ("format", "xml"),
        ("method", "taobao.qimen.deliveryorder.create"),
        ("timestamp", "2016-07-06 12:00:00"),
        ("v", "2.0"),
    ];
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder>\
                <deliveryOrderCode>TB1234</deliveryOrderCode><receiverInfo><name>王小明</name>\
                </receiverInfo></deliveryOrder></request>"
        .as_bytes();
    let mut rng = Rng(2);
    for method in SignMethod::ALL {
        let original = qimen::sign(&params, Some(body), b"helloworld", method);
        for i in 0..body.len() {
            let mut changed = body.to_vec();
            // Any non-zero XOR: a different byte, possibly not UTF-8 any more (signed as is).
            changed[i] ^= 1 + rng.below(255) as u8;
            assert_ne!(
                qimen::sign(&params, Some(&changed), b"helloworld", method),
                original,
                "{method}: byte {i}"
            );
        }
        // Dropping the body, or an empty one, changes the sign as well.
        assert_ne!(qimen::sign(&params, None, b"helloworld", method), original);
    }
}

#[test]
fn empty_values_are_skipped_in_qimen_signs() {
    let mut rng = Rng(3);
    for _ in 0..CASES {
        let params = rng.pairs(8);
        let mut with_empties = params.clone();
        for _ in 0..1 + rng.below(4) {
            let name = format!("empty_{}", rng.name());
            if !with_empties.iter().any(|(k, _)| *k == name) {
                with_empties.push((name, String::new()));
            }
        }
        with_empties.push(("sign".into(), rng.text(4)));
        rng.shuffle(&mut with_empties);
        for method in SignMethod::ALL {
            assert_eq!(
                qimen::sign(&params, None, b"s", method),
                qimen::sign(&with_empties, None, b"s", method),
            );
        }
    }
}

#[test]
fn percent_decoding_round_trips() {
    let mut rng = Rng(4);
    for _ in 0..CASES {
        let mut pairs = rng.pairs(8);
        // Keys may be awkward too, as long as they stay distinct and non-empty.
        if let Some(first) = pairs.first_mut() {
            first.0 = format!("k{}", rng.text(4));
        }
        let mut seen = std::collections::HashSet::new();
        pairs.retain(|(k, _)| seen.insert(k.clone()));
        let query = encode(&pairs);
        let decoded: Vec<(String, String)> = params::parse(&query)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(decoded, pairs, "{query}");
        // The sign is over decoded values, so it is the same either way.
        let parsed = params::parse(&query).unwrap();
        assert_eq!(
            qimen::sign(&parsed, None, b"s", SignMethod::Md5),
            qimen::sign(&pairs, None, b"s", SignMethod::Md5)
        );
    }
    // The awkward characters named in the brief, one by one.
    for text in ["&", "+", "=", "%26", "a b", "店铺", "😀", "%", "%%", "=&=+"] {
        let query = format!("x={}", encode_component(text));
        let pairs = params::parse(&query).unwrap();
        assert_eq!(pairs[0].1, text, "{query}");
    }
    // Literal `%26` in a query is an escaped `&`, not a separator.
    let pairs = params::parse("a=1%262&b=%2B+%3D").unwrap();
    assert_eq!(pairs[0].1, "1&2");
    assert_eq!(pairs[1].1, "+ =");
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(5);
    const PIECES: &[&str] = &[
        "%", "%2", "%G", "%e5", "%BA", "%97", "%FF", "&", "=", "+", "a", "店", "😀", "{", "}", "[",
        "]", "\"", ":", ",", "\\", "\\u", "d83d", "1", "e", "-", ".", "null", "true", " ",
    ];
    for _ in 0..5 * CASES {
        let n = rng.below(40);
        let text: String = (0..n).map(|_| *rng.pick(PIECES)).collect();
        let _ = params::parse(&text);
        let _ = wdt::sign_qimen_custom(&[("params", text.as_str())], "wdt.x", b"s");
        let _ = wdt::canonical_masked_qimen_custom(&[("p", text.as_str())], &text);
        let _ = wdt::split_appsecret(text.as_bytes());
        let _ = wdt::sign(&[("a", text.as_str())], text.as_bytes());
    }
}
