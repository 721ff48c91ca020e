//! Redaction (`qmwire::redact` with the mask policy) against the baselines of `decode.rs` and
//! `wdt.rs`, measured in the same run (issue 16).
//!
//! Qimen `deliveryorder.create`, 3 KB and 60 KB, one criterion group each:
//! - `qmwire_redact`: `qmwire::redact(bytes, &Options::new().with_method(..), &Redactor::mask())`,
//!   the redacted bytes built;
//! - `qmwire_lint`: the full lint of the same document, for scale;
//! - `quick_xml_raw_events`: the baseline, a bare quick-xml event loop.
//!
//! wdt `trade_push`, 3 and 50 trades:
//! - `qmwire_redact`: as above with the method `trade_push`;
//! - `qmwire_lint`: the full lint, for scale;
//! - `serde_struct_validate`: the baseline of `wdt.rs`, serde_json into borrowed structs plus
//!   the hand-written checks of the same rules (`wdt_reference.rs`).
//!
//! At start-up each document is checked to redact fully: the output differs from the input,
//! every personal value found in the document independently of qmwire (the values of the
//! classified elements or keys, listed below) is changed in place, and none of them is left
//! anywhere in the output. Under `cargo bench` the ratios are first printed from interleaved
//! rounds, as `decode.rs` does; `BENCH_CALLS=DOC/FUNCTION:N` runs one candidate N times for
//! callgrind. See `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qmwire::redact::Redactor;
use qmwire::Options;
use std::hint::black_box;

mod interleave;
use interleave::{calls_wanted, interleaved_best, ratio_wanted, run_named};
mod raw_events;
use raw_events::raw_events;
/// The reference baseline of `wdt.rs`.
#[path = "wdt_reference.rs"]
mod reference;

/// The protocol of a measured document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Qimen,
    Wdt,
}

/// The documents measured: (group name, kind, text). All lint clean with their method.
const DOCS: [(&str, Kind, &str); 4] = [
    (
        "deliveryorder_create_3k",
        Kind::Qimen,
        include_str!("data/deliveryorder_create_3k.xml"),
    ),
    (
        "deliveryorder_create_60k",
        Kind::Qimen,
        include_str!("data/deliveryorder_create_60k.xml"),
    ),
    (
        "trade_push_3",
        Kind::Wdt,
        include_str!("data/trade_push_3.json"),
    ),
    (
        "trade_push_50",
        Kind::Wdt,
        include_str!("data/trade_push_50.json"),
    ),
];

/// Qimen elements whose text is personal in `deliveryorder.create` (the spec's `privacy`
/// fields: sender's, receiver's and buyer's).
const QIMEN_PERSONAL: [&str; 9] = [
    "name",
    "tel",
    "mobile",
    "email",
    "idNumber",
    "detailAddress",
    "buyerNick",
    "header",
    "taxNumber",
];

/// wdt `trade_push` keys whose value is personal.
const WDT_PERSONAL: [&str; 10] = [
    "buyer_nick",
    "buyer_email",
    "pay_account",
    "receiver_name",
    "receiver_address",
    "receiver_mobile",
    "receiver_telno",
    "receiver_zip",
    "invoice_title",
    "id_card",
];

/// Rounds of the interleaved ratio measurement.
const RATIO_ROUNDS: usize = 60;

fn options(kind: Kind) -> Options {
    Options::new().with_method(match kind {
        Kind::Qimen => "deliveryorder.create",
        Kind::Wdt => "trade_push",
    })
}

/// The text of every `<tag>text</tag>` of the listed tags, in document order.
fn qimen_personal(xml: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in QIMEN_PERSONAL {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut from = 0;
        while let Some(at) = xml[from..].find(&open) {
            let start = from + at + open.len();
            let end = start + xml[start..].find(&close).expect("a closing tag");
            found.push((start, xml[start..end].to_owned()));
            from = end;
        }
    }
    found.sort();
    found.into_iter().map(|(_, v)| v).collect()
}

/// The non-empty string value of every listed key, in document order.
fn wdt_personal(json: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        serde_json::Value::String(s)
                            if WDT_PERSONAL.contains(&k.as_str()) && !s.is_empty() =>
                        {
                            out.push(s.clone())
                        }
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::from_str(json).expect("JSON"), &mut out);
    out
}

fn redact(input: &str, options: &Options, redactor: &Redactor) -> Vec<u8> {
    qmwire::redact(input.as_bytes(), options, redactor)
        .expect("redacts")
        .output
}

