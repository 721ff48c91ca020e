//! The server's log: one JSON object per line on standard error. Request lines carry the
//! request id, route, method, outcome, reason, statuses, duration and a detail made of rule
//! ids, paths and sign causes; never a field value, a body, the secret or the expected sign.
//!
//! Request lines ([`request`]) are gathered and written by one thread, at most [`GATHER`]
//! after the first of them, in one system call for all the lines gathered: under load a
//! handler then neither waits for standard error's lock nor makes a system call per request.
//! Every other line ([`event`]) is written at once, after the lines still gathered, so the
//! order of the lines is always the order in which they were logged; [`flush`] writes what is
//! gathered before the process ends.

use serde_json::{json, Map, Value};
use std::io::Write;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

/// How long the writer waits after the first gathered line for more to join it.
const GATHER: Duration = Duration::from_millis(2);

/// Gathered bytes past which a handler writes them itself instead of leaving them to the
/// writer (standard error is slower than the requests: memory stays bounded).
const MAX_GATHERED: usize = 256 * 1024;

/// Lines logged and not yet written.
static GATHERED: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// Wakes the writer when the first line is gathered.
static WAKE: Condvar = Condvar::new();
/// Held while writing, so that lines taken earlier are written earlier.
static OUT: Mutex<()> = Mutex::new(());
/// The writer thread, started with the first request line.
static WRITER: OnceLock<()> = OnceLock::new();

/// Seconds since the Unix epoch, with milliseconds.
pub(crate) fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| (d.as_millis() as f64) / 1000.0)
}

/// `{"ts":…,"msg":msg,…fields}` and a line end.
fn line(msg: &str, fields: Value) -> Vec<u8> {
    let mut line = Map::new();
    line.insert("ts".into(), json!(now()));
    line.insert("msg".into(), json!(msg));
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    let mut text = Value::Object(line).to_string().into_bytes();
    text.push(b'\n');
    text
}

/// Writes the gathered lines, then `also`, in one write.
fn write_gathered(also: &[u8]) {
    let _out = OUT.lock().unwrap_or_else(|e| e.into_inner());
    let mut bytes = std::mem::take(&mut *GATHERED.lock().unwrap_or_else(|e| e.into_inner()));
    bytes.extend_from_slice(also);
    if !bytes.is_empty() {
        let _ = std::io::stderr().lock().write_all(&bytes);
    }
}

/// Writes `{"ts":…,"msg":msg,…fields}` as one line, now (after any gathered request lines).
pub(crate) fn event(msg: &str, fields: Value) {
    write_gathered(&line(msg, fields));
}

/// Logs a request line (`line` serializes as a JSON object whose first keys are `ts` and
/// `msg`, as [`event`] writes them): gathered, and written within [`GATHER`] by the writer
/// thread.
pub(crate) fn request(line: &impl serde::Serialize) {
    let Ok(mut text) = serde_json::to_vec(line) else {
        return;
    };
    text.push(b'\n');
    WRITER.get_or_init(|| {
        let _ = std::thread::Builder::new()
            .name("qmwire-log".into())
            .spawn(writer);
    });
    let mut gathered = GATHERED.lock().unwrap_or_else(|e| e.into_inner());
    let first = gathered.is_empty();
    gathered.extend_from_slice(&text);
    let full = gathered.len() > MAX_GATHERED;
    drop(gathered);
    if full {
        write_gathered(&[]);
    } else if first {
        WAKE.notify_one();
    }
}

/// Writes the gathered request lines now.
pub(crate) fn flush() {
    write_gathered(&[]);
}

/// The writer thread: waits for a first gathered line, lets others join it, writes them all.
fn writer() {
    loop {
        {
            let mut gathered = GATHERED.lock().unwrap_or_else(|e| e.into_inner());
            while gathered.is_empty() {
                gathered = WAKE.wait(gathered).unwrap_or_else(|e| e.into_inner());
            }
        }
        std::thread::sleep(GATHER);
        write_gathered(&[]);
    }
}
