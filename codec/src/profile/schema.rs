//! A profile's field overlays laid over a body's JSON Schema (as `qmwire schema` prints it),
//! so that users outside Rust validate against the counterparty's contract too.
//!
//! A block the profile changes is copied to a `$defs` entry of its own before it is changed
//! (blocks are shared: the receiver and the sender have the same fields), so an overlay changes
//! its path only. What a schema cannot say (a value fixed to a variable without a value) is
//! left out and named in `x-qmwire-profile-skipped`.

use super::{Expected, ExtraKind, FieldOverlay, Profile};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Lays `profile`'s overlays for `method`'s request (or, with `response`, its reply) over
/// `schema`, that body's JSON Schema. `method` is a full name; a body the profile has no
/// overlay for only gains the profile's id (`x-qmwire-profile`).
pub fn apply_to_schema(profile: &Profile, method: &str, response: bool, schema: &mut Value) {
    let mut skipped = Vec::new();
    if let Some(side) = profile.side(method, response) {
        let mut copies = Copies::default();
        for (path, overlay) in &side.fields {
            let segments: Vec<&str> = path.split('/').collect();
            let (parent, name) = segments.split_at(segments.len() - 1);
            let Some(block) = copies.block(schema, parent) else {
                skipped.push(format!("{path}: no such block in the schema"));
                continue;
            };
            if !overlay.any_of.is_empty() {
                if let Some(own) = copies.block(schema, &segments) {
                    any_of(schema, &own, &overlay.any_of);
                }
            }
            field(
                profile,
                schema,
                &block,
                name[0],
                overlay,
                path,
                &mut skipped,
            );
        }
    }
    if let Some(root) = schema.as_object_mut() {
        root.insert("x-qmwire-profile".into(), json!(profile.id()));
        if let Some(title) = root.get("title").and_then(Value::as_str) {
            let title = format!("{title} (profile {})", profile.id());
            root.insert("title".into(), json!(title));
        }
        if !skipped.is_empty() {
            root.insert("x-qmwire-profile-skipped".into(), json!(skipped));
        }
    }
}

/// The blocks copied so far, by path.
#[derive(Default)]
struct Copies {
    by_path: HashMap<String, String>,
    next: u32,
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

const BLANK: &str = "#/$defs/blank";

impl Copies {
    /// A JSON Pointer to the object schema (with `properties`) of the block at `segments`,
    /// every `$defs` entry on the way copied for this path alone. `None` when the path does not
    /// lead to a block.
    fn block(&mut self, schema: &mut Value, segments: &[&str]) -> Option<String> {
        let mut at = String::new();
        for (i, seg) in segments.iter().enumerate() {
            let prop = format!("{at}/properties/{}", escape(seg));
            let key = segments[..=i].join("/");
            at = self.object_at(schema, &prop, &key)?;
        }
        Some(at)
    }

