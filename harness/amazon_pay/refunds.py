"""Refunds: always asynchronous, capped and counted per Charge (docs/reference/amazon-pay-v2.md §2.4)."""

from __future__ import annotations

from harness.amazon_pay import limits
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.charges import check_amount
from harness.amazon_pay.errors import AmazonPayError, SimulationError, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, Refund
from harness.amazon_pay.states import ChargeState, RefundState
from harness.money import Money, money_min

__all__ = ["create_refund", "refund_cap"]


def refund_cap(charge: Charge) -> Money:
    """Captured amount + min(15 %, ¥8,400): the most that may be refunded in total (§2.4)."""
    assert charge.capture_amount is not None
    captured = charge.capture_amount
    extra = money_min(captured.percent(limits.REFUND_OVER_CAPTURE_PERCENT),
                      limits.REFUND_OVER_CAPTURE_CAP[captured.currency])
    return captured + extra


def refunded_so_far(ledger: Ledger, charge: Charge) -> Money:
    """Refunds initiated or done on the charge (declined ones give the room back; D-REFUNDED-AMOUNT)."""
    total = Money.zero(charge.charge_amount.currency)
    for refund in ledger.refunds_of(charge):
        if refund.state != RefundState.DECLINED:
            total += refund.refund_amount
    return total


def create_refund(ledger: Ledger, charge: Charge, amount: Money,
                  soft_descriptor: str | None = None) -> Refund:
    """Create Refund (§2.4): Captured charges only, at most 10, within the cap; RefundInitiated."""
    if charge.charge_state is not ChargeState.CAPTURED:
        raise wrong_state("InvalidChargeStatus", "Charge", charge.state, "Create Refund")
    check_amount(amount, charge.charge_amount.currency, "refundAmount")
    if len(charge.refund_ids) >= limits.MAX_REFUNDS_PER_CHARGE:
        raise AmazonPayError("TransactionCountExceeded",
                             f"Charge {charge.id} already has {limits.MAX_REFUNDS_PER_CHARGE} refunds")
    cap = refund_cap(charge)
    already = refunded_so_far(ledger, charge)
    if already + amount > cap:
        raise AmazonPayError("TransactionAmountExceeded",
                             f"The refundAmount {amount.to_wire()} would bring the refunds of "
                             f"Charge {charge.id} to {(already + amount).to_wire()}, above the "
                             f"limit {cap.to_wire()} (captured + min(15 %, ¥8,400))")
    now = ledger.now()
    refund = Refund(id=ledger.ids.refund_id(charge.id), environment=charge.environment,
                    created_at=now, updated_at=now, cause=Cause.REFUND_INITIATED,
                    charge_id=charge.id, refund_amount=amount, soft_descriptor=soft_descriptor)
    charge.refund_ids.append(refund.id)
    ledger.add(refund)
    refund.timer = ledger.schedule(now + ledger.settings.refund_delay,
                                   f"Refund {refund.id} completes",
                                   lambda: resolve_refund(ledger, refund, Cause.REFUNDED))
    return refund


def resolve_refund(ledger: Ledger, refund: Refund, final: Cause) -> None:
    """Finish a RefundInitiated refund as Refunded or Declined."""
    if refund.state != RefundState.REFUND_INITIATED:
        raise SimulationError(f"Refund {refund.id} is {refund.state}: only a RefundInitiated "
                              "refund can be resolved")
    if refund.timer is not None:
        refund.timer.cancel()
    ledger.transition(refund, final)
    if final is Cause.REFUNDED:
        charge = ledger.charge(refund.charge_id)
        assert charge.refunded_amount is not None
        charge.refunded_amount += refund.refund_amount
        charge.updated_at = ledger.now()
