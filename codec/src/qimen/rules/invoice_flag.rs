//! Rule `qimen.invoice-flag`: a `deliveryorder.create` whose `invoiceFlag` is `Y` must carry at
//! least one invoice. The contract fills the invoice fields exactly when the flag is `Y`
//! (填写的条件是: invoiceFlag 为 Y), so a wanted invoice with none given leaves the warehouse
//! nothing to print.

use super::{flag, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    if flag(o.invoice_flag) != Some(true) {
        return;
    }
    if o.invoices.as_ref().is_some_and(|l| !l.items.is_empty()) {
        return;
    }
    // An empty `<invoices/>` is pointed at; an absent one at the header.
    let span = o.invoices.as_ref().map_or(o.span, |l| l.span);
    ctx.report(
        crate::rules::QIMEN_INVOICE_FLAG,
        ctx.order("invoices"),
        span,
        crate::report::Msg::new(
            "expected at least one `invoice` in `invoices` because `invoiceFlag` is Y, found none"
                .to_string(),
            "需要发票（`invoiceFlag` 为 Y），发票信息 `invoices` 里却一张 `invoice` 都没有"
                .to_string(),
        ),
    );
}
