//! Rule `qimen.ar-got-amount`: in a `deliveryorder.create`, `totalAmount` = arAmount +
//! gotAmount, the payment side of the equation the contract gives for the order total
//! (订单总金额 = 应收金额 + 已收金额: what the consumer still owes, cash on delivery, plus what
//! was already paid). Exact, on `decimal(2)` amounts; checked only when all three fields are
//! given (see [`super::check_total`]).

use super::{check_total, Ctx, Header};

/// Checks one delivery order header (of a single order or of one order of a batch).
pub(crate) fn check(ctx: &mut Ctx<'_>, o: &Header<'_, '_>) {
    check_total(
        ctx,
        o,
        crate::rules::QIMEN_AR_GOT_AMOUNT,
        &[
            ("arAmount", o.ar_amount, false),
            ("gotAmount", o.got_amount, false),
        ],
    );
}
