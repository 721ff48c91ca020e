//! Which message a document is: from the method the caller names, or else from the document's
//! shape. Detection never guesses: when several messages fit equally, it says so.

use crate::error::DecodeError;
use crate::error::DecodeErrorKind;
use crate::model::node::{Item, Node, Visitor};
use crate::model::qimen::MethodSpec;
use crate::model::qimen::{self, BodyKind, BODY_KINDS};
use crate::model::values::{List, Map, Unknown};
use crate::model::{Direction, FieldKind, FieldSpec, StructSpec};
use crate::options::Limits;
use crate::wire::text::Text;
use crate::xml::decode::root_name;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;

/// How the body kind was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The body kind is known; `detected` says whether it came from the shape.
    Body {
        /// The chosen body.
        kind: BodyKind,
        /// True when no method was given and the shape decided.
        detected: bool,
    },
    /// Several messages fit the shape about equally well.
    Ambiguous {
        /// The methods that fit.
        methods: Vec<&'static str>,
        /// The root element (`request` or `response`).
        root: &'static str,
    },
    /// No message explains enough of the document to be taken for it.
    Unrecognised {
        /// The closest methods, best first, each with how many of the document's elements it
        /// knows and how many there are.
        closest: Vec<(&'static str, usize, usize)>,
        /// The root element (`request` or `response`).
        root: &'static str,
    },
    /// The root element is not a Qimen body (or not one the named method exchanges).
    BadRoot {
        /// The root element found.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
}

/// Chooses the body kind of `input`, given an optional method.
pub fn route(
    input: &str,
    method: Option<&'static MethodSpec>,
    limits: &Limits,
) -> Result<Route, DecodeError> {
    let root = root_name(input, limits)?;
    Ok(match (root, method) {
        ("error_response", _) => Route::Body {
            kind: BodyKind::ErrorResponse,
            detected: method.is_none(),
        },
        ("request", Some(m)) => Route::Body {
            kind: m.request,
            detected: false,
        },
        ("response", Some(m)) => Route::Body {
            kind: m.response,
            detected: false,
        },
        ("request", None) => detect(input, Direction::Request)?,
        ("response", None) => detect(input, Direction::Response)?,
        (other, _) => Route::BadRoot {
            found: other.to_string(),
            expected: "`<request>`, `<response>` or `<error_response>`",
        },
    })
}

/// Element paths below the root (up to four levels), each with its text when it is a leaf.
fn skeleton(input: &str) -> Result<BTreeMap<Vec<&str>, Option<&str>>, DecodeError> {
    const DEPTH: usize = 5;
    let base = if input.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &input[base..];
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<&str> = Vec::new();
    let mut paths = BTreeMap::new();
    let mut last_text: Option<&str> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            crate::xml::decode::syntax_error(e, base + reader.error_position() as usize)
        })?;
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(_) | Event::Empty(_) => {
                let tag = &body[before + 1..after - 1];
                let name = &tag[..tag.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(tag.len())];
                stack.push(name);
                if (2..=DEPTH).contains(&stack.len()) {
                    paths.entry(stack[1..].to_vec()).or_insert(None);
                }
                last_text = None;
                if matches!(ev, Event::Empty(_)) {
                    stack.pop();
                }
            }
            Event::Text(_) => last_text = Some(&body[before..after]),
            Event::End(_) => {
                if (2..=DEPTH).contains(&stack.len()) {
                    if let (Some(t), Some(slot)) = (last_text, paths.get_mut(&stack[1..])) {
                        slot.get_or_insert(t.trim());
                    }
                }
                last_text = None;
                stack.pop();
            }
            Event::DocType(_) => {
                return Err(DecodeError::new(DecodeErrorKind::Dtd, base + before, "document type declarations (`<!DOCTYPE …>`) are not allowed; entities are never expanded")
.with_zh("不允许文档类型声明（`<!DOCTYPE …>`）；实体一律不展开"))
            }
            Event::Eof => return Ok(paths),
            _ => {}
        }
    }
}

