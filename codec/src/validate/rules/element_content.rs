//! Rule `element-content`: a scalar field must hold text, not child elements.

/// The message for scalar field `<name>` found holding elements.
pub fn message(name: &str) -> String {
    format!("expected text in `<{name}>`, found child elements")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_element() {
        assert_eq!(
            super::message("planQty"),
            "expected text in `<planQty>`, found child elements"
        );
    }
}
