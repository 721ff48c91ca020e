//! Reply envelopes of the standard API and of the Qimen custom API, read into one [`Outcome`]
//! and written out for either side.
//!
//! | side | success | failure |
//! |---|---|---|
//! | standard | `{"code":0,"message":"","new_count":1,…}` | `{"code":99,"message":"…"}` |
//! | Qimen custom | `{"response":{…wdt fields…}}` | `{"response":{"flag":"failure","code","message","sub_code","sub_message","request_id"}}` |
//! | TOP gateway | — | `{"error_response":{"code","msg","sub_code","sub_msg","request_id"}}` |
//!
//! wdt's own `code`/`message` correspond to Qimen's `sub_code`/`sub_message`; Qimen's `code`/
//! `message` are the gateway's and have no standard counterpart.
//!
//! **Assumptions** where the published material is silent:
//!
//! - Reading a Qimen reply: the root member is `response`, or any single `<name>_response`
//!   member (some gateways name it after the method), or `error_response`. A `flag` of
//!   `failure` marks a failure. Without `flag` (or with `flag` = `success`), the members are
//!   taken as wdt's own payload: a `code` that is absent, empty or zero means success, a non-zero
//!   numeric `code` is a wdt failure passed through, and a non-numeric `code` (such as
//!   `isv.invalid-parameter`) is a gateway failure.
//! - In a `failure`, a numeric `sub_code` (integer, or text made of digits) is wdt's code, so
//!   the outcome is a wdt failure; any other `sub_code`, or none, means the gateway refused the
//!   call before wdt answered.
//! - Writing a Qimen success: wdt's payload members unchanged (its `code` 0 included), then
//!   `request_id` when known, and **no `flag`** unless asked for ([`to_qimen_custom_flagged`]).
//!   The published material documents `flag` only as the failure marker, and the official Java
//!   Qimen-cloud client takes any non-empty `flag` for a failure, so a `"flag":"success"` would
//!   turn every success into a failure there; the .NET client reads `success` as success, and
//!   for it (or a counterparty that wants the member) `--success-flag` writes it.
//! - Writing a Qimen failure for a wdt failure: `sub_code` is wdt's code as text and
//!   `sub_message` its message. The gateway's `code`/`message` are kept when the outcome was
//!   read from Qimen; otherwise they repeat wdt's code (as text, the type the SDKs read `code`
//!   as) and message, so that a client testing `code` for emptiness still sees a failure.
//! - Writing a standard reply: a success without `code` gets `"code":0` (and `"message":""`)
//!   in front; a wdt failure's code is written as an integer when it is numeric. A gateway
//!   failure has no standard form (wdt never sent it), so that is an error.
//!
//! Members not named above are kept, in their order, in both directions. A numeric
//! `request_id` is read as text and written back as text. Values go through
//! `serde_json::Value`: integers are exact, but decimals are floating point, so `1.50` is
//! written back as `1.5` (wdt sends amounts as strings, which are untouched).
//!
//! ```
//! use qmwire::convert::response::{qimen_custom_to_wdt, wdt_to_qimen_custom};
//! let wdt = r#"{"code":0,"message":"","new_count":1,"chg_count":0}"#;
//! let qimen = wdt_to_qimen_custom(wdt).unwrap();
//! assert_eq!(qimen, r#"{"response":{"code":0,"message":"","new_count":1,"chg_count":0}}"#);
//! assert_eq!(qimen_custom_to_wdt(&qimen).unwrap(), wdt);
//! ```

use serde_json::{Map, Value};
use std::fmt;

/// A `code` as it was written: an integer or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// `"code": 99`.
    Int(i64),
    /// `"code": "99"` or `"code": "isv.invalid-parameter"`.
    Text(String),
}

impl Code {
    /// The integer it stands for: the integer itself, or a text made of digits (with an
    /// optional `-`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Code::Int(n) => Some(*n),
            Code::Text(t) => t.trim().parse().ok(),
        }
    }

    /// Zero (or an empty text): wdt's success.
    pub fn is_zero(&self) -> bool {
        match self {
            Code::Text(t) if t.trim().is_empty() => true,
            _ => self.as_int() == Some(0),
        }
    }

    /// As JSON, in its original type.
    pub fn to_json(&self) -> Value {
        match self {
            Code::Int(n) => Value::from(*n),
            Code::Text(t) => Value::from(t.as_str()),
        }
    }

    /// As text (`99`).
    pub fn to_text(&self) -> String {
        match self {
            Code::Int(n) => n.to_string(),
            Code::Text(t) => t.clone(),
        }
    }
}

