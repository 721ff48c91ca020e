//! Whether a JSON document is a 金蝶 WebAPI body, and which: from its top-level keys, and for a
//! request from the shape of `data.Model`.

use crate::model::kingdee;

/// The top-level keys only a 金蝶 body has: the request envelope's `formid` and the reply's
/// `Result` (wdt bodies use lower-case snake keys and never these).
const CLAIMED: &[&str] = &["formid", "Result"];

/// Whether `input` is for the 金蝶 linter: the method names a 金蝶 operation, or, with no method
/// given, the document is an object with a key only 金蝶 bodies have.
pub(crate) fn claims(input: &[u8], method: Option<&str>, limits: &crate::Limits) -> bool {
    if let Some(m) = method {
        return kingdee::method(m).is_some();
    }
    let Ok(text) = std::str::from_utf8(input) else {
        return false;
    };
    match crate::json::decode::top_level_keys(text, limits) {
        Ok((false, keys)) => keys.iter().any(|k| CLAIMED.contains(&&**k)),
        _ => false,
    }
}

/// Whether the top-level keys are a reply's.
pub(crate) fn is_reply(keys: &[std::borrow::Cow<'_, str>]) -> bool {
    keys.iter().any(|k| k == "Result") && !keys.iter().any(|k| k == "formid" || k == "data")
}
