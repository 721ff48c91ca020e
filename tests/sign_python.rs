//! Independent-implementation check: thousands of random parameter sets signed by qmwire (the
//! library, and a sample through the `qmwire sign` binary) and by `tests/support/sign_reference.py`,
//! a Python implementation written separately from the algorithms (hashlib/hmac only). The signs
//! must agree byte for byte.
//!
//! The algorithms: TOP md5, hmac and hmac-sha256, wdt 企业版, 旗舰版, and the 旗舰版-via-Qimen
//! `wdt_sign` with its recursive JSON canonicalisation. The cases hold Chinese text, emoji,
//! `&`/`+`/`=`/`%` in values, empty values, mixed-case and `_` names, XML bodies with and
//! without a declaration, JSON bodies, and JSON-valued parameters (nesting, `null`, numbers such
//! as `1.50`, `1e3`, `-0.0`, JSON inside strings). They come from a small
//! deterministic generator, so a failure names a case that reproduces.
//!
//! Without `python3` on the PATH the test is skipped with a note, unless `CI` is set, where it
//! fails.

use qmwire::sign::{qimen, wdt, SignMethod};
use qmwire::wire::params;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Number of library cases; a fraction of them also go through the binary.
const CASES: usize = 3000;
/// Every how many cases one also goes through the CLI.
const CLI_EVERY: usize = 60;

/// SplitMix64: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A value built from awkward pieces; empty about one time in eight.
    fn value(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "7",
            " ",
            "&",
            "+",
            "=",
            "%",
            "%20",
            "?",
            "#",
            ":",
            ";",
            ",",
            "\"",
            "'",
            "{",
            "}",
            "[",
            "]",
            "<",
            ">",
            "\\",
            "/",
            "店",
            "铺",
            "张三",
            "北京市朝阳区",
            "😀",
            "👍🏽",
            "𠀀",
            "\u{FF21}",
            "é",
            "\n",
            "\t",
            "2024-05-01 10:00:00",
            "0.00",
            "-1",
        ];
        if self.below(8) == 0 {
            return String::new();
        }
        let n = 1 + self.below(12);
        (0..n).map(|_| self.pick(PIECES)).collect()
    }

    /// A parameter name: ASCII letters (both cases), `_`, digits after the first character,
    /// now and then a Chinese name.
    fn name(&mut self) -> String {
        if self.below(25) == 0 {
            return self.pick(&["备注", "店铺", "名"]).to_string();
        }
        const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
        let mut s = String::new();
        s.push(char::from(FIRST[self.below(FIRST.len())]));
        for _ in 0..self.below(12) {
            s.push(char::from(REST[self.below(REST.len())]));
        }
        s
    }

    /// Up to `max` params with distinct names (never `sign`, nor `body` which 旗舰版 reserves).
    fn params(&mut self, max: usize) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for _ in 0..self.below(max + 1) {
            let name = self.name();
            if name == "sign" || name == "body" || out.iter().any(|(k, _)| *k == name) {
                continue;
            }
            out.push((name, self.value()));
        }
        out
    }

    fn secret(&mut self) -> String {
        const CHARS: &[&str] = &["a", "Z", "0", "9", "-", "_", "!", "密", "钥"];
        let n = 1 + self.below(24);
        (0..n).map(|_| self.pick(CHARS)).collect()
    }

    fn xml_body(&mut self) -> String {
        let mut body = String::new();
        match self.below(3) {
            0 => body.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            1 => body.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            _ => {}
        }
        body.push_str("<request><deliveryOrder><deliveryOrderCode>");
        body.push_str(&self.value().replace(['<', '>', '&'], "x"));
        body.push_str("</deliveryOrderCode><receiverInfo><name>张三</name><mobile>13800000001</mobile></receiverInfo>");
        if self.below(2) == 0 {
            body.push_str("\n  <remark>备注 😀</remark>\n");
        }
        body.push_str("</deliveryOrder></request>");
        if self.below(3) == 0 {
            body.push('\n');
        }
        body
    }

    /// A JSON text with nesting, `null`s, booleans, numbers in the forms Java's `BigDecimal`
    /// rewrites (`1.50`, `1e3`, `-0.0`), escaped strings, and JSON inside strings.
    fn json(&mut self, depth: usize) -> String {
        const NUMBERS: &[&str] = &[
            "0",
            "-0",
            "42",
            "-42",
            "1.50",
            "-0.0",
            "0.001",
            "1e3",
            "1E+3",
            "1.5e2",
            "1.25e1",
            "1.5e-3",
            "-12e-1",
            "0e5",
            "120e-3",
            "12345678901234567890",
        ];
        let space = if self.below(4) == 0 { " " } else { "" };
        match self.below(if depth == 0 { 5 } else { 9 }) {
            0..=2 if depth > 0 => self.pick(&["null", "true", "false"]).to_string(),
            3 if depth > 0 => self.pick(NUMBERS).to_string(),
            4 if depth > 0 => serde_json::Value::String(self.value()).to_string(),
            5 if depth > 0 && depth < 3 => {
                // JSON inside a JSON string: expanded too.
                let inner = self.json(depth + 1);
                serde_json::Value::String(inner).to_string()
            }
            n if n % 2 == 0 || depth >= 3 => {
                let items: Vec<String> = (0..self.below(4)).map(|_| self.json(depth + 1)).collect();
                format!("[{}]", items.join(&format!(",{space}")))
            }
            _ => {
                let members: Vec<String> = (0..self.below(4))
                    .map(|_| {
                        let key = serde_json::Value::String(self.name()).to_string();
                        format!("{key}:{space}{}", self.json(depth + 1))
                    })
                    .collect();
                format!("{{{}}}", members.join(&format!(",{space}")))
            }
        }
    }

    fn json_body(&mut self) -> String {
        let v = serde_json::Value::String(self.value());
        format!("[\"shop\",[{{\"tid\":\"T1\",\"buyer_nick\":{v}}}],[]]")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Top(SignMethod),
    Wdt,
    WdtUltimate,
    /// `wdt_sign`; the case's `body` holds the Qimen method.
    WdtQimen,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Top(SignMethod::Md5) => "top-md5",
            Kind::Top(SignMethod::Hmac) => "top-hmac",
            Kind::Top(SignMethod::HmacSha256) => "top-hmac-sha256",
            Kind::Wdt => "wdt",
            Kind::WdtUltimate => "wdt-ultimate",
            Kind::WdtQimen => "wdt-qimen",
        }
    }
}

