//! Rendering a report with 15,000 issues on one 1 MB line: human output against JSON output of
//! the same report, measured in the same run (issue 16). Machine writers send XML and JSON on
//! one line; a human renderer that rescans the line per issue is quadratic there.
//!
//! The document is generated: a `deliveryorder.create` request on one line whose 7,500 order
//! lines each carry a `planQty` of 0 (an `integer` error) and an element the contract does not
//! define (an `unknown-field` warning), so 15,000 issues, every one quoting the same line; the
//! receiver's name, mobile and address in the header are spans the renderers must hide. It is linted once with
//! `max_issues` unlimited; one criterion group, `Throughput::Elements(issues)`:
//! - `human`: `qmwire::render::human::render`, what `qmwire lint` prints by default;
//! - `json`: `qmwire::render::json::render` serialised to a string, what `qmwire lint --format
//!   json` prints: the baseline;
//! - `lint`: `qmwire::lint` of the document, for scale.
//!
//! At start-up: the report lists every issue (none omitted), both outputs carry one entry per
//! issue, and the human output shows none of the receiver's personal values. Under `cargo bench` the
//! ratios are first printed from interleaved rounds, as `decode.rs` does;
//! `BENCH_CALLS=one_line_15k_issues/FUNCTION:N` runs one candidate N times for callgrind. See
//! `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qmwire::render::{self, FileReport};
use qmwire::{Options, Report};
use std::fmt::Write;
use std::hint::black_box;

mod interleave;
use interleave::{calls_wanted, interleaved_best, ratio_wanted, run_named};

/// The group (and `BENCH_CALLS` document) name.
const NAME: &str = "one_line_15k_issues";

/// Order lines of the generated document: two issues each.
const LINES: usize = 7_500;

/// Rounds of the interleaved ratio measurement (each renders 15,000 issues per candidate).
const RATIO_ROUNDS: usize = 10;

/// The path the renderers show.
const PATH: &str = "one-line.xml";

/// The generated one-line document.
fn document() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder>\
         <deliveryOrderCode>DO202612020001</deliveryOrderCode><orderType>JYCK</orderType>\
         <warehouseCode>HZ-XS-01</warehouseCode><createTime>2026-12-02 09:15:02</createTime>\
         <placeOrderTime>2026-12-01 22:47:31</placeOrderTime>\
         <operateTime>2026-12-02 09:14:40</operateTime><shopNick>小熊电器官方旗舰店</shopNick>\
         <logisticsCode>ZTO</logisticsCode>\
         <receiverInfo><name>张三</name><mobile>13912345678</mobile><province>上海</province>\
         <city>上海市</city><detailAddress>锦绣路 1001 弄 12 号 502 室</detailAddress>\
         </receiverInfo></deliveryOrder><orderLines>",
    );
    for i in 0..LINES {
        let _ = write!(
            s,
            "<orderLine><ownerCode>XIAOXIONG</ownerCode><itemCode>SKU-{i:05}</itemCode>\
             <planQty>0</planQty><actualPrice>19.90</actualPrice>\
             <lineMemo>gift-wrap-{i:05}</lineMemo></orderLine>"
        );
    }
    s.push_str("</orderLines></request>");
    s
}

fn options() -> Options {
    Options::new()
        .with_method("deliveryorder.create")
        .with_max_issues(usize::MAX)
}

fn human(input: &str, report: &Report) -> String {
    render::human::render(&[FileReport {
        path: PATH,
        input,
        report,
    }])
}

fn json(input: &str, report: &Report) -> String {
    let files = [FileReport {
        path: PATH,
        input,
        report,
    }];
    format!("{}\n", render::json::render(&files))
}

/// Checks once, before measuring, that the document is one line of about 1 MB, that every
/// issue is listed, that each output has one entry per issue and that the human output shows
/// none of the receiver's personal values.
fn check(input: &str, report: &Report) {
    assert!(!input.contains('\n'), "one line");
    assert!(input.len() > 1_000_000, "{} bytes", input.len());
    assert_eq!(report.omitted, 0);
    assert_eq!(report.issues.len(), 2 * LINES, "{:?}", &report.issues[..4]);
    assert_eq!(report.errors(), LINES);
    assert_eq!(report.warnings(), LINES);
    let text = human(input, report);
    let headed = text
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .count();
    assert_eq!(headed, 2 * LINES, "human: one heading per issue");
    let personal = report.personal_spans.as_ref().expect("decoded");
    // The receiver's name, mobile and address, and every `<lineMemo>`: an element outside
    // the contract may hold anything, so it is hidden too.
    assert_eq!(personal.len(), 3 + LINES, "personal and unknown spans");
    for value in ["张三", "13912345678", "锦绣路"] {
        let at = input.find(value).expect("in the document");
        assert!(
            personal.iter().any(|s| s.range().contains(&at)),
            "{value} is not among the personal spans"
        );
    }
    for value in ["张三", "13912345678", "锦绣路"] {
        assert!(!text.contains(value), "human output shows a personal value");
    }
    let value: serde_json::Value = serde_json::from_str(&json(input, report)).expect("JSON");
    let listed = value["files"][0]["issues"]
        .as_array()
        .expect("issues")
        .len();
    assert_eq!(listed, 2 * LINES, "json: one entry per issue");
}

/// The candidates, by criterion function name; the first is the baseline.
fn with_candidates<R>(report: &Report, f: impl FnOnce(&[(&str, &dyn Fn(&str))]) -> R) -> R {
    let options = options();
    let run_json = |s: &str| {
        black_box(json(s, report));
    };
    let run_human = |s: &str| {
        black_box(human(s, report));
    };
    let run_lint = |s: &str| {
        black_box(qmwire::lint(s.as_bytes(), &options));
    };
    f(&[
        ("json", &run_json),
        ("human", &run_human),
        ("lint", &run_lint),
    ])
}

fn rendering(c: &mut Criterion) {
    let input = document();
    let report = qmwire::lint(input.as_bytes(), &options());
    check(&input, &report);
    if let Some((doc, function, n)) = calls_wanted() {
        assert_eq!(doc, NAME, "the only document is {NAME}");
        with_candidates(&report, |candidates| {
            run_named(candidates, &function, n, &input)
        });
        return;
    }
    if ratio_wanted() {
        let best = with_candidates(&report, |candidates| {
            let runs: Vec<&dyn Fn(&str)> = candidates.iter().map(|(_, run)| *run).collect();
            interleaved_best(&input, &runs, RATIO_ROUNDS)
        });
        println!(
            "{NAME}: human output of {} issues on one {} byte line takes {:.2}x the time of JSON \
             output of the same report (same order of time: linear); fastest of {RATIO_ROUNDS} \
             interleaved rounds: json {:.2?}, human {:.2?}, lint {:.2?}",
            report.issues.len(),
            input.len(),
            best[1].as_secs_f64() / best[0].as_secs_f64(),
            best[0],
            best[1],
            best[2],
        );
    }
    let mut group = c.benchmark_group(NAME);
    group.throughput(Throughput::Elements(report.issues.len() as u64));
    group.sample_size(10);
    with_candidates(&report, |candidates| {
        for (function, run) in candidates {
            group.bench_function(*function, |b| b.iter(|| run(black_box(&input))));
        }
    });
    group.finish();
}

criterion_group!(benches, rendering);
criterion_main!(benches);
