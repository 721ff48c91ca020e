//! A 金蝶 Save/BatchSave reply read back onto the wdt orders its bills came from: bill `i` of
//! the converted request is `DIndex` `i` of the reply ([`super::build::Converted::bills`]).

use super::build::{Bill, ConvertError};
use crate::kingdee::reply::{field_path, outcome};
use crate::model::kingdee::KingdeeBody;
use crate::options::Limits;

/// What the reply says about one bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillOutcome {
    /// The bill's index in `Model` (its `DIndex`).
    pub index: usize,
    /// The wdt stock-in order number it came from.
    pub order_no: String,
    /// Its `FBillNo` in the request.
    pub bill_no: Option<String>,
    /// Saved, failed, or not mentioned by the reply.
    pub status: Status,
    /// The saved bill's number (`SuccessEntitys[].Number`).
    pub number: Option<String>,
    /// The errors the reply ties to this bill.
    pub errors: Vec<BillError>,
}

/// Whether a bill was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Listed in `SuccessEntitys`.
    Saved,
    /// Named by an error, or the reply failed as a whole and did not list it as saved.
    Failed,
    /// The reply says nothing about it.
    Unknown,
}

impl Status {
    /// `saved`, `failed` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Saved => "saved",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
        }
    }
}

/// One error of a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillError {
    /// `FieldName`, when given.
    pub field: Option<String>,
    /// The field's path in the request, when the bill model knows the field.
    pub path: Option<String>,
    /// The server's text.
    pub message: String,
}

/// The reply read onto `bills`; errors whose `DIndex` is missing or names no bill come back
/// as the second value.
pub fn map_reply(
    reply: &[u8],
    bills: &[Bill],
    limits: &Limits,
) -> Result<(Vec<BillOutcome>, Vec<BillError>), ConvertError> {
    let doc =
        crate::kingdee::decode_kingdee(reply, crate::model::kingdee::method("BatchSave"), limits)
            .map_err(|f| {
            ConvertError::Input(
                format!("cannot read the 金蝶 reply: {}", f.masked()),
                format!("无法读取金蝶的应答：{}", f.masked_zh()),
            )
        })?;
    let result =
        match &doc.body {
            KingdeeBody::BatchSaveReply(r) => r.result.as_ref(),
            KingdeeBody::SaveReply(r) => r.result.as_ref(),
            _ => return Err(ConvertError::Input(
                "expected a 金蝶 reply (`{\"Result\":{\"ResponseStatus\":…}}`), found a request"
                    .into(),
                "应为金蝶的应答（`{\"Result\":{\"ResponseStatus\":…}}`），实际是请求".into(),
            )),
        };
    let Some(result) = result else {
        return Err(ConvertError::Input(
            "the 金蝶 reply has no `Result`".into(),
            "金蝶的应答里没有 `Result`".into(),
        ));
    };
    let o = outcome(result);
    let mut out: Vec<BillOutcome> = bills
        .iter()
        .enumerate()
        .map(|(i, b)| BillOutcome {
            index: i,
            order_no: b.order_no.clone(),
            bill_no: b.bill_no.clone(),
            status: Status::Unknown,
            number: None,
            errors: Vec::new(),
        })
        .collect();
    for s in &o.saved {
        if let Some(b) = s.index.and_then(|i| out.get_mut(i as usize)) {
            b.status = Status::Saved;
            b.number = s.number.clone();
        }
    }
    let mut unplaced = Vec::new();
    for e in &o.errors {
        let error = BillError {
            field: e.field.clone(),
            path: e.field.as_deref().and_then(|f| field_path(f, e.index)),
            message: e.text.clone(),
        };
        match e.index.and_then(|i| out.get_mut(i as usize)) {
            Some(b) => {
                b.status = Status::Failed;
                b.errors.push(error);
            }
            None => unplaced.push(error),
        }
    }
    if o.success == Some(false) {
        for b in out.iter_mut().filter(|b| b.status == Status::Unknown) {
            b.status = Status::Failed;
        }
    }
    Ok((out, unplaced))
}
