//! Scalar values of the bill: rule `kingdee.base-data-object` (a bare value where a base-data
//! reference object belongs), `kingdee.date` (`FDate` a real date), `kingdee.decimal`
//! (quantities, prices, tax rate and exchange rate as exact plain decimals),
//! `kingdee.quantity` (`FRealQty` above 0) and `kingdee.system-code` (a near miss of a preset
//! code).

use super::Ctx;
use crate::model::values::Unknown;
use crate::model::FieldSpec;
use crate::rules::{
    ANY_OF, ELEMENT_CONTENT, KINGDEE_BASE_DATA_OBJECT, KINGDEE_DATE, KINGDEE_DECIMAL,
    KINGDEE_QUANTITY, KINGDEE_SYSTEM_CODE,
};
use crate::wire::calendar;
use crate::wire::suggest::closest;
use crate::wire::text::Text;

use crate::kingdee::DECIMAL_FIELDS as DECIMALS;

/// Fractional digits from which a number is taken for a binary floating-point artefact
/// (`0.30000000000000004`): no 金蝶 precision setting keeps that many.
const ARTEFACT_DIGITS: usize = 15;

/// Rule `kingdee.base-data-object` for reference field `field`, whose value `u` is not an object.
pub(super) fn bare_reference(ctx: &mut Ctx, field: &FieldSpec, u: &Unknown<'_>, path: String) {
    let found = match u.raw.as_bytes().first() {
        Some(b'"') => "a bare string",
        Some(b'[') => "an array",
        Some(b'-' | b'0'..=b'9') => "a bare number",
        _ => "a bare literal",
    };
    // The block then holds no number either: the group check would say so again.
    ctx.supersede.push((ANY_OF, u.span));
    ctx.instead(
        ELEMENT_CONTENT,
        KINGDEE_BASE_DATA_OBJECT,
        path,
        u.span,
        format!(
            "`{}` ({}) is base data: expected an object naming it by number, `{{\"FNumber\": \"…\"}}`, found {found}",
            field.name, field.doc
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
                format!(
                    "expected a real date, `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`, found `{v}`{}",
                    calendar::hint(v)
                ),
            );
        }
        return;
    }
    if DECIMALS.contains(&field.name) {
        if let Some(problem) = decimal_problem(v) {
            ctx.report(KINGDEE_DECIMAL, path, value.span(), problem);
            return;
        }
        if field.name == "FRealQty" && !above_zero(v) {
            ctx.report(
                KINGDEE_QUANTITY,
                path,
                value.span(),
                format!("expected a returned quantity above 0, found `{v}`; a source that writes returns as negative quantities needs its sign flipped"),
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
        let message = match same_but_case {
            Some(c) => Some(format!(
                "`{v}` differs from the preset code `{c}` ({}) only in letter case",
                table.doc
            )),
            None if v.to_ascii_uppercase().ends_with("_SYS") => Some(format!(
                "`{v}` looks like a preset (`_SYS`) code but is not one qmwire knows for this field ({}){}",
                table.doc,
                closest(v, codes(), 3)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )),
            None => None,
        };
        if let Some(m) = message {
            ctx.report(KINGDEE_SYSTEM_CODE, path, value.span(), m);
        }
    }
}

/// What is wrong with `v` as an exact plain decimal, if anything.
fn decimal_problem(v: &str) -> Option<String> {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Some(format!(
            "expected a plain decimal number (digits and an optional point: no exponent, sign `+`, separators or units), found `{v}`"
        ));
    }
    match frac {
        Some(f) if f.len() >= ARTEFACT_DIGITS => Some(format!(
            "`{v}` has {} digits after the point, a binary floating-point artefact rather than an amount: carry the source's decimal text instead of a float",
            f.len()
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
        assert!(decimal_problem("0.30000000000000004")
            .unwrap()
            .contains("17 digits"));
    }

    #[test]
    fn quantities_above_zero() {
        assert!(above_zero("1") && above_zero("0.001"));
        assert!(!above_zero("0") && !above_zero("0.000") && !above_zero("-3"));
    }
}
