//! Paths in profiles: a field's wire path without the root element and without indexes
//! (`deliveryOrder/receiverInfo/mobile`, `orderLines/orderLine/itemName`; wdt:
//! `trade_list/order_list/goods_no`), checked against the specs, and globs over them for
//! `[[overrides]]` (`*` one segment, `**` any number).

use super::load::Said;
use crate::model::{FieldKind, FieldSpec, StructSpec};
use crate::wire::suggest::closest;

/// Paths of the request around a Qimen body that issues carry.
const REQUEST_PATHS: [&str; 10] = [
    "?method",
    "?app_key",
    "?timestamp",
    "?v",
    "?format",
    "?sign_method",
    "?sign",
    "?customerId",
    "?customerid",
    "Content-Type",
];

/// A method's full name (Qimen or wdt) from any of its names.
pub(super) fn method(name: &str) -> Option<&'static str> {
    crate::model::qimen::method(name)
        .map(|m| m.method)
        .or_else(|| crate::model::wdt::method(name).map(|m| m.method))
}

/// Every method name, full and short, for suggestions.
pub(super) fn method_names() -> impl Iterator<Item = &'static str> {
    let qimen = crate::model::qimen::METHODS
        .iter()
        .flat_map(|m| [m.method, m.short()]);
    qimen.chain(crate::model::wdt::WDT_METHODS.iter().map(|m| m.method))
}

/// The body a profile path starts from.
pub(super) struct Root {
    spec: &'static StructSpec,
    /// wdt JSON: list items have no element name of their own.
    json: bool,
}

/// What a path names.
#[derive(Debug)]
pub(super) enum Target {
    /// A field of the contract.
    Field(&'static FieldSpec),
    /// No field of the contract: `name` under the block `parent`.
    Absent {
        parent: &'static StructSpec,
        name: String,
    },
}

impl Target {
    /// "; did you mean `x`?" for a name that is close to a field of its block.
    pub(super) fn suggestion(&self) -> String {
        self.near()
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default()
    }

    /// [`Target::suggestion`] in Chinese.
    pub(super) fn suggestion_zh(&self) -> String {
        super::load::did_you_mean_zh(self.near())
    }

    fn near(&self) -> Option<&'static str> {
        match self {
            Target::Absent { parent, name } => {
                closest(name, parent.fields.iter().map(|f| f.name), 2)
            }
            Target::Field(_) => None,
        }
    }
}

impl Root {
    /// The request (or reply) body of `method`, a full name.
    pub(super) fn of(method: &str, response: bool) -> Option<Root> {
        if let Some(m) = crate::model::qimen::method(method) {
            let kind = if response { m.response } else { m.request };
            return Some(Root {
                spec: kind.spec(),
                json: false,
            });
        }
        let m = crate::model::wdt::method(method)?;
        let kind = if response { m.response } else { m.request };
        Some(Root {
            spec: kind.spec(),
            json: true,
        })
    }

    /// Whether the body is wdt JSON (rather than Qimen XML).
    pub(super) fn json(&self) -> bool {
        self.json
    }

