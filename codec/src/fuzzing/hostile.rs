//! Fuzz target `hostile`: the input classes of issue 13 that are about shape. The first byte
//! picks one of three checks, the rest is split at `0xFF` bytes into filler pieces:
//!
//! - **masking**: a `deliveryorder.create` (XML) or a `trade_push` (JSON) with personal values
//!   planted where personal values go (a receiver's name, a repeated and a misspelled name, a
//!   phone, an address in CDATA, a JSON key given twice), each with filler around it that may
//!   break the document in any way. No planted value may appear in the human or the JSON
//!   output. The filler cannot spell a planted value (their characters are taken out of it);
//!   it stays outside the planted element's own text, so it can make the document malformed,
//!   but cannot move a planted value into a field that is not personal.
//! - **money**: a `trade_push` whose price, quantity and discount are digit strings from the
//!   input (up to 20 integer and 6 fractional digits, signed). No panic; when `price × num`
//!   or any value is beyond `decimal(19,4)`, there is a `decimal` error; there is never a
//!   `wdt.paid` error when a `decimal` error stands on the same trade's money.
//! - **controls**: filler with C0, C1 and bidi controls put in a value, a tag name, a JSON key
//!   and a query parameter. The human output holds none of them raw (only line ends), and the
//!   JSON output parses and holds no raw C0 control (JSON escapes them).

use crate::options::{Options, PrivacyCheck};
use crate::render::{self, FileReport};

/// The planted personal values; the filler never holds their characters.
const PLANTED: [&str; 4] = ["欧阳娜娜", "司马懿", "13877777777", "西湖区文三路77号"];

/// The characters filler may not hold, so it cannot spell a planted value.
fn scrub(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '7' => '8',
            c if PLANTED.iter().any(|p| p.contains(c)) && !c.is_ascii() => '某',
            c => c,
        })
        .collect()
}

/// The harness body (see the module docs).
pub fn hostile(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let pieces: Vec<String> = rest
        .split(|&b| b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let piece = |i: usize| pieces.get(i).map_or("", String::as_str);
    match mode % 3 {
        0 => masking(mode, &|i| scrub(piece(i))),
        1 => money(&pieces),
        _ => controls(&|i| piece(i).to_string()),
    }
}

/// Lints `input` under `options` and renders it both ways.
fn outputs(input: &str, options: &Options) -> (crate::report::Report, String, String) {
    let report = crate::lint(input.as_bytes(), options);
    let files = [FileReport {
        path: "fuzz",
        input,
        report: &report,
    }];
    let human = render::human::render(&files);
    let json = render::json::render(&files).to_string();
    (report, human, json)
}

fn masking(mode: u8, piece: &dyn Fn(usize) -> String) {
    let [name, other, phone, address] = PLANTED;
    let input = if mode & 4 == 0 {
        format!(
            "<request><deliveryOrder><deliveryOrderCode>D{}</deliveryOrderCode><orderType>JYCK</orderType><receiverInfo>{}<name>{name}</name>{}<name>{other}</name>{}<nmae>{other}</nmae><mobile>{phone}</mobile>{}<detailAddress><![CDATA[{address}]]></detailAddress>{}</receiverInfo>{}</deliveryOrder>{}</request>",
            piece(0), piece(1), piece(2), piece(3), piece(4), piece(5), piece(6), piece(7)
        )
    } else {
        format!(
            r#"{{"shop_no":"s{}","trade_list":[{{"tid":"T1",{}"receiver_name":"{name}",{}"receiver_name":"{other}","receiver_mobile":"{phone}",{}"receiver_address":"{address}"{}}}]{}}}"#,
            piece(0),
            piece(1),
            piece(2),
            piece(3),
            piece(4),
            piece(5)
        )
    };
    for privacy in [PrivacyCheck::Oaid, PrivacyCheck::Forbid] {
        let mut options = Options::new().with_privacy(privacy);
        if mode & 8 != 0 {
            options = options.with_method(if mode & 4 == 0 {
                "deliveryorder.create"
            } else {
                "trade_push"
            });
        }
        let (_, human, json) = outputs(&input, &options);
        for value in PLANTED {
            assert!(
                !human.contains(value) && !json.contains(value),
                "`{value}` printed for\n{input}\n{human}\n{json}"
            );
        }
    }
}

/// A decimal from the input: an optional sign, up to 20 integer and 6 fractional digits.
fn decimal(piece: &[u8]) -> String {
    let digits: String = piece
        .iter()
        .skip(1)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    let sign = if piece.first().is_some_and(|b| b & 1 == 1) {
        "-"
    } else {
        ""
    };
    let split = usize::from(piece.first().copied().unwrap_or(0) >> 1) % 7;
    let (int, frac) = digits.split_at(digits.len().saturating_sub(split).min(20));
    let int = if int.is_empty() {
        "0"
    } else {
        &int[..int.len().min(20)]
    };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{}", &frac[..frac.len().min(6)])
    }
}

