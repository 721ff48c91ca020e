//! Rule `qimen.total-amount`: in a `deliveryorder.create`, `totalAmount` = itemAmount −
//! discountAmount + freight, the goods side of the equation the contract gives for the order
//! total (订单总金额 = 商品总金额 − 订单折扣金额 + 快递费用). Exact, on `decimal(2)` amounts;
//! checked only when all four fields are given (see [`super::check_total`]).

use super::{check_total, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    check_total(
        ctx,
        o,
        crate::rules::QIMEN_TOTAL_AMOUNT,
        &[
            ("itemAmount", o.item_amount, false),
            ("discountAmount", o.discount_amount, true),
            ("freight", o.freight, false),
        ],
    );
}
