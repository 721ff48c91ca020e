//! The traits generated models implement, and the visitor that generic passes are written as.

use crate::model::spec::{FieldSpec, StructSpec};
use crate::model::values::{List, Map, Unknown};
use crate::wire::span::Span;
use crate::wire::text::Text;

/// A generated struct: knows its field table and walks its fields in wire order. How it is
/// decoded is each format's business: `xml::node::XmlNode` (Qimen) and `json::node::JsonNode`
/// (wdt), which sit next to their decoders.
pub trait Node<'a>: Default + std::fmt::Debug {
    /// The field table this struct was generated from.
    const SPEC: &'static StructSpec;
    /// Where the element's start tag begins.
    fn span(&self) -> Span;
    /// Records where the element's start tag begins.
    fn set_span(&mut self, span: Span);
    /// Children that are not part of the contract.
    fn unknown(&self) -> &[Unknown<'a>];
    /// Children that are not part of the contract, for the decoder to add to.
    fn unknown_mut(&mut self) -> &mut Vec<Unknown<'a>>;
    /// Calls `v` once per field, in wire order, then once for the unknown children.
    fn visit<V: Visitor<'a>>(&self, v: &mut V);
    /// Calls `v` for the field at `index` in [`Node::SPEC`]'s table only (nothing for an index
    /// past the table): a pass that cares about a few fields need not walk them all.
    fn visit_field<V: Visitor<'a>>(&self, index: usize, v: &mut V);
}

/// Something a list can hold: a generated struct or a scalar [`Text`].
pub trait Item<'a>: Sized {
    /// Hands the item to the matching visitor method.
    fn accept<V: Visitor<'a>>(&self, field: &'static FieldSpec, v: &mut V);
    /// Where the item is in the input.
    fn item_span(&self) -> Span;
}

/// A generated struct is a list item: it hands itself to [`Visitor::node`].
impl<'a, T: Node<'a>> Item<'a> for T {
    fn accept<V: Visitor<'a>>(&self, field: &'static FieldSpec, v: &mut V) {
        v.node(field, Some(self));
    }
    fn item_span(&self) -> Span {
        self.span()
    }
}

impl<'a> Item<'a> for Text<'a> {
    fn accept<V: Visitor<'a>>(&self, field: &'static FieldSpec, v: &mut V) {
        v.text(field, Some(self));
    }
    fn item_span(&self) -> Span {
        self.span()
    }
}

/// A pass over a decoded model. Generated `visit` methods call these in wire order; each pass
/// (validation, encoding, masking, dumping) is one implementation.
pub trait Visitor<'a> {
    /// The document's root element.
    fn root<T: Node<'a>>(&mut self, node: &T)
    where
        Self: Sized,
    {
        node.visit(self);
    }
    /// A scalar field; `None` when the element is absent.
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>);
    /// A nested struct field; `None` when absent.
    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>);
    /// A list field; `None` when the wrapper element is absent.
    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>);
    /// A free key/value map; `None` when absent.
    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>);
    /// Children of the current element that are not in the contract.
    fn unknown(&mut self, unknown: &[Unknown<'a>]);
}

/// Converts a borrowed model into one that owns its text (`'static`).
pub trait IntoOwned {
    /// The owned type.
    type Owned: 'static;
    /// Copies every borrowed string.
    fn into_owned(self) -> Self::Owned;
}

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.map(IntoOwned::into_owned)
    }
}

impl<T: IntoOwned> IntoOwned for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(IntoOwned::into_owned).collect()
    }
}

impl<T: IntoOwned> IntoOwned for Box<T> {
    type Owned = Box<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        Box::new((*self).into_owned())
    }
}

impl IntoOwned for Text<'_> {
    type Owned = Text<'static>;
    fn into_owned(self) -> Text<'static> {
        Text::into_owned(self)
    }
}
