//! Finding the files the tests run over.

use std::path::{Path, PathBuf};

/// The `qmwire` binary under test, with the locale variables that choose its language
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`) removed: it speaks English, whatever the machine's locale,
/// unless a test asks for Chinese (docs/lang.md).
pub(crate) fn qmwire_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_qmwire"));
    for var in LOCALE {
        cmd.env_remove(var);
    }
    cmd
}

/// The environment variables that choose `qmwire`'s language.
pub(crate) const LOCALE: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` (a path from the repository root, or an absolute one), in every
/// subfolder, whose extension is one of `exts`; sorted. A folder that cannot be read fails the
/// test, so a moved fixture folder is never silently skipped.
pub(crate) fn under(dir: impl AsRef<Path>, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join(dir)];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for p in entries.map(|e| e.unwrap().path()) {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