fn money(pieces: &[String]) {
    let value = |i: usize| decimal(pieces.get(i).map_or(&[][..], |p| p.as_bytes()));
    let (price, num, discount) = (value(0), value(1), value(2));
    let json = format!(
        r#"[{{"tid":"T1","trade_status":30,"pay_status":2,"delivery_term":1,"trade_time":"2024-05-01 10:00:00","post_amount":0,"paid":"1","order_list":[{{"oid":"O1","num":"{num}","price":"{price}","status":30,"refund_status":0,"goods_id":"G1","spec_no":"S1","adjust_amount":0,"discount":"{discount}","share_discount":0}}]}}]"#
    );
    let (report, human, json_out) = outputs(&json, &Options::new().with_method("trade_push"));
    serde_json::from_str::<serde_json::Value>(&json_out).expect("JSON output parses");
    assert!(human.ends_with('\n'));
    let rules: Vec<&str> = report.issues.iter().map(|i| i.rule).collect();
    // decimal(19,4): at most 15 integer digits and 4 fractional digits.
    let fits = |v: &str| {
        let v = v.trim_start_matches('-');
        let (int, frac) = v.split_once('.').unwrap_or((v, ""));
        int.trim_start_matches('0').len() <= 15 && frac.len() <= 4
    };
    let scaled = |v: &str| -> i128 {
        let neg = v.starts_with('-');
        let v = v.trim_start_matches('-');
        let (int, frac) = v.split_once('.').unwrap_or((v, ""));
        let n: i128 = format!("{int}{frac:0<4}").parse().unwrap_or(0);
        if neg {
            -n
        } else {
            n
        }
    };
    if [&price, &num, &discount].iter().all(|v| fits(v)) {
        // Exact in i128: both factors are below 10^19.
        let product = scaled(&price) * scaled(&num);
        let limit = 10i128.pow(23); // 10^15 at scale 8
        if product.abs() >= limit {
            assert!(
                rules.contains(&crate::rules::DECIMAL),
                "{price} × {num} is beyond decimal(19,4) but no `decimal` error: {rules:?}"
            );
        }
    } else {
        assert!(rules.contains(&crate::rules::DECIMAL), "{json}: {rules:?}");
    }
}

/// Whether `c` must never reach a terminal raw: C0 other than line ends and tab, DEL, C1, and
/// the bidi embedding, override and isolate controls.
fn is_raw_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn controls(piece: &dyn Fn(usize) -> String) {
    const PALETTE: [char; 10] = [
        '\u{1b}', '\u{7}', '\u{0}', '\r', '\u{7f}', '\u{85}', '\u{9b}', '\u{202e}', '\u{2066}', 'a',
    ];
    let salt = |i: usize| -> String {
        piece(i)
            .bytes()
            .map(|b| PALETTE[usize::from(b) % PALETTE.len()])
            .collect()
    };
    let inputs = [
        format!(
            "<request><orderCode>{}</orderCode><ownerCode>O</ownerCode><warehouseCode>W</warehouseCode><orderType>{}</orderType><x{}>1</x{}></request>",
            salt(0), salt(1), salt(2), salt(2)
        ),
        format!(r#"[{{"tid":"{}","trade_status":"3{}","{}":1}}]"#, salt(0), salt(1), salt(2)),
        format!(
            "POST /router/qimen/service?method=taobao.qimen.order.cancel&v={}&timestamp={} HTTP/1.1\nX-A: {}\n\n<request/>",
            salt(0), salt(1), salt(2)
        ),
    ];
    for input in inputs {
        let (_, human, json) = outputs(&input, &Options::new());
        if let Some(c) = human.chars().find(|&c| is_raw_control(c)) {
            panic!("{:?} raw in human output:\n{human:?}", c);
        }
        serde_json::from_str::<serde_json::Value>(&json).expect("JSON output parses");
        // JSON escapes every C0 control; the others are valid JSON as they are.
        assert!(
            !json.chars().any(|c| c < ' '),
            "raw C0 control in JSON output: {json:?}"
        );
    }
}
