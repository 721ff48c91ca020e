//! The recursive canonical text of JSON-valued parameters, for the 旗舰版-via-Qimen `wdt_sign`.
//!
//! A small strict JSON reader of its own, because the canonical text needs each number exactly
//! as written (`12.50` must stay `12.50`, as Java's `BigDecimal.toPlainString` keeps it), which
//! `serde_json::Value` cannot give without a workspace-wide feature. Rules:
//!
//! - object: members sorted by name (UTF-16 order, Java's `String.compareTo`), each written as
//!   name + canonical value; members whose value is `null` are left out, name included; a name
//!   given twice keeps its last value (as fastjson and Go's `encoding/json` do);
//! - array: the canonical values of the items in order, no names, `null` items left out;
//! - string: its text, unless the text itself is a JSON object or array, which is expanded;
//! - number: integers as written (`-0` → `0`); others as `BigDecimal.toPlainString` writes them
//!   (`1.50` → `1.50`, `1e3` → `1000`, `-0.0` → `0.0`);
//! - `true` / `false` as such.

use super::cmp_utf16;
use std::borrow::Cow;

/// Deepest nesting accepted, counting JSON nested inside JSON strings.
pub(crate) const MAX_DEPTH: usize = 128;
/// Longest number written out from an exponent (`1e999999999` is refused, not expanded).
pub(crate) const MAX_NUMBER_CHARS: usize = 400;

/// Why a JSON-valued parameter cannot be canonicalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A number whose plain form would be longer than [`MAX_NUMBER_CHARS`].
    NumberTooLong,
}

enum Value<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    Str(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// Not JSON (so the text is used as it is), or a hard failure.
enum ParseError {
    NotJson,
    Fail(Failure),
}

/// Appends the canonical text of a string value: expanded when it is a JSON object or array,
/// as it is otherwise. `depth` is the nesting already used.
pub(crate) fn push_text(text: &str, depth: usize, out: &mut String) -> Result<(), Failure> {
    let trimmed = text.trim_matches(is_json_space);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match parse_document(trimmed, depth) {
            Ok(value) => return push_value(&value, depth, out),
            Err(ParseError::Fail(f)) => return Err(f),
            Err(ParseError::NotJson) => {}
        }
    }
    out.push_str(text);
    Ok(())
}

/// Appends `name` + canonical value for each pair, sorted by name, skipping `null` values.
/// For the top level, where every value is text, use [`push_text`] per value instead.
fn push_members(
    members: &[(Cow<'_, str>, Value<'_>)],
    depth: usize,
    out: &mut String,
) -> Result<(), Failure> {
    let mut sorted: Vec<&(Cow<'_, str>, Value<'_>)> = members.iter().collect();
    // Stable: among equal names the last one written stays last.
    sorted.sort_by(|a, b| cmp_utf16(&a.0, &b.0));
    for (i, (name, value)) in sorted.iter().map(|m| (&m.0, &m.1)).enumerate() {
        let shadowed = sorted.get(i + 1).is_some_and(|next| next.0 == *name);
        if shadowed || matches!(value, Value::Null) {
            continue;
        }
        out.push_str(name);
        push_value(value, depth + 1, out)?;
    }
    Ok(())
}

fn push_value(value: &Value<'_>, depth: usize, out: &mut String) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::TooDeep);
    }
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(text) => out.push_str(&plain_number(text)?),
        Value::Str(s) => push_text(s, depth + 1, out)?,
        Value::Array(items) => {
            for item in items {
                push_value(item, depth + 1, out)?;
            }
        }
        Value::Object(members) => push_members(members, depth, out)?,
    }
    Ok(())
}