/// Which gateway refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayOrigin {
    /// The TOP router, `{"error_response":{…}}`.
    Top,
    /// The Qimen custom layer, `{"response":{"flag":"failure",…}}` without a wdt code.
    Qimen,
}

/// The Qimen-level `code` and `message` that came with a wdt failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayCode {
    /// Qimen's `code`.
    pub code: Code,
    /// Qimen's `message` (empty when absent).
    pub message: String,
}

/// What a reply says, whichever side wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// wdt accepted the call.
    Success {
        /// wdt's members (`code`, `message`, counts, lists, …) in order.
        payload: Map<String, Value>,
        /// Qimen's `request_id`, when the reply came through Qimen.
        request_id: Option<String>,
    },
    /// wdt refused the call.
    WdtFailure {
        /// wdt's error code (Qimen's `sub_code`).
        code: Code,
        /// wdt's error message (Qimen's `sub_message`).
        message: String,
        /// Other members, in order.
        extra: Map<String, Value>,
        /// Qimen's own `code`/`message`, when the reply came through Qimen with them.
        gateway: Option<GatewayCode>,
        /// Qimen's `request_id`, when known.
        request_id: Option<String>,
    },
    /// A gateway refused the call before wdt answered.
    GatewayFailure {
        /// TOP or Qimen.
        origin: GatewayOrigin,
        /// The gateway's `code`.
        code: Option<Code>,
        /// The gateway's `msg` / `message`.
        message: Option<String>,
        /// The gateway's `sub_code`.
        sub_code: Option<String>,
        /// The gateway's `sub_msg` / `sub_message`.
        sub_message: Option<String>,
        /// The gateway's `request_id`.
        request_id: Option<String>,
        /// Other members, in order.
        extra: Map<String, Value>,
    },
}

/// Why a reply cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// Not JSON (serde_json's message, with line and column).
    Json(String),
    /// The document, or a member that must be one, is not an object.
    NotObject {
        /// `the document`, or the member's name in backticks.
        what: String,
        /// The JSON type found.
        found: &'static str,
    },
    /// A Qimen reply whose root does not have exactly one `…response` member.
    Root(Vec<String>),
    /// A member of the wrong type.
    FieldType {
        /// The member.
        field: &'static str,
        /// What was expected.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// A standard reply without `code`.
    MissingCode,
    /// A `flag` that is neither `success` nor `failure`.
    Flag(String),
    /// A gateway failure, which the standard API never sends.
    NoStandardForm {
        /// The gateway's `code` and `sub_code`, as text.
        codes: String,
    },
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Json(e) => write!(f, "expected JSON, found a syntax error: {e}"),
            ResponseError::NotObject { what, found } => {
                write!(f, "expected {what} to be an object, found {found}")
            }
            ResponseError::Root(names) if names.is_empty() => {
                f.write_str("expected one root member `response` or `error_response`, found none")
            }
            ResponseError::Root(names) => write!(
                f,
                "expected one root member `response` or `error_response`, found {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ResponseError::FieldType {
                field,
                expected,
                found,
            } => write!(f, "expected `{field}` as {expected}, found {found}"),
            ResponseError::MissingCode => {
                f.write_str("expected a wdt reply with `code`, found none")
            }
            ResponseError::Flag(found) => {
                write!(f, "expected `flag` `success` or `failure`, found `{found}`")
            }
            ResponseError::NoStandardForm { codes } => write!(
                f,
                "expected a reply from wdt, found a gateway failure ({codes}); the standard API \
                 has no such reply"
            ),
        }
    }
}

