//! A raw HTTP/1.x request as captured (or as written in a `.http` file): request line, headers
//! up to a blank line (CRLF or LF line ends), and the body, byte for byte.

use super::framing::{content_length, Length};
use std::fmt;
use std::ops::Range;

/// A parsed request. Everything borrows the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// `POST`, `GET`, …
    pub method: &'a str,
    /// The request target as written: `/router/qimen/service?…` or a full URL.
    pub target: &'a str,
    /// The query (after `?`, before any `#`), still percent-encoded; empty when there is none.
    pub query: &'a str,
    /// `HTTP/1.1`.
    pub version: &'a str,
    /// Header names and values (values trimmed), in order.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body: everything after the blank line, cut to `Content-Length` when that is shorter.
    pub body: &'a [u8],
    /// Byte offset of the request line in the input (after skipped comment lines).
    pub line_offset: usize,
    /// Byte offset of the body in the input.
    pub body_offset: usize,
    /// The bytes after a `Content-Length` shorter than what follows the headers (not part of
    /// the request; empty otherwise). See [`super::framing`].
    pub trailing: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// Why the input is not an HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong (lowercase, expected vs found).
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for HttpError {}

/// Splits off one line ending in LF or CRLF (or at the end): (line without its end, rest start).
fn line(input: &[u8], start: usize) -> (&[u8], usize) {
    let rest = &input[start..];
    match memchr::memchr(b'\n', rest) {
        Some(i) => {
            let l = &rest[..i];
            (l.strip_suffix(b"\r").unwrap_or(l), start + i + 1)
        }
        None => (rest, input.len()),
    }
}

/// The request line split in three, if `line` is `METHOD TARGET HTTP/x`.
fn request_line(line: &[u8]) -> Option<(&str, &str, &str)> {
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split(' ').filter(|p| !p.is_empty());
    let (m, t, v) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && !m.is_empty()
        && m.bytes().all(|b| b.is_ascii_uppercase())
        && v.starts_with("HTTP/");
    ok.then_some((m, t, v))
}

/// Whether the input starts with an HTTP request line (`POST /path HTTP/1.1`), after optional
/// blank lines and `#` or `//` comment lines as in `.http` files.
pub fn looks_like_request(input: &[u8]) -> bool {
    let start = skip_preamble(input);
    // A request line opens with its method, capital letters and a space: anything else is
    // told apart without reading the rest of what may be one very long line.
    let rest = &input[start..];
    let rest = &rest[rest.iter().take_while(|&&b| b == b' ').count()..];
    let method = rest.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if method == 0 || rest.get(method) != Some(&b' ') {
        return false;
    }
    request_line(line(input, start).0).is_some()
}

/// Skips blank lines and `#` / `//` comment lines; returns where the request line starts.
/// Reads a line to its end only when it is one of those.
fn skip_preamble(input: &[u8]) -> usize {
    let mut at = 0;
    while at < input.len() {
        let lead = input[at..]
            .iter()
            .position(|&b| b == b'\n' || !b.is_ascii_whitespace())
            .map_or(input.len(), |i| at + i);
        let skip = match input.get(lead) {
            None | Some(b'\n') | Some(b'#') => true,
            Some(b'/') => input.get(lead + 1) == Some(&b'/'),
            Some(_) => false,
        };
        if !skip {
            break;
        }
        at = line(input, at).1;
    }
    at
}

/// Parses a raw request. See the module docs.
pub fn parse(input: &[u8]) -> Result<HttpRequest<'_>, HttpError> {
    let line_offset = skip_preamble(input);
    let (first, mut at) = line(input, line_offset);
    let (method, target, version) = request_line(first).ok_or_else(|| {
        let found = String::from_utf8_lossy(&first[..first.len().min(60)]);
        HttpError {
            offset: line_offset,
            message: format!(
                "expected a request line `POST /path?query HTTP/1.1`, found `{found}`"
            ),
            message_zh: format!("应为 `POST /path?query HTTP/1.1` 这样的请求行，实际为 `{found}`"),
        }
    })?;
    let mut headers = Vec::new();
    let mut body_offset = input.len();
    while at < input.len() {
        let (l, next) = line(input, at);
        if l.is_empty() {
            body_offset = next;
            break;
        }
        let text = std::str::from_utf8(l).map_err(|_| HttpError {
            offset: at,
            message: "expected a header line in UTF-8, found other bytes".into(),
            message_zh: "请求头应为 UTF-8 文本，实际含有其他字节".into(),
        })?;
        let (name, value) = text
            .split_once(':')
            .filter(|(n, _)| !n.is_empty() && !n.contains(char::is_whitespace))
            .ok_or_else(|| {
                let found = text.chars().take(60).collect::<String>();
                HttpError {
                    offset: at,
                    message: format!(
                        "expected a header `Name: value` or a blank line, found `{found}`"
                    ),
                    message_zh: format!("应为 `名称: 值` 形式的请求头或空行，实际为 `{found}`"),
                }
            })?;
        headers.push((name, value.trim()));
        at = next;
        body_offset = input.len();
    }
    let mut body = &input[body_offset..];
    let mut trailing: &[u8] = &[];
    if let Length::Declared(n) = content_length(&headers) {
        if n < body.len() {
            (body, trailing) = body.split_at(n);
        }
    }
    let after_q = target.split_once('?').map_or("", |(_, q)| q);
    let query = after_q.split_once('#').map_or(after_q, |(q, _)| q);
    Ok(HttpRequest {
        method,
        target,
        query,
        version,
        headers,
        body,
        line_offset,
        body_offset,
        trailing,
    })
}

