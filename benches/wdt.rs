//! wdt `trade_push` linting against two baselines, measured in the same run (issue 16, item 1).
//!
//! Each document gets one criterion group, `Throughput::Bytes(document length)`:
//!
//! - `qmwire_lint`: the front door, `qmwire::lint` with the method given (`trade_push`): decode,
//!   every field rule, the cross-field rules (`wdt.paid`, `wdt.cod-amount`, duplicate ids,
//!   `wdt.buyer-nick-limit`, `wdt.batch-size`), the privacy check, a full `Report`;
//! - `qmwire_decode`: `WdtBodyKind::TradePushParams.decode` alone (model built and dropped);
//! - `serde_struct_validate`: baseline (a), serde_json into borrowed structs plus the
//!   hand-written validation in [`reference`] of the same field rules and money formulas;
//! - `serde_value_jsonschema`: baseline (b), `serde_json::Value` plus the `jsonschema` crate
//!   validating against qmwire's exported `schemas/wdt/trade_push.request.json`.
//!
//! Under `cargo bench` the ratios are first printed from interleaved rounds (each candidate in
//! turn, fastest round of each), as `benches/decode.rs` does: a noisy neighbour slows every
//! candidate alike. See `benches/README.md` for the method and the numbers last measured.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qmwire::model::wdt::WdtBodyKind;
use qmwire::options::Limits;
use std::hint::black_box;

mod interleave;
use interleave::{calls_wanted, interleaved_best, ratio_wanted};

/// The documents measured: (group name, JSON text). Both lint clean with
/// `qmwire lint --method trade_push`.
const DOCS: [(&str, &str); 2] = [
    ("trade_push_3", include_str!("data/trade_push_3.json")),
    ("trade_push_50", include_str!("data/trade_push_50.json")),
];

/// qmwire's exported schema of the `trade_push` request.
const SCHEMA: &str = include_str!("../schemas/wdt/trade_push.request.json");

/// Rounds of the interleaved ratio measurement.
const RATIO_ROUNDS: usize = 60;

/// The reference baseline: serde_json borrowed structs and hand-written checks.
#[path = "wdt_reference.rs"]
mod reference;

/// Baseline (b): `Value` + `jsonschema`. Returns whether the document is valid.
fn value_jsonschema(validator: &jsonschema::Validator, input: &str) -> bool {
    let value: serde_json::Value = serde_json::from_str(input).expect("JSON");
    validator.is_valid(&value)
}

fn schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

fn options() -> qmwire::Options {
    qmwire::Options::new().with_method("trade_push")
}

/// Checks once, before measuring, that every candidate does its full work: the document lints
/// clean, decodes, passes the reference and the schema; and that a copy whose first `paid`
/// is off by one cent is an error to qmwire (`wdt.paid`) and to the reference.
fn check_document(name: &str, input: &str) {
    let report = qmwire::lint(input.as_bytes(), &options());
    assert!(report.issues.is_empty(), "{name}: {:?}", report.issues);
    WdtBodyKind::TradePushParams
        .decode(input, &Limits::default())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    assert_eq!(reference::errors(input).expect("decodes"), 0, "{name}");
    assert!(value_jsonschema(&schema_validator(), input), "{name}");

    let paid = input.find("\"paid\":").expect("a paid") + "\"paid\":".len();
    let digits = input[paid..]
        .find(|c: char| c.is_ascii_digit())
        .expect("digits")
        + paid;
    let end = input[digits..]
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .expect("end")
        + digits;
    let cents: f64 = input[digits..end].parse().expect("an amount");
    let off = format!("{}{:.2}{}", &input[..digits], cents + 0.01, &input[end..]);
    let report = qmwire::lint(off.as_bytes(), &options());
    assert!(
        report.issues.iter().any(|i| i.rule == "wdt.paid"),
        "{name}: the off-by-a-cent copy is not a wdt.paid error"
    );
    assert!(reference::errors(&off).expect("decodes") > 0, "{name}");
}

