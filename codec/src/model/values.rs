//! Containers of the model: lists, free maps and unknown elements.

use crate::model::node::IntoOwned;
use crate::wire::span::Span;
use crate::wire::text::Text;
use std::borrow::Cow;

/// A wrapper element with repeated items, e.g. `<orderLines><orderLine>…</orderLine></orderLines>`.
#[derive(Debug, Clone)]
pub struct List<'a, T> {
    /// The items, in document order.
    pub items: Vec<T>,
    /// Where the wrapper's start tag begins.
    pub span: Span,
    /// Children of the wrapper that are not the item element.
    pub unknown: Vec<Unknown<'a>>,
}

impl<T> Default for List<'_, T> {
    fn default() -> Self {
        List {
            items: Vec::new(),
            span: Span::default(),
            unknown: Vec::new(),
        }
    }
}

impl<T: PartialEq> PartialEq for List<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items && self.unknown == other.unknown
    }
}

impl<T: IntoOwned> IntoOwned for List<'_, T> {
    type Owned = List<'static, T::Owned>;
    fn into_owned(self) -> Self::Owned {
        List {
            items: self.items.into_owned(),
            span: self.span,
            unknown: self.unknown.into_owned(),
        }
    }
}

/// Free key/value children such as `<extendProps><k>v</k></extendProps>`, kept in order.
#[derive(Debug, Clone, Default)]
pub struct Map<'a> {
    /// Entries in document order (keys may repeat).
    pub entries: Vec<MapEntry<'a>>,
    /// Where the map element's start tag begins.
    pub span: Span,
    /// Stray text directly inside the map element (XML), kept verbatim.
    pub unknown: Vec<Unknown<'a>>,
}

impl PartialEq for Map<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries && self.unknown == other.unknown
    }
}

impl Map<'_> {
    /// The first value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&Text<'_>> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }
}

impl IntoOwned for Map<'_> {
    type Owned = Map<'static>;
    fn into_owned(self) -> Map<'static> {
        Map {
            entries: self.entries.into_owned(),
            span: self.span,
            unknown: self.unknown.into_owned(),
        }
    }
}

/// One entry of a [`Map`].
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry<'a> {
    /// The child element's name.
    pub key: Cow<'a, str>,
    /// Its content (which may itself be XML when the entry has children).
    pub value: Text<'a>,
}

impl IntoOwned for MapEntry<'_> {
    type Owned = MapEntry<'static>;
    fn into_owned(self) -> MapEntry<'static> {
        MapEntry {
            key: Cow::Owned(self.key.into_owned()),
            value: self.value.into_owned(),
        }
    }
}

/// Why a child was not decoded into a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKind {
    /// An element the contract does not define.
    Element,
    /// A second occurrence of a field that may appear once.
    Duplicate,
    /// Non-whitespace text where only child elements belong.
    Text,
    /// A JSON value of the wrong type where a struct or a list belongs (e.g. a string where an
    /// object is expected); `raw` is the whole value and the struct or list stays empty.
    WrongType,
}

/// A child kept verbatim because it is not part of the contract.
#[derive(Debug, Clone)]
pub struct Unknown<'a> {
    /// Element name (empty for stray text).
    pub name: Cow<'a, str>,
    /// The whole element (or text) exactly as written.
    pub raw: Cow<'a, str>,
    /// Where it is.
    pub span: Span,
    /// Why it was kept aside.
    pub kind: UnknownKind,
}

impl PartialEq for Unknown<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.raw == other.raw && self.kind == other.kind
    }
}

impl IntoOwned for Unknown<'_> {
    type Owned = Unknown<'static>;
    fn into_owned(self) -> Unknown<'static> {
        Unknown {
            name: Cow::Owned(self.name.into_owned()),
            raw: Cow::Owned(self.raw.into_owned()),
            span: self.span,
            kind: self.kind,
        }
    }
}
