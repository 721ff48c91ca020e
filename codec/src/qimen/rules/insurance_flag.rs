//! Rule `qimen.insurance-flag`: a `deliveryorder.create` whose `insuranceFlag` is `Y` should
//! say what to insure in an `insurance` block (its `type` and `amount`). The contract does not
//! spell this out as it does for invoices, hence a warning.

use super::{flag, insurance_given, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    if flag(o.insurance_flag) != Some(true) || insurance_given(o) {
        return;
    }
    let span = o.insurance.as_ref().map_or(o.span, |i| i.span);
    ctx.report(
        crate::rules::QIMEN_INSURANCE_FLAG,
        ctx.order("insurance"),
        span,
        crate::report::Msg::new(
            "expected an `insurance` block (type and amount) because `insuranceFlag` is Y, found none"
                .to_string(),
            "是否保价（`insuranceFlag`）为 Y，却没有保价信息 `insurance`（保价类型和金额）".to_string(),
        ),
    );
}