/// How well a struct spec explains the skeleton: (unknown paths, closed-enum mismatches).
fn fit(spec: &'static StructSpec, paths: &BTreeMap<Vec<&str>, Option<&str>>) -> (usize, usize) {
    let mut unknown = 0;
    let mut mismatched = 0;
    'paths: for (path, text) in paths {
        let mut current = spec;
        let mut segments = path.iter();
        while let Some(seg) = segments.next() {
            let Some(mut field) = current.field(seg) else {
                unknown += 1;
                continue 'paths;
            };
            if let FieldKind::List(item) = field.kind {
                match segments.next() {
                    None => continue 'paths,
                    Some(s) if *s == item.name => field = item,
                    Some(_) => {
                        unknown += 1;
                        continue 'paths;
                    }
                }
            }
            match field.kind {
                FieldKind::Struct(s) => current = s,
                FieldKind::Map => continue 'paths,
                _ => {
                    if segments.next().is_some() {
                        unknown += 1;
                    } else if let (Some(table), Some(t)) = (field.enumeration, text) {
                        if !table.open && !t.is_empty() && !table.contains(t) {
                            mismatched += 1;
                        }
                    }
                    continue 'paths;
                }
            }
        }
    }
    (unknown, mismatched)
}

/// A message is taken for a document only when it knows at least this share of the
/// document's element paths (4 in 5): a shared wrapper (`<items><item>`) is not evidence enough.
const MIN_KNOWN: (usize, usize) = (4, 5);

/// And only when the runner-up scores at least this much worse (an unknown path counts 1, a
/// value outside a closed code table 2: a code one message accepts and the other refuses is
/// strong evidence); closer than that, the document is reported as ambiguous, not guessed.
const MARGIN: usize = 2;

/// How many fields the root of `spec` requires that the document does not have at all. Flat
/// bodies (queries, holds, cancellations, reports) share most of their elements, and what a
/// look-alike lacks of its own required fields tells them apart: an `order.cancel` body has
/// no `actionType`, which an `order.pending` body cannot do without.
fn missing_required(spec: &'static StructSpec, paths: &BTreeMap<Vec<&str>, Option<&str>>) -> usize {
    spec.fields
        .iter()
        .filter(|f| f.required && !paths.contains_key([f.name].as_slice()))
        .count()
}

/// How well one body kind explains a document's element paths.
#[derive(Debug, Clone, Copy)]
struct Fit {
    kind: BodyKind,
    /// Paths the kind does not know, or whose closed code table the value misses.
    misread: usize,
    /// How badly the kind fits: unknown paths count 1, code-table misses 2, and each field
    /// the kind's root requires that the document lacks 1 (not counted in `misread`: it says
    /// nothing about how much of the document the kind knows).
    score: usize,
    /// All paths of the document.
    total: usize,
}

impl Fit {
    fn known(&self) -> usize {
        self.total - self.misread
    }

    /// Whether the kind knows enough of the document to be taken for it.
    fn enough(&self) -> bool {
        self.known() * MIN_KNOWN.1 >= self.total * MIN_KNOWN.0
    }
}

fn fits(paths: &BTreeMap<Vec<&str>, Option<&str>>, root: &str) -> Vec<Fit> {
    let mut fits: Vec<Fit> = BODY_KINDS
        .iter()
        .filter(|k| k.root() == root)
        .map(|&kind| {
            let (unknown, mismatched) = fit(kind.spec(), paths);
            Fit {
                kind,
                misread: unknown + mismatched,
                score: unknown + 2 * mismatched + missing_required(kind.spec(), paths),
                total: paths.len(),
            }
        })
        .collect();
    fits.sort_by_key(|f| f.score);
    fits
}

