//! Turns a loaded [`Protocol`] into Rust source files.
//!
//! Each generated file starts with a header naming the spec it came from and imports exactly
//! the names its code uses ([`imports`]). Field and enum tables are laid out here, one line or a
//! few per entry, under `#[rustfmt::skip]`; everything else is formatted by rustfmt (`main.rs`).

use crate::spec::{
    fields_of, flow_variant, parse_type, EnumDef, FieldDef, Format, Protocol, Ty, ANY_OF,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The module every hand-written name that generated code may use lives in. This is the one
/// place to change when such a name moves (say `XmlNode` to `crate::xml::node`).
const PATHS: &[(&str, &str)] = &[
    ("AnyOf", "crate::model::spec"),
    ("Direction", "crate::model::spec"),
    ("EnumSpec", "crate::model::spec"),
    ("EnumValue", "crate::model::spec"),
    ("FieldKind", "crate::model::spec"),
    ("FieldSpec", "crate::model::spec"),
    ("Flow", "crate::model::spec"),
    ("MethodSpec", "crate::model::qimen"),
    ("StructSpec", "crate::model::spec"),
    ("WdtMethodSpec", "crate::model::wdt"),
    ("KingdeeMethodSpec", "crate::model::kingdee"),
    ("IntoOwned", "crate::model::node"),
    ("JsonNode", "crate::json::node"),
    ("Node", "crate::model::node"),
    ("Visitor", "crate::model::node"),
    ("XmlNode", "crate::xml::node"),
    ("List", "crate::model::values"),
    ("Map", "crate::model::values"),
    ("Unknown", "crate::model::values"),
    ("decode_json_bare", "crate::json::decode"),
    ("decode_json_root", "crate::json::decode"),
    ("JsonDecoder", "crate::json::decode"),
    ("Member", "crate::json::decode"),
    // The module: generated code calls `encode::encode`.
    ("encode", "crate::json"),
    ("Privacy", "crate::model::privacy"),
    ("Span", "crate::wire::span"),
    ("Text", "crate::wire::text"),
    ("decode_root_into", "crate::xml::decode"),
    ("Child", "crate::xml::decode"),
    ("XmlDecoder", "crate::xml::decode"),
    ("DecodeError", "crate::error"),
    ("Limits", "crate::wire::limits"),
];

/// Widest line of the tables laid out here (rustfmt's default `max_width`).
const WIDTH: usize = 100;

/// The generated files of protocol `proto`, whose specs are in `codec/spec/<proto>/`: path
/// relative to the generated folder → contents.
pub(crate) fn generate(proto: &str, p: &Protocol) -> Result<BTreeMap<String, String>, String> {
    // The generated module that defines each struct, field table and enum table.
    let mut home: BTreeMap<String, String> = BTreeMap::new();
    for (stem, file) in &p.files {
        let module = module_name(stem);
        for name in file.structs.keys() {
            home.insert(name.clone(), module.clone());
            home.insert(spec_static(name), module.clone());
        }
        for name in file.enums.keys() {
            home.insert(enum_static(name), module.clone());
        }
    }
    if let Some((name, _)) = PATHS.iter().find(|(name, _)| home.contains_key(*name)) {
        return Err(format!(
            "{proto}: the generated name `{name}` clashes with a name generated code imports"
        ));
    }
    let mut out = BTreeMap::new();
    for (stem, file) in &p.files {
        let module = module_name(stem);
        let mut code = String::new();
        for (name, def) in &file.enums {
            gen_enum(&mut code, name, def);
        }
        for name in file.structs.keys() {
            gen_struct(&mut code, p, name);
        }
        let title = file
            .title
            .as_deref()
            .unwrap_or("shared structs and enum tables");
        let mut s = header(&format!("codec/spec/{proto}/{stem}.toml"));
        writeln!(s, "//! `{stem}`: {title}.\n").unwrap();
        s.push_str(&imports(&code, |name| {
            home.get(name)
                .filter(|m| **m != module)
                .map(|m| format!("super::{m}"))
        }));
        s.push_str(&code);
        out.insert(format!("{module}.rs"), s);
    }
    out.insert("mod.rs".into(), gen_registry(proto, p));
    Ok(out)
}

/// A piece of a table entry laid out by [`wrap`].
struct Piece {
    text: String,
    /// How far to indent the piece when it starts a line.
    hang: usize,
    /// Whether it must start a line.
    newline: bool,
}

impl Piece {
    fn new(hang: usize, text: String) -> Piece {
        Piece {
            text,
            hang,
            newline: false,
        }
    }
}

/// `pieces` joined by spaces into lines of at most [`WIDTH`] characters (a longer piece gets a
/// line of its own), the first line indented by `indent`.
fn wrap(pieces: &[Piece], indent: usize) -> String {
    let mut out = " ".repeat(indent);
    let mut width = indent;
    for (i, p) in pieces.iter().enumerate() {
        let w = p.text.chars().count();
        if i > 0 && (p.newline || width + 1 + w > WIDTH) {
            out.push('\n');
            out.push_str(&" ".repeat(p.hang));
            width = p.hang;
        } else if i > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(&p.text);
        width += w;
    }
    out.push('\n');
    out
}

fn header(source: &str) -> String {
    format!("// @generated by `cargo xtask codegen` from {source}. Do not edit by hand.\n")
}

/// The `use` lines `code` needs: one per module, for every name it refers to that [`PATHS`]
/// lists or `sibling` places in another generated module.
fn imports(code: &str, sibling: impl Fn(&str) -> Option<String>) -> String {
    let mut by_module: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for name in referenced_names(code) {
        let module = PATHS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.to_string())
            .or_else(|| sibling(name));
        if let Some(m) = module {
            by_module.entry(m).or_default().push(name);
        }
    }
    let mut s = String::new();
    for (module, names) in &by_module {
        match names.as_slice() {
            [one] => writeln!(s, "use {module}::{one};"),
            many => writeln!(s, "use {module}::{{{}}};", many.join(", ")),
        }
        .unwrap();
    }
    s
}

