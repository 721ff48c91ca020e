//! Signing a 60 KB Qimen request against bare md5 of the same body, measured in the same run
//! (issue 16).
//!
//! One criterion group, `Throughput::Bytes(body length)`:
//! - `qmwire_sign_md5`: `qmwire::sign::qimen::sign` with `SignMethod::Md5` over the system
//!   parameters of a `deliveryorder.create` request (given unsorted, so the sort is measured
//!   too) and the 60 KB XML body: secret, sorted `key` + `value` pairs, body, secret, uppercase
//!   hex;
//! - `md5_body`: the baseline, `md5::Md5::digest` of the body bytes alone (the `md-5` crate the
//!   codec signs with);
//! - `md5_message`: `md5::Md5::digest` of the whole signed string, built once beforehand
//!   (secret, sorted pairs, body, secret): what signing hashes, without sorting or hex.
//!
//! At start-up the sign is checked against md5 of that string computed here by hand, and a
//! body one byte different must sign differently. Under `cargo bench` the ratios are first
//! printed from interleaved rounds, as `decode.rs` does; `BENCH_CALLS=DOC/FUNCTION:N` runs one
//! candidate N times for callgrind (DOC is `sign_60k`). See `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use md5::{Digest, Md5};
use qmwire::sign::qimen::{self, SignMethod};
use std::hint::black_box;

mod interleave;
use interleave::{calls_wanted, interleaved_best, ratio_wanted, run_named};

/// The group (and `BENCH_CALLS` document) name.
const NAME: &str = "sign_60k";

/// The body signed: the 60 KB `deliveryorder.create` of `decode.rs`.
const BODY: &str = include_str!("data/deliveryorder_create_60k.xml");

/// The system parameters of the request's URL, in the order a client might send them.
const PARAMS: [(&str, &str); 7] = [
    ("method", "taobao.qimen.deliveryorder.create"),
    ("timestamp", "2026-12-02 14:30:00"),
    ("format", "xml"),
    ("app_key", "23456789"),
    ("v", "2.0"),
    ("sign_method", "md5"),
    ("customerId", "XIAOXIONG-WMS"),
];

/// The app secret (made up for the bench).
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

/// Rounds of the interleaved ratio measurement.
const RATIO_ROUNDS: usize = 100;

fn sign(body: &str) -> String {
    qimen::sign(&PARAMS, Some(body.as_bytes()), SECRET, SignMethod::Md5)
}

/// The string Qimen md5 signs, written out here: secret, the pairs sorted by name (all ASCII,
/// so byte order is UTF-16 order), the body, secret.
fn signed_string(body: &str) -> Vec<u8> {
    let mut pairs = PARAMS.to_vec();
    pairs.sort();
    let mut out = SECRET.to_vec();
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    out.extend_from_slice(body.as_bytes());
    out.extend_from_slice(SECRET);
    out
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Checks once, before measuring, that the sign is the md5 of the whole signed string (so the
/// body is hashed in full) and that it depends on the body's last byte.
fn check() {
    let sign = sign(BODY);
    assert_eq!(sign, upper_hex(&Md5::digest(signed_string(BODY))));
    let mut changed = BODY.to_owned();
    changed.pop();
    changed.push(' ');
    assert_ne!(
        qimen::sign(&PARAMS, Some(changed.as_bytes()), SECRET, SignMethod::Md5),
        sign
    );
}

/// The candidates, by criterion function name; the first is the baseline.
fn with_candidates<R>(f: impl FnOnce(&[(&str, &dyn Fn(&str))]) -> R) -> R {
    let message = signed_string(BODY);
    let run_sign = |s: &str| {
        black_box(sign(s));
    };
    let run_md5_body = |s: &str| {
        black_box(Md5::digest(s.as_bytes()));
    };
    let run_md5_message = |_: &str| {
        black_box(Md5::digest(black_box(&message)));
    };
    f(&[
        ("md5_body", &run_md5_body),
        ("qmwire_sign_md5", &run_sign),
        ("md5_message", &run_md5_message),
    ])
}

fn signing(c: &mut Criterion) {
    check();
    if let Some((doc, function, n)) = calls_wanted() {
        assert_eq!(doc, NAME, "the only document is {NAME}");
        with_candidates(|candidates| run_named(candidates, &function, n, BODY));
        return;
    }
    if ratio_wanted() {
        let best = with_candidates(|candidates| {
            let runs: Vec<&dyn Fn(&str)> = candidates.iter().map(|(_, run)| *run).collect();
            interleaved_best(BODY, &runs, RATIO_ROUNDS)
        });
        let ratio = |i: usize| best[0].as_secs_f64() / best[i].as_secs_f64();
        println!(
            "{NAME}: qimen md5 sign of a {} byte body reaches {:.2}x the throughput of bare md5 \
             of the body (target >= 0.95x; md5 of the prebuilt signed string {:.2}x); fastest \
             of {RATIO_ROUNDS} interleaved rounds: md5 of the body {:.2?}, sign {:.2?}, md5 of \
             the signed string {:.2?}",
            BODY.len(),
            ratio(1),
            ratio(2),
            best[0],
            best[1],
            best[2],
        );
    }
    let mut group = c.benchmark_group(NAME);
    group.throughput(Throughput::Bytes(BODY.len() as u64));
    with_candidates(|candidates| {
        for (function, run) in candidates {
            group.bench_function(*function, |b| b.iter(|| run(black_box(BODY))));
        }
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
