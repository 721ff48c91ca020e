//! Cross-field rules of the Qimen contract, one small file each. They run after the field
//! rules over the typed model, report with the validator's wire paths (`/request/…`, list items
//! `orderLine[2]`, counted from 1), and take their severity from the rule catalogue
//! ([`crate::rules::RULES`]), so a counterparty profile can re-level each by its id.
//!
//! A value the field rules reject (not a number, not `Y`/`N`) makes the rules that need it stay
//! silent: the field rule has already said what is wrong.

pub(crate) mod ar_got_amount;
pub(crate) mod batch_qty;
pub(crate) mod insurance_flag;
pub(crate) mod insurance_unflagged;
pub(crate) mod invoice_fields;
pub(crate) mod invoice_flag;
pub(crate) mod invoice_unflagged;
pub(crate) mod out_biz_code;
pub(crate) mod total_amount;

use crate::model::qimen::{
    BatchCreateDeliveryOrder, DeliveryInvoice, DeliveryOrderCreateOrder, Insurance, QimenBody,
};
use crate::model::values::List;
use crate::report::{Issue, Msg};
use crate::wire::money::Amount;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// The path of a single form's body: the unit the rules of a message check.
const BODY: &str = "/request";

/// Runs every cross-field rule that applies to `body`. Costs a match and a few field tests for
/// a message none of them concerns. The batch forms (`deliveryorder.batchcreate`,
/// `deliveryorder.batchconfirm`) get the single forms' rules on each of their orders, with the
/// order's path (`/request/orders/order[2]/…`).
pub(crate) fn check(body: &QimenBody<'_>, out: &mut Vec<Issue>) {
    let mut ctx = Ctx {
        out,
        base: BODY.to_string(),
    };
    match body {
        QimenBody::DeliveryOrderCreateRequest(r) => {
            if let Some(o) = &r.delivery_order {
                delivery_order_create(&mut ctx, &o.into());
            }
        }
        QimenBody::DeliveryOrderBatchCreateRequest(r) => {
            for (i, order) in orders(r.orders.as_ref()) {
                ctx.base = format!("{BODY}/orders/order[{i}]");
                if let Some(o) = &order.delivery_order {
                    delivery_order_create(&mut ctx, &o.into());
                }
            }
        }
        QimenBody::DeliveryOrderConfirmRequest(r) => {
            if let Some(o) = &r.delivery_order {
                out_biz_code::check(&mut ctx, o);
            }
            batch_qty::check(&mut ctx, r.order_lines.as_ref());
        }
        QimenBody::DeliveryOrderBatchConfirmRequest(r) => {
            for (i, order) in orders(r.orders.as_ref()) {
                ctx.base = format!("{BODY}/orders/order[{i}]");
                if let Some(o) = &order.delivery_order {
                    out_biz_code::check(&mut ctx, o);
                }
                batch_qty::check(&mut ctx, order.order_lines.as_ref());
            }
        }
        QimenBody::EntryOrderConfirmRequest(r) => {
            batch_qty::check(&mut ctx, r.order_lines.as_ref())
        }
        QimenBody::ReturnOrderConfirmRequest(r) => {
            batch_qty::check(&mut ctx, r.order_lines.as_ref());
        }
        QimenBody::StockChangeReportRequest(r) => batch_qty::check(&mut ctx, r.items.as_ref()),
        _ => {}
    }
}

/// The orders of a batch with their wire index, counted from 1.
fn orders<'l, 'a, T>(list: Option<&'l List<'a, T>>) -> impl Iterator<Item = (usize, &'l T)> {
    list.into_iter()
        .flat_map(|l| l.items.iter())
        .enumerate()
        .map(|(i, o)| (i + 1, o))
}

/// The fields of a `deliveryorder.create` header the rules read, from the single form's header
/// or from a batch order's (a struct of its own, generated from the same fields).
pub(crate) struct Header<'h, 'a> {
    span: Span,
    total_amount: &'h Option<Text<'a>>,
    item_amount: &'h Option<Text<'a>>,
    discount_amount: &'h Option<Text<'a>>,
    freight: &'h Option<Text<'a>>,
    ar_amount: &'h Option<Text<'a>>,
    got_amount: &'h Option<Text<'a>>,
    invoice_flag: &'h Option<Text<'a>>,
    invoices: &'h Option<List<'a, DeliveryInvoice<'a>>>,
    insurance_flag: &'h Option<Text<'a>>,
    insurance: &'h Option<Insurance<'a>>,
}

