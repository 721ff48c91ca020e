//! The Qimen XML front end: decode, collect the classified values, rewrite their spans.

use super::rewrite::{apply_edits, Edit, Escaping};
use super::{Apply, RedactError, Redacted};
use crate::envelope::http;
use crate::lint::decode_qimen;
use crate::model::qimen::QimenBody;
use crate::model::Visitor;
use crate::model::{FieldKind, FieldSpec, Item, List, Map, Node, StructSpec, Unknown, UnknownKind};
use crate::privacy::Privacy;
use crate::route;
use crate::span::Span;
use crate::text::Text;
use crate::xml::decode::Limits;

/// One personal value found in a decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalValue {
    /// Its class.
    pub class: Privacy,
    /// Wire path, e.g. `/request/deliveryOrder/receiverInfo/name`.
    pub path: String,
    /// The raw text's span in the input.
    pub span: Span,
    /// The decoded value.
    pub value: String,
}

/// Every non-blank personal value of `body` in document order, and the first reason (if any)
/// why a redaction of it would be incomplete: a classified field holding child elements, or a
/// repeated classified field (or block holding one) that the model kept aside verbatim.
pub fn personal_values(body: &QimenBody<'_>) -> (Vec<PersonalValue>, Option<RedactError>) {
    let root = body.kind().root();
    let mut c = Collector {
        values: Vec::new(),
        problem: None,
        path: vec![root.to_string()],
        specs: vec![body.kind().spec()],
        index: 0,
    };
    body.visit(&mut c);
    (c.values, c.problem)
}

struct Collector {
    values: Vec<PersonalValue>,
    problem: Option<RedactError>,
    path: Vec<String>,
    specs: Vec<&'static StructSpec>,
    index: u32,
}

impl Collector {
    fn segment(&mut self, name: &str) -> String {
        match std::mem::take(&mut self.index) {
            0 => name.to_string(),
            i => format!("{name}[{i}]"),
        }
    }

    fn path_with(&self, tail: &str) -> String {
        let mut p = String::new();
        for s in self.path.iter().map(String::as_str).chain([tail]) {
            p.push('/');
            p.push_str(s);
        }
        p
    }

    fn refuse(&mut self, path: String, reason: &'static str) {
        self.problem
            .get_or_insert(RedactError::Unsafe { path, reason });
    }
}

/// Whether a field is classified or can hold a classified field below it.
pub(super) fn holds_personal(field: &FieldSpec, depth: u32) -> bool {
    if field.privacy.is_some() {
        return true;
    }
    match field.kind {
        _ if depth > 16 => true,
        FieldKind::Struct(s) => s.fields.iter().any(|f| holds_personal(f, depth + 1)),
        FieldKind::List(item) => holds_personal(item, depth + 1),
        _ => false,
    }
}

impl<'a> Visitor<'a> for Collector {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        let segment = self.segment(field.name);
        let (Some(class), Some(t)) = (field.privacy, value) else {
            return;
        };
        let path = self.path_with(&segment);
        if t.has_children() {
            return self.refuse(
                path,
                "the personal field holds child elements instead of text",
            );
        }
        if t.is_blank() {
            return;
        }
        self.values.push(PersonalValue {
            class,
            path,
            span: t.span(),
            value: t.value().into_owned(),
        });
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let segment = self.segment(field.name);
        let Some(n) = value else { return };
        self.path.push(segment);
        self.specs.push(T::SPEC);
        n.visit(self);
        self.specs.pop();
        self.path.pop();
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let segment = self.segment(field.name);
        let (Some(list), FieldKind::List(item)) = (value, field.kind) else {
            return;
        };
        self.path.push(segment);
        for (i, it) in list.items.iter().enumerate() {
            self.index = i as u32 + 1;
            it.accept(item, self);
        }
        self.index = 0;
        self.path.pop();
    }

    fn map(&mut self, _: &'static FieldSpec, _: Option<&Map<'a>>) {
        self.index = 0;
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        let Some(spec) = self.specs.last().copied() else {
            return;
        };
        for u in unknown {
            if u.kind != UnknownKind::Duplicate {
                continue;
            }
            if spec.field(&u.name).is_some_and(|f| holds_personal(f, 0)) {
                let path = self.path_with(&u.name);
                self.refuse(
                    path,
                    "the element is repeated; receivers disagree on which copy counts, so its personal values cannot be located reliably",
                );
            }
        }
    }
}

/// Redacts a Qimen XML document; see [`super::redact_qimen`].
pub(super) fn redact_document(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    limits: &Limits,
) -> Result<Redacted, RedactError> {
    let spec = match method {
        Some(m) => Some(route::method(m).ok_or_else(|| RedactError::UnknownMethod(m.into()))?),
        None => None,
    };
    let doc = decode_qimen(input, spec, limits).map_err(RedactError::Decode)?;
    let (values, problem) = personal_values(&doc.body);
    if let Some(p) = problem {
        return Err(p);
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
    let all: Vec<Edit> = edits.iter().map(|(_, e)| e.clone()).collect();
    let output = apply_edits(input, &all).map_err(RedactError::Rewrite)?;
    Ok(Redacted {
        output,
        values: edits.len(),
        method: doc.method,
        protocol: "qimen",
        notes: Vec::new(),
        changes: super::changes(edits.iter().map(|(c, e)| (*c, e)), &all),
    })
}

/// Redacts a whole HTTP request; see [`super::redact_http`].
pub(super) fn redact_request(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    limits: &Limits,
) -> Result<Redacted, RedactError> {
    let request = http::parse(input).map_err(RedactError::Http)?;
    let query_method = crate::sign::params::parse(request.query)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "method")
                .map(|(_, v)| v.into_owned())
        })
        .filter(|m| route::method(m).is_some());
    let method = method.map(str::to_string).or(query_method);
    let body_start = request.body_offset;
    let body_end = body_start + request.body.len();
    let body = redact_document(request.body, method.as_deref(), apply, limits)?;
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
        .map(|c| super::Change {
            class: c.class,
            input: moved(c.input, 0),
            output: moved(c.output, head_shift),
        })
        .collect();
    let mut notes = body.notes.clone();
    let signed = crate::sign::params::parse(request.query)
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

/// Where the value of the first `Content-Length` header is in `input`.
pub(super) fn content_length_value(
    input: &[u8],
    request: &http::HttpRequest<'_>,
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
