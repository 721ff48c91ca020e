//! Rule `required`: the field must be present and hold something other than whitespace.

use crate::model::FieldSpec;

/// The message for a required field that is absent.
pub(crate) fn missing(field: &FieldSpec, json: bool) -> String {
    let tag = super::Tag {
        name: field.name,
        json,
    };
    format!("required field {tag} ({}) is missing", field.doc)
}

/// The message for a required field that is present but empty.
pub(crate) fn empty(field: &FieldSpec, json: bool) -> String {
    let tag = super::Tag {
        name: field.name,
        json,
    };
    let what = if json { "empty or null" } else { "empty" };
    format!("required field {tag} ({}) is {what}", field.doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn names_the_field_and_what_it_is() {
        let f = DELIVERY_ORDER_CREATE_ORDER_SPEC.field("shopNick").unwrap();
        assert_eq!(
            missing(f, false),
            "required field `<shopNick>` (shop name) is missing"
        );
        assert!(empty(f, false).ends_with("is empty"));
        assert_eq!(
            missing(f, true),
            "required field `shopNick` (shop name) is missing"
        );
    }
}
