//! The command line itself under `--lang zh` (docs/lang.md): its help and argument errors, the
//! errors and notes of every command, the method titles of `qmwire methods` and the meanings
//! of the code tables. A text without its Chinese fails here, and the English stays clap's
//! and the commands' own.

use qmwire::model::kingdee::KINGDEE_METHODS;
use qmwire::model::qimen::METHODS;
use qmwire::model::wdt::WDT_METHODS;
use qmwire::model::{EnumSpec, FieldKind, StructSpec};
use qmwire::Lang;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

fn qmwire(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = crate::files::qmwire_command();
    cmd.args(args).current_dir(crate::files::repo());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run qmwire")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A scratch file with `text`, in a folder of this test run.
fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("qmwire-lang-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn every_method_has_a_chinese_title() {
    let titles = METHODS
        .iter()
        .map(|m| (m.method, m.title, m.title_in(Lang::Zh)))
        .chain(
            WDT_METHODS
                .iter()
                .map(|m| (m.method, m.title, m.title_in(Lang::Zh))),
        )
        .chain(
            KINGDEE_METHODS
                .iter()
                .map(|m| (m.method, m.title, m.title_in(Lang::Zh))),
        );
    for (method, en, zh) in titles {
        assert!(has_han(zh) && zh != en, "{method}: {zh}");
    }
    for m in &qmwire::model::wdt::names::METHODS {
        assert!(has_han(m.summary_zh), "{}", m.php);
    }
    // `qmwire methods` shows them: every method line ends in Chinese.
    let out = qmwire(&["--lang", "zh", "methods"], &[]);
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        rows.len(),
        METHODS.len() + WDT_METHODS.len() + KINGDEE_METHODS.len()
    );
    for row in rows {
        let title = row.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        assert!(has_han(&title), "{row}");
    }
    assert!(text.contains("ERP 向 WMS 下发一张发货单"), "{text}");
    // The English list is unchanged.
    let en = stdout(&qmwire(&["methods"], &[]));
    assert!(
        en.contains("ERP asks the WMS to ship a consumer order"),
        "{en}"
    );
    assert!(!en.contains("下发"), "{en}");
}

/// Every code table the methods' bodies use, by name.
fn tables(spec: &'static StructSpec, out: &mut BTreeMap<&'static str, &'static EnumSpec>) {
    for f in spec.fields {
        if let Some(t) = f.enumeration {
            out.insert(t.name, t);
        }
        let mut kind = &f.kind;
        if let FieldKind::List(item) = kind {
            if let Some(t) = item.enumeration {
                out.insert(t.name, t);
            }
            kind = &item.kind;
        }
        if let FieldKind::Struct(s) = kind {
            tables(s, out);
        }
    }
}

#[test]
fn every_code_has_a_chinese_meaning() {
    let mut all = BTreeMap::new();
    for m in METHODS {
        tables(m.request.spec(), &mut all);
        tables(m.response.spec(), &mut all);
    }
    for m in WDT_METHODS {
        tables(m.request.spec(), &mut all);
        tables(m.response.spec(), &mut all);
    }
    for m in KINGDEE_METHODS {
        tables(m.request.spec(), &mut all);
        tables(m.response.spec(), &mut all);
    }
    assert!(all.len() > 40, "{}", all.len());
    let mut codes = 0;
    for t in all.values() {
        for v in t.values {
            assert!(has_han(v.zh), "{} {}: {}", t.name, v.code, v.zh);
            assert_eq!(v.doc_in(Lang::En), v.doc);
            assert_eq!(v.doc_in(Lang::Zh), v.zh);
            codes += 1;
        }
    }
    assert!(codes > 250, "{codes}");
    // The schemas carry both, code for code.
    let mut seen = 0;
    for path in crate::files::under("schemas", &["json"]) {
        let text = std::fs::read_to_string(&path).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        seen += codes_zh(&schema, &path);
    }
    assert!(seen > 100, "{seen}");
}

/// Checks each `x-qmwire-codes` against its `x-qmwire-codes-zh`; how many it checked.
fn codes_zh(value: &serde_json::Value, path: &Path) -> usize {
    match value {
        serde_json::Value::Object(m) => {
            let mut n = 0;
            if let Some(en) = m.get("x-qmwire-codes").and_then(|v| v.as_object()) {
                let zh = m["x-qmwire-codes-zh"].as_object().unwrap();
                let keys = |o: &serde_json::Map<String, serde_json::Value>| {
                    o.keys().cloned().collect::<Vec<_>>()
                };
                assert_eq!(keys(en), keys(zh), "{}", path.display());
                assert!(zh.values().all(|v| has_han(v.as_str().unwrap())));
                n += 1;
            }
            n + m.values().map(|v| codes_zh(v, path)).sum::<usize>()
        }
        serde_json::Value::Array(items) => items.iter().map(|v| codes_zh(v, path)).sum(),
        _ => 0,
    }
}

