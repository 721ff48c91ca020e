//! `qmwire convert kingdee` and `qmwire convert kingdee-mapping`: wdt refund stock-in orders into
//! a 金蝶云星空 BatchSave request through a mapping file, and 金蝶's reply back onto the wdt
//! orders.
//!
//! Exit codes as for the other conversions: 0 converted (a request that lints clean, or a reply
//! read back); 1 the input cannot be converted (a value the mapping cannot resolve, a request
//! with lint errors, an unreadable reply); 2 usage and I/O errors (a mapping that does not load).

use crate::convert::{print, read_input, Failure};
use qmwire::convert::kingdee::back::map_reply;
use qmwire::convert::kingdee::build::to_batch_save;
use qmwire::convert::kingdee::mapping::{Mapping, BUILTINS};
use qmwire::render::{human, FileReport};
use qmwire::Limits;
use serde_json::json;

/// A mapping is a few kilobytes; a bound keeps `--mapping /dev/zero` from eating memory.
const MAX_MAPPING_BYTES: u64 = 1 << 20;

fn load(name: &str) -> Result<Mapping, Failure> {
    if let Some(builtin) = name.strip_prefix("builtin:") {
        return Mapping::builtin(builtin).ok_or_else(|| {
            let known: Vec<&str> = BUILTINS.iter().map(|(n, _)| *n).collect();
            Failure::Usage(crate::lang::say(
                || {
                    format!(
                        "no built-in mapping `{builtin}` (known: {})",
                        known.join(", ")
                    )
                },
                || {
                    format!(
                        "没有名为 `{builtin}` 的内置映射（已有：{}）",
                        known.join("、")
                    )
                },
            ))
        });
    }
    use std::io::Read;
    let file = std::fs::File::open(name)
        .map_err(|e| Failure::Usage(crate::convert::file_error(name, &e)))?;
    let mut bytes = Vec::new();
    file.take(MAX_MAPPING_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Usage(crate::convert::file_error(name, &e)))?;
    if bytes.len() as u64 > MAX_MAPPING_BYTES {
        return Err(Failure::Usage(crate::lang::say(
            || format!("{name}: larger than {MAX_MAPPING_BYTES} bytes; not a mapping"),
            || format!("{name}：超过 {MAX_MAPPING_BYTES} 字节，不是映射文件"),
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::Usage(crate::lang::say(
            || format!("{name}: not UTF-8 text"),
            || format!("{name}：不是 UTF-8 文本"),
        ))
    })?;
    Mapping::parse(&text, name).map_err(|e| Failure::Usage(e.to_string_in(crate::lang::get())))
}

/// `qmwire convert kingdee`.
pub(crate) fn convert(
    mapping: String,
    reply: Option<String>,
    input: String,
) -> Result<(), Failure> {
    let mapping = load(&mapping)?;
    let wdt = read_input(&input)?;
    let limits = Limits::default();
    let converted = to_batch_save(&wdt, &mapping, &limits).map_err(|e| {
        Failure::Input(crate::lang::say(
            || format!("{input}: {e}"),
            || format!("{input}：{}", e.zh()),
        ))
    })?;
    for s in &converted.skipped {
        eprintln!(
            "qmwire: {}",
            crate::lang::say(
                || format!(
                    "note: order {} left out: its status {} is not in `only-status`",
                    s.order_no, s.status
                ),
                || format!(
                    "注：入库单 {} 没有转换：它的状态 {} 不在 `only-status` 里",
                    s.order_no, s.status
                ),
            )
        );
    }
    if let Some(reply_path) = reply {
        let bytes = read_input(&reply_path)?;
        let (bills, unplaced) = map_reply(&bytes, &converted.bills, &limits).map_err(|e| {
            Failure::Input(crate::lang::say(
                || format!("{reply_path}: {e}"),
                || format!("{reply_path}：{}", e.zh()),
            ))
        })?;
        let error = |e: &qmwire::convert::kingdee::back::BillError| json!({ "field": e.field, "path": e.path, "message": e.message });
        let out = json!({
            "bills": bills.iter().map(|b| json!({
                "index": b.index,
                "order_no": b.order_no,
                "bill_no": b.bill_no,
                "status": b.status.as_str(),
                "number": b.number,
                "errors": b.errors.iter().map(error).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "unplaced_errors": unplaced.iter().map(error).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&out)
            .map_err(|e| Failure::Usage(crate::convert::json_error(&e)))?;
        return print(&text);
    }
    if !converted.report.issues.is_empty() {
        let path = crate::lang::pick("(converted request)", "（转换后的请求）");
        eprint!(
            "{}",
            human::render_in(
                &[FileReport {
                    path,
                    input: &converted.json,
                    report: &converted.report,
                }],
                crate::lang::get()
            )
        );
    }
    if !converted.report.is_valid() {
        return Err(Failure::Input(
            crate::lang::pick(
                "the converted request does not pass the 金蝶 lint (above); fix the mapping",
                "转换后的请求没有通过金蝶的检查（见上）；请修改映射",
            )
            .into(),
        ));
    }
    print(converted.json.trim_end())
}

/// `qmwire convert kingdee-mapping`.
pub(crate) fn print_mapping(name: &str) -> Result<(), Failure> {
    match BUILTINS.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => print(text.trim_end()),
        None => Err(Failure::Usage(crate::lang::say(
            || format!("no built-in mapping `{name}`"),
            || format!("没有名为 `{name}` 的内置映射"),
        ))),
    }
}
