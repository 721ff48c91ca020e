//! Redaction guarantees (issue 5), checked on messages built from the field tables with a
//! synthetic personal value in every classified position of every message, written plainly,
//! as character references, as CDATA and as long Chinese text, and on the fixture corpus:
//! - the output differs from the input only inside the classified values' spans;
//! - no original value survives, neither as written nor decoded;
//! - the output decodes to the same structure and lints without new errors (under `drop`, only
//!   `required` errors of emptied personal fields);
//! - every policy is idempotent;
//! - broken input is refused, never partly redacted.

use crate::files;
use crate::front::{lint_qimen, redact_http, redact_input, redact_qimen};
use qmwire::model::qimen::{BodyKind, BODY_KINDS};
use qmwire::model::{FieldKind, FieldSpec, StructSpec};
use qmwire::options::Limits;
use qmwire::privacy::Privacy;
use qmwire::qimen::decode_qimen;
use qmwire::redact::rewrite::escape_xml;
use qmwire::redact::{Policy, RedactError, Redactor};
use qmwire::render::dump::dump;
use qmwire::Severity;
use std::path::Path;

#[derive(Clone, Copy, Debug)]
enum Style {
    Plain,
    References,
    Cdata,
    LongChinese,
}

const STYLES: [Style; 4] = [
    Style::Plain,
    Style::References,
    Style::Cdata,
    Style::LongChinese,
];

const CJK: &[char] = &[
    '甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸', '子', '丑', '寅', '卯', '辰', '巳',
    '午', '未', '申', '酉', '戌', '亥',
];

/// Builds one message of `kind` with every field present.
struct Builder {
    style: Style,
    counter: usize,
    out: String,
    /// When set, personal values are random and each is written in a random style.
    random: Option<Rng>,
}

