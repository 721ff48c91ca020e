//! Reading and checking the TOML message specs under `codec/spec/<protocol>/`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// One spec file as written on disk.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecFile {
    pub method: Option<String>,
    /// wdt: the list field a bare JSON array stands for (`trade_list`).
    pub bare: Option<String>,
    pub envelope: Option<String>,
    pub title: Option<String>,
    /// The title in Chinese, our own words after the vendors' descriptions (required with
    /// `title`).
    pub title_zh: Option<String>,
    /// Message files: who sends the request (`erp-to-wms`, `wms-to-erp`, `wms-to-platform`; wdt `to-erp`).
    pub flow: Option<String>,
    pub request: Option<String>,
    pub response: Option<String>,
    #[serde(default)]
    pub structs: BTreeMap<String, StructDef>,
    #[serde(default)]
    pub enums: BTreeMap<String, EnumDef>,
}

/// A struct: an XML element with child elements.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct StructDef {
    pub doc: String,
    pub extends: Option<String>,
    /// With `extends`: fields of the base that this struct requires although the base does not.
    #[serde(default)]
    pub require: Vec<String>,
    /// With `extends`: fields of the base that this struct does not have.
    #[serde(default)]
    pub omit: Vec<String>,
    pub fields: Vec<FieldDef>,
    /// Groups of alternative keys: at least one field of each group must hold a value.
    #[serde(default)]
    pub any_of: Vec<AnyOfDef>,
}

/// An any-of group: the contract accepts one key or another ("A或B").
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnyOfDef {
    /// The alternative fields (at least two, all of the struct).
    pub fields: Vec<String>,
    /// Why one of them is needed, our own words.
    pub doc: String,
    /// The rule id reported when none holds a value; `any-of` unless an older id is kept.
    pub rule: Option<String>,
}

/// The rule id of an any-of group without a `rule` of its own.
pub(crate) const ANY_OF: &str = "any-of";

/// One child element of a struct.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(rename = "enum")]
    pub enumeration: Option<String>,
    pub min: Option<i64>,
    pub min_items: Option<u32>,
    pub privacy: Option<String>,
    pub doc: String,
    /// The field's Chinese label from the vendor's field tables, when they give one.
    pub zh: Option<String>,
}

/// An enum table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnumDef {
    pub doc: String,
    #[serde(default)]
    pub open: bool,
    pub values: Vec<EnumValue>,
}

/// One code of an enum table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnumValue {
    pub code: String,
    pub doc: String,
    /// What the code means in Chinese, after the vendor's code table (required).
    pub zh: String,
}

/// A parsed field type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Str(Option<u32>),
    Integer,
    /// Scale, and precision when given (`decimal(19,4)`).
    Decimal(u32, Option<u32>),
    DateTime,
    ZeroableDateTime,
    Date,
    Time,
    Flag,
    Map,
    Struct(String),
    List(String, Box<Ty>),
}

/// The `flow` values of each format, with the variant of `qmwire::model::Flow` each stands for.
pub(crate) const FLOWS: &[(Format, &str, &str)] = &[
    (Format::Xml, "erp-to-wms", "ErpToWms"),
    (Format::Xml, "wms-to-erp", "WmsToErp"),
    (Format::Xml, "wms-to-platform", "WmsToPlatform"),
    (Format::Json, "to-erp", "ToErp"),
    (Format::Json, "to-kingdee", "ToKingdee"),
];

/// The `qmwire::model::Flow` variant a `flow` value stands for.
pub(crate) fn flow_variant(format: Format, flow: &str) -> Option<&'static str> {
    FLOWS
        .iter()
        .find(|(f, name, _)| *f == format && *name == flow)
        .map(|(_, _, v)| *v)
}

/// Which wire format a protocol's specs describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Qimen: XML elements, list wrappers with named items.
    Xml,
    /// wdt: JSON objects and arrays.
    Json,
}

/// All spec files of one protocol, keyed by file stem, plus the merged struct and enum namespaces.
pub(crate) struct Protocol {
    pub format: Format,
    pub files: Vec<(String, SpecFile)>,
    pub structs: BTreeMap<String, (String, StructDef)>,
    pub enums: BTreeMap<String, (String, EnumDef)>,
}

