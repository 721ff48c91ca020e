//! Rule `enum`: the value must be one of a closed code table's codes (case-sensitive).

use super::Shown;
use crate::model::EnumSpec;
use crate::report::Msg;

/// Checks `value` against `table`; open tables accept anything.
pub(crate) fn check(value: &str, table: &EnumSpec, shown: &Shown<'_>) -> Option<Msg> {
    if table.open || table.contains(value) {
        return None;
    }
    let codes: Vec<&str> = table.values.iter().map(|v| v.code).collect();
    let (listed, listed_zh) = if codes.len() <= 12 {
        (codes.join(", "), codes.join("、"))
    } else {
        (
            format!("{}, … ({} codes)", codes[..12].join(", "), codes.len()),
            format!("{}……（共 {} 个代码）", codes[..12].join("、"), codes.len()),
        )
    };
    let near = table
        .values
        .iter()
        .find(|v| v.code.eq_ignore_ascii_case(value.trim()));
    let hint = near
        .map(|v| format!("; did you mean `{}`?", v.code))
        .unwrap_or_default();
    let hint_zh = near
        .map(|v| format!("；是不是 `{}`？", v.code))
        .unwrap_or_default();
    Some(Msg::new(
        format!(
            "expected one of {listed} ({}), found {shown}{hint}",
            table.doc
        ),
        format!("取值应为 {listed_zh} 之一，实际为 {}{hint_zh}", shown.zh()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_TYPE_ENUM;

    #[test]
    fn closed_table_rejects_unknown_and_suggests_case() {
        let t = &DELIVERY_ORDER_TYPE_ENUM;
        assert_eq!(
            check(
                "JYCK",
                t,
                &Shown {
                    value: "JYCK",
                    privacy: None
                }
            ),
            None
        );
        let m = check(
            "jyck",
            t,
            &Shown {
                value: "jyck",
                privacy: None,
            },
        )
        .unwrap()
        .en;
        assert!(m.contains("did you mean `JYCK`"), "{m}");
        assert!(m.contains("JYCK, HHCK, BFCK, QTCK"), "{m}");
    }
}
