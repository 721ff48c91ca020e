//! Linting one Qimen XML body: decode, field rules, the cross-field rules of [`super::rules`],
//! the document-level checks (declared encoding, attributes), rule `privacy.plaintext`.

use super::detect;
use super::document::decode_qimen;
use crate::model::qimen::QimenBody;
use crate::options::{Options, PrivacyCheck};
use crate::privacy::{self, plaintext};
use crate::report::{Issue, Protocol, Report, Severity};
use crate::validate;
use crate::wire::span::Span;

/// Lints one Qimen XML body with `options` (limits, privacy). `method` is a full or short
/// method name (the caller's, or a request's `method` parameter); an unknown name is reported
/// as a `method` error. Spans are within `bytes`.
pub(crate) fn lint_body(bytes: &[u8], method: Option<&str>, options: &Options) -> Report {
    lint_body_fitting(bytes, method, options, false).0
}

/// [`lint_body`], and (when `ask` is set) whether the decode proved that `method` (when
/// given) knows every element of the body ([`detect::known_to_decoder`]): a request's method
/// check then need not read the body again.
pub(crate) fn lint_body_fitting(
    bytes: &[u8],
    method: Option<&str>,
    options: &Options,
    ask: bool,
) -> (Report, bool) {
    let mut fits = false;
    let mut report = Report::empty(Protocol::Qimen);
    let spec = match method.map(|m| (m, detect::method(m))) {
        Some((name, None)) => {
            report
                .issues
                .push(crate::rules::unknown_method("Qimen method", name));
            return (report, fits);
        }
        Some((_, found)) => found,
        None => None,
    };
    report.method = spec.map(|m| m.method);
    match decode_qimen(bytes, spec, &options.limits) {
        Ok(doc) => {
            fits = ask && spec.is_some() && detect::known_to_decoder(&doc.body);
            report.method = doc.method;
            report.root = Some(doc.body.kind().root());
            report.detected = doc.detected;
            // At most `max_issues` are kept (the rest counted), in the order reported: the
            // declared encoding, the field and cross-field rules, attributes, plain-text
            // personal values.
            let cap = options.collection_cap();
            report.issues.extend(declared_encoding(doc.input));
            let profile = options.profile.as_deref().zip(doc.method);
            let room = cap.saturating_sub(report.issues.len());
            // The default privacy check reports nothing unless the receiver carries an `oaid`:
            // then only the spans of personal values are needed, to hide them when quoting,
            // and the validator's walk gathers them instead of the collector's own walk.
            let oaid = has_oaid(&doc.body);
            let spans_only = options.privacy == PrivacyCheck::Oaid && !oaid;
            let (fields, omitted, omitted_errors, spans) =
                validate::issues_capped(&doc.body, room, spans_only);
            report.issues.extend(fields);
            report.omitted += omitted;
            report.omitted_errors += omitted_errors;
            let mut cross = Vec::new();
            super::rules::check(&doc.body, &mut cross);
            merge(&mut report.issues, cross);
            let mut added_personal = Vec::new();
            if let Some((profile, method)) = profile {
                if let Some(outcome) =
                    crate::profile::qimen_outcome(profile, method, &doc.body, &report.issues)
                {
                    added_personal = outcome.apply(&mut report.issues);
                }
            }
            report.keep_first(cap);
            let attributes = doc
                .attributes
                .iter()
                .map(|&span| attribute_issue(doc.input, span));
            report.push_within(cap, attributes);
            let mut personal = match spans {
                Some(hidden) if !hidden.incomplete => privacy::Personal {
                    values: Vec::new(),
                    hidden: hidden.spans,
                },
                _ => privacy::qimen_personal(&doc.body),
            };
            personal.add(added_personal);
            report.push_within(
                cap,
                plaintext::check(&personal.values, options.privacy, oaid),
            );
            // Comments and attribute values are never contract data, but may hold anything:
            // hidden on quoted lines like personal values.
            let mut hidden = personal.hidden;
            hidden.extend(comments(doc.input));
            hidden.extend(doc.attributes.iter().copied());
            report.personal_spans = Some(hidden);
        }
        Err(failure) => report.issues.push(failure.to_issue()),
    }
    (report, fits)
}

