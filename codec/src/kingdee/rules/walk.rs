//! One walk over a request's model with a JSON Pointer path, handing each place to the rule that
//! cares: base-data references ([`super::values`] for scalars, [`super::keys`] for keys outside
//! the contract), and noting what the batch rules need.

use super::Ctx;
use crate::kingdee::reply::is_ref;
use crate::model::kingdee::KingdeeBody;
use crate::model::node::{Item, Node, Visitor};
use crate::model::values::{List, Map, Unknown, UnknownKind};
use crate::model::FieldSpec;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// What the walk noted for the batch rules.
#[derive(Default)]
pub(crate) struct Seen {
    /// Each bill's `FBillNo`: (bill path, value, span).
    pub bill_numbers: Vec<(String, String, Span)>,
    /// How many bills `Model` holds (`None`: no array).
    pub bills: Option<usize>,
}

/// Walks a request body, reporting into `ctx`.
pub(crate) fn walk(body: &KingdeeBody<'_>, ctx: &mut Ctx) -> Seen {
    let mut w = Walker {
        ctx,
        path: Vec::new(),
        structs: Vec::new(),
        item: None,
        seen: Seen::default(),
        batch: matches!(body, KingdeeBody::BatchSaveRequest(_)),
    };
    body.visit(&mut w);
    w.seen
}

struct Walker<'c> {
    ctx: &'c mut Ctx,
    path: Vec<String>,
    /// The struct names from the root to the current node.
    structs: Vec<&'static str>,
    /// The index of the list item about to be visited.
    item: Option<usize>,
    seen: Seen,
    batch: bool,
}

impl Walker<'_> {
    fn here(&self) -> String {
        self.path.iter().map(|p| format!("/{p}")).collect()
    }

    /// Enters a field or list item.
    fn push(&mut self, field: &FieldSpec) {
        match self.item.take() {
            Some(i) => self.path.push(i.to_string()),
            None => self.path.push(field.name.to_string()),
        }
    }
}

impl<'a> Visitor<'a> for Walker<'_> {
    fn root<T: Node<'a>>(&mut self, node: &T) {
        self.structs.push(T::SPEC.name);
        node.visit(self);
        self.structs.pop();
    }

    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        self.push(field);
        let Some(value) = value.filter(|v| !v.is_blank()) else {
            self.path.pop();
            return;
        };
        let path = self.here();
        let parent = self.structs.last().copied().unwrap_or("");
        if field.name == "FBillNo" && parent == "ReturnStockBill" {
            let bill = path.trim_end_matches("/FBillNo").to_string();
            self.seen
                .bill_numbers
                .push((bill, value.value().trim().to_string(), value.span()));
        }
        super::values::check(self.ctx, field, value, path);
        self.path.pop();
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let Some(node) = value else {
            self.item = None;
            return;
        };
        self.push(field);
        let path = self.here();
        let wrong = node
            .unknown()
            .iter()
            .find(|u| u.kind == UnknownKind::WrongType);
        match wrong {
            Some(u) if is_ref(field) => super::values::bare_reference(self.ctx, field, u, path),
            Some(u) if field.name == "Model" && u.raw.starts_with('[') => {
                super::keys::model_shape(self.ctx, false, u.span, path)
            }
            _ => {
                self.structs.push(T::SPEC.name);
                node.visit(self);
                self.structs.pop();
            }
        }
        self.path.pop();
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let Some(list) = value else {
            self.item = None;
            return;
        };
        self.push(field);
        let wrong = list
            .unknown
            .iter()
            .find(|u| u.kind == UnknownKind::WrongType);
        if let Some(u) = wrong {
            if field.name == "Model" && u.raw.starts_with('{') {
                super::keys::model_shape(self.ctx, true, u.span, self.here());
            }
        } else {
            if field.name == "Model" && self.batch {
                self.seen.bills = Some(list.items.len());
            }
            for (i, item) in list.items.iter().enumerate() {
                self.item = Some(i);
                item.accept(field, self);
            }
        }
        self.path.pop();
    }

    fn map(&mut self, _field: &'static FieldSpec, _value: Option<&Map<'a>>) {
        self.item = None;
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        let within = self.structs.last().copied().unwrap_or("");
        let here = self.here();
        for u in unknown.iter().filter(|u| u.kind == UnknownKind::Element) {
            super::keys::unknown_key(self.ctx, within, &here, u);
        }
    }
}
