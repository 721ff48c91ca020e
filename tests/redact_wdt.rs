//! Redaction of wdt JSON, wdt form bodies and whole wdt requests (issue 5), checked on every
//! wdt fixture that decodes and on synthetic messages written with JSON escapes (`\u5F20`,
//! `\/`), percent-encoded JSON, `+` for spaces, lowercase hex and bare numbers for phones.
//! For each message and policy:
//! - the personal values are located independently of the redactor (the wdt decoder and
//!   [`FormJson`]'s own byte map) and the redactor rewrote exactly those spans;
//! - every byte outside them is identical;
//! - no original value survives, neither decoded, nor as written (escaped, percent-encoded),
//!   beyond the copies that stand outside every personal field in the input;
//! - the output decodes to the same structure, and lints without new errors except the
//!   `required` errors `drop` must cause on emptied required fields;
//! - redacting again changes nothing.

use crate::files;
use crate::front::{lint_wdt, lint_wdt_form, wdt_personal as personal_fields};
use crate::front::{redact_http, redact_input, redact_wdt_form, redact_wdt_json};
use qmwire::model::wdt::{method, WDT_BODY_KINDS};
use qmwire::model::{FieldKind, StructSpec};
use qmwire::options::Limits;
use qmwire::privacy::Privacy;
use qmwire::redact::hash::is_token;
use qmwire::redact::rewrite::{encode_form, escape_json};
use qmwire::redact::{Policy, RedactError, Redacted, Redactor};
use qmwire::render::dump::dump_wdt;
use qmwire::wdt::decode_wdt;
use qmwire::wdt::form::FormJson;
use qmwire::wire::span::Span;
use qmwire::Severity;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Json,
    Form,
    Http,
}

fn redactors() -> [Redactor; 3] {
    [
        Redactor::mask(),
        Redactor::new(Policy::Hash, Some(b"synthetic wdt key")).unwrap(),
        Redactor::new(Policy::Drop, None).unwrap(),
    ]
}

/// One personal value located without the redactor.
#[derive(Debug)]
struct Value {
    class: Privacy,
    /// The raw bytes in the message.
    span: Span,
    /// The decoded value.
    value: String,
}

/// The business JSON of a message and how its bytes map back into the message.
struct Business {
    json: String,
    /// Offset of the form in the message, and the form's map (`None` for bare JSON).
    form: Option<(usize, FormJson)>,
}

impl Business {
    fn of(message: &str, format: Format, api: &str) -> Business {
        let root = method(api).unwrap().request.spec();
        let form_at = match format {
            Format::Json => {
                return Business {
                    json: message.to_string(),
                    form: None,
                }
            }
            Format::Form => 0,
            Format::Http => body_at(message),
        };
        let text = message[form_at..].trim_end();
        let form = FormJson::from_form(text, Some(root)).expect("the form decodes");
        Business {
            json: form.json.clone(),
            form: Some((form_at, form)),
        }
    }

    fn to_message(&self, span: Span) -> Span {
        match &self.form {
            None => span,
            Some((at, form)) => {
                let s = form.original_span(span);
                Span::new(s.start as usize + at, s.end as usize + at)
            }
        }
    }

