//! Rule `privacy.plaintext`: personal values sent in plain text where they should not be.
//!
//! A value counts as plain text unless it is already redacted: it contains a `*` (masked, as the
//! marketplace sends receiver data along with an OAID), is a `qmwire redact --policy hash`
//! token, or is platform ciphertext ([`super::is_ciphertext`]; the collector leaves those out). By default ([`PrivacyCheck::Oaid`]) only one case is reported, as a warning: a
//! `deliveryorder.create` whose `receiverInfo` carries an `oaid` together with plain-text
//! receiver values, since the OAID means the receiver data should stay encrypted at the
//! marketplace. [`PrivacyCheck::Warn`] and [`PrivacyCheck::Forbid`] report every plain-text
//! personal value, as a warning or an error.

use super::{hidden, is_token, PersonalValue};
use crate::model::privacy::hidden_zh;
use crate::privacy::PrivacyCheck;
use crate::report::{Issue, Severity};

/// The rule id.
pub const RULE: &str = crate::rules::PRIVACY_PLAINTEXT;

/// Whether a personal value travels in plain text (not masked, not a token).
pub fn is_plaintext(value: &str) -> bool {
    let v = value.trim();
    !v.contains('*') && !is_token(v)
}

/// The issues for `values` (a body's personal values, in document order) under `check`.
/// `oaid` says whether the body is a Qimen `deliveryorder.create` whose receiver carries an
/// `oaid`: the only case [`PrivacyCheck::Oaid`] reports.
pub fn check(values: &[PersonalValue], check: PrivacyCheck, oaid: bool) -> Vec<Issue> {
    let plain = values.iter().filter(|v| is_plaintext(&v.value));
    match check {
        PrivacyCheck::Oaid if !oaid => Vec::new(),
        PrivacyCheck::Oaid => plain
            .filter(|v| v.path.starts_with("/request/deliveryOrder/receiverInfo/"))
            .map(|v| issue(v, Severity::Warning, "the order carries an `oaid`, so receiver data should stay encrypted at the marketplace", "订单带有 `oaid`，收件人数据应留在平台加密"))
            .collect(),
        PrivacyCheck::Warn => plain
            .map(|v| {
                issue(
                    v,
                    Severity::Warning,
                    "plain-text personal data is not allowed by the privacy profile",
                    "隐私设置不允许明文个人信息",
                )
            })
            .collect(),
        PrivacyCheck::Forbid => plain
            .map(|v| {
                issue(
                    v,
                    Severity::Error,
                    "plain-text personal data is forbidden by the privacy profile",
                    "隐私设置禁止明文个人信息",
                )
            })
            .collect(),
    }
}

fn issue(v: &PersonalValue, severity: Severity, why: &str, why_zh: &str) -> Issue {
    Issue {
        rule: RULE,
        severity,
        path: v.path.clone(),
        span: v.span,
        message: format!(
            "expected a masked value (with `*`) or a token, found plain text {}: {why}; `qmwire redact` masks it",
            hidden(v.class, &v.value)
        ),
        message_zh: Some(format!(
            "应为打码（带 `*`）的值或令牌，实际是明文{}：{why_zh}；`qmwire redact` 可以打码",
            hidden_zh(v.class, &v.value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    fn issues(xml: &str, level: PrivacyCheck) -> Vec<Issue> {
        let options = Options::new()
            .with_method("deliveryorder.create")
            .with_privacy(level);
        let mut report = crate::lint(xml.as_bytes(), &options);
        report.issues.retain(|i| i.rule == RULE);
        report.issues
    }

    const PLAIN: &str = "<request><deliveryOrder><buyerNick>测试买家01</buyerNick><receiverInfo><name>李四</name><mobile>139****5678</mobile><oaid>OAID01</oaid></receiverInfo></deliveryOrder></request>";

    #[test]
    fn oaid_with_plain_receiver_values_is_a_warning() {
        let found = issues(PLAIN, PrivacyCheck::Oaid);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "/request/deliveryOrder/receiverInfo/name");
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(!found[0].message.contains("李四"), "{}", found[0].message);
        assert_eq!(&PLAIN[found[0].span.range()], "李四");
        // Without the oaid (or with an empty one) the default says nothing.
        let no_oaid = PLAIN.replace("OAID01", "");
        assert!(issues(&no_oaid, PrivacyCheck::Oaid).is_empty());
        // Masked values and tokens are not plain text.
        let masked = PLAIN.replace("李四", "李*");
        assert!(issues(&masked, PrivacyCheck::Oaid).is_empty());
        let token = PLAIN.replace("李四", "qmh_0123456789abcdef01234567");
        assert!(issues(&token, PrivacyCheck::Oaid).is_empty());
    }

    #[test]
    fn warn_and_forbid_cover_every_personal_value() {
        let no_oaid = PLAIN.replace("OAID01", "");
        let warn = issues(&no_oaid, PrivacyCheck::Warn);
        assert_eq!(warn.len(), 2, "{warn:?}");
        assert!(warn.iter().all(|i| i.severity == Severity::Warning));
        let forbid = issues(&no_oaid, PrivacyCheck::Forbid);
        assert_eq!(
            forbid.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(),
            [
                "/request/deliveryOrder/buyerNick",
                "/request/deliveryOrder/receiverInfo/name"
            ]
        );
        assert!(forbid.iter().all(|i| i.severity == Severity::Error));
    }

    #[test]
    fn ciphertext_is_neither_reported_nor_redacted() {
        let cipher = PLAIN
            .replace("测试买家01", "~CKoqAl2hWzh54uBFv9Suug==~1~")
            .replace("李四", "~Y2lwaGVydGV4dDEyMw==~1~");
        assert!(issues(&cipher, PrivacyCheck::Forbid).is_empty());
        let options = crate::Options::new().with_method("deliveryorder.create");
        let out = crate::redact(cipher.as_bytes(), &options, &crate::Redactor::mask()).unwrap();
        assert_eq!(out.output, cipher.as_bytes());
        // Only the already masked mobile is counted (and masks to itself).
        assert_eq!(out.values, 1);
    }
}
