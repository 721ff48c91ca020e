//! [`crate::redact()`]: any input shape, with the same options and sniffing as [`crate::lint`].

use crate::input::sniff;
use crate::options::{Options, Shape};
use crate::redact::{Apply, Change, RedactError, Redacted, Redactor};
use crate::wire::http::{self, split_requests};
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
    let max = limits.max_bytes.min(crate::wire::text::MAX_INPUT_BYTES);
    if input.len() > max {
        let error = crate::error::DecodeError::new(
            crate::error::DecodeErrorKind::Limit,
            max,
            format!("input is over the limit of {max} bytes (--max-bytes)"),
        );
        return Err(RedactError::Decode(match shape {
            Shape::Json | Shape::Form => crate::error::Failure::Json(error),
            _ => crate::error::Failure::Xml(error),
        }));
    }
    match shape {
        Shape::Http => http_with(input, options, apply),
        Shape::Json => crate::wdt::redact::redact_json(input, method, apply, limits),
        Shape::Form => crate::wdt::redact::redact_form(input, method, apply, limits),
        _ => crate::qimen::redact::redact_document(input, method, apply, limits),
    }
}

/// One request, or each request of a multi-request file (see [`crate::redact()`]).
fn http_with(input: &[u8], options: &Options, apply: Apply<'_>) -> Result<Redacted, RedactError> {
    let ranges = split_requests(input);
    if ranges.len() <= 1 {
        // The whole input, as always: a single request keeps its comments and output exactly.
        return request_with(input, options, apply);
    }
    let line_of = |at: usize| input[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let mut output = Vec::with_capacity(input.len() + 16);
    let mut copied = 0;
    let mut parts: Vec<Redacted> = Vec::with_capacity(ranges.len());
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for (i, range) in ranges.into_iter().enumerate() {
        let (index, line) = (i + 1, line_of(range.start));
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
        parts.push(part);
    }
    output.extend_from_slice(&input[copied..]);
    let first = &parts[0];
    let method = first
        .method
        .filter(|_| parts.iter().all(|p| p.method == first.method));
    let protocol = if parts.iter().all(|p| p.protocol == first.protocol) {
        first.protocol
    } else {
        "mixed"
    };
    Ok(Redacted {
        output,
        values: parts.iter().map(|p| p.values).sum(),
        method,
        protocol,
        notes,
        changes,
    })
}

/// One HTTP request, Qimen or wdt, with any [`Apply`].
fn request_with(
    input: &[u8],
    options: &Options,
    apply: Apply<'_>,
) -> Result<Redacted, RedactError> {
    let (method, limits) = (options.method.as_deref(), &options.limits);
    let is_wdt = http::parse(input)
        .ok()
        .is_some_and(|r| crate::wdt::request::detect(&r).is_some());
    if is_wdt {
        crate::wdt::redact::redact_request(input, method, apply, limits)
    } else {
        crate::qimen::redact::redact_request(input, method, apply, limits)
    }
}
