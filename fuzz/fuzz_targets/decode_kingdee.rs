//! Fuzz target `decode_kingdee`: see `qmwire::fuzzing::decode_kingdee` for the invariants it
//! checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::decode_kingdee(data));
