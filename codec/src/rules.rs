//! The rule catalogue: every rule id qmwire can report, declared once with its default severity
//! and what it checks. Code that reports an issue names its rule by the constant here
//! (`rules::SIGN_MISMATCH`), `qmwire explain` prints [`RULES`], and a test fails when a report
//! carries an id that is not in it.

use crate::report::{Issue, Lang, Msg, Severity};
use crate::wire::span::Span;

mod zh;

/// A documented rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id as printed in reports.
    pub id: &'static str,
    /// Severity it is reported with by default.
    pub severity: Severity,
    /// What it checks.
    pub summary: &'static str,
}

/// Declares each rule's id constant (documented with its summary) and the [`RULES`] table, from
/// one list, so an id cannot be added without its summary and severity.
macro_rules! catalogue {
    ($($name:ident = $id:literal, $severity:ident, $summary:literal;)*) => {
        $(
            #[doc = concat!("Rule `", $id, "` (its summary and severity are in [`RULES`]).")]
            pub const $name: &str = $id;
        )*

        /// Every rule, in the order the docs list them.
        pub static RULES: &[Rule] = &[
            $(Rule { id: $name, severity: Severity::$severity, summary: $summary },)*
        ];
    };
}

catalogue! {
    XML_SYNTAX = "xml-syntax", Error,
        "the document could not be decoded: malformed XML, not UTF-8, a DTD, an unknown entity, or a size/depth/list limit exceeded";
    ROOT_ELEMENT = "root-element", Error,
        "the root element is not one of <request>, <response>, <error_response>, or does not fit the method given";
    METHOD = "method", Error,
        "the method could not be told from the document's shape (several fit equally); pass --method";
    REQUIRED = "required", Error,
        "a required field is missing or empty";
    MAX_LENGTH = "max-length", Error,
        "a text value is longer than allowed, counted in characters (not bytes)";
    ENUM = "enum", Error,
        "a value is not one of the codes of a closed code table (matching is case-sensitive)";
    DATETIME = "datetime", Error,
        "a date-time is not a real `yyyy-MM-dd HH:mm:ss` value";
    DATE = "date", Error,
        "a date is not a real `yyyy-MM-dd` value";
    TIME = "time", Error,
        "a time of day is not a real `HH:mm:ss` value";
    INTEGER = "integer", Error,
        "a quantity or count is not a whole number, or is below its minimum";
    DECIMAL = "decimal", Error,
        "an amount is not a plain decimal number or has more fractional digits than allowed (money: 2); in a wdt money formula, a product or partial sum beyond decimal(19,4)";
    FLAG = "flag", Error,
        "a yes/no field is not exactly `Y` or `N`";
    ANY_OF = "any-of", Error,
        "the contract (or a counterparty profile's `any-of` group) accepts one key or another (wdt `shop_no` or `shop_id`) and none of them holds a value";
    MIN_ITEMS = "min-items", Error,
        "a list has fewer items than required (e.g. an order without order lines)";
    ELEMENT_CONTENT = "element-content", Error,
        "a value has the wrong shape: child elements in a scalar XML field; in JSON an object or array where a scalar belongs, or a scalar where an object or array belongs";
    DUPLICATE_ELEMENT = "duplicate-element", Error,
        "a field that may appear once appears again; receivers disagree on which copy wins";
    ENCODING = "encoding", Warning,
        "the XML declaration names an encoding other than UTF-8 while the bytes are UTF-8 text; a receiver that trusts the declaration garbles the Chinese text";
    UNKNOWN_FIELD = "unknown-field", Warning,
        "an element (or stray text) the contract does not define; it is kept, but a strict receiver may reject or ignore it";
    JSON_SYNTAX = "json-syntax", Error,
        "wdt: the JSON (or a JSON-valued form parameter) could not be decoded: malformed JSON, not UTF-8, a bad percent escape, or a size/depth/list limit exceeded";
    WDT_PAID = "wdt.paid", Error,
        "wdt trade_push: for a prepaid, paid trade (delivery_term 1, pay_status 2) `paid` must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount, exactly";
    WDT_COD_AMOUNT = "wdt.cod-amount", Error,
        "wdt trade_push: for a cash-on-delivery trade (delivery_term 2) `cod_amount` must equal Σ(price×num + adjust_amount − discount − share_discount) + post_amount + ext_cod_fee − paid, exactly";
    WDT_DUPLICATE_TID = "wdt.duplicate-tid", Error,
        "wdt trade_push: the same `tid` appears twice in one request";
    WDT_DUPLICATE_OID = "wdt.duplicate-oid", Error,
        "wdt trade_push: the same `oid` appears twice in one request (within a trade or across trades)";
    WDT_BUYER_NICK_LIMIT = "wdt.buyer-nick-limit", Error,
        "wdt trade_push: more than 30 trades with the same `buyer_nick` in one push";
    WDT_BATCH_SIZE = "wdt.batch-size", Warning,
        "wdt: more than 50 trades (trade_push) or 10 refunds (sales_refund_push) in one request; split the batch";
    WDT_GOODS_OR_SPEC_NO = "wdt.goods-or-spec-no", Error,
        "wdt trade_push: an order line has neither `goods_no` nor `spec_no`";
    WDT_TIME_WINDOW = "wdt.time-window", Error,
        "wdt queries: `end_time` before `start_time`, or a window longer than 30 days";
    KINGDEE_ENVELOPE_KEY = "kingdee.envelope-key", Error,
        "金蝶 Save/BatchSave: a key of the request body or of its `data` package that the documentation does not list, most often a misspelt flag (`IsVerifyBaseDatafield`); the server most likely ignores it, so the setting silently does not apply. Names the closest documented key";
    KINGDEE_BATCH_COUNT = "kingdee.batch-count", Warning,
        "金蝶 BatchSave: `BatchCount` (server threads) is not below the number of bills in `Model`, so it has no effect";
    KINGDEE_MODEL_SHAPE = "kingdee.model-shape", Error,
        "金蝶: `data.Model` is an array in a Save request or one object in a BatchSave request";
    KINGDEE_SUB_HEAD_ENTITY = "kingdee.sub-head-entity", Error,
        "金蝶 sales-return bill: `SubHeadEntity` (the finance block) is written under an `FEntity` entry, as the iPaaS field tree shows it; it belongs directly under `Model`";
    KINGDEE_REQUEST_PARAMETER = "kingdee.request-parameter", Error,
        "金蝶 sales-return bill: a request-level parameter (`FormId`, `Operation`, or a `data` key such as `IsAutoSubmitAndAudit`) is written into the bill, where the server does not read it";
    KINGDEE_BASE_DATA_OBJECT = "kingdee.base-data-object", Error,
        "金蝶 sales-return bill: a bare string or number where a base-data reference belongs; base data is named by an object such as `{\"FNumber\": \"…\"}`";
    KINGDEE_DATE = "kingdee.date", Error,
        "金蝶 sales-return bill: `FDate` is not a real `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` date";
    KINGDEE_DECIMAL = "kingdee.decimal", Error,
        "金蝶 sales-return bill: a quantity, price, tax rate or exchange rate is not a plain decimal (an exponent, a `+`, separators), or has 15 or more fractional digits, the mark of a binary floating-point value rather than an exact amount";
    KINGDEE_QUANTITY = "kingdee.quantity", Error,
        "金蝶 sales-return bill: `FRealQty` (the quantity returned) is not above 0";
    KINGDEE_SYSTEM_CODE = "kingdee.system-code", Warning,
        "金蝶 sales-return bill: a code differs from a preset code (`XSTHD01_SYS`, `THLX01_SYS`, `PRE001`, `HLTX01_SYS`, `BD_OwnerOrg`, `OverOrgSal`) only in letter case, or ends in `_SYS` like a preset code but is not one qmwire knows for the field";
    KINGDEE_DUPLICATE_BILL_NO = "kingdee.duplicate-bill-no", Error,
        "金蝶 BatchSave: the same `FBillNo` appears on two bills of one package (the bill number is what keeps a retried bill from being saved twice)";
    KINGDEE_REPLY_ERROR = "kingdee.reply-error", Error,
        "金蝶 Save/BatchSave reply: an entry of `Errors`, explained: its bill (through `DIndex`), the bill's field path (through `FieldName`), the server's text and the meaning of `MsgCode`; also a failed reply that lists no error";
    QIMEN_TOTAL_AMOUNT = "qimen.total-amount", Warning,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `totalAmount` must equal itemAmount − discountAmount + freight, exactly; checked when all four are present and neither side is all zeros";
    QIMEN_AR_GOT_AMOUNT = "qimen.ar-got-amount", Warning,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `totalAmount` must equal arAmount + gotAmount (still to collect plus already paid), exactly; checked when all three are present and neither side is all zeros";
    QIMEN_INVOICE_FLAG = "qimen.invoice-flag", Error,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `invoiceFlag` is Y but `invoices` holds no invoice";
    QIMEN_INVOICE_FIELDS = "qimen.invoice-fields", Error,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `invoiceFlag` is Y and an invoice lacks its `type`, `header` or `amount` (filled exactly when an invoice is wanted)";
    QIMEN_INVOICE_UNFLAGGED = "qimen.invoice-unflagged", Warning,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `invoices` holds invoices while `invoiceFlag` is N or absent (it defaults to N), so the receiver may ignore them";
    QIMEN_INSURANCE_FLAG = "qimen.insurance-flag", Warning,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: `insuranceFlag` is Y but there is no `insurance` block saying what to insure";
    QIMEN_INSURANCE_UNFLAGGED = "qimen.insurance-unflagged", Warning,
        "Qimen deliveryorder.create and each order of deliveryorder.batchcreate: an `insurance` block is given while `insuranceFlag` is N or absent (it defaults to N), so the receiver may ignore it";
    QIMEN_OUT_BIZ_CODE = "qimen.out-biz-code", Error,
        "Qimen deliveryorder.confirm and each confirmation of deliveryorder.batchconfirm: an intermediate confirmation (`confirmType` 1, more follow) has no `outBizCode`, the key that keeps the several confirmations of one order apart";
    QIMEN_BATCH_QTY = "qimen.batch-qty", Error,
        "Qimen confirmations and stock-change reports: a line's quantity (`actualQty`, or `quantity` in stockchange.report) differs from the sum of its `batchs`";
    PRIVACY_PLAINTEXT = "privacy.plaintext", Warning,
        "a personal value (name, phone, address, id number, e-mail, nick, plate) travels in plain text, neither masked with `*` nor a `qmwire redact` token. Reported by default only for a deliveryorder.create whose receiverInfo carries an `oaid` (the receiver data should then stay encrypted at the marketplace); `qmwire lint --privacy warn|forbid` reports every plain-text personal value, as a warning or an error";
    REQUEST_SYNTAX = "request.syntax", Error,
        "whole-request lint: the input is not an HTTP request (request line, `Name: value` headers, blank line, body) or its query string is malformed";
    REQUEST_FRAMING = "request.framing", Error,
        "whole-request lint: a receiver could take other bytes for the body than qmwire does: a malformed or conflicting Content-Length, a body shorter or longer than declared, or a Transfer-Encoding (not decoded: the body is then not linted and the sign not verified)";
    PARAM_MISSING = "param.missing", Error,
        "whole-request lint: a system parameter is missing: Qimen method, app_key, timestamp, v, and customerId for WMS methods (errors), sign_method, format, and customerId spelled in another case (warnings); wdt openapi2 sid, appkey, timestamp; wdt through Qimen custom also target_app_key and sid";
    TIMESTAMP_FORMAT = "timestamp.format", Error,
        "whole-request lint: the `timestamp` parameter is not a real `yyyy-MM-dd HH:mm:ss` (GMT+8) for Qimen, or not Unix seconds for wdt openapi2";
    TIMESTAMP_WINDOW = "timestamp.window", Error,
        "whole-request lint (with --now): the `timestamp` is more than the window (Qimen ±10 minutes, wdt openapi2 ±5 minutes) away from now; about ±8 hours off is flagged as a time zone bug";
    CHARSET_MISMATCH = "charset.mismatch", Error,
        "whole-request lint: the Content-Type charset and the XML declaration's encoding disagree; for wdt, the Content-Type is not a UTF-8 `application/x-www-form-urlencoded` (warning when the header has no charset)";
    SIGN_MISSING = "sign.missing", Error,
        "whole-request lint: the request has no `sign` parameter";
    PROFILE_EQUALS = "profile.equals", Error,
        "a value differs from the one a counterparty profile fixes, as a literal or a per-merchant variable (`--var`): an owner or warehouse code, the customer id";
    PROFILE_RECOMMENDED = "profile.recommended", Info,
        "a value differs from the one a counterparty profile recommends (its documented default)";
    PROFILE_PARAM = "profile.param", Warning,
        "whole-request lint: a system parameter or header differs from what a counterparty profile documents: the method name's form, `v`, `format`, `sign_method`, Content-Type";
    PROFILE_METHOD = "profile.method", Error,
        "a counterparty profile lists the methods its counterparty offers, and this message is not one of them";
    SIGN_MISMATCH = "sign.mismatch", Error,
        "whole-request lint (with a secret): the `sign` does not verify; the message names the usual mistake that reproduces it";
}

