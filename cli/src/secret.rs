//! Loading the app secret, shared by `sign`, `verify` and `lint`: from an environment variable
//! or a file, never from the command line. Error messages name the variable or file, never the
//! content.

use std::path::Path;

/// The secret's bytes from `--secret-env VAR` or `--secret-file PATH` (one trailing newline
/// ignored). An empty secret is an error.
pub(crate) fn read_secret(env: Option<&str>, file: Option<&Path>) -> Result<Vec<u8>, String> {
    let secret = match (env, file) {
        (Some(var), _) => std::env::var_os(var)
            .ok_or_else(|| format!("environment variable `{var}` is not set"))?
            .into_string()
            .map_err(|_| format!("environment variable `{var}` is not UTF-8"))?
            .into_bytes(),
        (None, Some(path)) => {
            let mut bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read the secret file {}: {e}", path.display()))?;
            if bytes.ends_with(b"\r\n") {
                bytes.truncate(bytes.len() - 2);
            } else if bytes.ends_with(b"\n") {
                bytes.truncate(bytes.len() - 1);
            }
            bytes
        }
        (None, None) => {
            return Err("no secret: give `--secret-env VAR` or `--secret-file PATH`".into())
        }
    };
    if secret.is_empty() {
        return Err("the secret is empty".into());
    }
    Ok(secret)
}