/// A small deterministic generator (xorshift), so the property loop needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value from pieces that exercise escaping and every masking rule.
    fn value(&mut self) -> String {
        const PIECES: &[&str] = &[
            "1",
            "39",
            "0571",
            "-",
            " ",
            "(",
            "+",
            "李",
            "四",
            "省",
            "市",
            "区",
            "自治区",
            "浙江",
            "杭州",
            "路",
            "号",
            "@",
            ".",
            "a",
            "Z",
            "*",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "州",
            "\t",
            "𠀀",
            "é",
            "qmh_",
        ];
        let len = 1 + self.next() % 16;
        (0..len)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

impl Builder {
    fn cjk(&self, n: usize, len: usize) -> String {
        (0..len).map(|i| CJK[(n * 7 + i * 3) % CJK.len()]).collect()
    }

    /// A synthetic personal value, unique within the message.
    fn personal(&mut self, field: &FieldSpec, class: Privacy) -> String {
        if let Some(rng) = &mut self.random {
            self.style = STYLES[(rng.next() % 3) as usize];
            return rng.value();
        }
        self.counter += 1;
        let n = self.counter;
        let long = matches!(self.style, Style::LongChinese);
        match class {
            Privacy::Name if long => format!("欧阳{}", self.cjk(n, 30)),
            Privacy::Name => format!("李{}", self.cjk(n, 2)),
            Privacy::Phone if field.name == "tel" => format!("0571-8{:07}", 1_000_000 + n * 37),
            Privacy::Phone => format!("139{:08}", 10_000_000 + n * 7_919),
            Privacy::Address if long => format!(
                "浙江省杭州市余杭区{}测试路{n}号{}",
                self.cjk(n, 40),
                "幸福里示例小区北门右转第三栋".repeat(8)
            ),
            Privacy::Address => format!("浙江省杭州市余杭区文一西路{n}号"),
            Privacy::IdNumber => format!("330102199001{:05}X", n),
            Privacy::Email => format!("user{n}.test@example.com"),
            Privacy::Account => format!("6222{:012}", n),
            Privacy::Nick if long => format!("测试买家{}", self.cjk(n, 120)),
            Privacy::Nick => format!("测试买家{n:02}"),
            Privacy::Plate => format!("浙A{:05}", 10_000 + n),
        }
    }

    fn write_value(&mut self, value: &str) {
        match self.style {
            Style::Plain | Style::LongChinese => self.out.push_str(&escape_xml(value)),
            Style::References => {
                for c in value.chars() {
                    self.out.push_str(&format!("&#x{:X};", u32::from(c)));
                }
            }
            Style::Cdata => {
                self.out.push_str("<![CDATA[");
                self.out.push_str(value);
                self.out.push_str("]]>");
            }
        }
    }

    fn scalar(field: &FieldSpec) -> String {
        match field.kind {
            FieldKind::Integer => field.min.unwrap_or(1).max(1).to_string(),
            FieldKind::Decimal { scale, .. } if scale >= 2 => "12.50".into(),
            FieldKind::Decimal { .. } => "12".into(),
            FieldKind::DateTime => "2024-05-01 10:00:00".into(),
            FieldKind::Date => "2024-05-01".into(),
            FieldKind::Time => "10:00:00".into(),
            FieldKind::Flag => "Y".into(),
            _ => match field.enumeration {
                Some(table) => table.values[0].code.to_string(),
                None => "X1".into(),
            },
        }
    }

    fn field(&mut self, field: &FieldSpec, name: &str) {
        match field.kind {
            FieldKind::Map => {}
            FieldKind::Struct(s) => {
                self.out.push_str(&format!("<{name}>"));
                self.fields(s);
                self.out.push_str(&format!("</{name}>"));
            }
            FieldKind::List(item) => {
                self.out.push_str(&format!("<{name}>\n"));
                // Every quantity is 1, so one batch per line keeps the batches adding up to
                // their line (rule `qimen.batch-qty`); every other list gets 2 items.
                let items = if name == "batchs" { 1 } else { 2 };
                for _ in 0..items {
                    self.field(item, item.name);
                    self.out.push('\n');
                }
                self.out.push_str(&format!("</{name}>"));
            }
            _ => {
                self.out.push_str(&format!("<{name}>"));
                match field.privacy {
                    Some(class) => {
                        let v = self.personal(field, class);
                        self.write_value(&v);
                    }
                    None => self.out.push_str(&Builder::scalar(field)),
                }
                self.out.push_str(&format!("</{name}>"));
            }
        }
    }

    fn fields(&mut self, spec: &StructSpec) {
        for f in spec.fields {
            self.out.push_str("\n  ");
            self.field(f, f.name);
        }
        self.out.push('\n');
    }
}

fn holds_personal(field: &FieldSpec) -> bool {
    field.privacy.is_some()
        || match field.kind {
            FieldKind::Struct(s) => s.fields.iter().any(holds_personal),
            FieldKind::List(item) => holds_personal(item),
            _ => false,
        }
}

fn personal_kinds() -> Vec<BodyKind> {
    BODY_KINDS
        .iter()
        .copied()
        .filter(|k| k.spec().fields.iter().any(holds_personal))
        .collect()
}

fn build(kind: BodyKind, style: Style) -> String {
    build_with(kind, style, None)
}

fn build_with(kind: BodyKind, style: Style, random: Option<Rng>) -> String {
    let mut b = Builder {
        style,
        counter: 0,
        out: String::new(),
        random,
    };
    b.out
        .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- synthetic -->\n");
    b.out.push_str(&format!("<{}>", kind.root()));
    b.fields(kind.spec());
    b.out.push_str(&format!("</{}>\n", kind.root()));
    b.out
}

fn redactors() -> [Redactor; 3] {
    [
        Redactor::mask(),
        Redactor::new(Policy::Hash, Some(b"synthetic test key")).unwrap(),
        Redactor::new(Policy::Drop, None).unwrap(),
    ]
}

/// The personal values of a document as (class, path, raw text, decoded value, span).
fn values_of(input: &[u8], method: Option<&str>) -> Vec<qmwire::privacy::PersonalValue> {
    let spec = method.map(|m| qmwire::qimen::detect::method(m).unwrap());
    let doc = decode_qimen(input, spec, &Limits::default()).expect("decodes");
    qmwire::privacy::qimen_values(&doc.body)
}

/// Checks every guarantee for one input under one redactor; `what` names the case in failures
/// (never a value).
fn check(input: &str, method: Option<&str>, redactor: &Redactor, what: &str) -> usize {
    check_with(input, method, redactor, what, false)
}

/// [`check`]; `random` is for random values: the input may have errors of its own (values too
/// long, a required one blank), which the output must keep, and no more.
fn check_with(
    input: &str,
    method: Option<&str>,
    redactor: &Redactor,
    what: &str,
    random: bool,
) -> usize {
    let values = values_of(input.as_bytes(), method);
    let out =
        redact_qimen(input.as_bytes(), method, redactor).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(out.values, values.len(), "{what}");
    let output = String::from_utf8(out.output).expect("UTF-8 output");

    // Byte-identical outside the spans; each span holds only escaped text whose value is what
    // the policy makes of the original value.
    let mut at_in = 0;
    let mut at_out = 0;
    for v in &values {
        let outside = &input[at_in..v.span.start as usize];
        assert!(
            output[at_out..].starts_with(outside),
            "{what}: bytes before {} changed",
            v.path
        );
        at_out += outside.len();
        let written = &output[at_out..];
        let len = written.find('<').unwrap_or(written.len());
        let expected = redactor.apply(v.class, &v.value);
        // `assert!`, not `assert_eq!`: a failure must not print values.
        assert!(
            escape_xml(&expected) == written[..len],
            "{what}: {} not written as the policy says",
            v.path
        );
        at_out += len;
        at_in = v.span.end as usize;
    }
    assert!(output[at_out..] == input[at_in..], "{what}: tail changed");

    // No original value survives, as written or decoded (unless it was redacted already, as
    // masked receiver data sent along with an OAID is). Random values are short and may occur
    // elsewhere in the message by chance: for them, each span must just have changed.
    for v in values.iter().filter(|_| random) {
        let plain = !v.value.contains('*') && v.value.chars().any(char::is_alphanumeric);
        let redacted = redactor.apply(v.class, &v.value);
        assert!(!plain || redacted != v.value, "{what}: {} kept", v.path);
    }
    for v in values
        .iter()
        .filter(|v| !random && redactor.apply(v.class, &v.value) != v.value)
    {
        let raw = &input[v.span.range()];
        assert!(!output.contains(raw), "{what}: raw {} survives", v.path);
        assert!(
            !output.contains(v.value.trim()),
            "{what}: value of {} survives",
            v.path
        );
    }

    // Same structure, no new errors.
    let spec = method.map(|m| qmwire::qimen::detect::method(m).unwrap());
    let before = decode_qimen(input.as_bytes(), spec, &Limits::default()).unwrap();
    let after = decode_qimen(output.as_bytes(), spec, &Limits::default()).expect("output decodes");
    assert_eq!(before.body.kind(), after.body.kind(), "{what}");
    // Dumps withhold personal values, so they may be printed.
    assert_eq!(
        without_lengths(&dump(&before.body)),
        without_lengths(&dump(&after.body)),
        "{what}: structure changed"
    );
    let errors = |bytes: &[u8]| -> Vec<(String, &'static str)> {
        lint_qimen(bytes, method, &Limits::default())
            .issues
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| (i.path, i.rule))
            .collect()
    };
    let old = errors(input.as_bytes());
    assert!(
        old.is_empty() || random,
        "{what}: the input itself has errors: {old:?}"
    );
    for (path, rule) in errors(output.as_bytes()) {
        // Dropping empties personal values: a required one is then missing, and so is an
        // invoice `header`, which `invoiceFlag` Y makes required (`qimen.invoice-fields`).
        let emptied = redactor.policy() == Policy::Drop
            && (rule == "required" || rule == "qimen.invoice-fields")
            && values.iter().any(|v| v.path == path);
        let old_one = old.iter().any(|(p, r)| *p == path && *r == rule);
        assert!(emptied || old_one, "{what}: new error {rule} at {path}");
    }

    // Idempotent.
    let again = redact_qimen(output.as_bytes(), method, redactor).unwrap();
    assert!(again.output == output.as_bytes(), "{what}: not idempotent");
    values.len()
}

