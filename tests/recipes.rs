//! The CI recipes of `docs/ci.md`, run as written: each recipe's command lines are taken from
//! the page, run by `sh` in a scratch directory whose `outgoing/` holds copies of the bundled
//! examples (clean) or those plus an erroneous fixture, with the `qmwire` under test first on
//! the `PATH`; the exit code and the report file are checked.

use crate::files::repo;
use crate::formats::check_junit;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fenced block that follows `<!-- recipe: NAME -->` in docs/ci.md.
fn recipe(name: &str) -> String {
    let page = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let marker = format!("<!-- recipe: {name} -->\n");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no recipe {name}"))
        + marker.len();
    let rest = &page[at..];
    let body = &rest[rest.find('\n').unwrap() + 1..];
    body[..body.find("\n```").unwrap() + 1].to_string()
}

/// A scratch directory with `outgoing/` holding the examples, plus an erroneous fixture when
/// `with_error`.
fn workspace(name: &str, with_error: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "qmwire-recipe-{name}-{with_error}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let outgoing = dir.join("outgoing");
    for path in crate::files::under("examples", &["xml", "http", "json", "form"]) {
        let to = outgoing.join(path.strip_prefix(repo().join("examples")).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&path, to).unwrap();
    }
    if with_error {
        std::fs::copy(
            repo().join("tests/fixtures/qimen/deliveryorder.create/err_001_enum.xml"),
            outgoing.join("qimen/err_001_enum.xml"),
        )
        .unwrap();
    }
    dir
}

/// Runs `script` with `sh -c` in `dir`, the tested binary first on the `PATH`.
fn sh(dir: &Path, script: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_qmwire")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("sh");
    for var in crate::files::LOCALE {
        cmd.env_remove(var);
    }
    cmd.arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("run sh")
}

fn text(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The value of the first `key: value` line of a YAML block.
fn yaml_value<'a>(block: &'a str, key: &str) -> &'a str {
    block
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key}:"))
        .trim()
}

#[test]
fn pre_commit_hook_lints_the_staged_messages() {
    let block = recipe("pre-commit");
    assert_eq!(yaml_value(&block, "language"), "system");
    let entry = yaml_value(&block, "entry");
    let files = yaml_value(&block, "files");
    assert!(files.starts_with("^outgoing/"), "{files}");
    for with_error in [false, true] {
        let dir = workspace("pre-commit", with_error);
        // pre-commit appends the matching staged files to the entry.
        let staged: Vec<String> =
            crate::files::under(dir.join("outgoing"), &["xml", "http", "json", "form"])
                .iter()
                .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
                .collect();
        let out = sh(&dir, &format!("{entry} {}", staged.join(" ")));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(i32::from(with_error)), "{stdout}");
        assert!(
            stdout.contains(&format!("checked {} files", staged.len())),
            "{stdout}"
        );
        assert_eq!(stdout.contains("error[enum]"), with_error, "{stdout}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn gitlab_job_writes_both_reports_and_fails_on_errors() {
    let block = recipe("gitlab");
    let script: Vec<&str> = block
        .lines()
        .skip_while(|l| l.trim() != "script:")
        .skip(1)
        .map_while(|l| l.trim().strip_prefix("- "))
        .collect();
    assert_eq!(script.len(), 2, "{block}");
    assert_eq!(yaml_value(&block, "junit"), "qmwire-junit.xml");
    for with_error in [false, true] {
        let dir = workspace("gitlab", with_error);
        // GitLab runs the lines in one shell and stops at the first that fails.
        let out = sh(&dir, &format!("set -e\n{}", script.join("\n")));
        assert_eq!(
            out.status.code(),
            Some(i32::from(with_error)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sarif: serde_json::Value = serde_json::from_str(&text(&dir, "qmwire.sarif")).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(
            results.iter().any(|r| r["ruleId"] == "enum"),
            with_error,
            "{sarif}"
        );
        let junit = text(&dir, "qmwire-junit.xml");
        check_junit(&junit);
        assert_eq!(junit.contains("failures=\"1\""), with_error, "{junit}");
        assert!(junit.contains("failures=\"0\"") != with_error, "{junit}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // Exit 2 (an unreadable path) is not let through by the first line.
    let dir = workspace("gitlab-missing", false);
    std::fs::remove_dir_all(dir.join("outgoing")).unwrap();
    let out = sh(&dir, &format!("set -e\n{}", script[0]));
    assert_eq!(out.status.code(), Some(1), "`[ 2 -eq 1 ]` fails the line");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn github_step_writes_the_sarif_log_upload_sarif_reads() {
    let block = recipe("github");
    assert!(block.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(block.contains("security-events: write"));
    let run = yaml_value(&block, "run");
    let sarif_file = yaml_value(&block, "sarif_file");
    for with_error in [false, true] {
        let dir = workspace("github", with_error);
        let out = sh(&dir, run);
        assert_eq!(out.status.code(), Some(i32::from(with_error)));
        let log: serde_json::Value = serde_json::from_str(&text(&dir, sarif_file)).unwrap();
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "qmwire");
        for r in run["results"].as_array().unwrap() {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            // Relative to the working directory: the file is where code scanning looks.
            assert!(dir.join(uri).is_file(), "{uri}");
        }
        assert_eq!(run["results"].as_array().unwrap().is_empty(), !with_error);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn pre_push_hook_keeps_the_report_and_refuses_on_errors() {
    let script = recipe("pre-push");
    assert!(script.starts_with("#!/bin/sh\n"));
    for with_error in [false, true] {
        let dir = workspace("pre-push", with_error);
        std::fs::write(dir.join("hook.sh"), &script).unwrap();
        let out = sh(&dir, "sh hook.sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(i32::from(with_error)), "{stderr}");
        let report = text(&dir, "qmwire-report.txt");
        let examples = crate::files::under("examples", &["xml", "http", "json", "form"]).len();
        assert!(examples >= 14, "{examples} examples");
        let files = examples + usize::from(with_error);
        assert!(
            report.contains(&format!("checked {files} files")),
            "{report}"
        );
        assert_eq!(report.contains("error[enum]"), with_error, "{report}");
        assert_eq!(
            stderr.contains("qmwire: outgoing/ has errors (exit 1, report in qmwire-report.txt)"),
            with_error,
            "{stderr}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
