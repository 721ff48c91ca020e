//! URL query strings and form bodies (`k=v&k2=v2`, `application/x-www-form-urlencoded`).
//!
//! [`parse`] decodes the pairs in the order they were written: `+` is a space, `%XX` is a byte,
//! and the decoded bytes must be UTF-8. Decoding borrows the input when a part holds no escape.
//! Empty segments (`a=1&&b=2`, a trailing `&`) are ignored, a segment without `=` is a key with
//! an empty value, and one leading `?` is skipped so a query copied from a URL works as it is.
//!
//! Errors, never panics: a `%` not followed by two hex digits, decoded bytes that are not UTF-8,
//! an empty key, and a key given twice (the two sides of a signed call would disagree on which
//! copy counts).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// One decoded `key=value` pair, borrowing the input when nothing had to be unescaped.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// What is wrong with a query or form string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamErrorKind {
    /// A `%` not followed by two hex digits.
    BadPercent,
    /// The percent-decoded bytes of a key or value are not UTF-8.
    NotUtf8,
    /// A segment such as `=v` has no key.
    EmptyKey,
    /// The (decoded) key appears more than once.
    DuplicateKey(String),
}

/// A query or form string that cannot be decoded into unambiguous pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// What is wrong.
    pub kind: ParamErrorKind,
    /// Byte offset in the input (after a skipped leading `?`, counted from the real start) of
    /// the offending escape, or of the start of the offending segment.
    pub offset: usize,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParamErrorKind::BadPercent => write!(
                f,
                "expected two hex digits after `%`, at byte {}",
                self.offset
            ),
            ParamErrorKind::NotUtf8 => write!(
                f,
                "percent-decoded bytes are not UTF-8, in the segment at byte {}",
                self.offset
            ),
            ParamErrorKind::EmptyKey => {
                write!(
                    f,
                    "empty parameter name, in the segment at byte {}",
                    self.offset
                )
            }
            ParamErrorKind::DuplicateKey(k) => write!(
                f,
                "parameter `{k}` is given more than once (again at byte {})",
                self.offset
            ),
        }
    }
}

impl std::error::Error for ParamError {}

impl ParamError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        let at = self.offset;
        match &self.kind {
            ParamErrorKind::BadPercent => format!("第 {at} 字节处 `%` 后面应跟两位十六进制数字"),
            ParamErrorKind::NotUtf8 => format!("第 {at} 字节起的一段百分号解码后不是 UTF-8"),
            ParamErrorKind::EmptyKey => format!("第 {at} 字节起的一段参数名为空"),
            ParamErrorKind::DuplicateKey(k) => {
                format!("参数 `{k}` 出现了不止一次（第 {at} 字节处再次出现）")
            }
        }
    }
}

/// Up to this many keys, [`parse`] looks for a duplicate key by comparing with each.
const LINEAR_KEYS: usize = 16;

/// Decodes `k=v&k2=v2` into pairs, in input order. See the module docs for the rules.
///
/// ```
/// let pairs = qmwire::wire::params::parse("a=1+2&b=%E5%BA%97&c").unwrap();
/// assert_eq!(pairs[0], ("a".into(), "1 2".into()));
/// assert_eq!(pairs[1], ("b".into(), "店".into()));
/// assert_eq!(pairs[2], ("c".into(), "".into()));
/// assert!(qmwire::wire::params::parse("a=%E5%B").is_err());
/// ```
pub fn parse(input: &str) -> Result<Vec<Pair<'_>>, ParamError> {
    let (body, base) = match input.strip_prefix('?') {
        Some(rest) => (rest, 1),
        None => (input, 0),
    };
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    // Each key once. A real query has a dozen keys, compared faster one by one than hashed;
    // past [`LINEAR_KEYS`] they go into a set, found in constant time: a counterparty
    // controls how many there are.
    let mut seen: Option<HashSet<Cow<'_, str>>> = None;
    let mut start = base;
    for segment in body.split('&') {
        let seg_start = start;
        start += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        let (raw_key, raw_value, value_start) = match segment.find('=') {
            Some(i) => (&segment[..i], &segment[i + 1..], seg_start + i + 1),
            None => (segment, "", seg_start + segment.len()),
        };
        let key = decode_component(raw_key, seg_start)?;
        if key.is_empty() {
            return Err(ParamError {
                kind: ParamErrorKind::EmptyKey,
                offset: seg_start,
            });
        }
        let value = decode_component(raw_value, value_start)?;
        let duplicate = match &mut seen {
            Some(set) => !set.insert(key.clone()),
            None => {
                let duplicate = pairs.iter().any(|(k, _)| *k == key);
                if !duplicate && pairs.len() >= LINEAR_KEYS {
                    let keys = pairs.iter().map(|(k, _)| k.clone());
                    seen = Some(keys.chain([key.clone()]).collect());
                }
                duplicate
            }
        };
        if duplicate {
            return Err(ParamError {
                kind: ParamErrorKind::DuplicateKey(key.into_owned()),
                offset: seg_start,
            });
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Decodes one key or value: `+` → space, `%XX` → byte, then UTF-8. `offset` is where `raw`
/// starts in the whole input, for error positions.
pub fn decode_component(raw: &str, offset: usize) -> Result<Cow<'_, str>, ParamError> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
                    _ => {
                        return Err(ParamError {
                            kind: ParamErrorKind::BadPercent,
                            offset: offset + i,
                        })
                    }
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| ParamError {
            kind: ParamErrorKind::NotUtf8,
            offset,
        })
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Form-encodes one key or value the way Java's `URLEncoder` does: ASCII letters, digits and
/// `-_.*` stay, a space becomes `+`, every other byte of the UTF-8 text becomes `%XX`.
pub fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out
}

