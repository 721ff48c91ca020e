//! Rule `element-content`: a value must have the right shape: text, not child elements, in a
//! scalar XML field; in JSON a scalar, an object or an array where the contract says so.

use crate::report::Msg;

/// The message for scalar field `<name>` found holding elements.
pub(crate) fn message(name: &str) -> Msg {
    Msg::new(
        format!("expected text in `<{name}>`, found child elements"),
        format!("`<{name}>` 里应为文本，实际是子元素"),
    )
}

/// [`json_kind`]'s answer in Chinese.
fn json_kind_zh(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "对象",
        Some(b'[') => "数组",
        Some(b'"') => "字符串",
        Some(b't' | b'f') => "布尔值",
        Some(b'n') => "null",
        _ => "数字",
    }
}

/// What the validator's `expected` wording (`an array`, `an object (…)`, `a string or a number`)
/// says, in Chinese.
fn expected_zh(expected: &str) -> &'static str {
    if expected.starts_with("an array") {
        "数组"
    } else if expected.starts_with("an object") {
        "对象"
    } else {
        "字符串或数字"
    }
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
pub(crate) fn json_message(name: &str, expected: &str, raw: &str) -> Msg {
    let (want, found) = (expected_zh(expected), json_kind_zh(raw));
    if name.is_empty() {
        Msg::new(
            format!("expected {expected}, found {}", json_kind(raw)),
            format!("应为{want}，实际为{found}"),
        )
    } else {
        Msg::new(
            format!("expected {expected} in `{name}`, found {}", json_kind(raw)),
            format!("`{name}` 应为{want}，实际为{found}"),
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_element() {
        assert_eq!(
            super::message("planQty").en,
            "expected text in `<planQty>`, found child elements"
        );
    }
}
