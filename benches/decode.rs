//! Decode throughput of `deliveryorder.create` against a bare quick-xml event loop.
//!
//! DESIGN asks that decode + validate reach at least 0.75× the throughput of a bare quick-xml
//! borrowed event loop over the same document. Each document gets one criterion group, so the
//! functions below are reported side by side with the same `Throughput::Bytes`:
//!
//! - `quick_xml_raw_events`: the baseline, `Reader::from_str` and `read_event` until `Eof`;
//! - `qmwire_decode`: `BodyKind::DeliveryOrderCreateRequest.decode` with default limits;
//! - `qmwire_decode_validate`: decode, then `validate::is_valid` (the no-allocation tier);
//! - `qmwire_decode_report`: decode, then `validate::issues` (every issue, with paths);
//! - `qmwire_decode_validate_events_only`: decode + `is_valid` with the decoder's leaf scan off,
//!   so that every element goes through quick-xml's events (the decoder as it was before the
//!   scan, and the path unusual shapes still take);
//! - `qmwire_lint`: the front door users call, `qmwire::lint` with the method given: sniffing,
//!   decode, every rule, the privacy check and the personal spans, a full `Report`;
//! - `qmwire_lint_profile`: the same under the built-in counterparty profile `jxwms` (its
//!   variables set), which walks the profile's paths, relaxes and adds issues and re-levels;
//! - `roxmltree_parse`: the second baseline, a DOM parser: `roxmltree::Document::parse`, the
//!   tree built and dropped.
//!
//! The ratio the design talks about is throughput(`qmwire_decode_validate`) divided by
//! throughput(`quick_xml_raw_events`). Criterion measures the functions one after another, so
//! on a shared machine their medians drift apart; under `cargo bench` this file therefore also
//! prints the ratio from interleaved rounds (raw, decode, decode + validate, again and again;
//! fastest round of each), which noise distorts far less. See `benches/README.md` for how to run
//! it and for the numbers last measured.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qmwire::model::qimen::BodyKind;
use qmwire::options::Limits;
use qmwire::validate::{self, Severity};
use std::hint::black_box;

mod interleave;
use interleave::{calls_wanted, interleaved_best, ratio_wanted, run_named};
mod raw_events;
use raw_events::raw_events;

/// The documents measured: (group name, XML text). Both lint clean with
/// `qmwire lint --method deliveryorder.create`.
const DOCS: [(&str, &str); 3] = [
    (
        "deliveryorder_create_3k",
        include_str!("data/deliveryorder_create_3k.xml"),
    ),
    (
        "deliveryorder_create_3k_cdata",
        include_str!("data/deliveryorder_create_3k_cdata.xml"),
    ),
    (
        "deliveryorder_create_60k",
        include_str!("data/deliveryorder_create_60k.xml"),
    ),
];

/// The DOM baseline: `input` parsed into a roxmltree document (built and dropped). Returns the
/// number of nodes so the tree cannot be optimised away.
fn roxmltree_parse(input: &str) -> usize {
    let doc = roxmltree::Document::parse(input).expect("benchmark input is well-formed XML");
    black_box(&doc);
    doc.descendants().count()
}

/// Checks once, before measuring, that `input` decodes and has no validation errors, so every
/// measured path does the full amount of work on a valid message.
fn check_document(name: &str, input: &str) {
    let body = BodyKind::DeliveryOrderCreateRequest
        .decode(input, &Limits::default())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    assert!(validate::is_valid(&body), "{name} is not valid");
    let errors: Vec<_> = validate::issues(&body)
        .into_iter()
        .filter(|issue| issue.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name} has errors: {errors:?}");
    assert!(raw_events(input) > 0, "{name} has no XML events");
    assert!(roxmltree_parse(input) > 0, "{name} has no roxmltree nodes");
    let report = qmwire::lint(input.as_bytes(), &lint_options());
    assert!(
        report.issues.is_empty() && report.omitted == 0,
        "{name}: qmwire::lint is not clean: {:?}",
        report.issues
    );
    assert_eq!(
        report.method,
        Some("taobao.qimen.deliveryorder.create"),
        "{name}"
    );
    assert!(
        report
            .personal_spans
            .as_ref()
            .is_some_and(|s| !s.is_empty()),
        "{name}: the report has no personal spans, so the privacy collector did not run"
    );
    let report = qmwire::lint(input.as_bytes(), &profiled_options());
    assert!(
        report.errors() == 0 && report.profile.is_some(),
        "{name}: under jxwms: {:?}",
        report.issues
    );
}