    /// The non-blank string and number values of classified fields, in document order.
    fn values(&self, api: &str) -> Vec<Value> {
        let doc = decode_wdt(self.json.as_bytes(), method(api), &Limits::default())
            .expect("the business JSON decodes");
        let mut out = Vec::new();
        for (class, span) in personal_fields(&doc.body) {
            let raw = &self.json[span.range()];
            let quoted = span.start > 0 && self.json.as_bytes()[span.start as usize - 1] == b'"';
            let value = if quoted {
                serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap()
            } else if raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
                raw.to_string()
            } else {
                continue; // null, true, false, an object or an array
            };
            if value.trim().is_empty() {
                continue;
            }
            out.push(Value {
                class,
                span: self.to_message(span),
                value,
            });
        }
        out.sort_by_key(|v| v.span.start);
        out
    }

    /// `dump_wdt` of the business JSON, without the lengths of withheld values.
    fn structure(&self, api: &str) -> String {
        let doc = decode_wdt(self.json.as_bytes(), method(api), &Limits::default()).unwrap();
        dump_wdt(&doc.body)
            .lines()
            .map(|l| l.split(" withheld, ").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Where the body of a request starts.
fn body_at(message: &str) -> usize {
    message
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| message.find("\n\n").map(|i| i + 2))
        .unwrap()
}

/// Every field name that is classified in some wdt spec.
fn personal_names() -> Vec<&'static str> {
    fn walk(spec: &StructSpec, out: &mut Vec<&'static str>, depth: usize) {
        for f in spec.fields {
            if f.privacy.is_some() {
                out.push(f.name);
            }
            let inner = match f.kind {
                FieldKind::Struct(s) => Some(s),
                FieldKind::List(item) => match item.kind {
                    FieldKind::Struct(s) => Some(s),
                    _ => None,
                },
                _ => None,
            };
            if let (Some(s), true) = (inner, depth < 8) {
                walk(s, out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    for k in WDT_BODY_KINDS {
        walk(k.spec(), &mut out, 0);
    }
    out
}

/// Error issues as (path, rule).
fn errors(message: &str, format: Format, api: &str) -> Vec<(String, &'static str)> {
    let report = match format {
        Format::Json => lint_wdt(message.as_bytes(), Some(api), &Limits::default()),
        Format::Form => lint_wdt_form(message.as_bytes(), Some(api), &Limits::default()),
        Format::Http => {
            let at = body_at(message);
            let mut r = lint_wdt_form(&message.as_bytes()[at..], Some(api), &Limits::default());
            let http = qmwire::Options::new().with_shape(qmwire::Shape::Http);
            let whole = qmwire::lint(message.as_bytes(), &http);
            r.issues.extend(whole.issues);
            r
        }
    };
    report
        .issues
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.path, i.rule))
        .collect()
}

fn count(haystack: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return 0;
    }
    haystack.match_indices(needle).count()
}

/// The ways `value` can be written in a message of `format` (for the survival search).
fn written_forms(value: &str, raw: &str, format: Format) -> Vec<String> {
    let v = value.trim().to_string();
    let mut forms = vec![v.clone(), raw.to_string(), escape_json(&v)];
    let unicode: String = v.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    forms.push(unicode.clone());
    forms.push(unicode.to_uppercase().replace("\\U", "\\u"));
    if format != Format::Json {
        forms.push(encode_form(&v));
        forms.push(encode_form(&escape_json(&v)));
        forms.push(encode_form(&v).to_lowercase());
    }
    forms.retain(|f| f.chars().count() >= 2);
    forms.sort();
    forms.dedup();
    forms
}

/// Checks every guarantee for one message under one redactor; returns the number of values.
/// `what` names the case in failures (never a value).
fn check(message: &str, format: Format, api: &str, r: &Redactor, what: &str) -> usize {
    let before = Business::of(message, format, api);
    let values = before.values(api);
    let out: Redacted = match format {
        Format::Json => redact_wdt_json(message.as_bytes(), Some(api), r),
        Format::Form => redact_wdt_form(message.as_bytes(), Some(api), r),
        Format::Http => redact_http(message.as_bytes(), None, r),
    }
    .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(out.protocol, "wdt", "{what}");
    assert_eq!(out.method, Some(method(api).unwrap().method), "{what}");
    assert_eq!(out.values, values.len(), "{what}: value count");
    let spans: Vec<Span> = values.iter().map(|v| v.span).collect();
    let changed: Vec<Span> = out.changes.iter().map(|c| c.input).collect();
    assert_eq!(changed, spans, "{what}: the redactor rewrote other spans");
    let output = String::from_utf8(out.output.clone()).expect("UTF-8 output");

    // Byte-identical outside the spans (no Content-Length in these messages).
    let mut gaps_in = Vec::new();
    let (mut at_in, mut at_out) = (0, 0);
    for c in &out.changes {
        gaps_in.push(&message[at_in..c.input.start as usize]);
        assert!(
            message[at_in..c.input.start as usize] == output[at_out..c.output.start as usize],
            "{what}: bytes between values changed"
        );
        at_in = c.input.end as usize;
        at_out = c.output.end as usize;
    }
    gaps_in.push(&message[at_in..]);
    assert!(message[at_in..] == output[at_out..], "{what}: tail changed");

    // Each field holds the policy's value; no original value survives, in any written form,
    // beyond the copies outside every personal field.
    let after = Business::of(&output, format, api);
    let new_values = after.values(api);
    if r.policy() == Policy::Drop {
        assert!(new_values.is_empty(), "{what}: drop left values");
    } else {
        assert_eq!(new_values.len(), values.len(), "{what}");
        for (old, new) in values.iter().zip(&new_values) {
            let full = r.apply(old.class, &old.value);
            // `hash` shortens tokens for short fields (receiver_zip).
            let fits = new.value == full
                || (r.policy() == Policy::Hash
                    && is_token(&new.value)
                    && full.starts_with(&new.value));
            assert!(
                fits,
                "{what}: a {} is not what the policy says",
                old.class.as_str()
            );
        }
    }
    for v in values
        .iter()
        .filter(|v| r.apply(v.class, &v.value) != v.value)
    {
        let raw = &message[v.span.range()];
        for form in written_forms(&v.value, raw, format) {
            let outside: usize = gaps_in.iter().map(|g| count(g, &form)).sum();
            assert!(
                count(&output, &form) <= outside,
                "{what}: a {} value survives",
                v.class.as_str()
            );
        }
    }

    // Same structure; no new errors but `required` on emptied fields under drop.
    assert_eq!(
        before.structure(api),
        after.structure(api),
        "{what}: structure changed"
    );
    let old = errors(message, format, api);
    let names = personal_names();
    for (path, rule) in errors(&output, format, api) {
        let field = path.rsplit('/').next().unwrap_or_default();
        let emptied = r.policy() == Policy::Drop && rule == "required" && names.contains(&field);
        let old_one = old.iter().any(|(p, ru)| *p == path && *ru == rule);
        assert!(emptied || old_one, "{what}: new error {rule} at {path}");
    }

    // Idempotent, also through the automatic entry point.
    let again = redact_input(output.as_bytes(), Some(api), r).unwrap();
    assert!(again.output == output.as_bytes(), "{what}: not idempotent");
    values.len()
}

#[test]
fn every_wdt_fixture_that_decodes_under_every_policy() {
    let (mut checked, mut messages) = (0, 0);
    for path in files::under("tests/fixtures/wdt", &["json", "form"]) {
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let api = if folder == "seed002" {
            "trade_push"
        } else {
            method(&folder).unwrap().method
        };
        let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path).unwrap();
        let format = if name.ends_with(".form") {
            Format::Form
        } else {
            Format::Json
        };
        let decodes = match format {
            Format::Json => decode_wdt(text.as_bytes(), method(api), &Limits::default()).is_ok(),
            _ => FormJson::from_form(text.trim_end(), Some(method(api).unwrap().request.spec()))
                .is_ok_and(|f| {
                    decode_wdt(f.json.as_bytes(), method(api), &Limits::default()).is_ok()
                }),
        };
        if !decodes {
            // Broken input is refused whole.
            let e = match format {
                Format::Json => redact_wdt_json(text.as_bytes(), Some(api), &Redactor::mask()),
                _ => redact_wdt_form(text.as_bytes(), Some(api), &Redactor::mask()),
            };
            assert!(e.is_err(), "{name}: broken input was redacted");
            continue;
        }
        messages += 1;
        for r in redactors() {
            checked += check(&text, format, api, &r, &format!("{name} {}", r.policy()));
        }
    }
    for path in files::under("tests/fixtures/http", &["http"]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("wdt_") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if redact_http(text.as_bytes(), None, &Redactor::mask()).is_err() {
            continue;
        }
        messages += 1;
        for r in redactors() {
            checked += check(
                &text,
                Format::Http,
                "trade_push",
                &r,
                &format!("{name} {}", r.policy()),
            );
        }
    }
    assert!(messages >= 30, "only {messages} messages");
    assert!(checked >= 300, "only {checked} values checked");
}