struct Case {
    kind: Kind,
    secret: String,
    body: Option<String>,
    params: Vec<(String, String)>,
}

fn generate(rng: &mut Rng) -> Case {
    let kind = match rng.below(6) {
        0 => Kind::Top(SignMethod::Md5),
        1 => Kind::Top(SignMethod::Hmac),
        2 => Kind::Top(SignMethod::HmacSha256),
        3 => Kind::Wdt,
        4 => Kind::WdtUltimate,
        _ => Kind::WdtQimen,
    };
    let mut params = rng.params(10);
    let body = match kind {
        Kind::Top(method) => {
            // The method is itself signed; declare it (usually), as a real request does.
            if rng.below(4) != 0 {
                params.retain(|(k, _)| k != "sign_method");
                params.push(("sign_method".into(), method.as_str().into()));
            }
            (rng.below(4) != 0).then(|| rng.xml_body())
        }
        Kind::Wdt => None,
        Kind::WdtUltimate => (rng.below(5) != 0).then(|| rng.json_body()),
        Kind::WdtQimen => {
            for name in ["params", "pager", "trade_list"] {
                if rng.below(2) == 0 {
                    params.retain(|(k, _)| k != name);
                    params.push((name.into(), rng.json(0)));
                }
            }
            // Parameters wdt_sign leaves out, now and then.
            for (name, value) in [
                ("app_key", "12345678"),
                ("target_app_key", "21363512"),
                ("wdt3_customer_id", "wdtapi3"),
                ("timestamp", "2024-05-01 10:00:00"),
            ] {
                if rng.below(3) == 0 && !params.iter().any(|(k, _)| k == name) {
                    params.push((name.into(), value.into()));
                }
            }
            Some(
                rng.pick(&[
                    "wdt.trade.push",
                    "3ldsmu02o9.wdt.wms.stockspec.querychangehistory",
                    "hu3cgwt0tc.wdt.trade.push",
                    " wdt.sales.rawtrade.search",
                ])
                .to_string(),
            )
        }
    };
    Case {
        kind,
        secret: rng.secret(),
        body,
        params,
    }
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn case_line(case: &Case) -> String {
    let params: Vec<String> = case
        .params
        .iter()
        .map(|(k, v)| format!("{}={}", hex(k), hex(v)))
        .collect();
    format!(
        "{}\t{}\t{}\t{}\n",
        case.kind.as_str(),
        hex(&case.secret),
        case.body.as_deref().map_or("-".to_string(), hex),
        params.join(",")
    )
}

/// The sign qmwire's library computes.
fn library_sign(case: &Case) -> String {
    let body = case.body.as_deref();
    match case.kind {
        Kind::Top(method) => qimen::sign(
            &case.params,
            body.map(str::as_bytes),
            case.secret.as_bytes(),
            method,
        ),
        Kind::Wdt => wdt::sign(&case.params, case.secret.as_bytes()),
        Kind::WdtUltimate => wdt::sign_ultimate(&case.params, body, case.secret.as_bytes()),
        Kind::WdtQimen => wdt::sign_qimen_custom(
            &case.params,
            body.unwrap_or_default(),
            case.secret.as_bytes(),
        )
        .expect("generated JSON is shallow and its numbers short"),
    }
}

fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sign_python");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sign the `qmwire sign` binary prints; the query or form is form-encoded, the body and
/// the secret go through files.
fn cli_sign(case: &Case, index: usize) -> String {
    let dir = scratch_dir();
    let secret_file = dir.join(format!("secret-{index}"));
    let secret = match case.kind {
        // The 旗舰版 CLI takes the whole appsecret `secret:salt`.
        Kind::WdtUltimate => format!("{}:salt", case.secret),
        _ => case.secret.clone(),
    };
    std::fs::write(&secret_file, secret).unwrap();
    let encoded = params::encode(&case.params);
    let mut args: Vec<String> = vec!["sign".into()];
    match case.kind {
        Kind::Top(method) => {
            args.extend(["qimen".into(), "--query".into(), encoded]);
            args.extend(["--sign-method".into(), method.as_str().into()]);
        }
        Kind::Wdt => args.extend(["wdt".into(), "--form".into(), encoded]),
        Kind::WdtUltimate => args.extend(["wdt-ultimate".into(), "--query".into(), encoded]),
        Kind::WdtQimen => {
            let method = case.body.clone().unwrap_or_default();
            args.extend(["wdt-qimen".into(), "--form".into(), encoded]);
            args.extend(["--method".into(), method]);
        }
    }
    if let (Some(body), false) = (&case.body, case.kind == Kind::WdtQimen) {
        let body_file = dir.join(format!("body-{index}"));
        std::fs::write(&body_file, body).unwrap();
        args.extend(["--body".into(), body_file.to_string_lossy().into_owned()]);
    }
    args.extend([
        "--secret-file".into(),
        secret_file.to_string_lossy().into_owned(),
    ]);
    let out = crate::files::qmwire_command()
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .expect("run qmwire");
    assert!(
        out.status.success(),
        "case {index}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end_matches('\n')
        .to_string()
}

/// Whether `python3` runs; skips (or, under CI, fails) when it does not.
fn python_available() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is required for the independent-implementation check under CI"
        );
        eprintln!("note: python3 not found; skipping the independent-implementation sign check");
    }
    ok
}