/// The names `code` refers to: its identifiers outside comments and literals, leaving out
/// lifetimes, path segments after `::`, fields and methods after `.`, and the names that `fn`,
/// `struct` and the like define.
fn referenced_names(code: &str) -> BTreeSet<&str> {
    const DEFINING: &[&str] = &["fn", "struct", "enum", "static", "const", "type", "mod"];
    let b = code.as_bytes();
    let word_end = |mut i: usize| {
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        i
    };
    let mut names = BTreeSet::new();
    // Whether the next identifier is a path segment, a field or method, or a defined name.
    let mut skip = false;
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        } else if rest[0] == b'"' {
            i += 1;
            while b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            skip = false;
        } else if rest.starts_with(b"'\\") {
            // A char escape: '\n', '\u{feff}'.
            i += 2 + rest[2..].iter().position(|&c| c == b'\'').unwrap() + 1;
            skip = false;
        } else if rest[0] == b'\'' && rest.get(2) == Some(&b'\'') {
            i += 3;
            skip = false;
        } else if rest[0] == b'\'' {
            // A lifetime.
            i = word_end(i + 1);
            skip = false;
        } else if rest[0].is_ascii_alphabetic() || rest[0] == b'_' {
            let end = word_end(i);
            let word = &code[i..end];
            if !skip {
                names.insert(word);
            }
            skip = DEFINING.contains(&word);
            i = end;
        } else if rest[0].is_ascii_digit() {
            i = word_end(i);
            skip = false;
        } else if rest.starts_with(b"::") {
            skip = true;
            i += 2;
        } else if rest.starts_with(b"..") {
            skip = false;
            i += 2;
        } else {
            if !rest[0].is_ascii_whitespace() {
                skip = rest[0] == b'.';
            }
            i += 1;
        }
    }
    names
}

fn module_name(stem: &str) -> String {
    stem.replace(['.', '-'], "_")
}

/// `deliveryOrderCode` → `delivery_order_code`, `isSNMgmt` → `is_sn_mgmt`.
pub(crate) fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "type" | "ref" | "match" | "move" | "use" | "mod" | "fn" | "in" | "loop" | "self" => {
            format!("{out}_")
        }
        _ => out,
    }
}

/// `DeliveryOrderCreateOrder` → `DELIVERY_ORDER_CREATE_ORDER`.
fn screaming(name: &str) -> String {
    snake(name).trim_end_matches('_').to_ascii_uppercase()
}

/// The field table of struct `name`: `DeliveryOrderCreateOrder` → `DELIVERY_ORDER_CREATE_ORDER_SPEC`.
fn spec_static(name: &str) -> String {
    format!("{}_SPEC", screaming(name))
}

/// The static holding enum table `name`: `AnyOrderType` → `ANY_ORDER_TYPE_ENUM`.
fn enum_static(name: &str) -> String {
    format!("{}_ENUM", screaming(name))
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn gen_enum(s: &mut String, name: &str, e: &EnumDef) {
    writeln!(s, "\n/// Enum table `{name}`: {}.", e.doc).unwrap();
    s.push_str("#[rustfmt::skip]\n");
    writeln!(
        s,
        "pub static {}: EnumSpec = EnumSpec {{",
        enum_static(name)
    )
    .unwrap();
    let head = [
        Piece::new(4, format!("name: {},", lit(name))),
        Piece::new(4, format!("doc: {},", lit(&e.doc))),
        Piece::new(4, format!("open: {},", e.open)),
    ];
    s.push_str(&wrap(&head, 4));
    s.push_str("    values: &[\n");
    for v in &e.values {
        let pieces = [
            Piece::new(12, format!("EnumValue {{ code: {},", lit(&v.code))),
            Piece::new(12, format!("doc: {},", lit(&v.doc))),
            Piece::new(12, format!("zh: {} }},", lit(&v.zh))),
        ];
        s.push_str(&wrap(&pieces, 8));
    }
    s.push_str("    ],\n");
    s.push_str("};\n");
}

/// The `FieldKind` of a field of type `ty`, for every type but lists.
fn kind_expr(ty: &Ty) -> String {
    match ty {
        Ty::Str(_) => "FieldKind::Str".into(),
        Ty::Integer => "FieldKind::Integer".into(),
        Ty::Decimal(scale, precision) => format!(
            "FieldKind::Decimal {{ scale: {scale}, precision: {} }}",
            precision.map_or("None".to_string(), |p| format!("Some({p})"))
        ),
        Ty::DateTime => "FieldKind::DateTime".into(),
        Ty::ZeroableDateTime => "FieldKind::ZeroableDateTime".into(),
        Ty::Date => "FieldKind::Date".into(),
        Ty::Time => "FieldKind::Time".into(),
        Ty::Flag => "FieldKind::Flag".into(),
        Ty::Map => "FieldKind::Map".into(),
        Ty::Struct(n) => format!("FieldKind::Struct(&{})", spec_static(n)),
        Ty::List(..) => unreachable!("a list's kind is written by `field_spec`"),
    }
}

/// The `Privacy` variant of a spec's privacy class.
fn privacy_variant(class: &str) -> &'static str {
    match class {
        "name" => "Name",
        "phone" => "Phone",
        "address" => "Address",
        "id-number" => "IdNumber",
        "email" => "Email",
        "account" => "Account",
        "nick" => "Nick",
        "plate" => "Plate",
        other => unreachable!("privacy class `{other}` passed the spec check"),
    }
}

