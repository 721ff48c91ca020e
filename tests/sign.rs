//! `qmwire sign` and `qmwire verify` as a user runs them: the published vectors byte for byte,
//! diagnosed mismatches, the secret kept out of argv and out of every output, and exit code 2 for
//! every error.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

const SECRET_VAR: &str = "QMWIRE_TEST_SIGN_SECRET";

/// TV-TOP-1 (docs/protocol.md) as a URL query, `timestamp` form-encoded.
const TOP1_QUERY: &str = "app_key=12345678&fields=num_iid%2Ctitle%2Cnick%2Cprice%2Cnum&format=json\
&method=taobao.item.seller.get&num_iid=11223344&session=test&sign_method=md5\
&timestamp=2016-01-01+12%3A00%3A00&v=2.0";
const TOP1_SIGN: &str = "66987CB115214E59E6EC978214934FB8";

/// TV-WDT-1 (docs/protocol.md) as a form body, in the guide's order.
const WDT1_FORM: &str = "appkey=test2-xx&page_no=0&end_time=2016-08-01+13%3A00%3A00\
&start_time=2016-08-01+12%3A00%3A00&page_size=40&sid=test2&timestamp=1470042310";
const WDT1_SIGN: &str = "ad4e6fe037ea6e3ba4768317be9d1309";

