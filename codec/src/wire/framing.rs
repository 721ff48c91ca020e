//! How a request's body is delimited, and the framings a receiver could read otherwise.
//!
//! qmwire takes a request's body to be the bytes after the blank line, cut to a valid
//! `Content-Length` when that is shorter ([`super::http::parse`]). A valid `Content-Length` is
//! one or more decimal digits that fit a `usize`; several values (in one header as a list, or in
//! several headers) are valid only when they are all equal (RFC 9110 §8.6). Everything else is a
//! [`Problem`] (rule `request.framing`):
//!
//! - a malformed value (`abc`, `-5`, `+5`, empty, too large): the body runs to the end of the
//!   request;
//! - values that disagree: the body runs to the end of the request;
//! - a length shorter than the body, with more than whitespace after it: the bytes after it are
//!   not part of the request (not linted, not signed; a receiver reads them as the start of
//!   another request);
//! - a length longer than the body: the body is what is there;
//! - any `Transfer-Encoding` (`chunked`, `gzip`, …): qmwire does not decode transfer codings, so
//!   the request is not linted further and its sign is not verified ([`Problem::refuses`]).
//!
//! `qmwire redact` refuses a request with any of these problems: it cannot tell which bytes a
//! receiver would take for the body, so it cannot promise to have redacted them.

/// What a request's headers declare about its body's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length<'a> {
    /// No `Content-Length` header.
    Unstated,
    /// One valid length (or several equal ones).
    Declared(usize),
    /// A value that is not a length: the first one found.
    Malformed(&'a str),
    /// Valid values that disagree: the first two that differ.
    Conflicting(&'a str, &'a str),
}

/// The `Content-Length` the headers declare. Linear in the headers.
pub(crate) fn content_length<'a>(headers: &[(&'a str, &'a str)]) -> Length<'a> {
    let mut first: Option<(&'a str, usize)> = None;
    for (_, value) in headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        for item in value.split(',').map(str::trim) {
            let Some(n) = decimal(item) else {
                return Length::Malformed(value);
            };
            match first {
                None => first = Some((item, n)),
                Some((seen, m)) if m != n => return Length::Conflicting(seen, item),
                Some(_) => {}
            }
        }
    }
    first.map_or(Length::Unstated, |(_, n)| Length::Declared(n))
}

/// `1*DIGIT` as a `usize`; `None` for anything else, a sign and an overflow included.
fn decimal(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.bytes().try_fold(0usize, |n, b| {
        n.checked_mul(10)?.checked_add(usize::from(b - b'0'))
    })
}

/// A framing a receiver could read otherwise than qmwire does (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem<'a> {
    /// The header it concerns: `Content-Length` or `Transfer-Encoding`.
    pub header: &'static str,
    /// The header value it concerns (borrowing the input, so its position can be found).
    pub value: &'a str,
    /// What is wrong and what qmwire does about it (lowercase, expected vs found).
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
    /// What kind of problem it is, in a few words that quote nothing from the input.
    pub what: &'static str,
    /// Whether the body is left alone: neither linted nor its sign verified.
    pub refuses: bool,
}

