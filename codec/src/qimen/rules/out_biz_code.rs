//! Rule `qimen.out-biz-code`: a `deliveryorder.confirm` that is an intermediate confirmation
//! (`confirmType` 1: more confirmations of the same order follow) must carry `outBizCode`. The
//! contract makes the field conditionally required (条件必填) exactly when one order is
//! confirmed several times: the receiver tells the confirmations apart, and drops repeats, by
//! it. A final confirmation (`confirmType` 0, or none) may be the only one, so it is not
//! checked.

use super::{given, Ctx};
use crate::model::qimen::DeliveryOrderConfirmOrder;

/// Checks one delivery order confirmation header (single, or one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &DeliveryOrderConfirmOrder<'_>) {
    let intermediate = given(&o.confirm_type).is_some_and(|t| t.value() == "1");
    if !intermediate || given(&o.out_biz_code).is_some() {
        return;
    }
    ctx.report(
        crate::rules::QIMEN_OUT_BIZ_CODE,
        ctx.order("outBizCode"),
        o.span,
        crate::report::Msg::new(
            "expected `outBizCode` because `confirmType` is 1 (an intermediate confirmation; more follow for this order), found none".to_string(),
            "缺少外部业务编码（`outBizCode`）：`confirmType` 为 1（中间确认，这个订单后面还有确认），必须填写".to_string(),
        ),
    );
}
