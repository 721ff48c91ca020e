//! Which wdt body a JSON document is, from its top-level keys (or, for a bare array, its
//! items' keys).

use crate::error::Failure;
use crate::model::wdt::{WdtBodyKind, WDT_BODY_KINDS};
use crate::model::Direction;

/// Which body the document's keys fit best: the kind whose root (or, for an array, whose bare
/// list's items) shares the most keys with the document. Ties are refused, not guessed.
pub(crate) fn detect(
    array: bool,
    keys: &[std::borrow::Cow<'_, str>],
) -> Result<WdtBodyKind, Failure> {
    let mut scored: Vec<(usize, WdtBodyKind)> = WDT_BODY_KINDS
        .iter()
        .filter_map(|&k| {
            let spec = if array {
                let list = k.spec().field(k.bare()?)?;
                match list.kind {
                    crate::model::FieldKind::List(item) => match item.kind {
                        crate::model::FieldKind::Struct(s) => s,
                        _ => return None,
                    },
                    _ => return None,
                }
            } else {
                k.spec()
            };
            let hits = keys.iter().filter(|key| spec.field(key).is_some()).count();
            Some((hits, k))
        })
        .filter(|&(hits, _)| hits > 0)
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [] => Err(Failure::Shape {
            message: format!(
                "cannot tell which wdt API this {} is for: none of its keys belongs to a known body; pass --method (`qmwire methods` lists them)",
                if array { "array" } else { "object" }
            ),
            message_zh: format!(
                "无法判断这个 JSON {}属于哪个旺店通接口：它的键都不属于已知的报文体；请用 --method 指定（`qmwire methods` 会列出）",
                if array { "数组" } else { "对象" }
            ),
        }),
        [(best, kind), rest @ ..] if rest.first().is_none_or(|(n, _)| n < best) => Ok(*kind),
        [(best, _), ..] => {
            let names: Vec<String> = scored
                .iter()
                .filter(|(n, _)| n == best)
                .map(|(_, k)| {
                    let dir = match k.direction() {
                        Direction::Request => "request",
                        Direction::Response => "response",
                    };
                    format!("`{}` {dir}", k.method())
                })
                .collect();
            Err(Failure::Shape {
                message: format!(
                    "cannot tell the wdt API from the document: it fits {} equally well; pass --method",
                    names.join(" and ")
                ),
                message_zh: format!(
                    "无法从报文判断旺店通接口：{} 同样吻合，请用 --method 指定",
                    names.join(" 和 ")
                ),
            })
        }
    }
}
