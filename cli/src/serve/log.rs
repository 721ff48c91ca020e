//! The server's log: one JSON object per line on standard error. Request lines carry the
//! request id, route, method, outcome, reason, statuses, duration and a detail made of rule
//! ids, paths and sign causes; never a field value, a body, the secret or the expected sign.

use serde_json::{json, Map, Value};
use std::io::Write;

/// Seconds since the Unix epoch, with milliseconds.
fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| (d.as_millis() as f64) / 1000.0)
}

/// Writes `{"ts":…,"msg":msg,…fields}` as one line.
pub(crate) fn event(msg: &str, fields: Value) {
    let mut line = Map::new();
    line.insert("ts".into(), json!(now()));
    line.insert("msg".into(), json!(msg));
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    // One write per line: the line is built first (serde_json's Display would write piece by
    // piece to the unbuffered stderr, one system call each).
    let mut text = Value::Object(line).to_string();
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
