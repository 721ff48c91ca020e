//! What a profile expects of the request around a Qimen body: the method name's form, `v`,
//! `format`, sign methods, the customer id's value, the Content-Type. The customer id's
//! spelling and the sign policy change the base checks themselves (see
//! [`crate::qimen::request`]).

use super::{MethodName, Profile};
use crate::report::{Issue, Severity};
use crate::wire::span::Span;

fn param(profile: &Profile, path: &str, message: String, message_zh: String) -> Issue {
    Issue {
        rule: crate::rules::PROFILE_PARAM,
        severity: Severity::Warning,
        path: path.to_string(),
        span: Span::default(),
        message: format!("{message} (profile `{}`)", profile.id),
        message_zh: Some(format!("{message_zh}（对接方配置 `{}`）", profile.id)),
    }
}

/// The request-level issues of `profile`'s `[transport]`; `get` reads a query parameter (a
/// non-empty value), `content_type` is the header (`None` when headers are unknown).
pub(crate) fn checks<'q>(
    profile: &Profile,
    get: impl Fn(&str) -> Option<&'q str>,
    content_type: Option<&str>,
) -> Vec<Issue> {
    let t = &profile.transport;
    let mut out = Vec::new();
    if let (Some(form), Some(method)) = (t.method_name, get("method")) {
        let full = method.starts_with("taobao.qimen.");
        let wanted = match form {
            MethodName::Full if !full => Some((
                "the full name (`taobao.qimen.…`)",
                "完整名称（`taobao.qimen.…`）",
            )),
            MethodName::Short if full => Some((
                "the short name (without `taobao.qimen.`)",
                "短名称（不带 `taobao.qimen.`）",
            )),
            _ => None,
        };
        if let Some((wanted, wanted_zh)) = wanted {
            out.push(param(
                profile,
                "?method",
                format!("expected {wanted} as this counterparty takes it, found `{method}`"),
                format!("该对接方要求方法名用{wanted_zh}，实际为 `{method}`"),
            ));
        }
    }
    for (name, expected) in [("v", &t.v), ("format", &t.format)] {
        if let (Some(expected), Some(found)) = (expected, get(name)) {
            if found != expected {
                out.push(param(
                    profile,
                    &format!("?{name}"),
                    format!("expected `{name}={expected}` as this counterparty documents it, found `{found}`"),
                    format!("该对接方的文档要求 `{name}={expected}`，实际为 `{found}`"),
                ));
            }
        }
    }
    if let Some(allowed) = &t.sign_methods {
        let found = get("sign_method").unwrap_or("md5");
        if !allowed.iter().any(|m| m == found) {
            let listed: Vec<String> = allowed.iter().map(|m| format!("`{m}`")).collect();
            let absent = get("sign_method").is_none();
            out.push(param(
                profile,
                "?sign_method",
                format!(
                    "expected sign method {} as this counterparty takes it, found `{found}`{}",
                    listed.join(" or "),
                    if absent {
                        " (absent, which means md5)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "该对接方接受的签名方法是 {}，实际为 `{found}`{}",
                    listed.join(" 或 "),
                    if absent { "（未填，即 md5）" } else { "" }
                ),
            ));
        }
    }
    if let Some(expected) = t.customer_equals.as_ref().and_then(|e| profile.expected(e)) {
        let name = customer_param(profile);
        if let Some(found) = get(name) {
            if found != expected {
                let what = super::Expected::describe(t.customer_equals.as_ref(), expected);
                let what_zh = super::Expected::describe_zh(t.customer_equals.as_ref(), expected);
                out.push(Issue {
                    rule: crate::rules::PROFILE_EQUALS,
                    severity: Severity::Error,
                    path: format!("?{name}"),
                    span: Span::default(),
                    message: format!(
                        "expected `{name}` to be {what} for this counterparty, found `{found}` (profile `{}`)",
                        profile.id
                    ),
                    message_zh: Some(format!(
                        "该对接方要求 `{name}` 为 {what_zh}，实际为 `{found}`（对接方配置 `{}`）",
                        profile.id
                    )),
                });
            }
        }
    }
    if let (Some(expected), Some(found)) = (&t.content_type, content_type) {
        if !content_type_fits(profile, found) {
            let (found, found_zh) = if found.is_empty() {
                (
                    "no Content-Type header".to_string(),
                    "没有 Content-Type 头".to_string(),
                )
            } else {
                (format!("`{found}`"), format!("`{found}`"))
            };
            out.push(param(
                profile,
                "Content-Type",
                format!("expected Content-Type `{expected}` as this counterparty documents it, found {found}"),
                format!("该对接方的文档要求 Content-Type 为 `{expected}`，实际为{found_zh}"),
            ));
        }
    }
    out
}

/// The customer id parameter's name as the profile spells it (`customerId` by default).
pub(crate) fn customer_param(profile: &Profile) -> &str {
    profile
        .transport
        .customer_param
        .as_deref()
        .unwrap_or("customerId")
}

/// Whether `header` is the Content-Type the profile prescribes (case and spaces aside).
pub(crate) fn content_type_fits(profile: &Profile, header: &str) -> bool {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    profile
        .transport
        .content_type
        .as_deref()
        .is_some_and(|want| squash(want) == squash(header))
}
