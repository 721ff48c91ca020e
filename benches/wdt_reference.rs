//! The reference baseline of `wdt.rs` and `redact.rs`: serde_json into borrowed structs, then
//! hand-written checks of the `trade_push` rules (field rules, `any-of`, duplicate ids, the
//! buyer-nick limit and the money formulas). Written for the benches; included with
//! `#[path = "wdt_reference.rs"] mod reference;`.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A JSON scalar as wdt sends it: codes and amounts come as strings or as numbers.
#[derive(Debug)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool,
    Null,
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(Scalar::Int)
                    .or(Ok(Scalar::Float(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

type F<'a> = Option<Scalar<'a>>;

#[derive(Deserialize)]
pub(crate) struct Params<'a> {
    #[serde(borrow)]
    shop_no: F<'a>,
    #[serde(borrow)]
    shop_id: F<'a>,
    #[serde(borrow)]
    switch: F<'a>,
    #[serde(borrow)]
    trade_list: Option<Vec<Trade<'a>>>,
}

#[derive(Deserialize)]
struct Trade<'a> {
    #[serde(borrow)]
    tid: F<'a>,
    #[serde(borrow)]
    trade_status: F<'a>,
    #[serde(borrow)]
    pay_status: F<'a>,
    #[serde(borrow)]
    delivery_term: F<'a>,
    #[serde(borrow)]
    trade_time: F<'a>,
    #[serde(borrow)]
    pay_time: F<'a>,
    #[serde(borrow)]
    fenxiao_type: F<'a>,
    #[serde(borrow)]
    purchase_id: F<'a>,
    #[serde(borrow)]
    fenxiao_nick: F<'a>,
    #[serde(borrow)]
    buyer_nick: F<'a>,
    #[serde(borrow)]
    buyer_email: F<'a>,
    #[serde(borrow)]
    pay_id: F<'a>,
    #[serde(borrow)]
    pay_account: F<'a>,
    #[serde(borrow)]
    pay_method: F<'a>,
    #[serde(borrow)]
    receiver_name: F<'a>,
    #[serde(borrow)]
    receiver_province: F<'a>,
    #[serde(borrow)]
    receiver_city: F<'a>,
    #[serde(borrow)]
    receiver_district: F<'a>,
    #[serde(borrow)]
    receiver_address: F<'a>,
    #[serde(borrow)]
    receiver_mobile: F<'a>,
    #[serde(borrow)]
    receiver_telno: F<'a>,
    #[serde(borrow)]
    receiver_zip: F<'a>,
    #[serde(borrow)]
    logistics_type: F<'a>,
    #[serde(borrow)]
    invoice_kind: F<'a>,
    #[serde(borrow)]
    invoice_title: F<'a>,
    #[serde(borrow)]
    invoice_content: F<'a>,
    #[serde(borrow)]
    remark_flag: F<'a>,
    #[serde(borrow)]
    buyer_message: F<'a>,
    #[serde(borrow)]
    seller_memo: F<'a>,
    #[serde(borrow)]
    seller_flag: F<'a>,
    #[serde(borrow)]
    post_amount: F<'a>,
    #[serde(borrow)]
    cod_amount: F<'a>,
    #[serde(borrow)]
    ext_cod_fee: F<'a>,
    #[serde(borrow)]
    other_amount: F<'a>,
    #[serde(borrow)]
    paid: F<'a>,
    #[serde(borrow)]
    id_card_type: F<'a>,
    #[serde(borrow)]
    id_card: F<'a>,
    #[serde(borrow)]
    is_auto_wms: F<'a>,
    #[serde(borrow)]
    wms_type: F<'a>,
    #[serde(borrow)]
    warehouse_no: F<'a>,
    #[serde(borrow)]
    order_list: Option<Vec<Line<'a>>>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    oid: F<'a>,
    #[serde(borrow)]
    num: F<'a>,
    #[serde(borrow)]
    price: F<'a>,
    #[serde(borrow)]
    status: F<'a>,
    #[serde(borrow)]
    refund_status: F<'a>,
    #[serde(borrow)]
    goods_id: F<'a>,
    #[serde(borrow)]
    spec_id: F<'a>,
    #[serde(borrow)]
    goods_no: F<'a>,
    #[serde(borrow)]
    spec_no: F<'a>,
    #[serde(borrow)]
    goods_name: F<'a>,
    #[serde(borrow)]
    spec_name: F<'a>,
    #[serde(borrow)]
    adjust_amount: F<'a>,
    #[serde(borrow)]
    discount: F<'a>,
    #[serde(borrow)]
    share_discount: F<'a>,
    #[serde(borrow)]
    commission: F<'a>,
    #[serde(borrow)]
    remark: F<'a>,
    #[serde(borrow)]
    cid: F<'a>,
}

const TRADE_STATUS: &[i64] = &[10, 20, 30, 40, 50, 60, 70, 80, 90];
const PAY_STATUS: &[i64] = &[0, 1, 2];
const DELIVERY_TERM: &[i64] = &[1, 2, 3, 4];
const FENXIAO_TYPE: &[i64] = &[1, 2];
const PAY_METHOD: &[i64] = &[1, 2, 3, 4, 5, 6, 7, 8];
const INVOICE_KIND: &[i64] = &[0, 1, 2, 3, 4];
const FLAG_COLOUR: &[i64] = &[0, 1, 2, 3, 4, 5];
const ID_CARD_TYPE: &[i64] = &[0, 1];
const AUTO_WMS: &[i64] = &[0, 1];
const REFUND_STATUS: &[i64] = &[0, 1, 2, 3, 4, 5];
const SWITCH: &[i64] = &[0, 1];

fn blank(s: &Scalar<'_>) -> bool {
    match s {
        Scalar::Str(t) => t.trim().is_empty(),
        Scalar::Null => true,
        _ => false,
    }
}

/// `string(max)`: at most `max` characters; numbers and booleans pass.
fn text(v: &F<'_>, max: usize, required: bool) -> usize {
    match v {
        None => usize::from(required),
        Some(s) if blank(s) => usize::from(required),
        Some(Scalar::Str(t)) => usize::from(t.chars().count() > max),
        Some(_) => 0,
    }
}

/// An integer: a JSON integer, or a string of digits with an optional all-zero fraction.
fn int_value(s: &Scalar<'_>) -> Option<i64> {
    match s {
        Scalar::Int(n) => Some(*n),
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        Scalar::Str(t) => {
            let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
            if !frac.bytes().all(|b| b == b'0') || (t.contains('.') && frac.is_empty()) {
                return None;
            }
            whole.parse().ok()
        }
        _ => None,
    }
}

/// `integer` with an optional code table and minimum.
fn int(v: &F<'_>, codes: &[i64], min: Option<i64>, required: bool) -> usize {
    match v {
        None => usize::from(required),
        Some(s) if blank(s) => usize::from(required),
        Some(s) => match int_value(s) {
            None => 1,
            Some(n) => usize::from(
                (!codes.is_empty() && !codes.contains(&n)) || min.is_some_and(|m| n < m),
            ),
        },
    }
}

/// Fixed-point amount in units of 0.0001, for `decimal(19,4)`: at most 15 integer digits.
fn amount(s: &Scalar<'_>) -> Option<i128> {
    match s {
        Scalar::Int(n) => Some(i128::from(*n) * 10_000),
        Scalar::Float(f) => {
            let scaled = (f * 10_000.0).round();
            (scaled.abs() < 1e19 && (f * 10_000.0 - scaled).abs() < 1e-6).then_some(scaled as i128)
        }
        Scalar::Str(t) => {
            let (neg, digits) = match t.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, t.as_ref()),
            };
            let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
            if whole.is_empty()
                || whole.len() > 15
                || frac.len() > 4
                || (digits.contains('.') && frac.is_empty())
                || !whole
                    .bytes()
                    .chain(frac.bytes())
                    .all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let mut v: i128 = 0;
            for b in whole.bytes() {
                v = v * 10 + i128::from(b - b'0');
            }
            let mut scale = 10_000;
            for b in frac.bytes() {
                scale /= 10;
                v = v * 10 + i128::from(b - b'0');
            }
            v = if frac.is_empty() {
                v * 10_000
            } else {
                v * scale
            };
            Some(if neg { -v } else { v })
        }
        _ => None,
    }
}

