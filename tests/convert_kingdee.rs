//! `qmwire convert kingdee`: wdt refund stock-in orders into a 金蝶 BatchSave request through a
//! mapping, the request linted, refusals that name the order and field but not the value, and
//! 金蝶's reply read back onto the wdt order numbers.

use std::path::Path;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/convert")
        .join(name)
        .display()
        .to_string()
}

fn qmwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmwire"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The built-in mapping with `from` replaced by `to`, written to a file of its own.
fn adapted(name: &str, from: &str, to: &str) -> String {
    let out = qmwire(&["convert", "kingdee-mapping"]);
    assert!(out.status.success());
    let builtin = text(&out.stdout);
    assert!(builtin.contains(from), "{from}");
    let dir = std::env::temp_dir().join(format!("qmwire-kingdee-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, builtin.replace(from, to)).unwrap();
    path.display().to_string()
}

#[test]
fn the_seed_flow_converts_and_lints_clean() {
    let input = fixture("stockin_refund_reply.json");
    let out = qmwire(&["convert", "kingdee", "--mapping", "builtin:seed003", &input]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    // Two completed orders become two bills; the one still waiting for review is left out.
    assert_eq!(json.matches("\"FBillTypeID\"").count(), 2);
    assert!(text(&out.stderr).contains("order RK2024050100002 left out: its status 30"));
    assert!(json.contains(r#""FBillNo":"RK2024050100001""#));
    assert!(json.contains(r#""FStockId":{"FNumber":"CK001"}"#));
    assert!(
        json.contains(r#""FRealQty":"2.0000""#),
        "decimals stay the text wdt sent"
    );
    assert!(json.contains(r#""FDate":"2024-05-01""#));
    // Personal values never reach the bill unless the mapping asks.
    for personal in ["张三", "李四"] {
        assert!(!json.contains(personal), "{personal}");
    }
    let report = qmwire::lint(json.as_bytes(), &qmwire::Options::new());
    assert_eq!((report.method, report.issues.len()), (Some("BatchSave"), 0));
}

#[test]
fn what_the_mapping_cannot_resolve_is_refused_by_order_and_field() {
    let mapping = adapted("wh.toml", "\"WH01\" = \"CK001\"", "\"WH09\" = \"CK009\"");
    let out = qmwire(&[
        "convert",
        "kingdee",
        "--mapping",
        &mapping,
        &fixture("stockin_refund_reply.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("order RK2024050100001: FEntity/0/FStockId: table `warehouses` has no row for this order's `order.warehouse_no`"),
        "{err}"
    );
    assert!(
        err.contains("order RK2024050100003: FEntity/0/FStockId"),
        "{err}"
    );
    assert!(!err.contains("WH01"), "the value is not named: {err}");
}

#[test]
fn a_mapping_mistake_is_a_usage_error_at_its_line() {
    let mapping = adapted(
        "typo.toml",
        "FBillNo = { copy = \"order_no\" }",
        "FBillNo = { copy = \"order_nr\" }",
    );
    let out = qmwire(&[
        "convert",
        "kingdee",
        "--mapping",
        &mapping,
        &fixture("stockin_refund_reply.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("typo.toml:") && err.contains("did you mean `order_no`"),
        "{err}"
    );
    // A personal field into free text, refused unless the entry says `personal = true`.
    let mapping = adapted(
        "personal.toml",
        "FHeadNote = { join = [\"logistics_no\", \"remark\"], separator = \" \" }",
        "FHeadNote = { copy = \"customer_name\" }",
    );
    let out = qmwire(&[
        "convert",
        "kingdee",
        "--mapping",
        &mapping,
        &fixture("stockin_refund_reply.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`customer_name` is personal data (name)"));
    let mapping = adapted(
        "personal_ok.toml",
        "FHeadNote = { join = [\"logistics_no\", \"remark\"], separator = \" \" }",
        "FHeadNote = { copy = \"customer_name\", personal = true }",
    );
    let out = qmwire(&[
        "convert",
        "kingdee",
        "--mapping",
        &mapping,
        &fixture("stockin_refund_reply.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("张三"));
}

#[test]
fn negative_source_quantities_are_caught_or_flipped() {
    let input = text(&std::fs::read(fixture("stockin_refund_reply.json")).unwrap())
        .replace("\"num\": \"2.0000\"", "\"num\": \"-2.0000\"");
    let dir = std::env::temp_dir().join(format!("qmwire-kingdee-neg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("negative.json");
    std::fs::write(&path, input).unwrap();
    let path = path.display().to_string();
    let out = qmwire(&["convert", "kingdee", "--mapping", "builtin:seed003", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("kingdee.quantity"),
        "{}",
        text(&out.stderr)
    );
    let mapping = adapted(
        "flip.toml",
        "FRealQty = { copy = \"num\" }",
        "FRealQty = { copy = \"num\", negate = true }",
    );
    let out = qmwire(&["convert", "kingdee", "--mapping", &mapping, &path]);
    // Flipped, the negative line is right and the positive ones become negative.
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.matches("error[kingdee.quantity]").count(), 2, "{err}");
}

#[test]
fn the_reply_is_read_back_onto_the_wdt_orders() {
    let out = qmwire(&[
        "convert",
        "kingdee",
        "--mapping",
        "builtin:seed003",
        "--reply",
        &fixture("kingdee_reply.json"),
        &fixture("stockin_refund_reply.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bills = v["bills"].as_array().unwrap();
    assert_eq!(bills.len(), 2);
    assert_eq!(bills[0]["order_no"], "RK2024050100001");
    assert_eq!(bills[0]["status"], "saved");
    // DIndex 1 is the second bill: the third wdt order, the second being left out.
    assert_eq!(bills[1]["order_no"], "RK2024050100003");
    assert_eq!(bills[1]["status"], "failed");
    assert_eq!(
        bills[1]["errors"][0]["path"],
        "/data/Model/1/FEntity/*/FStockId"
    );
    assert_eq!(bills[1]["errors"][0]["message"], "仓库不存在");
}
