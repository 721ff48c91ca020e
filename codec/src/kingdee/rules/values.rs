//! Scalar values of the bill: rule `kingdee.base-data-object` (a bare value where a base-data
//! reference object belongs), `kingdee.date` (`FDate` a real date), `kingdee.decimal`
//! (quantities, prices, tax rate and exchange rate as exact plain decimals),
//! `kingdee.quantity` (`FRealQty` above 0) and `kingdee.system-code` (a near miss of a preset
//! code).

use super::Ctx;
use crate::model::values::Unknown;
use crate::model::FieldSpec;
use crate::report::Msg;
use crate::rules::{
    ANY_OF, ELEMENT_CONTENT, KINGDEE_BASE_DATA_OBJECT, KINGDEE_DATE, KINGDEE_DECIMAL,
    KINGDEE_QUANTITY, KINGDEE_SYSTEM_CODE,
};
use crate::validate::rules::{zh_field, zh_name};
use crate::wire::calendar;
use crate::wire::suggest::closest;
use crate::wire::text::Text;

use crate::kingdee::DECIMAL_FIELDS as DECIMALS;

/// Fractional digits from which a number is taken for a binary floating-point artefact
/// (`0.30000000000000004`): no 金蝶 precision setting keeps that many.
const ARTEFACT_DIGITS: usize = 15;

/// Rule `kingdee.base-data-object` for reference field `field`, whose value `u` is not an object.
pub(super) fn bare_reference(ctx: &mut Ctx, field: &FieldSpec, u: &Unknown<'_>, path: String) {
    let (found, found_zh) = match u.raw.as_bytes().first() {
        Some(b'"') => ("a bare string", "一个字符串"),
        Some(b'[') => ("an array", "一个数组"),
        Some(b'-' | b'0'..=b'9') => ("a bare number", "一个数字"),
        _ => ("a bare literal", "一个不带引号的字面量"),
    };
    // The block then holds no number either: the group check would say so again.
    ctx.supersede.push((ANY_OF, u.span));
    ctx.instead(
        ELEMENT_CONTENT,
        KINGDEE_BASE_DATA_OBJECT,
        path,
        u.span,
        Msg::new(
            format!(
                "`{}` ({}) is base data: expected an object naming it by number, `{{\"FNumber\": \"…\"}}`, found {found}",
                field.name, field.doc
            ),
            format!(
                "{}是基础资料，应写成按编码引用的对象 `{{\"FNumber\": \"…\"}}`，这里却是{found_zh}",
                zh_field(field, true)
            ),
        ),
    );
}

/// The value rules for one present scalar.
pub(super) fn check(ctx: &mut Ctx, field: &FieldSpec, value: &Text<'_>, path: String) {
    let v = value.value();
    let v = v.as_ref();
    if field.name == "FDate" {
        if !(calendar::is_date(v) || calendar::is_datetime(v)) {
            ctx.report(
                KINGDEE_DATE,
                path,
                value.span(),
                Msg::new(
                    format!(
                        "expected a real date, `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`, found `{v}`{}",
                        calendar::hint(v)
                    ),
                    format!(
                        "{}：应为有效日期，写作 `yyyy-MM-dd` 或 `yyyy-MM-dd HH:mm:ss`，实际为 `{v}`{}",
                        zh_name(field, true),
                        calendar::hint_zh(v)
                    ),
                ),
            );
        }
        return;
    }
    if DECIMALS.contains(&field.name) {
        if let Some((problem, problem_zh)) = decimal_problem(v) {
            let problem_zh = format!("{}：{problem_zh}", zh_name(field, true));
            ctx.report(
                KINGDEE_DECIMAL,
                path,
                value.span(),
                Msg::new(problem, problem_zh),
            );
            return;
        }
        if field.name == "FRealQty" && !above_zero(v) {
            ctx.report(
                KINGDEE_QUANTITY,
                path,
                value.span(),
                Msg::new(
                    format!("expected a returned quantity above 0, found `{v}`; a source that writes returns as negative quantities needs its sign flipped"),
                    format!("{}：退货数量应大于 0，实际为 `{v}`；来源系统若把退货记成负数，转换时要把符号反过来", zh_name(field, true)),
                ),
            );
        }
        return;
    }
    if let Some(table) = field.enumeration.filter(|t| t.open) {
        if table.contains(v) {
            return;
        }
        let codes = || table.values.iter().map(|c| c.code);
        let same_but_case = codes().find(|c| c.eq_ignore_ascii_case(v));
        let what = table_zh(table.name);
        let message = match same_but_case {
            Some(c) => Some(Msg::new(
                format!(
                    "`{v}` differs from the preset code `{c}` ({}) only in letter case",
                    table.doc
                ),
                format!("`{v}` 与{what}的预置编码 `{c}` 只差大小写"),
            )),
            None if v.to_ascii_uppercase().ends_with("_SYS") => {
                let guess = closest(v, codes(), 3);
                Some(Msg::new(
                    format!(
                        "`{v}` looks like a preset (`_SYS`) code but is not one qmwire knows for this field ({}){}",
                        table.doc,
                        guess
                            .map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_default()
                    ),
                    format!(
                        "`{v}` 以 `_SYS` 结尾，像是预置编码，却不是 qmwire 所知的{what}预置编码{}",
                        guess
                            .map(|c| format!("；是不是 `{c}`？"))
                            .unwrap_or_default()
                    ),
                ))
            }
            None => None,
        };
        if let Some(m) = message {
            ctx.report(KINGDEE_SYSTEM_CODE, path, value.span(), m);
        }
    }
}