/// Java's plain form of a JSON number (already checked against the JSON grammar).
fn plain_number(text: &str) -> Result<String, Failure> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let mut digits: String = format!("{int_part}{frac_part}");
    let zero = digits.bytes().all(|b| b == b'0');
    let sign = if negative && !zero { "-" } else { "" };
    if exponent.is_none() && frac_part.is_empty() {
        // Integer / Long / BigInteger: as written, without the sign of zero.
        return Ok(if zero {
            "0".to_string()
        } else {
            text.to_string()
        });
    }
    let exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let e = e.strip_prefix('+').unwrap_or(e);
            // More than 6 digits can only be refused or be zero-padding nonsense.
            let magnitude = e.trim_start_matches('-').trim_start_matches('0');
            if magnitude.len() > 6 {
                return Err(Failure::NumberTooLong);
            }
            e.parse().map_err(|_| Failure::NumberTooLong)?
        }
    };
    let frac_len = i64::try_from(frac_part.len()).map_err(|_| Failure::NumberTooLong)?;
    let scale = frac_len - exp;
    // Unscaled value without leading zeros (BigDecimal keeps none).
    let first = digits.find(|c| c != '0').unwrap_or(digits.len() - 1);
    digits.drain(..first);
    let out = if scale <= 0 {
        if zero {
            "0".to_string()
        } else {
            let pad = usize::try_from(-scale).map_err(|_| Failure::NumberTooLong)?;
            if digits.len() + pad > MAX_NUMBER_CHARS {
                return Err(Failure::NumberTooLong);
            }
            format!("{sign}{digits}{}", "0".repeat(pad))
        }
    } else {
        let scale = usize::try_from(scale).map_err(|_| Failure::NumberTooLong)?;
        if scale.max(digits.len()) + 2 > MAX_NUMBER_CHARS {
            return Err(Failure::NumberTooLong);
        }
        if digits.len() <= scale {
            format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        } else {
            let point = digits.len() - scale;
            format!("{sign}{}.{}", &digits[..point], &digits[point..])
        }
    };
    Ok(out)
}

fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Parses a whole document that must be an object or an array (surrounding JSON whitespace
/// allowed).
fn parse_document(text: &str, depth: usize) -> Result<Value<'_>, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    p.skip_space();
    let value = p.value(depth)?;
    p.skip_space();
    if p.pos != p.bytes.len() || !matches!(value, Value::Array(_) | Value::Object(_)) {
        return Err(ParseError::NotJson);
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(ParseError::NotJson)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::Fail(Failure::TooDeep));
        }
        match self.bytes.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                self.skip_space();
                if self.eat(b'}') {
                    return Ok(Value::Object(members));
                }
                loop {
                    self.skip_space();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(ParseError::NotJson);
                    }
                    let name = self.string()?;
                    self.skip_space();
                    if !self.eat(b':') {
                        return Err(ParseError::NotJson);
                    }
                    self.skip_space();
                    let value = self.value(depth + 1)?;
                    members.push((name, value));
                    self.skip_space();
                    if self.eat(b',') {
                        continue;
                    }
                    if self.eat(b'}') {
                        return Ok(Value::Object(members));
                    }
                    return Err(ParseError::NotJson);
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    self.skip_space();
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    if self.eat(b',') {
                        continue;
                    }
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    return Err(ParseError::NotJson);
                }
            }
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') => self.literal("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.literal("false").map(|()| Value::Bool(false)),
            Some(b'n') => self.literal("null").map(|()| Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(ParseError::NotJson),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value<'a>, ParseError> {
        let start = self.pos;
        self.eat(b'-');
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(ParseError::NotJson),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(ParseError::NotJson);
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(ParseError::NotJson);
            }
        }
        Ok(Value::Number(&self.text[start..self.pos]))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let chunk = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or(ParseError::NotJson)?;
        let mut n = 0u32;
        for &b in chunk {
            let d = char::from(b).to_digit(16).ok_or(ParseError::NotJson)?;
            n = n * 16 + d;
        }
        self.pos += 4;
        Ok(n)
    }

    /// A string starting at the opening quote. Borrows when it holds no escape.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(ParseError::NotJson);
            };
            match b {
                b'"' => {
                    let tail = &self.text[run..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    let escape = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    let c = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err(ParseError::NotJson);
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(ParseError::NotJson);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            // Lone low surrogates are not chars: not JSON we can sign.
                            char::from_u32(code).ok_or(ParseError::NotJson)?
                        }
                        _ => return Err(ParseError::NotJson),
                    };
                    s.push(c);
                    run = self.pos;
                }
                0x00..=0x1f => return Err(ParseError::NotJson),
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> Result<String, Failure> {
        let mut out = String::new();
        push_text(text, 0, &mut out)?;
        Ok(out)
    }

    #[test]
    fn objects_sorted_nulls_dropped_arrays_in_order() {
        assert_eq!(
            canon(r#"{"b":2,"a":{"y":[1,null,"x"],"x":null},"c":true,"d":false}"#).unwrap(),
            "ay1xb2ctruedfalse"
        );
        assert_eq!(
            canon(r#" [ {"k":"v"}, 3 ] "#).unwrap(),
            "kv3",
            "surrounding whitespace is fine"
        );
        assert_eq!(canon("{}").unwrap(), "");
    }

    #[test]
    fn json_inside_strings_is_expanded() {
        assert_eq!(
            canon(r#"{"inner":"{\"z\":1,\"a\":\"q\"}"}"#).unwrap(),
            "inneraqz1"
        );
    }

    #[test]
    fn text_that_is_not_an_object_or_array_is_kept() {
        for text in [
            "plain",
            "",
            "null",
            "12",
            "{not json",
            "[1,]",
            r#"{"a":1} trailing"#,
            r#"{"a":01}"#,
            "[\"\\ud800\"]",
            "[\"a\u{1}\"]",
        ] {
            assert_eq!(canon(text).unwrap(), text);
        }
    }

    #[test]
    fn escapes_and_surrogate_pairs() {
        assert_eq!(
            canon(r#"["a\"b\\c\/d\n\u5e97\ud83d\ude00"]"#).unwrap(),
            "a\"b\\c/d\n店😀"
        );
    }

    #[test]
    fn duplicate_names_keep_the_last_value() {
        assert_eq!(canon(r#"{"a":1,"b":2,"a":3}"#).unwrap(), "a3b2");
        assert_eq!(canon(r#"{"a":1,"a":null}"#).unwrap(), "");
    }

    #[test]
    fn numbers_as_big_decimal_plain_strings() {
        for (json, plain) in [
            ("0", "0"),
            ("-0", "0"),
            ("42", "42"),
            ("-42", "-42"),
            ("12345678901234567890123", "12345678901234567890123"),
            ("1.50", "1.50"),
            ("-0.0", "0.0"),
            ("0.001", "0.001"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("1.5e2", "150"),
            ("1.25e1", "12.5"),
            ("1.5e-3", "0.0015"),
            ("-12e-1", "-1.2"),
            ("0e5", "0"),
            ("0.0e-2", "0.000"),
            ("120e-3", "0.120"),
        ] {
            assert_eq!(plain_number(json).unwrap(), plain, "{json}");
        }
        assert_eq!(plain_number("1e999999999"), Err(Failure::NumberTooLong));
        assert_eq!(plain_number("1e5000"), Err(Failure::NumberTooLong));
        assert_eq!(plain_number("1e-5000"), Err(Failure::NumberTooLong));
        assert_eq!(plain_number("1e0000000000003").unwrap(), "1000");
    }

    #[test]
    fn depth_is_bounded_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(canon(&deep), Err(Failure::TooDeep));
        let ok = "[".repeat(64) + "1" + &"]".repeat(64);
        assert_eq!(canon(&ok).unwrap(), "1");
        // JSON in a string in JSON counts towards the same depth.
        let inner = "[".repeat(100) + "1" + &"]".repeat(100);
        assert_eq!(canon(&inner).unwrap(), "1");
        let quoted = serde_json::to_string(&serde_json::Value::String(inner)).unwrap();
        let nested = "[".repeat(40) + &quoted + &"]".repeat(40);
        assert_eq!(canon(&nested), Err(Failure::TooDeep));
    }
}