fn detect(input: &str, direction: Direction) -> Result<Route, DecodeError> {
    let paths = skeleton(input)?;
    let root = match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    let fits = fits(&paths, root);
    let Some(best) = fits.first().copied() else {
        return Ok(Route::BadRoot {
            found: root.to_string(),
            expected: "a body of a supported method",
        });
    };
    if !best.enough() {
        return Ok(Route::Unrecognised {
            closest: fits
                .iter()
                .filter(|f| f.known() > 0)
                .take(3)
                .filter_map(|f| Some((f.kind.method()?, f.known(), f.total)))
                .collect(),
            root,
        });
    }
    let close: Vec<BodyKind> = fits
        .iter()
        .filter(|f| f.enough() && f.score < best.score + MARGIN)
        .map(|f| f.kind)
        .collect();
    if close.len() == 1 {
        return Ok(Route::Body {
            kind: best.kind,
            detected: true,
        });
    }
    // Among close fits, one that knows every path and every code, when it is the only such
    // and scores best, is taken: the others each fail to know a field of the document (an
    // `order.cancel` body's `cancelReason` is not a field of `orderprocess.query`), while two
    // that both know every path stay ambiguous.
    let perfect: Vec<&Fit> = fits
        .iter()
        .filter(|f| close.contains(&f.kind) && f.misread == 0)
        .collect();
    if let [only] = perfect.as_slice() {
        if only.score == best.score && only.kind.method().is_some() {
            return Ok(Route::Body {
                kind: only.kind,
                detected: true,
            });
        }
    }
    // A reply that carries only the common outcome fields is the generic envelope.
    if best.score == 0 && close.contains(&BodyKind::GenericResponse) {
        let generic = fits.iter().find(|f| f.kind == BodyKind::GenericResponse);
        if generic.is_some_and(|g| g.score == 0) {
            return Ok(Route::Body {
                kind: BodyKind::GenericResponse,
                detected: true,
            });
        }
    }
    Ok(Route::Ambiguous {
        methods: close.iter().filter_map(|k| k.method()).collect(),
        root,
    })
}

/// When a request names `named` but its body fits another method far better: that method,
/// how many of the body's element paths it knows, how many `named` knows, and how many there
/// are. `None` when the named method fits well enough or nothing fits clearly better.
pub(crate) fn better_fit(
    input: &str,
    named: &'static MethodSpec,
    limits: &Limits,
) -> Option<(&'static str, usize, usize, usize)> {
    let root = root_name(input, limits).ok()?;
    if root != "request" && root != "response" {
        return None;
    }
    let paths = skeleton(input).ok()?;
    let own = if root == "request" {
        named.request
    } else {
        named.response
    };
    // The usual case, a body that fits the method it is sent as, needs only that method
    // scored: another method can only be named when this one does not know enough.
    let (unknown, mismatched) = fit(own.spec(), &paths);
    let alone = Fit {
        kind: own,
        misread: unknown + mismatched,
        score: 0,
        total: paths.len(),
    };
    if alone.enough() {
        return None;
    }
    let fits = fits(&paths, root);
    let mine = fits.iter().find(|f| f.kind == own)?;
    let best = fits.first()?;
    let clear = best.enough() && fits.get(1).is_none_or(|f| f.score >= best.score + MARGIN);
    (clear && !mine.enough() && best.kind != own)
        .then(|| Some((best.kind.method()?, best.known(), mine.known(), best.total)))
        .flatten()
}

/// How many element paths of `input` (its second reading, as [`better_fit`] makes it) the
/// body of `named` misreads: paths it does not know plus closed codes it refuses. `None` when
/// `better_fit` stops before scoring (not a request or response root, or the reading fails).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn misread_by(
    input: &str,
    named: &'static MethodSpec,
    limits: &Limits,
) -> Option<usize> {
    let root = root_name(input, limits).ok()?;
    let own = match root {
        "request" => named.request,
        "response" => named.response,
        _ => return None,
    };
    let paths = skeleton(input).ok()?;
    let (unknown, mismatched) = fit(own.spec(), &paths);
    Some(unknown + mismatched)
}

/// Whether the decoded `body` proves that the method it was decoded as knows every element
/// path of the document and every code of a closed table the paths hold, i.e. that
/// [`better_fit`] would answer `None` for it without reading the document again.
///
/// The decoder sends every element to a field of the spec it decodes with (generated
/// `decode_child` matches the same wire names as [`StructSpec::field`], list items the item's
/// name), or keeps it aside (`Unknown`: unknown elements, duplicates, stray text), or, below a
/// scalar, marks the text as holding children. So a model with nothing kept aside and no
/// scalar holding children has only paths its spec knows. A closed code is vouched for only
/// when the raw text is verbatim (one text piece, as [`skeleton`] reads it) and its trimmed
/// form is empty or in the table; anything else (entities, CDATA, comments) is left to the
/// full check, which then reads the document as before. The answer errs only towards `false`.
pub(crate) fn known_to_decoder(body: &qimen::QimenBody<'_>) -> bool {
    let mut check = AllKnown { known: true };
    body.visit(&mut check);
    check.known
}

