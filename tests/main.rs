//! The integration tests: one binary, one module per concern.

mod alloc;
mod cli;
mod corpus;
mod fuzz_replay;
mod limits;
mod request;
mod schema;
mod sign;