/// The query of a URL (`http://host/path?q#f`), or the text itself when it has no `?` and no
/// scheme (a bare `k=v&…`).
pub fn url_query(url: &str) -> &str {
    let q = match url.split_once('?') {
        Some((_, q)) => q,
        None if url.contains("://") || url.starts_with('/') => "",
        None => url,
    };
    q.split_once('#').map_or(q, |(q, _)| q)
}

/// Whether the line (without its line end) is a request separator: `###` alone, or followed
/// by a space or a tab and a title (`### create an order`). `###x` and `####` are not.
fn is_separator(line: &[u8]) -> bool {
    line.strip_prefix(b"###")
        .is_some_and(|rest| matches!(rest.first(), None | Some(b' ' | b'\t')))
}

/// Whether the text holds anything but blank lines and `#` / `//` comment lines.
fn has_content(part: &[u8]) -> bool {
    part.split(|&b| b == b'\n').any(|l| {
        let t = l.trim_ascii();
        !(t.is_empty() || t.starts_with(b"#") || t.starts_with(b"//"))
    })
}

/// Whether a declared body ending at `end` ends its request: only blank space follows it, up
/// to a separator line or the end of the input. A length that does not is wrong (a framing
/// problem reported on its own), and is not trusted to say where the next request starts.
fn ends_a_request(input: &[u8], end: usize) -> bool {
    let next = input[end..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(input.len(), |i| end + i);
    next == input.len() || (input[next - 1] == b'\n' && is_separator(line(input, next).0))
}

/// Where [`split_requests`] is within the current request.
enum Place {
    /// Before the request line: blank and comment lines.
    Preamble,
    /// In the headers; the `Content-Length` headers seen so far.
    Headers,
    /// In the body (or after it).
    Body,
}

/// The byte ranges of the requests in `input`, without the separator lines, parts with no
/// content left out. A separator is a line that is `###` alone or followed by a space or tab
/// and a title, outside a declared body: once a request's headers declare a valid
/// `Content-Length` after which only blank space comes before a separator line or the end, its
/// body's bytes are skipped whatever lines they hold (a signed body with `### ` in a CDATA
/// section stays whole). Linear in the input.
pub fn split_requests(input: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    let mut place = Place::Preamble;
    let mut lengths: Vec<(&str, &str)> = Vec::new();
    while at < input.len() {
        let (l, next) = line(input, at);
        if is_separator(l) {
            if has_content(&input[start..at]) {
                out.push(start..at);
            }
            (start, at, place) = (next, next, Place::Preamble);
            continue;
        }
        match place {
            Place::Preamble => {
                let t = l.trim_ascii();
                if !(t.is_empty() || t.starts_with(b"#") || t.starts_with(b"//")) {
                    lengths.clear();
                    place = match request_line(l) {
                        Some(_) => Place::Headers,
                        None => Place::Body,
                    };
                }
            }
            Place::Headers if l.is_empty() => {
                place = Place::Body;
                if let Length::Declared(n) = content_length(&lengths) {
                    if n <= input.len() - next && ends_a_request(input, next + n) {
                        at = next + n;
                        continue;
                    }
                }
            }
            Place::Headers => {
                let header = std::str::from_utf8(l).ok().and_then(|t| t.split_once(':'));
                if let Some((name, value)) = header {
                    if name.eq_ignore_ascii_case("content-length") {
                        lengths.push((name, value.trim()));
                    }
                }
            }
            Place::Body => {}
        }
        at = next;
    }
    if has_content(&input[start..]) {
        out.push(start..input.len());
    }
    out
}

/// `charset=` of a `Content-Type` value, unquoted.
pub(crate) fn header_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"'))
    })
}