/// The table entry of field `f`, on the wire as `wire`, of type `ty`: the pieces of a
/// `FieldSpec { .. }` literal that names only what differs from `FieldSpec::NONE`, indented by
/// `hang` when they start a line. A list's item is a field of its own (same doc, not required)
/// that carries the leaf's attributes: code table, minimum and privacy class.
fn field_spec(
    wire: &str,
    ty: &Ty,
    f: &FieldDef,
    required: bool,
    min_items: Option<u32>,
    hang: usize,
) -> Vec<Piece> {
    let mut p = vec![
        format!("FieldSpec {{ name: {},", lit(wire)),
        format!("doc: {},", lit(&f.doc)),
    ];
    let mut item = Vec::new();
    match ty {
        Ty::Str(_) => {}
        Ty::List(name, inner) => {
            item = field_spec(name, inner, f, false, None, hang + 4);
            item[0] = Piece::new(hang, format!("kind: FieldKind::List(&{}", item[0].text));
            item.last_mut().unwrap().text.push_str("),");
        }
        _ => p.push(format!("kind: {},", kind_expr(ty))),
    }
    let leaf = !matches!(ty, Ty::List(..));
    let mut rest = Vec::new();
    if let Some(zh) = &f.zh {
        rest.push(format!("zh: Some({}),", lit(zh)));
    }
    if required {
        rest.push("required: true,".to_string());
    }
    if let Ty::Str(Some(n)) = ty {
        rest.push(format!("max_chars: Some({n}),"));
    }
    if let Some(e) = f.enumeration.as_ref().filter(|_| leaf) {
        rest.push(format!("enumeration: Some(&{}),", enum_static(e)));
    }
    if let Some(m) = f.min.filter(|_| leaf) {
        rest.push(format!("min: Some({m}),"));
    }
    if let Some(n) = min_items {
        rest.push(format!("min_items: Some({n}),"));
    }
    if let Some(c) = f.privacy.as_ref().filter(|_| leaf) {
        rest.push(format!("privacy: Some(Privacy::{}),", privacy_variant(c)));
    }
    rest.push("..FieldSpec::NONE }".into());
    let mut pieces: Vec<Piece> = p.into_iter().map(|t| Piece::new(hang, t)).collect();
    let nested = !item.is_empty();
    pieces.extend(item);
    let mut rest: Vec<Piece> = rest.into_iter().map(|t| Piece::new(hang, t)).collect();
    // What follows a list's item goes on a line of its own, back at the field's level.
    rest[0].newline = nested;
    pieces.extend(rest);
    pieces
}

fn rust_type(ty: &Ty) -> String {
    match ty {
        Ty::Struct(n) => format!("{n}<'a>"),
        Ty::Map => "Map<'a>".into(),
        Ty::List(_, inner) => format!("List<'a, {}>", rust_type(inner)),
        _ => "Text<'a>".into(),
    }
}

fn type_label(ty: &Ty) -> String {
    match ty {
        Ty::Str(Some(n)) => format!("string({n})"),
        Ty::Str(None) => "string".into(),
        Ty::Integer => "integer".into(),
        Ty::Decimal(s, None) => format!("decimal({s})"),
        Ty::Decimal(s, Some(p)) => format!("decimal({p},{s})"),
        Ty::DateTime => "datetime".into(),
        Ty::ZeroableDateTime => "datetime, or the zero date".into(),
        Ty::Date => "date".into(),
        Ty::Time => "time".into(),
        Ty::Flag => "flag Y/N".into(),
        Ty::Map => "map".into(),
        Ty::Struct(n) => n.clone(),
        Ty::List(item, inner) if item.is_empty() => format!("array of {}", type_label(inner)),
        Ty::List(item, inner) => format!("list of `{item}`: {}", type_label(inner)),
    }
}

