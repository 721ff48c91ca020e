//! Wire-level helpers every layer stands on: byte spans and line:column, scalar text, HTTP
//! requests, query and form parameters, calendar and timestamps, JSON string escapes, exact
//! decimal amounts.

pub mod calendar;
pub mod framing;
pub mod http;
pub mod json_escape;
pub mod limits;
pub mod located;
pub mod money;
pub mod params;
pub mod span;
pub(crate) mod suggest;
#[cfg(test)]
pub(crate) mod test_rng;
pub mod text;
pub mod timestamp;
