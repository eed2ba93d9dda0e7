"""Seller Central's transaction view (取引管理画面) and its operator actions (seller-central.md).

A row per Amazon Reference ID: the chargePermissionId of a OneTime checkout, the chargeId of each
Charge of a Recurring one. The status is read from the simulator's causes through the tables in
`harness.amazon_pay.causes`, never from reason codes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from harness.amazon_pay import charges, permissions, refunds
from harness.amazon_pay.causes import (
    RECURRING_ROW_STATUS,
    TRANSACTION_STATUS,
    Cause,
    TransactionStatus,
)
from harness.amazon_pay.errors import AmazonPayError, SimulationError, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, ChargePermission, Refund
from harness.amazon_pay.simulator import AmazonPaySimulator
from harness.amazon_pay.states import ChargePermissionState, ChargeState
from harness.money import Money

__all__ = ["JST", "SellerCentral", "TransactionRow"]

JST = timezone(timedelta(hours=9), "JST")
"""Seller Central Japan shows times in Japan Standard Time; the simulator keeps UTC inside."""


@dataclass(frozen=True)
class TransactionRow:
    """One row of the transaction view."""

    reference_id: str
    status: TransactionStatus
    charge_permission_id: str
    authorized: Money
    captured: Money
    refunded: Money
    created_at: datetime
    buyer_name: str
    merchant_reference_id: str | None

    @property
    def created_jst(self) -> str:
        """The creation time as Seller Central Japan shows it."""
        return self.created_at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST")


class SellerCentral:
    """The transaction view of one simulator, and the operator's actions on it."""

    def __init__(self, simulator: AmazonPaySimulator) -> None:
        self._ledger: Ledger = simulator.ledger

    def rows(self) -> list[TransactionRow]:
        """Every row, oldest first."""
        result: list[TransactionRow] = []
        for permission in self._ledger.charge_permissions.values():
            if permission.is_recurring:
                result.extend(self._charge_row(permission, charge)
                              for charge in self._ledger.charges_of(permission))
            else:
                result.append(self._permission_row(permission))
        return sorted(result, key=lambda row: row.created_at)

    def row(self, reference_id: str) -> TransactionRow:
        """The row with this Amazon Reference ID, or an error listing the ones that exist."""
        for candidate in self.rows():
            if candidate.reference_id == reference_id:
                return candidate
        known = ", ".join(row.reference_id for row in self.rows()) or "none"
        raise SimulationError(f"Seller Central shows no transaction {reference_id!r} "
                              f"(rows: {known})")

    def status(self, reference_id: str) -> TransactionStatus:
        """The status column of one row."""
        return self.row(reference_id).status

    def table(self) -> str:
        """The view as a plain-text table, for failure messages and reports."""
        header = ("Amazon Reference ID", "Status", "Authorized", "Captured", "Refunded",
                  "Created (JST)", "Buyer")
        lines = [header] + [
            (row.reference_id, row.status.value, str(row.authorized), str(row.captured),
             str(row.refunded), row.created_jst, row.buyer_name) for row in self.rows()]
        widths = [max(_display_width(line[column]) for line in lines) for column in range(len(header))]
        rendered = [" | ".join(cell + " " * (width - _display_width(cell))
                               for cell, width in zip(line, widths, strict=True)).rstrip()
                    for line in lines]
        rendered.insert(1, "-+-".join("-" * width for width in widths))
        return "\n".join(rendered)

    def capture(self, reference_id: str, amount: Money | None = None) -> Charge:
        """売上請求: capture the uncaptured Charge, or create and capture a new one."""
        permission, row_charge = self._target(reference_id)
        self._ledger.note("operator", f"captured {reference_id} in Seller Central")
        if row_charge is not None:  # D-RECURRING-OPERATIONS
            return charges.capture(self._ledger, row_charge, amount or row_charge.charge_amount,
                                   None)
        uncaptured = [charge for charge in self._ledger.charges_of(permission)
                      if charge.charge_state.is_open]
        if uncaptured:  # D-OPERATOR-CAPTURE: the oldest uncaptured charge
            charge = uncaptured[0]
            if charge.charge_state is not ChargeState.AUTHORIZED:
                raise wrong_state("InvalidChargeStatus", "Charge", charge.state, "capture")
            return charges.capture(self._ledger, charge, amount or charge.charge_amount, None)
        permissions.require_chargeable(permission, "capture")
        balance = permissions.amount_balance(self._ledger, permission)
        new_amount = amount or balance
        if new_amount is None:
            raise SimulationError("a Recurring permission needs an amount to capture")
        if new_amount.amount <= 0:
            raise AmazonPayError("TransactionAmountExceeded",
                                 f"Nothing is left to capture on {reference_id}: its amountBalance "
                                 f"is {new_amount.to_wire()}")
        return charges.create_charge(self._ledger, permission, new_amount, capture_now=True,
                                     outcome=self._ledger.next_outcome(permission.id))

    def refund(self, reference_id: str, amount: Money, charge_id: str | None = None) -> Refund:
        """返金: refund a captured Charge of the row (the latest, unless one is named)."""
        permission, row_charge = self._target(reference_id)
        self._ledger.note("operator", f"refunded {amount} on {reference_id} in Seller Central")
        if row_charge is None and charge_id is not None:
            row_charge = self._ledger.charge(charge_id)
        if row_charge is None:
            captured = [charge for charge in self._ledger.charges_of(permission)
                        if charge.charge_state is ChargeState.CAPTURED]
            if not captured:
                raise wrong_state("InvalidChargeStatus", "Charge", "not captured", "refund")
            row_charge = captured[-1]
        return refunds.create_refund(self._ledger, row_charge, amount)

    def cancel(self, reference_id: str) -> None:
        """お支払いキャンセル: the row shows Canceled (D-OPERATOR-CANCEL)."""
        permission, row_charge = self._target(reference_id)
        self._ledger.note("operator", f"canceled {reference_id} in Seller Central")
        if row_charge is not None:
            charges.cancel_charge(self._ledger, row_charge, "Canceled in Seller Central")
            return
        self._require_open(permission, "cancel")
        permissions.close_permission(self._ledger, permission, Cause.OPERATOR_CANCELED,
                                     open_charges_cause=Cause.PERMISSION_CANCELED_CHARGE)

    def close(self, reference_id: str) -> None:
        """終了したお支払い: the row shows Closed (D-OPERATOR-CLOSE)."""
        permission, _ = self._target(reference_id)
        self._ledger.note("operator", f"closed {reference_id} in Seller Central")
        self._require_open(permission, "close")
        permissions.close_permission(self._ledger, permission, Cause.OPERATOR_CLOSED)

    def _target(self, reference_id: str) -> tuple[ChargePermission, Charge | None]:
        row = self.row(reference_id)
        permission = self._ledger.permission(row.charge_permission_id)
        if permission.is_recurring:
            return permission, self._ledger.charge(reference_id)
        return permission, None

    @staticmethod
    def _require_open(permission: ChargePermission, action: str) -> None:
        if permission.state == ChargePermissionState.CLOSED:
            raise AmazonPayError("InvalidChargePermissionStatus",
                                 f"Cannot {action} {permission.id}: it is already Closed")

    def _permission_row(self, permission: ChargePermission) -> TransactionRow:
        return self._make_row(permission.id, TRANSACTION_STATUS[permission.cause], permission,
                              self._ledger.charges_of(permission))

    def _charge_row(self, permission: ChargePermission, charge: Charge) -> TransactionRow:
        status = RECURRING_ROW_STATUS[charge.charge_state]  # D-RECURRING-ROWS
        if (permission.state == ChargePermissionState.CLOSED
                and charge.charge_state is not ChargeState.CAPTURED):
            status = TRANSACTION_STATUS[permission.cause]
        return self._make_row(charge.id, status, permission, [charge], charge.created_at)

    @staticmethod
    def _make_row(reference_id: str, status: TransactionStatus, permission: ChargePermission,
                  row_charges: list[Charge], created_at: datetime | None = None) -> TransactionRow:
        zero = Money.zero(permission.currency)
        authorized, captured, refunded = zero, zero, zero
        for charge in row_charges:
            if charge.authorized_at is not None:
                authorized += charge.charge_amount
            if charge.charge_state is ChargeState.CAPTURED and charge.capture_amount is not None:
                captured += charge.capture_amount
            refunded += charge.refunded_amount or zero
        return TransactionRow(
            reference_id=reference_id, status=status, charge_permission_id=permission.id,
            authorized=authorized, captured=captured, refunded=refunded,
            created_at=created_at or permission.created_at, buyer_name=permission.buyer.name,
            merchant_reference_id=permission.merchant_metadata.merchant_reference_id)


def _display_width(text: str) -> int:
    """Columns `text` takes in a terminal: full-width (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