/// Checks once, before measuring, that the document lints clean, that the baseline accepts it,
/// and that redaction rewrites every personal value: each one listed from the document (not by
/// qmwire) differs in the output at its place, none is left anywhere in the output, and qmwire
/// counts at least as many.
fn check_document(name: &str, kind: Kind, input: &str) {
    let options = options(kind);
    let report = qmwire::lint(input.as_bytes(), &options);
    assert!(report.issues.is_empty(), "{name}: {:?}", report.issues);
    match kind {
        Kind::Qimen => assert!(raw_events(input) > 0, "{name}"),
        Kind::Wdt => assert_eq!(reference::errors(input).expect("decodes"), 0, "{name}"),
    }
    let personal = match kind {
        Kind::Qimen => qimen_personal,
        Kind::Wdt => wdt_personal,
    };
    let before = personal(input);
    assert!(
        before.len() >= 5,
        "{name}: only {} personal values",
        before.len()
    );
    let redacted = qmwire::redact(input.as_bytes(), &options, &Redactor::mask()).expect("redacts");
    assert!(
        redacted.values >= before.len(),
        "{name}: {} values redacted, {} listed",
        redacted.values,
        before.len()
    );
    let output = String::from_utf8(redacted.output).expect("UTF-8");
    assert_ne!(output, input, "{name}: nothing changed");
    let after = personal(&output);
    assert_eq!(
        after.len(),
        before.len(),
        "{name}: personal fields lost or added"
    );
    for (old, new) in before.iter().zip(&after) {
        assert_ne!(old, new, "{name}: a personal value was not rewritten");
        assert!(
            !output.contains(old.as_str()),
            "{name}: a personal value is still in the output"
        );
    }
    let again = redact(&output, &options, &Redactor::mask());
    assert_eq!(
        again,
        output.as_bytes(),
        "{name}: redacting twice changes more"
    );
}

/// The candidates of one document, by criterion function name; the first is the baseline.
fn with_candidates<R>(kind: Kind, f: impl FnOnce(&[(&str, &dyn Fn(&str))]) -> R) -> R {
    let options = options(kind);
    let redactor = Redactor::mask();
    let run_redact = |s: &str| {
        black_box(redact(s, &options, &redactor));
    };
    let run_lint = |s: &str| {
        black_box(qmwire::lint(s.as_bytes(), &options).is_valid());
    };
    let run_raw = |s: &str| {
        black_box(raw_events(s));
    };
    let run_reference = |s: &str| {
        black_box(reference::errors(s)).expect("decodes");
    };
    match kind {
        Kind::Qimen => f(&[
            ("quick_xml_raw_events", &run_raw),
            ("qmwire_redact", &run_redact),
            ("qmwire_lint", &run_lint),
        ]),
        Kind::Wdt => f(&[
            ("serde_struct_validate", &run_reference),
            ("qmwire_redact", &run_redact),
            ("qmwire_lint", &run_lint),
        ]),
    }
}

/// Prints redaction's and lint's ratios to the baseline from interleaved rounds.
fn print_ratio(name: &str, kind: Kind, input: &str) {
    let best = with_candidates(kind, |candidates| {
        let runs: Vec<&dyn Fn(&str)> = candidates.iter().map(|(_, run)| *run).collect();
        interleaved_best(input, &runs, RATIO_ROUNDS)
    });
    let ratio = |i: usize| best[0].as_secs_f64() / best[i].as_secs_f64();
    let (baseline, target) = match kind {
        Kind::Qimen => ("raw quick-xml events", "1.0"),
        Kind::Wdt => ("serde struct + validation", "0.5"),
    };
    println!(
        "{name}: qmwire::redact (mask) reaches {:.2}x the {baseline} throughput (target >= \
         {target}x; full lint {:.2}x); fastest of {RATIO_ROUNDS} interleaved rounds: baseline \
         {:.2?}, redact {:.2?}, lint {:.2?}",
        ratio(1),
        ratio(2),
        best[0],
        best[1],
        best[2],
    );
}

/// Runs one candidate `n` times on one document, for callgrind (`BENCH_CALLS`).
fn counted_calls(doc: &str, function: &str, n: usize) {
    let (_, kind, input) = DOCS
        .iter()
        .find(|(name, _, _)| *name == doc)
        .unwrap_or_else(|| panic!("no document {doc}"));
    with_candidates(*kind, |candidates| {
        run_named(candidates, function, n, input)
    });
}

fn bench_document(c: &mut Criterion, name: &str, kind: Kind, input: &str) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    with_candidates(kind, |candidates| {
        for (function, run) in candidates {
            group.bench_function(*function, |b| b.iter(|| run(black_box(input))));
        }
    });
    group.finish();
}

fn redaction(c: &mut Criterion) {
    for (name, kind, input) in DOCS {
        check_document(name, kind, input);
    }
    if let Some((doc, function, n)) = calls_wanted() {
        counted_calls(&doc, &function, n);
        return;
    }
    if ratio_wanted() {
        for (name, kind, input) in DOCS {
            print_ratio(name, kind, input);
        }
    }
    for (name, kind, input) in DOCS {
        bench_document(c, name, kind, input);
    }
}

criterion_group!(benches, redaction);
criterion_main!(benches);
