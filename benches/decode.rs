//! Decode throughput of `deliveryorder.create` against a bare quick-xml event loop.
//!
//! DESIGN asks that decode + validate reach at least 0.75× the throughput of a bare quick-xml
//! borrowed event loop over the same document. Each document gets one criterion group, so the
//! four functions below are reported side by side with the same `Throughput::Bytes`:
//!
//! - `quick_xml_raw_events`: the baseline, `Reader::from_str` and `read_event` until `Eof`;
//! - `qmwire_decode`: `BodyKind::DeliveryOrderCreateRequest.decode` with default limits;
//! - `qmwire_decode_validate`: decode, then `validate::is_valid` (the no-allocation tier);
//! - `qmwire_decode_report`: decode, then `validate::issues` (every issue, with paths).
//!
//! The ratio the design talks about is throughput(`qmwire_decode_validate`) divided by
//! throughput(`quick_xml_raw_events`). See `benches/README.md` for how to run it and for the
//! numbers last measured.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qmwire::model::qimen::BodyKind;
use qmwire::validate::{self, Severity};
use qmwire::xml::Limits;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::hint::black_box;

/// The documents measured: (group name, XML text). Both lint clean with
/// `qmwire lint --method deliveryorder.create`.
const DOCS: [(&str, &str); 2] = [
    (
        "deliveryorder_create_3k",
        include_str!("data/deliveryorder_create_3k.xml"),
    ),
    (
        "deliveryorder_create_60k",
        include_str!("data/deliveryorder_create_60k.xml"),
    ),
];

/// The baseline: every event of `input` read with quick-xml's borrowed slice reader, nothing
/// else. Returns the number of events so the loop cannot be optimised away.
fn raw_events(input: &str) -> usize {
    let mut reader = Reader::from_str(input);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => {
                black_box(event);
                events += 1;
            }
            Err(e) => panic!("benchmark input is not well-formed XML: {e}"),
        }
    }
    events
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
}

/// Registers the four functions of one document's group.
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
        b.iter(|| {
            let body = kind.decode(black_box(input), &limits).expect("decodes");
            validate::is_valid(&body)
        })
    });
    group.bench_function("qmwire_decode_report", |b| {
        b.iter(|| {
            let body = kind.decode(black_box(input), &limits).expect("decodes");
            validate::issues(&body)
        })
    });
    group.finish();
}

/// Benchmarks every document in [`DOCS`].
fn decode(c: &mut Criterion) {
    for (name, input) in DOCS {
        bench_document(c, name, input);
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
