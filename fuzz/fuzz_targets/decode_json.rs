//! Fuzz target `decode_json`: see `qmwire::fuzzing::decode_json` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::decode_json(data));
