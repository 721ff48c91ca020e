//! The `qmwire` binary as a user runs it: exit codes, the JSON document, stdin, directories.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

fn qmwire(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = crate::files::qmwire_command()
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qmwire");
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        // The process may exit before reading (usage errors); a closed pipe is fine.
        let _ = input.write_all(bytes);
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

const BAD_ORDER_TYPE: &str = "<request>\n  <deliveryOrder>\n    <deliveryOrderCode>A1</deliveryOrderCode>\n    <orderType>JYCKX</orderType>\n    <warehouseCode>W</warehouseCode>\n    <createTime>2024-01-01 00:00:00</createTime>\n    <placeOrderTime>2024-01-01 00:00:00</placeOrderTime>\n    <operateTime>2024-01-01 00:00:00</operateTime>\n    <shopNick>店</shopNick>\n    <logisticsCode>SF</logisticsCode>\n    <receiverInfo><name>王小明</name><mobile>13900001111</mobile><province>浙江省</province><city>杭州市</city><detailAddress>文一路2号</detailAddress></receiverInfo>\n  </deliveryOrder>\n  <orderLines><orderLine><ownerCode>O</ownerCode><itemCode>I</itemCode><planQty>1</planQty><actualPrice>1.00</actualPrice></orderLine></orderLines>\n</request>\n";

#[test]
fn bundled_examples_lint_clean() {
    let out = qmwire(&["lint", "examples/"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" 0 errors"), "{text}");
}

#[test]
fn json_output_is_one_document_with_positions() {
    let out = qmwire(
        &[
            "lint",
            "--method",
            "deliveryorder.create",
            "--format",
            "json",
            "-",
        ],
        Some(BAD_ORDER_TYPE.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let file = &v["files"][0];
    assert_eq!(file["path"], "-");
    assert_eq!(file["protocol"], "qimen");
    assert_eq!(file["method"], "taobao.qimen.deliveryorder.create");
    assert_eq!(file["valid"], false);
    let issue = &file["issues"][0];
    assert_eq!(issue["rule"], "enum");
    assert_eq!(issue["severity"], "error");
    assert_eq!(issue["path"], "/request/deliveryOrder/orderType");
    assert_eq!(
        (issue["line"].as_u64(), issue["column"].as_u64()),
        (Some(4), Some(16))
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0})
    );
}

#[test]
fn human_output_points_at_the_value_and_hides_personal_data() {
    let out = qmwire(&["lint", "-"], Some(BAD_ORDER_TYPE.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[enum]:"), "{text}");
    assert!(text.contains("--> -:4:16"), "{text}");
    assert!(text.contains("               ^^^^^"), "{text}");
    assert!(
        text.contains("= path: /request/deliveryOrder/orderType"),
        "{text}"
    );

    // A personal value on the quoted line is replaced by stars.
    let one_line = BAD_ORDER_TYPE.replace('\n', "");
    let out = qmwire(&["lint", "-"], Some(one_line.as_bytes()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[enum]"), "{text}");
    for secret in ["王小明", "13900001111", "文一路2号"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
}

#[test]
fn ambiguous_shape_is_reported_not_guessed() {
    let xml = "<request><deliveryOrder><deliveryOrderCode>A</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>W</warehouseCode></deliveryOrder></request>";
    let out = qmwire(&["lint", "--format", "json", "-"], Some(xml.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let issue = &v["files"][0]["issues"][0];
    assert_eq!(issue["rule"], "method");
    assert!(issue["message"]
        .as_str()
        .unwrap()
        .contains("deliveryorder.confirm"));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = qmwire(
        &["lint", "--method", "nosuch.method", "-"],
        Some(b"<request/>"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown method"));

    let out = qmwire(&["lint", "--format", "json", "does/not/exist.xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["summary"]["files"], 0);

    let out = qmwire(&["lint"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn directories_are_walked_and_warnings_do_not_fail() {
    let dir = std::env::temp_dir().join(format!("qmwire-cli-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    let with_unknown = BAD_ORDER_TYPE
        .replace("JYCKX", "JYCK")
        .replace("<shopNick>", "<shopNik>x</shopNik><shopNick>");
    std::fs::write(dir.join("nested/a.xml"), with_unknown).unwrap();
    std::fs::write(dir.join("notes.txt"), "not xml").unwrap();
    let out = qmwire(&["lint", "--format", "json", dir.to_str().unwrap()], None);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["warnings"], 1);
    let issue = &v["files"][0]["issues"][0];
    assert_eq!(issue["rule"], "unknown-field");
    assert!(issue["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `shopNick`"));
}

/// Runs `qmwire` with no input, failing the test (instead of hanging it) when it has not
/// finished within a minute.
fn qmwire_within_a_minute(args: &[&str]) -> Output {
    let mut child = crate::files::qmwire_command()
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qmwire");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().ok();
            panic!("qmwire {args:?} did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A fresh scratch directory for one test.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = scratch_dir("loops");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("nested/a.xml"), BAD_ORDER_TYPE).unwrap();
    std::fs::write(dir.join("b.xml"), BAD_ORDER_TYPE).unwrap();
    // Two links to the directory itself (2^40 paths when followed blindly) and one back up.
    symlink(".", dir.join("a")).unwrap();
    symlink(".", dir.join("b")).unwrap();
    symlink("..", dir.join("nested/up")).unwrap();
    let out = qmwire_within_a_minute(&["lint", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    // Each file once.
    assert_eq!(v["summary"]["files"], 2, "{v}");
    assert_eq!(v["summary"]["errors"], 2);
}

#[cfg(unix)]
#[test]
fn an_endless_secret_file_is_cut_short() {
    let out = qmwire_within_a_minute(&[
        "lint",
        "--secret-file",
        "/dev/zero",
        "tests/fixtures/http/ok.http",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "qmwire: expected an app secret in the file given to --secret-file, found more than 64 KiB\n"
    );
}

#[test]
fn a_secret_file_over_64_kib_is_refused_and_one_at_64_kib_is_read() {
    let dir = scratch_dir("secret-size");
    let (big, edge) = (dir.join("big"), dir.join("edge"));
    std::fs::write(&big, vec![b'k'; 64 * 1024 + 1]).unwrap();
    std::fs::write(&edge, vec![b'k'; 64 * 1024]).unwrap();
    let lint = |secret: &Path| {
        qmwire_within_a_minute(&[
            "lint",
            "--format",
            "json",
            "--secret-file",
            secret.to_str().unwrap(),
            "tests/fixtures/http/ok.http",
        ])
    };
    let out = lint(&big);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 64 KiB"));
    // Read, and the sign does not verify with it.
    let out = lint(&edge);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["files"][0]["issues"][0]["rule"], "sign.mismatch");
}

#[test]
fn a_secret_given_by_mistake_as_the_variable_or_file_name_is_never_echoed() {
    let secret = "s3cr3t-by-mistake";
    let missing_file = format!("no-such-dir/{secret}");
    let cases: [&[&str]; 6] = [
        &[
            "lint",
            "--secret-env",
            secret,
            "tests/fixtures/http/ok.http",
        ],
        &[
            "lint",
            "--secret-file",
            &missing_file,
            "tests/fixtures/http/ok.http",
        ],
        &["sign", "wdt", "--form", "a=1", "--secret-env", secret],
        &[
            "sign",
            "qimen",
            "--query",
            "a=1",
            "--secret-file",
            &missing_file,
        ],
        // Not a valid variable name at all: still an error, not a panic.
        &[
            "sign",
            "wdt",
            "--form",
            "a=1",
            "--secret-env",
            "s3cr3t=by-mistake",
        ],
        &[
            "redact",
            "--policy",
            "hash",
            "--key-env",
            secret,
            "tests/fixtures/http/ok.http",
        ],
    ];
    for args in cases {
        let out = qmwire_within_a_minute(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!stderr.contains("s3cr3t"), "{args:?} echoed it: {stderr}");
        assert!(
            stderr.contains("given to --secret-env is not set")
                || stderr.contains("cannot read the file given to --secret-file")
                || stderr.contains("given to --key-env is not set"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn max_issues_lists_the_first_and_counts_the_rest() {
    // 1.5 MB of `<x>1</x>` after a bad code: 190,000 warnings and 1 error.
    let xml = BAD_ORDER_TYPE.replace(
        "<orderLines>",
        &format!("{}<orderLines>", "<x>1</x>".repeat(190_000)),
    );
    let out = qmwire(
        &[
            "lint",
            "--max-items",
            "1000000",
            "--method",
            "deliveryorder.create",
            "-",
        ],
        Some(xml.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    // 55 MB before the cap.
    assert!(text.len() < 1 << 20, "{} bytes", text.len());
    assert_eq!(text.matches("[unknown-field]").count(), 999);
    assert!(
        text.ends_with(
            "… and 189001 more issues in - (0 errors, 189001 warnings), not listed\n\n\
             checked 1 file: 1 error, 190000 warnings\n"
        ),
        "{}",
        &text[text.len() - 300..]
    );

    // JSON: `omitted` per file, every issue in the summary; an omitted error still fails.
    let out = qmwire(
        &[
            "lint",
            "--max-items",
            "1000000",
            "--method",
            "deliveryorder.create",
            "--format",
            "json",
            "--max-issues",
            "0",
            "-",
        ],
        Some(xml.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let file = &v["files"][0];
    assert_eq!(file["issues"], serde_json::json!([]));
    assert_eq!(file["omitted"], 190_001);
    assert_eq!(file["valid"], false);
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 190_000})
    );
    let out = qmwire(
        &["lint", "--format", "json", "--max-issues", "5", "-"],
        Some(BAD_ORDER_TYPE.as_bytes()),
    );
    assert_eq!(json(&out)["files"][0]["omitted"], 0);
}

/// `--jobs` changes only how many files are linted at once: every format's output, the
/// diagnostics on stderr and the exit code are byte-identical with one thread and with two.
#[test]
fn jobs_do_not_change_output() {
    for format in ["human", "json", "sarif", "junit"] {
        let run = |jobs: &str| {
            qmwire(
                &[
                    "lint",
                    "--format",
                    format,
                    "--jobs",
                    jobs,
                    "tests/fixtures",
                    "no/such/file.xml",
                ],
                None,
            )
        };
        let (one, two) = (run("1"), run("2"));
        assert_eq!(one.status.code(), Some(2), "{format}: the missing file");
        assert_eq!(one.status.code(), two.status.code(), "{format}");
        assert!(one.stdout == two.stdout, "{format}: stdout differs");
        assert_eq!(
            String::from_utf8_lossy(&one.stderr),
            String::from_utf8_lossy(&two.stderr),
            "{format}"
        );
        assert!(!one.stdout.is_empty(), "{format}");
    }
    let zero = qmwire(&["lint", "--jobs", "0", "tests/fixtures"], None);
    assert_eq!(zero.status.code(), Some(2));
}
