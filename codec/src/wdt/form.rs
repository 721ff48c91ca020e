//! wdt business parameters as they travel: an `application/x-www-form-urlencoded` body whose
//! JSON-valued parameters (`trade_list=[…]`) are percent-encoded JSON text.
//!
//! [`FormJson::from_form`] turns the business parameters into one JSON object (scalars become
//! JSON strings, JSON-valued parameters are inserted as their text) and remembers, for every
//! byte of that object, the byte of the form it came from. The object is then decoded and
//! validated like any wdt JSON, and [`FormJson::original`] maps every issue back into the
//! form, so positions point into the bytes that were actually sent.

use crate::model::{FieldKind, StructSpec};
use crate::wire::json_escape::escape_into;
use crate::wire::located::{parse_located, LocatedParam};
use crate::wire::params::ParamError;

/// Parameters that belong to the transport (wdt system parameters and Qimen's), not to the
/// business JSON; they are checked by whole-request lint.
pub const SYSTEM_PARAMS: &[&str] = &[
    "sid",
    "appkey",
    "timestamp",
    "sign",
    "sign_method",
    "method",
    "app_key",
    "target_app_key",
    "format",
    "v",
    "partner_id",
    "session",
    "simplify",
    "customerId",
    "wdt3_customer_id",
    "wdt_appkey",
    "wdt_salt",
    "wdt_sign",
];

/// The business parameters of a form, as one JSON object, with the way back into the form.
#[derive(Debug, Clone)]
pub struct FormJson {
    /// The JSON object text.
    pub json: String,
    /// For each byte of `json` (plus one past the end), the form offset it came from.
    map: Vec<u32>,
    /// The business parameters in the order written, with where their values are in `json`.
    pub params: Vec<FormParam>,
}

/// One business parameter's place in [`FormJson::json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormParam {
    /// The decoded name.
    pub name: String,
    /// Where the value is in `json`: the JSON text itself for a JSON-valued parameter (byte for
    /// byte the decoded value), the content between the quotes for a scalar one (the decoded
    /// value, JSON-escaped).
    pub json: std::ops::Range<usize>,
    /// Whether the value was inserted as JSON text rather than as a JSON string.
    pub holds_json: bool,
}

impl FormJson {
    /// Builds the object from `form` (the body text). `root` is the request's field table, to
    /// know which parameters hold JSON; without one, values that start with `[` or `{` are
    /// taken as JSON.
    pub fn from_form(form: &str, root: Option<&StructSpec>) -> Result<FormJson, ParamError> {
        let mut json = String::with_capacity(form.len() + 16);
        let mut map: Vec<u32> = Vec::with_capacity(form.len() + 16);
        let mut params = Vec::new();
        json.push('{');
        map.push(0);
        for p in parse_located(form, 0)? {
            if SYSTEM_PARAMS.contains(&p.name.as_ref()) {
                continue;
            }
            let value_map = byte_map(&p);
            let (value, seg_start) = (&p.value, p.name_span.start as usize);
            let holds_json = match root.and_then(|r| r.field(&p.name)) {
                Some(f) => matches!(
                    f.kind,
                    FieldKind::List(_) | FieldKind::Struct(_) | FieldKind::Map
                ),
                None => value.trim_start().starts_with(['[', '{']),
            };
            if json.len() > 1 {
                push_mapped(&mut json, &mut map, ",", seg_start);
            }
            let mut quoted_key = String::from("\"");
            escape_into(&p.name, &mut quoted_key);
            quoted_key.push_str("\":");
            push_mapped(&mut json, &mut map, &quoted_key, seg_start);
            let value_at;
            if holds_json {
                value_at = json.len();
                json.push_str(value);
                map.extend_from_slice(&value_map[..value.len()]);
            } else {
                push_mapped(&mut json, &mut map, "\"", p.value_span.start as usize);
                value_at = json.len();
                for (i, c) in value.char_indices() {
                    let mut buf = String::new();
                    escape_into(c.encode_utf8(&mut [0; 4]), &mut buf);
                    push_mapped(&mut json, &mut map, &buf, value_map[i] as usize);
                }
            }
            params.push(FormParam {
                name: p.name.to_string(),
                json: value_at..json.len(),
                holds_json,
            });
            if !holds_json {
                push_mapped(&mut json, &mut map, "\"", p.value_span.end as usize);
            }
        }
        push_mapped(&mut json, &mut map, "}", form.len());
        map.push(form.len() as u32);
        Ok(FormJson { json, map, params })
    }