impl ResponseError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        let ty = |t: &str| match t {
            "null" => "null",
            "a boolean" => "布尔值",
            "a number" => "数字",
            "a string" => "字符串",
            "an array" => "数组",
            "an object" => "对象",
            "an integer or a string" => "整数或字符串",
            _ => "其他值",
        };
        match self {
            ResponseError::Json(e) => format!("应为 JSON，实际有语法错误：{e}"),
            ResponseError::NotObject { what, found } => {
                let what = if what == "the document" {
                    "整个文档"
                } else {
                    what.as_str()
                };
                format!("{what}应为对象，实际为{}", ty(found))
            }
            ResponseError::Root(names) if names.is_empty() => {
                "根上应有一个成员 `response` 或 `error_response`，实际一个也没有".into()
            }
            ResponseError::Root(names) => format!(
                "根上应有一个成员 `response` 或 `error_response`，实际为 {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            ResponseError::FieldType {
                field,
                expected,
                found,
            } => format!("`{field}` 应为{}，实际为{}", ty(expected), ty(found)),
            ResponseError::MissingCode => "应为带 `code` 的旺店通应答，实际没有 `code`".into(),
            ResponseError::Flag(found) => {
                format!("`flag` 应为 `success` 或 `failure`，实际为 `{found}`")
            }
            ResponseError::NoStandardForm { codes } => {
                format!("应为旺店通的应答，实际是网关的失败应答（{codes}）；标准接口没有这样的应答")
            }
        }
    }
}

impl std::error::Error for ResponseError {}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object(text: &str) -> Result<Map<String, Value>, ResponseError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ResponseError::NotObject {
            what: "the document".into(),
            found: type_name(&other),
        }),
        Err(e) => Err(ResponseError::Json(e.to_string())),
    }
}

/// A code member: integer or text; `null` counts as absent.
fn code_field(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<Code>, ResponseError> {
    match map.shift_remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(Code::Text(s))),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Some(Code::Int(i))),
            None => Err(ResponseError::FieldType {
                field,
                expected: "an integer or a string",
                found: "a number with a fraction or out of range",
            }),
        },
        Some(other) => Err(ResponseError::FieldType {
            field,
            expected: "an integer or a string",
            found: type_name(&other),
        }),
    }
}

/// A text member; `null` counts as absent.
fn text_field(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ResponseError> {
    match map.shift_remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ResponseError::FieldType {
            field,
            expected: "a string",
            found: type_name(&other),
        }),
    }
}

/// `request_id`: text, or a number written as text.
fn request_id(map: &mut Map<String, Value>) -> Result<Option<String>, ResponseError> {
    match map.get("request_id") {
        Some(Value::Number(n)) => {
            let text = n.to_string();
            map.shift_remove("request_id");
            Ok(Some(text))
        }
        _ => text_field(map, "request_id"),
    }
}

/// Reads a standard reply, `{"code":0,"message":"",…}`.
pub fn parse_wdt(text: &str) -> Result<Outcome, ResponseError> {
    let mut map = object(text)?;
    let Some(raw) = map.get("code") else {
        return Err(ResponseError::MissingCode);
    };
    if raw.is_null() {
        return Err(ResponseError::MissingCode);
    }
    // Validate without taking it out: a success keeps its payload whole.
    let code = code_field(&mut map.clone(), "code")?.ok_or(ResponseError::MissingCode)?;
    if let Some(m) = map.get("message") {
        if !m.is_string() && !m.is_null() {
            return Err(ResponseError::FieldType {
                field: "message",
                expected: "a string",
                found: type_name(m),
            });
        }
    }
    if code.is_zero() {
        return Ok(Outcome::Success {
            payload: map,
            request_id: None,
        });
    }
    map.shift_remove("code");
    let message = text_field(&mut map, "message")?.unwrap_or_default();
    Ok(Outcome::WdtFailure {
        code,
        message,
        extra: map,
        gateway: None,
        request_id: None,
    })
}

/// Reads a Qimen custom reply (`{"response":{…}}`) or a TOP gateway error
/// (`{"error_response":{…}}`). See the module docs for how success and failure are told apart.
pub fn parse_qimen_custom(text: &str) -> Result<Outcome, ResponseError> {
    let root = object(text)?;
    let names: Vec<String> = root.keys().cloned().collect();
    let only = match names.as_slice() {
        [one] if one == "response" || one.ends_with("_response") => one.clone(),
        _ => return Err(ResponseError::Root(names)),
    };
    let inner = match root.into_iter().next().map(|(_, v)| v) {
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(ResponseError::NotObject {
                what: format!("`{only}`"),
                found: type_name(&other),
            })
        }
        None => return Err(ResponseError::Root(Vec::new())),
    };
    if only == "error_response" {
        top_error(inner)
    } else {
        qimen_response(inner)
    }
}

