//! wdt (旺店通 企业版) messages: generated from `codec/spec/wdt/*.toml`.

mod gen;
pub mod names;
pub use gen::*;

/// Looks an API up by any of its names: `trade_push`, `trade_push.php`, a URL ending in it,
/// `wdt.trade.push` or `hu3cgwt0tc.wdt.trade.push` (names are resolved through the method map
/// of [`crate::model::wdt::names`], so its exceptions apply).
pub fn method(name: &str) -> Option<&'static WdtMethodSpec> {
    // The usual call names the API as it is listed: no case folding, no map to search.
    if let Some(found) = WDT_METHODS.iter().find(|m| m.method == name) {
        return Some(found);
    }
    by_any_name(name)
}

/// [`method`] for any other form of the name.
fn by_any_name(name: &str) -> Option<&'static WdtMethodSpec> {
    let name = name.trim();
    let name = name.rsplit('/').next().unwrap_or(name);
    let stem = match names::find(name) {
        Some(m) => m.php_stem(),
        None => name.strip_suffix(".php").unwrap_or(name),
    };
    WDT_METHODS.iter().find(|m| m.method == stem)
}

/// A wdt API and the bodies it exchanges.
#[derive(Debug)]
pub struct WdtMethodSpec {
    /// The API name, e.g. `trade_push` (posted to `openapi2/trade_push.php`).
    pub method: &'static str,
    /// One-line description.
    pub title: &'static str,
    /// The description in Chinese.
    pub title_zh: &'static str,
    /// Who sends the request and who receives it.
    pub flow: crate::model::Flow,
    /// The business parameters.
    pub request: WdtBodyKind,
    /// The response.
    pub response: WdtBodyKind,
}

impl WdtMethodSpec {
    /// The one-line description in `lang`.
    pub fn title_in(&self, lang: crate::report::Lang) -> &'static str {
        lang.pick(self.title, self.title_zh)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_name_form_finds_the_api() {
        for n in [
            "trade_push",
            "trade_push.php",
            "https://api.wangdian.cn/openapi2/trade_push.php",
            "wdt.trade.push",
            "hu3cgwt0tc.wdt.trade.push",
        ] {
            assert_eq!(
                super::method(n).map(|m| m.method),
                Some("trade_push"),
                "{n}"
            );
        }
        assert!(super::method("trade_pull").is_none());
    }

    /// The shortcut for a listed name finds what the full lookup finds.
    #[test]
    fn listed_names_resolve_as_the_full_lookup_does() {
        let names = super::WDT_METHODS.iter().map(|m| m.method).chain(
            super::names::METHODS
                .iter()
                .flat_map(|m| [m.php, m.qimen, m.php_stem()]),
        );
        for name in names {
            assert_eq!(
                super::method(name).map(|m| m.method),
                super::by_any_name(name).map(|m| m.method),
                "{name}"
            );
        }
    }
}
