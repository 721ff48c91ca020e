//! A wdt `stockin_order_query_refund` reply into a 金蝶 `BatchSave` request of sales-return
//! bills, one bill per stock-in order and one entry per received line, as the mapping says. The
//! request is built as text (decimals stay the exact text wdt sent) and then linted with the
//! 金蝶 rules. What the mapping cannot resolve (an empty source of a required field, a key no
//! table row has, a value that is not a date or a decimal where one is needed) refuses the whole
//! conversion, each problem naming its order and field but never the value.

use super::mapping::{Mapping, Source, SourceField, Target};
use crate::kingdee::reply::is_ref;
use crate::model::node::{Item, Node, Visitor};
use crate::model::values::{List, Map, Unknown};
use crate::model::wdt::{StockinRefundOrder, WdtBody};
use crate::model::{FieldKind, FieldSpec};
use crate::options::{Limits, Options};
use crate::report::Report;
use crate::wire::calendar;
use crate::wire::json_escape::quote;
use crate::wire::text::Text;
use std::collections::HashMap;
use std::fmt;

/// A converted request.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The BatchSave request body (`{"formid":"SAL_RETURNSTOCK","data":{…}}`).
    pub json: String,
    /// The bills in `Model` order: bill `i` is `DIndex` `i` in the reply.
    pub bills: Vec<Bill>,
    /// Orders left out because of their status (`[batch] only-status`).
    pub skipped: Vec<Skipped>,
    /// The 金蝶 lint of [`Converted::json`].
    pub report: Report,
}

/// Which wdt order a bill comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// The wdt stock-in order number (`order_no`).
    pub order_no: String,
    /// The bill's `FBillNo`, when the mapping fills it.
    pub bill_no: Option<String>,
}

/// An order the mapping's status filter left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The wdt stock-in order number.
    pub order_no: String,
    /// Its wdt stock-in status.
    pub status: String,
}

/// Why the conversion was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// The input is not a `stockin_order_query_refund` reply that qmwire can read, or it reports
    /// a failure: what is wrong in English, then in Chinese; neither quotes the input.
    Input(String, String),
    /// Values the mapping cannot resolve, every one of them.
    Unresolved(Vec<Problem>),
}

/// One value the mapping cannot resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The wdt order (`order_no`, or `stockin_list/N` when it has none).
    pub order: String,
    /// The 金蝶 field, with the entry for an entry field (`FEntity/1/FStockId`).
    pub field: String,
    /// What is wrong, naming the wdt field but not its value.
    pub reason: String,
    /// The same in Chinese.
    pub reason_zh: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Input(m, _) => f.write_str(m),
            ConvertError::Unresolved(problems) => {
                write!(f, "{} value(s) cannot be resolved:", problems.len())?;
                for p in problems {
                    write!(f, "\n  order {}: {}: {}", p.order, p.field, p.reason)?;
                }
                Ok(())
            }
        }
    }
}

impl ConvertError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ConvertError::Input(_, zh) => zh.clone(),
            ConvertError::Unresolved(problems) => {
                let mut out = format!("有 {} 个值无法确定：", problems.len());
                for p in problems {
                    out.push_str(&format!(
                        "\n  入库单 {}：{}：{}",
                        p.order, p.field, p.reason_zh
                    ));
                }
                out
            }
        }
    }
}

impl std::error::Error for ConvertError {}

/// The scalar fields of one wdt object, by name.
struct Fields<'a> {
    values: HashMap<&'static str, Text<'a>>,
}

impl<'a> Fields<'a> {
    fn of<T: Node<'a>>(node: &T) -> Fields<'a> {
        let mut f = Fields {
            values: HashMap::new(),
        };
        node.visit(&mut f);
        f
    }

    /// The trimmed value of field `name`, when present and not blank.
    fn get(&self, name: &str) -> Option<String> {
        self.values
            .get(name)
            .filter(|t| !t.is_blank())
            .map(|t| t.value().trim().to_string())
    }
}

