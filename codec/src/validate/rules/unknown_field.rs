//! Rule `unknown-field`: an element the contract does not define. Suggests the closest known
//! field name, which catches most typos and case mistakes.

use crate::model::StructSpec;
use crate::wire::suggest::closest;

/// The message for unknown element `name` inside an element described by `parent`.
pub(crate) fn message(name: &str, parent: &StructSpec, json: bool) -> crate::report::Msg {
    let near = closest(name, parent.fields.iter().map(|f| f.name), 2);
    let suggestion = near
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    let suggestion_zh = near
        .map(|n| format!("；是不是 `{n}`？"))
        .unwrap_or_default();
    let tag = super::Tag { name, json };
    crate::report::Msg::new(
        format!(
            "{tag} is not a field of {} ({}); it is kept, but a strict receiver may reject it{suggestion}",
            parent.name, parent.doc
        ),
        format!(
            "{tag} 不是 {} 的字段；会原样保留，但严格的接收方可能拒收{suggestion_zh}",
            parent.name
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn suggests_close_names() {
        let m = message("shopNik", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false).en;
        assert!(m.contains("did you mean `shopNick`"), "{m}");
        let m = message("ordertype", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false).en;
        assert!(m.contains("did you mean `orderType`"), "{m}");
        let m = message("somethingElse", &DELIVERY_ORDER_CREATE_ORDER_SPEC, true).en;
        assert!(!m.contains("did you mean"), "{m}");
    }
}
