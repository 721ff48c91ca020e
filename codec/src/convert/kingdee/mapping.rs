//! The mapping file: which wdt field (or constant, table lookup, concatenation) fills which
//! field of the 金蝶 sales-return bill. Read strictly: an unknown key, a field that either side
//! does not have, a lookup through a table that is not there, or a personal wdt field copied or
//! joined into a bill field (free text such as `FHeadNote` above all) without `personal = true`
//! is an error at its line and column.
//!
//! ```toml
//! schema = 1
//! [mapping]
//! id = "my-shop"
//! [batch]
//! data = { IsAutoSubmitAndAudit = true }   # keys of the BatchSave `data` package
//! only-status = ["80"]                     # other wdt stock-in statuses are skipped
//! [head]                                   # bill head; "SubHeadEntity.X" for the finance block
//! FBillNo = { copy = "order_no" }          # a field of the wdt order
//! FSaleOrgId = { const = "100" }
//! FRetcustId = { lookup = "customers", key = "shop_no" }
//! FHeadNote = { join = ["logistics_no", "remark"], separator = " " }
//! [entry]                                  # one entry per `details_list` line
//! FRealQty = { copy = "num", negate = false }
//! FStockId = { lookup = "warehouses", key = "order.warehouse_no" }   # `order.`: the order's field
//! [tables.customers]
//! "SHOP01" = "CUST-1"
//! ```

use crate::kingdee::reply::is_ref;
use crate::kingdee::DECIMAL_FIELDS;
use crate::model::kingdee::{
    BATCH_SAVE_DATA_SPEC, RETURN_STOCK_BILL_SPEC, RETURN_STOCK_ENTRY_SPEC,
    RETURN_STOCK_FINANCE_SPEC,
};
use crate::model::wdt::{
    STOCKIN_REFUND_DETAIL_SPEC, STOCKIN_REFUND_ORDER_SPEC, STOCKIN_STATUS_ENUM,
};
use crate::model::{FieldKind, FieldSpec, StructSpec};
use crate::wire::span::LineIndex;
use crate::wire::suggest::closest;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The version of the format this build reads.
pub const SCHEMA: u32 = 1;

/// The built-in mappings: name and text.
pub const BUILTINS: &[(&str, &str)] = &[("seed003", include_str!("seed003.toml"))];

/// A problem in a mapping file, located in it (`built-in seed003` for the built-in one).
pub type MappingError = crate::error::FileError;

/// A field of the wdt reply a value comes from.
#[derive(Debug, Clone, Copy)]
pub enum SourceField {
    /// A field of the stock-in order (`stockin_list[]`).
    Order(&'static FieldSpec),
    /// A field of a received line (`details_list[]`); entries only.
    Detail(&'static FieldSpec),
}

impl SourceField {
    /// The field's spec.
    pub fn spec(self) -> &'static FieldSpec {
        match self {
            SourceField::Order(f) | SourceField::Detail(f) => f,
        }
    }

    /// How the mapping names it: `order_no`, or `order.warehouse_no` in an entry.
    pub fn label(self, in_entry: bool) -> String {
        match self {
            SourceField::Order(f) if in_entry => format!("order.{}", f.name),
            SourceField::Order(f) | SourceField::Detail(f) => f.name.to_string(),
        }
    }
}

/// Where a bill field's value comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A constant.
    Const(String),
    /// A wdt field, as it is.
    Copy(SourceField),
    /// A user table, keyed by a wdt field.
    Lookup {
        /// The table's name under `[tables]`.
        table: String,
        /// The field whose value is looked up.
        key: SourceField,
    },
    /// wdt fields joined, blank ones left out.
    Join {
        /// The fields, in order.
        parts: Vec<SourceField>,
        /// What goes between two parts.
        separator: String,
    },
}

/// One bill field and how to fill it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The 金蝶 field.
    pub field: &'static FieldSpec,
    /// Where it is written: `FBillNo`, `SubHeadEntity.FSettleOrgId`, or an entry field.
    pub name: String,
    /// Where the value comes from.
    pub source: Source,
    /// Flip the sign of a decimal (a source that writes returns as negative quantities).
    pub negate: bool,
    /// Keep only the `yyyy-MM-dd` of a `yyyy-MM-dd HH:mm:ss`.
    pub date_only: bool,
}

