//! 金蝶云星空 (Kingdee K/3 Cloud) WebAPI messages: generated from `codec/spec/kingdee/*.toml`.
//!
//! Two operations of `DynamicFormService` on the sales-return bill (`SAL_RETURNSTOCK`): `Save`
//! (one bill, `data.Model` an object) and `BatchSave` (`data.Model` an array), and their common
//! reply `{"Result":{"ResponseStatus":…}}`.

mod gen;
pub use gen::*;

/// Looks an operation up by any of its names: `BatchSave`, `batchSave` (as the seed writes it),
/// `Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc`, or a URL ending
/// in either form.
pub fn method(name: &str) -> Option<&'static KingdeeMethodSpec> {
    let mut name = name.trim();
    // Only a name with a path or the service's prefix and suffix needs them cut off.
    if name.contains(['/', '.']) {
        name = name.rsplit('/').next().unwrap_or(name);
        name = name.strip_suffix(".common.kdsvc").unwrap_or(name);
        name = name
            .strip_prefix("Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.")
            .unwrap_or(name);
    }
    KINGDEE_METHODS
        .iter()
        .find(|m| m.method.eq_ignore_ascii_case(name))
}

/// A WebAPI operation and the bodies it exchanges.
#[derive(Debug)]
pub struct KingdeeMethodSpec {
    /// The operation, e.g. `BatchSave`.
    pub method: &'static str,
    /// One-line description.
    pub title: &'static str,
    /// The description in Chinese.
    pub title_zh: &'static str,
    /// Who sends the request.
    pub flow: crate::model::Flow,
    /// The request body (`formid` and `data`).
    pub request: KingdeeBodyKind,
    /// The reply.
    pub response: KingdeeBodyKind,
}

impl KingdeeMethodSpec {
    /// The one-line description in `lang`.
    pub fn title_in(&self, lang: crate::report::Lang) -> &'static str {
        lang.pick(self.title, self.title_zh)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_name_form_finds_the_operation() {
        for n in [
            "BatchSave",
            "batchSave",
            "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc",
            "http://host/K3Cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc",
            "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave",
        ] {
            assert_eq!(
                super::method(n).map(|m| m.method),
                Some("BatchSave"),
                "{n}"
            );
        }
        assert_eq!(super::method("save").map(|m| m.method), Some("Save"));
        assert!(super::method("Audit").is_none());
        assert!(super::method("trade_push").is_none());
    }
}
