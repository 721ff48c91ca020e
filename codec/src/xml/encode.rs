//! Model → XML. Decoded text is written back exactly as it was read (entities, CDATA and all);
//! text built in code is escaped. Unknown elements are written verbatim after the known fields,
//! so decode → encode → decode yields an equal model.

use crate::model::{FieldKind, FieldSpec, Item, List, Map, Node, Unknown, UnknownKind, Visitor};
use crate::wire::text::Text;

/// A whole document body (the generated `QimenBody`): the name of its root element and a walk
/// over its fields.
pub trait XmlBody<'a> {
    /// The root element's name (`request`, `response`, `error_response`).
    fn root_name(&self) -> &'static str;
    /// Calls `v` once per field of the root, in wire order.
    fn visit_fields<V: Visitor<'a>>(&self, v: &mut V);
}

/// Writes `body` as a compact XML document with an XML declaration.
pub fn encode<'a, B: XmlBody<'a>>(body: &B) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let root = body.root_name();
    let mut enc = Encoder { out: &mut out };
    enc.open(root);
    body.visit_fields(&mut enc);
    enc.close(root);
    out
}

/// Escapes `&`, `<`, `>` (and quotes) for element content.
pub fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

struct Encoder<'o> {
    out: &'o mut String,
}

impl Encoder<'_> {
    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn content(&mut self, text: &Text<'_>) {
        if text.is_plain() {
            escape_into(self.out, text.raw());
        } else {
            self.out.push_str(text.raw());
        }
    }
}

impl<'a> Visitor<'a> for Encoder<'_> {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        if let Some(text) = value {
            self.open(field.name);
            self.content(text);
            self.close(field.name);
        }
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        if let Some(node) = value {
            self.open(field.name);
            node.visit(self);
            self.close(field.name);
        }
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let (Some(list), FieldKind::List(item)) = (value, field.kind) else {
            return;
        };
        self.open(field.name);
        for it in &list.items {
            it.accept(item, self);
        }
        self.unknown(&list.unknown);
        self.close(field.name);
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        if let Some(map) = value {
            self.open(field.name);
            for e in &map.entries {
                self.open(&e.key);
                self.content(&e.value);
                self.close(&e.key);
            }
            self.unknown(&map.unknown);
            self.close(field.name);
        }
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        let mut previous_was_text = false;
        for u in unknown {
            let is_text = u.kind == UnknownKind::Text;
            // Stray text pieces that were apart in the input (an element between them) would
            // merge into one when written next to each other; an empty comment keeps them apart.
            if is_text && previous_was_text {
                self.out.push_str("<!---->");
            }
            self.out.push_str(&u.raw);
            previous_was_text = is_text;
        }
    }
}