/// Form-encodes pairs as `k=v&k2=v2`, in the given order; [`parse`] gives them back.
pub fn encode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode_component(k.as_ref()));
        out.push('=');
        out.push_str(&encode_component(v.as_ref()));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn owned(input: &str) -> Vec<(String, String)> {
        parse(input)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn kind(input: &str) -> (ParamErrorKind, usize) {
        let e = parse(input).unwrap_err();
        (e.kind, e.offset)
    }

    #[test]
    fn decodes_plus_percent_and_utf8_in_order() {
        assert_eq!(
            owned("timestamp=2020-09-29+13%3A38%3A26&b=%E5%BA%97%E9%93%BA1&a=x%2By%26z%3D"),
            vec![
                ("timestamp".into(), "2020-09-29 13:38:26".into()),
                ("b".into(), "店铺1".into()),
                ("a".into(), "x+y&z=".into()),
            ]
        );
    }

    #[test]
    fn borrows_when_nothing_is_escaped() {
        let pairs = parse("a=1&b=2").unwrap();
        assert!(matches!(pairs[0].0, Cow::Borrowed(_)));
        assert!(matches!(pairs[1].1, Cow::Borrowed(_)));
    }

    #[test]
    fn empty_segments_missing_equals_and_leading_question_mark() {
        assert_eq!(
            owned("?a=1&&b&c=&d=x=y&"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "".into()),
                ("d".into(), "x=y".into()),
            ]
        );
        assert!(parse("").unwrap().is_empty());
        assert!(parse("&&&").unwrap().is_empty());
    }

    #[test]
    fn bad_input_is_an_error_with_a_position() {
        assert_eq!(kind("a=%"), (ParamErrorKind::BadPercent, 2));
        assert_eq!(kind("a=1&b=%4"), (ParamErrorKind::BadPercent, 6));
        assert_eq!(kind("a=%G0"), (ParamErrorKind::BadPercent, 2));
        assert_eq!(kind("a=%%41"), (ParamErrorKind::BadPercent, 2));
        assert_eq!(kind("?x=%ZZ"), (ParamErrorKind::BadPercent, 3));
        assert_eq!(kind("a=1&b=%FF"), (ParamErrorKind::NotUtf8, 6));
        assert_eq!(kind("a=%E5%BA"), (ParamErrorKind::NotUtf8, 2));
        assert_eq!(kind("a=1&=2"), (ParamErrorKind::EmptyKey, 4));
        assert_eq!(
            kind("a=1&b=2&a=3"),
            (ParamErrorKind::DuplicateKey("a".into()), 8)
        );
        // Duplicates are found after decoding.
        assert_eq!(
            kind("a=1&%61=3"),
            (ParamErrorKind::DuplicateKey("a".into()), 4)
        );
        // A multi-byte character right after `%` must not split a char boundary.
        assert_eq!(kind("a=%店"), (ParamErrorKind::BadPercent, 2));
        assert_eq!(kind("a=%1店"), (ParamErrorKind::BadPercent, 2));
        assert!(parse("a=%E5%BA%97").is_ok());
        let msg = parse("a=1&a=2").unwrap_err().to_string();
        assert_eq!(
            msg,
            "parameter `a` is given more than once (again at byte 4)"
        );
    }

    /// `p0=0&p1=1&…`, `n` parameters.
    pub(crate) fn many(n: usize) -> String {
        (0..n)
            .map(|i| format!("p{i}={i}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn a_hundred_thousand_parameters_are_checked_for_duplicates_in_one_pass() {
        // Pairwise, this took over 15 s; each name is now looked up once.
        let query = many(100_000);
        let pairs = parse(&query).unwrap();
        assert_eq!(pairs.len(), 100_000);
        assert_eq!(pairs[99_999], ("p99999".into(), "99999".into()));
        // A repeat at the very end, written differently, is still found, at its own segment.
        let repeated = format!("{query}&p%30=again");
        let e = parse(&repeated).unwrap_err();
        assert_eq!(
            (e.kind, e.offset),
            (ParamErrorKind::DuplicateKey("p0".into()), query.len() + 1)
        );
    }

    #[test]
    fn duplicates_are_found_on_both_sides_of_the_set_switch() {
        // Every count around the point where keys move from the list into the set, each key
        // repeated: the first key, the last one before the repeat, and no repeat at all.
        for n in 1..=LINEAR_KEYS + 3 {
            let query = many(n);
            assert_eq!(parse(&query).unwrap().len(), n);
            for repeat in [0, n - 1] {
                let again = format!("{query}&p{repeat}=x&tail=1");
                let e = parse(&again).unwrap_err();
                assert_eq!(
                    (e.kind, e.offset),
                    (
                        ParamErrorKind::DuplicateKey(format!("p{repeat}")),
                        query.len() + 1
                    ),
                    "{n} keys, p{repeat} again"
                );
            }
            let later = format!("{query}&new=1&more=2&new=3");
            let e = parse(&later).unwrap_err();
            assert_eq!(e.kind, ParamErrorKind::DuplicateKey("new".into()));
        }
    }

    #[test]
    fn encode_is_java_urlencoder() {
        assert_eq!(
            encode_component("a b+c&d=e%f~店😀*-_."),
            "a+b%2Bc%26d%3De%25f%7E%E5%BA%97%F0%9F%98%80*-_."
        );
        assert_eq!(
            encode(&[("k", "v 1"), ("名", "值")]),
            "k=v+1&%E5%90%8D=%E5%80%BC"
        );
    }
}
