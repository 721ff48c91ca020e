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
