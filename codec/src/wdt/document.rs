//! A wdt body decoded into its generated model, the API chosen from the caller or the
//! document's top-level keys.

use crate::error::{utf8_input, Failure};
use crate::model::wdt::WdtMethodSpec;
use crate::model::wdt::{WdtBody, WdtBodyKind, WDT_BODY_KINDS};
use crate::model::Direction;
use crate::options::Limits;

/// A decoded wdt document.
#[derive(Debug)]
pub struct WdtDocument<'a> {
    /// The input text.
    pub input: &'a str,
    /// The decoded body.
    pub body: WdtBody<'a>,
    /// Whether the document was a bare array standing for the body's list field.
    pub bare: bool,
    /// Whether the kind was detected from the document's shape.
    pub detected: bool,
}

/// Decodes `bytes` as a wdt body: as `method`'s request (or response, when the document looks
/// like one) when given, otherwise as whichever body the top-level keys fit.
pub fn decode_wdt<'a>(
    bytes: &'a [u8],
    method: Option<&'static WdtMethodSpec>,
    limits: &Limits,
) -> Result<WdtDocument<'a>, Failure> {
    let input = utf8_input(bytes).map_err(Failure::Json)?;
    let (array, keys) =
        crate::json::decode::top_level_keys(input, limits).map_err(Failure::Json)?;
    let (kind, detected) = match method {
        Some(m) if !array && keys.iter().any(|k| k == "code") => (m.response, false),
        Some(m) => (m.request, false),
        None => (detect(array, &keys)?, true),
    };
    let body = kind.decode(input, limits).map_err(Failure::Json)?;
    let bare = kind.bare().is_some() && first_byte(input) == Some(b'[');
    Ok(WdtDocument {
        input,
        body,
        bare,
        detected,
    })
}

pub(crate) fn first_byte(input: &str) -> Option<u8> {
    input
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .bytes()
        .next()
}

/// Which body the document's keys fit best: the kind whose root (or, for an array, whose bare
/// list's items) shares the most keys with the document. Ties are refused, not guessed.
fn detect(array: bool, keys: &[std::borrow::Cow<'_, str>]) -> Result<WdtBodyKind, Failure> {
    let mut scored: Vec<(usize, WdtBodyKind)> = WDT_BODY_KINDS
        .iter()
        .filter_map(|&k| {
            let spec = if array {
                let list = k.spec().field(k.bare()?)?;
                match list.kind {
                    crate::model::FieldKind::List(item) => match item.kind {
                        crate::model::FieldKind::Struct(s) => s,
                        _ => return None,
                    },
                    _ => return None,
                }
            } else {
                k.spec()
            };
            let hits = keys.iter().filter(|key| spec.field(key).is_some()).count();
            Some((hits, k))
        })
        .filter(|&(hits, _)| hits > 0)
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [] => Err(Failure::Shape {
            message: format!(
                "cannot tell which wdt API this {} is for: none of its keys belongs to a known body; pass --method (`qmwire methods` lists them)",
                if array { "array" } else { "object" }
            ),
        }),
        [(best, kind), rest @ ..] if rest.first().is_none_or(|(n, _)| n < best) => Ok(*kind),
        [(best, _), ..] => {
            let names: Vec<String> = scored
                .iter()
                .filter(|(n, _)| n == best)
                .map(|(_, k)| {
                    let dir = match k.direction() {
                        Direction::Request => "request",
                        Direction::Response => "response",
                    };
                    format!("`{}` {dir}", k.method())
                })
                .collect();
            Err(Failure::Shape {
                message: format!(
                    "cannot tell the wdt API from the document: it fits {} equally well; pass --method",
                    names.join(" and ")
                ),
            })
        }
    }
}