/// Implements `From<&header>` for [`Header`].
macro_rules! header {
    ($($t:ident),*) => {$(
        impl<'h, 'a> From<&'h $t<'a>> for Header<'h, 'a> {
            fn from(o: &'h $t<'a>) -> Self {
                Header {
                    span: o.span,
                    total_amount: &o.total_amount,
                    item_amount: &o.item_amount,
                    discount_amount: &o.discount_amount,
                    freight: &o.freight,
                    ar_amount: &o.ar_amount,
                    got_amount: &o.got_amount,
                    invoice_flag: &o.invoice_flag,
                    invoices: &o.invoices,
                    insurance_flag: &o.insurance_flag,
                    insurance: &o.insurance,
                }
            }
        }
    )*};
}
header!(DeliveryOrderCreateOrder, BatchCreateDeliveryOrder);

/// The rules of a `deliveryorder.create` header.
fn delivery_order_create(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    total_amount::check(ctx, o);
    ar_got_amount::check(ctx, o);
    invoice_flag::check(ctx, o);
    invoice_fields::check(ctx, o);
    invoice_unflagged::check(ctx, o);
    insurance_flag::check(ctx, o);
    insurance_unflagged::check(ctx, o);
}

/// Where cross-field issues go, and the path of the unit being checked.
pub(crate) struct Ctx<'o> {
    out: &'o mut Vec<Issue>,
    /// The body (`/request`) or one order of a batch (`/request/orders/order[2]`).
    base: String,
}

impl Ctx<'_> {
    /// Reports `rule` with the severity the catalogue gives it.
    fn report(&mut self, rule: &'static str, path: String, span: Span, message: impl Into<Msg>) {
        self.out
            .push(crate::rules::issue(rule, path, span, message));
    }

    /// The path of `rest` under the unit's delivery order header.
    fn order(&self, rest: &str) -> String {
        format!("{}/deliveryOrder/{rest}", self.base)
    }
}

/// A non-blank field.
fn given<'t, 'a>(field: &'t Option<Text<'a>>) -> Option<&'t Text<'a>> {
    field.as_ref().filter(|t| !t.is_blank())
}

/// What a `Y`/`N` field says: `Some(true)` for `Y`, `Some(false)` for `N` or absent (the
/// contract's default), `None` for a value the `flag` rule rejects.
fn flag(field: &Option<Text<'_>>) -> Option<bool> {
    match given(field) {
        None => Some(false),
        Some(t) => match &*t.value() {
            "Y" => Some(true),
            "N" => Some(false),
            _ => None,
        },
    }
}

/// A Qimen money term (`decimal(2)`): `None` when absent, `Some(None)` when it is not an amount
/// the `decimal` rule accepts with at most 2 decimals and 15 integer digits (that rule reports
/// the first two cases; the third is beyond what is computed exactly here, and is skipped).
fn money(field: &Option<Text<'_>>) -> Option<Option<Amount>> {
    let t = given(field)?;
    let v = t.value();
    let scale_ok = v.split_once('.').is_none_or(|(_, frac)| frac.len() <= 2);
    Some(Amount::parse(&v).filter(|_| scale_ok))
}

/// `off by X` for a sent amount against the expected one.
fn off_by(sent: Amount, expected: Amount) -> String {
    match sent.checked_sub(expected) {
        Some(d) => format!("off by {d}"),
        None => format!("off by more than {}", Amount::MAX),
    }
}

/// [`off_by`] in Chinese.
fn off_by_zh(sent: Amount, expected: Amount) -> String {
    match sent.checked_sub(expected) {
        Some(d) => format!("相差 {d}"),
        None => format!("相差超过 {}", Amount::MAX),
    }
}

/// Where to point for a header field: its value, or the header's start tag when it is absent.
fn at(o: &Header<'_, '_>, field: &Option<Text<'_>>) -> Span {
    given(field).map_or(o.span, Text::span)
}

