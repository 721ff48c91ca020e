//! The findings a field overlay can raise, written once per overlaid field when a profile's
//! trees are built: rule, level, and the messages' fixed words. All that depends on the
//! document is at most one part between them (the value found, or its length), so a finding
//! costs two copies and that part rather than formatting every word again.

use super::{Expected, FieldOverlay};
use crate::model::FieldSpec;
use crate::report::Severity;
use crate::validate::rules::{self, Shown, Tag};
use std::fmt::Write as _;

/// One finding an overlay can raise on one field.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// The rule it is reported under.
    pub(crate) rule: &'static str,
    /// Its severity; `None` when the overlay turns it off.
    pub(crate) severity: Option<Severity>,
    /// The English message before and after the part that depends on the document.
    en: (Box<str>, Box<str>),
    /// The same in Chinese.
    zh: (Box<str>, Box<str>),
}

/// What a finding's message says between its fixed words.
#[derive(Clone, Copy)]
pub(crate) enum Part<'s, 'v> {
    /// Nothing: the message is fixed.
    Nothing,
    /// A count (of characters).
    Count(usize),
    /// The value found, as messages show it.
    Value(&'s Shown<'v>),
}

impl Finding {
    /// A finding of `rule` at the overlay's level (the rule's own when it sets none), its
    /// messages `en` and `zh` (before and after the part that varies) closed by the words
    /// naming profile `id`.
    fn new(
        rule: &'static str,
        overlay: &FieldOverlay,
        en: (String, &str),
        zh: (String, &str),
        id: &str,
    ) -> Finding {
        let severity = match overlay.severity {
            Some(level) => level.severity(),
            None => Some(crate::rules::rule(rule).map_or(Severity::Error, |r| r.severity)),
        };
        Finding {
            rule,
            severity,
            en: (
                en.0.into(),
                format!("{} (profile `{id}`)", en.1).into_boxed_str(),
            ),
            zh: (
                zh.0.into(),
                format!("{}（对接方配置 `{id}`）", zh.1).into_boxed_str(),
            ),
        }
    }

    /// The English and Chinese messages with `part` between the fixed words.
    pub(crate) fn messages(&self, part: Part<'_, '_>) -> (String, String) {
        let room = match part {
            Part::Nothing => 0,
            Part::Count(_) => 20,
            // A personal value is shown as its class and length, some thirty bytes.
            Part::Value(shown) => shown.value.len().max(32) + 2,
        };
        let write = |(before, after): &(Box<str>, Box<str>), zh: bool| {
            let mut out = String::with_capacity(before.len() + room + after.len());
            out.push_str(before);
            match part {
                Part::Nothing => {}
                Part::Count(n) => {
                    let _ = write!(out, "{n}");
                }
                Part::Value(shown) if zh => shown.push_zh_to(&mut out),
                Part::Value(shown) => shown.push_to(&mut out),
            }
            out.push_str(after);
            out
        };
        (write(&self.en, false), write(&self.zh, true))
    }
}

/// The findings an overlay on one field of the contract can raise; `None` for those it
/// cannot.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    /// The field is missing or blank, and the profile requires it (the contract does not).
    pub(crate) required: Option<Finding>,
    /// The value is longer than the profile allows (the part is its length).
    pub(crate) max_chars: Option<Finding>,
    /// The value is not one of the codes the profile restricts it to.
    pub(crate) enum_only: Option<Finding>,
    /// The value is not the one the profile fixes it to.
    pub(crate) bound: Option<Finding>,
    /// The value is not the one the profile recommends.
    pub(crate) recommended: Option<Finding>,
}

