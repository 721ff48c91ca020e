//! Qimen XML: decoding into the generated models and encoding back.

pub mod decode;
pub mod encode;
pub mod node;

pub use decode::{decode_root, decode_root_into, decode_root_noting, root_name, Child, XmlDecoder};
pub use encode::encode;