    /// The form offset that byte `offset` of [`Self::json`] came from.
    pub fn original(&self, offset: u32) -> u32 {
        let i = (offset as usize).min(self.map.len() - 1);
        self.map[i]
    }

    /// Maps a span of [`Self::json`] back into the form: from where its first byte came to just
    /// past where its last byte came from.
    pub fn original_span(&self, span: crate::wire::span::Span) -> crate::wire::span::Span {
        let start = self.original(span.start);
        let end = if span.end > span.start {
            // The last byte's source, plus its encoded width (up to the next source offset).
            let last = self.original(span.end - 1);
            let next = self.original(span.end);
            next.max(last + 1)
        } else {
            start
        };
        // Synthesised bytes (braces, keys) may map past an empty value: stay inside the form.
        let len = *self.map.last().unwrap_or(&0);
        crate::wire::span::Span {
            start: start.min(len),
            end: end.max(start).min(len),
        }
    }
}

fn push_mapped(json: &mut String, map: &mut Vec<u32>, text: &str, from: usize) {
    json.push_str(text);
    map.extend(std::iter::repeat_n(from as u32, text.len()));
}

/// For each byte of `p`'s decoded value (plus one past the end), the offset in the form of the
/// byte or `%XX` escape it came from.
fn byte_map(p: &LocatedParam<'_>) -> Vec<u32> {
    let raw = p.raw_value.as_bytes();
    let start = p.value_span.start;
    let mut map = Vec::with_capacity(p.value.len() + 1);
    let mut at = 0;
    while at < raw.len() {
        map.push(start + at as u32);
        at += if raw[at] == b'%' { 3 } else { 1 };
    }
    map.push(p.value_span.end);
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::span::Span;

    #[test]
    fn business_params_become_one_object_and_map_back() {
        let form = "sid=s1&appkey=k&timestamp=1&shop_no=api%5Ftest&switch=0&trade_list=%5B%7B%22buyer_message%22%3A%22%26%26%26%2B%22%7D%5D&sign=x";
        let f = FormJson::from_form(form, None).unwrap();
        assert_eq!(
            f.json,
            r#"{"shop_no":"api_test","switch":"0","trade_list":[{"buyer_message":"&&&+"}]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&f.json).unwrap();
        assert_eq!(v["trade_list"][0]["buyer_message"], "&&&+");
        // `&&&+` inside the JSON maps back to `%26%26%26%2B` in the form.
        let at = f.json.find("&&&+").unwrap();
        let span = f.original_span(Span::new(at, at + 4));
        assert_eq!(&form[span.range()], "%26%26%26%2B");
        // A plain value maps back to its raw text.
        let at = f.json.find("api_test").unwrap();
        let span = f.original_span(Span::new(at, at + 8));
        assert_eq!(&form[span.range()], "api%5Ftest");
        // Each business parameter knows where its value is in the object.
        let places: Vec<(&str, &str, bool)> = f
            .params
            .iter()
            .map(|p| (p.name.as_str(), &f.json[p.json.clone()], p.holds_json))
            .collect();
        assert_eq!(
            places,
            [
                ("shop_no", "api_test", false),
                ("switch", "0", false),
                ("trade_list", r#"[{"buyer_message":"&&&+"}]"#, true)
            ]
        );
    }

    #[test]
    fn broken_escapes_and_duplicates_are_refused() {
        assert!(FormJson::from_form("trade_list=%5B%", None).is_err());
        assert!(FormJson::from_form("a=1&a=2", None).is_err());
        assert!(FormJson::from_form("a=%FF", None).is_err());
    }
}
