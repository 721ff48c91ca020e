//! Rule `qimen.insurance-unflagged`: a `deliveryorder.create` with an `insurance` block while
//! its `insuranceFlag` is `N` or absent (the contract's default is `N`): the flag and the block
//! contradict each other, and a receiver that trusts the flag does not insure the parcel.

use super::{flag, given, insurance_given, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    if !insurance_given(o) || flag(o.insurance_flag) != Some(false) {
        return;
    }
    let (found, found_zh, span) = match given(o.insurance_flag) {
        Some(t) => ("`N`", "`N`", t.span()),
        None => ("none (the default is N)", "未填（默认 N）", o.span),
    };
    ctx.report(
        crate::rules::QIMEN_INSURANCE_UNFLAGGED,
        ctx.order("insuranceFlag"),
        span,
        crate::report::Msg::new(
            format!(
                "expected `insuranceFlag` Y because an `insurance` block is given, found {found}"
            ),
            format!(
                "给了保价信息 `insurance`，是否保价（`insuranceFlag`）应为 Y，实际为 {found_zh}"
            ),
        ),
    );
}
