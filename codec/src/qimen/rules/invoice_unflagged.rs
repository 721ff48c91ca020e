//! Rule `qimen.invoice-unflagged`: a `deliveryorder.create` that carries invoices while its
//! `invoiceFlag` is `N` or absent (the contract's default is `N`). The invoice fields are meant
//! for a flagged order only, so a receiver that trusts the flag prints nothing, and one that
//! trusts the list prints an invoice nobody asked for: the two fields contradict each other.

use super::{flag, given, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    let Some(invoices) = o.invoices.as_ref().filter(|l| !l.items.is_empty()) else {
        return;
    };
    if flag(o.invoice_flag) != Some(false) {
        return;
    }
    let (found, found_zh, span) = match given(o.invoice_flag) {
        Some(t) => ("`N`", "`N`", t.span()),
        None => ("none (the default is N)", "未填（默认 N）", o.span),
    };
    let n = invoices.items.len();
    ctx.report(
        crate::rules::QIMEN_INVOICE_UNFLAGGED,
        ctx.order("invoiceFlag"),
        span,
        crate::report::Msg::new(
            format!(
                "expected `invoiceFlag` Y because `invoices` holds {n} invoice{}, found {found}",
                if n == 1 { "" } else { "s" }
            ),
            format!("发票信息 `invoices` 里有 {n} 张发票，是否需要发票（`invoiceFlag`）应为 Y，实际为 {found_zh}"),
        ),
    );
}
