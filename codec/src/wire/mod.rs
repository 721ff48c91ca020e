//! Wire-level helpers every layer stands on: byte spans and line:column, scalar text, HTTP
//! requests, query and form parameters, calendar and timestamps, JSON string escapes.

pub mod calendar;
pub mod framing;
pub mod http;
pub mod json_escape;
pub mod located;
pub mod params;
pub mod span;
pub mod text;
pub mod timestamp;
