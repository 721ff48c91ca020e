//! The JSON view of a decoded Qimen body: the shape the JSON Schemas under `schemas/qimen/`
//! describe. An element with fields becomes an object, in wire order; every scalar becomes a
//! string (its text with entities and CDATA resolved, exactly as written otherwise, so `" 2 "`
//! stays `" 2 "` and an empty element is `""`); a list wrapper becomes an object holding one
//! array under the item's name (`{"orderLine": [ … ]}`); `extendProps` becomes an object of
//! strings (the first value wins when a key repeats).
//!
//! What the model keeps aside shows as follows: an element that is not in the contract appears
//! under its name (the first one, when several share a name), as its text when it holds only
//! text (so a counterparty profile's added field can be checked like any other), else with its
//! whole XML as a string; a
//! repeated field and stray text do not appear; an element that should hold text but holds
//! elements appears as `{"#xml": "…"}`, so that a schema expecting a string rejects it.
//!
//! The view holds every value, personal data included: treat it like the message itself.

use crate::model::qimen::QimenBody;
use crate::model::{FieldKind, FieldSpec, Item, List, Map, Node, Unknown, UnknownKind, Visitor};
use crate::wire::text::Text;
use serde_json::{Map as Object, Value};

/// The JSON view of `body` (the fields of its root element, not the root itself).
///
/// ```
/// use qmwire::model::qimen::BodyKind;
/// let xml = "<request><deliveryOrder><deliveryOrderCode>D1</deliveryOrderCode></deliveryOrder>\
///            <orderLines><orderLine><itemCode>SKU-1</itemCode></orderLine></orderLines></request>";
/// let body = BodyKind::DeliveryOrderCreateRequest.decode(xml, &Default::default()).unwrap();
/// let view = qmwire::render::json_view::json_view(&body);
/// assert_eq!(view["deliveryOrder"]["deliveryOrderCode"], "D1");
/// assert_eq!(view["orderLines"]["orderLine"][0]["itemCode"], "SKU-1");
/// ```
pub fn json_view(body: &QimenBody<'_>) -> Value {
    let mut v = JsonView {
        current: Object::new(),
        item: None,
    };
    body.visit(&mut v);
    Value::Object(v.current)
}

struct JsonView {
    /// The object being filled: the fields of the element being visited.
    current: Object<String, Value>,
    /// While a list's items are visited: where each item's value goes.
    item: Option<Vec<Value>>,
}

impl JsonView {
    /// Stores a field's value, or appends it when a list item is being visited.
    fn put(&mut self, name: &str, value: Value) {
        match &mut self.item {
            Some(items) => items.push(value),
            None => {
                self.current.insert(name.to_string(), value);
            }
        }
    }

    /// Visits `f` with an empty object as the current one and returns what it filled.
    fn object(&mut self, f: impl FnOnce(&mut Self)) -> Object<String, Value> {
        let outer = std::mem::take(&mut self.current);
        let outer_item = self.item.take();
        f(self);
        self.item = outer_item;
        std::mem::replace(&mut self.current, outer)
    }
}

fn scalar(text: &Text<'_>) -> Value {
    if text.has_children() {
        let mut m = Object::new();
        m.insert("#xml".into(), Value::String(text.raw().to_string()));
        Value::Object(m)
    } else {
        Value::String(text.value().into_owned())
    }
}

impl<'a> Visitor<'a> for JsonView {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        if let Some(t) = value {
            self.put(field.name, scalar(t));
        }
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        if let Some(n) = value {
            let fields = self.object(|v| n.visit(v));
            self.put(field.name, Value::Object(fields));
        }
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let (Some(list), FieldKind::List(item)) = (value, field.kind) else {
            return;
        };
        let wrapper = self.object(|v| {
            v.item = Some(Vec::with_capacity(list.items.len()));
            for it in &list.items {
                it.accept(item, v);
            }
            let items = v.item.take().unwrap_or_default();
            v.current.insert(item.name.to_string(), Value::Array(items));
            v.unknown(&list.unknown);
        });
        self.put(field.name, Value::Object(wrapper));
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        let Some(map) = value else { return };
        let mut m = Object::new();
        for e in &map.entries {
            if !m.contains_key(e.key.as_ref()) {
                m.insert(
                    e.key.to_string(),
                    Value::String(e.value.value().into_owned()),
                );
            }
        }
        self.put(field.name, Value::Object(m));
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        for u in unknown {
            if u.kind == UnknownKind::Element && !self.current.contains_key(u.name.as_ref()) {
                let text = crate::wire::text::element_text(&u.raw);
                let value = text.unwrap_or_else(|| u.raw.to_string());
                self.current
                    .insert(u.name.to_string(), Value::String(value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_view;
    use crate::model::qimen::BodyKind;
    use serde_json::json;

    #[test]
    fn lists_maps_and_unknown_elements() {
        let xml = "<request><deliveryOrder><deliveryOrderCode> D&amp;1 </deliveryOrderCode>\
            <orderType/><warehouseCode><x>1</x></warehouseCode><extra>k&amp;<![CDATA[<]]></extra>\
            <nested><a>1</a></nested></deliveryOrder>\
            <orderLines><orderLine><itemCode>A</itemCode></orderLine><orderLine>\
            <itemCode><![CDATA[B<]]></itemCode></orderLine></orderLines>\
            <extendProps><k1>v1</k1><k1>v2</k1><k2/></extendProps></request>";
        let body = BodyKind::DeliveryOrderCreateRequest
            .decode(xml, &Default::default())
            .unwrap();
        let view = json_view(&body);
        assert_eq!(
            view,
            json!({
                "deliveryOrder": {
                    "deliveryOrderCode": " D&1 ",
                    "orderType": "",
                    "warehouseCode": { "#xml": "<x>1</x>" },
                    "extra": "k&<",
                    "nested": "<nested><a>1</a></nested>",
                },
                "orderLines": { "orderLine": [ { "itemCode": "A" }, { "itemCode": "B<" } ] },
                "extendProps": { "k1": "v1", "k2": "" },
            })
        );
        // Wire order is kept.
        let keys: Vec<&String> = view["deliveryOrder"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "deliveryOrderCode",
                "orderType",
                "warehouseCode",
                "extra",
                "nested"
            ]
        );
    }

    #[test]
    fn empty_wrapper_has_an_empty_array() {
        let xml = "<request><deliveryOrder/><orderLines/></request>";
        let body = BodyKind::DeliveryOrderCreateRequest
            .decode(xml, &Default::default())
            .unwrap();
        assert_eq!(
            json_view(&body),
            json!({ "deliveryOrder": {}, "orderLines": { "orderLine": [] } })
        );
    }
}
