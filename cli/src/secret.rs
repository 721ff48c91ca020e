//! Loading the app secret, shared by `sign`, `verify`, `lint` and `convert`: from an environment
//! variable or a file, never from the command line. Error messages echo neither the secret nor
//! the argument naming it: a user who passes the secret itself by mistake (`--secret-env
//! s3cr3t`) must not find it on the terminal or in a CI log.

use std::io::Read;
use std::path::Path;

/// The largest secret file read: an app secret is a few dozen bytes, and `/dev/zero` must not
/// be read for ever.
pub(crate) const MAX_SECRET_FILE: u64 = 64 * 1024;

/// The secret's bytes from `--secret-env VAR` or `--secret-file PATH` (one trailing newline
/// ignored, at most [`MAX_SECRET_FILE`] bytes read). An empty secret is an error.
pub(crate) fn read_secret(env: Option<&str>, file: Option<&Path>) -> Result<Vec<u8>, String> {
    let secret = match (env, file) {
        (Some(var), _) => from_env(var, "--secret-env")?
            .into_string()
            .map_err(|_| {
                crate::lang::pick(
                    "the environment variable given to --secret-env is not UTF-8",
                    "--secret-env 指定的环境变量不是 UTF-8",
                )
                .to_string()
            })?
            .into_bytes(),
        (None, Some(path)) => {
            let mut bytes = read_capped(path)?;
            if bytes.ends_with(b"\r\n") {
                bytes.truncate(bytes.len() - 2);
            } else if bytes.ends_with(b"\n") {
                bytes.truncate(bytes.len() - 1);
            }
            bytes
        }
        (None, None) => {
            return Err(crate::lang::pick(
                "no secret: give `--secret-env VAR` or `--secret-file PATH`",
                "没有密钥：请用 `--secret-env VAR` 或 `--secret-file PATH` 提供",
            )
            .into())
        }
    };
    if secret.is_empty() {
        return Err(crate::lang::pick("the secret is empty", "密钥为空").into());
    }
    Ok(secret)
}

/// The value of the environment variable named by `flag`'s argument `var`. The error names the
/// flag, never `var`: it may be the secret itself, given by mistake.
pub(crate) fn from_env(var: &str, flag: &str) -> Result<std::ffi::OsString, String> {
    std::env::var_os(var).ok_or_else(|| match crate::lang::get() {
        qmwire::Lang::Zh => format!("{flag} 指定的环境变量没有设置"),
        _ => format!("the environment variable given to {flag} is not set"),
    })
}

/// Reads at most [`MAX_SECRET_FILE`] bytes of `path`; more is an error. Errors name neither the
/// path (it may be the secret, given by mistake) nor the content.
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| {
        crate::lang::say(
            || format!("cannot read the file given to --secret-file: {e}"),
            || {
                format!(
                    "无法读取 --secret-file 指定的文件：{}",
                    crate::lang::io_error(&e)
                )
            },
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SECRET_FILE {
        return Err(crate::lang::say(
            || {
                format!(
                    "expected an app secret in the file given to --secret-file, found more than {} KiB",
                    MAX_SECRET_FILE / 1024
                )
            },
            || {
                format!(
                    "--secret-file 指定的文件应只含 app secret，实际超过了 {} KiB",
                    MAX_SECRET_FILE / 1024
                )
            },
        ));
    }
    Ok(bytes)
}
