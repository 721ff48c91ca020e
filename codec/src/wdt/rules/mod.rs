//! Cross-field rules of wdt's documents, one small file each. They run after the field rules
//! over the typed model and report with JSON Pointer paths. "One key or another" groups
//! (`wdt.goods-or-spec-no`) are declared in the specs and checked by the validator.

pub(crate) mod batch_size;
pub(crate) mod buyer_nick_limit;
pub(crate) mod cod_amount;
pub(crate) mod duplicate_ids;
pub(crate) mod formula;
pub(crate) mod paid;
pub(crate) mod pay_time;
pub(crate) mod seen;
pub(crate) mod time_window;

use super::WdtDocument;
use crate::model::wdt::{Trade, WdtBody};
use crate::report::Msg;
use crate::validate::{Issue, Severity};
use crate::wire::money::Amount;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// Runs every cross-field rule that applies to `doc`'s body.
pub(crate) fn check(doc: &WdtDocument<'_>, out: &mut Vec<Issue>) {
    let mut ctx = Ctx { out };
    match &doc.body {
        WdtBody::TradePushParams(p) => {
            let Some(trades) = &p.trade_list else { return };
            let prefix = if doc.bare { "" } else { "/trade_list" };
            batch_size::check(&mut ctx, trades, prefix, 50, "trades");
            duplicate_ids::check_trades(&mut ctx, trades, prefix);
            buyer_nick_limit::check(&mut ctx, trades, prefix);
            for (index, t) in trades.items.iter().enumerate() {
                let at = At { prefix, index };
                pay_time::check(&mut ctx, t, &at);
                paid::check(&mut ctx, t, &at);
                cod_amount::check(&mut ctx, t, &at);
            }
        }
        WdtBody::SalesRefundPushParams(p) => {
            if let Some(refunds) = &p.api_refund_list {
                let prefix = if doc.bare { "" } else { "/api_refund_list" };
                batch_size::check(&mut ctx, refunds, prefix, 10, "refunds");
            }
        }
        WdtBody::StockinRefundQueryParams(p) => time_window::check(&mut ctx, p),
        _ => {}
    }
}

/// The JSON Pointer of a list item, written out (`/trade_list/3`) only when an issue needs it.
pub(crate) struct At<'p> {
    /// The list's JSON Pointer.
    pub(crate) prefix: &'p str,
    /// The item's index.
    pub(crate) index: usize,
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.prefix, self.index)
    }
}

/// Where cross-field issues go.
pub(crate) struct Ctx<'o> {
    out: &'o mut Vec<Issue>,
}

impl Ctx<'_> {
    fn error(&mut self, rule: &'static str, path: String, span: Span, message: impl Into<Msg>) {
        self.push(rule, Severity::Error, path, span, message);
    }

    fn push(
        &mut self,
        rule: &'static str,
        severity: Severity,
        path: String,
        span: Span,
        message: impl Into<Msg>,
    ) {
        let message = message.into();
        self.out.push(Issue {
            rule,
            severity,
            path,
            span,
            message: message.en,
            message_zh: message.zh,
        });
    }
}

/// The integer code in a field (`2`, `"2"`, `2.0`), when it is one.
fn code(t: &Option<Text<'_>>) -> Option<i64> {
    let t = t.as_ref()?;
    // The usual code: a few plain digits, read as they are.
    let raw = t.raw().as_bytes();
    if t.is_verbatim() && (1..=18).contains(&raw.len()) && raw.iter().all(u8::is_ascii_digit) {
        return Some(raw.iter().fold(0, |n, &d| n * 10 + i64::from(d - b'0')));
    }
    let v = t.value();
    crate::validate::rules::integer::whole_part(v.trim())
        .parse()
        .ok()
}

/// An amount field: absent or empty counts as 0 (wdt: "send 0 when there is none"); `Err`
/// when the value is not a number the field rules accept (they report it).
#[inline(always)]
fn amount(t: &Option<Text<'_>>) -> Result<Amount, ()> {
    match t {
        None => Ok(Amount::ZERO),
        // The usual amount: written as it is, with nothing to trim at either end.
        Some(t) if t.is_verbatim() && plain_ends(t.raw()) => Amount::parse(t.raw()).ok_or(()),
        Some(t) => amount_slowly(t),
    }
}

/// [`amount`] of a value that needs a closer look (blank, escaped, spaced).
#[inline(never)]
fn amount_slowly(t: &Text<'_>) -> Result<Amount, ()> {
    if t.is_blank() {
        return Ok(Amount::ZERO);
    }
    Amount::parse(t.value().trim()).ok_or(())
}

/// Whether `raw` starts and ends with a visible ASCII character (so is neither blank nor
/// changed by trimming).
fn plain_ends(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic)
}

/// `off by X` for a sent amount against the expected one; both fit decimal(19,4), their
/// difference may not, and is then said in words rather than wrapped.
fn off_by(sent: Amount, expected: Amount) -> String {
    match sent.checked_sub(expected) {
        Some(d) => format!("off by {d}"),
        None => format!(
            "off by more than {}, the largest decimal(19,4) amount",
            Amount::MAX
        ),
    }
}

/// [`off_by`] in Chinese.
fn off_by_zh(sent: Amount, expected: Amount) -> String {
    match sent.checked_sub(expected) {
        Some(d) => format!("相差 {d}"),
        None => format!("相差超过 decimal(19,4) 的最大金额 {}", Amount::MAX),
    }
}

/// Where to point for a trade field: its value, or the trade's `{` when it is absent.
fn at_field(t: &Trade<'_>, field: &Option<Text<'_>>) -> Span {
    field.as_ref().map_or(t.span, Text::span)
}
