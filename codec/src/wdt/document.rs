//! A wdt body decoded into its generated model, the API chosen from the caller or the
//! document's top-level keys.

use crate::error::{utf8_input, Failure};
use crate::model::wdt::WdtBody;
use crate::model::wdt::WdtMethodSpec;
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
        None => (super::detect::detect(array, &keys)?, true),
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

/// The first byte of `input` after a byte order mark and whitespace.
pub(crate) fn first_byte(input: &str) -> Option<u8> {
    input
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .bytes()
        .next()
}
