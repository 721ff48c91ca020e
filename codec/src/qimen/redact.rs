//! The Qimen XML front end: decode, collect the classified values, rewrite their spans.

use crate::options::Options;
use crate::privacy::Privacy;
use crate::qimen::detect;
use crate::qimen::document::decode_qimen;
use crate::redact::rewrite::{Edit, Escaping};
use crate::redact::{finish, Apply, RedactError, Redacted};
use crate::wire::http::{self, content_length_value};
use crate::wire::span::Span;

/// Redacts a Qimen XML document; see [`crate::redact::redact_qimen`].
pub(crate) fn redact_document(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let spec = match method {
        Some(m) => Some(detect::method(m).ok_or_else(|| RedactError::UnknownMethod(m.into()))?),
        None => None,
    };
    let doc = decode_qimen(input, spec, &options.limits).map_err(RedactError::Decode)?;
    let collected = crate::privacy::qimen_found(&doc.body);
    let mut values = collected.found;
    if let Some(p) = collected.problem {
        return Err(p.into());
    }
    // Fields a counterparty profile adds and classifies as personal.
    if let (Some(profile), Some(method)) = (options.profile.as_deref(), doc.method) {
        if let Some(outcome) = crate::profile::qimen_outcome(profile, method, &doc.body, &[]) {
            values.extend(outcome.personal);
            values.sort_by_key(|v| v.span.start);
        }
    }
    let edits: Vec<(Privacy, Edit)> = values
        .into_iter()
        .map(|v| {
            let edit = Edit {
                span: v.span,
                value: apply(v.class, &v.value, None),
                escaping: Escaping::Xml,
            };
            (v.class, edit)
        })
        .collect();
    finish(
        input,
        Some(doc.input),
        edits,
        doc.method,
        "qimen",
        Vec::new(),
        None,
    )
}

/// Redacts a whole HTTP request; see [`crate::redact::redact_http`].
pub(crate) fn redact_request(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let request = http::parse(input).map_err(RedactError::Http)?;
    let query_method = crate::wire::params::parse(request.query)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "method")
                .map(|(_, v)| v.into_owned())
        })
        .filter(|m| detect::method(m).is_some());
    let method = method.map(str::to_string).or(query_method);
    let body_start = request.body_offset;
    let body_end = body_start + request.body.len();
    let body = redact_document(request.body, method.as_deref(), apply, options)?;
    let mut output = Vec::with_capacity(input.len() + 16);
    let mut head = &input[..body_start];
    let mut head_shift: i64 = 0;
    if body.output.len() != request.body.len() {
        if let Some((start, end)) = content_length_value(input, &request) {
            let length = body.output.len().to_string();
            output.extend_from_slice(&input[..start]);
            output.extend_from_slice(length.as_bytes());
            head = &input[end..body_start];
            head_shift = length.len() as i64 - (end - start) as i64;
        }
    }
    output.extend_from_slice(head);
    output.extend_from_slice(&body.output);
    output.extend_from_slice(&input[body_end..]);
    let moved = |s: Span, by: i64| {
        let at = |o: u32| (i64::from(o) + body_start as i64 + by) as usize;
        Span::new(at(s.start), at(s.end))
    };
    let changes = body
        .changes
        .iter()
        .map(|c| crate::redact::Change {
            class: c.class,
            input: moved(c.input, 0),
            output: moved(c.output, head_shift),
        })
        .collect();
    let mut notes = body.notes.clone();
    let signed = crate::wire::params::parse(request.query)
        .ok()
        .is_some_and(|pairs| pairs.iter().any(|(k, _)| k == "sign"));
    if signed && body.output != request.body {
        notes.push(
            "the request's `sign` was computed over the original body and no longer matches; a redacted request is for logs, not for sending"
                .into(),
        );
    }
    Ok(Redacted {
        output,
        notes,
        changes,
        ..body
    })
}