/// A dump with the `N chars` of withheld values removed (hash and drop change lengths).
fn without_lengths(dump: &str) -> String {
    dump.lines()
        .map(|l| match l.find(" withheld, ") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_classified_position_in_every_style_and_policy() {
    let kinds = personal_kinds();
    assert!(kinds.len() >= 6, "{kinds:?}");
    let mut classes = std::collections::BTreeSet::new();
    let mut checked = 0;
    for kind in kinds {
        let method = kind.method();
        for style in STYLES {
            let input = build(kind, style);
            for v in values_of(input.as_bytes(), method) {
                classes.insert(v.class.as_str());
            }
            for r in redactors() {
                let what = format!("{kind:?} {style:?} {}", r.policy());
                checked += check(&input, method, &r, &what);
            }
        }
    }
    // Every Qimen class is exercised (there are no `account` fields in Qimen).
    assert_eq!(
        classes.into_iter().collect::<Vec<_>>(),
        [
            "address",
            "email",
            "id-number",
            "name",
            "nick",
            "phone",
            "plate"
        ]
    );
    assert!(checked > 300, "only {checked} values checked");
}

#[test]
fn random_values_in_random_styles() {
    let kinds = personal_kinds();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut checked = 0;
    for round in 0..120 {
        let kind = kinds[round % kinds.len()];
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let input = build_with(kind, Style::Plain, Some(Rng(seed | 1)));
        for r in redactors() {
            let what = format!("round {round} {kind:?} {}", r.policy());
            checked += check_with(&input, kind.method(), &r, &what, true);
        }
    }
    assert!(checked > 1_000, "only {checked} values checked");
}

#[test]
fn the_valid_fixtures_and_examples_redact_cleanly() {
    let mut files = files::under("tests/fixtures/qimen", &["xml"]);
    files.extend(files::under("examples/qimen", &["xml"]));
    let mut total = 0;
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("ok_")
            && !file.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"))
        {
            continue;
        }
        let folder = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let method = qmwire::qimen::detect::method(&folder)
            .map(|m| m.method)
            .or_else(|| {
                qmwire::qimen::detect::method(name.trim_end_matches(".xml")).map(|m| m.method)
            });
        let input = std::fs::read_to_string(&file).unwrap();
        for r in redactors() {
            total += check(
                &input,
                method,
                &r,
                &format!("{folder}/{name} {}", r.policy()),
            );
        }
    }
    assert!(total >= 60, "only {total} values checked");
}

#[test]
fn whole_requests_keep_request_line_and_headers() {
    let body = build(BodyKind::DeliveryOrderCreateRequest, Style::References);
    let head = format!(
        "# captured\r\nPOST /router/qimen/service?method=taobao.qimen.deliveryorder.create&format=xml HTTP/1.1\r\nHost: qimen.api.taobao.com\r\nContent-Length: {}\r\nContent-Type: text/xml;charset=utf-8\r\n\r\n",
        body.len()
    );
    let input = format!("{head}{body}");
    let r = Redactor::new(Policy::Hash, Some(b"k")).unwrap();
    let out = redact_http(input.as_bytes(), None, &r).unwrap();
    let output = String::from_utf8(out.output).unwrap();
    let (out_head, out_body) = output.split_once("\r\n\r\n").unwrap();
    let expected_body = redact_qimen(body.as_bytes(), None, &r).unwrap().output;
    assert!(out_body.as_bytes() == &expected_body[..]);
    assert_ne!(expected_body.len(), body.len());
    assert_eq!(
        out_head,
        head.trim_end().replace(
            &format!("Content-Length: {}", body.len()),
            &format!("Content-Length: {}", expected_body.len())
        )
    );
    assert_eq!(out.method, Some("taobao.qimen.deliveryorder.create"));
    // Same through the automatic entry point; and the example request redacts too.
    assert!(redact_input(input.as_bytes(), None, &r).unwrap().output == output.as_bytes());
    let example = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/http/deliveryorder.create.http"),
    )
    .unwrap();
    let red = redact_input(&example, None, &Redactor::mask()).unwrap();
    assert!(red.values >= 5, "{}", red.values);
    // Masking keeps lengths in characters, not bytes: `*` is one byte where a Chinese character
    // is three, so without a Content-Length header the head stays the same.
    let cut = example
        .windows(4)
        .position(|w| w == b"\n\n<?" || w == b"\r\n\r\n")
        .unwrap();
    assert!(red.output[..cut] == example[..cut]);
}