/// `decimal(19,4)`; gives the value (0 when absent) or counts an error.
fn dec(v: &F<'_>, required: bool, errors: &mut usize) -> Option<i128> {
    match v {
        None => {
            *errors += usize::from(required);
            Some(0)
        }
        Some(s) if blank(s) => {
            *errors += usize::from(required);
            Some(0)
        }
        Some(s) => {
            let a = amount(s);
            *errors += usize::from(a.is_none());
            a
        }
    }
}

/// `yyyy-MM-dd HH:mm:ss`, a real calendar date; `zero_ok` accepts `0000-00-00 00:00:00`.
fn datetime(v: &F<'_>, required: bool, zero_ok: bool) -> usize {
    let t = match v {
        None => return usize::from(required),
        Some(s) if blank(s) => return usize::from(required),
        Some(Scalar::Str(t)) => t,
        Some(_) => return 1,
    };
    if t == "0000-00-00 00:00:00" {
        return usize::from(!zero_ok);
    }
    let b = t.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return 1;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return 1;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return 1,
    };
    usize::from(y == 0 || d == 0 || d > days || h > 23 || mi > 59 || s > 59)
}

fn key<'s>(v: &'s F<'_>) -> Option<Cow<'s, str>> {
    match v {
        Some(Scalar::Str(t)) => Some(Cow::Borrowed(t.as_ref())),
        Some(Scalar::Int(n)) => Some(Cow::Owned(n.to_string())),
        Some(Scalar::Float(f)) => Some(Cow::Owned(f.to_string())),
        _ => None,
    }
}

