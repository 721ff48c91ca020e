//! The collector both front ends use: walks a decoded body with the generated field tables and
//! gathers every non-blank value of a privacy-classified field, or the first reason why a
//! redaction of them would be incomplete.
//!
//! Qimen XML and wdt JSON differ only in their paths (kept by the validator's [`PathStack`]) and
//! in what a value may be; see [`Style`].

use crate::model::path::PathStack;
use crate::model::{
    FieldKind, FieldSpec, Item, List, Map, Node, StructSpec, Unknown, UnknownKind, Visitor,
};
use crate::privacy::Privacy;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// How the body is written, which decides its paths, what counts as a value, and the wording
/// of refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Qimen XML: `/request/orderLines/orderLine[2]/planQty`, 1-based.
    Xml,
    /// wdt JSON Pointers: `/trade_list/1/receiver_name`, 0-based.
    Json,
}

impl Style {
    /// Why a classified field holding structure is refused.
    fn holds_children(self) -> &'static str {
        match self {
            Style::Xml => "the personal field holds child elements instead of text",
            Style::Json => "the personal field holds an object or an array instead of a value",
        }
    }

    /// Why a repeated classified field (or block holding one) is refused.
    fn repeated(self) -> &'static str {
        match self {
            Style::Xml => "the element is repeated; receivers disagree on which copy counts, so its personal values cannot be located reliably",
            Style::Json => "the key is repeated; receivers disagree on which copy counts, so its personal values cannot be located reliably",
        }
    }

    /// Whether `t` holds nothing to redact: blank, or in JSON `null`, `true` or `false`.
    fn is_empty(self, t: &Text<'_>) -> bool {
        match self {
            Style::Xml => t.is_blank(),
            Style::Json => {
                !(t.is_json_string() || t.is_json_number()) || t.value().trim().is_empty()
            }
        }
    }
}

impl Style {
    /// Whether the value `t` of a classified field (not holding structure) is something to
    /// hide: not empty, and not platform ciphertext.
    #[inline]
    pub(crate) fn holds_value(self, t: &Text<'_>) -> bool {
        let plainly_held = match self {
            Style::Json => json_value_plainly_held(t),
            Style::Xml => xml_value_plainly_held(t),
        };
        if plainly_held {
            return true;
        }
        !self.is_empty(t) && !super::is_ciphertext(&t.value())
    }
}

/// A cheap test for the usual JSON value of a classified field: a string without escapes (or a
/// number) that starts with a visible character other than a ciphertext separator is neither
/// empty nor ciphertext. Unicode whitespace starts with an ASCII byte or a 0xC2/0xE1/0xE2/0xE3
/// lead byte, so any other first byte proves the value does not start blank.
#[inline(always)]
fn json_value_plainly_held(t: &Text<'_>) -> bool {
    if !t.is_json() || !t.is_verbatim() {
        return false;
    }
    starts_held(t)
}

/// The same cheap test for XML text: plain text (no entities, CDATA, markup or children) that
/// starts with a visible character other than a ciphertext separator.
#[inline(always)]
fn xml_value_plainly_held(t: &Text<'_>) -> bool {
    t.is_verbatim_xml() && starts_held(t)
}

/// Whether a verbatim value's first byte proves it neither blank nor platform ciphertext.
#[inline(always)]
fn starts_held(t: &Text<'_>) -> bool {
    t.raw().as_bytes().first().is_some_and(|&b| {
        (b > b' ' && b < 0x80 && b != b'~' && b != b'$')
            || !matches!(b, 0x00..=0x7F | 0x80..=0xC2 | 0xE1..=0xE3)
    })
}

/// Whether a value of a classified JSON field is recorded as personal (what [`collect`] does
/// with it): not an object or array, not empty, not platform ciphertext. The validator uses it
/// to gather the same spans in its own walk.
#[inline]
pub(crate) fn json_personal(t: &Text<'_>) -> bool {
    !t.has_children() && Style::Json.holds_value(t)
}

/// [`json_personal`] for Qimen XML: a value of a classified element is recorded as personal
/// unless it holds child elements, is blank or is platform ciphertext.
#[inline]
pub(crate) fn xml_personal(t: &Text<'_>) -> bool {
    !t.has_children() && Style::Xml.holds_value(t)
}

/// Why the personal values of a body cannot all be located reliably (redaction then refuses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// Wire path of the element.
    pub(crate) path: String,
    /// Why.
    pub(crate) reason: &'static str,
}

/// One personal value found in a decoded body.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Its class.
    pub(crate) class: Privacy,
    /// Wire path, in the body's [`Style`].
    pub(crate) path: String,
    /// Where its raw text is in the input: XML text, a JSON string's content, or a number token.
    pub(crate) span: Span,
    /// The decoded value.
    pub(crate) value: String,
    /// Written as a bare JSON number, so the new value needs quotes.
    pub(crate) number: bool,
    /// The field's length limit, for `hash` tokens.
    pub(crate) max_chars: Option<u32>,
}