/// A validated mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Its id.
    pub id: String,
    /// What it is for.
    pub title: Option<String>,
    /// Keys of the BatchSave `data` package, with their JSON values, in file order.
    pub data: Vec<(String, String)>,
    /// The wdt stock-in statuses that become bills (`None`: every order).
    pub only_status: Option<Vec<String>>,
    /// Head fields, in the bill's field order.
    pub head: Vec<Target>,
    /// Fields of `SubHeadEntity`, in its field order.
    pub finance: Vec<Target>,
    /// Entry fields, in the entry's field order.
    pub entry: Vec<Target>,
    /// The lookup tables.
    pub tables: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    schema: Spanned<u32>,
    mapping: Header,
    #[serde(default)]
    batch: Batch,
    #[serde(default)]
    head: BTreeMap<Spanned<String>, Spanned<Rule>>,
    #[serde(default)]
    entry: BTreeMap<Spanned<String>, Spanned<Rule>>,
    #[serde(default)]
    tables: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Header {
    id: String,
    title: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Batch {
    #[serde(default)]
    data: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    only_status: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Rule {
    #[serde(rename = "const")]
    constant: Option<String>,
    copy: Option<Spanned<String>>,
    lookup: Option<Spanned<String>>,
    key: Option<Spanned<String>>,
    join: Option<Vec<Spanned<String>>>,
    separator: Option<String>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    date_only: bool,
    #[serde(default)]
    personal: bool,
}

/// The file being read, for positions.
/// What a problem says: in English, and in Chinese.
type Said = (String, String);

struct Reader<'t> {
    origin: String,
    text: &'t str,
}

impl Reader<'_> {
    fn at(&self, offset: usize, (message, message_zh): Said) -> MappingError {
        let at = LineIndex::new(self.text).line_col(offset.min(self.text.len()));
        MappingError {
            origin: self.origin.clone(),
            line: at.line,
            column: at.column,
            message,
            message_zh,
        }
    }

    fn nowhere(&self, (message, message_zh): Said) -> MappingError {
        MappingError {
            origin: self.origin.clone(),
            line: 0,
            column: 0,
            message,
            message_zh,
        }
    }
}

impl Mapping {
    /// The built-in mapping `name` (`seed003`).
    pub fn builtin(name: &str) -> Option<Mapping> {
        let (_, text) = BUILTINS.iter().find(|(n, _)| *n == name)?;
        Some(Mapping::parse(text, &format!("built-in {name}")).expect("built-ins are valid"))
    }

