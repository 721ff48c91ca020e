//! [`crate::redact()`]: any input shape, with the same options and sniffing as [`crate::lint`].

use crate::input::sniff;
use crate::options::{Options, Shape};
use crate::redact::{Apply, Change, RedactError, Redacted, Redactor};
use crate::wire::framing;
use crate::wire::http::{self, split_requests};
use crate::wire::located::offset_in;
use crate::wire::span::Span;

/// Redacts `input` (see [`crate::redact()`]).
pub(crate) fn redact(
    input: &[u8],
    options: &Options,
    redactor: &Redactor,
) -> Result<Redacted, RedactError> {
    with(input, options, &|class, value, max| {
        redactor.apply_within(class, value, max)
    })
}

/// [`redact`] with any [`Apply`] (the fuzz harness checks redaction with its own).
pub(crate) fn with(
    input: &[u8],
    options: &Options,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let (method, limits) = (options.method.as_deref(), &options.limits);
    let shape = sniff(input, options);
    if let Some(error) = super::over_limit(input, limits) {
        return Err(RedactError::Decode(match shape {
            Shape::Json | Shape::Form => crate::error::Failure::Json(error),
            _ => crate::error::Failure::Xml(error),
        }));
    }
    match shape {
        Shape::Http => http_with(input, options, apply),
        Shape::Json if crate::kingdee::detect::claims(input, method, limits) => {
            crate::kingdee::redact::redact_json(input, method, apply, options)
        }
        Shape::Json => crate::wdt::redact::redact_json(input, method, apply, options),
        Shape::Form => crate::wdt::redact::redact_form(input, method, apply, options),
        _ => crate::qimen::redact::redact_document(input, method, apply, options),
    }
}