/// Every non-blank personal value in document order, and the first reason (if any) why a
/// redaction of them would be incomplete: a classified field holding structure, or a repeated
/// classified field (or block holding one) that the model kept aside.
///
/// `root` is the element the body is written under (XML), `spec` the root's field table,
/// `bare` the list field a bare top-level JSON array stands for (its name is not in paths), and
/// `visit` walks the body with the collector.
///
/// With `spans_only`, a value is recorded by its span alone, in `hidden` (no path, no copy):
/// what a caller needs that only hides values when it quotes source lines.
pub(crate) fn collect(
    style: Style,
    root: Option<&'static str>,
    spec: &'static StructSpec,
    bare: Option<&'static str>,
    spans_only: bool,
    visit: impl FnOnce(&mut Collector),
) -> Collected {
    let mut path = match style {
        Style::Xml => PathStack::new(),
        Style::Json => PathStack::json(),
    };
    if let Some(root) = root {
        path.push(root, 0);
    }
    let mut c = Collector {
        style,
        found: Vec::new(),
        problem: None,
        hidden: Vec::new(),
        path,
        depth: 0,
        specs: vec![spec],
        index: 0,
        bare,
        spans_only,
    };
    visit(&mut c);
    Collected {
        found: c.found,
        problem: c.problem,
        hidden: c.hidden,
    }
}

/// What [`collect`] found.
pub(crate) struct Collected {
    /// Every non-blank personal value, in document order.
    pub(crate) found: Vec<Found>,
    /// Why a redaction of them would be incomplete, if it would be.
    pub(crate) problem: Option<Refusal>,
    /// Spans that may hold personal data although they are no classified value: elements or
    /// keys the contract does not define (a misspelled `<nmae>`, a `<contactMobile>` in an
    /// order line), repeated ones (a second `<name>` or `receiver_name`), stray text and free
    /// key/value maps, in any block. Renderers hide them when they quote source lines.
    pub(crate) hidden: Vec<Span>,
}

/// The visitor behind [`collect`].
pub(crate) struct Collector {
    style: Style,
    found: Vec<Found>,
    problem: Option<Refusal>,
    hidden: Vec<Span>,
    path: PathStack,
    /// How many fields deep the walk is (the root element not counted).
    depth: u32,
    specs: Vec<&'static StructSpec>,
    /// The 1-based index of the list item being visited, or 0.
    index: u32,
    bare: Option<&'static str>,
    /// Record values by their span alone, in `hidden`.
    spans_only: bool,
}

impl Collector {
    fn enter(&mut self, name: &'static str, index: u32) {
        self.path.push(name, index);
        self.depth += 1;
    }

    fn leave(&mut self) {
        self.path.pop();
        self.depth -= 1;
    }

    fn refuse(&mut self, path: String, reason: &'static str) {
        self.problem.get_or_insert(Refusal { path, reason });
    }
}

