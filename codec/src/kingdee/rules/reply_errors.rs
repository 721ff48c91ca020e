//! Rule `kingdee.reply-error`: each error of a reply, explained: the bill it is about (through
//! `DIndex`), the field path of that bill (through `FieldName`), the server's text, and the
//! meaning of `MsgCode`; and a failed reply that lists no error.

use super::Ctx;
use crate::kingdee::reply::{bill_field, field_path, outcome};
use crate::model::kingdee::{SaveResult, MSG_CODE_ENUM};
use crate::report::Msg;
use crate::rules::KINGDEE_REPLY_ERROR;

/// Explains the errors of `result`.
pub(super) fn check(result: &SaveResult<'_>, ctx: &mut Ctx) {
    let o = outcome(result);
    let known = o.msg_code.as_ref().filter(|(c, _)| c != "0");
    let code = known
        .map(|(c, doc)| format!(" (MsgCode {c}: {doc})"))
        .unwrap_or_default();
    let code_zh = known
        .and_then(|(c, _)| {
            let v = MSG_CODE_ENUM.values.iter().find(|v| v.code == c)?;
            Some(format!("（MsgCode {c}：{}）", v.zh))
        })
        .unwrap_or_default();
    for e in &o.errors {
        let (bill, bill_zh) = match e.index {
            Some(i) => (
                format!("bill {i} of the request (`/data/Model/{i}`)"),
                format!(
                    "请求中的第 {} 张单据（`/data/Model/{i}`）",
                    u128::from(i) + 1
                ),
            ),
            None => (
                "a bill of the request (no `DIndex`)".to_string(),
                "请求中的某张单据（回执没有给出 `DIndex`）".to_string(),
            ),
        };
        let (field, field_zh) = match &e.field {
            Some(f) => match field_path(f, e.index) {
                Some(p) => {
                    let zh = match bill_field(f).and_then(|spec| spec.zh) {
                        Some(label) => format!("，问题在{label}（`{f}`，位于 `{p}`）"),
                        None => format!("，问题在 `{f}`（位于 `{p}`）"),
                    };
                    (format!(", field `{f}` at `{p}`"), zh)
                }
                None => (
                    format!(
                        ", field `{f}` (not a field of qmwire's bill model: a server-side name)"
                    ),
                    format!("，问题在 `{f}`（qmwire 的单据模型里没有这个字段，是服务器端的名称）"),
                ),
            },
            None => (String::new(), String::new()),
        };
        ctx.report(
            KINGDEE_REPLY_ERROR,
            e.path.clone(),
            e.span,
            Msg::new(
                format!("the server refused {bill}{field}: {}{code}", e.text),
                format!("服务器拒收了{bill_zh}{field_zh}，原因：{}{code_zh}", e.text),
            ),
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
            Msg::new(
                format!("the save failed and the reply lists no error{code}"),
                format!("保存失败，回执却没有列出任何错误{code_zh}"),
            ),
        );
    }
}