/// Parses a type expression such as `string(50)` or `list(orderLine, OrderLine)`.
pub(crate) fn parse_type(s: &str) -> Result<Ty, String> {
    let s = s.trim();
    let (head, arg) = match s.find('(') {
        Some(i) if s.ends_with(')') => (&s[..i], Some(&s[i + 1..s.len() - 1])),
        Some(_) => return Err(format!("unbalanced type `{s}`")),
        None => (s, None),
    };
    let num = |a: Option<&str>| -> Result<u32, String> {
        a.ok_or_else(|| format!("`{s}` needs an argument"))?
            .trim()
            .parse()
            .map_err(|_| format!("bad number in `{s}`"))
    };
    Ok(match head {
        "string" => Ty::Str(arg.map(|_| num(arg)).transpose()?),
        "integer" => Ty::Integer,
        "decimal" => match arg.and_then(|a| a.split_once(',')) {
            Some((p, sc)) => {
                let p: u32 = p
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad number in `{s}`"))?;
                let sc: u32 = sc
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad number in `{s}`"))?;
                if sc > p {
                    return Err(format!("`{s}`: scale larger than precision"));
                }
                Ty::Decimal(sc, Some(p))
            }
            None => Ty::Decimal(num(arg)?, None),
        },
        "datetime" => Ty::DateTime,
        "datetime_or_zero" => Ty::ZeroableDateTime,
        "date" => Ty::Date,
        "time" => Ty::Time,
        "flag" => Ty::Flag,
        "map" => Ty::Map,
        "list" => {
            let arg = arg.ok_or_else(|| format!("`{s}` needs (item, type)"))?;
            // `list(T)`: a JSON array, whose items have no name of their own.
            let (item, inner) = arg.split_once(',').unwrap_or(("", arg));
            let inner = parse_type(inner)?;
            if matches!(inner, Ty::List(..) | Ty::Map) {
                return Err(format!("`{s}`: list items must be structs or scalars"));
            }
            Ty::List(item.trim().to_string(), Box::new(inner))
        }
        name if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && arg.is_none() => {
            Ty::Struct(name.to_string())
        }
        _ => return Err(format!("unknown type `{s}`")),
    })
}

const PRIVACY: &[&str] = &[
    "name",
    "phone",
    "address",
    "id-number",
    "email",
    "account",
    "nick",
    "plate",
];

/// Loads and cross-checks every `*.toml` in `dir`.
pub(crate) fn load(dir: &Path, format: Format) -> Result<Protocol, String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    let mut files = Vec::new();
    let mut structs = BTreeMap::new();
    let mut enums = BTreeMap::new();
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: SpecFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for (name, def) in &file.structs {
            if structs
                .insert(name.clone(), (stem.clone(), def.clone()))
                .is_some()
            {
                return Err(format!("{stem}: struct `{name}` is defined twice"));
            }
        }
        for (name, def) in &file.enums {
            if enums
                .insert(name.clone(), (stem.clone(), def.clone()))
                .is_some()
            {
                return Err(format!("{stem}: enum `{name}` is defined twice"));
            }
        }
        files.push((stem, file));
    }
    let proto = Protocol {
        format,
        files,
        structs,
        enums,
    };
    check(&proto)?;
    Ok(proto)
}

