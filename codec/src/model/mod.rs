//! The message models: static field tables, the traits generated code implements, containers,
//! and the generated Qimen models themselves.

pub mod kingdee;
pub mod node;
pub mod path;
pub mod privacy;
pub mod qimen;
pub mod spec;
pub mod values;
pub mod wdt;

pub use node::{IntoOwned, Item, Node, Visitor};
pub use spec::{AnyOf, Direction, EnumSpec, EnumValue, FieldKind, FieldSpec, Flow, StructSpec};
pub use values::{List, Map, MapEntry, Unknown, UnknownKind};