    /// The field table of the body's root element.
    pub(super) fn fields(&self) -> &'static [FieldSpec] {
        self.spec.fields
    }

    /// The field table of the block a walk is in once it enters `field`: its struct's, or for a
    /// wdt list (whose items have no name of their own) its items' struct's; empty otherwise.
    pub(super) fn block_of(&self, field: &'static FieldSpec) -> &'static [FieldSpec] {
        match field.kind {
            FieldKind::Struct(s) => s.fields,
            FieldKind::List(item) if self.json => match item.kind {
                FieldKind::Struct(s) => s.fields,
                _ => &[],
            },
            _ => &[],
        }
    }

    /// What `path` names: a field, or a name its block does not define (only as the last
    /// segment). Any other segment that is not a field is an error with a suggestion.
    pub(super) fn resolve(&self, path: &str) -> Result<Target, Said> {
        let segments: Vec<&str> = path.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err((
                format!(
                    "expected a path such as `deliveryOrder/receiverInfo/mobile` (no leading `/`, no root element, no indexes), found `{path}`"
                ),
                format!(
                    "应为 `deliveryOrder/receiverInfo/mobile` 这样的路径（开头不带 `/`，不带根元素，不带下标），实际为 `{path}`"
                ),
            ));
        }
        let mut block = self.spec;
        let mut i = 0;
        loop {
            let name = segments[i];
            let last = i + 1 == segments.len();
            let Some(field) = block.field(name) else {
                if last {
                    return Ok(Target::Absent {
                        parent: block,
                        name: name.to_string(),
                    });
                }
                let near = closest(name, block.fields.iter().map(|f| f.name), 2);
                return Err((
                    format!(
                        "`{name}` in `{path}` is not a field of {} ({}){}",
                        block.name,
                        block.doc,
                        near.map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_default()
                    ),
                    format!(
                        "`{path}` 里的 `{name}` 不是 {} 的字段{}",
                        block.name,
                        super::load::did_you_mean_zh(near)
                    ),
                ));
            };
            if last {
                return Ok(Target::Field(field));
            }
            i += 1;
            let mut next = field;
            if let FieldKind::List(item) = field.kind {
                if !self.json {
                    if segments[i] != item.name {
                        return Err((
                            format!(
                                "`{}` holds `{}` items: expected `{}/{}` in `{path}`, found `{}`",
                                field.name, item.name, field.name, item.name, segments[i]
                            ),
                            format!(
                                "`{}` 里是 `{}` 列表项：`{path}` 里应写 `{}/{}`，实际为 `{}`",
                                field.name, item.name, field.name, item.name, segments[i]
                            ),
                        ));
                    }
                    if i + 1 == segments.len() {
                        return Ok(Target::Field(item));
                    }
                    i += 1;
                }
                next = item;
            }
            match next.kind {
                FieldKind::Struct(s) => block = s,
                _ => {
                    return Err((
                        format!("`{}` in `{path}` holds a value, not fields", next.name),
                        format!("`{path}` 里的 `{}` 是一个值，下面没有字段", next.name),
                    ))
                }
            }
        }
    }

    /// Every path of the body, blocks and values, for checking globs.
    fn all_paths(&self, out: &mut Vec<String>) {
        fn walk(
            block: &'static StructSpec,
            prefix: &str,
            json: bool,
            out: &mut Vec<String>,
            depth: u32,
        ) {
            if depth > 16 {
                return;
            }
            for f in block.fields {
                let here = if prefix.is_empty() {
                    f.name.to_string()
                } else {
                    format!("{prefix}/{}", f.name)
                };
                let mut next = f;
                let mut at = here.clone();
                out.push(here);
                if let FieldKind::List(item) = f.kind {
                    if !json {
                        at = format!("{at}/{}", item.name);
                        out.push(at.clone());
                    }
                    next = item;
                }
                if let FieldKind::Struct(s) = next.kind {
                    walk(s, &at, json, out, depth + 1);
                }
            }
        }
        walk(self.spec, "", self.json, out, 0);
    }
}

/// Checks a glob of an override: `*`/`**` segments or names, matching at least one path of
/// the bodies of `methods` (every method when `None`) or of the request around them.
pub(super) fn check_glob(glob: &str, methods: Option<&[&'static str]>) -> Result<(), Said> {
    if glob.is_empty() || glob.split('/').any(str::is_empty) && glob != "?" {
        return Err((
            format!(
                "expected a path glob such as `deliveryOrder/receiverInfo/*` or `**/remark`, found `{glob}`"
            ),
            format!(
                "应为 `deliveryOrder/receiverInfo/*` 或 `**/remark` 这样的路径通配，实际为 `{glob}`"
            ),
        ));
    }
    if REQUEST_PATHS.iter().any(|p| glob_matches(glob, p)) {
        return Ok(());
    }
    let all: Vec<&'static str> = match methods {
        Some(ms) => ms.to_vec(),
        None => method_names().filter_map(method).collect(),
    };
    let mut paths = Vec::new();
    for m in all {
        for response in [false, true] {
            if let Some(root) = Root::of(m, response) {
                root.all_paths(&mut paths);
            }
        }
    }
    if paths.iter().any(|p| glob_matches(glob, p)) {
        return Ok(());
    }
    let near = closest(glob, paths.iter().map(String::as_str), 3);
    Err((
        format!(
            "the path `{glob}` matches no field of {}{}",
            if methods.is_some() {
                "those methods"
            } else {
                "any method"
            },
            near.map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default()
        ),
        format!(
            "路径 `{glob}` 匹配不到{}的任何字段{}",
            if methods.is_some() {
                "所列方法"
            } else {
                "任何方法"
            },
            super::load::did_you_mean_zh(near)
        ),
    ))
}

