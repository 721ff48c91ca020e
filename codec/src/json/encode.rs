//! Writes a decoded (or built) wdt model back as JSON.
//!
//! Values decoded from JSON are written exactly as they were (a number stays a number, escapes
//! stay as written); values built in code are escaped. Fields come out in the spec's order,
//! followed by the unknown keys, so decode → encode → decode gives an equal model.

use crate::model::{FieldSpec, Item, List, Map, Node, Unknown, UnknownKind, Visitor};
use crate::wire::json_escape::{escape_into, quote};
use crate::wire::text::Text;

/// Encodes `root` as a JSON object, or, when `bare` names one of its list fields, as just that
/// field's array (the bare `trade_list` form).
pub(crate) fn encode<'a, T: Node<'a>>(root: &T, bare: Option<&'static str>) -> String {
    let mut e = JsonEncoder {
        out: String::new(),
        first: Vec::new(),
        array_item: false,
        bare,
        depth: 0,
    };
    match bare {
        Some(_) => {
            e.depth = 1;
            root.visit(&mut e);
        }
        None => e.object(root),
    }
    e.out
}

struct JsonEncoder {
    out: String,
    /// Per open container: whether nothing has been written into it yet.
    first: Vec<bool>,
    /// The next value is an array element (no key).
    array_item: bool,
    /// Only this root field is written, as the whole document.
    bare: Option<&'static str>,
    depth: usize,
}

impl JsonEncoder {
    /// Starts a member (or an array element); false when it must be skipped (bare mode).
    fn member(&mut self, name: &str) -> bool {
        if self.depth == 1 {
            if let Some(bare) = self.bare {
                return bare == name;
            }
        }
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
        }
        if !std::mem::take(&mut self.array_item) {
            self.out.push('"');
            escape_into(name, &mut self.out);
            self.out.push_str("\":");
        }
        true
    }

    fn open(&mut self, c: char) {
        self.out.push(c);
        self.first.push(true);
        self.depth += 1;
    }

    fn close(&mut self, c: char) {
        self.out.push(c);
        self.first.pop();
        self.depth -= 1;
    }

    fn object<'a, T: Node<'a>>(&mut self, node: &T) {
        if let Some(u) = wrong_type(node.unknown()) {
            self.out.push_str(&u.raw);
            return;
        }
        self.open('{');
        node.visit(self);
        self.close('}');
    }

    fn scalar(&mut self, t: &Text<'_>) {
        if t.is_json_string() {
            self.out.push('"');
            self.out.push_str(t.raw());
            self.out.push('"');
        } else if t.is_json() {
            self.out.push_str(t.raw());
        } else {
            self.out.push_str(&quote(&t.value()));
        }
    }
}

fn wrong_type<'u, 'a>(unknown: &'u [Unknown<'a>]) -> Option<&'u Unknown<'a>> {
    unknown.iter().find(|u| u.kind == UnknownKind::WrongType)
}

impl<'a> Visitor<'a> for JsonEncoder {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        if let Some(t) = value {
            if self.member(field.name) {
                self.scalar(t);
            }
        } else {
            self.array_item = false;
        }
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        if let Some(n) = value {
            if self.member(field.name) {
                self.object(n);
            }
        } else {
            self.array_item = false;
        }
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let Some(list) = value else { return };
        if !self.member(field.name) {
            return;
        }
        if let Some(u) = wrong_type(&list.unknown) {
            self.out.push_str(&u.raw);
            return;
        }
        let crate::model::FieldKind::List(item) = field.kind else {
            return;
        };
        self.open('[');
        for it in &list.items {
            self.array_item = true;
            it.accept(item, self);
        }
        self.close(']');
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        let Some(map) = value else { return };
        if !self.member(field.name) {
            return;
        }
        self.open('{');
        for e in &map.entries {
            self.member(&e.key);
            self.scalar(&e.value);
        }
        self.close('}');
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        if self.depth == 1 && self.bare.is_some() {
            return;
        }
        for u in unknown {
            if u.kind != UnknownKind::WrongType {
                self.member(&u.name);
                self.out.push_str(&u.raw);
            }
        }
    }
}
