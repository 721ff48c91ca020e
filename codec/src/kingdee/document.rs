//! A 金蝶 body decoded into its generated model, the operation chosen from the caller or from
//! the document.

use crate::error::{utf8_input, Failure};
use crate::model::kingdee::{KingdeeBody, KingdeeBodyKind, KingdeeMethodSpec};
use crate::model::values::UnknownKind;
use crate::model::{FieldSpec, Item, List, Map, Node, Unknown, Visitor};
use crate::options::Limits;
use crate::wire::text::Text;

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
    // The usual case: a request object. Decoding it checks the whole syntax, so the pass that
    // only collects the top-level keys is not needed when the decoded request shows a `formid`
    // or `data` key (then it is no reply, whatever else it holds). Otherwise (a reply, an
    // array, a document that does not decode) the key pass decides, as it always did.
    let guess = method.map_or(KingdeeBodyKind::BatchSaveRequest, |m| m.request);
    let object = input
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with('{');
    if object {
        if let Ok(body) = guess.decode(input, limits) {
            if holds_request_key(&body) {
                return finish(input, body, method.is_none(), limits);
            }
        }
    }
    decode_by_keys(input, method, limits)
}

/// [`decode_kingdee`] the long way: the top-level keys first, then the body they call for.
fn decode_by_keys<'a>(
    input: &'a str,
    method: Option<&'static KingdeeMethodSpec>,
    limits: &Limits,
) -> Result<KingdeeDocument<'a>, Failure> {
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
    let body = kind.decode(input, limits).map_err(Failure::Json)?;
    finish(input, body, given.is_none(), limits)
}

/// The document of a decoded body; without a given operation, a BatchSave request holding one
/// bill object is decoded again as the Save request it is.
fn finish<'a>(
    input: &'a str,
    mut body: KingdeeBody<'a>,
    detected: bool,
    limits: &Limits,
) -> Result<KingdeeDocument<'a>, Failure> {
    if detected && model_is_object(&body) {
        body = KingdeeBodyKind::SaveRequest
            .decode(input, limits)
            .map_err(Failure::Json)?;
    }
    Ok(KingdeeDocument {
        input,
        body,
        detected,
    })
}

/// Whether a body decoded as a request has a top-level `formid` or `data` key (a field that is
/// present, or one kept aside as repeated or misplaced): what makes a document no reply.
fn holds_request_key(body: &KingdeeBody<'_>) -> bool {
    struct Keys(bool);
    impl<'a> Visitor<'a> for Keys {
        fn root<T: Node<'a>>(&mut self, node: &T) {
            node.visit(self);
            self.0 |= node
                .unknown()
                .iter()
                .any(|u| REQUEST_KEYS.contains(&&*u.name));
        }
        fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
            self.0 |= value.is_some() && REQUEST_KEYS.contains(&field.name);
        }
        fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
            self.0 |= value.is_some() && REQUEST_KEYS.contains(&field.name);
        }
        fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
            self.0 |= value.is_some() && REQUEST_KEYS.contains(&field.name);
        }
        fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
            self.0 |= value.is_some() && REQUEST_KEYS.contains(&field.name);
        }
        fn unknown(&mut self, _: &[Unknown<'a>]) {}
    }
    /// The keys of a request envelope; a document with either is no reply.
    const REQUEST_KEYS: [&str; 2] = ["formid", "data"];
    let mut keys = Keys(false);
    body.visit(&mut keys);
    keys.0
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

#[cfg(test)]
mod tests {
    use super::{decode_by_keys, decode_kingdee};
    use crate::model::kingdee;
    use crate::options::Limits;

    /// Decoding at once gives exactly what the key pass and then the decode gave: the same
    /// body with the same spans, the same detection, or the same failure, for every bundled
    /// 金蝶 document (each also cut short) and for the shapes where the two could part.
    #[test]
    fn decoding_at_once_agrees_with_the_key_pass() {
        let mut inputs: Vec<String> = vec![
            r#"{"Result":{"ResponseStatus":{"IsSuccess":true}}}"#.into(),
            r#"{"Result":{"ResponseStatus":{"IsSuccess":true}},"formid":"SAL_SaleOrder"}"#.into(),
            r#"{"Result":{},"data":null}"#.into(),
            r#"{"formid":"STK_InStock","data":{"Model":{"FBillNo":"A1"}}}"#.into(),
            r#"{"formid":"STK_InStock","data":{"Model":[{"FBillNo":"A1"}]}}"#.into(),
            r#"{"formid":"STK_InStock","formid":"X","Result":1}"#.into(),
            r#"{"data":{"Model":{}},"Result":{}}"#.into(),
            r#"{"Result":{}} trailing"#.into(),
            r#"[{"formid":"STK_InStock"}]"#.into(),
            r#"{"form\u0069d":"STK_InStock","Result":{}}"#.into(),
            "  {\"formid\":1,\"data\":[]}".into(),
            "{}".into(),
            "\"text\"".into(),
            String::new(),
        ];
        for dir in ["BatchSave", "Save"] {
            let path = format!(
                "{}/../tests/fixtures/kingdee/{dir}",
                env!("CARGO_MANIFEST_DIR")
            );
            for entry in std::fs::read_dir(path).expect("fixtures") {
                let text = std::fs::read_to_string(entry.expect("entry").path()).expect("utf-8");
                for cut in [text.len() / 3, text.len() / 2, text.len() - 2] {
                    let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c));
                    inputs.push(text[..cut.unwrap_or(0)].to_string());
                }
                inputs.push(text);
            }
        }
        let methods = [None, kingdee::method("BatchSave"), kingdee::method("Save")];
        assert!(methods.iter().skip(1).all(Option::is_some));
        let limits = Limits::default();
        for input in &inputs {
            for method in methods {
                let at_once = decode_kingdee(input.as_bytes(), method, &limits);
                let by_keys = decode_by_keys(input, method, &limits);
                assert_eq!(
                    format!("{at_once:?}"),
                    format!("{by_keys:?}"),
                    "{input} as {:?}",
                    method.map(|m| m.method)
                );
            }
        }
    }
}
