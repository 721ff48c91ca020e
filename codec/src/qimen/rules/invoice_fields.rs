//! Rule `qimen.invoice-fields`: when a `deliveryorder.create` asks for an invoice
//! (`invoiceFlag` `Y`), each invoice gives its `type`, `header` and `amount`: the contract
//! states for exactly these three that they are filled when the flag is `Y`
//! (填写的条件是: invoiceFlag 为 Y). One finding per missing field, at the invoice.

use super::{flag, given, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    if flag(o.invoice_flag) != Some(true) {
        return;
    }
    let Some(invoices) = o.invoices else { return };
    for (i, inv) in invoices.items.iter().enumerate() {
        for (name, field, what, zh) in [
            ("type", &inv.type_, "the kind of invoice", "发票类型"),
            ("header", &inv.header, "the invoice title", "发票抬头"),
            ("amount", &inv.amount, "the invoice total", "发票总金额"),
        ] {
            if given(field).is_none() {
                ctx.report(
                    crate::rules::QIMEN_INVOICE_FIELDS,
                    ctx.order(&format!("invoices/invoice[{}]/{name}", i + 1)),
                    inv.span,
                    crate::report::Msg::new(
                        format!(
                            "expected `{name}` ({what}) because `invoiceFlag` is Y, found none"
                        ),
                        format!("缺少{zh}（`{name}`）：需要发票（`invoiceFlag` 为 Y）时必须填写"),
                    ),
                );
            }
        }
    }
}