/// Whether `path` matches `glob` segment by segment (`*` any one segment, `**` any number,
/// possibly none).
pub(crate) fn glob_matches(glob: &str, path: &str) -> bool {
    fn go(g: &[&str], p: &[&str]) -> bool {
        match g.split_first() {
            None => p.is_empty(),
            Some((&"**", rest)) => (0..=p.len()).any(|k| go(rest, &p[k..])),
            Some((seg, rest)) => p
                .split_first()
                .is_some_and(|(first, tail)| (*seg == "*" || seg == first) && go(rest, tail)),
        }
    }
    let g: Vec<&str> = glob.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    go(&g, &p)
}

/// An issue's wire path as profiles write it: no root element, no indexes. `/request/orderLines
/// /orderLine[2]/planQty` → `orderLines/orderLine/planQty`; `/trade_list/0/paid` →
/// `trade_list/paid`; a bare wdt array's `/0/paid` → `{bare}/paid`. Request paths (`?sign`,
/// `Content-Type`) stay as they are.
pub(crate) fn normalize(path: &str, bare: Option<&str>) -> String {
    let Some(rest) = path.strip_prefix('/') else {
        return path.to_string();
    };
    let mut segments = rest.split('/').peekable();
    let mut out = String::new();
    let xml_root = ["request", "response", "error_response"];
    let json = !segments.peek().is_some_and(|s| xml_root.contains(s));
    if !json {
        segments.next();
    } else if let (Some(first), Some(bare)) = (segments.peek(), bare) {
        if first.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(bare);
        }
    }
    for seg in segments {
        let name = if json {
            if seg.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            seg
        } else {
            seg.split('[').next().unwrap_or(seg)
        };
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_root_and_indexes() {
        assert_eq!(
            normalize("/request/orderLines/orderLine[2]/planQty", None),
            "orderLines/orderLine/planQty"
        );
        assert_eq!(
            normalize("/trade_list/0/order_list/3/num", None),
            "trade_list/order_list/num"
        );
        assert_eq!(normalize("/0/paid", Some("trade_list")), "trade_list/paid");
        assert_eq!(normalize("?sign", None), "?sign");
        assert_eq!(normalize("/response/flag", None), "flag");
    }

    #[test]
    fn globs() {
        assert!(glob_matches(
            "deliveryOrder/*/mobile",
            "deliveryOrder/receiverInfo/mobile"
        ));
        assert!(glob_matches(
            "**/mobile",
            "deliveryOrder/receiverInfo/mobile"
        ));
        assert!(glob_matches("**", "a/b"));
        assert!(glob_matches("deliveryOrder/**", "deliveryOrder"));
        assert!(!glob_matches(
            "deliveryOrder/*",
            "deliveryOrder/receiverInfo/mobile"
        ));
        assert!(!glob_matches("orderLines", "orderLines/orderLine"));
        assert!(check_glob("**/actualPrice", None).is_ok());
        assert!(check_glob("?customerid", None).is_ok());
        let (en, zh) = check_glob("deliveryOrder/receverInfo/*", None).unwrap_err();
        assert!(en.contains("matches no field"), "{en}");
        assert!(zh.contains("匹配不到") && zh.contains("是不是"), "{zh}");
    }

    #[test]
    fn paths_resolve_through_blocks_and_lists() {
        let root = Root::of("taobao.qimen.deliveryorder.create", false).unwrap();
        assert!(
            matches!(root.resolve("orderLines/orderLine/actualPrice"), Ok(Target::Field(f)) if f.name == "actualPrice")
        );
        assert!(matches!(
            root.resolve("deliveryOrder/expectEndTime"),
            Ok(Target::Absent { .. })
        ));
        let (en, zh) = root.resolve("orderLines/line/actualPrice").unwrap_err();
        assert!(en.contains("orderLine"), "{en}");
        assert!(zh.contains("`orderLines/orderLine`"), "{zh}");
        let wdt = Root::of("trade_push", false).unwrap();
        assert!(matches!(
            wdt.resolve("trade_list/order_list/goods_no"),
            Ok(Target::Field(_))
        ));
    }
}