#[test]
fn signs_agree_with_an_independent_python_implementation() {
    if !python_available() {
        return;
    }
    let mut rng = Rng(0x5157_1a11_0000_0004);
    let cases: Vec<Case> = (0..CASES).map(|_| generate(&mut rng)).collect();
    let input = scratch_dir().join("cases.tsv");
    std::fs::write(&input, cases.iter().map(case_line).collect::<String>()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/support/sign_reference.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&input)
        .stdin(Stdio::null())
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = String::from_utf8(out.stdout).unwrap();
    let reference: Vec<&str> = reference.lines().collect();
    assert_eq!(reference.len(), cases.len());

    let mut kinds = [0usize; 6];
    let mut with_empty = 0;
    for (i, (case, expected)) in cases.iter().zip(&reference).enumerate() {
        let got = library_sign(case);
        assert_eq!(
            got,
            *expected,
            "case {i} ({}): library and reference differ; line: {}",
            case.kind.as_str(),
            case_line(case).trim_end()
        );
        // The query/form round trip the CLI relies on.
        let encoded = params::encode(&case.params);
        let decoded = params::parse(&encoded).unwrap();
        assert_eq!(decoded.len(), case.params.len(), "case {i}");
        if i % CLI_EVERY == 0 {
            assert_eq!(cli_sign(case, i), *expected, "case {i}: the CLI differs");
        }
        kinds[match case.kind {
            Kind::Top(SignMethod::Md5) => 0,
            Kind::Top(SignMethod::Hmac) => 1,
            Kind::Top(SignMethod::HmacSha256) => 2,
            Kind::Wdt => 3,
            Kind::WdtUltimate => 4,
            Kind::WdtQimen => 5,
        }] += 1;
        with_empty += usize::from(case.params.iter().any(|(_, v)| v.is_empty()));
    }
    // The generator really covers every algorithm and the awkward cases.
    assert!(kinds.iter().all(|&n| n > CASES / 10), "{kinds:?}");
    assert!(with_empty > CASES / 5, "{with_empty}");
    let all_text: String = cases
        .iter()
        .flat_map(|c| c.params.iter().map(|(_, v)| v.as_str()))
        .collect();
    for needle in ["&", "+", "=", "😀", "张三"] {
        assert!(all_text.contains(needle), "{needle}");
    }
    let bodies: Vec<&str> = cases.iter().filter_map(|c| c.body.as_deref()).collect();
    assert!(bodies.iter().any(|b| b.starts_with("<?xml")));
    assert!(bodies.iter().any(|b| b.starts_with("<request>")));
}