    /// The object schema a property leads to: inline, or through a `$ref` (directly, in the
    /// `else` of an empty-block test, or in an array's `items`), copied for `key`.
    fn object_at(&mut self, schema: &mut Value, prop: &str, key: &str) -> Option<String> {
        let node = schema.pointer(prop)?;
        let holder = if node.get("$ref").is_some() {
            prop.to_string()
        } else if node.pointer("/else/$ref").is_some() {
            format!("{prop}/else")
        } else if node.pointer("/items/$ref").is_some() {
            format!("{prop}/items")
        } else if node.get("properties").is_some() {
            return Some(prop.to_string());
        } else {
            return None;
        };
        if let Some(name) = self.by_path.get(key) {
            return Some(format!("/$defs/{}", escape(name)));
        }
        let target = schema.pointer(&holder)?.get("$ref")?.as_str()?.to_string();
        let def = target.strip_prefix("#/$defs/")?;
        let copy = schema.pointer(&format!("/$defs/{def}"))?.clone();
        copy.get("properties")?;
        self.next += 1;
        let name = format!("{def}.profile{}", self.next);
        schema
            .get_mut("$defs")?
            .as_object_mut()?
            .insert(name.clone(), copy);
        *schema.pointer_mut(&holder)?.get_mut("$ref")? = json!(format!("#/$defs/{name}"));
        self.by_path.insert(key.to_string(), name.clone());
        Some(format!("/$defs/{}", escape(&name)))
    }
}

/// Wraps the schema at `pointer` with `f`.
fn wrap(schema: &mut Value, pointer: &str, f: impl FnOnce(Value) -> Value) {
    if let Some(slot) = schema.pointer_mut(pointer) {
        let old = slot.take();
        *slot = f(old);
    }
}

/// A check that lets a blank value through (blank is absent, as in the field rules).
fn unless_blank(check: Value) -> Value {
    json!({ "anyOf": [{ "$ref": BLANK }, check] })
}

fn field(
    profile: &Profile,
    schema: &mut Value,
    block: &str,
    name: &str,
    overlay: &FieldOverlay,
    path: &str,
    skipped: &mut Vec<String>,
) {
    let prop = format!("{block}/properties/{}", escape(name));
    if let Some(kind) = overlay.extra {
        let mut added = unless_blank(extra_schema(kind));
        if let Some(class) = overlay.privacy {
            added["x-qmwire-privacy"] = json!(class.as_str());
        }
        if let Some(props) = schema
            .pointer_mut(&format!("{block}/properties"))
            .and_then(Value::as_object_mut)
        {
            props.insert(name.to_string(), added);
        }
    }
    if schema.pointer(&prop).is_none() {
        return;
    }
    let required = schema
        .pointer_mut(block)
        .and_then(Value::as_object_mut)
        .map(|o| {
            o.entry("required")
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .map(std::mem::take)
                .unwrap_or_default()
        });
    let mut required = required.unwrap_or_default();
    match overlay.required {
        Some(true) => {
            if !required.iter().any(|r| r == name) {
                required.push(json!(name));
            }
            wrap(
                schema,
                &prop,
                |p| json!({ "allOf": [p, { "not": { "$ref": BLANK } }], "x-qmwire-rule": "required" }),
            );
        }
        Some(false) => {
            required.retain(|r| r != name);
            // A block that had to be there (`if empty then false`) may now be empty.
            if let Some(then) = schema.pointer_mut(&format!("{prop}/then")) {
                *then = json!(true);
            } else {
                wrap(schema, &prop, unless_blank);
            }
        }
        None => {}
    }
    if let Some(o) = schema.pointer_mut(block).and_then(Value::as_object_mut) {
        o.insert("required".into(), Value::Array(required));
    }
    let mut checks = Vec::new();
    if let Some(max) = overlay.max_chars {
        checks.push(json!({ "maxLength": max, "x-qmwire-rule": "max-length" }));
    }
    if let Some(only) = &overlay.enum_only {
        checks.push(json!({ "enum": only, "x-qmwire-rule": "enum" }));
    }
    if let Some(e) = &overlay.equals {
        match profile.expected(e) {
            Some(v) => checks.push(json!({ "const": v, "x-qmwire-rule": "profile.equals" })),
            None => {
                let Expected::Var(var) = e else {
                    unreachable!("literals always have a value")
                };
                skipped.push(format!(
                    "{path}: equals variable `{var}`, which has no value (--var {var}=…)"
                ));
            }
        }
    }
    for check in checks {
        wrap(
            schema,
            &prop,
            |p| json!({ "allOf": [p, unless_blank(check)] }),
        );
    }
    if !overlay.enum_add.is_empty() {
        let add = overlay.enum_add.clone();
        wrap(schema, &prop, |p| json!({ "anyOf": [p, { "enum": add }] }));
    }
    if let Some(slot) = schema.pointer_mut(&prop).and_then(Value::as_object_mut) {
        if let Some(r) = &overlay.recommended {
            slot.insert("default".into(), json!(r));
        }
        if let Some(doc) = &overlay.doc {
            slot.insert("x-qmwire-profile-doc".into(), json!(doc));
        }
    }
}

/// At least one of each group's fields holds a value, in the block at `block`.
fn any_of(schema: &mut Value, block: &str, groups: &[Vec<String>]) {
    let Some(obj) = schema.pointer_mut(block).and_then(Value::as_object_mut) else {
        return;
    };
    let all = obj.entry("allOf").or_insert_with(|| json!([]));
    let Some(all) = all.as_array_mut() else {
        return;
    };
    for group in groups {
        let options: Vec<Value> = group
            .iter()
            .map(|name| {
                let mut props = Map::new();
                props.insert(name.clone(), json!({ "not": { "$ref": BLANK } }));
                json!({ "required": [name], "properties": props })
            })
            .collect();
        all.push(json!({
            "description": format!("at least one of {}", group.join(", ")),
            "anyOf": options,
            "x-qmwire-rule": "any-of",
        }));
    }
}

/// The schema of a value a profile adds: a string as the JSON view writes it, or a wdt JSON
/// number.
fn extra_schema(kind: ExtraKind) -> Value {
    const DATE: &str = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
    const TIME: &str = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]";
    // Python's `$` also matches before a final newline: `not` one keeps the validators agreed
    // (as the generated schemas do).
    let text = |p: String| json!({ "type": "string", "pattern": p, "not": { "pattern": "\\n$" } });
    match kind {
        ExtraKind::Str(None) => json!({ "type": "string" }),
        ExtraKind::Str(Some(n)) => json!({ "type": "string", "maxLength": n }),
        ExtraKind::Integer | ExtraKind::Decimal(0) => json!({ "anyOf": [
            text("^[+-]?[0-9]+$".into()),
            { "type": "integer" }
        ] }),
        ExtraKind::Decimal(s) => json!({ "anyOf": [
            text(format!("^[+-]?[0-9]+(\\.[0-9]{{1,{s}}})?$")),
            { "type": "number" }
        ] }),
        ExtraKind::DateTime => text(format!("^{DATE} {TIME}$")),
        ExtraKind::Date => text(format!("^{DATE}$")),
        ExtraKind::Time => text(format!("^{TIME}$")),
        ExtraKind::Flag => json!({ "enum": ["Y", "N"] }),
    }
}
