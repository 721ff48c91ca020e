//! What `decode.rs` and `wdt.rs` share: the interleaved-rounds timer and the test for a real
//! `cargo bench` run. Included by both with `mod interleave;`.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Fastest time per call of each candidate over `rounds` rounds; every round runs each
/// candidate in turn over about 500 KB of input (a few milliseconds), so a noisy neighbour
/// slows every candidate alike.
pub(crate) fn interleaved_best(
    input: &str,
    candidates: &[&dyn Fn(&str)],
    rounds: usize,
) -> Vec<Duration> {
    let batch = (500_000 / input.len().max(1)).clamp(1, 1_000) as u32;
    let mut best = vec![Duration::MAX; candidates.len()];
    for _ in 0..rounds {
        for (f, best) in candidates.iter().zip(best.iter_mut()) {
            let start = Instant::now();
            for _ in 0..batch {
                f(black_box(input));
            }
            *best = (*best).min(start.elapsed() / batch);
        }
    }
    best
}

/// Whether this is a real `cargo bench` run (not `cargo test --benches`, `--test`, `--list` or
/// `--profile-time`), the only case where the interleaved ratios are worth their seconds.
pub(crate) fn ratio_wanted() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench")
        && !args
            .iter()
            .any(|a| a == "--list" || a == "--test" || a.starts_with("--profile-time"))
}

/// For instruction counts under callgrind: `BENCH_CALLS=DOC/FUNCTION:N` asks for one
/// candidate to run N times on one document after the start-up checks, and nothing else. The
/// difference between the counts at N and at 0 is exactly N calls. `None` when the variable is
/// not set.
pub(crate) fn calls_wanted() -> Option<(String, String, usize)> {
    let spec = std::env::var("BENCH_CALLS").ok()?;
    let (what, n) = spec.rsplit_once(':').expect("BENCH_CALLS=DOC/FUNCTION:N");
    let n = n.parse().expect("BENCH_CALLS: N is a count");
    let (doc, function) = what.split_once('/').expect("BENCH_CALLS=DOC/FUNCTION:N");
    Some((doc.to_owned(), function.to_owned(), n))
}

/// A bench's candidates: each function's name, and the function run on one document.
#[allow(dead_code)] // wdt.rs names its candidates by a match of its own
pub(crate) type Candidates<'c> = [(&'c str, &'c dyn Fn(&str))];

/// Runs the candidate named `function` of `candidates` `n` times on `input`, for callgrind
/// (`BENCH_CALLS`, see [`calls_wanted`]).
#[allow(dead_code)] // wdt.rs names its candidates by a match of its own
pub(crate) fn run_named(candidates: &Candidates<'_>, function: &str, n: usize, input: &str) {
    let run = candidates
        .iter()
        .find(|(name, _)| *name == function)
        .unwrap_or_else(|| panic!("no function {function}"))
        .1;
    for _ in 0..n {
        run(black_box(input));
    }
}
