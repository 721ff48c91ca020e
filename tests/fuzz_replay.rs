//! Replays, on stable Rust, every input the fuzz targets start from or once crashed on, through
//! the same harness bodies the libFuzzer targets call (`qmwire::fuzzing`).
//! - `fuzz/regressions/<target>/*`: inputs that once broke a target, kept forever;
//! - every test fixture and example, which also seed the fuzz corpora (for `sign` they are just
//!   arbitrary bytes; its realistic seeds live in `fuzz/regressions/sign/`); `.http` requests
//!   seed `redact` only.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A fuzz target's harness body.
type Harness = fn(&[u8]);

const TARGETS: &[(&str, Harness)] = &[
    ("decode_xml", qmwire::fuzzing::decode_xml),
    ("roundtrip_xml", qmwire::fuzzing::roundtrip_xml),
    ("decode_json", qmwire::fuzzing::decode_json),
    ("decode_kingdee", qmwire::fuzzing::decode_kingdee),
    ("roundtrip_json", qmwire::fuzzing::roundtrip_json),
    ("lint", qmwire::fuzzing::lint),
    ("sign", qmwire::fuzzing::sign),
    ("structured", qmwire::fuzzing::structured),
    ("redact", qmwire::fuzzing::redact),
    ("hostile", qmwire::fuzzing::hostile),
];

#[test]
fn regressions_and_seeds_pass_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seeds = Vec::new();
    files_under(&root.join("tests/fixtures"), &mut seeds);
    files_under(&root.join("examples"), &mut seeds);
    seeds.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "xml" || e == "json" || e == "form" || e == "http")
    });
    assert!(!seeds.is_empty());
    for (name, target) in TARGETS {
        let mut inputs = seeds.clone();
        // Whole requests seed only the target that handles them.
        if *name != "redact" {
            inputs.retain(|p| p.extension().is_none_or(|e| e != "http"));
        }
        files_under(&root.join("fuzz/regressions").join(name), &mut inputs);
        for path in inputs {
            let bytes = std::fs::read(&path).unwrap();
            // decode_xml reads its first byte as the body kind: try every kind for seeds.
            if *name == "decode_xml" || *name == "decode_json" || *name == "decode_kingdee" {
                for pick in 0..=40u8 {
                    let mut data = vec![pick];
                    data.extend_from_slice(&bytes);
                    target(&data);
                }
            } else {
                target(&bytes);
            }
        }
    }
}

/// The structured target over a few thousand pseudo-random inputs, on stable: valid Qimen and
/// wdt documents built from the field tables lint clean, and each single break is reported as
/// exactly its rule at its path.
#[test]
fn structured_target_holds_for_pseudo_random_inputs() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..3000 {
        let len = 64 + (state % 1500) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        qmwire::fuzzing::structured(&data);
    }
}

/// The `hostile` harness over inputs from a fixed pseudo-random stream, so its properties
/// (planted personal values never printed, money overflow always a `decimal` error, controls
/// never raw) run on stable Rust in every `cargo test`, not only under the fuzzer.
#[test]
fn hostile_properties_hold_over_generated_inputs() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // Filler drawn mostly from the bytes that break documents.
    const BYTES: &[u8] = b"<>&\"'/=![]{}:,\\ \n\r\tax0159-.\xe4\xb8\xad\x1b\xc2\x85";
    for _ in 0..3_000 {
        let mut data = vec![(next() % 16) as u8];
        for _ in 0..(next() % 40) {
            let r = next();
            data.push(match r % 9 {
                0 => 0xFF,
                1 => (r >> 8) as u8,
                _ => BYTES[((r >> 8) % BYTES.len() as u64) as usize],
            });
        }
        qmwire::fuzzing::hostile(&data);
    }
}
