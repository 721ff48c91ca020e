//! Query strings and form bodies decoded *with positions*: every parameter knows where its name
//! and value are in the original input, and can map a range of its decoded value back to the
//! raw bytes (so an issue found inside a percent-encoded JSON value can point at the right
//! place in the request as written).
//!
//! The decoding rules are those of [`crate::wire::params::parse`] (`+` is a space, `%XX` a
//! byte, UTF-8 required, empty segments skipped, a name given twice is an error).

use crate::wire::params::{decode_component, ParamError, ParamErrorKind};
use crate::wire::span::Span;
use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

/// One decoded parameter and where it is in the original input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedParam<'a> {
    /// The decoded name.
    pub name: Cow<'a, str>,
    /// The decoded value (what is signed and what the server reads).
    pub value: Cow<'a, str>,
    /// The value as written, still encoded.
    pub raw_value: &'a str,
    /// Where the name is in the original input.
    pub name_span: Span,
    /// Where the value is in the original input (as written; empty for `name` or `name=`).
    pub value_span: Span,
    /// Whether the value as written holds an escape (`%XX` or `+`), i.e. decoded and raw
    /// positions differ.
    pub percent_encoded: bool,
}

impl LocatedParam<'_> {
    /// The position in the original input of byte `decoded` of [`Self::value`] (clamped to the
    /// value's end). A decoded byte that came from `%XX` maps to the `%`.
    pub fn original_offset(&self, decoded: usize) -> usize {
        let start = self.value_span.start as usize;
        if !self.percent_encoded {
            return start + decoded.min(self.raw_value.len());
        }
        let raw = self.raw_value.as_bytes();
        let (mut at, mut count) = (0, 0);
        while at < raw.len() && count < decoded {
            at += if raw[at] == b'%' { 3 } else { 1 };
            count += 1;
        }
        start + at.min(raw.len())
    }

    /// The span in the original input of the decoded byte range `decoded` of [`Self::value`].
    pub fn original_span(&self, decoded: Range<usize>) -> Span {
        let start = self.original_offset(decoded.start);
        let end = self.original_offset(decoded.end.max(decoded.start));
        Span::new(start, end)
    }
}

/// Decodes `raw` (a query without its `?`, or a form body) whose first byte is at `base` in the
/// original input. Positions in the result and in errors are in the original input.
pub fn parse_located(raw: &str, base: usize) -> Result<Vec<LocatedParam<'_>>, ParamError> {
    let mut out: Vec<LocatedParam<'_>> = Vec::new();
    // Each name once, found in constant time: a counterparty controls how many there are.
    let mut seen: HashSet<Cow<'_, str>> = HashSet::new();
    let mut start = 0;
    for segment in raw.split('&') {
        let seg_start = start;
        start += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        let (raw_name, raw_value, value_at) = match segment.find('=') {
            Some(i) => (&segment[..i], &segment[i + 1..], seg_start + i + 1),
            None => (segment, "", seg_start + segment.len()),
        };
        let at = |e: ParamError| ParamError {
            kind: e.kind,
            offset: e.offset + base,
        };
        let name = decode_component(raw_name, seg_start).map_err(at)?;
        if name.is_empty() {
            return Err(ParamError {
                kind: ParamErrorKind::EmptyKey,
                offset: base + seg_start,
            });
        }
        let value = decode_component(raw_value, value_at).map_err(at)?;
        if !seen.insert(name.clone()) {
            return Err(ParamError {
                kind: ParamErrorKind::DuplicateKey(name.into_owned()),
                offset: base + seg_start,
            });
        }
        out.push(LocatedParam {
            name,
            value,
            raw_value,
            name_span: Span::new(base + seg_start, base + seg_start + raw_name.len()),
            value_span: Span::new(base + value_at, base + value_at + raw_value.len()),
            percent_encoded: raw_value.bytes().any(|b| b == b'%' || b == b'+'),
        });
    }
    Ok(out)
}

/// Where `inner` (a sub-slice of `outer`) starts in `outer`.
pub(crate) fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_in_the_original_input() {
        let input = "xx?a=1&b=%E5%BA%97+x&c&&d=";
        let params = parse_located(&input[3..], 3).unwrap();
        assert_eq!(params.len(), 4);
        let b = &params[1];
        assert_eq!((b.name.as_ref(), b.value.as_ref()), ("b", "店 x"));
        assert_eq!(&input[b.value_span.range()], "%E5%BA%97+x");
        assert_eq!(&input[b.name_span.range()], "b");
        assert!(b.percent_encoded && !params[0].percent_encoded);
        // 店 is decoded bytes 0..3 (raw 0..9), the space is byte 3 (raw `+` at 9), x is byte 4.
        assert_eq!(&input[b.original_span(0..3).range()], "%E5%BA%97");
        assert_eq!(&input[b.original_span(3..4).range()], "+");
        assert_eq!(&input[b.original_span(4..5).range()], "x");
        assert_eq!(b.original_offset(99), b.value_span.end as usize);
        let a = &params[0];
        assert_eq!(&input[a.original_span(0..1).range()], "1");
        assert_eq!(
            params[2].value_span,
            Span::new(input.len() - 4, input.len() - 4)
        );
        assert!(params[3].value.is_empty());
    }

    #[test]
    fn a_hundred_thousand_parameters_are_checked_for_duplicates_in_one_pass() {
        let form = crate::wire::params::tests::many(100_000);
        let params = parse_located(&form, 7).unwrap();
        assert_eq!(params.len(), 100_000);
        let last = &params[99_999];
        assert_eq!(&form[last.value_span.start as usize - 7..], "99999");
        let repeated = format!("{form}&p5%30000=x");
        let e = parse_located(&repeated, 7).unwrap_err();
        assert_eq!(
            (e.kind, e.offset),
            (
                ParamErrorKind::DuplicateKey("p50000".into()),
                7 + form.len() + 1
            )
        );
    }

    #[test]
    fn errors_point_into_the_original_input() {
        let e = parse_located("a=1&b=%ZZ", 10).unwrap_err();
        assert_eq!((e.kind, e.offset), (ParamErrorKind::BadPercent, 16));
        let e = parse_located("a=1&a=2", 10).unwrap_err();
        assert_eq!(e.offset, 14);
        let e = parse_located("=2", 5).unwrap_err();
        assert_eq!((e.kind, e.offset), (ParamErrorKind::EmptyKey, 5));
    }
}