impl<'a> Visitor<'a> for Fields<'a> {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        if let Some(v) = value {
            self.values.insert(field.name, v.clone());
        }
    }
    fn node<T: Node<'a>>(&mut self, _: &'static FieldSpec, _: Option<&T>) {}
    fn list<T: Item<'a>>(&mut self, _: &'static FieldSpec, _: Option<&List<'a, T>>) {}
    fn map(&mut self, _: &'static FieldSpec, _: Option<&Map<'a>>) {}
    fn unknown(&mut self, _: &[Unknown<'a>]) {}
}

/// Converts the wdt reply `wdt` with `mapping`; the result's [`Converted::report`] is its lint.
pub fn to_batch_save(
    wdt: &[u8],
    mapping: &Mapping,
    limits: &Limits,
) -> Result<Converted, ConvertError> {
    let api = crate::model::wdt::method("stockin_order_query_refund");
    let doc = crate::wdt::decode_wdt(wdt, api, limits).map_err(|f| {
        ConvertError::Input(
            format!("cannot read the wdt reply: {}", f.masked()),
            format!("无法读取旺店通的应答：{}", f.masked_zh()),
        )
    })?;
    let WdtBody::StockinRefundQueryResponse(reply) = &doc.body else {
        return Err(ConvertError::Input(
            "expected a `stockin_order_query_refund` reply (`{\"code\":0,\"stockin_list\":[…]}`), found its request".into(),
            "应为 `stockin_order_query_refund` 的应答（`{\"code\":0,\"stockin_list\":[…]}`），实际是它的请求".into(),
        ));
    };
    let reply_fields = Fields::of(reply.as_ref());
    match reply_fields.get("code").as_deref() {
        Some("0") | None => {}
        Some(_) => {
            return Err(ConvertError::Input(
                "the wdt reply reports a failure (`code` is not 0): there are no orders to convert"
                    .into(),
                "旺店通的应答报告失败（`code` 不是 0）：没有可转换的入库单".into(),
            ))
        }
    }
    let orders: &[StockinRefundOrder<'_>] = reply
        .stockin_list
        .as_ref()
        .map_or(&[], |l| l.items.as_slice());
    let mut problems = Vec::new();
    let mut bills = Vec::new();
    let mut skipped = Vec::new();
    let mut models = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let head = Fields::of(order);
        let name = head
            .get("order_no")
            .unwrap_or_else(|| format!("stockin_list/{i}"));
        if let Some(only) = &mapping.only_status {
            let status = head.get("status").unwrap_or_default();
            if !only.contains(&status) {
                skipped.push(Skipped {
                    order_no: name,
                    status,
                });
                continue;
            }
        }
        let mut ctx = Ctx {
            mapping,
            order: &name,
            problems: &mut problems,
        };
        let mut model = String::from("{");
        let mut first = true;
        ctx.fields(&mut model, &mut first, &mapping.head, &head, None, "");
        let mut sub = String::from("{");
        let mut sub_first = true;
        ctx.fields(
            &mut sub,
            &mut sub_first,
            &mapping.finance,
            &head,
            None,
            "SubHeadEntity/",
        );
        sub.push('}');
        push_key(&mut model, &mut first, "SubHeadEntity");
        model.push_str(&sub);
        let lines = order
            .details_list
            .as_ref()
            .map_or(&[][..], |l| l.items.as_slice());
        if lines.is_empty() {
            ctx.problem(
                "FEntity",
                (
                    "the order has no `details_list` lines".into(),
                    "这张入库单没有 `details_list` 明细行".into(),
                ),
            );
        }
        push_key(&mut model, &mut first, "FEntity");
        model.push('[');
        for (j, line) in lines.iter().enumerate() {
            if j > 0 {
                model.push(',');
            }
            let detail = Fields::of(line);
            let mut entry = String::from("{");
            let mut entry_first = true;
            let at = format!("FEntity/{j}/");
            ctx.fields(
                &mut entry,
                &mut entry_first,
                &mapping.entry,
                &head,
                Some(&detail),
                &at,
            );
            entry.push('}');
            model.push_str(&entry);
        }
        model.push_str("]}");
        let bill_no = mapping
            .head
            .iter()
            .find(|t| t.field.name == "FBillNo")
            .and_then(|t| ctx.value(t, &head, None).ok().flatten());
        bills.push(Bill {
            order_no: name,
            bill_no,
        });
        models.push(model);
    }
    if !problems.is_empty() {
        return Err(ConvertError::Unresolved(problems));
    }
    if models.is_empty() {
        return Err(ConvertError::Input(
            format!(
                "no order to convert: the reply lists {} order(s), {} left out by `only-status`",
                orders.len(),
                skipped.len()
            ),
            format!(
                "没有可转换的入库单：应答列出 {} 张，其中 {} 张被 `only-status` 排除",
                orders.len(),
                skipped.len()
            ),
        ));
    }
    let mut json = String::from("{\"formid\":\"SAL_RETURNSTOCK\",\"data\":{");
    for (key, value) in &mapping.data {
        json.push_str(&format!("{}:{value},", quote(key)));
    }
    json.push_str("\"Model\":[\n");
    json.push_str(&models.join(",\n"));
    json.push_str("\n]}}\n");
    let report = crate::lint(json.as_bytes(), &Options::new().with_method("BatchSave"));
    Ok(Converted {
        json,
        bills,
        skipped,
        report,
    })
}

/// Writes `"key":` after a `,` unless it is the first member.
fn push_key(out: &mut String, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(',');
    }
    out.push_str(&quote(key));
    out.push(':');
}

