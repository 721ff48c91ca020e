//! The server's log: one JSON object per line on standard error. Request lines carry the
//! request id, route, method, outcome, reason, statuses, duration and a detail made of rule
//! ids, paths and sign causes; never a field value, a body, the secret or the expected sign.

use serde_json::{json, Map, Value};

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
    eprintln!("{}", Value::Object(line));
}