fn gen_struct(s: &mut String, p: &Protocol, name: &str) {
    let (_, def) = &p.structs[name];
    let fields = fields_of(p, name);
    let typed: Vec<(FieldDef, Ty)> = fields
        .iter()
        .map(|f| (f.clone(), parse_type(&f.ty).expect("checked")))
        .collect();
    let spec = spec_static(name);

    // Field descriptors.
    writeln!(s, "\n/// Field table of [`{name}`].").unwrap();
    s.push_str("#[rustfmt::skip]\n");
    writeln!(s, "pub static {spec}: StructSpec = StructSpec {{").unwrap();
    let head = [
        Piece::new(4, format!("name: {},", lit(name))),
        Piece::new(4, format!("doc: {},", lit(&def.doc))),
    ];
    s.push_str(&wrap(&head, 4));
    s.push_str("    fields: &[\n");
    for (f, ty) in &typed {
        let mut pieces = field_spec(&f.name, ty, f, f.required, f.min_items, 12);
        pieces.last_mut().unwrap().text.push(',');
        s.push_str(&wrap(&pieces, 8));
    }
    s.push_str("    ],\n");
    if def.any_of.is_empty() {
        s.push_str("    any_of: &[],\n");
    } else {
        s.push_str("    any_of: &[\n");
        for g in &def.any_of {
            let names: Vec<String> = g.fields.iter().map(|n| lit(n)).collect();
            let pieces = [
                Piece::new(12, "AnyOf {".to_string()),
                Piece::new(12, format!("fields: &[{}],", names.join(", "))),
                Piece::new(12, format!("doc: {},", lit(&g.doc))),
                Piece::new(
                    12,
                    format!("rule: {} }},", lit(g.rule.as_deref().unwrap_or(ANY_OF))),
                ),
            ];
            s.push_str(&wrap(&pieces, 8));
        }
        s.push_str("    ],\n");
    }
    s.push_str("};\n");

    // The model struct.
    writeln!(s, "\n/// {}.", capitalise(&def.doc)).unwrap();
    s.push_str("#[derive(Debug, Clone, Default)]\n");
    writeln!(s, "pub struct {name}<'a> {{").unwrap();
    for (f, ty) in &typed {
        let req = if f.required { ", required" } else { "" };
        let privacy = f
            .privacy
            .as_ref()
            .map(|c| format!(", personal data: {c}"))
            .unwrap_or_default();
        writeln!(
            s,
            "    /// {} (`{}`, {}{req}{privacy}).",
            capitalise(&f.doc),
            f.name,
            type_label(ty)
        )
        .unwrap();
        writeln!(s, "    pub {}: Option<{}>,", snake(&f.name), rust_type(ty)).unwrap();
    }
    match p.format {
        Format::Xml => s.push_str("    /// Where the element's start tag begins in the input.\n    pub span: Span,\n"),
        Format::Json => s.push_str("    /// Where the object's `{` is in the input (or the whole value, when it is not an object).\n    pub span: Span,\n"),
    }
    s.push_str("    /// Child elements and stray text that are not part of the contract, kept verbatim.\n    pub unknown: Vec<Unknown<'a>>,\n}\n");

    // The Node impl, laid out here so that its four accessors take a line each.
    s.push_str("\n#[rustfmt::skip]\n");
    writeln!(s, "impl<'a> Node<'a> for {name}<'a> {{").unwrap();
    writeln!(s, "    const SPEC: &'static StructSpec = &{spec};").unwrap();
    s.push_str("    fn span(&self) -> Span { self.span }\n");
    s.push_str("    fn set_span(&mut self, span: Span) { self.span = span; }\n");
    s.push_str("    fn unknown(&self) -> &[Unknown<'a>] { &self.unknown }\n");
    s.push_str("    fn unknown_mut(&mut self) -> &mut Vec<Unknown<'a>> { &mut self.unknown }\n");
    gen_visit(s, &typed);
    match p.format {
        Format::Xml => gen_xml_decode(s, name, &typed),
        Format::Json => gen_json_decode(s, name, &typed),
    }
    gen_eq_owned(s, name, &typed);
}

fn gen_visit(s: &mut String, typed: &[(FieldDef, Ty)]) {
    s.push_str("    fn visit<V: Visitor<'a>>(&self, v: &mut V) {\n");
    if !typed.is_empty() {
        s.push_str("        let f = Self::SPEC.fields;\n");
    }
    for (i, (f, ty)) in typed.iter().enumerate() {
        let field = snake(&f.name);
        let method = value_method(ty);
        writeln!(s, "        v.{method}(&f[{i}], self.{field}.as_ref());").unwrap();
    }
    s.push_str("        v.unknown(&self.unknown);\n    }\n");
    s.push_str("    fn visit_field<V: Visitor<'a>>(&self, index: usize, v: &mut V) {\n");
    if typed.is_empty() {
        s.push_str("        let _ = (index, v);\n    }\n}\n");
        return;
    }
    if let [(f, ty)] = typed {
        let (field, method) = (snake(&f.name), value_method(ty));
        writeln!(
            s,
            "        if index == 0 {{\n            v.{method}(&Self::SPEC.fields[0], self.{field}.as_ref());\n        }}\n    }}\n}}"
        )
        .unwrap();
        return;
    }
    s.push_str("        let f = Self::SPEC.fields;\n        match index {\n");
    for (i, (f, ty)) in typed.iter().enumerate() {
        let field = snake(&f.name);
        let method = value_method(ty);
        writeln!(
            s,
            "            {i} => v.{method}(&f[{i}], self.{field}.as_ref()),"
        )
        .unwrap();
    }
    s.push_str("            _ => {}\n        }\n    }\n}\n");
}