/// One order being converted.
struct Ctx<'m, 'p> {
    mapping: &'m Mapping,
    order: &'m str,
    problems: &'p mut Vec<Problem>,
}

impl Ctx<'_, '_> {
    fn problem(&mut self, field: &str, (reason, reason_zh): (String, String)) {
        self.problems.push(Problem {
            order: self.order.to_string(),
            field: field.to_string(),
            reason,
            reason_zh,
        });
    }

    /// Writes each target with a value as a member of the object in `out`.
    fn fields(
        &mut self,
        out: &mut String,
        first: &mut bool,
        targets: &[Target],
        order: &Fields<'_>,
        detail: Option<&Fields<'_>>,
        at: &str,
    ) {
        for t in targets {
            let name = format!("{at}{}", t.field.name);
            match self.value(t, order, detail) {
                Ok(Some(v)) => {
                    push_key(out, first, t.field.name);
                    write_value(out, t.field, &v);
                }
                Ok(None) if t.field.required => self.problem(
                    &name,
                    (
                        format!(
                            "required, and its source {} is empty",
                            describe(&t.source, detail.is_some())
                        ),
                        format!(
                            "必填，而它的来源{}是空的",
                            describe_zh(&t.source, detail.is_some())
                        ),
                    ),
                ),
                Ok(None) => {}
                Err(reason) => self.problem(&name, reason),
            }
        }
    }

