//! Rule `unknown-field`: an element the contract does not define. Suggests the closest known
//! field name, which catches most typos and case mistakes.

use crate::model::StructSpec;
use crate::wire::suggest::closest;

/// The message for unknown element `name` inside an element described by `parent`.
pub(crate) fn message(name: &str, parent: &StructSpec, json: bool) -> String {
    let suggestion = closest(name, parent.fields.iter().map(|f| f.name), 2)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    format!(
        "{} is not a field of {} ({}); it is kept, but a strict receiver may reject it{suggestion}",
        super::Tag { name, json },
        parent.name,
        parent.doc
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn suggests_close_names() {
        let m = message("shopNik", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false);
        assert!(m.contains("did you mean `shopNick`"), "{m}");
        let m = message("ordertype", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false);
        assert!(m.contains("did you mean `orderType`"), "{m}");
        let m = message("somethingElse", &DELIVERY_ORDER_CREATE_ORDER_SPEC, true);
        assert!(!m.contains("did you mean"), "{m}");
    }
}