/// Checks `totalAmount` = the signed sum of `terms` (the first is added; each later one is
/// added or, when its flag is set, subtracted) and reports `rule` when they differ. Checked
/// only when `totalAmount` and every term are given and amounts, and neither side is all zeros:
/// real ERPs fill amounts they do not know with 0, so such a side says "unknown" as often as
/// "nothing". A sum beyond what [`Amount`] holds is not checked.
fn check_total(
    ctx: &mut Ctx<'_>,
    o: &Header<'_, '_>,
    rule: &'static str,
    terms: &[(&'static str, &Option<Text<'_>>, bool)],
) {
    let Some(Some(total)) = money(o.total_amount) else {
        return;
    };
    // The equations have at most three terms; an array keeps the common case allocation-free.
    let mut buffer = [Amount::ZERO; 4];
    let values = &mut buffer[..terms.len()];
    for (slot, (_, field, _)) in values.iter_mut().zip(terms) {
        let Some(Some(v)) = money(field) else { return };
        *slot = v;
    }
    let values = &*values;
    if total == Amount::ZERO || values.iter().all(|v| *v == Amount::ZERO) {
        return;
    }
    let mut sum = Amount::ZERO;
    for ((_, _, minus), v) in terms.iter().zip(values) {
        let next = if *minus {
            sum.checked_sub(*v)
        } else {
            sum.checked_add(*v)
        };
        let Some(next) = next else { return };
        sum = next;
    }
    if sum == total {
        return;
    }
    let mut names = String::new();
    let mut numbers = String::new();
    for (i, ((name, _, minus), v)) in terms.iter().zip(values).enumerate() {
        if i > 0 {
            let sign = if *minus { " − " } else { " + " };
            names.push_str(sign);
            numbers.push_str(sign);
        }
        names.push_str(name);
        numbers.push_str(&v.to_string());
    }
    ctx.report(
        rule,
        ctx.order("totalAmount"),
        at(o, o.total_amount),
        Msg::new(
            format!(
                "expected `totalAmount` to equal {names} = {numbers} = {sum}, found {total} ({})",
                off_by(total, sum)
            ),
            format!(
                "订单总金额（`totalAmount`）应等于 {names} = {numbers} = {sum}，实际为 {total}（{}）",
                off_by_zh(total, sum)
            ),
        ),
    );
}