impl Texts {
    /// The findings of `overlay` on `field`, in a Qimen (XML) or wdt (`json`) body, under
    /// profile `id`.
    pub(crate) fn of(field: &FieldSpec, overlay: &FieldOverlay, json: bool, id: &str) -> Texts {
        let tag = Tag {
            name: field.name,
            json,
        };
        let zh_field = rules::zh_field(field, json);
        let required = (overlay.required == Some(true) && !field.required).then(|| {
            Finding::new(
                crate::rules::REQUIRED,
                overlay,
                (
                    format!(
                        "expected {tag} ({}): this counterparty requires it, found none",
                        field.doc
                    ),
                    "",
                ),
                (format!("缺少{zh_field}：该对接方要求必填"), ""),
                id,
            )
        });
        let max_chars = overlay.max_chars.map(|max| {
            Finding::new(
                crate::rules::MAX_LENGTH,
                overlay,
                (
                    format!(
                        "expected {tag} to have at most {max} characters for this counterparty, found "
                    ),
                    "",
                ),
                (format!("该对接方要求{zh_field}最多 {max} 个字符，实际 "), " 个"),
                id,
            )
        });
        let enum_only = overlay.enum_only.as_ref().map(|only| {
            let codes = codes(only);
            Finding::new(
                crate::rules::ENUM,
                overlay,
                (
                    format!("expected {tag} to be one of {codes} for this counterparty, found "),
                    "",
                ),
                (
                    format!("该对接方要求{zh_field}取 {codes} 之一，实际为 "),
                    "",
                ),
                id,
            )
        });
        let bound = overlay.bound.as_deref().map(|expected| {
            let what = Expected::describe(overlay.equals.as_ref(), expected);
            let what_zh = Expected::describe_zh(overlay.equals.as_ref(), expected);
            Finding::new(
                crate::rules::PROFILE_EQUALS,
                overlay,
                (
                    format!("expected {tag} to be {what} for this counterparty, found "),
                    "",
                ),
                (format!("该对接方要求{zh_field}为 {what_zh}，实际为 "), ""),
                id,
            )
        });
        let recommended = overlay.recommended.as_deref().map(|value| {
            Finding::new(
                crate::rules::PROFILE_RECOMMENDED,
                overlay,
                (
                    format!("this counterparty recommends {tag} = `{value}`, found "),
                    "",
                ),
                (format!("该对接方建议{zh_field}取 `{value}`，实际为 "), ""),
                id,
            )
        });
        Texts {
            required,
            max_chars,
            enum_only,
            bound,
            recommended,
        }
    }
}

