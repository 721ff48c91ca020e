//! Reading a Save/BatchSave reply: whether it succeeded, which bills were saved, and each error
//! tied to its bill (through `DIndex`, the bill's index in the request's `Model` array) and to a
//! field path of the bill (through `FieldName`).

use crate::model::kingdee::{
    SaveResult, MSG_CODE_ENUM, RETURN_STOCK_BILL_SPEC, RETURN_STOCK_ENTRY_SPEC,
    RETURN_STOCK_FINANCE_SPEC,
};
use crate::model::FieldKind;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// What a reply says, read from its `Result`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `IsSuccess` (a JSON boolean or the string `"true"`/`"false"`); `None` when absent or
    /// neither.
    pub success: Option<bool>,
    /// `MsgCode` and what it means, when the reply has a code the table knows.
    pub msg_code: Option<(String, &'static str)>,
    /// Each entry of `Errors`, in order.
    pub errors: Vec<Message>,
    /// Each entry of `SuccessEntitys`, in order.
    pub saved: Vec<Saved>,
}

/// One entry of `Errors`.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Its place in the reply, e.g. `/Result/ResponseStatus/Errors/0`.
    pub path: String,
    /// Where it is in the reply.
    pub span: Span,
    /// `DIndex`: the bill's index in the request's `Model` array.
    pub index: Option<u64>,
    /// `FieldName`, when not empty.
    pub field: Option<String>,
    /// `Message`: the server's text.
    pub text: String,
}

/// One entry of `SuccessEntitys`.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// `DIndex`: the bill's index in the request's `Model` array.
    pub index: Option<u64>,
    /// `Number`: the saved bill's number.
    pub number: Option<String>,
    /// `Id`: its internal id.
    pub id: Option<String>,
}

/// The value of a present, non-blank field.
fn value(t: &Option<Text<'_>>) -> Option<String> {
    t.as_ref()
        .filter(|t| !t.is_blank())
        .map(|t| t.value().trim().to_string())
}

/// A non-negative whole `DIndex` (`0`, `"0"`).
fn index(t: &Option<Text<'_>>) -> Option<u64> {
    value(t)?.parse().ok()
}

/// Reads the outcome of a reply's `Result`.
pub fn outcome(result: &SaveResult<'_>) -> Outcome {
    let status = result.response_status.as_ref();
    let success = status
        .and_then(|s| value(&s.is_success))
        .and_then(|v| match v.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        });
    let msg_code = status.and_then(|s| value(&s.msg_code)).and_then(|code| {
        let whole = code.strip_suffix(".0").unwrap_or(&code).to_string();
        MSG_CODE_ENUM
            .values
            .iter()
            .find(|v| v.code == whole)
            .map(|v| (whole.clone(), v.doc))
    });
    let errors = status
        .and_then(|s| s.errors.as_ref())
        .map(|list| {
            list.items
                .iter()
                .enumerate()
                .map(|(i, e)| Message {
                    path: format!("/Result/ResponseStatus/Errors/{i}"),
                    span: e.span,
                    index: index(&e.d_index),
                    field: value(&e.field_name),
                    text: value(&e.message).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let saved = status
        .and_then(|s| s.success_entitys.as_ref())
        .map(|list| {
            list.items
                .iter()
                .map(|e| Saved {
                    index: index(&e.d_index),
                    number: value(&e.number),
                    id: value(&e.id),
                })
                .collect()
        })
        .unwrap_or_default();
    Outcome {
        success,
        msg_code,
        errors,
        saved,
    }
}

/// Where field `name` (a reply's `FieldName`, matched ignoring case) sits in the request's bill
/// number `index` (`None`: a Save request, whose `Model` is one object): a head field, a field of
/// `SubHeadEntity`, or an entry field (`FEntity/*/…`, any entry). `None` when the bill model
/// qmwire knows has no such field (the server also names fields of its own, such as `FQTY`).
pub fn field_path(name: &str, index: Option<u64>) -> Option<String> {
    let bill = match index {
        Some(i) => format!("/data/Model/{i}"),
        None => "/data/Model".to_string(),
    };
    locate(name).map(|(within, f)| format!("{bill}{within}/{}", f.name))
}

/// The bill field `name` (matched ignoring case) names, as [`field_path`] finds it.
pub(crate) fn bill_field(name: &str) -> Option<&'static crate::model::FieldSpec> {
    locate(name).map(|(_, f)| f)
}

/// Field `name` of the bill model (ignoring case) and the path from the bill to the block that
/// holds it: the head (``), the finance block (`/SubHeadEntity`) or an entry (`/FEntity/*`).
fn locate(name: &str) -> Option<(&'static str, &'static crate::model::FieldSpec)> {
    let find = |spec: &'static crate::model::StructSpec| {
        spec.fields
            .iter()
            .filter(|f| !matches!(f.kind, FieldKind::Struct(_) | FieldKind::List(_)) || is_ref(f))
            .find(|f| f.name.eq_ignore_ascii_case(name))
    };
    [
        ("", &RETURN_STOCK_BILL_SPEC),
        ("/SubHeadEntity", &RETURN_STOCK_FINANCE_SPEC),
        ("/FEntity/*", &RETURN_STOCK_ENTRY_SPEC),
    ]
    .into_iter()
    .find_map(|(within, spec)| find(spec).map(|f| (within, f)))
}

/// Whether a field holds a base-data reference (an object looked up by its number).
pub(crate) fn is_ref(field: &crate::model::FieldSpec) -> bool {
    matches!(field.kind, FieldKind::Struct(s) if s.field("FNumber").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_map_to_bill_paths_ignoring_case() {
        assert_eq!(
            field_path("FRealQty", Some(2)).as_deref(),
            Some("/data/Model/2/FEntity/*/FRealQty")
        );
        assert_eq!(
            field_path("fstockorgid", Some(0)).as_deref(),
            Some("/data/Model/0/FStockOrgId")
        );
        assert_eq!(
            field_path("FSettleCurrId", None).as_deref(),
            Some("/data/Model/SubHeadEntity/FSettleCurrId")
        );
        // Containers are not fields a message is about; the server's own names are unknown.
        assert_eq!(field_path("FEntity", Some(0)), None);
        assert_eq!(field_path("FQTY", Some(0)), None);
    }
}
