//! Rule `qimen.insurance-unflagged`: a `deliveryorder.create` with an `insurance` block while
//! its `insuranceFlag` is `N` or absent (the contract's default is `N`): the flag and the block
//! contradict each other, and a receiver that trusts the flag does not insure the parcel.

use super::{flag, given, insurance_given, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    if !insurance_given(o) || flag(o.insurance_flag) != Some(false) {
        return;
    }
    let (found, span) = match given(o.insurance_flag) {
        Some(t) => ("`N`", t.span()),
        None => ("none (the default is N)", o.span),
    };
    ctx.report(
        crate::rules::QIMEN_INSURANCE_UNFLAGGED,
        ctx.order("insuranceFlag"),
        span,
        format!("expected `insuranceFlag` Y because an `insurance` block is given, found {found}"),
    );
}