/// Whether two charset names are the same, ignoring case, `-` and `_`.
pub(crate) fn same_charset(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    norm(a) == norm(b)
}

/// Whether a charset name means UTF-8.
pub(crate) fn is_utf8_name(s: &str) -> bool {
    same_charset(s, "utf-8")
}
/// Where the value of the first `Content-Length` header is in `input`.
pub(crate) fn content_length_value(
    input: &[u8],
    request: &HttpRequest<'_>,
) -> Option<(usize, usize)> {
    let value = request.header("content-length")?;
    // Only a plain decimal length is rewritten; anything else is left as it was.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Header values borrow the input: their offset is their address minus the input's.
    let start = (value.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    (start + value.len() <= input.len() && &input[start..start + value.len()] == value.as_bytes())
        .then_some((start, start + value.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::params;

    #[test]
    fn crlf_and_lf_requests() {
        let crlf = b"POST /router/qimen/service?method=a&timestamp=2024-05-01+10%3A00%3A00 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml;charset=utf-8\r\n\r\n<request/>\r\n";
        let r = parse(crlf).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.version, "HTTP/1.1");
        assert_eq!(r.header("content-type"), Some("text/xml;charset=utf-8"));
        assert_eq!(r.body, b"<request/>\r\n");
        let pairs = params::parse(r.query).unwrap();
        assert_eq!(pairs[1].1, "2024-05-01 10:00:00");

        let lf = b"# a comment\n\nPOST http://h/p?a=%E5%BA%97 HTTP/1.1\nHost: x\n\n<request>\n</request>";
        let r = parse(lf).unwrap();
        assert_eq!(r.line_offset, 13);
        assert_eq!(r.body, b"<request>\n</request>");
        assert_eq!(&lf[r.body_offset..], r.body);
        assert_eq!(params::parse(r.query).unwrap()[0].1, "店");
        assert!(looks_like_request(lf));
        assert!(!looks_like_request(b"<request/>"));
    }

    #[test]
    fn preamble_lines_are_skipped_and_other_first_lines_end_the_question() {
        let requests: [&[u8]; 5] = [
            b"POST /p HTTP/1.1\n\n{}",
            b"\r\n  \t\r\n# c\n  // c\nPOST /p HTTP/1.1\n\n",
            b"//\n#\nGET  /p  HTTP/1.0",
            b"\x0c\nPUT /p HTTP/2",
            b"  POST /p HTTP/1.1",
        ];
        for input in requests {
            assert!(looks_like_request(input), "{input:?}");
        }
        let others: [&[u8]; 8] = [
            b"",
            b"\n\n# only comments\n",
            b"/ POST /p HTTP/1.1",
            b"{\"a\": \"POST /p HTTP/1.1\"}",
            b"post /p HTTP/1.1",
            b"POST\t/p HTTP/1.1",
            b"POST /p",
            b"<request>POST /p HTTP/1.1</request>",
        ];
        for input in others {
            assert!(!looks_like_request(input), "{input:?}");
        }
        assert_eq!(skip_preamble(b"\n# x\r\n// y\nPOST"), 11);
        assert_eq!(skip_preamble(b"  \t"), 3);
    }

    #[test]
    fn content_length_cuts_a_longer_body_only() {
        let r = parse(b"POST /p HTTP/1.1\nContent-Length: 4\n\nabcdef").unwrap();
        assert_eq!(r.body, b"abcd");
        let r = parse(b"POST /p HTTP/1.1\nContent-Length: 40\n\nabcdef").unwrap();
        assert_eq!(r.body, b"abcdef");
        let r = parse(b"POST /p HTTP/1.1\nHost: x").unwrap();
        assert_eq!(r.body, b"");
        assert_eq!(r.query, "");
    }

    #[test]
    fn malformed_requests_are_errors() {
        assert!(parse(b"<request/>").is_err());
        assert!(parse(b"post /p HTTP/1.1\n\n").is_err());
        let e = parse(b"POST /p HTTP/1.1\nno colon here\n\nbody").unwrap_err();
        assert_eq!(e.offset, 17);
        assert!(e.message.starts_with("expected a header"));
    }

    #[test]
    fn url_queries() {
        assert_eq!(url_query("http://h/p?a=1&b=2#x"), "a=1&b=2");
        assert_eq!(url_query("http://h/p"), "");
        assert_eq!(url_query("a=1"), "a=1");
        assert_eq!(url_query("?a=1"), "a=1");
    }
}
