//! How generated models are read from JSON: the format's side of [`crate::model::Node`].

use crate::error::DecodeError;
use crate::json::decode::{JsonDecoder, Member};
use crate::model::node::{Item, Node};
use crate::wire::text::Text;

/// A struct decoded from a JSON object (wdt).
pub(crate) trait JsonNode<'a>: Node<'a> {
    /// Decodes the value of one object member into the matching field; the decoder stands at
    /// the value.
    fn decode_member(
        &mut self,
        d: &mut JsonDecoder<'a>,
        member: Member<'a>,
    ) -> Result<(), DecodeError>;
}

/// A list item decoded from a JSON array element.
pub(crate) trait JsonItem<'a>: Item<'a> {
    /// Decodes the value the decoder stands at and appends it to `items`.
    fn decode_json_into(d: &mut JsonDecoder<'a>, items: &mut Vec<Self>) -> Result<(), DecodeError>;
}

impl<'a, T: JsonNode<'a>> JsonItem<'a> for T {
    fn decode_json_into(d: &mut JsonDecoder<'a>, items: &mut Vec<Self>) -> Result<(), DecodeError> {
        d.keep_one(d.position())?;
        items.push(Self::default());
        let last = items.len() - 1;
        d.read_node_into(&mut items[last])
    }
}

impl<'a> JsonItem<'a> for Text<'a> {
    fn decode_json_into(d: &mut JsonDecoder<'a>, items: &mut Vec<Self>) -> Result<(), DecodeError> {
        d.keep_one(d.position())?;
        items.push(d.read_text()?);
        Ok(())
    }
}