    /// Reads and checks the mapping written in `text`; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Mapping, MappingError> {
        let r = Reader {
            origin: origin.to_string(),
            text,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            let zh = format!("TOML 内容有误：{message}");
            r.at(e.span().map_or(0, |s| s.start), (message, zh))
        })?;
        if *file.schema.get_ref() != SCHEMA {
            return Err(r.at(
                file.schema.span().start,
                (
                    format!("expected `schema = {SCHEMA}` (the mapping format this qmwire reads)"),
                    format!("应为 `schema = {SCHEMA}`（这个 qmwire 读的映射格式）"),
                ),
            ));
        }
        let tables: BTreeMap<String, BTreeMap<String, String>> = file
            .tables
            .into_iter()
            .map(|(k, v)| (k.into_inner(), v))
            .collect();
        let mut data = Vec::new();
        let keys: Vec<&str> = BATCH_SAVE_DATA_SPEC
            .fields
            .iter()
            .map(|f| f.name)
            .filter(|n| *n != "Model")
            .collect();
        for (key, value) in &file.batch.data {
            let Some(field) = BATCH_SAVE_DATA_SPEC
                .field(key.get_ref())
                .filter(|f| f.name != "Model")
            else {
                return Err(r.at(
                    key.span().start,
                    unknown(
                        (
                            "key of the BatchSave `data` package",
                            "BatchSave `data` 包里的键",
                        ),
                        key.get_ref(),
                        &keys,
                    ),
                ));
            };
            let json = match (value.get_ref(), field.kind, field.enumeration) {
                (toml::Value::Boolean(b), FieldKind::Str, Some(_)) => b.to_string(),
                (toml::Value::String(s), FieldKind::Str, None) => {
                    crate::wire::json_escape::quote(s)
                }
                (toml::Value::Integer(n), FieldKind::Integer, _) if *n >= 1 => n.to_string(),
                _ => {
                    let (want, want_zh) = match (field.kind, field.enumeration) {
                        (FieldKind::Integer, _) => {
                            ("a whole number of at least 1", "不小于 1 的整数")
                        }
                        (_, Some(_)) => ("`true` or `false`", "`true` 或 `false`"),
                        _ => ("a string", "字符串"),
                    };
                    return Err(r.at(
                        value.span().start,
                        (
                            format!("`{}` takes {want}", field.name),
                            format!("`{}` 的值应为{want_zh}", field.name),
                        ),
                    ));
                }
            };
            data.push((field.name.to_string(), json));
        }
        let only_status = match &file.batch.only_status {
            None => None,
            Some(codes) => {
                let mut out = Vec::new();
                for c in codes {
                    if !STOCKIN_STATUS_ENUM.contains(c.get_ref()) {
                        let known: Vec<&str> =
                            STOCKIN_STATUS_ENUM.values.iter().map(|v| v.code).collect();
                        return Err(r.at(
                            c.span().start,
                            (
                                format!(
                                    "`{}` is not a wdt stock-in status (one of {})",
                                    c.get_ref(),
                                    known.join(", ")
                                ),
                                format!(
                                    "`{}` 不是旺店通的入库单状态（应为 {} 之一）",
                                    c.get_ref(),
                                    known.join("、")
                                ),
                            ),
                        ));
                    }
                    out.push(c.get_ref().clone());
                }
                Some(out)
            }
        };
        let mut head = Vec::new();
        let mut finance = Vec::new();
        for (name, rule) in &file.head {
            let (spec, in_finance) = match name.get_ref().strip_prefix("SubHeadEntity.") {
                Some(_) => (&RETURN_STOCK_FINANCE_SPEC, true),
                None => (&RETURN_STOCK_BILL_SPEC, false),
            };
            let bare = name.get_ref().trim_start_matches("SubHeadEntity.");
            let field = target_field(
                &r,
                name,
                bare,
                spec,
                (
                    "head (or `SubHeadEntity.` finance)",
                    "单据头（或 `SubHeadEntity.` 财务信息）",
                ),
            )?;
            let t = target(&r, field, name.get_ref(), rule, &tables, false)?;
            if in_finance {
                finance.push(t);
            } else {
                head.push(t);
            }
        }
        let mut entry = Vec::new();
        for (name, rule) in &file.entry {
            let field = target_field(
                &r,
                name,
                name.get_ref(),
                &RETURN_STOCK_ENTRY_SPEC,
                ("entry", "明细"),
            )?;
            entry.push(target(&r, field, name.get_ref(), rule, &tables, true)?);
        }
        let order = |spec: &StructSpec, list: &mut Vec<Target>| {
            list.sort_by_key(|t| spec.fields.iter().position(|f| std::ptr::eq(f, t.field)));
        };
        order(&RETURN_STOCK_BILL_SPEC, &mut head);
        order(&RETURN_STOCK_FINANCE_SPEC, &mut finance);
        order(&RETURN_STOCK_ENTRY_SPEC, &mut entry);
        for (spec, list, what, what_zh) in [
            (&RETURN_STOCK_BILL_SPEC, &head, "[head]", "[head]"),
            (
                &RETURN_STOCK_FINANCE_SPEC,
                &finance,
                "[head] (as `SubHeadEntity.…`)",
                "[head]（写作 `SubHeadEntity.…`）",
            ),
            (&RETURN_STOCK_ENTRY_SPEC, &entry, "[entry]", "[entry]"),
        ] {
            let missing = spec
                .fields
                .iter()
                .filter(|f| f.required && fillable(f))
                .find(|f| !list.iter().any(|t| std::ptr::eq(t.field, *f)));
            if let Some(f) = missing {
                return Err(r.nowhere((
                    format!(
                        "{what} gives no value for `{}` ({}), which every bill needs",
                        f.name, f.doc
                    ),
                    format!(
                        "{what_zh} 没有给出每张单据都必需的 `{}`（{}）",
                        f.name,
                        f.label_in(crate::report::Lang::Zh)
                    ),
                )));
            }
        }
        Ok(Mapping {
            id: file.mapping.id,
            title: file.mapping.title,
            data,
            only_status,
            head,
            finance,
            entry,
            tables,
        })
    }
}