/// The visitor of [`known_to_decoder`].
struct AllKnown {
    known: bool,
}

impl<'a> Visitor<'a> for AllKnown {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        let Some(text) = value else { return };
        if text.has_children() {
            self.known = false;
            return;
        }
        if let Some(table) = field.enumeration.filter(|t| !t.open) {
            let code = text.raw().trim();
            if !code.is_empty() && (!text.is_verbatim_xml() || !table.contains(code)) {
                self.known = false;
            }
        }
    }

    fn node<T: Node<'a>>(&mut self, _field: &'static FieldSpec, value: Option<&T>) {
        if let Some(node) = value {
            if self.known {
                node.visit(self);
            }
        }
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let Some(list) = value else { return };
        if !list.unknown.is_empty() {
            self.known = false;
            return;
        }
        let FieldKind::List(item) = field.kind else {
            self.known = false;
            return;
        };
        for it in &list.items {
            if !self.known {
                return;
            }
            it.accept(item, self);
        }
    }

    fn map(&mut self, _field: &'static FieldSpec, _value: Option<&Map<'a>>) {
        // Whatever a map holds, every path below it is known (see `fit`).
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        if !unknown.is_empty() {
            self.known = false;
        }
    }
}

/// Looks a method up by full or short name.
pub fn method(name: &str) -> Option<&'static MethodSpec> {
    qimen::method(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(xml: &str) -> Route {
        route(xml, None, &Limits::default()).unwrap()
    }

    #[test]
    fn create_and_confirm_told_apart_by_their_own_fields() {
        let create = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode><createTime>2020-01-01 00:00:00</createTime><shopNick>s</shopNick></deliveryOrder></request>";
        assert_eq!(
            routed(create),
            Route::Body {
                kind: BodyKind::DeliveryOrderCreateRequest,
                detected: true
            }
        );
        let confirm = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode><orderType>JYCK</orderType><status>DELIVERED</status></deliveryOrder><packages/></request>";
        assert_eq!(
            routed(confirm),
            Route::Body {
                kind: BodyKind::DeliveryOrderConfirmRequest,
                detected: true
            }
        );
    }

    #[test]
    fn shared_shape_is_reported_as_ambiguous() {
        let xml = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>W</warehouseCode></deliveryOrder></request>";
        match routed(xml) {
            Route::Ambiguous { methods: m, .. } => {
                assert!(m.contains(&"taobao.qimen.deliveryorder.create"), "{m:?}");
                assert!(m.contains(&"taobao.qimen.deliveryorder.confirm"), "{m:?}");
            }
            other => panic!("expected ambiguity, got {other:?}"),
        }
    }

    #[test]
    fn flat_bodies_need_a_field_of_their_own() {
        let cancel = "<request><warehouseCode>W</warehouseCode><orderCode>A</orderCode><orderType>JYCK</orderType><cancelReason>r</cancelReason></request>";
        assert_eq!(
            routed(cancel),
            Route::Body {
                kind: BodyKind::OrderCancelRequest,
                detected: true
            }
        );
        let pending = "<request><actionType>pending</actionType><warehouseCode>W</warehouseCode><orderCode>A</orderCode></request>";
        assert_eq!(
            routed(pending),
            Route::Body {
                kind: BodyKind::OrderPendingRequest,
                detected: true
            }
        );
        let bare = "<request><warehouseCode>W</warehouseCode><orderCode>A</orderCode><orderType>JYCK</orderType></request>";
        match routed(bare) {
            Route::Ambiguous { methods: m, .. } => {
                assert!(m.contains(&"taobao.qimen.order.cancel"), "{m:?}");
                assert!(m.contains(&"taobao.qimen.orderprocess.query"), "{m:?}");
            }
            other => panic!("expected ambiguity, got {other:?}"),
        }
    }

    #[test]
    fn outcome_only_reply_is_the_generic_envelope() {
        let xml = "<response><flag>success</flag><code>0</code><message>ok</message></response>";
        assert_eq!(
            routed(xml),
            Route::Body {
                kind: BodyKind::GenericResponse,
                detected: true
            }
        );
    }
}
