//! Fuzz target `roundtrip_json`: see `qmwire::fuzzing::roundtrip_json` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::roundtrip_json(data));