/// Puts each of `cross` before the first field issue that starts after it, leaving the field
/// issues in their order.
fn merge(issues: &mut Vec<Issue>, cross: Vec<Issue>) {
    for issue in cross {
        let at = issues
            .iter()
            .position(|i| i.span.start > issue.span.start)
            .unwrap_or(issues.len());
        issues.insert(at, issue);
    }
}

/// The spans of `<!-- … -->` comments in a decoded document, in one pass (a `<!--` inside
/// CDATA counts too: hiding more is safe).
fn comments(input: &str) -> Vec<Span> {
    let bytes = input.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"<!--") {
        let start = at + i;
        let end = memchr::memmem::find(&bytes[start + 4..], b"-->")
            .map_or(input.len(), |j| start + 4 + j + 3);
        out.push(Span::new(start, end));
        at = end;
    }
    out
}

/// A warning when the XML declaration names a non-UTF-8 encoding over non-ASCII UTF-8 text.
fn declared_encoding(input: &str) -> Option<Issue> {
    let body = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let decl = &body[..body.strip_prefix("<?xml")?.find("?>")? + 5];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let name = &rest[1..rest[1..].find(quote)? + 1];
    let utf8 = name.eq_ignore_ascii_case("utf-8") || name.eq_ignore_ascii_case("utf8");
    if utf8 || input.is_ascii() {
        return None;
    }
    // `decl` is a prefix of `body`, which follows an optional byte order mark.
    let offset = input.len() - body.len() + at;
    Some(Issue {
        rule: crate::rules::ENCODING,
        severity: Severity::Warning,
        path: "/".into(),
        span: Span::new(offset, offset + "encoding".len()),
        message: format!(
            "the XML declaration says `{name}`, but the bytes are UTF-8; a receiver that trusts the declaration will garble the text (declare `utf-8`)"
        ),
        message_zh: Some(format!(
            "XML 声明写的是 `{name}`，但内容实际是 UTF-8；信任声明的接收方会把文字读成乱码（请声明 `utf-8`）"
        )),
    })
}

/// The warning for attributes found on an element: the contract has none and the model drops
/// them, so they are reported rather than lost silently.
fn attribute_issue(input: &str, span: Span) -> Issue {
    let before = &input[..span.start as usize];
    let tag = &before[before.rfind('<').map_or(0, |i| i + 1)..];
    let element = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
    Issue {
        rule: crate::rules::UNKNOWN_FIELD,
        severity: Severity::Warning,
        path: format!("//{element}/@*"),
        span,
        message: format!(
            "attributes on `<{element}>` are not part of the Qimen contract; they are ignored and not written back by the encoder"
        ),
        message_zh: Some(format!(
            "`<{element}>` 上的属性不在奇门契约内；会被忽略，编码时也不会写回"
        )),
    }
}