impl Rule {
    /// What the rule checks, in `lang` (English where no Chinese summary is written; a test
    /// fails for such a rule).
    pub fn summary_in(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => zh::summary(self.id).unwrap_or(self.summary),
            _ => self.summary,
        }
    }

    /// Whether the rule has a Chinese summary.
    pub fn has_zh_summary(&self) -> bool {
        zh::summary(self.id).is_some()
    }
}

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    // Looked up for every issue built: the ids are bucketed by length and first and last
    // byte, so a lookup compares the text of at most a few ids (three today).
    static BUCKETS: std::sync::OnceLock<Vec<Vec<&'static Rule>>> = std::sync::OnceLock::new();
    fn bucket(id: &str) -> usize {
        let b = id.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        (b.len() * 31 + usize::from(first.unwrap_or(0)) * 7 + usize::from(last.unwrap_or(0))) % 251
    }
    let buckets = BUCKETS.get_or_init(|| {
        let mut v = vec![Vec::new(); 251];
        for r in RULES {
            v[bucket(r.id)].push(r);
        }
        v
    });
    buckets[bucket(id)].iter().find(|r| r.id == id).copied()
}

/// An issue of rule `id` with the severity the catalogue gives it (an id that is not in it, a
/// bug the catalogue test catches, is an error).
pub(crate) fn issue(id: &'static str, path: String, span: Span, message: impl Into<Msg>) -> Issue {
    let message = message.into();
    Issue {
        rule: id,
        severity: rule(id).map_or(Severity::Error, |r| r.severity),
        path,
        span,
        message: message.en,
        message_zh: message.zh,
    }
}

/// The `method` error for a method (or API) name no spec knows; `what` names the kind of name.
pub(crate) fn unknown_method(what: &str, name: &str) -> Issue {
    Issue {
        rule: METHOD,
        severity: Severity::Error,
        path: "/".into(),
        span: Span::default(),
        message: format!("unknown {what} `{name}`"),
        message_zh: Some(format!("未知的{} `{name}`", zh::what(what))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_found_by_its_id_and_ids_are_unique() {
        for r in RULES {
            assert!(std::ptr::eq(rule(r.id).expect("listed"), r), "{}", r.id);
            assert_eq!(RULES.iter().filter(|o| o.id == r.id).count(), 1, "{}", r.id);
            // The same text at another address is found too.
            let copy: String = r.id.chars().collect();
            assert!(rule(&copy).is_some());
        }
        assert!(rule("no-such-rule").is_none());
        assert!(rule("").is_none());
    }
}
