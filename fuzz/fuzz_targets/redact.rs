//! Fuzz target `redact`: see `qmwire::fuzzing::redact` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::redact(data));