/// One request, or each request of a multi-request file (see [`crate::redact()`]). Linear in
/// the file: line numbers are counted on from the previous request, and each request's output
/// is copied once.
fn http_with(input: &[u8], options: &Options, apply: Apply<'_>) -> Result<Redacted, RedactError> {
    let ranges = split_requests(input);
    if ranges.len() <= 1 {
        // The whole input, as always: a single request keeps its comments and output exactly.
        return request_with(input, options, apply);
    }
    let mut output = Vec::with_capacity(input.len() + 16);
    let mut copied = 0;
    let (mut line, mut counted) = (1, 0);
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let mut values = 0;
    // The method and protocol shared by every request so far (`None` once they differ).
    let mut method: Option<Option<&'static str>> = None;
    let mut protocol: Option<&'static str> = None;
    for (i, range) in ranges.into_iter().enumerate() {
        line += input[counted..range.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = range.start;
        let index = i + 1;
        let part = request_with(&input[range.clone()], options, apply).map_err(|error| {
            RedactError::InRequest {
                index,
                line,
                error: Box::new(error),
            }
        })?;
        output.extend_from_slice(&input[copied..range.start]);
        let landed = output.len();
        output.extend_from_slice(&part.output);
        copied = range.end;
        let by = |s: Span, at: usize| Span::new(s.start as usize + at, s.end as usize + at);
        changes.extend(part.changes.iter().map(|c| Change {
            class: c.class,
            input: by(c.input, range.start),
            output: by(c.output, landed),
        }));
        notes.extend(
            part.notes
                .iter()
                .map(|n| format!("request {index} (line {line}): {n}")),
        );
        values += part.values;
        method = match method {
            None => Some(part.method),
            Some(m) => Some(m.filter(|_| m == part.method)),
        };
        protocol = match protocol {
            None => Some(part.protocol),
            Some(p) if p == part.protocol => Some(p),
            Some(_) => Some("mixed"),
        };
    }
    output.extend_from_slice(&input[copied..]);
    Ok(Redacted {
        output,
        values,
        method: method.flatten(),
        protocol: protocol.unwrap_or("mixed"),
        notes,
        changes,
    })
}

/// One HTTP request, Qimen or wdt, with any [`Apply`]; refused when its framing is one a
/// receiver may read otherwise ([`framing`]).
fn request_with(
    input: &[u8],
    options: &Options,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let method = options.method.as_deref();
    let parsed = http::parse(input).ok();
    if let Some(req) = &parsed {
        let problems = framing::problems(&req.headers, req.body.len(), req.trailing);
        if let Some(p) = problems.first() {
            return Err(RedactError::Http(http::HttpError {
                offset: offset_in(input, p.value.as_bytes()),
                message: format!(
                    "the request has {}: a receiver may take other bytes for its body than qmwire would redact",
                    p.what
                ),
                message_zh: format!(
                    "请求的帧有问题（{}）：接收方认定的正文可能与 qmwire 要脱敏的不同",
                    p.what
                ),
            }));
        }
    }
    let is_wdt = parsed.is_some_and(|r| crate::wdt::request::detect(&r).is_some());
    if is_wdt {
        crate::wdt::redact::redact_request(input, method, apply, options)
    } else {
        crate::qimen::redact::redact_request(input, method, apply, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Policy;

    #[test]
    fn thousands_of_requests_are_each_redacted_in_place_and_named_by_their_line() {
        let qimen: &[u8] = include_bytes!("../../../tests/fixtures/http/ok.http");
        let wdt: &[u8] = include_bytes!("../../../tests/fixtures/http/wdt_ok.http");
        let redactor = Redactor::new(Policy::Mask, None).unwrap();
        let options = Options::new();
        let alone = |r: &[u8]| redact(r, &options, &redactor).unwrap();
        let (qimen_alone, wdt_alone) = (alone(qimen), alone(wdt));
        assert!(wdt_alone.values > 0 && !wdt_alone.notes.is_empty());
        // 3,000 requests, taking turns; the output each should have, and the line each starts on.
        let (mut file, mut expected) = (Vec::new(), Vec::new());
        let mut lines = 0;
        let mut starts = Vec::new();
        for i in 0..3_000 {
            let (request, redacted) = if i % 2 == 0 {
                (qimen, &qimen_alone)
            } else {
                (wdt, &wdt_alone)
            };
            let separator = format!("### request {}\n", i + 1);
            starts.push(lines + 2);
            for (to, part) in [
                (&mut file, request),
                (&mut expected, redacted.output.as_slice()),
            ] {
                to.extend_from_slice(separator.as_bytes());
                to.extend_from_slice(part);
                to.push(b'\n');
            }
            lines += 1 + request.iter().filter(|&&b| b == b'\n').count() + 1;
        }
        let out = redact(&file, &options, &redactor).unwrap();
        assert!(
            out.output == expected,
            "the requests redact as they do alone"
        );
        assert_eq!(out.values, 1_500 * (qimen_alone.values + wdt_alone.values));
        assert_eq!((out.protocol, out.method), ("mixed", None));
        let mut want_notes = Vec::new();
        for (i, line) in starts.iter().enumerate() {
            let alone = if i % 2 == 0 { &qimen_alone } else { &wdt_alone };
            for n in &alone.notes {
                want_notes.push(format!("request {} (line {line}): {n}", i + 1));
            }
        }
        assert_eq!(out.notes, want_notes);
        assert_eq!(
            out.changes.len(),
            1_500 * (qimen_alone.changes.len() + wdt_alone.changes.len())
        );
        let last = out.changes.last().unwrap();
        let last_alone = wdt_alone.changes.last().unwrap();
        assert_eq!(
            &out.output[last.output.range()],
            &wdt_alone.output[last_alone.output.range()]
        );
        assert_eq!(&file[last.input.range()], &wdt[last_alone.input.range()]);
        // A request that cannot be redacted is named by its index and line.
        let mut broken = file.clone();
        broken.extend_from_slice(b"### request 3001\n<request><receiverInfo><name>x</request>\n");
        match redact(&broken, &options, &redactor) {
            Err(RedactError::InRequest { index, line, .. }) => {
                assert_eq!((index, line), (3_001, lines + 2));
            }
            other => panic!("expected an error in request 3001, found {other:?}"),
        }
    }
}
