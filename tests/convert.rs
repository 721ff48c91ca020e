//! `qmwire convert` as a user runs it: API names both ways, whole requests converted and
//! re-signed (TV-QM-CUSTOM-1 byte for byte), replies mapped both ways, and exit codes 0/1/2.

use qmwire::sign::{qimen, wdt, SignMethod};
use qmwire::wire::params;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

const SECRET_VAR: &str = "QMWIRE_TEST_CONVERT_SECRET";
const TRADE_PUSH: &str = "tests/fixtures/convert/trade_push.http";
const REFUND_QUERY: &str = "tests/fixtures/convert/refund_query_qimen.http";

fn qmwire(args: &[&str], secret: Option<&str>, stdin: Option<&[u8]>) -> Output {
    let mut cmd = crate::files::qmwire_command();
    cmd.args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove(SECRET_VAR)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(secret) = secret {
        cmd.env(SECRET_VAR, secret);
    }
    let mut child = cmd.spawn().expect("run qmwire");
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        let _ = input.write_all(bytes);
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> &str {
    std::str::from_utf8(&out.stderr).unwrap()
}

type Pairs = Vec<(String, String)>;

/// (query pairs, form pairs) of an HTTP request printed by `qmwire convert request`.
fn request_params(http: &str) -> (Pairs, Pairs) {
    let req = qmwire::wire::http::parse(http.trim_end().as_bytes()).unwrap();
    let owned = |text: &str| -> Pairs {
        params::parse(text)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    (
        owned(req.query),
        owned(std::str::from_utf8(req.body).unwrap()),
    )
}

fn to_qimen_args(input: &str) -> Vec<&str> {
    vec![
        "convert",
        "request",
        "--to",
        "qimen-custom",
        "--app-key",
        "12345678",
        "--target-app-key",
        "87654321",
        input,
    ]
}

#[test]
fn standard_request_to_qimen_custom_reproduces_tv_qm_custom_1() {
    let mut args = to_qimen_args(TRADE_PUSH);
    args.extend(["--secret-env", SECRET_VAR]);
    let out = qmwire(&args, Some("helloworld"), None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("POST /router/qm?method=wdt.trade.push&app_key=12345678&target_app_key=87654321&format=json&v=2.0&sign_method=md5&timestamp=2019-12-06+10%3A37%3A00&sign=E17DA04BB04802018C03DB6A20CC7B75 HTTP/1.1\nHost: hu3cgwt0tc.api.taobao.com\n"),
        "{text}"
    );
    let (query, form) = request_params(text);
    assert_eq!(query.last().unwrap().1, "E17DA04BB04802018C03DB6A20CC7B75");
    assert_eq!(
        form,
        [
            ("sid", "wdt2"),
            ("shop_no", "api_test"),
            ("switch", "0"),
            ("trade_list", r#"[{"tid":"T1","buyer_nick":"张三"}]"#)
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(
        stderr(&out),
        "qmwire: note: the wdt `appkey` is not sent: Qimen identifies the caller by `app_key`\n"
    );
    assert!(!text.contains("helloworld") && !stderr(&out).contains("helloworld"));
}

#[test]
fn round_trip_through_both_commands_keeps_business_parameters() {
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(REFUND_QUERY),
    )
    .unwrap();
    // The `#` comment line in front is skipped like in any `.http` file.
    let (_, original_form) = request_params(&original);
    assert_eq!(original_form.len(), 6);
    let standard = qmwire(
        &[
            "convert",
            "request",
            "--to",
            "standard",
            "--secret-env",
            SECRET_VAR,
            REFUND_QUERY,
        ],
        Some("12345"),
        None,
    );
    assert_eq!(standard.status.code(), Some(0), "{}", stderr(&standard));
    let text = stdout(&standard);
    assert!(
        text.starts_with("POST /openapi2/refund_query.php HTTP/1.1\nHost: sandbox.wangdian.cn\n"),
        "{text}"
    );
    let (_, form) = request_params(text);
    // The wdt sign verifies; timestamp 2024-05-01 10:00:00 GMT+8 is 1714528800.
    let (sign, unsigned) = form.split_last().unwrap();
    assert_eq!(sign.0, "sign");
    assert_eq!(sign.1, wdt::sign(unsigned, b"12345"));
    assert_eq!(
        unsigned[2],
        ("timestamp".to_string(), "1714528800".to_string())
    );

    // …and back through Qimen, from standard input, with a fresh timestamp.
    let mut args = to_qimen_args("-");
    args.extend([
        "--secret-env",
        SECRET_VAR,
        "--timestamp",
        "2024-05-01 10:05:00",
    ]);
    let custom = qmwire(&args, Some("qm-secret"), Some(text.as_bytes()));
    assert_eq!(custom.status.code(), Some(0), "{}", stderr(&custom));
    let (query, back) = request_params(stdout(&custom));
    assert!(stdout(&custom).starts_with("POST /router/qmtest?method=wdt.refund.query&"));
    // The original form minus the wdt appkey, byte for byte and in order.
    let expected: Vec<_> = original_form
        .into_iter()
        .filter(|(k, _)| k != "appkey")
        .collect();
    assert_eq!(back, expected);
    let received = query.iter().find(|(k, _)| k == "sign").unwrap().1.clone();
    let signed: Vec<_> = query
        .iter()
        .filter(|(k, _)| k != "sign")
        .chain(&back)
        .cloned()
        .collect();
    assert_eq!(
        received,
        qimen::sign(&signed, None, b"qm-secret", SignMethod::Md5)
    );
    assert!(query.contains(&("timestamp".to_string(), "2024-05-01 10:05:00".to_string())));
}

#[test]
fn without_a_secret_the_output_is_unsigned_and_says_so() {
    let out = qmwire(&to_qimen_args(TRADE_PUSH), None, None);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stdout(&out).contains("sign="), "{}", stdout(&out));
    assert!(stderr(&out).contains("qmwire: note: no secret given: `sign` is left out"));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "convert",
                "request",
                "--to",
                "qimen-custom",
                "--target-app-key",
                "1",
                TRADE_PUSH,
            ],
            "qmwire: `--to qimen-custom` needs `--app-key` (your own Qimen app key)\n",
        ),
        (
            &[
                "convert",
                "request",
                "--to",
                "standard",
                "--target-app-key",
                "1",
                REFUND_QUERY,
            ],
            "qmwire: `--target-app-key` only applies with `--to qimen-custom`\n",
        ),
        (
            &[
                "convert",
                "request",
                "--to",
                "standard",
                "--secret-env",
                SECRET_VAR,
                REFUND_QUERY,
            ],
            "qmwire: the environment variable given to --secret-env is not set\n",
        ),
        (
            &[
                "convert",
                "request",
                "--to",
                "standard",
                "tests/fixtures/convert/missing.http",
            ],
            "qmwire: tests/fixtures/convert/missing.http: ",
        ),
        (
            &[
                "convert",
                "request",
                "--to",
                "standard",
                "--timestamp",
                "yesterday",
                REFUND_QUERY,
            ],
            "qmwire: --timestamp: expected `yyyy-MM-dd HH:mm:ss` (GMT+8), found `yesterday`",
        ),
    ];
    for (args, message) in cases {
        let out = qmwire(args, None, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with(message),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    // clap's own usage errors are 2 as well.
    assert_eq!(
        qmwire(&["convert", "request", "--to", "sideways", "-"], None, None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        qmwire(&["convert", "method"], None, None).status.code(),
        Some(2)
    );
}

#[test]
fn inputs_that_cannot_be_converted_exit_1() {
    let wrong_name = b"POST /openapi2/trade_pussh.php HTTP/1.1\n\nsid=1&appkey=2&timestamp=3";
    let out = qmwire(&to_qimen_args("-"), None, Some(wrong_name));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "qmwire: -: expected one of the 54 wdt APIs offered through Qimen custom, found \
         `trade_pussh.php`; did you mean `trade_push.php` (`wdt.trade.push`)?\n"
    );
    // A Qimen request given as standard input to `--to qimen-custom`.
    let out = qmwire(&to_qimen_args(REFUND_QUERY), None, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a Qimen custom path; convert it to the standard side instead"));
    // The wdt appkey is needed and the Qimen request has none.
    let out = qmwire(
        &["convert", "request", "--to", "standard", "-"],
        None,
        Some(b"POST /router/qm?method=wdt.trade.query&timestamp=2024-05-01+10%3A00%3A00 HTTP/1.1\n\nsid=s"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "qmwire: -: expected `appkey`, found none (the wdt appkey: the Qimen request does not carry it)\n"
    );
}

#[test]
fn method_names_both_ways() {
    for (name, other) in [
        ("trade_push.php", "wdt.trade.push"),
        ("trade_push", "wdt.trade.push"),
        ("wdt.trade.push", "trade_push.php"),
        ("hu3cgwt0tc.wdt.trade.push", "trade_push.php"),
        ("shop.php", "wdt.shop.query"),
        ("wdt.logistics.query", "logistics.php"),
    ] {
        let out = qmwire(&["convert", "method", name], None, None);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stdout(&out), format!("{other}\n"));
    }
    let out = qmwire(&["convert", "method", "wdt.refund.qurey"], None, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean `refund_query.php` (`wdt.refund.query`)?"));
    let all = qmwire(&["convert", "method", "--all"], None, None);
    assert_eq!(all.status.code(), Some(0));
    assert_eq!(stdout(&all).lines().count(), 54);
    assert!(stdout(&all)
        .lines()
        .next()
        .unwrap()
        .starts_with("shop.php "));
}

#[test]
fn replies_both_ways() {
    let out = qmwire(
        &[
            "convert",
            "response",
            "--to",
            "qimen-custom",
            "tests/fixtures/convert/wdt_ok.json",
        ],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "{\"response\":{\"code\":0,\"message\":\"\",\"new_count\":1,\"chg_count\":0}}\n"
    );
    let out = qmwire(
        &[
            "convert",
            "response",
            "--to",
            "qimen-custom",
            "--pretty",
            "tests/fixtures/convert/wdt_error.json",
        ],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["response"]["flag"], "failure");
    assert_eq!(v["response"]["sub_code"], "99");
    assert!(stdout(&out).contains("\n  \"response\": {\n"));
    let out = qmwire(
        &[
            "convert",
            "response",
            "--to",
            "wdt",
            "tests/fixtures/convert/qimen_failure.json",
        ],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "{\"code\":1012,\"message\":\"调用频繁\"}\n");
    // Through stdin, and back again.
    let back = qmwire(
        &["convert", "response", "--to", "qimen-custom", "-"],
        None,
        Some(&out.stdout),
    );
    let v: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(v["response"]["sub_message"], "调用频繁");

    let out = qmwire(
        &[
            "convert",
            "response",
            "--to",
            "wdt",
            "tests/fixtures/convert/top_error.json",
        ],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out)
        .contains("found a gateway failure (`code` 50, `sub_code` isv.invalid-parameter)"));
    let out = qmwire(
        &["convert", "response", "--to", "wdt", "-"],
        None,
        Some(b"{\"response\":"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("qmwire: -: expected JSON, found a syntax error"),
        "{}",
        stderr(&out)
    );
    let out = qmwire(
        &["convert", "response", "--to", "qimen-custom", "-"],
        None,
        Some(b"\xff"),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_empty_app_key_is_a_usage_error_naming_the_flag() {
    for flag in ["--app-key", "--target-app-key"] {
        let mut args = to_qimen_args(TRADE_PUSH);
        let at = args.iter().position(|a| *a == flag).unwrap() + 1;
        args[at] = "";
        args.extend(["--secret-env", SECRET_VAR]);
        let out = qmwire(&args, Some("helloworld"), None);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(
            stderr(&out).contains(&format!("`{flag}` is empty")),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
}
