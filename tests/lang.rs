//! Chinese and English (`--lang`): every rule has a Chinese summary, every issue any fixture
//! raises has a Chinese message, and the language changes only the words: rule ids, paths,
//! positions and the JSON shape stay the same.

use crate::files::under;
use qmwire::rules::RULES;
use qmwire::Lang;
use std::path::Path;
use std::process::Output;

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[test]
fn every_rule_has_a_chinese_summary() {
    let missing: Vec<&str> = RULES
        .iter()
        .filter(|r| !r.has_zh_summary() || !has_han(r.summary_in(Lang::Zh)))
        .map(|r| r.id)
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a Chinese summary (codec/src/rules/zh.rs): {missing:?}"
    );
    for r in RULES {
        assert_eq!(r.summary_in(Lang::En), r.summary);
        assert_ne!(r.summary_in(Lang::Zh), r.summary, "{}", r.id);
    }
}

#[test]
fn every_issue_of_every_fixture_has_a_chinese_message() {
    let files = [
        under("tests/fixtures", &["xml", "json", "form", "http"]),
        under("examples", &["xml", "json", "form", "http"]),
    ]
    .concat();
    let mut rules_seen = std::collections::BTreeSet::new();
    let mut missing = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for options in crate::rules::option_sets(path) {
            for issue in qmwire::lint(&bytes, &options).issues {
                rules_seen.insert(issue.rule);
                assert_eq!(issue.message_in(Lang::En), issue.message);
                match &issue.message_zh {
                    Some(zh) if has_han(zh) => assert_eq!(issue.message_in(Lang::Zh), zh),
                    _ => missing.push(format!(
                        "{} [{}] {}",
                        path.display(),
                        issue.rule,
                        issue.message
                    )),
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "{} issues without a Chinese message, e.g.:\n{}",
        missing.len(),
        missing[..missing.len().min(10)].join("\n")
    );
    // The fixtures reach every rule (tests/rules.rs), so every rule's messages were seen.
    assert_eq!(rules_seen.len(), RULES.len());
}

#[test]
fn lang_follows_the_posix_locale_order() {
    let zh = Some("zh_CN.UTF-8");
    let en = Some("en_US.UTF-8");
    assert_eq!(Lang::from_locale(None, None, zh), Lang::Zh);
    assert_eq!(Lang::from_locale(en, None, zh), Lang::En);
    assert_eq!(Lang::from_locale(Some(""), zh, en), Lang::Zh);
    assert_eq!(
        Lang::from_locale(Some(""), Some(""), Some("zh_TW")),
        Lang::Zh
    );
    assert_eq!(Lang::from_locale(None, None, Some("C")), Lang::En);
    assert_eq!(Lang::from_locale(None, None, None), Lang::En);
    assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
    assert_eq!(Lang::parse("fr"), None);
}

fn qmwire(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = crate::files::qmwire_command();
    cmd.args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run qmwire")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_json_report_keeps_its_shape_in_chinese() {
    let dirs = [
        "tests/fixtures/qimen/deliveryorder.create",
        "tests/fixtures/wdt",
    ];
    for dir in dirs {
        let run = |lang: &str| {
            let out = qmwire(&["lint", "--lang", lang, "--format", "json", dir], &[]);
            assert_eq!(out.status.code(), Some(1), "{dir}");
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
        };
        let (mut en, mut zh) = (run("en"), run("zh"));
        let mut messages = 0;
        let files = en["files"].as_array_mut().unwrap();
        for (f_en, f_zh) in files.iter_mut().zip(zh["files"].as_array_mut().unwrap()) {
            let issues = f_en["issues"].as_array_mut().unwrap();
            for (i_en, i_zh) in issues
                .iter_mut()
                .zip(f_zh["issues"].as_array_mut().unwrap())
            {
                let (m_en, m_zh) = (i_en["message"].take(), i_zh["message"].take());
                assert_ne!(m_en, m_zh);
                assert!(has_han(m_zh.as_str().unwrap()), "{m_zh}");
                messages += 1;
            }
        }
        assert!(messages > 5, "{dir}: {messages}");
        // With the messages taken out, the two reports are the same document.
        assert_eq!(en, zh, "{dir}");
    }
}

#[test]
fn the_locale_decides_when_lang_is_not_given() {
    let zh = [("LANG", "zh_CN.UTF-8")];
    let out = qmwire(&["explain", "required"], &zh);
    assert!(
        stdout(&out).contains("必填字段缺失或为空"),
        "{}",
        stdout(&out)
    );
    // `--lang` wins over the locale, and LC_ALL over LANG.
    let out = qmwire(&["--lang", "en", "explain", "required"], &zh);
    assert!(stdout(&out).contains("a required field is missing"));
    let out = qmwire(
        &["explain", "required"],
        &[("LC_ALL", "C"), ("LANG", "zh_CN")],
    );
    assert!(stdout(&out).contains("a required field is missing"));
    // Every rule of `explain` in Chinese; rule ids and severities unchanged.
    let all = stdout(&qmwire(&["explain", "--lang", "zh"], &[]));
    for r in RULES {
        let line = all
            .lines()
            .find(|l| l.split_whitespace().next() == Some(r.id))
            .unwrap_or_else(|| panic!("{} missing from explain", r.id));
        assert!(
            line.contains(r.severity.as_str()) && has_han(line),
            "{line}"
        );
    }
    // `methods` groups under Chinese headings.
    let methods = stdout(&qmwire(&["methods"], &zh));
    assert!(
        methods.contains("ERP -> WMS：ERP 发出、WMS 接收的请求"),
        "{methods}"
    );
    // `sign` and `verify` errors in Chinese, the flag named as given.
    let out = qmwire(
        &["verify", "wdt", "--form", "a=%zz", "--secret-env", "X"],
        &zh,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "qmwire: --form：第 2 字节处 `%` 后面应跟两位十六进制数字\n"
    );
    // A CLI error in Chinese.
    let out = qmwire(&["explain", "no-such-rule"], &zh);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有规则"));
}

#[test]
fn human_output_in_chinese() {
    let out = qmwire(
        &[
            "lint",
            "--lang",
            "zh",
            "tests/fixtures/qimen/deliveryorder.create/err_002_required.xml",
        ],
        &[],
    );
    let text = stdout(&out);
    assert!(text.starts_with("错误[required]: 缺少必填字段"), "{text}");
    assert!(
        text.contains("= 路径：/request/deliveryOrder/shopNick"),
        "{text}"
    );
    assert!(
        text.contains("检查了 1 个文件：1 个错误，0 个警告"),
        "{text}"
    );
}

/// Counts, over every committed schema, the fields with an English title and those with a
/// Chinese one too; visits each object once.
fn titles(
    value: &serde_json::Value,
    en: &mut usize,
    zh: &mut Vec<String>,
    missing: &mut Vec<String>,
) {
    match value {
        serde_json::Value::Object(m) => {
            if let Some(label) = m.get("x-title-en").and_then(|v| v.as_str()) {
                *en += 1;
                match m.get("x-title-zh").and_then(|v| v.as_str()) {
                    Some(z) => zh.push(z.to_string()),
                    None => missing.push(label.to_string()),
                }
            }
            m.values().for_each(|v| titles(v, en, zh, missing));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| titles(v, en, zh, missing)),
        _ => {}
    }
}

/// Chinese labels come from the vendor's field tables; a field they give no Chinese name for
/// keeps its English label (`x-title-zh` absent, `title` English in both languages). Most
/// fields have one; every label is a short name, not a sentence.
#[test]
fn chinese_label_coverage() {
    let (mut en, mut zh, mut missing) = (0, Vec::new(), Vec::new());
    for path in under("schemas", &["json"]) {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        titles(&schema, &mut en, &mut zh, &mut missing);
    }
    let share = zh.len() as f64 / en as f64;
    println!(
        "Chinese labels: {} of {en} schema fields ({:.1}%); English only: {}",
        zh.len(),
        share * 100.0,
        missing.len()
    );
    assert!(en > 1000, "{en}");
    assert!(
        share > 0.85,
        "only {:.1}% of the fields have a Chinese label",
        share * 100.0
    );
    for label in &zh {
        assert!(
            has_han(label)
                && label.chars().count() <= 16
                && !label.contains(['(', '（', ',', '，', '=']),
            "not a short Chinese name: {label}"
        );
    }
}

#[test]
fn schema_titles_follow_lang() {
    let zh = qmwire(&["schema", "--lang", "zh", "trade_push"], &[]);
    let zh: serde_json::Value = serde_json::from_slice(&zh.stdout).unwrap();
    let en = qmwire(&["schema", "--lang", "en", "trade_push"], &[]);
    let en: serde_json::Value = serde_json::from_slice(&en.stdout).unwrap();
    let trade =
        |s: &serde_json::Value| s["$defs"]["Trade"]["properties"]["receiver_mobile"].clone();
    assert_eq!(trade(&zh)["title"], "手机");
    assert_eq!(trade(&en)["title"], trade(&en)["x-title-en"]);
    assert_eq!(trade(&zh)["x-title-zh"], "手机");
    // Only titles change.
    let strip = |mut s: serde_json::Value| {
        fn walk(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("title");
                    m.values_mut().for_each(walk);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut s);
        s
    };
    assert_eq!(strip(zh), strip(en));
}

/// The Chinese report shown in docs/lang.md is what qmwire prints.
#[test]
fn the_chinese_example_in_lang_md_is_what_qmwire_prints() {
    let doc = std::fs::read_to_string(crate::files::repo().join("docs/lang.md")).unwrap();
    let start = doc.find("```text\n").unwrap() + "```text\n".len();
    let shown = &doc[start..start + doc[start..].find("```").unwrap()];
    let out = qmwire(
        &[
            "--lang",
            "zh",
            "lint",
            "tests/fixtures/qimen/deliveryorder.create/err_002_required.xml",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), shown);
}