#[test]
fn help_is_in_chinese() {
    let out = qmwire(&["--lang", "zh", "--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("检查奇门、旺店通（wdt）和金蝶云星空的报文"),
        "{text}"
    );
    assert!(text.contains("用法：qmwire [OPTIONS] <COMMAND>"), "{text}");
    assert!(
        text.contains("  lint     按报文契约检查报文，报告所有问题"),
        "{text}"
    );
    for english in [
        "Usage:",
        "Commands:",
        "Options:",
        "Print help",
        "Print version",
    ] {
        assert!(!text.contains(english), "{english} in\n{text}");
    }
    // A subcommand's long help: every option in Chinese, values and defaults too; the
    // locale chooses it as `--lang` does.
    for (args, env) in [
        (&["--lang", "zh", "lint", "--help"][..], &[][..]),
        (&["lint", "--help"][..], &[("LANG", "zh_CN.UTF-8")][..]),
        (&["lint", "--lang=zh", "-h"][..], &[][..]),
    ] {
        let text = stdout(&qmwire(args, env));
        assert!(
            text.contains("用法：qmwire lint [OPTIONS] <PATHS>..."),
            "{text}"
        );
        assert!(text.contains("输出格式"), "{text}");
        assert!(text.contains("human"), "{text}");
        assert!(text.contains("默认：human"), "{text}");
        assert!(
            !text.contains("Options:") && !text.contains("[default"),
            "{text}"
        );
    }
    let text = stdout(&qmwire(&["--lang", "zh", "lint", "--help"], &[]));
    assert!(text.contains("  - sarif：一份 SARIF 2.1.0 日志"), "{text}");
    // `help sign qimen` is the Chinese help of `sign qimen`.
    let text = stdout(&qmwire(&["--lang", "zh", "help", "sign", "qimen"], &[]));
    assert!(text.starts_with("奇门 / TOP 的 `sign`"), "{text}");
    // The English help is clap's.
    let text = stdout(&qmwire(&["lint", "--help"], &[]));
    assert!(
        text.contains("Usage: qmwire lint [OPTIONS] <PATHS>..."),
        "{text}"
    );
    assert!(text.contains("Output format"), "{text}");
    assert!(text.contains("[default: human]"), "{text}");
}

#[test]
fn argument_errors_are_in_chinese_with_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--lang", "zh", "lint", "--formt", "json", "a.xml"],
            "错误：没有 `--formt` 这个参数\n\n  提示：有类似的参数：`--format`\n\n\
             用法：qmwire lint --format <FORMAT> <PATHS>...\n\n想了解更多，请用 `--help`。\n",
        ),
        (
            &["--lang", "zh", "lnt"],
            "错误：没有 `lnt` 这个子命令\n\n  提示：有类似的子命令：`lint`\n\n\
             用法：qmwire [OPTIONS] <COMMAND>\n\n想了解更多，请用 `--help`。\n",
        ),
        (
            &["--lang", "zh", "lint", "-f", "xml", "a.xml"],
            "错误：`--format <FORMAT>` 的值 `xml` 无效\n  可选值：`human`、`json`、`sarif`、`junit`\n\n\
             想了解更多，请用 `--help`。\n",
        ),
        (
            &["--lang", "zh", "lint", "--jobs", "0", "a.xml"],
            "错误：`--jobs <N>` 的值 `0` 无效：超出允许的范围\n\n想了解更多，请用 `--help`。\n",
        ),
        (
            &["--lang", "zh", "lint"],
            "错误：缺少以下必需的参数：\n  <PATHS>...\n\n用法：qmwire lint <PATHS>...\n\n\
             想了解更多，请用 `--help`。\n",
        ),
    ];
    for (args, want) in cases {
        let out = qmwire(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), want, "{args:?}");
        assert!(out.stdout.is_empty());
    }
    // Two sources for the secret: a conflict, named in Chinese.
    let out = qmwire(
        &[
            "--lang",
            "zh",
            "sign",
            "wdt",
            "--form",
            "a=1",
            "--secret-env",
            "A",
            "--secret-file",
            "b",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("错误：参数 `--secret-env <VAR>` 不能与 `--secret-file <PATH>` 同时使用"),
        "{}",
        stderr(&out)
    );
    // English stays clap's own.
    let out = qmwire(&["lint", "--formt", "json", "a.xml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: unexpected argument '--formt' found"));
}

