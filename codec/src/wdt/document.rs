//! A wdt body decoded into its generated model, the API chosen from the caller or the
//! document's top-level keys.

use crate::error::{utf8_input, Failure};
use crate::model::wdt::WdtBody;
use crate::model::wdt::WdtMethodSpec;
use crate::model::{FieldSpec, Item, List, Map, Node, Unknown, Visitor};
use crate::options::Limits;
use crate::wire::text::Text;

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
    // The usual case: a request of the method given. Decoding it checks the whole syntax, so
    // the pass that only collects the top-level keys is not needed, unless the document turns
    // out to carry a reply's `code` (or does not decode at all: the full path then says why).
    if let Some(m) = method {
        if let Ok(body) = m.request.decode(input, limits) {
            if !top_level_code(&body) {
                let bare = m.request.bare().is_some() && first_byte(input) == Some(b'[');
                return Ok(WdtDocument {
                    input,
                    body,
                    bare,
                    detected: false,
                });
            }
        }
    }
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

/// Whether a decoded body's top-level object has a `code` key (what marks a reply), or its
/// contract defines one (then it cannot tell a reply): answered conservatively `true`.
fn top_level_code(body: &WdtBody<'_>) -> bool {
    struct Code(bool);
    impl<'a> Visitor<'a> for Code {
        fn root<T: Node<'a>>(&mut self, node: &T) {
            self.0 = T::SPEC.fields.iter().any(|f| f.name == "code")
                || node.unknown().iter().any(|u| u.name == "code");
        }
        fn text(&mut self, _: &'static FieldSpec, _: Option<&Text<'a>>) {}
        fn node<T: Node<'a>>(&mut self, _: &'static FieldSpec, _: Option<&T>) {}
        fn list<T: Item<'a>>(&mut self, _: &'static FieldSpec, _: Option<&List<'a, T>>) {}
        fn map(&mut self, _: &'static FieldSpec, _: Option<&Map<'a>>) {}
        fn unknown(&mut self, _: &[Unknown<'a>]) {}
    }
    let mut code = Code(false);
    body.visit(&mut code);
    code.0
}

/// The first byte of `input` after a byte order mark and whitespace.
pub(crate) fn first_byte(input: &str) -> Option<u8> {
    input
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .bytes()
        .next()
}
