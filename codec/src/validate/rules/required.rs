//! Rule `required`: the field must be present and hold something other than whitespace.

use crate::model::FieldSpec;

/// The message for a required field that is absent.
pub fn missing(field: &FieldSpec) -> String {
    format!(
        "required field `<{}>` ({}) is missing",
        field.name, field.doc
    )
}

/// The message for a required field that is present but empty.
pub fn empty(field: &FieldSpec) -> String {
    format!("required field `<{}>` ({}) is empty", field.name, field.doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn names_the_field_and_what_it_is() {
        let f = DELIVERY_ORDER_CREATE_ORDER_SPEC.field("shopNick").unwrap();
        assert_eq!(
            missing(f),
            "required field `<shopNick>` (shop name) is missing"
        );
        assert!(empty(f).ends_with("is empty"));
    }
}