fn top_error(mut map: Map<String, Value>) -> Result<Outcome, ResponseError> {
    let code = code_field(&mut map, "code")?;
    let message = text_field(&mut map, "msg")?;
    let sub_code = code_field(&mut map, "sub_code")?.map(|c| c.to_text());
    let sub_message = text_field(&mut map, "sub_msg")?;
    let request_id = request_id(&mut map)?;
    Ok(Outcome::GatewayFailure {
        origin: GatewayOrigin::Top,
        code,
        message,
        sub_code,
        sub_message,
        request_id,
        extra: map,
    })
}

fn qimen_response(mut map: Map<String, Value>) -> Result<Outcome, ResponseError> {
    let flag = text_field(&mut map, "flag")?;
    let request_id = request_id(&mut map)?;
    match flag.as_deref() {
        Some("failure") => {
            let code = code_field(&mut map, "code")?;
            let message = text_field(&mut map, "message")?;
            let sub_code = code_field(&mut map, "sub_code")?;
            let sub_message = text_field(&mut map, "sub_message")?;
            match sub_code {
                Some(wdt_code) if wdt_code.as_int().is_some() => Ok(Outcome::WdtFailure {
                    code: wdt_code,
                    message: sub_message.unwrap_or_default(),
                    extra: map,
                    gateway: code.map(|code| GatewayCode {
                        code,
                        message: message.unwrap_or_default(),
                    }),
                    request_id,
                }),
                sub_code => Ok(Outcome::GatewayFailure {
                    origin: GatewayOrigin::Qimen,
                    code,
                    message,
                    sub_code: sub_code.map(|c| c.to_text()),
                    sub_message,
                    request_id,
                    extra: map,
                }),
            }
        }
        None | Some("success") => {
            let code = code_field(&mut map.clone(), "code")?;
            match code {
                None => Ok(Outcome::Success {
                    payload: map,
                    request_id,
                }),
                Some(c) if c.is_zero() => Ok(Outcome::Success {
                    payload: map,
                    request_id,
                }),
                Some(c) if c.as_int().is_some() => {
                    map.shift_remove("code");
                    let message = text_field(&mut map, "message")?.unwrap_or_default();
                    Ok(Outcome::WdtFailure {
                        code: c,
                        message,
                        extra: map,
                        gateway: None,
                        request_id,
                    })
                }
                Some(c) => {
                    map.shift_remove("code");
                    let message = text_field(&mut map, "message")?;
                    let sub_code = code_field(&mut map, "sub_code")?.map(|c| c.to_text());
                    let sub_message = text_field(&mut map, "sub_message")?;
                    Ok(Outcome::GatewayFailure {
                        origin: GatewayOrigin::Qimen,
                        code: Some(c),
                        message,
                        sub_code,
                        sub_message,
                        request_id,
                        extra: map,
                    })
                }
            }
        }
        Some(other) => Err(ResponseError::Flag(other.to_string())),
    }
}

/// The standard reply for an outcome.
pub fn to_wdt(outcome: &Outcome) -> Result<Value, ResponseError> {
    match outcome {
        Outcome::Success { payload, .. } => {
            let mut out = Map::new();
            if !payload.contains_key("code") {
                out.insert("code".into(), Value::from(0));
                if !payload.contains_key("message") {
                    out.insert("message".into(), Value::from(""));
                }
            }
            out.extend(payload.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(Value::Object(out))
        }
        Outcome::WdtFailure {
            code,
            message,
            extra,
            ..
        } => {
            let mut out = Map::new();
            let code = code.as_int().map_or_else(|| code.to_json(), Value::from);
            out.insert("code".into(), code);
            out.insert("message".into(), Value::from(message.as_str()));
            out.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(Value::Object(out))
        }
        Outcome::GatewayFailure { code, sub_code, .. } => {
            let mut codes = Vec::new();
            if let Some(c) = code {
                codes.push(format!("`code` {}", c.to_text()));
            }
            if let Some(s) = sub_code {
                codes.push(format!("`sub_code` {s}"));
            }
            if codes.is_empty() {
                codes.push("no code".into());
            }
            Err(ResponseError::NoStandardForm {
                codes: codes.join(", "),
            })
        }
    }
}

fn put_opt(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.into(), v);
    }
}