/// What the codes of open table `name` are, in Chinese (the English is the table's `doc`).
fn table_zh(name: &str) -> &'static str {
    match name {
        "BillType" => "单据类型",
        "ReturnType" => "退货类型",
        "Currency" => "币别",
        "ExchangeType" => "汇率类型",
        "TransferBizType" => "跨组织业务类型",
        "OwnerType" => "货主类型",
        _ => "该字段",
    }
}

/// What is wrong with `v` as an exact plain decimal, if anything (in English and Chinese).
fn decimal_problem(v: &str) -> Option<(String, String)> {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Some((
            format!(
                "expected a plain decimal number (digits and an optional point: no exponent, sign `+`, separators or units), found `{v}`"
            ),
            format!(
                "应为普通小数写法（只有数字和可选的小数点，不带指数、`+` 号、分隔符或单位），实际为 `{v}`"
            ),
        ));
    }
    match frac {
        Some(f) if f.len() >= ARTEFACT_DIGITS => Some((
            format!(
                "`{v}` has {} digits after the point, a binary floating-point artefact rather than an amount: carry the source's decimal text instead of a float",
                f.len()
            ),
            format!(
                "`{v}` 小数点后有 {} 位，这是二进制浮点数留下的误差，不是真实的数额；请沿用来源里的十进制文本，不要经过浮点数转换",
                f.len()
            ),
        )),
        _ => None,
    }
}

/// Whether a plain decimal is above 0.
fn above_zero(v: &str) -> bool {
    !v.starts_with('-') && v.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_exact_decimals() {
        for ok in ["1", "0.5", "-2", "12.3400", "100000000"] {
            assert_eq!(decimal_problem(ok), None, "{ok}");
        }
        for bad in ["1e3", "+1", "1,000", ".5", "5.", "", "1.2.3", "NaN"] {
            assert!(decimal_problem(bad).is_some(), "{bad}");
        }
        let (en, zh) = decimal_problem("0.30000000000000004").unwrap();
        assert!(en.contains("17 digits"), "{en}");
        assert!(zh.contains("小数点后有 17 位"), "{zh}");
    }

    #[test]
    fn every_open_code_table_has_a_chinese_name() {
        use crate::model::kingdee::{
            BILL_TYPE_ENUM, CURRENCY_ENUM, EXCHANGE_TYPE_ENUM, OWNER_TYPE_ENUM, RETURN_TYPE_ENUM,
            TRANSFER_BIZ_TYPE_ENUM,
        };
        for t in [
            &BILL_TYPE_ENUM,
            &CURRENCY_ENUM,
            &EXCHANGE_TYPE_ENUM,
            &OWNER_TYPE_ENUM,
            &RETURN_TYPE_ENUM,
            &TRANSFER_BIZ_TYPE_ENUM,
        ] {
            assert!(t.open, "{}", t.name);
            assert_ne!(table_zh(t.name), "该字段", "{}", t.name);
        }
    }

    #[test]
    fn quantities_above_zero() {
        assert!(above_zero("1") && above_zero("0.001"));
        assert!(!above_zero("0") && !above_zero("0.000") && !above_zero("-3"));
    }
}
