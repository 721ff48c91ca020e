//! `qmwire schema`: print the JSON Schema of a message body, or list them all. The schemas are
//! the committed `schemas/*.json`, built into the binary, so the CLI and the files never differ.

mod embedded;

use clap::ValueEnum;
use embedded::{Embedded, SCHEMAS};
use std::io::{self, Write};
use std::process::ExitCode;

/// Which body of a method.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Direction {
    /// The body the caller sends.
    Request,
    /// The body sent back.
    Response,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

/// Arguments of `qmwire schema`.
#[derive(clap::Args)]
pub(crate) struct SchemaArgs {
    /// Qimen method (`deliveryorder.create` or `taobao.qimen.deliveryorder.create`), generic
    /// reply (`response`, `error_response`) or wdt API (`trade_push`, `wdt.trade.push`).
    /// Without it, every schema is listed.
    method: Option<String>,
    /// Which body; defaults to the request (the generic replies have only a response).
    #[arg(long, short, value_enum)]
    direction: Option<Direction>,
    /// The schema as a counterparty profile has the contract (see `lint --profile`).
    #[command(flatten)]
    profile: crate::profile::ProfileArgs,
}

/// Sets every `title` that has an `x-title-zh` to it; a field whose Chinese name the vendor's
/// tables do not give keeps its English title.
fn titles_in_chinese(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(m) => {
            if let Some(zh) = m.get("x-title-zh").cloned() {
                m.insert("title".into(), zh);
            }
            m.values_mut().for_each(titles_in_chinese);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(titles_in_chinese),
        _ => {}
    }
}

/// Runs `qmwire schema`.
pub(crate) fn run(args: SchemaArgs) -> ExitCode {
    let Some(name) = args.method else {
        let mut out = String::new();
        for s in SCHEMAS
            .iter()
            .filter(|s| args.direction.is_none_or(|d| d.name() == s.direction))
        {
            out.push_str(&format!(
                "{:<7} {:<40} {:<9} schemas/{}\n",
                s.protocol, s.method, s.direction, s.path
            ));
        }
        return print(&out);
    };
    let found = match find(&name, args.direction) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("qmwire: {message}");
            return ExitCode::from(2);
        }
    };
    let zh = crate::lang::get() == qmwire::Lang::Zh;
    match args.profile.load() {
        Ok(None) if !zh => print(found.text),
        Ok(profile) => {
            let mut schema: serde_json::Value =
                serde_json::from_str(found.text).expect("the embedded schemas are JSON");
            if let Some(profile) = profile {
                let response = found.direction == Direction::Response.name();
                qmwire::profile::apply_to_schema(&profile, found.method, response, &mut schema);
            }
            if zh {
                titles_in_chinese(&mut schema);
            }
            let text = serde_json::to_string_pretty(&schema).expect("a JSON value prints");
            print(&format!("{text}\n"))
        }
        Err(e) => {
            eprintln!("qmwire: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> ExitCode {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!(
                "qmwire: {}: {e}",
                crate::lang::pick("cannot write to standard output", "无法写入标准输出")
            );
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The schema of `name`'s body in `direction` (the request by default, or the only body).
fn find(name: &str, direction: Option<Direction>) -> Result<&'static Embedded, String> {
    let method = qmwire::model::qimen::method(name)
        .map(|m| m.method)
        .or_else(|| qmwire::model::wdt::method(name).map(|m| m.method))
        .or_else(|| qmwire::model::kingdee::method(name).map(|m| m.method))
        .unwrap_or(name.trim());
    let bodies: Vec<&Embedded> = SCHEMAS.iter().filter(|s| s.method == method).collect();
    if bodies.is_empty() {
        return Err(match crate::lang::get() {
            qmwire::Lang::Zh => {
                format!("没有 `{name}` 的 schema；`qmwire schema` 会列出所有 schema")
            }
            _ => format!("no schema for `{name}`; `qmwire schema` lists them"),
        });
    }
    let wanted = match direction {
        Some(d) => d.name(),
        None if bodies.len() == 1 => bodies[0].direction,
        None => Direction::Request.name(),
    };
    bodies
        .into_iter()
        .find(|s| s.direction == wanted)
        .ok_or_else(|| match crate::lang::get() {
            qmwire::Lang::Zh => {
                format!("`{method}` 没有 {wanted} 报文体；请用 `--direction response`")
            }
            _ => format!("`{method}` has no {wanted} body; expected `--direction response`"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_every_name_form() {
        let s = find("deliveryorder.create", None).unwrap();
        assert_eq!(s.path, "qimen/deliveryorder.create.request.json");
        let s = find(
            "taobao.qimen.deliveryorder.create",
            Some(Direction::Response),
        )
        .unwrap();
        assert_eq!(s.path, "qimen/deliveryorder.create.response.json");
        assert_eq!(
            find("wdt.trade.push", None).unwrap().path,
            "wdt/trade_push.request.json"
        );
        assert_eq!(
            find("error_response", None).unwrap().path,
            "qimen/error_response.json"
        );
        let e = find("response", Some(Direction::Request)).err().unwrap();
        assert!(e.contains("no request body"), "{e}");
        assert!(find("nosuch.method", None).is_err());
    }

    #[test]
    fn index_lists_every_embedded_schema() {
        let index: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/index.json")).unwrap();
        let paths: Vec<&str> = index["schemas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap())
            .collect();
        let embedded: Vec<&str> = SCHEMAS.iter().map(|s| s.path).collect();
        assert_eq!(paths, embedded);
        assert!(paths.len() >= 30, "{}", paths.len());
    }
}
