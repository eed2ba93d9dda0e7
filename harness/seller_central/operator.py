"""What the operator's buttons in Seller Central's transaction view do (docs/reference/seller-central.md).

Each action takes the `Target` row the view resolved from an Amazon Reference ID, notes itself in
the ledger as the operator's, and acts through the same domain operations the API uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.amazon_pay import charges, permissions, refunds
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.errors import AmazonPayError, SimulationError, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, ChargePermission, Refund
from harness.amazon_pay.states import ChargePermissionState, ChargeState
from harness.money import Money

__all__: list[str] = []


@dataclass(frozen=True)
class Target:
    """The row an operator acts on: its permission and, on a row of a Recurring one, its Charge."""

    ledger: Ledger
    reference_id: str
    permission: ChargePermission
    charge: Charge | None


def capture(target: Target, amount: Money | None) -> Charge:
    """売上請求: capture the uncaptured Charge, or create and capture a new one."""
    ledger, reference_id, permission = target.ledger, target.reference_id, target.permission
    ledger.note("operator", f"captured {reference_id} in Seller Central")
    if target.charge is not None:  # D-RECURRING-OPERATIONS
        return charges.capture(ledger, target.charge, amount or target.charge.charge_amount, None)
    uncaptured = [charge for charge in ledger.charges_of(permission) if charge.charge_state.is_open]
    if uncaptured:  # D-OPERATOR-CAPTURE: the oldest uncaptured charge
        charge = uncaptured[0]
        if charge.charge_state is not ChargeState.AUTHORIZED:
            raise wrong_state("InvalidChargeStatus", "Charge", charge.state, "capture")
        return charges.capture(ledger, charge, amount or charge.charge_amount, None)
    permissions.require_chargeable(permission, "capture")
    balance = permissions.amount_balance(ledger, permission)
    new_amount = amount or balance
    if new_amount is None:
        raise SimulationError("a Recurring permission needs an amount to capture")
    if new_amount.amount <= 0:
        raise AmazonPayError("TransactionAmountExceeded",
                             f"Nothing is left to capture on {reference_id}: its amountBalance "
                             f"is {new_amount.to_wire()}")
    return charges.create_charge(ledger, permission, new_amount, capture_now=True,
                                 outcome=ledger.next_outcome(permission.id))


def refund(target: Target, amount: Money, charge_id: str | None) -> Refund:
    """返金: refund a captured Charge of the row (the latest, unless one is named)."""
    ledger = target.ledger
    ledger.note("operator", f"refunded {amount} on {target.reference_id} in Seller Central")
    row_charge = target.charge
    if row_charge is None and charge_id is not None:
        row_charge = ledger.charge(charge_id)
    if row_charge is None:
        captured = [charge for charge in ledger.charges_of(target.permission)
                    if charge.charge_state is ChargeState.CAPTURED]
        if not captured:
            raise wrong_state("InvalidChargeStatus", "Charge", "not captured", "refund")
        row_charge = captured[-1]
    return refunds.create_refund(ledger, row_charge, amount)


def cancel(target: Target) -> None:
    """お支払いキャンセル: the row shows Canceled (D-OPERATOR-CANCEL)."""
    ledger = target.ledger
    ledger.note("operator", f"canceled {target.reference_id} in Seller Central")
    if target.charge is not None:
        charges.cancel_charge(ledger, target.charge, "Canceled in Seller Central")
        return
    _require_open(target.permission, "cancel")
    permissions.close_permission(ledger, target.permission, Cause.OPERATOR_CANCELED,
                                 open_charges_cause=Cause.PERMISSION_CANCELED_CHARGE)


def close(target: Target) -> None:
    """終了したお支払い: the row shows Closed (D-OPERATOR-CLOSE)."""
    target.ledger.note("operator", f"closed {target.reference_id} in Seller Central")
    _require_open(target.permission, "close")
    permissions.close_permission(target.ledger, target.permission, Cause.OPERATOR_CLOSED)


def _require_open(permission: ChargePermission, action: str) -> None:
    if permission.state == ChargePermissionState.CLOSED:
        raise AmazonPayError("InvalidChargePermissionStatus",
                             f"Cannot {action} {permission.id}: it is already Closed")