/// Whether `body` is a `deliveryorder.create` whose receiver carries an `oaid`.
fn has_oaid(body: &QimenBody<'_>) -> bool {
    let QimenBody::DeliveryOrderCreateRequest(request) = body else {
        return false;
    };
    request
        .delivery_order
        .as_ref()
        .and_then(|o| o.receiver_info.as_ref())
        .and_then(|r| r.oaid.as_ref())
        .is_some_and(|oaid| !oaid.is_blank())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `deliveryorder.create` whose receiver's name is written `name` (raw XML) and whose
    /// order carries `extra` before the receiver.
    fn order(name: &str, extra: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request><deliveryOrder><deliveryOrderCode>D1</deliveryOrderCode>{extra}<receiverInfo><name>{name}</name><mobile>13800000000</mobile><detailAddress>浙江省杭州市余杭区文一路1号</detailAddress></receiverInfo></deliveryOrder><orderLines><orderLine><itemCode>I1</itemCode><planQty>1</planQty><contactMobile>13900000000</contactMobile></orderLine></orderLines></request>"
        )
    }

    /// The validator's walk gathers exactly the spans the privacy collector's own walk hides
    /// (in the order of its span-only walk; as a set, those of the full collection the lint
    /// used before), and reports the same issues either way: on every bundled XML document
    /// under the method of its folder and detected, and on the shapes the collector tells
    /// apart.
    #[test]
    fn the_validator_gathers_the_collectors_spans() {
        use crate::options::Limits;
        use crate::privacy::collect::{collect, Style};
        let mut inputs: Vec<(Option<String>, String)> = Vec::new();
        for name in [
            "王伟",
            "",
            "  ",
            "\u{3000}王",
            " 王",
            "&#x738b;",
            "&#x20;",
            "&lt;王&gt;",
            "<![CDATA[王]]>",
            "<![CDATA[ ]]>",
            "<![CDATA[~CKoqAl2hWzh54uBFv9Suug==~1~]]>",
            "~CKoqAl2hWzh54uBFv9Suug==~1~",
            "$1388$CKoqAl2hWzh54uBFv9Suug==$1$",
            "~王",
            "<first>王</first>",
            "王<!-- 注 -->伟",
            "<!-- 注 -->",
        ] {
            inputs.push((Some("deliveryorder.create".into()), order(name, "")));
        }
        for extra in [
            "<nmae>王</nmae>",
            "<receiverInfo><name>李</name></receiverInfo>",
            "<senderInfo><name>张</name><senderInfo><name>赵</name></senderInfo></senderInfo>",
            "<senderInfo><name/><mobile> </mobile></senderInfo>",
            "<extendProps><k>王</k><k2><![CDATA[x]]></k2></extendProps>",
            "<buyerNick a=\"1\">nick</buyerNick>",
            "<!-- 王 -->",
            "stray text",
            "<receiverInfo><oaid>o1</oaid></receiverInfo>",
        ] {
            inputs.push((Some("deliveryorder.create".into()), order("王伟", extra)));
        }
        let root = format!("{}/../tests/fixtures", env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = dirs.pop() {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .expect("dir")
                .map(|e| e.expect("entry").path())
                .collect();
            entries.sort();
            let folder = dir.file_name().and_then(|n| n.to_str()).map(str::to_string);
            let method = folder.filter(|f| detect::method(f).is_some());
            for path in entries {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().and_then(|e| e.to_str()) == Some("xml") {
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    inputs.push((method.clone(), text.clone()));
                    inputs.push((None, text));
                }
            }
        }
        let mut compared = 0;
        for (method, input) in &inputs {
            let spec = method.as_deref().and_then(detect::method);
            let Ok(doc) = decode_qimen(input.as_bytes(), spec, &Limits::default()) else {
                continue;
            };
            let (issues, omitted, errors, spans) = validate::issues_capped(&doc.body, 5, true);
            let (plain, plain_omitted, plain_errors, none) =
                validate::issues_capped(&doc.body, 5, false);
            assert!(none.is_none());
            assert_eq!(format!("{issues:?}"), format!("{plain:?}"), "{input}");
            assert_eq!((omitted, errors), (plain_omitted, plain_errors), "{input}");
            let hidden = spans.expect("asked for");
            assert!(!hidden.incomplete, "{input}");
            let kind = doc.body.kind();
            let walked = collect(
                Style::Xml,
                Some(kind.root()),
                kind.spec(),
                None,
                true,
                |c| doc.body.visit(c),
            );
            assert_eq!(hidden.spans, walked.hidden, "{input}");
            let mut gathered = hidden.spans;
            let mut before = privacy::qimen_personal(&doc.body).hidden;
            gathered.sort_unstable();
            before.sort_unstable();
            assert_eq!(gathered, before, "{input}");
            compared += 1;
        }
        assert!(compared > 300, "{compared} documents compared");
    }

    #[test]
    fn comments_are_found_in_one_pass() {
        let xml = "<a><!-->x<b>李</b>--><!----><c/><!-- open";
        let spans: Vec<&str> = comments(xml).iter().map(|s| &xml[s.range()]).collect();
        assert_eq!(spans, ["<!-->x<b>李</b>-->", "<!---->", "<!-- open"]);
    }

    #[test]
    fn declared_encoding_is_checked_against_the_bytes() {
        let gbk = "\u{FEFF}<?xml version=\"1.0\" encoding='GBK'?><response><flag>success</flag><message>中</message></response>";
        let issue = declared_encoding(gbk).expect("a warning");
        assert_eq!(issue.rule, "encoding");
        assert_eq!(&gbk[issue.span.range()], "encoding");
        // ASCII-only text reads the same in any of these encodings; UTF-8 declarations are right.
        assert!(declared_encoding("<?xml version=\"1.0\" encoding=\"GBK\"?><response/>").is_none());
        assert!(declared_encoding("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>中</r>").is_none());
        assert!(declared_encoding("<r>中</r>").is_none());
    }
}
