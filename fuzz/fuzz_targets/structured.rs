//! Fuzz target `structured`: see `qmwire::fuzzing::structured` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::structured(data));
