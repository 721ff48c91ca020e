//! The wdt front end: business JSON, form bodies whose parameters hold percent-encoded JSON, and
//! whole wdt requests (openapi2 form posts and Qimen-custom `wdt.*` calls).
//!
//! The JSON is decoded with the generated wdt tables; every non-blank value of a classified
//! field is rewritten in place:
//! - a JSON string's content (between the quotes) in the string's escaping, so `\u5F20\u4E09`
//!   becomes `张*` and nothing around it moves;
//! - a bare number (`"receiver_mobile": 13912345678`) becomes a JSON string, quotes included;
//! - `null`, `true` and `false` carry no personal data and are left alone.
//!
//! In a form, a personal value inside a JSON-valued parameter is mapped back to the bytes that
//! encode it (`%22%E5%BC%A0%E4%B8%89%22` for `"张三"`), and only those bytes are replaced, by the
//! new value JSON-escaped and then percent-encoded. The parameter still decodes to valid JSON,
//! and every other byte (`+`, lowercase or needless escapes) stays as it was. A scalar business
//! parameter that is personal is replaced whole.
//!
//! Refused, with no output: input that does not decode; a personal field holding an object or
//! an array; a personal field (or a block holding one) given twice in one object, since
//! receivers disagree on which copy counts (PHP keeps the last, our reader the first).

use crate::error::utf8_input;
use crate::error::Failure;
use crate::model::wdt::WdtMethodSpec;
use crate::model::wdt::{WdtBody, WdtBodyKind};
use crate::options::Options;
use crate::privacy::collect::Found;
use crate::privacy::Privacy;
use crate::redact::rewrite::{Edit, Escaping};
use crate::redact::{finish, json_edit, json_escaping, Apply, RedactError, Redacted};
use crate::wdt::decode_wdt;
use crate::wdt::form::FormJson;
use crate::wire::http;
use crate::wire::located::{parse_located, LocatedParam};
use crate::wire::span::Span;

/// Every non-blank personal value of `body` (with those of the fields `options`' profile adds),
/// or why they cannot all be located.
fn collect(body: &WdtBody<'_>, bare: bool, options: &Options) -> Result<Vec<Found>, RedactError> {
    let collected = crate::privacy::wdt_found(body, bare);
    if let Some(p) = collected.problem {
        return Err(p.into());
    }
    let mut found = collected.found;
    if let Some(profile) = options.profile.as_deref() {
        if let Some(outcome) = crate::profile::wdt_outcome(profile, body, bare, &[]) {
            found.extend(outcome.personal);
            found.sort_by_key(|f| f.span.start);
        }
    }
    Ok(found)
}

/// The wdt API named `method` (any of its names), or an error.
fn resolve(method: Option<&str>) -> Result<Option<&'static WdtMethodSpec>, RedactError> {
    match method {
        None => Ok(None),
        Some(m) => crate::model::wdt::method(m)
            .map(Some)
            .ok_or_else(|| RedactError::UnknownMethod(m.into())),
    }
}

/// Redacts wdt business JSON; see [`crate::redact::redact_wdt_json`].
pub(crate) fn redact_json(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let spec = resolve(method)?;
    let doc = decode_wdt(input, spec, &options.limits).map_err(RedactError::Decode)?;
    let found = collect(&doc.body, doc.bare, options)?;
    let edits = found.iter().map(|f| json_edit(f, apply)).collect();
    finish(
        input,
        Some(doc.input),
        edits,
        Some(doc.body.kind().method()),
        "wdt",
        Vec::new(),
        None,
    )
}

/// One part of a form: its text (without trailing line ends) and where it starts in the input.
type Part<'a> = (&'a str, usize);

/// The edits for a form (with each value's class), the API it calls, and its parameters as they
/// were (to tell later whether signed values changed).
type FormEdits = (
    Vec<(Privacy, Edit)>,
    &'static str,
    Vec<LocatedParam<'static>>,
);

