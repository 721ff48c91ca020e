//! A 金蝶 body decoded into its generated model, the operation chosen from the caller or from
//! the document.

use crate::error::{utf8_input, Failure};
use crate::model::kingdee::{KingdeeBody, KingdeeBodyKind, KingdeeMethodSpec};
use crate::model::values::UnknownKind;
use crate::options::Limits;

/// A decoded 金蝶 document.
#[derive(Debug)]
pub struct KingdeeDocument<'a> {
    /// The input text.
    pub input: &'a str,
    /// The decoded body.
    pub body: KingdeeBody<'a>,
    /// Whether the operation was told from the document rather than given.
    pub detected: bool,
}

/// Decodes `bytes` as a 金蝶 body: the request of `method` (or its reply, when the document has
/// `Result` and no `formid`/`data`) when given; otherwise a reply, or a request whose operation
/// follows `data.Model`: `BatchSave` for an array (or when it is missing, or when `data` has
/// `BatchCount`), `Save` for an object.
pub fn decode_kingdee<'a>(
    bytes: &'a [u8],
    method: Option<&'static KingdeeMethodSpec>,
    limits: &Limits,
) -> Result<KingdeeDocument<'a>, Failure> {
    let input = utf8_input(bytes).map_err(Failure::Json)?;
    let (array, keys) =
        crate::json::decode::top_level_keys(input, limits).map_err(Failure::Json)?;
    if array {
        return Err(Failure::Shape {
            message: "a 金蝶 WebAPI body is an object (`{\"formid\":…,\"data\":…}` or a reply `{\"Result\":…}`), found an array".into(),
            message_zh: "金蝶 WebAPI 的报文体应是一个对象（请求 `{\"formid\":…,\"data\":…}` 或回执 `{\"Result\":…}`），这里却是数组".into(),
        });
    }
    let reply = super::detect::is_reply(&keys);
    let given = method.map(|m| if reply { m.response } else { m.request });
    let kind = given.unwrap_or(if reply {
        KingdeeBodyKind::BatchSaveReply
    } else {
        KingdeeBodyKind::BatchSaveRequest
    });
    let mut body = kind.decode(input, limits).map_err(Failure::Json)?;
    if given.is_none() && model_is_object(&body) {
        body = KingdeeBodyKind::SaveRequest
            .decode(input, limits)
            .map_err(Failure::Json)?;
    }
    Ok(KingdeeDocument {
        input,
        body,
        detected: given.is_none(),
    })
}

/// Whether a body decoded as a BatchSave request holds one bill object where the array belongs,
/// and nothing else marks it as a BatchSave (`BatchCount` is BatchSave's own key).
fn model_is_object(body: &KingdeeBody<'_>) -> bool {
    let KingdeeBody::BatchSaveRequest(r) = body else {
        return false;
    };
    let Some(data) = r.data.as_ref().filter(|d| d.batch_count.is_none()) else {
        return false;
    };
    let Some(list) = data.model.as_ref() else {
        return false;
    };
    list.unknown
        .iter()
        .any(|u| u.kind == UnknownKind::WrongType && u.raw.starts_with('{'))
}
