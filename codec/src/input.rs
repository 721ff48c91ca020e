//! What an input is: the one place that tells an HTTP request (or a `.http` file of several)
//! from a Qimen XML body, wdt business JSON and a wdt form body. [`crate::lint`],
//! [`crate::redact()`] and the command line all ask [`sniff`].

use crate::model::wdt;
use crate::options::{Options, Shape};
use crate::qimen::detect;
use crate::wire::http;

/// The shape of `input`, worked out from the bytes, the method and the caller's hint
/// ([`Options::shape`], e.g. from a file extension).
///
/// - A request: the hint says [`Shape::Http`], or there is no hint and the input starts with an
///   HTTP request line (after blank and comment lines). A hint of [`Shape::Xml`] makes XML.
/// - JSON: the hint says [`Shape::Json`] or the first visible byte is `{` or `[`, and the method
///   is not a Qimen one; or the method is a 金蝶 WebAPI operation. JSON is wdt business JSON or,
///   told apart by its keys (`formid`, `Result`), a 金蝶 WebAPI body.
/// - A wdt form body: the hint says [`Shape::Form`]; or the input is `name=value&…` and the
///   method is not a Qimen one; or the method is a wdt API and the input is not JSON.
/// - Anything else is a Qimen XML body: JSON given with a Qimen method fails to decode as XML
///   instead of being linted against the wrong contract.
///
/// ```
/// use qmwire::{input::sniff, Options, Shape};
/// let o = Options::new();
/// assert_eq!(sniff(b"<request/>", &o), Shape::Xml);
/// assert_eq!(sniff(b"[{\"tid\":\"T1\"}]", &o), Shape::Json);
/// assert_eq!(sniff(b"shop_no=S1&trade_list=%5B%5D", &o), Shape::Form);
/// let request = b"POST /router/qimen/service?method=x HTTP/1.1\n\n<request/>";
/// assert_eq!(sniff(request, &o), Shape::Http);
/// ```
pub fn sniff(input: &[u8], options: &Options) -> Shape {
    let hint = options.shape;
    if hint == Some(Shape::Http) || (hint.is_none() && http::looks_like_request(input)) {
        return Shape::Http;
    }
    if hint == Some(Shape::Xml) {
        return Shape::Xml;
    }
    let method = options.method.as_deref();
    let qimen_method = method.is_some_and(|m| detect::method(m).is_some());
    let wdt_method = || method.is_some_and(|m| wdt::method(m).is_some());
    if method.is_some_and(|m| crate::model::kingdee::method(m).is_some()) && hint.is_none() {
        // 金蝶 bodies are JSON only.
        return Shape::Json;
    }
    let json = hint == Some(Shape::Json) || looks_like_json(input);
    let form = hint == Some(Shape::Form)
        || (!json && !qimen_method && looks_like_form(input))
        || (!json && !qimen_method && wdt_method());
    if json && !qimen_method {
        Shape::Json
    } else if form {
        Shape::Form
    } else {
        Shape::Xml
    }
}

/// Whether `input` looks like JSON rather than XML or a form (first visible byte).
pub(crate) fn looks_like_json(input: &[u8]) -> bool {
    // Within the first 64 bytes: byte order marks and whitespace, then `{` or `[`.
    let mut head = &input[..input.len().min(64)];
    loop {
        match head {
            [b' ' | b'\t' | b'\r' | b'\n', rest @ ..] | [0xEF, 0xBB, 0xBF, rest @ ..] => {
                head = rest
            }
            [b'{' | b'[', ..] => return true,
            _ => return false,
        }
    }
}

/// Whether `input` looks like a form body (`key=value&…`) rather than JSON or XML.
pub(crate) fn looks_like_form(input: &[u8]) -> bool {
    let head = &input[..input.len().min(256)];
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    match first {
        Some(i) => {
            let rest = &head[i..];
            let key_end = rest.iter().position(|&b| b == b'=');
            key_end.is_some_and(|k| {
                k > 0
                    && rest[..k]
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'%' || b == b'.')
            })
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    /// The byte test answers as reading the first 64 bytes as text would.
    #[test]
    fn looks_like_json_reads_the_head_as_text_would() {
        let as_text = |input: &[u8]| {
            let text = String::from_utf8_lossy(&input[..input.len().min(64)]);
            matches!(crate::wdt::document::first_byte(&text), Some(b'{' | b'['))
        };
        let pieces: [&[u8]; 10] = [
            b" ",
            b"\n",
            b"\r\t",
            "\u{feff}".as_bytes(),
            b"\xEF\xBB",
            b"{",
            b"[",
            b"<",
            b"\xFF",
            b"x",
        ];
        let mut rng = crate::wire::test_rng::Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let mut input = Vec::new();
            for _ in 0..rng.below(40) {
                input.extend_from_slice(rng.pick(&pieces));
            }
            assert_eq!(super::looks_like_json(&input), as_text(&input), "{input:?}");
        }
    }
}
