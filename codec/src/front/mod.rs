//! The front door's machinery: linting and redacting any input shape.

pub mod file;
