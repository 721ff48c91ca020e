//! Qimen WMS messages: generated from `codec/spec/qimen/*.toml`.

mod gen;
pub use gen::*;

use crate::model::spec::MethodSpec;

/// Looks a method up by its full (`taobao.qimen.deliveryorder.create`) or short
/// (`deliveryorder.create`) name.
pub fn method(name: &str) -> Option<&'static MethodSpec> {
    let name = name.trim();
    METHODS
        .iter()
        .find(|m| m.method == name || m.short() == name)
}
