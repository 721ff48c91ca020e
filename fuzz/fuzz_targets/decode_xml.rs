//! Fuzz target `decode_xml`: see `qmwire::fuzzing::decode_xml` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::decode_xml(data));
