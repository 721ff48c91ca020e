//! Fuzz target `sign`: see `qmwire::fuzzing::sign` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::sign(data));