#[test]
fn broken_input_is_refused_whole() {
    let ok = build(BodyKind::DeliveryOrderCreateRequest, Style::Plain);
    let method = Some("deliveryorder.create");
    let r = Redactor::mask();
    let truncated = &ok.as_bytes()[..ok.len() / 2];
    let mut gbk = ok.clone().into_bytes();
    let at = ok.find("李").unwrap();
    gbk[at..at + 3].copy_from_slice(&[0xC0, 0xEE, b'x']);
    let duplicated = ok.replacen(
        "<receiverInfo>",
        "<receiverInfo><name>李乙</name></receiverInfo><receiverInfo>",
        1,
    );
    let children = ok.replacen("<buyerNick>", "<buyerNick><b>x</b>", 1);
    let cases: [(&str, &[u8], Option<&str>); 6] = [
        ("truncated", truncated, method),
        ("not UTF-8", &gbk, method),
        ("repeated block", duplicated.as_bytes(), method),
        ("children in a personal field", children.as_bytes(), method),
        ("unknown method", ok.as_bytes(), Some("nosuch.method")),
        ("not a Qimen root", b"<order><name>x</name></order>", None),
    ];
    for (what, input, m) in cases {
        let e = redact_qimen(input, m, &r).expect_err(what);
        let text = e.to_string();
        assert!(!text.contains("李"), "{what}: {text}");
        assert!(
            text.starts_with("cannot redact") || text.starts_with("unknown"),
            "{what}: {text}"
        );
    }
    // A shape that fits several methods is refused without `--method`.
    let ambiguous = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>W</warehouseCode></deliveryOrder></request>";
    let e = redact_qimen(ambiguous.as_bytes(), None, &r).unwrap_err();
    assert!(matches!(e, RedactError::Decode(_)), "{e}");
    assert!(e.to_string().contains("--method"), "{e}");
    // A request that is not HTTP, or whose headers run into the body: the message does not
    // quote what it found (it could be a one-line body full of personal data).
    let e = redact_http(b"<request/>", None, &r).unwrap_err();
    assert!(matches!(e, RedactError::Http(_)), "{e}");
    let no_blank_line = format!("POST /p HTTP/1.1\nHost: x\n{}", ok.replace('\n', ""));
    let e = redact_input(no_blank_line.as_bytes(), method, &r).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("cannot redact: expected a header"),
        "{text}"
    );
    assert!(!text.contains("李") && !text.contains("request"), "{text}");
}