/// The visitor and decoder method for a value of type `ty`.
fn value_method(ty: &Ty) -> &'static str {
    match ty {
        Ty::Struct(_) => "node",
        Ty::Map => "map",
        Ty::List(..) => "list",
        _ => "text",
    }
}

/// The decoder call that reads a field of type `ty` into `self.{field}`; `at` is what the
/// decoder reads (the XML child or JSON member); XML lists also name their items' element.
fn decode_call(at: &str, field: &str, ty: &Ty) -> String {
    let method = value_method(ty);
    let item = match ty {
        Ty::List(item, _) if !item.is_empty() => format!("{}, ", lit(item)),
        _ => String::new(),
    };
    format!("d.{method}({at}, {item}&mut self.{field}, &mut self.unknown)")
}

fn gen_json_decode(s: &mut String, name: &str, typed: &[(FieldDef, Ty)]) {
    writeln!(s, "\nimpl<'a> JsonNode<'a> for {name}<'a> {{").unwrap();
    s.push_str("    fn decode_member(&mut self, d: &mut JsonDecoder<'a>, m: Member<'a>) -> Result<(), DecodeError> {\n");
    if typed.is_empty() {
        // A struct whose members are all outside the contract (金蝶 `NeedReturnData` items).
        s.push_str("        d.unknown(m, &mut self.unknown)\n    }\n}\n");
        return;
    }
    s.push_str("        match &*m.name {\n");
    for (f, ty) in typed {
        let call = decode_call("m", &snake(&f.name), ty);
        writeln!(s, "            {} => {call},", lit(&f.name)).unwrap();
    }
    s.push_str("            _ => d.unknown(m, &mut self.unknown),\n        }\n    }\n}\n");
}

fn gen_xml_decode(s: &mut String, name: &str, typed: &[(FieldDef, Ty)]) {
    writeln!(s, "\nimpl<'a> XmlNode<'a> for {name}<'a> {{").unwrap();
    s.push_str("    fn decode_child(&mut self, d: &mut XmlDecoder<'a>, c: Child<'a>) -> Result<(), DecodeError> {\n");
    // Matching the length first compiles to a switch on it, so a name is compared only with
    // the fields of its length (arms sorted by length for the reader; the order is free).
    let mut arms: Vec<(usize, &FieldDef, &Ty)> =
        typed.iter().map(|(f, ty)| (f.name.len(), f, ty)).collect();
    arms.sort_by_key(|(len, ..)| *len);
    s.push_str("        match (c.name.len(), c.name) {\n");
    for (len, f, ty) in arms {
        let call = decode_call("c", &snake(&f.name), ty);
        writeln!(s, "            ({len}, {}) => {call},", lit(&f.name)).unwrap();
    }
    s.push_str("            _ => d.unknown(c, &mut self.unknown),\n        }\n    }\n}\n");
}