    /// The value of `t` for this order (and line), `None` when its source is empty.
    fn value(
        &self,
        t: &Target,
        order: &Fields<'_>,
        detail: Option<&Fields<'_>>,
    ) -> Result<Option<String>, (String, String)> {
        let read = |f: SourceField| match f {
            SourceField::Order(s) => order.get(s.name),
            SourceField::Detail(s) => detail.and_then(|d| d.get(s.name)),
        };
        let in_entry = detail.is_some();
        let mut v = match &t.source {
            Source::Const(c) => Some(c.clone()),
            Source::Copy(f) => read(*f),
            Source::Lookup { table, key } => match read(*key) {
                None => None,
                Some(k) => match self.mapping.tables.get(table).and_then(|rows| rows.get(&k)) {
                    Some(found) => Some(found.clone()),
                    None => {
                        return Err((
                            format!(
                                "table `{table}` has no row for this order's `{}`",
                                key.label(in_entry)
                            ),
                            format!(
                                "表 `{table}` 里没有这张入库单的 `{}` 对应的行",
                                key.label(in_entry)
                            ),
                        ))
                    }
                },
            },
            Source::Join { parts, separator } => {
                let present: Vec<String> = parts.iter().filter_map(|p| read(*p)).collect();
                (!present.is_empty()).then(|| present.join(separator))
            }
        };
        if t.date_only {
            if let Some(d) = &v {
                if calendar::is_datetime(d) {
                    v = Some(d[..10].to_string());
                } else if !calendar::is_date(d) {
                    return Err((
                        format!(
                            "{} is not a `yyyy-MM-dd HH:mm:ss` date-time",
                            describe(&t.source, in_entry)
                        ),
                        format!(
                            "{}不是 `yyyy-MM-dd HH:mm:ss` 格式的日期时间",
                            describe_zh(&t.source, in_entry)
                        ),
                    ));
                }
            }
        }
        if t.negate {
            if let Some(d) = &v {
                v = Some(negate(d).ok_or_else(|| {
                    (
                        format!(
                            "{} is not a plain decimal, so its sign cannot be flipped",
                            describe(&t.source, in_entry)
                        ),
                        format!(
                            "{}不是普通的小数，无法取反",
                            describe_zh(&t.source, in_entry)
                        ),
                    )
                })?);
            }
        }
        Ok(v)
    }
}

/// How a message names a source.
fn describe(source: &Source, in_entry: bool) -> String {
    match source {
        Source::Const(_) => "the constant".into(),
        Source::Copy(f) => format!("`{}`", f.label(in_entry)),
        Source::Lookup { key, .. } => format!("`{}`", key.label(in_entry)),
        Source::Join { parts, .. } => parts
            .iter()
            .map(|p| format!("`{}`", p.label(in_entry)))
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

/// [`describe`] in Chinese.
fn describe_zh(source: &Source, in_entry: bool) -> String {
    match source {
        Source::Const(_) => "常量".into(),
        Source::Copy(f) => format!(" `{}` ", f.label(in_entry)),
        Source::Lookup { key, .. } => format!(" `{}` ", key.label(in_entry)),
        Source::Join { parts, .. } => format!(
            " {} ",
            parts
                .iter()
                .map(|p| format!("`{}`", p.label(in_entry)))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
    }
}

/// `d` with its sign flipped, when it is a plain decimal.
fn negate(d: &str) -> Option<String> {
    let (neg, digits) = match d.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, d),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(int) || !ok(frac) {
        return None;
    }
    let zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    Some(if neg || zero {
        digits.to_string()
    } else {
        format!("-{digits}")
    })
}

/// Writes `value` as the JSON the field takes: a base-data reference object, a number for an
/// integer, a literal for a yes/no flag, a string otherwise (decimals too: exact text).
fn write_value(out: &mut String, field: &FieldSpec, value: &str) {
    let integer = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    if is_ref(field) {
        out.push_str(&format!("{{\"FNumber\":{}}}", quote(value)));
    } else if (matches!(field.kind, FieldKind::Integer) && integer)
        || (field.enumeration.is_some_and(|e| e.name == "Boolean")
            && (value == "true" || value == "false"))
    {
        out.push_str(value);
    } else {
        out.push_str(&quote(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_flip_exactly() {
        assert_eq!(negate("2.0000").as_deref(), Some("-2.0000"));
        assert_eq!(negate("-3").as_deref(), Some("3"));
        assert_eq!(negate("0.00").as_deref(), Some("0.00"));
        assert_eq!(negate("1e3"), None);
        assert_eq!(negate("abc"), None);
    }
}
