//! Rule `element-content`: a value must have the right shape: text, not child elements, in a
//! scalar XML field; in JSON a scalar, an object or an array where the contract says so.

/// The message for scalar field `<name>` found holding elements.
pub(crate) fn message(name: &str) -> String {
    format!("expected text in `<{name}>`, found child elements")
}

/// What kind of JSON value `raw` (a whole value as written) is, for messages.
pub(crate) fn json_kind(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The message for a JSON value of the wrong kind at field `name`.
pub(crate) fn json_message(name: &str, expected: &str, raw: &str) -> String {
    if name.is_empty() {
        format!("expected {expected}, found {}", json_kind(raw))
    } else {
        format!("expected {expected} in `{name}`, found {}", json_kind(raw))
    }
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
