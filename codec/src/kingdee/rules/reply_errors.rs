//! Rule `kingdee.reply-error`: each error of a reply, explained: the bill it is about (through
//! `DIndex`), the field path of that bill (through `FieldName`), the server's text, and the
//! meaning of `MsgCode`; and a failed reply that lists no error.

use super::Ctx;
use crate::kingdee::reply::{field_path, outcome};
use crate::model::kingdee::SaveResult;
use crate::rules::KINGDEE_REPLY_ERROR;

/// Explains the errors of `result`.
pub(super) fn check(result: &SaveResult<'_>, ctx: &mut Ctx) {
    let o = outcome(result);
    let code = o
        .msg_code
        .as_ref()
        .filter(|(c, _)| c != "0")
        .map(|(c, doc)| format!(" (MsgCode {c}: {doc})"))
        .unwrap_or_default();
    for e in &o.errors {
        let bill = match e.index {
            Some(i) => format!("bill {i} of the request (`/data/Model/{i}`)"),
            None => "a bill of the request (no `DIndex`)".to_string(),
        };
        let field = match &e.field {
            Some(f) => match field_path(f, e.index) {
                Some(p) => format!(", field `{f}` at `{p}`"),
                None => format!(
                    ", field `{f}` (not a field of qmwire's bill model: a server-side name)"
                ),
            },
            None => String::new(),
        };
        ctx.report(
            KINGDEE_REPLY_ERROR,
            e.path.clone(),
            e.span,
            format!("the server refused {bill}{field}: {}{code}", e.text),
        );
    }
    if o.success == Some(false) && o.errors.is_empty() {
        let span = result
            .response_status
            .as_ref()
            .and_then(|s| s.is_success.as_ref())
            .map_or(result.span, |t| t.span());
        ctx.report(
            KINGDEE_REPLY_ERROR,
            "/Result/ResponseStatus/IsSuccess".into(),
            span,
            format!("the save failed and the reply lists no error{code}"),
        );
    }
}
