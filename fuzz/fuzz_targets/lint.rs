//! Fuzz target `lint`: see `qmwire::fuzzing::lint` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::lint(data));