/// Prints the ratios of `qmwire::lint` and of the decode to both baselines.
fn print_ratio(name: &str, input: &str) {
    let options = options();
    let limits = Limits::default();
    let validator = schema_validator();
    let run_lint = |s: &str| {
        black_box(qmwire::lint(s.as_bytes(), &options).is_valid());
    };
    let run_decode = |s: &str| {
        black_box(WdtBodyKind::TradePushParams.decode(s, &limits)).expect("decodes");
    };
    let run_reference = |s: &str| {
        black_box(reference::errors(s)).expect("decodes");
    };
    let run_schema = |s: &str| {
        black_box(value_jsonschema(&validator, s));
    };
    let candidates: [&dyn Fn(&str); 4] = [&run_lint, &run_decode, &run_reference, &run_schema];
    let best = interleaved_best(input, &candidates, RATIO_ROUNDS);
    let vs = |i: usize, base: usize| best[base].as_secs_f64() / best[i].as_secs_f64();
    println!(
        "{name}: qmwire::lint reaches {:.2}x the serde struct + validation throughput (target \
         >= 0.9x) and {:.2}x Value + jsonschema (target >= 4x); decode alone {:.2}x / {:.2}x; \
         fastest of {RATIO_ROUNDS} interleaved rounds: lint {:.2?}, decode {:.2?}, serde struct \
         + validation {:.2?}, Value + jsonschema {:.2?}",
        vs(0, 2),
        vs(0, 3),
        vs(1, 2),
        vs(1, 3),
        best[0],
        best[1],
        best[2],
        best[3],
    );
}

fn bench_document(c: &mut Criterion, name: &str, input: &str) {
    let options = options();
    let limits = Limits::default();
    let validator = schema_validator();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("qmwire_lint", |b| {
        b.iter(|| qmwire::lint(black_box(input).as_bytes(), &options).is_valid())
    });
    group.bench_function("qmwire_decode", |b| {
        b.iter(|| {
            WdtBodyKind::TradePushParams
                .decode(black_box(input), &limits)
                .expect("decodes")
        })
    });
    group.bench_function("serde_struct_validate", |b| {
        b.iter(|| reference::errors(black_box(input)).expect("decodes"))
    });
    group.bench_function("serde_value_jsonschema", |b| {
        b.iter(|| value_jsonschema(&validator, black_box(input)))
    });
    group.finish();
}

/// For instruction counts under callgrind (`BENCH_CALLS=DOC/FUNCTION:N`, see
/// [`calls_wanted`]): runs one candidate N times on one document, and nothing else.
fn counted_calls(doc: &str, function: &str, n: usize) {
    let input = DOCS
        .iter()
        .find(|(name, _)| *name == doc)
        .expect("a document of DOCS")
        .1;
    let options = options();
    let limits = Limits::default();
    let validator = schema_validator();
    for _ in 0..n {
        match function {
            "qmwire_lint" => {
                black_box(qmwire::lint(black_box(input).as_bytes(), &options).is_valid());
            }
            "qmwire_decode" => {
                black_box(WdtBodyKind::TradePushParams.decode(black_box(input), &limits))
                    .expect("decodes");
            }
            "serde_struct_validate" => {
                black_box(reference::errors(black_box(input))).expect("decodes");
            }
            "serde_value_jsonschema" => {
                black_box(value_jsonschema(&validator, black_box(input)));
            }
            other => panic!("no function {other}"),
        }
    }
}

fn wdt(c: &mut Criterion) {
    for (name, input) in DOCS {
        check_document(name, input);
    }
    if let Some((doc, function, n)) = calls_wanted() {
        counted_calls(&doc, &function, n);
        return;
    }
    if ratio_wanted() {
        for (name, input) in DOCS {
            print_ratio(name, input);
        }
    }
    for (name, input) in DOCS {
        bench_document(c, name, input);
    }
}

criterion_group!(benches, wdt);
criterion_main!(benches);
