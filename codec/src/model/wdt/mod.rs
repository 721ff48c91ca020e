//! wdt (旺店通 企业版) messages: generated from `codec/spec/wdt/*.toml`.

mod gen;
pub use gen::*;

use crate::model::spec::WdtMethodSpec;

/// Looks an API up by any of its names: `trade_push`, `trade_push.php`, `wdt.trade.push` or
/// `hu3cgwt0tc.wdt.trade.push` (the Qimen custom forms follow the `xxx_yyy` ⇄ `wdt.xxx.yyy`
/// rule).
pub fn method(name: &str) -> Option<&'static WdtMethodSpec> {
    let name = name.trim();
    let name = name.rsplit('/').next().unwrap_or(name);
    let name = name.strip_suffix(".php").unwrap_or(name);
    let name = name.strip_prefix("hu3cgwt0tc.").unwrap_or(name);
    let owned;
    let name = match name.strip_prefix("wdt.") {
        Some(rest) => {
            owned = rest.replace('.', "_");
            owned.as_str()
        }
        None => name,
    };
    WDT_METHODS.iter().find(|m| m.method == name)
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
}
