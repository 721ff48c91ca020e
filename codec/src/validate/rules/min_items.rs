//! Rule `min-items`: a list wrapper must hold at least `min_items` items.

use crate::model::FieldSpec;
use crate::report::Msg;

/// Checks a list of `count` items; `list` is the wrapper field and `item` the item spec.
pub(crate) fn check(count: usize, list: &FieldSpec, item: &FieldSpec, json: bool) -> Option<Msg> {
    let min = list.min_items? as usize;
    (count < min).then(|| {
        // Built only for a list that is short: the valid path allocates nothing.
        let list_zh = super::zh_field(list, json);
        if json {
            Msg::new(
                format!(
                    "expected at least {min} element(s) in `{}`, found {count}",
                    list.name
                ),
                format!("{list_zh}至少要有 {min} 项，实际 {count} 项"),
            )
        } else {
            Msg::new(
                format!(
                    "expected at least {min} `<{}>` in `<{}>`, found {count}",
                    item.name, list.name
                ),
                format!(
                    "{list_zh}至少要有 {min} 个 `<{}>`，实际 {count} 个",
                    item.name
                ),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_REQUEST_SPEC;
    use crate::model::FieldKind;

    #[test]
    fn an_order_needs_a_line() {
        let lines = DELIVERY_ORDER_CREATE_REQUEST_SPEC
            .field("orderLines")
            .unwrap();
        let FieldKind::List(item) = lines.kind else {
            panic!()
        };
        assert_eq!(
            check(0, lines, item, false).unwrap().en,
            "expected at least 1 `<orderLine>` in `<orderLines>`, found 0"
        );
        assert_eq!(check(1, lines, item, false), None);
        assert!(check(0, lines, item, true)
            .unwrap()
            .en
            .contains("element(s) in `orderLines`"));
    }
}