fn check(p: &Protocol) -> Result<(), String> {
    for (stem, f) in &p.files {
        let roots = [&f.request, &f.response];
        for r in roots.into_iter().flatten() {
            if !p.structs.contains_key(r) {
                return Err(format!("{stem}: root struct `{r}` is not defined"));
            }
        }
        if let Some(bare) = &f.bare {
            let root = f.request.as_deref().unwrap_or("");
            let ok = p.structs.contains_key(root)
                && fields_of(p, root)
                    .iter()
                    .any(|x| &x.name == bare && x.ty.starts_with("list("));
            if !ok || p.format != Format::Json {
                return Err(format!(
                    "{stem}: `bare = \"{bare}\"` must name a list field of the JSON request"
                ));
            }
        }
        if f.title.is_some() != f.title_zh.is_some() {
            return Err(format!(
                "{stem}: `title` and `title_zh` go together (the Chinese title is shown by \
                 `qmwire --lang zh methods`)"
            ));
        }
        if f.method.is_some() && f.title.is_none() {
            return Err(format!(
                "{stem}: a message file needs a `title` and a `title_zh`"
            ));
        }
        match (&f.method, &f.flow) {
            (Some(_), Some(flow)) if flow_variant(p.format, flow).is_none() => {
                let known: Vec<_> = FLOWS
                    .iter()
                    .filter(|x| x.0 == p.format)
                    .map(|x| x.1)
                    .collect();
                return Err(format!("{stem}: unknown flow `{flow}` (one of {known:?})"));
            }
            (Some(_), None) => return Err(format!("{stem}: a message file needs a `flow`")),
            (None, Some(_)) => return Err(format!("{stem}: only a message file has a `flow`")),
            _ => {}
        }
        match (&f.method, &f.envelope) {
            (Some(_), None) if f.request.is_some() && f.response.is_some() => {}
            (None, Some(_)) if f.request.is_none() && f.response.is_some() => {}
            (None, None) if f.request.is_none() && f.response.is_none() => {}
            _ => return Err(format!(
                "{stem}: a message file needs method+request+response, an envelope file envelope+response"
            )),
        }
    }
    for (name, (stem, s)) in &p.structs {
        if let Some(base) = &s.extends {
            if !p.structs.contains_key(base) {
                return Err(format!("{stem}: `{name}` extends unknown `{base}`"));
            }
            let inherited = declared_fields(p, base);
            for n in s.require.iter().chain(&s.omit) {
                if !inherited.iter().any(|f| &f.name == n) {
                    return Err(format!(
                        "{stem}: `{name}` requires or omits `{n}`, which `{base}` does not have"
                    ));
                }
            }
            if let Some(n) = s.require.iter().find(|n| s.omit.contains(n)) {
                return Err(format!("{stem}: `{name}` both requires and omits `{n}`"));
            }
        } else if !s.require.is_empty() || !s.omit.is_empty() {
            return Err(format!(
                "{stem}: `{name}`: `require` and `omit` apply to the fields of an `extends` base"
            ));
        }
        let own = declared_fields(p, name);
        for (i, f) in own.iter().enumerate() {
            if own[..i].iter().any(|g| g.name == f.name) {
                return Err(format!("{stem}: `{name}` has the field `{}` twice", f.name));
            }
        }
        let all = fields_of(p, name);
        for g in &s.any_of {
            let ctx = format!("{stem}: {name}: any_of {:?}", g.fields);
            if g.fields.len() < 2 {
                return Err(format!("{ctx}: a group needs at least two fields"));
            }
            for n in &g.fields {
                let Some(f) = all.iter().find(|f| &f.name == n) else {
                    return Err(format!("{ctx}: `{n}` is not a field of `{name}`"));
                };
                if f.required {
                    return Err(format!(
                        "{ctx}: `{n}` is required, so the group says nothing"
                    ));
                }
            }
            if let Some(rule) = &g.rule {
                if rule != ANY_OF && !rule.contains('.') {
                    return Err(format!(
                        "{ctx}: rule `{rule}` must be `{ANY_OF}` or a protocol rule (`wdt.…`)"
                    ));
                }
            }
        }
        for f in all {
            let ctx = format!("{stem}: {name}.{}", f.name);
            let ty = parse_type(&f.ty).map_err(|e| format!("{ctx}: {e}"))?;
            let leaf = match &ty {
                Ty::List(_, inner) => inner.as_ref(),
                t => t,
            };
            if let Ty::List(item, _) = &ty {
                match (p.format, item.is_empty()) {
                    (Format::Xml, true) => {
                        return Err(format!("{ctx}: XML lists need `list(item, T)`"))
                    }
                    (Format::Json, false) => {
                        return Err(format!(
                            "{ctx}: JSON lists are `list(T)`, items have no name"
                        ))
                    }
                    _ => {}
                }
            }
            if let Ty::Struct(s) = leaf {
                if !p.structs.contains_key(s) {
                    return Err(format!("{ctx}: unknown struct `{s}`"));
                }
            }
            if let Some(e) = &f.enumeration {
                if !p.enums.contains_key(e) {
                    return Err(format!("{ctx}: unknown enum `{e}`"));
                }
                if !matches!(leaf, Ty::Str(_) | Ty::Integer) {
                    return Err(format!("{ctx}: `enum` needs a string or integer type"));
                }
            }
            if f.min.is_some() && !matches!(leaf, Ty::Integer) {
                return Err(format!("{ctx}: `min` needs an integer type"));
            }
            if f.min_items.is_some() && !matches!(ty, Ty::List(..)) {
                return Err(format!("{ctx}: `min_items` needs a list type"));
            }
            if let Some(c) = &f.privacy {
                if !PRIVACY.contains(&c.as_str()) {
                    return Err(format!("{ctx}: unknown privacy class `{c}`"));
                }
            }
        }
    }
    Ok(())
}

/// The fields of a struct with the fields of its `extends` chain first.
///
/// Qimen allows `remark` and `extendProps` under every element that has children ("所有非叶子
/// 节点下都可以增加remark和extendProps", the WMS white paper): a Qimen struct that does not
/// declare them gets them last, as free text of at most 500 characters and a key/value map. The
/// gateway's own `error_response` envelope is not a Qimen message and gets neither.
pub(crate) fn fields_of(p: &Protocol, name: &str) -> Vec<FieldDef> {
    let mut out = declared_fields(p, name);
    let envelope = p.structs[name].0 == "error_response";
    if p.format == Format::Xml && !envelope {
        for (field, ty, doc, zh) in [
            ("remark", "string(500)", "remark", "备注"),
            (
                "extendProps",
                "map",
                "extension key/value pairs",
                "扩展属性",
            ),
        ] {
            if !out.iter().any(|f| f.name == field) {
                out.push(FieldDef {
                    name: field.into(),
                    ty: ty.into(),
                    required: false,
                    enumeration: None,
                    min: None,
                    min_items: None,
                    privacy: None,
                    doc: doc.into(),
                    zh: Some(zh.into()),
                });
            }
        }
    }
    out
}

/// The fields a struct and its `extends` chain declare, the chain's first, less the base's
/// fields the struct `omit`s and with the ones it `require`s made required.
fn declared_fields(p: &Protocol, name: &str) -> Vec<FieldDef> {
    let (_, s) = &p.structs[name];
    let mut out = match &s.extends {
        Some(base) => declared_fields(p, base),
        None => Vec::new(),
    };
    out.retain(|f| !s.omit.contains(&f.name));
    for f in &mut out {
        if s.require.contains(&f.name) {
            f.required = true;
        }
    }
    out.extend(s.fields.iter().cloned());
    out
}