/// `qmwire_lint`'s options: the method given, everything else default.
fn lint_options() -> qmwire::Options {
    qmwire::Options::new().with_method("deliveryorder.create")
}

/// Rounds of the interleaved ratio measurement (about one second per document).
const RATIO_ROUNDS: usize = 100;

/// Decodes and validates `input` with the no-allocation tier, as `qmwire_decode_validate` does.
fn decode_validate(input: &str, limits: &Limits) -> bool {
    let body = BodyKind::DeliveryOrderCreateRequest
        .decode(input, limits)
        .expect("decodes");
    validate::is_valid(&body)
}

/// The front door, as users call it: a full report of `input`.
fn lint(input: &str, options: &qmwire::Options) -> bool {
    qmwire::lint(input.as_bytes(), options).is_valid()
}

/// [`decode_validate`] with the leaf scan off: quick-xml's events for every element.
fn decode_validate_events_only(input: &str, limits: &Limits) -> bool {
    qmwire::xml::decode::without_leaf_scan(|| decode_validate(input, limits))
}

/// The candidates of the interleaved rounds and of `BENCH_CALLS`, by criterion function name.
fn with_candidates<R>(f: impl FnOnce(&[(&str, &dyn Fn(&str))]) -> R) -> R {
    let limits = Limits::default();
    let run_raw = |s: &str| {
        black_box(raw_events(s));
    };
    let run_decode = |s: &str| {
        black_box(BodyKind::DeliveryOrderCreateRequest.decode(s, &limits)).expect("decodes");
    };
    let run_decode_validate = |s: &str| {
        black_box(decode_validate(s, &limits));
    };
    let run_events_only = |s: &str| {
        black_box(decode_validate_events_only(s, &limits));
    };
    let options = lint_options();
    let run_lint = |s: &str| {
        black_box(lint(s, &options));
    };
    let profiled = profiled_options();
    let run_lint_profile = |s: &str| {
        black_box(lint(s, &profiled));
    };
    let run_roxmltree = |s: &str| {
        black_box(roxmltree_parse(s));
    };
    f(&[
        ("quick_xml_raw_events", &run_raw),
        ("qmwire_decode", &run_decode),
        ("qmwire_decode_validate", &run_decode_validate),
        ("qmwire_decode_validate_events_only", &run_events_only),
        ("qmwire_lint", &run_lint),
        ("qmwire_lint_profile", &run_lint_profile),
        ("roxmltree_parse", &run_roxmltree),
    ])
}

