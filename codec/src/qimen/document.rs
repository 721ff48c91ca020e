//! A Qimen body decoded into its generated model, the method chosen from the caller or the
//! document's shape.

use crate::error::{utf8_input, Failure};
use crate::model::qimen::MethodSpec;
use crate::model::qimen::{BodyKind, QimenBody};
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
    if let Some(doc) = method.and_then(|m| decode_named(input, m, limits)) {
        return Ok(doc);
    }
    decode_routed(input, method, limits)
}

/// The root element's name when the document starts plainly: an optional byte order mark and
/// XML declaration, whitespace, then the root's start tag. `None` for anything else (comments,
/// processing instructions, a document type). Reads only the prolog, without checking it.
fn plain_root(input: &str) -> Option<&str> {
    let mut rest = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    if rest.starts_with("<?xml") {
        rest = &rest[rest.find("?>")? + 2..];
    }
    let tag = rest
        .trim_start_matches([' ', '\t', '\r', '\n'])
        .strip_prefix('<')?;
    let end = tag.find(['>', '/', ' ', '\t', '\r', '\n'])?;
    Some(&tag[..end])
}

/// The usual case of a named method, without [`detect::route`] reading the prolog before the
/// decode does: the root's name from [`plain_root`] picks the body, and a successful decode
/// proves the choice (it refuses any other root, after the same input checks and prolog that
/// the route reads first), so the result is the route's. `None` when that cannot be shown:
/// another start, or a decode that fails (the caller then takes the full route, whose error is
/// the one to report).
fn decode_named<'a>(
    input: &'a str,
    method: &'static MethodSpec,
    limits: &Limits,
) -> Option<QimenDocument<'a>> {
    let root = plain_root(input)?;
    let kind = match root {
        "request" => method.request,
        "response" => method.response,
        "error_response" => BodyKind::ErrorResponse,
        _ => return None,
    };
    // The decode below refuses any root but `kind.root()`; with that the name the route
    // would read, its choice is `kind`.
    if kind.root() != root {
        return None;
    }
    let mut attributes = Vec::new();
    let body = kind.decode_noting(input, limits, &mut attributes).ok()?;
    Some(QimenDocument {
        input,
        body,
        method: kind.method().or(Some(method.method)),
        detected: false,
        attributes,
    })
}

/// [`decode_qimen`] of valid UTF-8 `input`, the body chosen by [`detect::route`].
fn decode_routed<'a>(
    input: &'a str,
    method: Option<&'static MethodSpec>,
    limits: &Limits,
) -> Result<QimenDocument<'a>, Failure> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut of a named method gives exactly what the full route gives.
    fn agrees(input: &str) {
        let limits = Limits::default();
        for method in crate::model::qimen::METHODS {
            let fast = format!(
                "{:?}",
                decode_qimen(input.as_bytes(), Some(method), &limits)
            );
            let full = format!("{:?}", decode_routed(input, Some(method), &limits));
            assert_eq!(fast, full, "{} on {input:?}", method.method);
        }
    }

    #[test]
    fn named_methods_decode_as_the_route_does() {
        let order = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode></deliveryOrder></request>";
        assert_eq!(plain_root(order), Some("request"));
        let mut cases = vec![
            order.to_string(),
            format!("\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n {order}"),
            format!("<?xml version=\"1.0\"?><!-- c -->{order}"),
            format!(" <?xml version=\"1.0\"?>{order}"),
            format!("<?xml version=\"1.0\"?><?xml version=\"1.0\"?>{order}"),
            format!("<?xml version=\"1.0\" x=\"?>\"?>{order}"),
            format!("{order}<request/>"),
            format!("\u{FEFF}\u{FEFF}{order}"),
            format!("<!DOCTYPE r>{order}"),
            order.replace("<deliveryOrderCode>A", "<deliveryOrderCode>\u{1}A"),
            order.replace("</request>", ""),
            order.replace("request>", "requests>"),
            "<request/>".into(),
            "<request a=\"1\"><orderLines/></request>".into(),
            "<request\n>x</request>".into(),
            "<response><flag>success</flag></response>".into(),
            "<error_response><code>1</code></error_response>".into(),
            "<error_response ><code>1</code>".into(),
            "<Request/>".into(),
            "<request".into(),
            String::new(),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/data");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xml") {
                cases.push(std::fs::read_to_string(path).unwrap());
            }
        }
        for case in &cases {
            agrees(case);
        }
    }
}
