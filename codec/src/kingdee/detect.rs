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
    if !could_hold_a_claimed_key(input) {
        return false;
    }
    let Ok(text) = std::str::from_utf8(input) else {
        return false;
    };
    match crate::json::decode::top_level_keys(text, limits) {
        Ok((false, keys)) => keys.iter().any(|k| CLAIMED.contains(&&**k)),
        _ => false,
    }
}

/// Whether a key of `input` could be one of [`CLAIMED`]: its text is there, or a `\u` escape
/// could spell it. Most JSON inputs (every wdt document without those words or escapes) are
/// told apart by this search alone, without the key pass over the whole document.
fn could_hold_a_claimed_key(input: &[u8]) -> bool {
    CLAIMED
        .iter()
        .any(|k| memchr::memmem::find(input, k.as_bytes()).is_some())
        || memchr::memmem::find(input, b"\\u").is_some()
}

/// Whether the top-level keys are a reply's.
pub(crate) fn is_reply(keys: &[std::borrow::Cow<'_, str>]) -> bool {
    keys.iter().any(|k| k == "Result") && !keys.iter().any(|k| k == "formid" || k == "data")
}

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    /// `claims` without the byte search: the key pass alone.
    fn by_keys(input: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(input) else {
            return false;
        };
        match crate::json::decode::top_level_keys(text, &crate::Limits::default()) {
            Ok((false, keys)) => keys.iter().any(|k| CLAIMED.contains(&&**k)),
            _ => false,
        }
    }

    fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_byte_search_never_changes_the_answer() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["tests/fixtures", "examples", "benches/data"] {
            json_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 50, "{} JSON files", files.len());
        let mut inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        for crafted in [
            r#"{"formid":"SAL_RETURNSTOCK","data":{}}"#,
            r#"{"\u0066ormid":"SAL_RETURNSTOCK","data":{}}"#,
            r#"{"Res\u0075lt":{"ResponseStatus":{}}}"#,
            r#"{"shop_no":"formid","Result":1}"#,
            r#"{"shop_no":"formid"}"#,
            r#"{"nested":{"formid":1}}"#,
            r#"["formid"]"#,
            r#"{"shop_no":"\u5e97"}"#,
            r#"{"formi"#,
        ] {
            inputs.push(crafted.as_bytes().to_vec());
        }
        let mut claimed = 0;
        for input in &inputs {
            let fast = claims(input, None, &crate::Limits::default());
            assert_eq!(fast, by_keys(input), "{}", String::from_utf8_lossy(input));
            claimed += usize::from(fast);
        }
        assert!(claimed >= 4, "{claimed} inputs claimed");
    }
}
