//! The message models: static field tables, the traits generated code implements, containers,
//! and the generated Qimen models themselves.

pub mod node;
pub mod qimen;
pub mod spec;
pub mod values;
pub mod wdt;

pub use node::{IntoOwned, Item, JsonItem, JsonNode, Node, Visitor, XmlItem, XmlNode};
pub use spec::{
    Direction, EnumSpec, EnumValue, FieldKind, FieldSpec, MethodSpec, StructSpec, WdtMethodSpec,
};
pub use values::{List, Map, MapEntry, Unknown, UnknownKind};

/// Everything generated code refers to.
pub(crate) mod gen_prelude {
    pub use super::node::{IntoOwned, Item, JsonItem, JsonNode, Node, Visitor, XmlItem, XmlNode};
    pub use super::spec::{
        Direction, EnumSpec, EnumValue, FieldKind, FieldSpec, MethodSpec, StructSpec, WdtMethodSpec,
    };
    pub use super::values::{List, Map, Unknown};
    pub use crate::error::DecodeError;
    pub use crate::json::decode::{decode_json_bare, decode_json_root, JsonDecoder, Member};
    pub use crate::options::Limits;
    pub use crate::privacy::Privacy;
    pub use crate::wire::span::Span;
    pub use crate::wire::text::Text;
    pub use crate::xml::decode::{decode_root_into, Child, XmlDecoder};
}