/// A trade whose personal values are written every way JSON allows.
fn escaped_trade() -> String {
    let u = |s: &str| -> String { s.chars().map(|c| format!("\\u{:04X}", c as u32)).collect() };
    format!(
        r#"{{"shop_no":"api\/test","switch":0,"trade_list":[{{"tid":"T1","trade_status":30,"pay_status":2,"delivery_term":1,"trade_time":"2024-05-01 10:00:00","buyer_nick":"{nick}","buyer_email":"zhao\u0040example.com","receiver_name":"{name}","receiver_address":"浙江省杭州市{addr}","receiver_mobile":13912345678,"receiver_telno":"0571\/88880001","receiver_zip":310012,"id_card":"33010219900101123X","pay_account":"6222000000001234","invoice_title":"\"赵\\钱\"","buyer_message":"路 \/ 号 \u0026","post_amount":0,"paid":10,"order_list":[{{"oid":"O1","num":1,"price":10,"status":30,"refund_status":0,"goods_id":"G1","goods_no":"G1","adjust_amount":0,"discount":0,"share_discount":0}}]}}]}}"#,
        nick = u("赵六买家"),
        name = u("赵六"),
        addr = u("西湖区文一路1号"),
    )
}

#[test]
fn json_escapes_and_numbers() {
    let json = escaped_trade();
    for r in redactors() {
        let n = check(
            &json,
            Format::Json,
            "trade_push",
            &r,
            &format!("escaped {}", r.policy()),
        );
        assert_eq!(n, 10);
    }
    let out = redact_wdt_json(json.as_bytes(), None, &Redactor::mask()).unwrap();
    let out = String::from_utf8(out.output).unwrap();
    // Numbers became strings, escapes outside personal values stayed.
    assert!(
        out.contains(r#""receiver_mobile":"139****5678""#),
        "{}",
        out.len()
    );
    assert!(out.contains(r#""receiver_zip":"******""#));
    assert!(out.contains(r#""receiver_name":"赵*""#));
    assert!(
        out.contains(r#""shop_no":"api\/test""#)
            && out.contains(r#""buyer_message":"路 \/ 号 \u0026""#)
    );
    assert!(out.contains(r#""buyer_email":"z***@example.com""#));
    // A quote and a backslash in a value are escaped again.
    assert!(out.contains(r#""invoice_title":"\"****""#), "invoice title");
    // hash fits `receiver_zip` (20 characters) and the output lints clean.
    let r = Redactor::new(Policy::Hash, Some(b"k")).unwrap();
    let hashed = redact_wdt_json(json.as_bytes(), None, &r).unwrap().output;
    let report = lint_wdt(&hashed, Some("trade_push"), &Limits::default());
    assert!(
        report.issues.iter().all(|i| i.rule != "max-length"),
        "{:?}",
        report.issues
    );
}

/// The escaped trade as a form body: percent-encoded JSON, spaces as `+`, some hex in
/// lowercase and some characters left unencoded, as real clients write them.
fn escaped_form(trade_json: &str) -> String {
    let list = trade_json
        .split_once(r#""trade_list":"#)
        .unwrap()
        .1
        .strip_suffix('}')
        .unwrap();
    let mut encoded = String::new();
    for (i, b) in list.bytes().enumerate() {
        match b {
            b' ' => encoded.push('+'),
            b':' | b',' => encoded.push(b as char),
            b if b.is_ascii_alphanumeric() => encoded.push(b as char),
            b if i % 2 == 0 => encoded.push_str(&format!("%{b:02x}")),
            b => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    format!(
        "sid=s1&appkey=k1&timestamp=1714528860&shop_no=api_test&switch=0&trade_list={encoded}&sign=0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
    )
}

#[test]
fn percent_encoded_json_in_forms_and_requests() {
    let form = escaped_form(&escaped_trade());
    for r in redactors() {
        let n = check(
            &form,
            Format::Form,
            "trade_push",
            &r,
            &format!("form {}", r.policy()),
        );
        assert_eq!(n, 10);
    }
    let out = redact_wdt_form(form.as_bytes(), None, &Redactor::mask()).unwrap();
    assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
    assert!(out.notes[0].contains("`sign`"), "{}", out.notes[0]);
    // The decoded parameter is JSON again, with the masked values.
    let text = String::from_utf8(out.output).unwrap();
    let params = qmwire::wire::params::parse(text.trim_end()).unwrap();
    let list = &params.iter().find(|(k, _)| k == "trade_list").unwrap().1;
    let v: serde_json::Value = serde_json::from_str(list).unwrap();
    assert_eq!(v[0]["receiver_mobile"], "139****5678");
    assert_eq!(v[0]["receiver_name"], "赵*");

    // The same form in a request with a Content-Length: the header follows the body.
    let body = form.trim_end();
    let head = format!(
        "POST /openapi2/trade_push.php HTTP/1.1\r\nHost: sandbox.wangdian.cn\r\nContent-Length: {}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\r\n",
        body.len()
    );
    let request = format!("{head}{body}");
    let r = Redactor::new(Policy::Hash, Some(b"k")).unwrap();
    let out = redact_http(request.as_bytes(), None, &r).unwrap();
    let text = String::from_utf8(out.output.clone()).unwrap();
    let (out_head, out_body) = text.split_once("\r\n\r\n").unwrap();
    assert_ne!(out_body.len(), body.len());
    assert_eq!(
        out_head,
        head.trim_end().replace(
            &format!("Content-Length: {}", body.len()),
            &format!("Content-Length: {}", out_body.len())
        )
    );
    let direct = redact_wdt_form(body.as_bytes(), Some("trade_push"), &r).unwrap();
    assert!(direct.output == out_body.as_bytes());
    assert_eq!(out.notes.len(), 1);
    // Change positions are in the whole request.
    for c in &out.changes {
        assert!(c.input.start as usize >= head.len() && c.output.start as usize >= out_head.len());
    }
}

#[test]
fn qimen_custom_calls_and_business_params_in_the_query() {
    let form = escaped_form(&escaped_trade());
    let body = form
        .trim_end()
        .replace("sid=s1&appkey=k1&timestamp=1714528860&", "sid=s1&");
    let (first, rest) = body.split_once("&trade_list=").unwrap();
    let (list, _) = rest.split_once("&sign=").unwrap();
    // The trade list in the query, the rest in the body.
    let request = format!(
        "POST /router/qm?method=hu3cgwt0tc.wdt.trade.push&app_key=1&target_app_key=2&format=json&sign_method=md5&timestamp=2024-05-01+10%3A01%3A00&v=2.0&sign=7E16A812F932867ACCE43C233A93BE08&trade_list={list} HTTP/1.1\nContent-Type: application/x-www-form-urlencoded;charset=UTF-8\n\n{first}\n"
    );
    let out = redact_http(request.as_bytes(), None, &Redactor::mask()).unwrap();
    assert_eq!((out.values, out.method), (10, Some("trade_push")));
    assert_eq!(out.notes.len(), 1);
    let text = String::from_utf8(out.output).unwrap();
    assert!(text.ends_with(&format!("\n\n{first}\n")));
    assert!(!text.contains("13912345678") && text.contains("139****5678"));
    // Without personal values there is nothing to note.
    let plain = "POST /openapi2/trade_push.php HTTP/1.1\n\nsid=s&appkey=k&timestamp=1&shop_no=x&trade_list=%5B%5D&sign=0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let out = redact_http(plain.as_bytes(), None, &Redactor::mask()).unwrap();
    assert!(out.output == plain.as_bytes() && out.notes.is_empty() && out.values == 0);
}

#[test]
fn unsafe_or_broken_wdt_input_is_refused_whole() {
    let json = escaped_trade();
    let r = Redactor::mask();
    let duplicated = json.replacen(
        r#""receiver_name":"#,
        r#""receiver_name":"x","receiver_name":"#,
        1,
    );
    let object = json.replacen(
        r#""receiver_mobile":13912345678"#,
        r#""receiver_mobile":{"n":"13912345678"}"#,
        1,
    );
    let broken = &json[..json.len() - 3];
    let number = json.replacen("13912345678", "13912345678e", 1);
    let cases: [(&str, &[u8], Option<&str>); 6] = [
        (
            "repeated personal key",
            duplicated.as_bytes(),
            Some("trade_push"),
        ),
        (
            "object in a personal field",
            object.as_bytes(),
            Some("trade_push"),
        ),
        ("truncated", broken.as_bytes(), Some("trade_push")),
        ("malformed number", number.as_bytes(), Some("trade_push")),
        ("unknown API", json.as_bytes(), Some("no_such_api")),
        ("not UTF-8", b"[{\"receiver_name\":\"\xff\"}]", None),
    ];
    for (what, input, m) in cases {
        let e = redact_wdt_json(input, m, &r).expect_err(what);
        let text = e.to_string();
        assert!(
            !text.contains("1391234") && !text.contains('赵'),
            "{what}: {text}"
        );
        assert!(
            text.starts_with("cannot redact") || text.starts_with("unknown"),
            "{what}: {text}"
        );
    }
    let e = redact_wdt_json(duplicated.as_bytes(), None, &r).unwrap_err();
    assert!(
        matches!(&e, RedactError::Unsafe { path, .. } if path == "/trade_list/0/receiver_name"),
        "{e}"
    );
    let form = escaped_form(&escaped_trade());
    for bad in [form.replacen("%", "%Z", 1), format!("{form}&shop_no=again")] {
        let e = redact_wdt_form(bad.as_bytes(), None, &r).unwrap_err();
        assert!(matches!(e, RedactError::Form(_)), "{e}");
    }
    let inner = escaped_form(&json.replacen("\"T1\"", "\"T1\",", 1));
    let e = redact_wdt_form(inner.as_bytes(), Some("trade_push"), &r).unwrap_err();
    assert!(matches!(e, RedactError::Decode(_)), "{e}");
}

#[test]
fn redact_input_tells_the_formats_apart() {
    let json = escaped_trade();
    let form = escaped_form(&json);
    let r = Redactor::mask();
    let auto = redact_input(json.as_bytes(), None, &r).unwrap();
    assert_eq!((auto.protocol, auto.values), ("wdt", 10));
    assert!(auto.output == redact_wdt_json(json.as_bytes(), None, &r).unwrap().output);
    let auto = redact_input(form.as_bytes(), None, &r).unwrap();
    assert_eq!((auto.protocol, auto.values), ("wdt", 10));
    let xml = "<request><deliveryOrder><buyerNick>测试买家01</buyerNick></deliveryOrder></request>";
    let auto = redact_input(xml.as_bytes(), Some("deliveryorder.create"), &r).unwrap();
    assert_eq!(auto.protocol, "qimen");
}

mod cli {
    use super::*;
    use std::process::Output;

    fn qmwire(args: &[&str]) -> Output {
        crate::files::qmwire_command()
            .args(args)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .output()
            .expect("run qmwire")
    }

    #[test]
    fn json_form_and_http_files() {
        let dir = std::env::temp_dir().join(format!("qmwire-redact-wdt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let json = escaped_trade();
        let form = escaped_form(&json);
        let files = [
            ("t.json", json.clone()),
            ("t.form", form.clone()),
            (
                "t.http",
                format!("POST /openapi2/trade_push.php HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\n{form}"),
            ),
        ];
        for (name, text) in &files {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            let out = qmwire(&["redact", path.to_str().unwrap()]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stdout = String::from_utf8(out.stdout).unwrap();
            let expected = redact_input(text.as_bytes(), None, &Redactor::mask()).unwrap();
            assert!(stdout.as_bytes() == expected.output, "{name}");
            assert!(
                !stdout.contains("13912345678") && !stdout.contains(r"\u8D75\u516D"),
                "{name}"
            );
            let stderr = String::from_utf8(out.stderr).unwrap();
            let noted = stderr.contains("note:") && stderr.contains("`sign`");
            assert_eq!(noted, *name != "t.json", "{name}: {stderr}");
            // Broken: exit 2, no output.
            let broken = dir.join(format!("broken-{name}"));
            std::fs::write(&broken, &text[..text.len() / 2]).unwrap();
            let out = qmwire(&["redact", broken.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(2), "{name}");
            assert!(out.stdout.is_empty(), "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn signed_qimen_requests_get_the_note_too() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions/redact/qimen-signed-request-content-length.http");
    let input = std::fs::read(path).unwrap();
    let out = redact_input(&input, None, &Redactor::mask()).unwrap();
    assert_eq!((out.protocol, out.values), ("qimen", 3));
    assert_eq!(out.notes.len(), 1);
    assert!(out.notes[0].contains("`sign`"), "{}", out.notes[0]);
    // Change positions are in the whole request, after the rewritten Content-Length.
    let text = String::from_utf8(out.output).unwrap();
    let mobile = out
        .changes
        .iter()
        .find(|c| c.class == Privacy::Phone)
        .unwrap();
    assert_eq!(&text[mobile.output.range()], "139****5678");
    // Without a `sign` in the query there is nothing to note.
    let unsigned = String::from_utf8(input).unwrap().replace("&sign=ABC", "");
    let out = redact_input(unsigned.as_bytes(), None, &Redactor::mask()).unwrap();
    assert!(out.notes.is_empty());
}
