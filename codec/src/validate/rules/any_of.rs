//! Rule `any-of` (and the protocol rules declared as any-of groups, `wdt.goods-or-spec-no`):
//! where the contract accepts one key or another, at least one of them must hold a value. An
//! empty value counts as absent, as for `required`.

use crate::model::AnyOf;
use crate::report::Msg;

/// The message for a block in which no field of `group` holds a value.
pub(crate) fn message(group: &AnyOf, json: bool) -> Msg {
    let en = missing(group.fields.iter().copied(), group.doc, json);
    Msg::new(en, missing_zh(group.fields.iter().copied(), None, json))
}

/// [`missing`] in Chinese; `why`, when given, says why one is enough.
pub(crate) fn missing_zh<'n>(
    fields: impl Iterator<Item = &'n str>,
    why: Option<&str>,
    json: bool,
) -> String {
    let names: Vec<String> = fields
        .map(|name| super::Tag { name, json }.to_string())
        .collect();
    let why = why.map_or(String::new(), |w| format!("（{w}）"));
    format!("{} 都缺失或为空，至少要填一个{why}", names.join("、"))
}

/// The message for a block in which none of the fields `fields` holds a value; `why` says why
/// one is enough (a spec group's doc, or the counterparty profile that asks for it).
pub(crate) fn missing<'n>(fields: impl Iterator<Item = &'n str>, why: &str, json: bool) -> String {
    let names: Vec<String> = fields
        .map(|name| super::Tag { name, json }.to_string())
        .collect();
    let (list, quantifier) = match names.as_slice() {
        [a, b] => (format!("{a} and {b}"), "both"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "all"),
        [] => (String::new(), "all"),
    };
    format!("{list} are {quantifier} missing or empty; expected at least one ({why})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wdt::{API_REFUND_SPEC, TRADE_ORDER_SPEC};

    #[test]
    fn names_every_alternative_and_why() {
        let g = &TRADE_ORDER_SPEC.any_of[0];
        assert_eq!(g.rule, crate::rules::WDT_GOODS_OR_SPEC_NO);
        assert_eq!(
            message(g, true).en,
            "`goods_no` and `spec_no` are both missing or empty; expected at least one (the ERP matches goods by them)"
        );
        let three = AnyOf {
            fields: &["a", "b", "c"],
            doc: "why",
            rule: crate::rules::ANY_OF,
        };
        assert_eq!(
            message(&three, false).en,
            "`<a>`, `<b>` and `<c>` are all missing or empty; expected at least one (why)"
        );
        assert_eq!(API_REFUND_SPEC.any_of[0].rule, crate::rules::ANY_OF);
    }
}