fn gen_eq_owned(s: &mut String, name: &str, typed: &[(FieldDef, Ty)]) {
    // Equality ignores positions.
    writeln!(s, "\nimpl PartialEq for {name}<'_> {{").unwrap();
    s.push_str("    fn eq(&self, other: &Self) -> bool {\n        ");
    for (f, _) in typed {
        let field = snake(&f.name);
        write!(s, "self.{field} == other.{field}\n            && ").unwrap();
    }
    s.push_str("self.unknown == other.unknown\n    }\n}\n");

    writeln!(s, "\nimpl IntoOwned for {name}<'_> {{").unwrap();
    writeln!(s, "    type Owned = {name}<'static>;").unwrap();
    writeln!(s, "    fn into_owned(self) -> {name}<'static> {{").unwrap();
    writeln!(s, "        {name} {{").unwrap();
    for (f, _) in typed {
        let field = snake(&f.name);
        writeln!(s, "            {field}: self.{field}.into_owned(),").unwrap();
    }
    s.push_str("            span: self.span,\n            unknown: self.unknown.into_owned(),\n        }\n    }\n}\n");
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A document body the registry can decode.
struct Body {
    /// The root struct, also the variant's name.
    ty: String,
    /// The method it belongs to; `None` for a Qimen envelope (`<error_response>`).
    method: Option<String>,
    /// `Request` or `Response`.
    direction: &'static str,
    /// Qimen: the root element.
    root: String,
    /// wdt: the list field a bare JSON array stands for.
    bare: Option<String>,
}

fn bodies(p: &Protocol) -> Vec<Body> {
    let mut out = Vec::new();
    for (_, f) in &p.files {
        if let (Some(method), Some(req), Some(resp)) = (&f.method, &f.request, &f.response) {
            out.push(Body {
                ty: req.clone(),
                method: Some(method.clone()),
                direction: "Request",
                root: "request".into(),
                bare: f.bare.clone(),
            });
            out.push(Body {
                ty: resp.clone(),
                method: Some(method.clone()),
                direction: "Response",
                root: "response".into(),
                bare: None,
            });
        } else if let (Some(root), Some(resp)) = (&f.envelope, &f.response) {
            out.push(Body {
                ty: resp.clone(),
                method: None,
                direction: "Response",
                root: root.clone(),
                bare: None,
            });
        }
    }
    out
}

/// What the two protocols' registries name differently.
struct Names {
    /// The protocol, as docs name it.
    label: &'static str,
    /// What its methods are called in docs.
    methods_are: &'static str,
    /// What a body's root is in docs.
    root_is: &'static str,
    /// The enum of body kinds.
    kind: &'static str,
    /// The static listing every body kind.
    kinds: &'static str,
    /// The enum of decoded bodies.
    body: &'static str,
    /// The static listing the methods, and its element type.
    methods: &'static str,
    method_spec: &'static str,
}

const QIMEN: Names = Names {
    label: "Qimen",
    methods_are: "methods",
    root_is: "element",
    kind: "BodyKind",
    kinds: "BODY_KINDS",
    body: "QimenBody",
    methods: "METHODS",
    method_spec: "MethodSpec",
};

const KINGDEE: Names = Names {
    label: "金蝶",
    methods_are: "WebAPI operations",
    root_is: "object",
    kind: "KingdeeBodyKind",
    kinds: "KINGDEE_BODY_KINDS",
    body: "KingdeeBody",
    methods: "KINGDEE_METHODS",
    method_spec: "KingdeeMethodSpec",
};

const WDT: Names = Names {
    label: "wdt",
    methods_are: "APIs",
    root_is: "object",
    kind: "WdtBodyKind",
    kinds: "WDT_BODY_KINDS",
    body: "WdtBody",
    methods: "WDT_METHODS",
    method_spec: "WdtMethodSpec",
};

/// Writes a method whose body is one `match self` with an arm per body: `pattern => rhs`.
fn match_method(
    s: &mut String,
    doc: &str,
    sig: &str,
    bodies: &[Body],
    arm: impl Fn(&Body) -> (String, String),
) {
    writeln!(s, "\n    /// {doc}\n    {sig} {{\n        match self {{").unwrap();
    for b in bodies {
        let (pattern, rhs) = arm(b);
        writeln!(s, "            {pattern} => {rhs},").unwrap();
    }
    s.push_str("        }\n    }\n");
}

/// The registry `mod.rs`: the generated modules, the body kinds with what the codec needs to
/// know about each, the decoded bodies and the method table.
fn gen_registry(proto: &str, p: &Protocol) -> String {
    let n = match (p.format, proto) {
        (Format::Xml, _) => &QIMEN,
        (Format::Json, "kingdee") => &KINGDEE,
        (Format::Json, _) => &WDT,
    };
    let bodies = bodies(p);
    let (kind, body) = (n.kind, n.body);
    let mut s = String::new();

    writeln!(
        s,
        "\n/// Every {} body qmwire can decode, one variant per request or response type.",
        n.label
    )
    .unwrap();
    writeln!(
        s,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum {kind} {{"
    )
    .unwrap();
    for b in &bodies {
        let ty = &b.ty;
        match (p.format, &b.method) {
            (Format::Xml, _) => writeln!(s, "    /// `<{}>` decoded as [`{ty}`].", b.root),
            (Format::Json, Some(m)) => writeln!(
                s,
                "    /// The {} of `{m}`, decoded as [`{ty}`].",
                b.direction.to_lowercase()
            ),
            (Format::Json, None) => unreachable!("JSON protocols have no envelopes"),
        }
        .unwrap();
        writeln!(s, "    {ty},").unwrap();
    }
    writeln!(
        s,
        "}}\n\n/// Every {} body kind, in spec order.\npub static {}: &[{kind}] = &[",
        n.label, n.kinds
    )
    .unwrap();
    for b in &bodies {
        writeln!(s, "    {kind}::{},", b.ty).unwrap();
    }
    writeln!(s, "];\n\nimpl {kind} {{").unwrap();
    let this = |b: &Body| format!("Self::{}", b.ty);
    match p.format {
        Format::Xml => {
            match_method(
                &mut s,
                "The root element this body is written under.",
                "pub fn root(self) -> &'static str",
                &bodies,
                |b| (this(b), lit(&b.root)),
            );
            match_method(
                &mut s,
                "The full TOP method name, or `None` for the generic envelopes.",
                "pub fn method(self) -> Option<&'static str>",
                &bodies,
                |b| {
                    let m = b.method.as_deref();
                    (
                        this(b),
                        m.map_or("None".into(), |m| format!("Some({})", lit(m))),
                    )
                },
            );
        }
        Format::Json => match_method(
            &mut s,
            if proto == "kingdee" {
                "The WebAPI operation, e.g. `BatchSave` (`DynamicFormService.BatchSave`)."
            } else {
                "The wdt API name, e.g. `trade_push` (posted to `trade_push.php`)."
            },
            "pub fn method(self) -> &'static str",
            &bodies,
            |b| (this(b), lit(b.method.as_deref().unwrap_or_default())),
        ),
    }
    match_method(
        &mut s,
        "Whether this is a request or a response body.",
        "pub fn direction(self) -> Direction",
        &bodies,
        |b| (this(b), format!("Direction::{}", b.direction)),
    );
    match_method(
        &mut s,
        &format!("The field table of the root {}.", n.root_is),
        "pub fn spec(self) -> &'static StructSpec",
        &bodies,
        |b| (this(b), format!("&{}", spec_static(&b.ty))),
    );
    match p.format {
        Format::Xml => {
            s.push_str(
                "\n    /// Decodes `input` as this body.\n    pub fn decode<'a>(self, input: &'a str, limits: &Limits) -> Result<QimenBody<'a>, DecodeError> {\n        self.decode_noting(input, limits, &mut Vec::new())\n    }\n\n    /// Decodes `input` as this body, adding the spans of any element attributes to `attributes`.\n    pub fn decode_noting<'a>(self, input: &'a str, limits: &Limits, attributes: &mut Vec<Span>) -> Result<QimenBody<'a>, DecodeError> {\n        let root = self.root();\n        Ok(match self {\n",
            );
            for b in &bodies {
                writeln!(
                    s,
                    "            Self::{t} => {body}::{t}(read(input, root, limits, attributes)?),",
                    t = b.ty,
                )
                .unwrap();
            }
            s.push_str("        })\n    }\n");
        }
        Format::Json => {
            match_method(
                &mut s,
                "The list field a bare JSON array stands for, if this body may be sent that way.",
                "pub fn bare(self) -> Option<&'static str>",
                &bodies,
                |b| {
                    let bare = b.bare.as_deref();
                    (
                        this(b),
                        bare.map_or("None".into(), |f| format!("Some({})", lit(f))),
                    )
                },
            );
            writeln!(s, "\n    /// Decodes `input` as this body: an object, or a bare array when [`Self::bare`] allows it.\n    pub fn decode<'a>(self, input: &'a str, limits: &Limits) -> Result<{body}<'a>, DecodeError> {{").unwrap();
            if bodies.iter().any(|b| b.bare.is_some()) {
                s.push_str("        let bare = self.bare().is_some() && input.trim_start_matches(['\\u{feff}', ' ', '\\t', '\\r', '\\n']).starts_with('[');\n");
            }
            s.push_str("        Ok(match self {\n");
            for b in &bodies {
                let t = &b.ty;
                match &b.bare {
                    Some(field) => writeln!(
                        s,
                        "            Self::{t} => {{ let mut root = Box::<{t}>::default(); if bare {{ decode_json_bare(input, limits, &mut root.{}, &mut root.span)?; }} else {{ decode_json_root(input, limits, &mut *root)?; }} {body}::{t}(root) }}",
                        snake(field)
                    ),
                    None => writeln!(
                        s,
                        "            Self::{t} => {{ let mut root = Box::<{t}>::default(); decode_json_root(input, limits, &mut *root)?; {body}::{t}(root) }}"
                    ),
                }
                .unwrap();
            }
            s.push_str("        })\n    }\n");
        }
    }

    s.push_str("}\n");
    if p.format == Format::Xml {
        s.push_str("\n/// Decodes `input`, whose root element is `root`, as a new `T`.\nfn read<'a, T: XmlNode<'a>>(input: &'a str, root: &str, limits: &Limits, attributes: &mut Vec<Span>) -> Result<Box<T>, DecodeError> {\n    let mut node = Box::<T>::default();\n    decode_root_into(input, root, limits, attributes, &mut *node)?;\n    Ok(node)\n}\n");
    }
    writeln!(
        s,
        "\n/// A decoded {} body.\n#[derive(Debug, Clone, PartialEq)]\npub enum {body}<'a> {{",
        n.label
    )
    .unwrap();
    for b in &bodies {
        writeln!(
            s,
            "    /// A decoded [`{t}`].\n    {t}(Box<{t}<'a>>),",
            t = b.ty
        )
        .unwrap();
    }
    writeln!(s, "}}\n\nimpl<'a> {body}<'a> {{").unwrap();
    let this = |b: &Body| format!("Self::{}(x)", b.ty);
    match_method(
        &mut s,
        "Which kind of body this is.",
        &format!("pub fn kind(&self) -> {kind}"),
        &bodies,
        |b| (format!("Self::{}(_)", b.ty), format!("{kind}::{}", b.ty)),
    );
    match_method(
        &mut s,
        &format!(
            "Walks the whole model with `v`, starting at the root {}.",
            n.root_is
        ),
        "pub fn visit<V: Visitor<'a>>(&self, v: &mut V)",
        &bodies,
        |b| (this(b), "v.root(x.as_ref())".into()),
    );
    if p.format == Format::Json {
        s.push_str("\n    /// Encodes the body as JSON; `bare` writes only the bare list, as a top-level array.\n    pub fn encode(&self, bare: bool) -> String {\n        let field = if bare { self.kind().bare() } else { None };\n        match self {\n");
        for b in &bodies {
            writeln!(
                s,
                "            {} => encode::encode(x.as_ref(), field),",
                this(b)
            )
            .unwrap();
        }
        s.push_str("        }\n    }\n");
    }
    writeln!(s, "}}\n\nimpl IntoOwned for {body}<'_> {{").unwrap();
    writeln!(s, "    type Owned = {body}<'static>;").unwrap();
    writeln!(
        s,
        "    fn into_owned(self) -> {body}<'static> {{\n        match self {{"
    )
    .unwrap();
    for b in &bodies {
        writeln!(
            s,
            "            {} => {body}::{}(x.into_owned()),",
            this(b),
            b.ty
        )
        .unwrap();
    }
    s.push_str("        }\n    }\n}\n");

    writeln!(
        s,
        "\n/// The {} {} qmwire knows, with their request and response bodies.\n#[rustfmt::skip]\npub static {}: &[{}] = &[",
        n.label, n.methods_are, n.methods, n.method_spec
    )
    .unwrap();
    for (_, f) in &p.files {
        if let (Some(m), Some(req), Some(resp)) = (&f.method, &f.request, &f.response) {
            let pieces = [
                Piece::new(8, format!("{} {{ method: {},", n.method_spec, lit(m))),
                Piece::new(
                    8,
                    format!("title: {},", lit(f.title.as_deref().unwrap_or(""))),
                ),
                Piece::new(
                    8,
                    format!("title_zh: {},", lit(f.title_zh.as_deref().unwrap_or(""))),
                ),
                Piece::new(
                    8,
                    format!(
                        "flow: Flow::{},",
                        flow_variant(p.format, f.flow.as_deref().unwrap_or(""))
                            .expect("checked when loading")
                    ),
                ),
                Piece::new(8, format!("request: {kind}::{req},")),
                Piece::new(8, format!("response: {kind}::{resp} }},")),
            ];
            s.push_str(&wrap(&pieces, 4));
        }
    }
    s.push_str("];\n");

    let mut head = header(&format!("codec/spec/{proto}/*.toml"));
    writeln!(
        head,
        "//! Generated {} models, field tables and the message registry.\n",
        n.label
    )
    .unwrap();
    for (stem, _) in &p.files {
        let m = module_name(stem);
        writeln!(head, "mod {m};\npub use self::{m}::*;").unwrap();
    }
    head.push('\n');
    // The generated names are in scope through the re-exports above.
    head.push_str(&imports(&s, |_| None));
    head + &s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use std::path::Path;

    fn generated() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (proto, format) in [
            ("qimen", Format::Xml),
            ("wdt", Format::Json),
            ("kingdee", Format::Json),
        ] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../codec/spec")
                .join(proto);
            let p = spec::load(&dir, format).unwrap();
            for (name, text) in generate(proto, &p).unwrap() {
                out.push((format!("{proto}/{name}"), text));
            }
        }
        out
    }

    #[test]
    fn names_outside_comments_literals_paths_and_definitions() {
        let code = r#"
            // Limits in a comment
            /// [`DecodeError`] in a doc
            pub static X_SPEC: StructSpec = StructSpec { name: "Text", ..FieldSpec::NONE };
            impl<'a> Node<'a> for X<'a> {
                fn span(&self) -> Span { self.span }
                fn f() { let c = '\u{feff}'; let q = '"'; encode::encode(); Map::new() }
            }
        "#;
        let names = referenced_names(code);
        for used in [
            "StructSpec",
            "FieldSpec",
            "Node",
            "X",
            "Span",
            "encode",
            "Map",
        ] {
            assert!(names.contains(used), "{used}");
        }
        for unused in [
            "Limits",
            "DecodeError",
            "X_SPEC",
            "Text",
            "NONE",
            "a",
            "span",
            "u",
            "new",
        ] {
            assert!(!names.contains(unused), "{unused}");
        }
    }

    #[test]
    fn wrap_fills_lines_and_honours_forced_breaks() {
        let p = |hang, text: &str| Piece::new(hang, text.to_string());
        let long = "x".repeat(60);
        let text = wrap(&[p(8, "a,"), p(8, &long), p(8, &long), p(8, "b,")], 4);
        assert_eq!(text, format!("    a, {long}\n        {long} b,\n"));
        let mut pieces = [p(8, "a,"), p(8, "b,")];
        pieces[1].newline = true;
        assert_eq!(wrap(&pieces, 4), "    a,\n        b,\n");
    }

    #[test]
    fn generated_files_name_their_spec_and_import_what_they_use() {
        let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codec/spec");
        let mut used = BTreeSet::new();
        for (path, text) in generated() {
            let (proto, file) = path.split_once('/').unwrap();
            let source = if file == "mod.rs" {
                format!("codec/spec/{proto}/*.toml")
            } else {
                let stem = std::fs::read_dir(spec_dir.join(proto))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
                    .find(|stem| format!("{}.rs", module_name(stem)) == file)
                    .unwrap();
                format!("codec/spec/{proto}/{stem}.toml")
            };
            assert_eq!(text.lines().next(), Some(header(&source).trim_end()));
            assert!(!text.contains("allow(unused_imports)"), "{path}");
            // Every `use` names its items; only the registry re-exports its modules whole.
            for import in text.split("\nuse ").skip(1) {
                let import = &import[..import.find(';').unwrap()];
                assert!(!import.ends_with('*'), "{path}: use {import}");
                let (module, names) = match import.split_once("::{") {
                    Some((m, names)) => (m, names.trim_end_matches('}')),
                    None => import.rsplit_once("::").unwrap(),
                };
                for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    used.insert((name.to_string(), module.to_string()));
                }
            }
        }
        let unused: Vec<_> = PATHS
            .iter()
            .filter(|(n, m)| !used.contains(&(n.to_string(), m.to_string())))
            .collect();
        assert!(
            unused.is_empty(),
            "rows of PATHS that no file uses: {unused:?}"
        );
    }
}
