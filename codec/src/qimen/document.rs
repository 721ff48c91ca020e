//! A Qimen body decoded into its generated model, the method chosen from the caller or the
//! document's shape.

use crate::error::{utf8_input, Failure};
use crate::model::qimen::MethodSpec;
use crate::model::qimen::QimenBody;
use crate::options::Limits;
use crate::qimen::detect::{self, Route};
use crate::wire::span::Span;
use crate::xml::decode::check_document;

/// A decoded Qimen document: the input, the body and how its kind was chosen.
#[derive(Debug)]
pub struct QimenDocument<'a> {
    /// The input text.
    pub input: &'a str,
    /// The decoded body.
    pub body: QimenBody<'a>,
    /// The method, when the body belongs to one (not for the generic envelopes).
    pub method: Option<&'static str>,
    /// Whether the kind was detected from the document's shape.
    pub detected: bool,
    /// Spans of attribute lists on decoded elements; the model does not keep attributes.
    pub attributes: Vec<Span>,
}

fn root_offset(input: &str) -> usize {
    // Best effort: the first `<` that opens an element (not `<?` or `<!`).
    input
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| !matches!(input.as_bytes().get(i + 1), Some(b'?' | b'!')))
        .unwrap_or(0)
}

/// Decodes `bytes` as a Qimen body, using `method` when given and the document's shape otherwise.
pub fn decode_qimen<'a>(
    bytes: &'a [u8],
    method: Option<&'static MethodSpec>,
    limits: &Limits,
) -> Result<QimenDocument<'a>, Failure> {
    let input = utf8_input(bytes).map_err(Failure::Xml)?;
    let route = detect::route(input, method, limits).map_err(Failure::Xml)?;
    let (kind, detected) = match route {
        Route::Body { kind, detected } => (kind, detected),
        Route::Ambiguous { methods, root } => {
            check_document(input, limits).map_err(Failure::Xml)?;
            return Err(Failure::Ambiguous {
                methods,
                root,
                at: root_offset(input),
            });
        }
        Route::BadRoot { found, expected } => {
            return Err(Failure::BadRoot {
                found,
                expected,
                at: root_offset(input),
            })
        }
        Route::Unrecognised { closest, root } => {
            check_document(input, limits).map_err(Failure::Xml)?;
            return Err(Failure::Unrecognised {
                closest,
                root,
                at: root_offset(input),
            });
        }
    };
    let mut attributes = Vec::new();
    let body = kind
        .decode_noting(input, limits, &mut attributes)
        .map_err(Failure::Xml)?;
    let method = kind.method().or(method.map(|m| m.method));
    Ok(QimenDocument {
        input,
        body,
        method,
        detected,
        attributes,
    })
}
