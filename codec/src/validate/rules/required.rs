//! Rule `required`: the field must be present and hold something other than whitespace.

use crate::model::FieldSpec;
use crate::report::Msg;

/// The message for a required field that is absent.
pub(crate) fn missing(field: &FieldSpec, json: bool) -> Msg {
    let tag = super::Tag {
        name: field.name,
        json,
    };
    Msg::new(
        format!("required field {tag} ({}) is missing", field.doc),
        format!("缺少必填字段{}", super::zh_field(field, json)),
    )
}

/// The message for a required field that is present but empty.
pub(crate) fn empty(field: &FieldSpec, json: bool) -> Msg {
    let tag = super::Tag {
        name: field.name,
        json,
    };
    let (what, zh) = if json {
        ("empty or null", "为空或 null")
    } else {
        ("empty", "为空")
    };
    Msg::new(
        format!("required field {tag} ({}) is {what}", field.doc),
        format!("必填字段{}{zh}", super::zh_field(field, json)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn names_the_field_and_what_it_is() {
        let f = DELIVERY_ORDER_CREATE_ORDER_SPEC.field("shopNick").unwrap();
        assert_eq!(
            missing(f, false).en,
            "required field `<shopNick>` (shop name) is missing"
        );
        assert!(empty(f, false).en.ends_with("is empty"));
        assert_eq!(
            missing(f, true).en,
            "required field `shopNick` (shop name) is missing"
        );
    }
}