/// The framing problems of a request whose headers are `headers`, whose body (as qmwire takes
/// it) is `body` bytes long and is followed by `trailing` (the bytes after a shorter
/// `Content-Length`, empty otherwise). At most two: a transfer coding, then a length problem.
pub fn problems<'a>(
    headers: &[(&'a str, &'a str)],
    body: usize,
    trailing: &[u8],
) -> Vec<Problem<'a>> {
    let mut out = Vec::new();
    let length = content_length(headers);
    if let Some((_, coding)) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"))
    {
        let also = if length == Length::Unstated {
            ""
        } else {
            " (with a `Content-Length` as well: receivers disagree on where the body ends)"
        };
        out.push(Problem {
            header: "Transfer-Encoding",
            what: "a `Transfer-Encoding` qmwire does not decode",
            value: coding,
            message: format!(
                "expected a body delimited by `Content-Length`, found `Transfer-Encoding: {}`{also}; qmwire does not decode transfer codings, so the body is not linted and the sign not verified: lint the decoded body (with `--url` for its query)",
                shorten(coding)
            ),
            message_zh: format!(
                "正文应以 `Content-Length` 定界，实际为 `Transfer-Encoding: {}`{}；qmwire 不解码传输编码，所以不检查正文也不验签：请检查解码后的正文（用 `--url` 给出其查询串）",
                shorten(coding),
                if also.is_empty() { "" } else { "（同时还有 `Content-Length`：各接收方对正文在哪里结束看法不一）" }
            ),
            refuses: true,
        });
        return out;
    }
    let runs_on = "the body is taken to run to the end of the request";
    let runs_on_zh = "正文按到请求末尾为止处理";
    let extra = trailing.trim_ascii();
    let problem = match length {
        Length::Unstated => return out,
        Length::Malformed(value) => {
            let (large, large_zh) = if value.bytes().all(|b| b.is_ascii_digit()) {
                (", too large to be a length", "，大得不像长度")
            } else {
                ("", "")
            };
            length_problem(
                "a malformed `Content-Length`",
                value,
                format!(
                    "expected `Content-Length` to be a number of bytes (digits only), found `{}`{large}; {runs_on}, and a receiver may reject it or read it otherwise",
                    shorten(value)
                ),
                format!(
                    "`Content-Length` 应为字节数（只含数字），实际为 `{}`{large_zh}；{runs_on_zh}，接收方可能拒收或另作解读",
                    shorten(value)
                ),
            )
        }
        Length::Conflicting(a, b) => length_problem(
            "`Content-Length` values that disagree",
            a,
            format!(
                "expected one `Content-Length`, found values that disagree (`{a}` and `{}`); receivers disagree on where the body ends (a request smuggling risk); {runs_on}",
                shorten(b)
            ),
            format!(
                "应只有一个 `Content-Length`，实际有互相矛盾的值（`{a}` 和 `{}`）；各接收方对正文在哪里结束看法不一（有请求走私风险）；{runs_on_zh}",
                shorten(b)
            ),
        ),
        Length::Declared(n) if n > body => length_problem(
            "a body shorter than its `Content-Length`",
            length_value(headers),
            format!(
                "expected a body of {n} bytes (`Content-Length`), found {body}; a receiver waits for the {} missing bytes; the {body} bytes present are linted",
                n - body
            ),
            format!(
                "正文应有 {n} 字节（`Content-Length`），实际 {body} 字节；接收方会等待缺少的 {} 字节；现有的 {body} 字节照常检查",
                n - body
            ),
        ),
        Length::Declared(n) if !extra.is_empty() => length_problem(
            "bytes after the `Content-Length` body",
            length_value(headers),
            format!(
                "expected the request to end after the {n} bytes of `Content-Length`, found {} more bytes; they are not linted or signed, and a receiver reads them as the start of another request",
                trailing.len()
            ),
            format!(
                "请求应在 `Content-Length` 的 {n} 字节后结束，实际多出 {} 字节；它们不被检查也不参与签名，接收方会把它们当成另一个请求的开头",
                trailing.len()
            ),
        ),
        Length::Declared(_) => return out,
    };
    out.push(problem);
    out
}

/// A problem with the `Content-Length` header `value`; the body is still linted.
fn length_problem<'a>(
    what: &'static str,
    value: &'a str,
    message: String,
    message_zh: String,
) -> Problem<'a> {
    Problem {
        header: "Content-Length",
        what,
        value,
        message,
        message_zh,
        refuses: false,
    }
}

/// The first `Content-Length` value.
fn length_value<'a>(headers: &[(&'a str, &'a str)]) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map_or("", |(_, v)| v)
}

/// At most 40 characters of a header value, for a message.
fn shorten(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(values: &[&'static str]) -> Length<'static> {
        let headers: Vec<_> = values.iter().map(|v| ("Content-Length", *v)).collect();
        content_length(&headers)
    }

    #[test]
    fn lengths() {
        assert_eq!(length(&[]), Length::Unstated);
        assert_eq!(length(&["12"]), Length::Declared(12));
        assert_eq!(length(&["0012"]), Length::Declared(12));
        assert_eq!(length(&["5", "5"]), Length::Declared(5));
        assert_eq!(length(&["5, 5"]), Length::Declared(5));
        for bad in [
            "abc",
            "-5",
            "+5",
            "",
            "5 5",
            "0x10",
            "99999999999999999999999",
        ] {
            assert_eq!(length(&[bad]), Length::Malformed(bad), "{bad}");
        }
        assert_eq!(length(&["5", "6"]), Length::Conflicting("5", "6"));
        assert_eq!(length(&["5,6"]), Length::Conflicting("5", "6"));
        let huge = "9".repeat(10_000);
        let headers = [("Content-Length", huge.as_str())];
        assert!(matches!(content_length(&headers), Length::Malformed(_)));
    }

    #[test]
    fn problems_and_what_they_mean() {
        let cl = |v: &'static str| vec![("Host", "h"), ("Content-Length", v)];
        assert!(problems(&cl("4"), 4, b"\r\n\n").is_empty());
        assert!(problems(&[], 10, b"").is_empty());
        let p = problems(&cl("4"), 4, b"xy");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].message.contains("found 2 more bytes"),
            "{}",
            p[0].message
        );
        assert!(!p[0].refuses);
        let p = problems(&cl("40"), 6, b"");
        assert!(p[0].message.contains("found 6"), "{}", p[0].message);
        let p = problems(&cl("-5"), 6, b"");
        assert_eq!(p[0].value, "-5");
        let p = problems(&[("Content-Length", "5"), ("content-length", "6")], 6, b"");
        assert!(p[0].message.contains("disagree"));
        let p = problems(&[("Transfer-Encoding", "chunked")], 20, b"");
        assert!(p[0].refuses && p[0].message.contains("chunked"));
        let long = "x".repeat(100);
        let headers = [("Content-Length", long.as_str())];
        let p = problems(&headers, 0, b"");
        assert!(p[0].message.len() < 300);
    }
}