/// `unknown X `name`; did you mean …` or the list of known names.
fn unknown((what, what_zh): (&str, &str), name: &str, known: &[&str]) -> Said {
    match closest(name, known.iter().copied(), 3) {
        Some(g) => (
            format!("`{name}` is not a {what}; did you mean `{g}`?"),
            format!("`{name}` 不是{what_zh}；是不是 `{g}`？"),
        ),
        None => (
            format!("`{name}` is not a {what} (known: {})", known.join(", ")),
            format!("`{name}` 不是{what_zh}（已知的有：{}）", known.join("、")),
        ),
    }
}

/// Whether a bill field takes a value from the mapping: a scalar or a base-data reference, not
/// a container (`SubHeadEntity`, `FEntity`).
fn fillable(f: &FieldSpec) -> bool {
    !matches!(f.kind, FieldKind::List(_)) && (is_ref(f) || !matches!(f.kind, FieldKind::Struct(_)))
}

/// The bill field `bare` of `spec`: a scalar or a base-data reference, not a container.
fn target_field(
    r: &Reader<'_>,
    at: &Spanned<String>,
    bare: &str,
    spec: &'static StructSpec,
    (what, what_zh): (&str, &str),
) -> Result<&'static FieldSpec, MappingError> {
    let known: Vec<&str> = spec
        .fields
        .iter()
        .filter(|f| fillable(f))
        .map(|f| f.name)
        .collect();
    spec.fields
        .iter()
        .filter(|f| fillable(f))
        .find(|f| f.name == bare)
        .ok_or_else(|| {
            r.at(
                at.span().start,
                unknown(
                    (
                        &format!("{what} field of the sales-return bill"),
                        &format!("销售退货单的{what_zh}字段"),
                    ),
                    bare,
                    &known,
                ),
            )
        })
}

/// A wdt field named `name` (`order.` prefix in entries).
fn source_field(
    r: &Reader<'_>,
    name: &Spanned<String>,
    in_entry: bool,
) -> Result<SourceField, MappingError> {
    let n = name.get_ref().as_str();
    let scalar = |f: &&FieldSpec| {
        !matches!(
            f.kind,
            FieldKind::List(_) | FieldKind::Struct(_) | FieldKind::Map
        )
    };
    let find = |spec: &'static StructSpec, n: &str| {
        spec.fields.iter().filter(scalar).find(|f| f.name == n)
    };
    let (spec, bare, detail) = match n.strip_prefix("order.") {
        Some(rest) if in_entry => (&STOCKIN_REFUND_ORDER_SPEC, rest, false),
        _ if in_entry => (&STOCKIN_REFUND_DETAIL_SPEC, n, true),
        _ => (&STOCKIN_REFUND_ORDER_SPEC, n, false),
    };
    match find(spec, bare) {
        Some(f) if detail => Ok(SourceField::Detail(f)),
        Some(f) => Ok(SourceField::Order(f)),
        None => {
            let known: Vec<&str> = spec.fields.iter().filter(scalar).map(|f| f.name).collect();
            let what = if detail {
                (
                    "field of a wdt `details_list` line (prefix `order.` for a field of the order)",
                    "旺店通 `details_list` 明细行的字段（入库单本身的字段要加前缀 `order.`）",
                )
            } else {
                ("field of a wdt stock-in order", "旺店通入库单的字段")
            };
            Err(r.at(name.span().start, unknown(what, bare, &known)))
        }
    }
}

