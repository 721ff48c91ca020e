//! Project automation. `cargo xtask codegen [--check]` turns `codec/spec/<protocol>/*.toml` into the
//! generated Rust under `codec/src/model/<protocol>/gen/` and the JSON Schemas under `schemas/`;
//! with `--check` it only reports staleness.

#![forbid(unsafe_code)]

mod gen;
mod schema;
mod spec;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::{env, fs};

const PROTOCOLS: &[(&str, spec::Format)] = &[
    ("qimen", spec::Format::Xml),
    ("wdt", spec::Format::Json),
    ("kingdee", spec::Format::Json),
];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        _ => Err("usage: cargo xtask codegen [--check]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn codegen(check: bool) -> Result<(), String> {
    let root = root();
    let mut stale = Vec::new();
    let mut schemas = Vec::new();
    for &(proto, format) in PROTOCOLS {
        let spec_dir = root.join("codec/spec").join(proto);
        let out_dir = root.join("codec/src/model").join(proto).join("gen");
        let protocol = spec::load(&spec_dir, format)?;
        schemas.extend(schema::generate(proto, &protocol));
        let files: BTreeMap<String, String> = gen::generate(proto, &protocol)?
            .into_iter()
            .map(|(name, text)| rustfmt(&text).map(|t| (name, t)))
            .collect::<Result<_, _>>()?;
        let existing: Vec<String> = fs::read_dir(&out_dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|n| n.ends_with(".rs"))
                    .collect()
            })
            .unwrap_or_default();
        for name in &existing {
            if !files.contains_key(name) {
                let path = out_dir.join(name);
                if check {
                    stale.push(format!("{} should not exist", path.display()));
                } else {
                    fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
        }
        for (name, text) in &files {
            let path = out_dir.join(name);
            let current = fs::read_to_string(&path).ok();
            if current.as_deref() == Some(text.as_str()) {
                continue;
            }
            if check {
                stale.push(format!("{} is out of date", path.display()));
            } else {
                fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
                fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("wrote {}", path.display());
            }
        }
    }
    schema::write(&root, &schemas, check, &mut stale)?;
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated code is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        ))
    }
}

fn rustfmt(text: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed on generated code: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    /// The committed generated code must match what the specs produce.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::codegen(true) {
            panic!("{e}");
        }
    }
}