/// `a`, `b` or `c` as a message lists codes.
pub(crate) fn codes(list: &[String]) -> String {
    list.iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::privacy::Privacy;
    use crate::profile::paths::{Root, Target};
    use crate::profile::Profile;

    /// A profile with an overlay of every kind that raises a finding, on Qimen and wdt fields.
    const PROBE: &str = r#"
schema = 1

[profile]
id = "probe"

[vars]
owner_id = { doc = "owner" }

[methods."deliveryorder.create".fields]
"deliveryOrder/shopNick" = { max-chars = 20 }
"deliveryOrder/orderType" = { enum-only = ["JYCK", "HHCK"], recommended = "JYCK" }
"deliveryOrder/ownerCode" = { equals = "${owner_id}" }
"deliveryOrder/warehouseCode" = { equals = "W1", severity = "off" }
"deliveryOrder/receiverInfo/area" = { required = true, severity = "warn" }
"deliveryOrder/receiverInfo/mobile" = { max-chars = 11, required = false }

[methods.trade_push.fields]
"trade_list/order_list/goods_no" = { required = true, max-chars = 8, recommended = "G1" }
"#;

    /// What the walk wrote before the texts were written in advance: `en` and `zh` closed by
    /// the words naming the profile.
    fn closed(en: String, zh: String, id: &str) -> (String, String) {
        (
            format!("{en} (profile `{id}`)"),
            format!("{zh}（对接方配置 `{id}`）"),
        )
    }

    /// The old severity: the overlay's level, else the rule's own.
    fn level(rule: &str, overlay: &FieldOverlay) -> Option<Severity> {
        match overlay.severity {
            Some(level) => level.severity(),
            None => Some(crate::rules::rule(rule).map_or(Severity::Error, |r| r.severity)),
        }
    }

    fn check(
        finding: &Finding,
        rule: &str,
        overlay: &FieldOverlay,
        part: Part<'_, '_>,
        old: (String, String),
    ) {
        assert_eq!(finding.rule, rule);
        assert_eq!(finding.severity, level(rule, overlay), "{rule}");
        assert_eq!(finding.messages(part), old);
    }

    #[test]
    fn texts_written_in_advance_read_as_the_walk_wrote_them() {
        let mut jxwms = Profile::open("jxwms").unwrap();
        jxwms.set_var("owner_id", "XIAOXIONG").unwrap();
        jxwms.set_var("warehouse_id", "HZ-XS-01").unwrap();
        let mut probe = Profile::parse(PROBE, "probe.toml", None).unwrap();
        probe.set_var("owner_id", "OW01").unwrap();
        let profiles = [jxwms, Profile::open("yptc").unwrap(), probe];
        let long = "长".repeat(70);
        let values = ["TM", "a\tb", long.as_str(), "张三"];
        let mut seen = [0usize; 5];
        let mut json_seen = false;
        for profile in &profiles {
            let id = profile.id();
            for (method, m) in &profile.methods {
                for (response, side) in [(false, &m.request), (true, &m.response)] {
                    let Some(root) = Root::of(method, response) else {
                        continue;
                    };
                    let json = root.json();
                    for (path, overlay) in &side.fields {
                        let Ok(Target::Field(field)) = root.resolve(path) else {
                            continue;
                        };
                        let texts = Texts::of(field, overlay, json, id);
                        let tag = Tag {
                            name: field.name,
                            json,
                        };
                        let zh_field = rules::zh_field(field, json);
                        match &texts.required {
                            Some(finding) => {
                                seen[0] += 1;
                                json_seen |= json;
                                let old = closed(
                                    format!("expected {tag} ({}): this counterparty requires it, found none", field.doc),
                                    format!("缺少{zh_field}：该对接方要求必填"),
                                    id,
                                );
                                check(finding, crate::rules::REQUIRED, overlay, Part::Nothing, old);
                            }
                            None => {
                                assert!(overlay.required != Some(true) || field.required, "{path}")
                            }
                        }
                        assert_eq!(texts.max_chars.is_some(), overlay.max_chars.is_some());
                        if let (Some(finding), Some(max)) = (&texts.max_chars, overlay.max_chars) {
                            seen[1] += 1;
                            for n in [max as usize + 1, 1000] {
                                let old = closed(
                                    format!("expected {tag} to have at most {max} characters for this counterparty, found {n}"),
                                    format!("该对接方要求{zh_field}最多 {max} 个字符，实际 {n} 个"),
                                    id,
                                );
                                check(
                                    finding,
                                    crate::rules::MAX_LENGTH,
                                    overlay,
                                    Part::Count(n),
                                    old,
                                );
                            }
                        }
                        assert_eq!(texts.enum_only.is_some(), overlay.enum_only.is_some());
                        assert_eq!(texts.bound.is_some(), overlay.bound.is_some());
                        assert_eq!(texts.recommended.is_some(), overlay.recommended.is_some());
                        for value in values {
                            for privacy in [field.privacy, Some(Privacy::Name)] {
                                let shown = Shown { value, privacy };
                                if let (Some(finding), Some(only)) =
                                    (&texts.enum_only, &overlay.enum_only)
                                {
                                    seen[2] += 1;
                                    let old = closed(
                                        format!("expected {tag} to be one of {} for this counterparty, found {shown}", codes(only)),
                                        format!("该对接方要求{zh_field}取 {} 之一，实际为 {}", codes(only), shown.zh()),
                                        id,
                                    );
                                    check(
                                        finding,
                                        crate::rules::ENUM,
                                        overlay,
                                        Part::Value(&shown),
                                        old,
                                    );
                                }
                                if let (Some(finding), Some(expected)) =
                                    (&texts.bound, overlay.bound.as_deref())
                                {
                                    seen[3] += 1;
                                    let what =
                                        Expected::describe(overlay.equals.as_ref(), expected);
                                    let what_zh =
                                        Expected::describe_zh(overlay.equals.as_ref(), expected);
                                    let old = closed(
                                        format!("expected {tag} to be {what} for this counterparty, found {shown}"),
                                        format!("该对接方要求{zh_field}为 {what_zh}，实际为 {}", shown.zh()),
                                        id,
                                    );
                                    check(
                                        finding,
                                        crate::rules::PROFILE_EQUALS,
                                        overlay,
                                        Part::Value(&shown),
                                        old,
                                    );
                                }
                                if let (Some(finding), Some(recommended)) =
                                    (&texts.recommended, &overlay.recommended)
                                {
                                    seen[4] += 1;
                                    let old = closed(
                                        format!("this counterparty recommends {tag} = `{recommended}`, found {shown}"),
                                        format!("该对接方建议{zh_field}取 `{recommended}`，实际为 {}", shown.zh()),
                                        id,
                                    );
                                    check(
                                        finding,
                                        crate::rules::PROFILE_RECOMMENDED,
                                        overlay,
                                        Part::Value(&shown),
                                        old,
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(
            seen.iter().all(|&n| n > 0),
            "a kind of finding was never checked: {seen:?}"
        );
        assert!(json_seen, "no wdt field was checked");
        // The level an overlay sets, `off` included, is the finding's.
        let probe = &profiles[2];
        let (method, m) = probe
            .methods
            .iter()
            .find(|(name, _)| name.ends_with("deliveryorder.create"))
            .expect("deliveryorder.create");
        let side = &m.request;
        let root = Root::of(method, false).unwrap();
        let Ok(Target::Field(field)) = root.resolve("deliveryOrder/warehouseCode") else {
            panic!("warehouseCode");
        };
        let overlay = &side.fields["deliveryOrder/warehouseCode"];
        let bound = Texts::of(field, overlay, false, "probe").bound.unwrap();
        assert_eq!(bound.severity, None);
    }
}
