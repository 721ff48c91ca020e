//! Fuzz target `roundtrip_xml`: see `qmwire::fuzzing::roundtrip_xml` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::roundtrip_xml(data));