/// Whether the header has an `insurance` block with anything in it (an empty block counts as
/// absent, as for every rule).
fn insurance_given(o: &Header<'_, '_>) -> bool {
    o.insurance.as_ref().is_some_and(|i| {
        given(&i.type_).is_some()
            || given(&i.amount).is_some()
            || given(&i.remark).is_some()
            || i.extend_props
                .as_ref()
                .is_some_and(|m| !m.entries.is_empty())
            || !i.unknown.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use crate::options::Options;

    /// The cross-field findings of `xml` as `(rule, path, message)`.
    fn findings(method: &str, xml: &str) -> Vec<(&'static str, String, String)> {
        crate::qimen::lint::lint_body(xml.as_bytes(), Some(method), &Options::default())
            .issues
            .into_iter()
            .filter(|i| i.rule.starts_with("qimen."))
            .map(|i| (i.rule, i.path, i.message))
            .collect()
    }

    /// A delivery order whose header holds `fields`.
    fn order(fields: &str) -> Vec<(&'static str, String, String)> {
        findings(
            "deliveryorder.create",
            &format!("<request><deliveryOrder>{fields}</deliveryOrder></request>"),
        )
    }

    fn rules(found: &[(&'static str, String, String)]) -> Vec<&'static str> {
        found.iter().map(|f| f.0).collect()
    }

    const GOODS: &str = "<itemAmount>100.10</itemAmount><discountAmount>0.20</discountAmount><freight>0.10</freight>";

    #[test]
    fn the_goods_side_is_exact_and_shows_both_sides_and_the_difference() {
        // 100.10 − 0.20 + 0.10 = 100.00 exactly (in f64 it is 99.99999999999999).
        assert!(order(&format!("<totalAmount>100</totalAmount>{GOODS}")).is_empty());
        let found = order(&format!("<totalAmount>100.01</totalAmount>{GOODS}"));
        assert_eq!(rules(&found), ["qimen.total-amount"]);
        assert_eq!(found[0].1, "/request/deliveryOrder/totalAmount");
        assert_eq!(
            found[0].2,
            "expected `totalAmount` to equal itemAmount − discountAmount + freight = 100.10 − 0.20 + 0.10 = 100.00, found 100.01 (off by 0.01)"
        );
    }

    #[test]
    fn an_absent_or_unreadable_term_leaves_the_equation_unchecked() {
        for goods in [
            "<itemAmount>100.10</itemAmount><discountAmount>0.20</discountAmount>",
            "<itemAmount>100.10</itemAmount><freight>0.10</freight>",
            "<itemAmount>100.10</itemAmount><discountAmount/><freight>0.10</freight>",
            // The field rules report these values; the equation stays silent.
            "<itemAmount>100.101</itemAmount><discountAmount>0.20</discountAmount><freight>0.10</freight>",
            "<itemAmount>1e2</itemAmount><discountAmount>0.20</discountAmount><freight>0.10</freight>",
        ] {
            assert!(
                order(&format!("<totalAmount>7</totalAmount>{goods}")).is_empty(),
                "{goods}"
            );
        }
        assert!(order(GOODS).is_empty());
        // Paid side: gotAmount absent (what 聚星's own sample sends).
        assert!(order("<totalAmount>39.9</totalAmount><arAmount>0</arAmount>").is_empty());
    }

    #[test]
    fn a_side_of_zeros_means_unknown_and_is_not_compared() {
        assert!(order(
            "<totalAmount>39.90</totalAmount><arAmount>0</arAmount><gotAmount>0.00</gotAmount>"
        )
        .is_empty());
        assert!(order(&format!("<totalAmount>0</totalAmount>{GOODS}")).is_empty());
        // A zero among non-zero terms is a real zero.
        let found = order(
            "<totalAmount>39.90</totalAmount><arAmount>0</arAmount><gotAmount>30</gotAmount>",
        );
        assert_eq!(rules(&found), ["qimen.ar-got-amount"]);
        assert!(
            found[0]
                .2
                .ends_with("= 0.00 + 30.00 = 30.00, found 39.90 (off by 9.90)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn invoices_go_with_invoice_flag_y_and_only_with_it() {
        let invoice = "<invoices><invoice><type>INVOICE</type><header>H</header><amount>1</amount></invoice></invoices>";
        assert!(order(&format!("<invoiceFlag>Y</invoiceFlag>{invoice}")).is_empty());
        assert!(order("<invoiceFlag>N</invoiceFlag><invoices/>").is_empty());
        assert_eq!(
            rules(&order("<invoiceFlag>Y</invoiceFlag><invoices/>")),
            ["qimen.invoice-flag"]
        );
        assert_eq!(
            rules(&order("<invoiceFlag>Y</invoiceFlag>")),
            ["qimen.invoice-flag"]
        );
        // Absent flag: the default N.
        let found = order(invoice);
        assert_eq!(rules(&found), ["qimen.invoice-unflagged"]);
        assert!(
            found[0].2.ends_with("found none (the default is N)"),
            "{}",
            found[0].2
        );
        // A flag the `flag` rule rejects decides nothing.
        assert!(order(&format!("<invoiceFlag>y</invoiceFlag>{invoice}")).is_empty());
        assert!(order("<invoiceFlag>y</invoiceFlag>").is_empty());
        // Each missing field of each invoice, at the invoice.
        let found = order(
            "<invoiceFlag>Y</invoiceFlag><invoices><invoice><type>INVOICE</type><header>H</header><amount>1</amount></invoice><invoice><header> </header></invoice></invoices>",
        );
        let paths: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/request/deliveryOrder/invoices/invoice[2]/type",
                "/request/deliveryOrder/invoices/invoice[2]/header",
                "/request/deliveryOrder/invoices/invoice[2]/amount"
            ]
        );
    }

    #[test]
    fn insurance_goes_with_insurance_flag_y() {
        let block = "<insurance><type>T</type><amount>10</amount></insurance>";
        assert!(order(&format!("<insuranceFlag>Y</insuranceFlag>{block}")).is_empty());
        assert!(order(
            "<insuranceFlag>N</insuranceFlag><insurance><type/><amount> </amount></insurance>"
        )
        .is_empty());
        // An empty block counts as absent.
        assert_eq!(
            rules(&order(
                "<insuranceFlag>Y</insuranceFlag><insurance><type/></insurance>"
            )),
            ["qimen.insurance-flag"]
        );
        assert_eq!(rules(&order(block)), ["qimen.insurance-unflagged"]);
        assert_eq!(
            rules(&order(&format!("<insuranceFlag>N</insuranceFlag>{block}"))),
            ["qimen.insurance-unflagged"]
        );
    }

    #[test]
    fn only_an_intermediate_confirmation_needs_an_out_biz_code() {
        let confirm = |fields: &str| {
            findings(
                "deliveryorder.confirm",
                &format!("<request><deliveryOrder>{fields}</deliveryOrder></request>"),
            )
        };
        assert_eq!(
            rules(&confirm("<confirmType>1</confirmType>")),
            ["qimen.out-biz-code"]
        );
        assert_eq!(
            rules(&confirm("<outBizCode/><confirmType>1</confirmType>")),
            ["qimen.out-biz-code"]
        );
        assert!(confirm("<outBizCode>C1</outBizCode><confirmType>1</confirmType>").is_empty());
        assert!(confirm("<confirmType>0</confirmType>").is_empty());
        assert!(confirm("").is_empty());
    }

    #[test]
    fn batch_quantities_add_up_to_the_line() {
        let lines =
            |method: &str, list: &str, item: &str, field: &str, rows: &[(&str, &[&str])]| {
                let rows: String = rows
                    .iter()
                    .map(|(qty, batches)| {
                        let batches: String = batches
                            .iter()
                            .map(|b| format!("<batch><{field}>{b}</{field}></batch>"))
                            .collect();
                        format!(
                            "<{item}><{field}>{qty}</{field}><batchs>{batches}</batchs></{item}>"
                        )
                    })
                    .collect();
                findings(
                    method,
                    &format!("<request><{list}>{rows}</{list}></request>"),
                )
            };
        for method in [
            "deliveryorder.confirm",
            "entryorder.confirm",
            "returnorder.confirm",
        ] {
            let found = lines(
                method,
                "orderLines",
                "orderLine",
                "actualQty",
                &[("3", &["1", "2"]), ("5", &["1", "2", "1"]), ("1", &[])],
            );
            assert_eq!(rules(&found), ["qimen.batch-qty"], "{method}");
            assert_eq!(found[0].1, "/request/orderLines/orderLine[2]/actualQty");
            assert_eq!(
                found[0].2,
                "expected `actualQty` to equal the sum of its batches' `actualQty`, 1 + 2 + 1 = 4, found 5 (off by 1)"
            );
            // A batch without a quantity, or a negative one (the `integer` rule's), is not summed.
            assert!(lines(
                method,
                "orderLines",
                "orderLine",
                "actualQty",
                &[("3", &["1", ""])]
            )
            .is_empty());
            assert!(lines(
                method,
                "orderLines",
                "orderLine",
                "actualQty",
                &[("1", &["2", "-1"])]
            )
            .is_empty());
        }
        // A stock change may be negative.
        let report = |rows: &[(&str, &[&str])]| {
            lines("stockchange.report", "items", "item", "quantity", rows)
        };
        assert!(report(&[("-3", &["-1", "-2"])]).is_empty());
        let found = report(&[("-3", &["-1", "-1"])]);
        assert_eq!(found[0].1, "/request/items/item[1]/quantity");
        assert!(
            found[0].2.ends_with("-1 + -1 = -2, found -3 (off by -1)"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn the_batch_forms_get_the_single_forms_rules_on_each_order() {
        let header =
            |fields: &str| format!("<order><deliveryOrder>{fields}</deliveryOrder></order>");
        let batch = format!(
            "<request><orders>{}{}</orders></request>",
            header(&format!("<totalAmount>100.50</totalAmount>{GOODS}")),
            header(&format!(
                "<totalAmount>100.00</totalAmount>{GOODS}<invoiceFlag>Y</invoiceFlag>"
            )),
        );
        let found = findings("deliveryorder.batchcreate", &batch);
        let at: Vec<(&str, &str)> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(
            at,
            [
                (
                    "qimen.total-amount",
                    "/request/orders/order[1]/deliveryOrder/totalAmount"
                ),
                (
                    "qimen.invoice-flag",
                    "/request/orders/order[2]/deliveryOrder/invoices"
                ),
            ]
        );
        let confirm = "<request><orders>\
            <order><deliveryOrder><confirmType>0</confirmType></deliveryOrder></order>\
            <order><deliveryOrder><confirmType>1</confirmType></deliveryOrder>\
            <orderLines><orderLine><actualQty>3</actualQty><batchs><batch><actualQty>1</actualQty></batch></batchs></orderLine></orderLines></order>\
            </orders></request>";
        let found = findings("deliveryorder.batchconfirm", confirm);
        let at: Vec<(&str, &str)> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(
            at,
            [
                (
                    "qimen.out-biz-code",
                    "/request/orders/order[2]/deliveryOrder/outBizCode"
                ),
                (
                    "qimen.batch-qty",
                    "/request/orders/order[2]/orderLines/orderLine[1]/actualQty"
                ),
            ]
        );
    }
}