/// Whether a field is classified or can hold a classified field below it.
pub(crate) fn holds_personal(field: &FieldSpec, depth: u32) -> bool {
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
        let index = std::mem::take(&mut self.index);
        let (Some(class), Some(t)) = (field.privacy, value) else {
            return;
        };
        let path = || self.path.render(Some((field.name, index)));
        if t.has_children() {
            let path = path();
            return self.refuse(path, self.style.holds_children());
        }
        if !self.style.holds_value(t) {
            return;
        }
        if self.spans_only {
            self.hidden.push(t.span());
            return;
        }
        let found = Found {
            class,
            path: path(),
            span: t.span(),
            value: t.value().into_owned(),
            number: t.is_json_number(),
            max_chars: field.max_chars,
        };
        self.found.push(found);
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let index = std::mem::take(&mut self.index);
        let Some(n) = value else { return };
        self.enter(field.name, index);
        self.specs.push(T::SPEC);
        n.visit(self);
        self.specs.pop();
        self.leave();
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let index = std::mem::take(&mut self.index);
        let (Some(list), FieldKind::List(item)) = (value, field.kind) else {
            return;
        };
        let bare = self.depth == 0 && self.bare == Some(field.name);
        self.enter(if bare { "" } else { field.name }, index);
        for (i, it) in list.items.iter().enumerate() {
            self.index = i as u32 + 1;
            it.accept(item, self);
        }
        self.index = 0;
        self.leave();
    }

    // A free key/value map, and anything outside the contract, may hold a personal value
    // under any name in any block (`<contactMobile>` in an order line): all of it is hidden
    // when a renderer quotes source lines.
    fn map(&mut self, _: &'static FieldSpec, value: Option<&Map<'a>>) {
        self.index = 0;
        if let Some(map) = value {
            self.hidden
                .extend(map.entries.iter().map(|e| e.value.span()));
            self.hidden.extend(map.unknown.iter().map(|u| u.span));
        }
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        let Some(spec) = self.specs.last().copied() else {
            return;
        };
        for u in unknown {
            let personal = spec.field(&u.name).is_some_and(|f| holds_personal(f, 0));
            self.hidden.push(u.span);
            if u.kind == UnknownKind::Duplicate && personal {
                let path = self.path.render(Some((&u.name, 0)));
                self.refuse(path, self.style.repeated());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{json_value_plainly_held, Style};
    use crate::model::qimen::BODY_KINDS;
    use crate::model::wdt::WDT_BODY_KINDS;
    use crate::model::{FieldKind, StructSpec};

    /// How many segments the walk below `spec` can enter at most, and every wire name below it
    /// with whether it names a list item.
    fn walk(spec: &StructSpec, names: &mut Vec<(&'static str, bool)>) -> usize {
        let mut deepest = 0;
        for f in spec.fields {
            names.push((f.name, false));
            let (mut kind, mut entered) = (f.kind, 0);
            while let FieldKind::List(item) = kind {
                names.push((item.name, true));
                (kind, entered) = (item.kind, entered + 1);
            }
            if let FieldKind::Struct(s) = kind {
                entered += 1 + walk(s, names);
            }
            deepest = deepest.max(entered);
        }
        deepest
    }

    /// The paths the collector renders through the validator's `PathStack` are the ones the
    /// front ends always gave: no walk goes past its 64 segments (the XML root element is one),
    /// no wire name needs JSON Pointer escaping, and wdt list items are unnamed, so only their
    /// index shows.
    #[test]
    fn tables_fit_the_path_stack() {
        for kind in BODY_KINDS {
            let mut names = Vec::new();
            // The root element takes one of the 64 segments.
            assert!(walk(kind.spec(), &mut names) < 64, "{kind:?}");
            assert!(names.iter().all(|(n, _)| !n.is_empty()), "{kind:?}");
        }
        for kind in WDT_BODY_KINDS {
            let mut names = Vec::new();
            assert!(walk(kind.spec(), &mut names) <= 64, "{kind:?}");
            for (name, item) in names {
                assert_eq!(name.is_empty(), item, "{kind:?} `{name}`");
                assert!(!name.contains(['~', '/']), "{kind:?} `{name}`");
            }
        }
    }

    /// The cheap test never says "something to hide" where the full one does not: every value
    /// of a wdt document written in the ways a personal value can be (plain, blank, Unicode
    /// blank, escaped, a number, a literal, ciphertext of both forms, a separator alone).
    #[test]
    fn the_cheap_test_agrees_with_the_full_one() {
        use crate::model::{FieldSpec, Item, List, Map, Node, Unknown, Visitor};
        use crate::wire::text::Text;
        struct Each(usize, usize);
        impl<'a> Visitor<'a> for Each {
            fn text(&mut self, _: &'static FieldSpec, value: Option<&Text<'a>>) {
                let Some(t) = value else { return };
                let full = !Style::Json.is_empty(t) && !super::super::is_ciphertext(&t.value());
                let cheap = json_value_plainly_held(t);
                assert!(!cheap || full, "{t:?}");
                assert_eq!(Style::Json.holds_value(t), full, "{t:?}");
                self.0 += 1;
                self.1 += usize::from(cheap);
            }
            fn node<T: Node<'a>>(&mut self, _: &'static FieldSpec, value: Option<&T>) {
                if let Some(n) = value {
                    n.visit(self);
                }
            }
            fn list<T: Item<'a>>(&mut self, f: &'static FieldSpec, value: Option<&List<'a, T>>) {
                if let (Some(l), FieldKind::List(item)) = (value, f.kind) {
                    l.items.iter().for_each(|it| it.accept(item, self));
                }
            }
            fn map(&mut self, _: &'static FieldSpec, _: Option<&Map<'a>>) {}
            fn unknown(&mut self, _: &[Unknown<'a>]) {}
        }
        let values = [
            r#""王伟""#,
            r#""""#,
            r#""  ""#,
            r#""\u3000王""#,
            "\"\u{3000}王\"",
            r#"" 王""#,
            "null",
            "true",
            "false",
            "12",
            "-1.5",
            r#""~CKoqAl2hWzh54uBFv9Suug==~1~""#,
            r#""$1388$CKoqAl2hWzh54uBFv9Suug==$1$""#,
            r#""\u0001CKoqAl2hWzh54uBFv9Suug==\u00012\u0001""#,
            r#""\u738b""#,
            r#""\u0020""#,
            r#""~王""#,
            r#""$5""#,
            r#""~""#,
            "\"\u{a0}x\"",
            "\"\u{85}x\"",
            "\"\u{2028}\"",
            r#""x ""#,
            r#""A""#,
        ];
        // One trade per value, under one of four classified keys.
        let keys = [
            "receiver_name",
            "receiver_address",
            "buyer_nick",
            "receiver_mobile",
        ];
        let trades: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!(r#"{{"{}":{v}}}"#, keys[i % 4]))
            .collect();
        let input = format!(r#"{{"trade_list":[{}]}}"#, trades.join(","));
        let mut each = Each(0, 0);
        let spec = crate::model::wdt::method("trade_push").expect("a wdt method");
        let body = spec
            .request
            .decode(&input, &crate::Limits::default())
            .expect("decodes");
        body.visit(&mut each);
        assert!(each.0 >= values.len(), "{} values", each.0);
        assert!(
            each.1 >= 5 && each.1 < each.0,
            "{} of {} cheaply",
            each.1,
            each.0
        );
    }
}