fn extend_missing(map: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (k, v) in extra {
        if !map.contains_key(k) {
            map.insert(k.clone(), v.clone());
        }
    }
}

/// The Qimen custom reply for an outcome (TOP's `error_response` for a TOP gateway failure);
/// a success carries no `flag` (see the module docs for why).
pub fn to_qimen_custom(outcome: &Outcome) -> Value {
    to_qimen_custom_flagged(outcome, false)
}

/// [`to_qimen_custom`], with `"flag":"success"` first in a success when `success_flag` is set
/// (what the .NET client reads; the Java client takes any `flag` for a failure).
pub fn to_qimen_custom_flagged(outcome: &Outcome, success_flag: bool) -> Value {
    let mut inner = Map::new();
    let root = match outcome {
        Outcome::Success {
            payload,
            request_id,
        } => {
            if success_flag {
                inner.insert("flag".into(), Value::from("success"));
            }
            extend_missing(&mut inner, payload);
            if !inner.contains_key("request_id") {
                put_opt(
                    &mut inner,
                    "request_id",
                    request_id.as_deref().map(Value::from),
                );
            }
            "response"
        }
        Outcome::WdtFailure {
            code,
            message,
            extra,
            gateway,
            request_id,
        } => {
            inner.insert("flag".into(), Value::from("failure"));
            let (qm_code, qm_message) = match gateway {
                Some(g) => (g.code.to_json(), g.message.clone()),
                None => (Value::from(code.to_text()), message.clone()),
            };
            inner.insert("code".into(), qm_code);
            inner.insert("message".into(), Value::from(qm_message));
            inner.insert("sub_code".into(), Value::from(code.to_text()));
            inner.insert("sub_message".into(), Value::from(message.as_str()));
            put_opt(
                &mut inner,
                "request_id",
                request_id.as_deref().map(Value::from),
            );
            extend_missing(&mut inner, extra);
            "response"
        }
        Outcome::GatewayFailure {
            origin,
            code,
            message,
            sub_code,
            sub_message,
            request_id,
            extra,
        } => {
            let (msg, sub_msg, root) = match origin {
                GatewayOrigin::Top => ("msg", "sub_msg", "error_response"),
                GatewayOrigin::Qimen => {
                    inner.insert("flag".into(), Value::from("failure"));
                    ("message", "sub_message", "response")
                }
            };
            put_opt(&mut inner, "code", code.as_ref().map(Code::to_json));
            put_opt(&mut inner, msg, message.as_deref().map(Value::from));
            put_opt(&mut inner, "sub_code", sub_code.as_deref().map(Value::from));
            put_opt(&mut inner, sub_msg, sub_message.as_deref().map(Value::from));
            put_opt(
                &mut inner,
                "request_id",
                request_id.as_deref().map(Value::from),
            );
            extend_missing(&mut inner, extra);
            root
        }
    };
    let mut out = Map::new();
    out.insert(root.into(), Value::Object(inner));
    Value::Object(out)
}

/// Reads a standard reply and writes the Qimen custom one (compact JSON).
pub fn wdt_to_qimen_custom(text: &str) -> Result<String, ResponseError> {
    Ok(to_qimen_custom(&parse_wdt(text)?).to_string())
}