/// Checks one `FIELD = { … }` entry.
fn target(
    r: &Reader<'_>,
    field: &'static FieldSpec,
    name: &str,
    rule: &Spanned<Rule>,
    tables: &BTreeMap<String, BTreeMap<String, String>>,
    in_entry: bool,
) -> Result<Target, MappingError> {
    let at = rule.span().start;
    let x = rule.get_ref();
    let given = [
        x.constant.is_some(),
        x.copy.is_some(),
        x.lookup.is_some(),
        x.join.is_some(),
    ];
    if given.iter().filter(|&&g| g).count() != 1 {
        return Err(r.at(
            at,
            (
                format!(
                    "`{name}` needs exactly one of `const`, `copy`, `lookup` (with `key`) or `join`"
                ),
                format!(
                    "`{name}` 要在 `const`、`copy`、`lookup`（带 `key`）和 `join` 中恰好选一个"
                ),
            ),
        ));
    }
    if x.key.is_some() != x.lookup.is_some() {
        return Err(r.at(
            at,
            (
                format!("`{name}`: `key` goes with `lookup`, and `lookup` needs a `key`"),
                format!("`{name}`：`key` 要和 `lookup` 一起用，`lookup` 也需要 `key`"),
            ),
        ));
    }
    if x.separator.is_some() && x.join.is_none() {
        return Err(r.at(
            at,
            (
                format!("`{name}`: `separator` goes with `join`"),
                format!("`{name}`：`separator` 要和 `join` 一起用"),
            ),
        ));
    }
    if x.negate && !DECIMAL_FIELDS.contains(&field.name) {
        return Err(r.at(
            at,
            (
                format!(
                    "`{name}`: `negate` applies to decimal fields only ({})",
                    DECIMAL_FIELDS.join(", ")
                ),
                format!(
                    "`{name}`：`negate` 只能用于数值字段（{}）",
                    DECIMAL_FIELDS.join("、")
                ),
            ),
        ));
    }
    if x.date_only && field.name != "FDate" {
        return Err(r.at(
            at,
            (
                format!("`{name}`: `date-only` applies to `FDate` only"),
                format!("`{name}`：`date-only` 只能用于 `FDate`"),
            ),
        ));
    }
    let free_text = matches!(field.kind, FieldKind::Str)
        && field.enumeration.is_none()
        && !DECIMAL_FIELDS.contains(&field.name)
        && field.name != "FDate";
    let personal = |s: &Spanned<String>, f: SourceField| -> Result<(), MappingError> {
        match f.spec().privacy {
            Some(class) if !x.personal => Err(r.at(
                s.span().start,
                (
                    format!(
                        "`{}` is personal data ({}); it would flow into {} `{name}`. Leave it out, or set `personal = true` on this entry to send it on purpose",
                        s.get_ref(),
                        class.as_str(),
                        if free_text { "the free-text field" } else { "the bill field" }
                    ),
                    format!(
                        "`{}` 是个人信息（{}），会流进{} `{name}`。请去掉它，或者确实要发送时在这一项上写 `personal = true`",
                        s.get_ref(),
                        class.zh(),
                        if free_text { "自由文本字段" } else { "单据字段" }
                    ),
                ),
            )),
            _ => Ok(()),
        }
    };
    let source = if let Some(c) = &x.constant {
        Source::Const(c.clone())
    } else if let Some(c) = &x.copy {
        let f = source_field(r, c, in_entry)?;
        personal(c, f)?;
        Source::Copy(f)
    } else if let (Some(table), Some(key)) = (&x.lookup, &x.key) {
        if !tables.contains_key(table.get_ref()) {
            let known: Vec<&str> = tables.keys().map(String::as_str).collect();
            return Err(r.at(
                table.span().start,
                unknown(
                    ("table under `[tables]`", "`[tables]` 下的表"),
                    table.get_ref(),
                    &known,
                ),
            ));
        }
        Source::Lookup {
            table: table.get_ref().clone(),
            key: source_field(r, key, in_entry)?,
        }
    } else {
        let parts = x.join.as_ref().expect("one source is given");
        if parts.is_empty() {
            return Err(r.at(
                at,
                (
                    format!("`{name}`: `join` needs at least one field"),
                    format!("`{name}`：`join` 至少要有一个字段"),
                ),
            ));
        }
        let mut fields = Vec::new();
        for p in parts {
            let f = source_field(r, p, in_entry)?;
            personal(p, f)?;
            fields.push(f);
        }
        Source::Join {
            parts: fields,
            separator: x.separator.clone().unwrap_or_else(|| " ".into()),
        }
    };
    Ok(Target {
        field,
        name: name.to_string(),
        source,
        negate: x.negate,
        date_only: x.date_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> MappingError {
        Mapping::parse(text, "m.toml").unwrap_err()
    }

    const BASE: &str = "schema = 1\n[mapping]\nid = \"t\"\n";

    #[test]
    fn the_builtin_reads() {
        let m = Mapping::builtin("seed003").unwrap();
        assert_eq!(m.head[0].name, "FBillTypeID");
        assert_eq!(m.finance.len(), 2);
        assert!(m.entry.iter().any(|t| t.name == "FStockId"));
        assert_eq!(m.only_status.as_deref(), Some(&["80".to_string()][..]));
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let e = err(&format!(
            "{BASE}[head]\nFBilNo = {{ copy = \"order_no\" }}\n"
        ));
        assert_eq!((e.line, e.column), (5, 1));
        assert!(e.message.contains("did you mean `FBillNo`"), "{e}");
        let e = err(&format!(
            "{BASE}[head]\nFBillNo = {{ copy = \"order_nr\" }}\n"
        ));
        assert_eq!((e.line, e.column), (5, 20));
        assert!(e.message.contains("did you mean `order_no`"), "{e}");
        let e = err(&format!(
            "{BASE}[entry]\nFStockId = {{ lookup = \"wh\", key = \"order.warehouse_no\" }}\n"
        ));
        assert!(e.message.contains("table under `[tables]`"), "{e}");
        let e = err(&format!(
            "{BASE}[batch]\ndata = {{ IsVerifyBaseDatafield = true }}\n"
        ));
        assert!(
            e.message.contains("did you mean `IsVerifyBaseDataField`"),
            "{e}"
        );
        let e = err(&format!(
            "{BASE}[head]\nFBillNo = {{ copy = \"order_no\", const = \"x\" }}\n"
        ));
        assert!(e.message.contains("exactly one of"), "{e}");
        let e = err(&format!(
            "{BASE}[head]\nFBillNo = {{ copie = \"order_no\" }}\n"
        ));
        assert!(e.line == 5 && e.message.contains("copie"), "{e}");
        let e = err("schema = 2\n[mapping]\nid = \"t\"\n");
        assert_eq!(e.line, 1);
        // A mapping that leaves out a field every bill needs.
        let e = err(BASE);
        assert!(e.message.contains("FBillTypeID"), "{e}");
    }

    #[test]
    fn personal_fields_stay_out_of_free_text_unless_asked() {
        let builtin = BUILTINS[0].1;
        let text = builtin.replace(
            "FHeadNote = { join = [\"logistics_no\", \"remark\"], separator = \" \" }",
            "FHeadNote = { join = [\"logistics_no\", \"customer_name\"] }",
        );
        let e = err(&text);
        assert!(
            e.message
                .contains("`customer_name` is personal data (name)"),
            "{e}"
        );
        let text = builtin.replace(
            "FHeadNote = { join = [\"logistics_no\", \"remark\"], separator = \" \" }",
            "FHeadNote = { copy = \"nick_name\", personal = true }",
        );
        assert!(Mapping::parse(&text, "m.toml").is_ok());
        // Into a base-data field too: the number would be the person's name.
        let text = builtin.replace(
            "FRetcustId = { lookup = \"customers\", key = \"shop_no\" }",
            "FRetcustId = { copy = \"nick_name\" }",
        );
        let e = err(&text);
        assert!(
            e.message.contains("into the bill field `FRetcustId`"),
            "{e}"
        );
        // A lookup keyed by a personal field sends the table's value, not the field's.
        let text = builtin.replace(
            "FRetcustId = { lookup = \"customers\", key = \"shop_no\" }",
            "FRetcustId = { lookup = \"customers\", key = \"customer_name\" }",
        );
        assert!(Mapping::parse(&text, "m.toml").is_ok());
    }
}
