//! Rule `duplicate-element`: a field that may appear once appears again. Receivers disagree on
//! which copy wins (first, last, or a parse error), so this is an error; the first copy is
//! what qmwire decodes.

/// The message for a second `<name>` inside a struct called `parent`.
pub(crate) fn message(name: &str, parent: &str, json: bool) -> crate::report::Msg {
    let tag = super::Tag { name, json };
    crate::report::Msg::new(
        format!(
            "{tag} appears more than once in {parent}; expected it once (the first copy is used)"
        ),
        format!("{tag} 在 {parent} 中出现了不止一次，只应出现一次（按第一个处理）"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn says_which_copy_counts() {
        assert!(
            super::message("orderType", "DeliveryOrderCreateOrder", false)
                .en
                .contains("first copy")
        );
    }
}