/// The multi-request fixture: a Qimen `order.cancel`, a wdt `trade_push` form, a Qimen request.
fn multi_fixture() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/http/multi.http"))
        .unwrap()
}

/// Percent-decodes a form body (`+` is a space); bytes that are not an escape stay as they are.
fn percent_decoded(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The bytes with every `Content-Length:` value left out (redaction may change it).
fn without_content_length(bytes: &[u8]) -> Vec<u8> {
    let lower = bytes.to_ascii_lowercase();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if lower[i..].starts_with(b"content-length:") {
            out.extend_from_slice(&bytes[i..i + 15]);
            i += 15;
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i].is_ascii_digit()) {
                i += 1;
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// An original personal value of a multi-request file: its raw span in the file, and what the
/// output must hold in its place.
struct Expected {
    input: std::ops::Range<usize>,
    written: Vec<u8>,
    /// The decoded value, when the policy changes it (else it may stay).
    decoded: Option<Vec<u8>>,
}

/// The personal values of each request of `file`, located per request without the
/// multi-request path: Qimen bodies by the decoder, wdt requests by redacting the request
/// alone.
fn expected_values(file: &[u8], r: &Redactor) -> Vec<Expected> {
    use qmwire::{wdt::request as wdt, wire::http, wire::http::split_requests};
    let mut out = Vec::new();
    for range in split_requests(file) {
        let part = &file[range.clone()];
        let req = http::parse(part).unwrap();
        if wdt::detect(&req).is_some() {
            let alone = redact_http(part, None, r).unwrap();
            for c in &alone.changes {
                let raw = &part[c.input.range()];
                let written = alone.output[c.output.range()].to_vec();
                let changed = percent_decoded(raw) != percent_decoded(&written);
                out.push(Expected {
                    input: c.input.start as usize + range.start..c.input.end as usize + range.start,
                    written,
                    decoded: changed.then(|| percent_decoded(raw)),
                });
            }
        } else {
            let method = req
                .query
                .split('&')
                .find_map(|kv| kv.strip_prefix("method="))
                .filter(|m| qmwire::qimen::detect::method(m).is_some());
            let at = range.start + req.body_offset;
            for v in values_of(req.body, method) {
                let redacted = r.apply(v.class, &v.value);
                out.push(Expected {
                    input: v.span.start as usize + at..v.span.end as usize + at,
                    written: escape_xml(&redacted).into_bytes(),
                    decoded: (redacted != v.value).then(|| v.value.trim().as_bytes().to_vec()),
                });
            }
        }
    }
    out
}

/// Checks redaction of a file of several requests under one redactor; `what` names the case
/// (never a value). Returns how many values were checked.
fn check_multi(file: &[u8], r: &Redactor, what: &str) -> usize {
    use qmwire::wire::http::{self, split_requests};
    let ranges = split_requests(file);
    assert!(ranges.len() >= 2, "{what}: not a multi-request file");
    let expected = expected_values(file, r);
    let out = redact_http(file, None, r).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        redact_input(file, None, r).unwrap().output == out.output,
        "{what}: redact_input differs"
    );
    let output = &out.output[..];
    assert_eq!(out.values, expected.len(), "{what}: values");
    assert_eq!(out.changes.len(), expected.len(), "{what}: changes");

    // Each change is an original value, in input order, and holds its replacement.
    let (mut at_in, mut at_out) = (0, 0);
    for (c, e) in out.changes.iter().zip(&expected) {
        assert_eq!(c.input.range(), e.input, "{what}: input span");
        assert!(
            output[c.output.range()] == e.written[..],
            "{what}: replacement"
        );
        // Outside the changes, only `Content-Length` values may differ.
        let (gap_in, gap_out) = (
            &file[at_in..e.input.start],
            &output[at_out..c.output.start as usize],
        );
        assert!(
            without_content_length(gap_in) == without_content_length(gap_out),
            "{what}: bytes outside the values changed"
        );
        (at_in, at_out) = (e.input.end, c.output.end as usize);
    }
    assert!(
        without_content_length(&file[at_in..]) == without_content_length(&output[at_out..]),
        "{what}: tail changed"
    );

    // Same requests, same separators and comments between them.
    let out_ranges = split_requests(output);
    assert_eq!(out_ranges.len(), ranges.len(), "{what}: requests");
    let gaps = |bytes: &[u8], rs: &[std::ops::Range<usize>]| -> Vec<Vec<u8>> {
        let mut ends = vec![0];
        for r in rs {
            ends.push(r.start);
            ends.push(r.end);
        }
        ends.push(bytes.len());
        ends.chunks(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
    };
    assert!(
        gaps(file, &ranges) == gaps(output, &out_ranges),
        "{what}: separators"
    );
    for r in &out_ranges {
        let req = http::parse(&output[r.clone()]).unwrap();
        if let Some(length) = req.header("content-length") {
            assert_eq!(length, req.body.len().to_string(), "{what}: Content-Length");
        }
    }

    // No original value survives, as written or decoded.
    let decoded_output = percent_decoded(output);
    for e in &expected {
        let Some(decoded) = &e.decoded else { continue };
        assert!(
            !contains(output, &file[e.input.clone()]),
            "{what}: raw value survives"
        );
        assert!(!contains(output, decoded), "{what}: value survives");
        assert!(
            !contains(&decoded_output, decoded),
            "{what}: decoded value survives"
        );
    }

    // Notes name their request; idempotent.
    for note in &out.notes {
        assert!(note.starts_with("request "), "{what}: {note}");
    }
    let again = redact_http(output, None, r).unwrap();
    assert!(again.output == output, "{what}: not idempotent");
    assert_eq!(again.protocol, out.protocol, "{what}");
    assert_eq!(again.method, out.method, "{what}");
    expected.len()
}

#[test]
fn a_multi_request_file_is_redacted_request_by_request() {
    let file = multi_fixture();
    // The fuzz target's invariants hold too (locality, fixed point, values in their fields).
    qmwire::fuzzing::redact(&file);
    for r in redactors() {
        let what = format!("multi.http {}", r.policy());
        let checked = check_multi(&file, &r, &what);
        assert!(checked >= 4, "{what}: only {checked} values");
        let out = redact_http(&file, None, &r).unwrap();
        // Qimen and wdt: no shared method or protocol.
        assert_eq!((out.protocol, out.method), ("mixed", None), "{what}");
        // Only the signed wdt request (request 2, line 15) had values changed.
        assert_eq!(
            out.notes,
            ["request 2 (line 15): the request's `sign` was computed over the original values and no longer matches; a redacted request is for logs, not for sending"],
            "{what}"
        );
    }
}

#[test]
fn multi_request_files_with_qimen_values_and_content_lengths() {
    let with_head = |query_method: &str, body: &str, length: bool, eol: &str| {
        let mut head = format!(
            "POST /router/qimen/service?method={query_method}&format=xml&sign=ABC HTTP/1.1{eol}Host: qimen.api.taobao.com{eol}"
        );
        if length {
            head.push_str(&format!("Content-Length: {}{eol}", body.len()));
        }
        format!("{head}Content-Type: text/xml;charset=utf-8{eol}{eol}{body}")
    };
    let delivery = build(BodyKind::DeliveryOrderCreateRequest, Style::References);
    let stockout = build(BodyKind::StockoutCreateRequest, Style::Plain);
    let multi = String::from_utf8(multi_fixture()).unwrap();
    let wdt_part = multi.split("\n###").nth(1).unwrap();
    let file = format!(
        "# captured\r\n### delivery\r\n{}### only a comment\n# nothing here\n\n###{wdt_part}\n### stockout\n{}###\n{}### end\n",
        with_head("taobao.qimen.deliveryorder.create", &delivery, true, "\r\n"),
        with_head("taobao.qimen.stockout.create", &stockout, true, "\n"),
        with_head("taobao.qimen.deliveryorder.create", &delivery, false, "\n"),
    );
    qmwire::fuzzing::redact(file.as_bytes());
    let mut total = 0;
    for r in redactors() {
        let what = format!("synthetic multi {}", r.policy());
        total += check_multi(file.as_bytes(), &r, &what);
        let out = redact_http(file.as_bytes(), None, &r).unwrap();
        assert_eq!(out.protocol, "mixed");
        // Each note names its request and the line after its `###` line.
        let line_after =
            |marker: &str| file[..file.find(marker).unwrap()].matches('\n').count() + 2;
        let expected: Vec<String> = ["### delivery", "### wdt", "### stockout", "###\nPOST"]
            .iter()
            .enumerate()
            .map(|(i, m)| format!("request {} (line {})", i + 1, line_after(m)))
            .collect();
        let named: Vec<&str> = out
            .notes
            .iter()
            .map(|n| n.split(": ").next().unwrap())
            .collect();
        assert_eq!(named, expected, "{what}");
    }
    assert!(total > 60, "only {total} values checked");
    // Requests that all call one Qimen method share it.
    let same = format!(
        "{}###\n{}",
        with_head("taobao.qimen.deliveryorder.create", &delivery, true, "\n"),
        with_head("taobao.qimen.deliveryorder.create", &delivery, false, "\n"),
    );
    let out = redact_http(same.as_bytes(), None, &Redactor::mask()).unwrap();
    assert_eq!(out.method, Some("taobao.qimen.deliveryorder.create"));
    assert_eq!(out.protocol, "qimen");
    assert_eq!(out.values, 2 * values_of(delivery.as_bytes(), None).len());
}

#[test]
fn a_broken_request_in_a_multi_request_file_fails_the_whole_file() {
    let ok = build(BodyKind::DeliveryOrderCreateRequest, Style::Plain);
    let head =
        "POST /router/qimen/service?method=taobao.qimen.deliveryorder.create HTTP/1.1\nHost: x\n\n";
    let truncated = &ok[..ok.len() / 2];
    let file =
        format!("### one\n{head}{ok}### two\n# broken\n{head}{truncated}\n### three\n{head}{ok}");
    let line = file[..file.find("### two").unwrap()].matches('\n').count() + 2;
    for r in redactors() {
        let e = redact_http(file.as_bytes(), None, &r).unwrap_err();
        let RedactError::InRequest {
            index,
            line: at,
            error,
        } = &e
        else {
            panic!("not InRequest: {e}");
        };
        assert_eq!((*index, *at), (2, line));
        assert!(matches!(**error, RedactError::Decode(_)), "{error}");
        let text = e.to_string();
        assert!(
            text.starts_with(&format!(
                "request 2 (line {line}): cannot redact: malformed XML"
            )),
            "{text}"
        );
        assert!(!text.contains("李"), "{text}");
        assert!(redact_input(file.as_bytes(), None, &r).is_err());
    }
    // A part that is no request at all.
    let file = format!("{head}{ok}###\n<request/>\n");
    let e = redact_input(file.as_bytes(), None, &Redactor::mask()).unwrap_err();
    assert!(
        matches!(&e, RedactError::InRequest { index: 2, error, .. } if matches!(**error, RedactError::Http(_))),
        "{e}"
    );
}

mod cli {
    use super::*;
    use std::io::Write;
    use std::process::{Output, Stdio};

    fn qmwire(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
        let mut child = crate::files::qmwire_command()
            .args(args)
            .envs(env.iter().copied())
            .env_remove("QMWIRE_TEST_UNSET")
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run qmwire");
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin);
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn message() -> String {
        build(BodyKind::DeliveryOrderCreateRequest, Style::Cdata)
    }

    #[test]
    fn mask_is_the_default_and_matches_the_library() {
        let input = message();
        let out = qmwire(&["redact"], &[], input.as_bytes());
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stderr.is_empty());
        let expected = redact_qimen(input.as_bytes(), None, &Redactor::mask()).unwrap();
        assert!(out.stdout == expected.output);
        let stdout = String::from_utf8(out.stdout).unwrap();
        for v in values_of(input.as_bytes(), None) {
            assert!(!stdout.contains(&v.value), "{} survives", v.path);
        }
    }

    #[test]
    fn hash_needs_a_key_from_the_environment() {
        let input = message();
        let out = qmwire(&["redact", "--policy", "hash", "-"], &[], input.as_bytes());
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("`--key-env VAR`"));
        let out = qmwire(
            &[
                "redact",
                "--policy",
                "hash",
                "--key-env",
                "QMWIRE_TEST_UNSET",
            ],
            &[],
            input.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());

        let key = "cli-test-key-5f3a";
        let out = qmwire(
            &["redact", "--policy", "hash", "--key-env", "QM_REDACT_KEY"],
            &[("QM_REDACT_KEY", key)],
            input.as_bytes(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r = Redactor::new(Policy::Hash, Some(key.as_bytes())).unwrap();
        assert!(out.stdout == redact_qimen(input.as_bytes(), None, &r).unwrap().output);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("qmh_") && !stdout.contains(key));
    }

    #[test]
    fn drop_to_a_file_with_a_method() {
        let dir = std::env::temp_dir().join(format!("qmwire-redact-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = dir.join("in.xml");
        let dst = dir.join("out.xml");
        let input = build(BodyKind::StockoutCreateRequest, Style::References);
        std::fs::write(&src, &input).unwrap();
        let out = qmwire(
            &[
                "redact",
                "--policy",
                "drop",
                "--method",
                "stockout.create",
                "-o",
                dst.to_str().unwrap(),
                src.to_str().unwrap(),
            ],
            &[],
            b"",
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        let written = std::fs::read(&dst).unwrap();
        let r = Redactor::new(Policy::Drop, None).unwrap();
        let expected = redact_qimen(input.as_bytes(), Some("stockout.create"), &r).unwrap();
        assert!(written == expected.output);
        assert!(String::from_utf8(written)
            .unwrap()
            .contains("<carNo></carNo>"));

        // Broken input: exit 2, nothing written anywhere.
        let broken = dir.join("broken.xml");
        let never = dir.join("never.xml");
        std::fs::write(&broken, &input[..input.len() - 20]).unwrap();
        let out = qmwire(
            &[
                "redact",
                "-o",
                never.to_str().unwrap(),
                broken.to_str().unwrap(),
            ],
            &[],
            b"",
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert!(!never.exists());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("cannot redact: malformed XML"), "{stderr}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn broken_stdin_gives_exit_2_and_no_output() {
        for input in [&b"<request><deliveryOrder>"[..], b"\xff\xfe<request/>", b""] {
            let out = qmwire(&["redact"], &[], input);
            assert_eq!(out.status.code(), Some(2));
            assert!(out.stdout.is_empty());
        }
    }

    #[test]
    fn lint_privacy_levels() {
        let input = message();
        let count = |out: &Output| {
            String::from_utf8_lossy(&out.stdout)
                .matches("privacy.plaintext")
                .count()
        };
        let default = qmwire(&["lint", "-"], &[], input.as_bytes());
        assert_eq!(default.status.code(), Some(0));
        // The built message has an `oaid` and plain receiver values: warnings by default.
        assert!(
            count(&default) >= 5,
            "{}",
            String::from_utf8_lossy(&default.stdout)
        );
        let forbid = qmwire(&["lint", "--privacy", "forbid", "-"], &[], input.as_bytes());
        assert_eq!(forbid.status.code(), Some(1));
        let n = values_of(input.as_bytes(), None).len();
        assert_eq!(count(&forbid), n);
        let stdout = String::from_utf8(forbid.stdout).unwrap();
        for v in values_of(input.as_bytes(), None) {
            assert!(!stdout.contains(&v.value), "{} shown", v.path);
        }
        // Redacted output is clean even under `forbid`.
        let redacted = redact_qimen(input.as_bytes(), None, &Redactor::mask()).unwrap();
        let out = qmwire(&["lint", "--privacy", "forbid", "-"], &[], &redacted.output);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(count(&out), 0);
        let explain = qmwire(&["explain", "privacy.plaintext"], &[], b"");
        assert_eq!(explain.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&explain.stdout).starts_with("privacy.plaintext (warning)"));
    }

    #[test]
    fn a_multi_request_file() {
        let file = "tests/fixtures/http/multi.http";
        let out = qmwire(&["redact", file], &[], b"");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = redact_http(&multi_fixture(), None, &Redactor::mask()).unwrap();
        assert!(out.stdout == expected.output);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("qmwire: note: {file}: request 2 (line 15): ")),
            "{stderr}"
        );

        // The second request broken: exit 2, nothing written.
        let dir = std::env::temp_dir().join(format!("qmwire-redact-multi-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let broken = dir.join("broken.http");
        let text = String::from_utf8(multi_fixture()).unwrap();
        std::fs::write(&broken, text.replacen("%5B%7B", "%5B%7", 1)).unwrap();
        let out = qmwire(&["redact", broken.to_str().unwrap()], &[], b"");
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(": request 2 (line 15): cannot redact"),
            "{stderr}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