#[test]
fn command_errors_and_notes_are_in_chinese() {
    let zh = |args: &[&str]| {
        let mut all = vec!["--lang", "zh"];
        all.extend_from_slice(args);
        qmwire(&all, &[])
    };
    // A profile with a misspelt rule id: file:line:column kept, the suggestion in Chinese.
    let profile = scratch(
        "p.toml",
        "schema = 1\n[profile]\nid = \"t\"\nextends = [\"qimen\"]\n[rules]\n\"sign.mismatc\" = \"off\"\n",
    );
    let out = zh(&["profile", "check", &profile]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "qmwire: {profile}:6:1：未知的规则编号 `sign.mismatc`（`qmwire explain` 会列出全部规则）；是不是 `sign.mismatch`？\n"
        )
    );
    let out = qmwire(&["profile", "check", &profile], &[]);
    assert!(stderr(&out).ends_with("did you mean `sign.mismatch`?\n"));
    let out = zh(&["lint", "--profile", "jxwm", "a.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("没有名为 `jxwm` 的内置配置")
            && stderr(&out).contains("是不是 `jxwms`？"),
        "{}",
        stderr(&out)
    );
    // A file that is not there.
    let out = zh(&["lint", "no/such/file.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "qmwire: no/such/file.xml：文件或目录不存在\n");
    // convert, redact, sign.
    let out = zh(&["convert", "method", "trade_psh"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "qmwire: 应为经奇门自定义开放的 54 个旺店通接口之一，实际为 `trade_psh`；是不是 `trade_push.php`（`wdt.trade.push`）？\n"
    );
    let out = zh(&["redact", "--policy", "hash"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("需要密钥"), "{}", stderr(&out));
    let out = qmwire(
        &[
            "--lang",
            "zh",
            "sign",
            "wdt-ultimate",
            "--query",
            "a=1",
            "--secret-env",
            "QMWIRE_TEST_SECRET",
        ],
        &[("QMWIRE_TEST_SECRET", "nocolon")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "qmwire: 旗舰版的 appsecret 应写成 `secret:salt`，实际里面没有 `:`\n"
    );
    // The notes of a conversion.
    let request = scratch(
        "req.http",
        "POST /openapi2/trade_push.php HTTP/1.1\nHost: api.wangdian.cn\n\
         Content-Type: application/x-www-form-urlencoded\n\n\
         sid=s1&appkey=k1&timestamp=1700000000&trade_list=%5B%5D\n",
    );
    let args = [
        "convert",
        "request",
        "--to",
        "qimen-custom",
        "--app-key",
        "A",
        "--target-app-key",
        "T",
        &request,
    ];
    let out = zh(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let notes = stderr(&out);
    assert!(notes.lines().count() >= 2, "{notes}");
    assert!(
        notes
            .lines()
            .all(|l| l.starts_with("qmwire: 注：") && has_han(l)),
        "{notes}"
    );
    let en = stderr(&qmwire(&args, &[]));
    assert_eq!(en.lines().count(), notes.lines().count());
    assert!(en.lines().all(|l| l.starts_with("qmwire: note: ")), "{en}");
    // `serve --check`: every problem, with its place, in Chinese.
    let config = scratch(
        "serve.toml",
        "[[listen]]\naddress = \"nonsense\"\n\n[[route]]\npath = \"x\"\nmode = \"receive\"\nprotocol = \"qimen\"\nupstream = \"ftp://a\"\n",
    );
    let out = zh(&["serve", "--check", &config]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains(&format!(
            "{config}:2:11：应为 `127.0.0.1:8080` 这样的 IP 地址和端口，实际为 `nonsense`"
        )),
        "{text}"
    );
    assert!(
        text.contains("需要 `secret-env` 或 `secret-file`"),
        "{text}"
    );
    assert!(text.lines().all(has_han), "{text}");
}

/// Chinese errors withhold personal values as the English do: a broken message's phone
/// number is not quoted when it cannot be redacted.
#[test]
fn chinese_errors_quote_no_personal_value() {
    let broken = scratch(
        "broken.xml",
        "<request><deliveryOrder><receiverInfo><mobile>13812345678</mobile>\
         </receiverInfo><x></deliveryOrder></request>",
    );
    for lang in ["zh", "en"] {
        let out = qmwire(&["--lang", lang, "redact", &broken], &[]);
        assert_eq!(out.status.code(), Some(2));
        let text = stderr(&out);
        assert!(!text.contains("1381234"), "{text}");
        assert!(text.contains("[xml-syntax]"), "{text}");
    }
    let out = qmwire(&["--lang", "zh", "redact", &broken], &[]);
    assert!(
        stderr(&out).contains("无法脱敏：XML 格式错误"),
        "{}",
        stderr(&out)
    );
    // A `--var` without `=` names the flag, not a value.
    let out = qmwire(
        &[
            "--lang",
            "zh",
            "lint",
            "--profile",
            "jxwms",
            "--var",
            "owner_id",
            "a.xml",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "qmwire: --var：应为 NAME=VALUE，实际为 `owner_id`\n"
    );
}

/// The command-line error shown in docs/lang.md is what qmwire prints.
#[test]
fn the_argument_error_in_lang_md_is_what_qmwire_prints() {
    let doc = std::fs::read_to_string(crate::files::repo().join("docs/lang.md")).unwrap();
    let block = doc
        .split("```text\n")
        .map(|b| &b[..b.find("```").unwrap()])
        .find(|b| b.starts_with("$ qmwire "))
        .expect("an example of a command-line error");
    let (command, shown) = block.split_once('\n').unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(2).collect();
    let out = qmwire(&args, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), shown);
}
