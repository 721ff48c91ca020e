//! How generated models are read from XML: the format's side of [`crate::model::Node`].

use crate::error::DecodeError;
use crate::model::node::{Item, Node};
use crate::wire::text::Text;
use crate::xml::decode::{Child, XmlDecoder};

/// A struct decoded from an XML element (Qimen).
pub trait XmlNode<'a>: Node<'a> {
    /// Decodes one child element into the matching field.
    fn decode_child(&mut self, d: &mut XmlDecoder<'a>, child: Child<'a>)
        -> Result<(), DecodeError>;
}

/// A list item decoded from an XML element.
pub trait XmlItem<'a>: Item<'a> {
    /// Decodes one item element and appends it to `items`.
    fn decode_into(
        d: &mut XmlDecoder<'a>,
        child: Child<'a>,
        items: &mut Vec<Self>,
    ) -> Result<(), DecodeError>;
}

impl<'a, T: XmlNode<'a>> XmlItem<'a> for T {
    fn decode_into(
        d: &mut XmlDecoder<'a>,
        child: Child<'a>,
        items: &mut Vec<Self>,
    ) -> Result<(), DecodeError> {
        d.keep_one(child.start)?;
        items.push(Self::default());
        let last = items.len() - 1;
        d.read_node_into(child, &mut items[last])
    }
}

impl<'a> XmlItem<'a> for Text<'a> {
    fn decode_into(
        d: &mut XmlDecoder<'a>,
        child: Child<'a>,
        items: &mut Vec<Self>,
    ) -> Result<(), DecodeError> {
        d.keep_one(child.start)?;
        items.push(d.read_text(child)?);
        Ok(())
    }
}