/// Reads a Qimen custom reply and writes the standard one (compact JSON).
pub fn qimen_custom_to_wdt(text: &str) -> Result<String, ResponseError> {
    Ok(to_wdt(&parse_qimen_custom(text)?)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn qimen(text: &str) -> Value {
        serde_json::from_str(&wdt_to_qimen_custom(text).unwrap()).unwrap()
    }

    fn wdt(text: &str) -> Value {
        serde_json::from_str(&qimen_custom_to_wdt(text).unwrap()).unwrap()
    }

    #[test]
    fn wdt_success_and_failure_to_qimen_and_back() {
        let ok = r#"{"code":0,"message":"","new_count":1,"chg_count":0}"#;
        assert_eq!(
            qimen(ok),
            json!({"response":{"code":0,"message":"","new_count":1,"chg_count":0}})
        );
        let outcome = parse_wdt(ok).unwrap();
        assert_eq!(
            to_qimen_custom_flagged(&outcome, true),
            json!({"response":{"flag":"success","code":0,"message":"","new_count":1,"chg_count":0}})
        );
        assert_eq!(
            qimen_custom_to_wdt(&wdt_to_qimen_custom(ok).unwrap()).unwrap(),
            ok
        );

        let fail = r#"{"code":99,"message":"buyer_nick 不能只用一个字","hint":{"x":[1,2]}}"#;
        let q = qimen(fail);
        assert_eq!(
            q,
            json!({"response":{"flag":"failure","code":"99","message":"buyer_nick 不能只用一个字",
                   "sub_code":"99","sub_message":"buyer_nick 不能只用一个字","hint":{"x":[1,2]}}})
        );
        // Member order is kept, unknown members included.
        assert_eq!(qimen_custom_to_wdt(&q.to_string()).unwrap(), fail);

        // A string code is accepted; written back to wdt as an integer.
        let outcome = parse_wdt(r#"{"code":"1012","message":"too often"}"#).unwrap();
        assert!(matches!(&outcome, Outcome::WdtFailure { code: Code::Text(t), .. } if t == "1012"));
        assert_eq!(
            to_wdt(&outcome).unwrap(),
            json!({"code":1012,"message":"too often"})
        );
        assert!(matches!(
            parse_wdt(r#"{"code":"0","message":""}"#).unwrap(),
            Outcome::Success { .. }
        ));
    }

    #[test]
    fn qimen_failures_keep_both_levels() {
        let text = r#"{"response":{"flag":"failure","code":"15","message":"Remote service error",
            "sub_code":"99","sub_message":"shop not found","request_id":"abc123","type":"biz"}}"#;
        let outcome = parse_qimen_custom(text).unwrap();
        match &outcome {
            Outcome::WdtFailure {
                code,
                message,
                gateway,
                request_id,
                extra,
            } => {
                assert_eq!(code, &Code::Text("99".into()));
                assert_eq!(message, "shop not found");
                assert_eq!(
                    gateway,
                    &Some(GatewayCode {
                        code: Code::Text("15".into()),
                        message: "Remote service error".into()
                    })
                );
                assert_eq!(request_id.as_deref(), Some("abc123"));
                assert_eq!(extra, json!({"type":"biz"}).as_object().unwrap());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            wdt(text),
            json!({"code":99,"message":"shop not found","type":"biz"})
        );
        // Back to Qimen: the same members.
        assert_eq!(
            to_qimen_custom(&outcome),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn gateway_failures_have_no_standard_form() {
        let top = r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"bad","request_id":"r1"}}"#;
        let outcome = parse_qimen_custom(top).unwrap();
        assert!(matches!(
            outcome,
            Outcome::GatewayFailure {
                origin: GatewayOrigin::Top,
                ..
            }
        ));
        assert_eq!(to_qimen_custom(&outcome).to_string(), top);
        assert_eq!(
            qimen_custom_to_wdt(top).unwrap_err().to_string(),
            "expected a reply from wdt, found a gateway failure (`code` 50, `sub_code` \
             isv.invalid-parameter); the standard API has no such reply"
        );
        let qm = r#"{"response":{"flag":"failure","code":"isv.target-app-not-authorized","message":"no auth","request_id":"r2"}}"#;
        let outcome = parse_qimen_custom(qm).unwrap();
        assert!(matches!(
            &outcome,
            Outcome::GatewayFailure {
                origin: GatewayOrigin::Qimen,
                sub_code: None,
                ..
            }
        ));
        assert_eq!(to_qimen_custom(&outcome).to_string(), qm);
        // A non-numeric code without a flag is the gateway's too.
        let bare = r#"{"response":{"code":"isp.timeout","message":"t"}}"#;
        assert!(matches!(
            parse_qimen_custom(bare).unwrap(),
            Outcome::GatewayFailure {
                origin: GatewayOrigin::Qimen,
                ..
            }
        ));
    }

    #[test]
    fn qimen_success_shapes() {
        // wdt's payload passed through, with or without flag, under `response` or a
        // method-named root.
        for text in [
            r#"{"response":{"code":0,"message":"","total_count":2,"shops":[{"shop_no":"s1"}]}}"#,
            r#"{"response":{"flag":"success","code":0,"message":"","total_count":2,"shops":[{"shop_no":"s1"}],"request_id":"r"}}"#,
            r#"{"wdt_shop_query_response":{"code":"0","message":"","total_count":2,"shops":[{"shop_no":"s1"}]}}"#,
        ] {
            let v = wdt(text);
            assert_eq!(v["total_count"], 2, "{text}");
            assert_eq!(v["shops"][0]["shop_no"], "s1");
            assert!(v.get("flag").is_none() && v.get("request_id").is_none());
        }
        // A success without wdt's code gets one.
        assert_eq!(
            wdt(r#"{"response":{"flag":"success","data":[]}}"#),
            json!({"code":0,"message":"","data":[]})
        );
        // wdt's failure passed through without a flag.
        assert_eq!(
            wdt(r#"{"response":{"code":1012,"message":"too often"}}"#),
            json!({"code":1012,"message":"too often"})
        );
        let outcome = parse_qimen_custom(r#"{"response":{"code":0,"request_id":7}}"#).unwrap();
        assert_eq!(
            outcome,
            Outcome::Success {
                payload: json!({"code":0}).as_object().unwrap().clone(),
                request_id: Some("7".into())
            }
        );
        assert_eq!(
            to_qimen_custom(&outcome),
            json!({"response":{"code":0,"request_id":"7"}})
        );
    }

    #[test]
    fn malformed_replies_are_clear_errors() {
        let e = |r: Result<Outcome, ResponseError>| r.unwrap_err().to_string();
        assert!(e(parse_wdt("")).starts_with("expected JSON, found a syntax error: EOF"));
        assert!(e(parse_wdt("{\"code\":0")).starts_with("expected JSON, found a syntax error"));
        assert_eq!(
            e(parse_wdt("[1]")),
            "expected the document to be an object, found an array"
        );
        assert_eq!(
            e(parse_wdt("{}")),
            "expected a wdt reply with `code`, found none"
        );
        assert_eq!(
            e(parse_wdt(r#"{"code":null}"#)),
            "expected a wdt reply with `code`, found none"
        );
        assert_eq!(
            e(parse_wdt(r#"{"code":true}"#)),
            "expected `code` as an integer or a string, found a boolean"
        );
        assert_eq!(
            e(parse_wdt(r#"{"code":0.5}"#)),
            "expected `code` as an integer or a string, found a number with a fraction or out of range"
        );
        assert_eq!(
            e(parse_wdt(r#"{"code":1,"message":[]}"#)),
            "expected `message` as a string, found an array"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"code":0}"#)),
            "expected one root member `response` or `error_response`, found `code`"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{}"#)),
            "expected one root member `response` or `error_response`, found none"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"response":{},"error_response":{}}"#)),
            "expected one root member `response` or `error_response`, found `response`, `error_response`"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"response":"ok"}"#)),
            "expected `response` to be an object, found a string"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"response":{"flag":"ok"}}"#)),
            "expected `flag` `success` or `failure`, found `ok`"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"response":{"flag":1}}"#)),
            "expected `flag` as a string, found a number"
        );
        assert_eq!(
            e(parse_qimen_custom(r#"{"error_response":{"msg":{}}}"#)),
            "expected `msg` as a string, found an object"
        );
        // Deep nesting is refused by serde_json's recursion limit, not a stack overflow.
        let deep = format!(
            "{{\"code\":0,\"x\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(e(parse_wdt(&deep)).contains("recursion limit"));
    }

    #[test]
    fn every_prefix_of_a_reply_is_handled_without_panic() {
        let texts = [
            r#"{"response":{"flag":"failure","code":"15","message":"m","sub_code":"99","sub_message":"店","request_id":1,"x":[{"y":null}]}}"#,
            r#"{"error_response":{"code":50,"msg":"m","sub_code":"isv.x","sub_msg":"s"}}"#,
            r#"{"code":"0","message":"","list":[1.5,-2,"\u5e97"]}"#,
        ];
        for text in texts {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let prefix = &text[..end];
                let _ = parse_wdt(prefix).map(|o| (to_qimen_custom(&o), to_wdt(&o)));
                let _ = parse_qimen_custom(prefix).map(|o| (to_qimen_custom(&o), to_wdt(&o)));
            }
        }
    }

    #[test]
    fn decimals_go_through_floating_point() {
        // Documented limitation: numbers are serde_json numbers.
        assert_eq!(
            wdt_to_qimen_custom(r#"{"code":0,"amount":1.50,"text":"1.50"}"#).unwrap(),
            r#"{"response":{"code":0,"amount":1.5,"text":"1.50"}}"#
        );
    }
}