/// Prints throughput(decode + validate) / throughput(raw events) for `input`, and the full
/// lint's ratios to both baselines, measured in interleaved rounds so that a noisy neighbour
/// slows every candidate alike.
fn print_ratio(name: &str, input: &str) {
    let best = with_candidates(|candidates| {
        let runs: Vec<&dyn Fn(&str)> = candidates.iter().map(|(_, run)| *run).collect();
        interleaved_best(input, &runs, RATIO_ROUNDS)
    });
    let ratio = |i: usize| best[0].as_secs_f64() / best[i].as_secs_f64();
    let lint_target = if input.len() > 30_000 { "1.4" } else { "1.2" };
    println!(
        "{name}: decode+validate reaches {:.2}x the raw quick-xml throughput (decode alone {:.2}x; \
         leaf scan off {:.2}x; target >= 0.75x); fastest of {RATIO_ROUNDS} interleaved rounds: \
         raw {:.2?}, decode {:.2?}, decode+validate {:.2?}, leaf scan off {:.2?}, lint {:.2?}, \
         lint under profile jxwms {:.2?} ({:+.1}% over lint), roxmltree {:.2?}",
        ratio(2),
        ratio(1),
        ratio(3),
        best[0],
        best[1],
        best[2],
        best[3],
        best[4],
        best[5],
        (best[5].as_secs_f64() / best[4].as_secs_f64() - 1.0) * 100.0,
        best[6],
    );
    println!(
        "{name}: full qmwire::lint (method given, clean, report built) reaches {:.2}x the raw \
         quick-xml throughput (target >= {lint_target}x) and {:.2}x roxmltree's (roxmltree \
         itself {:.2}x raw); under profile jxwms {:.2}x raw",
        ratio(4),
        best[6].as_secs_f64() / best[4].as_secs_f64(),
        ratio(6),
        ratio(5),
    );
}

/// Runs one candidate `n` times on one document, for callgrind (`BENCH_CALLS`).
fn counted_calls(doc: &str, function: &str, n: usize) {
    let input = DOCS
        .iter()
        .find(|(name, _)| *name == doc)
        .unwrap_or_else(|| panic!("no document {doc}"))
        .1;
    with_candidates(|candidates| run_named(candidates, function, n, input));
}

/// Registers the eight functions of one document's group.
fn bench_document(c: &mut Criterion, name: &str, input: &str) {
    check_document(name, input);
    let limits = Limits::default();
    let kind = BodyKind::DeliveryOrderCreateRequest;

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("quick_xml_raw_events", |b| {
        b.iter(|| raw_events(black_box(input)))
    });
    group.bench_function("qmwire_decode", |b| {
        b.iter(|| kind.decode(black_box(input), &limits).expect("decodes"))
    });
    group.bench_function("qmwire_decode_validate", |b| {
        b.iter(|| decode_validate(black_box(input), &limits))
    });
    group.bench_function("qmwire_decode_report", |b| {
        b.iter(|| {
            let body = kind.decode(black_box(input), &limits).expect("decodes");
            validate::issues(&body)
        })
    });
    group.bench_function("qmwire_decode_validate_events_only", |b| {
        b.iter(|| decode_validate_events_only(black_box(input), &limits))
    });
    let options = lint_options();
    group.bench_function("qmwire_lint", |b| {
        b.iter(|| lint(black_box(input), &options))
    });
    let profiled = profiled_options();
    group.bench_function("qmwire_lint_profile", |b| {
        b.iter(|| lint(black_box(input), &profiled))
    });
    group.bench_function("roxmltree_parse", |b| {
        b.iter(|| roxmltree_parse(black_box(input)))
    });
    group.finish();
}

/// `qmwire_lint`'s options under the built-in profile `jxwms`, its variables set.
fn profiled_options() -> qmwire::Options {
    let mut profile = qmwire::Profile::open("jxwms").expect("a built-in");
    profile.set_var("owner_id", "XIAOXIONG").expect("declared");
    profile
        .set_var("warehouse_id", "HZ-XS-01")
        .expect("declared");
    lint_options().with_profile(profile)
}

/// Benchmarks every document in [`DOCS`], after printing the interleaved ratios.
fn decode(c: &mut Criterion) {
    if let Some((doc, function, n)) = calls_wanted() {
        for (name, input) in DOCS {
            check_document(name, input);
        }
        counted_calls(&doc, &function, n);
        return;
    }
    if ratio_wanted() {
        for (name, input) in DOCS {
            check_document(name, input);
            print_ratio(name, input);
        }
    }
    for (name, input) in DOCS {
        bench_document(c, name, input);
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