/// The edits that redact the business parameters of `parts` (a query and a body, or a body).
fn form_edits(
    parts: &[Part<'_>],
    spec: Option<&'static WdtMethodSpec>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<FormEdits, RedactError> {
    let limits = &options.limits;
    let mut located: Vec<LocatedParam<'_>> = Vec::new();
    for (text, base) in parts {
        located.extend(parse_located(text, *base).map_err(RedactError::Form)?);
    }
    let joined: String = parts.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("&");
    let to_form = |e: crate::wire::params::ParamError| RedactError::Form(e);
    let kind: WdtBodyKind = match spec {
        Some(m) => m.request,
        None => {
            let probe = FormJson::from_form(&joined, None).map_err(to_form)?;
            decode_wdt(probe.json.as_bytes(), None, limits)
                .map_err(RedactError::Decode)?
                .body
                .kind()
        }
    };
    let form = FormJson::from_form(&joined, Some(kind.spec())).map_err(to_form)?;
    let body = kind
        .decode(&form.json, limits)
        .map_err(|e| RedactError::Decode(Failure::Json(e)))?;
    let found = collect(&body, false, options)?;
    let mut edits = Vec::with_capacity(found.len());
    for f in &found {
        let (start, end) = (f.span.start as usize, f.span.end as usize);
        let unlocated = || RedactError::Unsafe {
            path: "/".into(),
            reason: "a personal value could not be mapped back into the form",
        };
        let param = form
            .params
            .iter()
            .find(|p| p.json.start <= start && end <= p.json.end)
            .ok_or_else(unlocated)?;
        let raw = located
            .iter()
            .find(|l| l.name == param.name.as_str())
            .ok_or_else(unlocated)?;
        let new = apply(f.class, &f.value, f.max_chars);
        let edit = if param.holds_json {
            let local = start - param.json.start..end - param.json.start;
            if raw.value.get(local.clone()) != Some(&form.json[start..end]) {
                return Err(unlocated());
            }
            Edit {
                span: raw.original_span(local),
                value: json_escaping(f).escape(&new),
                escaping: Escaping::FormComponent,
            }
        } else {
            if (start, end) != (param.json.start, param.json.end) || raw.value != f.value {
                return Err(unlocated());
            }
            Edit {
                span: raw.value_span,
                value: new,
                escaping: Escaping::FormComponent,
            }
        };
        edits.push((f.class, edit));
    }
    let owned = located.into_iter().map(own).collect();
    Ok((edits, kind.method(), owned))
}

fn own(p: LocatedParam<'_>) -> LocatedParam<'static> {
    LocatedParam {
        name: p.name.into_owned().into(),
        value: p.value.into_owned().into(),
        raw_value: "",
        name_span: p.name_span,
        value_span: p.value_span,
        percent_encoded: p.percent_encoded,
    }
}

/// The note added when redaction changed parameters covered by a `sign`.
fn sign_note(before: &[LocatedParam<'_>], after: &[LocatedParam<'_>]) -> Option<String> {
    let signs: Vec<&str> = before
        .iter()
        .map(|p| p.name.as_ref())
        .filter(|n| *n == "sign" || *n == "wdt_sign")
        .collect();
    let changed = before.len() != after.len()
        || before
            .iter()
            .zip(after)
            .any(|(a, b)| a.name != b.name || a.value != b.value);
    (changed && !signs.is_empty()).then(|| {
        format!(
            "the request's `{}` was computed over the original values and no longer matches; a redacted request is for logs, not for sending",
            signs.join("` and `")
        )
    })
}

/// Redacts a wdt form body; see [`crate::redact::redact_wdt_form`].
pub(crate) fn redact_form(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let spec = resolve(method)?;
    let text = utf8_input(input).map_err(|e| RedactError::Decode(Failure::Json(e)))?;
    let base = input.len() - text.len(); // a byte order mark
    let form = text.trim_end();
    let (edits, method, before) = form_edits(&[(form, base)], spec, apply, options)?;
    let mut out = finish(input, None, edits, Some(method), "wdt", Vec::new(), None)?;
    let after = std::str::from_utf8(&out.output[base..])
        .ok()
        .and_then(|t| parse_located(t.trim_end(), base).ok())
        .unwrap_or_default();
    out.notes.extend(sign_note(&before, &after));
    Ok(out)
}

/// Redacts a whole wdt request; see [`crate::redact::redact_http`].
pub(crate) fn redact_request(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let request = http::parse(input).map_err(RedactError::Http)?;
    let endpoint = crate::wdt::request::detect(&request).ok_or_else(|| RedactError::Unsafe {
        path: "/".into(),
        reason: "the request is not a wdt call",
    })?;
    let spec = match resolve(method)? {
        Some(m) => Some(m),
        None => crate::model::wdt::method(&endpoint.api_name()),
    };
    let body = std::str::from_utf8(request.body).map_err(|_| RedactError::Unsafe {
        path: "/".into(),
        reason: "the form body is not UTF-8",
    })?;
    let body = body.trim_end_matches(['\r', '\n']);
    let mut parts: Vec<Part<'_>> = Vec::new();
    if !request.query.is_empty() {
        let at = crate::wire::located::offset_in(input, request.query.as_bytes());
        parts.push((request.query, at));
    }
    parts.push((body, request.body_offset));
    let (edits, method, before) = form_edits(&parts, spec, apply, options)?;
    let length = crate::wire::http::content_length_value(input, &request).map(|(s, e)| {
        let body = Span::new(
            request.body_offset,
            request.body_offset + request.body.len(),
        );
        (Span::new(s, e), body)
    });
    let mut out = finish(input, None, edits, Some(method), "wdt", Vec::new(), length)?;
    let after: Vec<LocatedParam<'_>> = http::parse(&out.output)
        .ok()
        .map(|r| {
            let mut all = Vec::new();
            if !r.query.is_empty() {
                all.extend(parse_located(r.query, 0).unwrap_or_default());
            }
            if let Ok(b) = std::str::from_utf8(r.body) {
                all.extend(parse_located(b.trim_end_matches(['\r', '\n']), 0).unwrap_or_default());
            }
            all
        })
        .unwrap_or_default();
    out.notes.extend(sign_note(&before, &after));
    Ok(out)
}
