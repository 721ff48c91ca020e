//! Fuzz target `hostile`: see `qmwire::fuzzing::hostile` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qmwire::fuzzing::hostile(data));
