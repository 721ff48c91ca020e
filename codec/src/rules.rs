//! The rule catalogue: every rule id qmwire can report, with its default severity and meaning.

use crate::report::Severity;

/// A documented rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id as printed in reports.
    pub id: &'static str,
    /// Severity it is reported with.
    pub severity: Severity,
    /// What it checks.
    pub summary: &'static str,
}

/// Every rule, in the order the README lists them.
pub static RULES: &[Rule] = &[
    Rule { id: "xml-syntax", severity: Severity::Error, summary: "the document could not be decoded: malformed XML, not UTF-8, a DTD, an unknown entity, or a size/depth/list limit exceeded" },
    Rule { id: "root-element", severity: Severity::Error, summary: "the root element is not one of <request>, <response>, <error_response>, or does not fit the method given" },
    Rule { id: "method", severity: Severity::Error, summary: "the method could not be told from the document's shape (several fit equally); pass --method" },
    Rule { id: "required", severity: Severity::Error, summary: "a required field is missing or empty" },
    Rule { id: "max-length", severity: Severity::Error, summary: "a text value is longer than allowed, counted in characters (not bytes)" },
    Rule { id: "enum", severity: Severity::Error, summary: "a value is not one of the codes of a closed code table (matching is case-sensitive)" },
    Rule { id: "datetime", severity: Severity::Error, summary: "a date-time is not a real `yyyy-MM-dd HH:mm:ss` value" },
    Rule { id: "date", severity: Severity::Error, summary: "a date is not a real `yyyy-MM-dd` value" },
    Rule { id: "time", severity: Severity::Error, summary: "a time of day is not a real `HH:mm:ss` value" },
    Rule { id: "integer", severity: Severity::Error, summary: "a quantity or count is not a whole number, or is below its minimum" },
    Rule { id: "decimal", severity: Severity::Error, summary: "an amount is not a plain decimal number or has more fractional digits than allowed (money: 2)" },
    Rule { id: "flag", severity: Severity::Error, summary: "a yes/no field is not exactly `Y` or `N`" },
    Rule { id: "min-items", severity: Severity::Error, summary: "a list has fewer items than required (e.g. an order without order lines)" },
    Rule { id: "element-content", severity: Severity::Error, summary: "a value has the wrong shape: child elements in a scalar XML field; in JSON an object or array where a scalar belongs, or a scalar where an object or array belongs" },
    Rule { id: "duplicate-element", severity: Severity::Error, summary: "a field that may appear once appears again; receivers disagree on which copy wins" },
    Rule { id: "encoding", severity: Severity::Warning, summary: "the XML declaration names an encoding other than UTF-8 while the bytes are UTF-8 text; a receiver that trusts the declaration garbles the Chinese text" },
    Rule { id: "unknown-field", severity: Severity::Warning, summary: "an element (or stray text) the contract does not define; it is kept, but a strict receiver may reject or ignore it" },
    Rule { id: "json-syntax", severity: Severity::Error, summary: "wdt: the JSON (or a JSON-valued form parameter) could not be decoded: malformed JSON, not UTF-8, a bad percent escape, or a size/depth/list limit exceeded" },
    Rule { id: "wdt.paid", severity: Severity::Error, summary: "wdt trade_push: for a prepaid, paid trade (delivery_term 1, pay_status 2) `paid` must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount, exactly" },
    Rule { id: "wdt.cod-amount", severity: Severity::Error, summary: "wdt trade_push: for a cash-on-delivery trade (delivery_term 2) `cod_amount` must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + ext_cod_fee − paid, exactly" },
    Rule { id: "wdt.duplicate-tid", severity: Severity::Error, summary: "wdt trade_push: the same `tid` appears twice in one request" },
    Rule { id: "wdt.duplicate-oid", severity: Severity::Error, summary: "wdt trade_push: the same `oid` appears twice in one request (within a trade or across trades)" },
    Rule { id: "wdt.buyer-nick-limit", severity: Severity::Error, summary: "wdt trade_push: more than 30 trades with the same `buyer_nick` in one push" },
    Rule { id: "wdt.batch-size", severity: Severity::Warning, summary: "wdt: more than 50 trades (trade_push) or 10 refunds (sales_refund_push) in one request; split the batch" },
    Rule { id: "wdt.goods-or-spec-no", severity: Severity::Error, summary: "wdt trade_push: an order line has neither `goods_no` nor `spec_no`" },
    Rule { id: "wdt.time-window", severity: Severity::Error, summary: "wdt queries: `end_time` before `start_time`, or a window longer than 30 days" },
    Rule { id: "privacy.plaintext", severity: Severity::Warning, summary: "a personal value (name, phone, address, id number, e-mail, nick, plate) travels in plain text, neither masked with `*` nor a `qmwire redact` token. Reported by default only for a deliveryorder.create whose receiverInfo carries an `oaid` (the receiver data should then stay encrypted at the marketplace); `qmwire lint --privacy warn|forbid` reports every plain-text personal value, as a warning or an error" },
    Rule { id: "request.syntax", severity: Severity::Error, summary: "whole-request lint: the input is not an HTTP request (request line, `Name: value` headers, blank line, body) or its query string is malformed" },
    Rule { id: "param.missing", severity: Severity::Error, summary: "whole-request lint: a system parameter is missing: Qimen method, app_key, timestamp, v, and customerId for WMS methods (errors), sign_method, format, and customerId spelled in another case (warnings); wdt openapi2 sid, appkey, timestamp; wdt through Qimen custom also target_app_key and sid" },
    Rule { id: "timestamp.format", severity: Severity::Error, summary: "whole-request lint: the `timestamp` parameter is not a real `yyyy-MM-dd HH:mm:ss` (GMT+8) for Qimen, or not Unix seconds for wdt openapi2" },
    Rule { id: "timestamp.window", severity: Severity::Error, summary: "whole-request lint (with --now): the `timestamp` is more than the window (Qimen ±10 minutes, wdt openapi2 ±5 minutes) away from now; about ±8 hours off is flagged as a time zone bug" },
    Rule { id: "charset.mismatch", severity: Severity::Error, summary: "whole-request lint: the Content-Type charset and the XML declaration's encoding disagree; for wdt, the Content-Type is not a UTF-8 `application/x-www-form-urlencoded` (warning when the header has no charset)" },
    Rule { id: "sign.missing", severity: Severity::Error, summary: "whole-request lint: the request has no `sign` parameter" },
    Rule { id: "sign.mismatch", severity: Severity::Error, summary: "whole-request lint (with a secret): the `sign` does not verify; the message names the usual mistake that reproduces it" },
];

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
