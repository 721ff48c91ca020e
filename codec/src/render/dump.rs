//! A readable, stable text dump of a decoded model, used by the snapshot tests. Personal values
//! are replaced by their class and length; positions are omitted.

use crate::model::qimen::QimenBody;
use crate::model::{FieldKind, FieldSpec, Item, List, Map, Node, Unknown, UnknownKind, Visitor};
use crate::privacy::hidden;
use crate::wire::text::Text;
use std::fmt::Write;

/// Dumps `body` as an indented tree, one field per line.
pub fn dump(body: &QimenBody<'_>) -> String {
    let mut d = Dumper {
        out: String::new(),
        depth: 0,
        index: 0,
    };
    let _ = writeln!(
        d.out,
        "<{}> as {}",
        body.kind().root(),
        body.kind().spec().name
    );
    d.depth = 1;
    body.visit(&mut d);
    d.out
}

/// Dumps a wdt `body` like [`dump`]: one field per line, personal values masked.
pub fn dump_wdt(body: &crate::model::wdt::WdtBody<'_>) -> String {
    let kind = body.kind();
    dump_json_body(kind.method(), kind.direction(), kind.spec().name, |d| {
        body.visit(d)
    })
}

/// [`dump`] for a 金蝶 WebAPI body.
pub fn dump_kingdee(body: &crate::model::kingdee::KingdeeBody<'_>) -> String {
    let kind = body.kind();
    dump_json_body(kind.method(), kind.direction(), kind.spec().name, |d| {
        body.visit(d)
    })
}

/// A JSON body's dump: a heading naming the method, the direction and the root struct, then
/// the fields `visit` walks.
fn dump_json_body(
    method: &str,
    direction: crate::model::Direction,
    root: &str,
    visit: impl FnOnce(&mut Dumper),
) -> String {
    let mut d = Dumper {
        out: String::new(),
        depth: 0,
        index: 0,
    };
    let dir = match direction {
        crate::model::Direction::Request => "request",
        crate::model::Direction::Response => "response",
    };
    let _ = writeln!(d.out, "{method} {dir} as {root}");
    d.depth = 1;
    visit(&mut d);
    d.out
}

struct Dumper {
    out: String,
    depth: usize,
    index: u32,
}

impl Dumper {
    fn line(&mut self, name: &str, rest: &str) {
        let index = std::mem::take(&mut self.index);
        let _ = write!(self.out, "{}{name}", "  ".repeat(self.depth));
        if index > 0 {
            let _ = write!(self.out, "[{index}]");
        }
        let _ = writeln!(self.out, "{rest}");
    }
}

impl<'a> Visitor<'a> for Dumper {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        let Some(t) = value else { return };
        let v = t.value();
        let shown = match field.privacy {
            Some(class) => hidden(class, &v),
            None => format!("{v:?}"),
        };
        self.line(field.name, &format!(" = {shown}"));
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let Some(n) = value else { return };
        self.line(field.name, "");
        self.depth += 1;
        n.visit(self);
        self.depth -= 1;
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let (Some(list), FieldKind::List(item)) = (value, field.kind) else {
            return;
        };
        self.line(field.name, &format!(" ({} items)", list.items.len()));
        self.depth += 1;
        for (i, it) in list.items.iter().enumerate() {
            self.index = i as u32 + 1;
            it.accept(item, self);
        }
        self.unknown(&list.unknown);
        self.depth -= 1;
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        let Some(map) = value else { return };
        self.line(field.name, "");
        self.depth += 1;
        for e in &map.entries {
            self.line(&e.key, &format!(" = {:?}", e.value.value()));
        }
        self.depth -= 1;
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        for u in unknown {
            let what = match u.kind {
                UnknownKind::Element => "unknown element",
                UnknownKind::Duplicate => "duplicate element",
                UnknownKind::Text => "stray text",
                UnknownKind::WrongType => "value of the wrong type",
            };
            let name = if u.name.is_empty() { "#text" } else { &u.name };
            self.line(
                name,
                &format!(" ({what}, {} bytes kept verbatim)", u.raw.len()),
            );
        }
    }
}
