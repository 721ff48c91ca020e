//! Qimen WMS messages: generated from `codec/spec/qimen/*.toml`.

mod gen;
pub use gen::*;

/// Looks a method up by its full (`taobao.qimen.deliveryorder.create`) or short
/// (`deliveryorder.create`) name.
pub fn method(name: &str) -> Option<&'static MethodSpec> {
    let name = name.trim();
    METHODS
        .iter()
        .find(|m| m.method == name || m.short() == name)
}

/// A Qimen method and the bodies it exchanges.
#[derive(Debug)]
pub struct MethodSpec {
    /// Full TOP name, e.g. `taobao.qimen.deliveryorder.create`.
    pub method: &'static str,
    /// One-line description.
    pub title: &'static str,
    /// The description in Chinese.
    pub title_zh: &'static str,
    /// Who sends the request and who receives it.
    pub flow: crate::model::Flow,
    /// The request body.
    pub request: BodyKind,
    /// The response body.
    pub response: BodyKind,
}

impl MethodSpec {
    /// The one-line description in `lang`.
    pub fn title_in(&self, lang: crate::report::Lang) -> &'static str {
        lang.pick(self.title, self.title_zh)
    }

    /// The name without the `taobao.qimen.` prefix, e.g. `deliveryorder.create`.
    pub fn short(&self) -> &'static str {
        self.method
            .strip_prefix("taobao.qimen.")
            .unwrap_or(self.method)
    }
}

impl<'a> crate::xml::encode::XmlBody<'a> for QimenBody<'a> {
    fn root_name(&self) -> &'static str {
        self.kind().root()
    }
    fn visit_fields<V: crate::model::Visitor<'a>>(&self, v: &mut V) {
        self.visit(v)
    }
}
