//! The integration tests: one binary, one module per concern.

mod alloc;
mod blank;
mod cli;
mod convert;
mod corpus;
mod detection;
mod everywhere;
mod files;
mod framing;
mod front;
mod fuzz_replay;
mod layering;
mod leaf_scan;
mod leaks;
mod limits;
mod matrix;
mod realworld;
mod redact;
mod redact_wdt;
mod request;
mod rules;
mod schema;
mod sign;
mod sign_python;
mod wdt;
mod wellformed;