/// Decodes `json` and counts the errors of every field rule, `any-of`, duplicate ids, the
/// buyer-nick limit and the `wdt.paid` / `wdt.cod-amount` formulas; `Err` when the JSON
/// does not decode. Warnings (`wdt.batch-size`, unknown fields) are not counted, and
/// unknown keys are skipped by serde.
pub(crate) fn errors(json: &str) -> Result<usize, serde_json::Error> {
    let p: Params<'_> = serde_json::from_str(json)?;
    let mut e = 0;
    e += text(&p.shop_no, 20, false);
    e += int(&p.shop_id, &[], None, false);
    e += int(&p.switch, SWITCH, None, false);
    let present = |v: &F<'_>| v.as_ref().is_some_and(|s| !blank(s));
    e += usize::from(!present(&p.shop_no) && !present(&p.shop_id));
    let Some(trades) = &p.trade_list else {
        return Ok(e + 1);
    };
    e += usize::from(trades.is_empty());
    let mut tids = HashSet::with_capacity(trades.len());
    let mut oids = HashSet::with_capacity(trades.len() * 3);
    let mut nicks: HashMap<Cow<'_, str>, usize> = HashMap::new();
    for t in trades {
        e += text(&t.tid, 40, true);
        e += int(&t.trade_status, TRADE_STATUS, None, true);
        e += int(&t.pay_status, PAY_STATUS, None, true);
        e += int(&t.delivery_term, DELIVERY_TERM, None, true);
        e += datetime(&t.trade_time, true, false);
        let pay_status = t.pay_status.as_ref().and_then(int_value);
        e += datetime(&t.pay_time, false, pay_status == Some(0));
        e += int(&t.fenxiao_type, FENXIAO_TYPE, None, false);
        e += text(&t.purchase_id, 40, false);
        e += text(&t.fenxiao_nick, 40, false);
        e += text(&t.buyer_nick, 100, false);
        e += text(&t.buyer_email, 60, false);
        e += text(&t.pay_id, 40, false);
        e += text(&t.pay_account, 128, false);
        e += int(&t.pay_method, PAY_METHOD, None, false);
        e += text(&t.receiver_name, 40, true);
        e += text(&t.receiver_province, 40, false);
        e += text(&t.receiver_city, 40, false);
        e += text(&t.receiver_district, 40, false);
        e += text(&t.receiver_address, 256, true);
        e += text(&t.receiver_mobile, 40, false);
        e += text(&t.receiver_telno, 40, false);
        e += text(&t.receiver_zip, 20, false);
        e += int(&t.logistics_type, &[], Some(-1), false);
        e += int(&t.invoice_kind, INVOICE_KIND, None, false);
        e += text(&t.invoice_title, 255, false);
        e += text(&t.invoice_content, 255, false);
        e += int(&t.remark_flag, FLAG_COLOUR, None, false);
        e += text(&t.buyer_message, 1024, false);
        e += text(&t.seller_memo, 1024, false);
        e += int(&t.seller_flag, FLAG_COLOUR, None, false);
        let post = dec(&t.post_amount, false, &mut e);
        let cod = dec(&t.cod_amount, false, &mut e);
        let ext = dec(&t.ext_cod_fee, false, &mut e);
        let other = dec(&t.other_amount, false, &mut e);
        let paid = dec(&t.paid, false, &mut e);
        e += int(&t.id_card_type, ID_CARD_TYPE, None, false);
        e += text(&t.id_card, 40, false);
        e += int(&t.is_auto_wms, AUTO_WMS, None, false);
        e += int(&t.wms_type, &[], None, false);
        e += text(&t.warehouse_no, 40, false);
        if let Some(tid) = key(&t.tid) {
            e += usize::from(!tids.insert(tid));
        }
        if let Some(nick) = key(&t.buyer_nick) {
            *nicks.entry(nick).or_default() += 1;
        }
        let Some(lines) = &t.order_list else {
            e += 1;
            continue;
        };
        e += usize::from(lines.is_empty());
        let mut sum = Some(0i128);
        for l in lines {
            e += text(&l.oid, 40, true);
            let num = dec(&l.num, true, &mut e);
            let price = dec(&l.price, true, &mut e);
            e += int(&l.status, TRADE_STATUS, None, true);
            e += int(&l.refund_status, REFUND_STATUS, None, true);
            e += text(&l.goods_id, 40, true);
            e += text(&l.spec_id, 40, false);
            e += text(&l.goods_no, 40, false);
            e += text(&l.spec_no, 40, false);
            e += usize::from(!present(&l.goods_no) && !present(&l.spec_no));
            e += text(&l.goods_name, 255, false);
            e += text(&l.spec_name, 100, false);
            let adjust = dec(&l.adjust_amount, true, &mut e);
            let discount = dec(&l.discount, true, &mut e);
            let share = dec(&l.share_discount, true, &mut e);
            dec(&l.commission, false, &mut e);
            e += text(&l.remark, 1024, false);
            e += text(&l.cid, 40, false);
            if let Some(oid) = key(&l.oid) {
                e += usize::from(!oids.insert(oid));
            }
            sum = (|| {
                let product = price? * num? / 10_000;
                Some(sum? + product + adjust? - discount? - share?)
            })();
        }
        let term = t.delivery_term.as_ref().and_then(int_value);
        if let Some(sum) = sum {
            if term == Some(1) && pay_status == Some(2) {
                let want = (|| Some(sum + post? + other?))();
                e += usize::from(want.is_some() && want != paid);
            }
            if term == Some(2) {
                let want = (|| Some(sum + post? + ext? - paid?))();
                e += usize::from(want.is_some() && want != cod);
            }
        }
    }
    e += nicks.values().filter(|&&n| n > 30).count();
    Ok(e)
}