/// Runs `qmwire` with `secret` (if any) in [`SECRET_VAR`] and nothing else of ours in the
/// environment.
fn qmwire(args: &[&str], secret: Option<&str>) -> Output {
    let mut cmd = crate::files::qmwire_command();
    cmd.args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove(SECRET_VAR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(secret) = secret {
        cmd.env(SECRET_VAR, secret);
    }
    cmd.output().expect("run qmwire")
}

fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> &str {
    std::str::from_utf8(&out.stderr).unwrap()
}

/// A file under the target's scratch directory, unique to this test.
fn scratch(name: &str, content: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sign");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn qimen_tv_top_1_byte_for_byte() {
    let out = qmwire(
        &[
            "sign",
            "qimen",
            "--secret-env",
            SECRET_VAR,
            "--query",
            TOP1_QUERY,
        ],
        Some("helloworld"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, format!("{TOP1_SIGN}\n").as_bytes());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn qimen_hmac_methods_follow_the_query() {
    for (method, sign) in [
        ("hmac", "D56D7858309C31B6251083A874D48273"),
        (
            "hmac-sha256",
            "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8",
        ),
    ] {
        let query = TOP1_QUERY.replace("sign_method=md5", &format!("sign_method={method}"));
        // From the query alone, and with a matching flag.
        for extra in [&[][..], &["--sign-method", method][..]] {
            let mut args = vec![
                "sign",
                "qimen",
                "--secret-env",
                SECRET_VAR,
                "--query",
                &query,
            ];
            args.extend_from_slice(extra);
            let out = qmwire(&args, Some("helloworld"));
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert_eq!(stdout(&out), format!("{sign}\n"));
        }
    }
}

#[test]
fn qimen_tv_qm_1_with_body_file() {
    let body = scratch(
        "tv-qm-1.xml",
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode><orderType>JYCK</orderType></deliveryOrder></request>",
    );
    let query =
        "app_key=12345678&customerId=c1001&format=xml&method=taobao.qimen.deliveryorder.create\
                 &sign_method=md5&timestamp=2016-07-06+12%3A00%3A00&v=2.0";
    let out = qmwire(
        &[
            "sign",
            "qimen",
            "--query",
            query,
            "--body",
            body.to_str().unwrap(),
            "--secret-env",
            SECRET_VAR,
        ],
        Some("helloworld"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "82F9F321443E0C326C1A9CF84C4DA8BA\n");
}

#[test]
fn wdt_tv_wdt_1_byte_for_byte_from_a_secret_file() {
    // One trailing newline is not part of the secret.
    let secret = scratch("wdt-secret", b"12345\n");
    let out = qmwire(
        &[
            "sign",
            "wdt",
            "--form",
            WDT1_FORM,
            "--secret-file",
            secret.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, format!("{WDT1_SIGN}\n").as_bytes());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn explain_prints_the_canonical_string_but_never_the_secret() {
    let out = qmwire(
        &[
            "sign",
            "qimen",
            "--explain",
            "--show-values",
            "--secret-env",
            SECRET_VAR,
            "--query",
            TOP1_QUERY,
        ],
        Some("helloworld"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("{TOP1_SIGN}\n"));
    assert_eq!(
        stderr(&out),
        "***app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.get\
         num_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0***\n"
    );
    assert!(!stdout(&out).contains("helloworld") && !stderr(&out).contains("helloworld"));

    let secret = scratch("wdt-secret-explain", b"12345");
    let out = qmwire(
        &[
            "sign",
            "wdt",
            "--explain",
            "--show-values",
            "--form",
            WDT1_FORM,
            "--secret-file",
            secret.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("{WDT1_SIGN}\n"));
    assert!(stderr(&out).ends_with(";09-timestamp:0010-1470042310***\n"));
    assert!(!stdout(&out).contains("12345") && !stderr(&out).contains("12345"));
}

#[test]
fn explain_masks_business_and_personal_values_by_default() {
    // A Qimen call with a body: system parameters shown, the body's personal values masked.
    let body = scratch(
        "explain-body.xml",
        "<request><deliveryOrder><deliveryOrderCode>D1</deliveryOrderCode><receiverInfo><name>李四</name><mobile>13800000001</mobile></receiverInfo></deliveryOrder></request>".as_bytes(),
    );
    let out = qmwire(
        &[
            "sign",
            "qimen",
            "--explain",
            "--secret-env",
            SECRET_VAR,
            "--query",
            "method=taobao.qimen.deliveryorder.create&app_key=1&note=李四&timestamp=2024-05-01+10%3A00%3A00",
            "--body",
            body.to_str().unwrap(),
        ],
        Some("helloworld"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explained = stderr(&out);
    assert!(
        explained.contains("methodtaobao.qimen.deliveryorder.create"),
        "{explained}"
    );
    assert!(explained.contains("note**"), "{explained}");
    assert!(
        explained.contains("<deliveryOrderCode>D1</deliveryOrderCode>"),
        "{explained}"
    );
    for personal in ["李四", "13800000001"] {
        assert!(!explained.contains(personal), "{personal}: {explained}");
    }
    // A wdt form: JSON-valued parameters keep their shape, values masked.
    let secret = scratch("wdt-secret-explain-2", b"12345");
    let out = qmwire(
        &[
            "sign",
            "wdt",
            "--explain",
            "--form",
            "sid=s&appkey=k&timestamp=1&trade_list=%5B%7B%22receiver_name%22%3A%22%E6%9D%8E%E5%9B%9B%22%7D%5D",
            "--secret-file",
            secret.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explained = stderr(&out);
    assert!(
        explained.contains("receiver_name") && !explained.contains("李四"),
        "{explained}"
    );
}

#[test]
fn explain_masks_the_secret_even_inside_the_signed_data() {
    let out = qmwire(
        &[
            "sign",
            "qimen",
            "--explain",
            "--show-values",
            "--secret-env",
            SECRET_VAR,
            "--query",
            "a=1&note=s3cr3t-value",
        ],
        Some("s3cr3t-value"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("s3cr3t-value"), "{}", stderr(&out));
    assert!(stderr(&out).contains("***a1note******"), "{}", stderr(&out));
}

#[test]
fn errors_exit_2_with_nothing_on_stdout() {
    let missing = scratch("missing-dir-marker", b"").with_file_name("no-such-secret-file");
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        // No secret at all.
        (vec!["sign", "qimen", "--query", TOP1_QUERY], None),
        (vec!["sign", "wdt", "--form", WDT1_FORM], None),
        // The variable is named but not set.
        (
            vec![
                "sign",
                "qimen",
                "--query",
                TOP1_QUERY,
                "--secret-env",
                SECRET_VAR,
            ],
            None,
        ),
        // Set but empty.
        (
            vec![
                "sign",
                "wdt",
                "--form",
                WDT1_FORM,
                "--secret-env",
                SECRET_VAR,
            ],
            Some(""),
        ),
        // Unreadable secret file.
        (
            vec![
                "sign",
                "wdt",
                "--form",
                WDT1_FORM,
                "--secret-file",
                missing.to_str().unwrap(),
            ],
            None,
        ),
        // Both sources at once.
        (
            vec![
                "sign",
                "wdt",
                "--form",
                WDT1_FORM,
                "--secret-env",
                SECRET_VAR,
                "--secret-file",
                "x",
            ],
            Some("k"),
        ),
        // There is no way to pass the secret itself on the command line.
        (
            vec![
                "sign",
                "qimen",
                "--query",
                TOP1_QUERY,
                "--secret",
                "helloworld",
            ],
            None,
        ),
        // A broken escape, a duplicate parameter.
        (
            vec![
                "sign",
                "qimen",
                "--query",
                "a=%E5%B",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        (
            vec![
                "sign",
                "wdt",
                "--form",
                "a=1&a=2",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        // A flag that contradicts the signed `sign_method`, and an unknown one.
        (
            vec![
                "sign",
                "qimen",
                "--query",
                TOP1_QUERY,
                "--sign-method",
                "hmac",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        (
            vec![
                "sign",
                "qimen",
                "--query",
                "a=1&sign_method=sha1",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        // A body file that does not exist.
        (
            vec![
                "sign",
                "qimen",
                "--query",
                "a=1",
                "--body",
                missing.to_str().unwrap(),
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
    ];
    for (args, secret) in cases {
        let out = qmwire(&args, secret);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
        assert!(!stderr(&out).trim().is_empty(), "{args:?}: no message");
    }
}

#[test]
fn other_subcommands_still_work() {
    let out = qmwire(&["methods"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("taobao.qimen.deliveryorder.create"));
    let out = qmwire(&["explain", "enum"], None);
    assert_eq!(out.status.code(), Some(0));
}

// `qmwire verify`: 0 and `ok` on a match, 1 and `mismatch: …` otherwise, 2 for errors.

fn verify_qimen(query: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify",
        "qimen",
        "--secret-env",
        SECRET_VAR,
        "--query",
        query,
    ];
    args.extend_from_slice(extra);
    qmwire(&args, Some("helloworld"))
}

fn assert_secret_hidden(out: &Output, secret: &str) {
    assert!(!stdout(out).contains(secret), "{}", stdout(out));
    assert!(!stderr(out).contains(secret), "{}", stderr(out));
}

#[test]
fn verify_qimen_ok_and_diagnosed_mismatches() {
    let out = verify_qimen(&format!("{TOP1_QUERY}&sign={TOP1_SIGN}"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));

    let lower = TOP1_SIGN.to_ascii_lowercase();
    let out = verify_qimen(&format!("{TOP1_QUERY}&sign={lower}"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("mismatch: the sign is lowercase hex;"),
        "{}",
        stdout(&out)
    );
    assert_secret_hidden(&out, "helloworld");

    // The sender signed the still form-encoded timestamp (`+` for the space).
    let out = verify_qimen(
        &format!("{TOP1_QUERY}&sign=3D17349926C6074AD82ADB461CB73C69"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("mismatch: the sender signed spaces in parameter values as `+`"),
        "{}",
        stdout(&out)
    );

    let out = verify_qimen(
        &format!("{TOP1_QUERY}&sign=0123456789ABCDEF0123456789ABCDEF"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("mismatch: no known mistake reproduces the received sign ("),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains(TOP1_SIGN) && !stderr(&out).contains(TOP1_SIGN));
    assert_secret_hidden(&out, "helloworld");
    // The operator asks for the expected sign (before or after the subcommand).
    for out in [
        verify_qimen(
            &format!("{TOP1_QUERY}&sign=0123456789ABCDEF0123456789ABCDEF"),
            &["--show-expected"],
        ),
        qmwire(
            &[
                "verify",
                "--show-expected",
                "qimen",
                "--secret-env",
                SECRET_VAR,
                "--query",
                &format!("{TOP1_QUERY}&sign=0123456789ABCDEF0123456789ABCDEF"),
            ],
            Some("helloworld"),
        ),
    ] {
        assert_eq!(
            stdout(&out),
            format!(
                "mismatch: no known mistake reproduces the received sign; expected {TOP1_SIGN}\n"
            )
        );
    }
}

#[test]
fn verify_qimen_body_re_serialised() {
    // TV-QM-1 was signed with the XML declaration; the body received has none.
    let body = scratch(
        "tv-qm-1-bare.xml",
        b"<request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode><orderType>JYCK</orderType></deliveryOrder></request>",
    );
    let query =
        "app_key=12345678&customerId=c1001&format=xml&method=taobao.qimen.deliveryorder.create\
         &sign_method=md5&timestamp=2016-07-06+12%3A00%3A00&v=2.0&sign=82F9F321443E0C326C1A9CF84C4DA8BA";
    let out = verify_qimen(query, &["--body", body.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("mismatch: the sender signed the body with an xml declaration"),
        "{}",
        stdout(&out)
    );
    // With the body as signed, it matches.
    let full = scratch(
        "tv-qm-1-full.xml",
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?><request><deliveryOrder><deliveryOrderCode>TB1234</deliveryOrderCode><orderType>JYCK</orderType></deliveryOrder></request>",
    );
    let out = verify_qimen(query, &["--body", full.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
}

#[test]
fn verify_wdt_ok_uppercase_note_and_byte_lengths() {
    let secret = scratch("wdt-secret-verify", b"12345\n");
    let run = |form: &str| {
        qmwire(
            &[
                "verify",
                "wdt",
                "--form",
                form,
                "--secret-file",
                secret.to_str().unwrap(),
            ],
            None,
        )
    };
    let out = run(&format!("{WDT1_FORM}&sign={WDT1_SIGN}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
    assert!(out.stderr.is_empty());

    let out = run(&format!(
        "{WDT1_FORM}&sign={}",
        WDT1_SIGN.to_ascii_uppercase()
    ));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "ok\n");
    assert!(
        stderr(&out).starts_with("qmwire: note: the sign is uppercase hex"),
        "{}",
        stderr(&out)
    );

    // TV-WDT-2 signed with byte lengths.
    let out = run(
        "appkey=test2-xx&sid=test2&timestamp=1470042310&shop_no=%E5%BA%97%E9%93%BA1\
                   &sign=bb090c517b47d57247daf6a70776c205",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("mismatch: the sender counted lengths in utf-8 bytes"),
        "{}",
        stdout(&out)
    );
    assert_secret_hidden(&out, "12345");
}

#[test]
fn verify_errors_exit_2_with_nothing_on_stdout() {
    let signed = format!("{TOP1_QUERY}&sign={TOP1_SIGN}");
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        // No `sign` to verify.
        (
            vec![
                "verify",
                "qimen",
                "--query",
                TOP1_QUERY,
                "--secret-env",
                SECRET_VAR,
            ],
            Some("helloworld"),
        ),
        (
            vec![
                "verify",
                "wdt",
                "--form",
                WDT1_FORM,
                "--secret-env",
                SECRET_VAR,
            ],
            Some("12345"),
        ),
        // No secret, an unset variable, a secret on the command line.
        (vec!["verify", "qimen", "--query", &signed], None),
        (
            vec![
                "verify",
                "qimen",
                "--query",
                &signed,
                "--secret-env",
                SECRET_VAR,
            ],
            None,
        ),
        (
            vec![
                "verify",
                "qimen",
                "--query",
                &signed,
                "--secret",
                "helloworld",
            ],
            None,
        ),
        // Unparsable input, an unsupported method, a missing body file.
        (
            vec![
                "verify",
                "wdt",
                "--form",
                "a=%E5%B&sign=x",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        (
            vec![
                "verify",
                "qimen",
                "--query",
                "a=1&sign_method=sha1&sign=AB",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
        (
            vec![
                "verify",
                "qimen",
                "--query",
                &signed,
                "--body",
                "/no/such/body.xml",
                "--secret-env",
                SECRET_VAR,
            ],
            Some("k"),
        ),
    ];
    for (args, secret) in cases {
        let out = qmwire(&args, secret);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
        assert!(!stderr(&out).trim().is_empty(), "{args:?}: no message");
    }
}

/// TV-QJB-1 (docs/protocol.md): query, body and sign.
const QJB1_QUERY: &str =
    "sid=wdtapi3&key=appkey&salt=salt&method=goods.Goods.queryWithSpec&timestamp=100&v=1.0";
const QJB1_BODY: &[u8] = br#"[{"goods_no":"G001"}]"#;
const QJB1_SIGN: &str = "703b2c4b5b16565883e6b58d18e254a2";

#[test]
fn wdt_ultimate_tv_qjb_1_byte_for_byte_and_explained() {
    let body = scratch("tv-qjb-1.json", QJB1_BODY);
    let out = qmwire(
        &[
            "sign",
            "wdt-ultimate",
            "--query",
            QJB1_QUERY,
            "--body",
            body.to_str().unwrap(),
            "--secret-env",
            SECRET_VAR,
            "--explain",
            "--show-values",
        ],
        Some("secret:salt"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{QJB1_SIGN}\n"));
    assert_eq!(
        stderr(&out),
        "***body[{\"goods_no\":\"G001\"}]keyappkeymethodgoods.Goods.queryWithSpecsaltsaltsidwdtapi3timestamp100v1.0***\n"
    );
    // Without the `secret:salt` form it is a usage error, and the value is not echoed.
    let out = qmwire(
        &[
            "sign",
            "wdt-ultimate",
            "--query",
            QJB1_QUERY,
            "--secret-env",
            SECRET_VAR,
        ],
        Some("nocolonsecret"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(!stderr(&out).contains("nocolonsecret"), "{}", stderr(&out));
}

fn verify_ultimate(query: &str, body: &[u8]) -> Output {
    let body = scratch("verify-qjb.json", body);
    qmwire(
        &[
            "verify",
            "wdt-ultimate",
            "--query",
            query,
            "--body",
            body.to_str().unwrap(),
            "--secret-env",
            SECRET_VAR,
        ],
        Some("secret:salt"),
    )
}

/// The 旗舰版 sign of `query` with `secret` and an optional body, through the library.
fn ultimate_sign(query: &str, body: Option<&[u8]>, secret: &[u8]) -> String {
    let pairs = qmwire::wire::params::parse(query).unwrap();
    let body = body.map(|b| std::str::from_utf8(b).unwrap());
    qmwire::sign::wdt::sign_ultimate(&pairs, body, secret)
}

#[test]
fn verify_wdt_ultimate_ok_and_diagnosed_mismatches() {
    let out = verify_ultimate(&format!("{QJB1_QUERY}&sign={QJB1_SIGN}"), QJB1_BODY);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "ok\n"));
    let cases = [
        (
            ultimate_sign(QJB1_QUERY, None, b"secret"),
            "left the json body out",
        ),
        (
            ultimate_sign(QJB1_QUERY, Some(QJB1_BODY), b"secret:salt"),
            "the whole appsecret, salt and `:` included",
        ),
        (
            ultimate_sign(QJB1_QUERY, Some(QJB1_BODY), b"secretsalt"),
            "appended the salt",
        ),
        (
            ultimate_sign(
                &QJB1_QUERY.replace("timestamp=100", "timestamp=1325347300"),
                Some(QJB1_BODY),
                b"secret",
            ),
            "differs from the sent one by 1325347200",
        ),
    ];
    for (wrong, says) in cases {
        let out = verify_ultimate(&format!("{QJB1_QUERY}&sign={wrong}"), QJB1_BODY);
        assert_eq!(out.status.code(), Some(1), "{says}");
        assert!(stdout(&out).starts_with("mismatch: "), "{}", stdout(&out));
        assert!(stdout(&out).contains(says), "{}", stdout(&out));
        assert_secret_hidden(&out, "secret:salt");
    }
    // Uppercase hex matches, with a note; a plain unix timestamp is warned about.
    let query = QJB1_QUERY.replace("timestamp=100", "timestamp=1700000000");
    let sign = ultimate_sign(&query, Some(QJB1_BODY), b"secret").to_ascii_uppercase();
    let out = verify_ultimate(&format!("{query}&sign={sign}"), QJB1_BODY);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("uppercase"), "{}", stderr(&out));
    assert!(stderr(&out).contains("looks like plain unix seconds"));
}

/// TV-QM3-1 (docs/protocol.md) as a form body, JSON values percent-encoded.
const QM3_FORM: &str = "datetime=2020-09-17+19%3A22%3A26&wdt_salt=salt&wdt_appkey=wdt_appkey\
&pager=%7B%22page_no%22%3A1%2C%22page_size%22%3A10%7D\
&params=%7B%22end_date%22%3A%222020-09-20+00%3A00%3A00%22%2C%22spec_no%22%3Anull%2C\
%22start_date%22%3A%222020-08-23+00%3A00%3A00%22%2C%22warehouse_no%22%3A%221001%22%7D\
&wdt3_customer_id=wdtapi3";
const QM3_SIGN: &str = "1f5e87bbbc8bc68f4f0af70f79620b7d";
const QM3_QUERY: &str = "method=3ldsmu02o9.wdt.wms.stockspec.querychangehistory&app_key=1\
&target_app_key=21363512&format=json&v=2.0&sign_method=md5";

#[test]
fn wdt_qimen_tv_qm3_1_byte_for_byte_and_explained() {
    for secret in ["secret:salt", "secret"] {
        let out = qmwire(
            &[
                "sign",
                "wdt-qimen",
                "--form",
                QM3_FORM,
                "--query",
                QM3_QUERY,
                "--secret-env",
                SECRET_VAR,
                "--explain",
            ],
            Some(secret),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), format!("{QM3_SIGN}\n"));
        assert!(stderr(&out).starts_with(
            "***datetime2020-09-17 19:22:26methodwdt.wms.stockspec.querychangehistorypager"
        ));
        assert!(
            stderr(&out).ends_with("wdt_saltsalt***\n"),
            "{}",
            stderr(&out)
        );
    }
    let out = qmwire(
        &[
            "sign",
            "wdt-qimen",
            "--form",
            QM3_FORM,
            "--secret-env",
            SECRET_VAR,
        ],
        Some("secret:salt"),
    );
    assert_eq!(out.status.code(), Some(2), "no method anywhere");
    assert!(stderr(&out).contains("no method"));
}

#[test]
fn verify_wdt_qimen_ok_and_diagnosed_mismatches() {
    let verify = |sign: &str| {
        qmwire(
            &[
                "verify",
                "wdt-qimen",
                "--form",
                &format!("{QM3_FORM}&wdt_sign={sign}"),
                "--query",
                QM3_QUERY,
                "--secret-env",
                SECRET_VAR,
            ],
            Some("secret:salt"),
        )
    };
    let out = verify(QM3_SIGN);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "ok\n"));
    let pairs = qmwire::wire::params::parse(QM3_FORM).unwrap();
    let method = "wdt.wms.stockspec.querychangehistory";
    let whole = qmwire::sign::wdt::sign_qimen_custom(&pairs, method, b"secret:salt").unwrap();
    let out = verify(&whole);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("whole appsecret"), "{}", stdout(&out));
    assert_secret_hidden(&out, "secret:salt");
    let out = verify("0123456789abcdef0123456789abcdef");
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains(QM3_SIGN), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("no known mistake"),
        "{}",
        stdout(&out)
    );
}
