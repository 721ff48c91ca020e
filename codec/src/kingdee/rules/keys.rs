//! Keys in the wrong place: rule `kingdee.envelope-key` (a request or `data` key the
//! Save/BatchSave documentation does not list, most often a misspelt flag),
//! `kingdee.sub-head-entity` (the finance block written under an entry, as the iPaaS editor
//! flattens it), `kingdee.request-parameter` (a request-level parameter written into the bill),
//! and `kingdee.model-shape` (one bill where BatchSave takes an array, or the reverse).

use super::Ctx;
use crate::model::kingdee::{BATCH_SAVE_DATA_SPEC, SAVE_DATA_SPEC};
use crate::model::values::Unknown;
use crate::report::Msg;
use crate::rules::{
    ELEMENT_CONTENT, KINGDEE_ENVELOPE_KEY, KINGDEE_MODEL_SHAPE, KINGDEE_REQUEST_PARAMETER,
    KINGDEE_SUB_HEAD_ENTITY, UNKNOWN_FIELD,
};
use crate::wire::span::Span;
use crate::wire::suggest::closest;

/// Request-level parameters that the iPaaS editor shows among the bill's fields: the form id and
/// the operation are the call's own, the flags are keys of `data`.
const CALL_LEVEL: &[&str] = &["FormId", "Operation"];

/// A key outside the contract, in the struct named `within`, at `here`.
pub(super) fn unknown_key(ctx: &mut Ctx, within: &str, here: &str, u: &Unknown<'_>) {
    let path = format!("{here}/{}", u.name);
    match within {
        "SaveRequest" | "BatchSaveRequest" => envelope(
            ctx,
            ("request body", "请求体"),
            &["formid", "data"],
            u,
            path,
        ),
        "SaveData" => envelope(
            ctx,
            ("Save data package", "Save 的 `data` 数据包"),
            &names(&SAVE_DATA_SPEC),
            u,
            path,
        ),
        "BatchSaveData" => envelope(
            ctx,
            ("BatchSave data package", "BatchSave 的 `data` 数据包"),
            &names(&BATCH_SAVE_DATA_SPEC),
            u,
            path,
        ),
        "ReturnStockEntry" if u.name == "SubHeadEntity" => ctx.instead(
            UNKNOWN_FIELD,
            KINGDEE_SUB_HEAD_ENTITY,
            path,
            u.span,
            Msg::new(
                "`SubHeadEntity` (the finance block) belongs to the bill head, directly under `Model`, not under an `FEntity` entry; the iPaaS field tree shows it nested there, the WebAPI does not take it so".into(),
                "财务信息（`SubHeadEntity`）属于单据头，应直接放在 `Model` 下，而不是某条 `FEntity` 明细里；iPaaS 的字段树把它显示在明细下面，WebAPI 却不认这种写法".into(),
            ),
        ),
        "ReturnStockBill" | "ReturnStockFinance" | "ReturnStockEntry" => {
            let data_key = SAVE_DATA_SPEC
                .fields
                .iter()
                .map(|f| (f.name, f.zh))
                .chain(CALL_LEVEL.iter().map(|k| (*k, None)))
                .filter(|(k, _)| *k != "Model")
                .find(|(k, _)| k.eq_ignore_ascii_case(&u.name));
            if let Some((key, label)) = data_key {
                let (where_to, where_to_zh) = if CALL_LEVEL.contains(&key) {
                    (
                        "a parameter of the call itself (the `formid` of the request body, or the operation called)".to_string(),
                        "调用本身的参数（即请求体里的 `formid`，或所调用的操作）".to_string(),
                    )
                } else {
                    let label = label.map(|l| format!("“{l}”")).unwrap_or_default();
                    (
                        format!("a key of `data`, next to `Model` (`/data/{key}`)"),
                        format!("数据包 `data` 里的参数{label}，应与 `Model` 并列（`/data/{key}`）"),
                    )
                };
                ctx.instead(
                    UNKNOWN_FIELD,
                    KINGDEE_REQUEST_PARAMETER,
                    path,
                    u.span,
                    Msg::new(
                        format!("`{}` is not a field of the bill: it is {where_to}; inside the bill the server does not read it", u.name),
                        format!("`{}` 不是单据的字段，而是{where_to_zh}；写在单据里，服务器不会读取", u.name),
                    ),
                );
            }
        }
        _ => {}
    }
}

fn names(spec: &'static crate::model::StructSpec) -> Vec<&'static str> {
    spec.fields.iter().map(|f| f.name).collect()
}

/// Rule `kingdee.envelope-key` for `u`, a key of the `what` (in English and Chinese) that is
/// not one of `known`.
fn envelope(
    ctx: &mut Ctx,
    (what, what_zh): (&str, &str),
    known: &[&'static str],
    u: &Unknown<'_>,
    path: String,
) {
    let guess = closest(&u.name, known.iter().copied(), 3);
    let message = match guess {
        Some(g) => Msg::new(
            format!(
                "`{}` is not a key of the {what}; did you mean `{g}`? A key the server does not know is most likely ignored, so the setting would silently not apply",
                u.name
            ),
            format!(
                "{what_zh}里没有 `{}` 这个键，是不是 `{g}`？服务器不认识的键多半会被直接忽略，这项设置就悄无声息地不生效",
                u.name
            ),
        ),
        None => Msg::new(
            format!(
                "`{}` is not a documented key of the {what} (known: {}); a key the server does not know is most likely ignored",
                u.name,
                known.join(", ")
            ),
            format!(
                "{what_zh}的文档里没有 `{}` 这个键（已知的键：{}）；服务器不认识的键多半会被直接忽略",
                u.name,
                known.join("、")
            ),
        ),
    };
    ctx.instead(UNKNOWN_FIELD, KINGDEE_ENVELOPE_KEY, path, u.span, message);
}

/// Rule `kingdee.model-shape`: `Model` is one object where BatchSave takes an array
/// (`batch`), or an array where Save takes one object.
pub(super) fn model_shape(ctx: &mut Ctx, batch: bool, span: Span, path: String) {
    let (message, message_zh) = if batch {
        (
            "BatchSave takes `Model` as an array of bills, found one object; wrap it in `[…]` or call Save",
            "BatchSave 的 `Model` 应是单据数组，这里却是单个对象；请用 `[…]` 包起来，或改用 Save",
        )
    } else {
        (
            "Save takes `Model` as one bill (an object), found an array; call BatchSave for several bills",
            "Save 的 `Model` 应是一张单据（对象），这里却是数组；多张单据请用 BatchSave",
        )
    };
    ctx.pruned.push(path.clone());
    ctx.instead(
        ELEMENT_CONTENT,
        KINGDEE_MODEL_SHAPE,
        path,
        span,
        Msg::new(message.into(), message_zh.into()),
    );
}
