"""Seller Central's transaction view (取引管理画面) and the way in to its operator actions.

A row per Amazon Reference ID: the chargePermissionId of a OneTime checkout, the chargeId of each
Charge of a Recurring one. The status is read from the simulator's causes through the tables in
`harness.seller_central.projection`, never from reason codes; what the operator's buttons do is
`harness.seller_central.operator`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from harness.amazon_pay.errors import SimulationError
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, ChargePermission, Refund
from harness.amazon_pay.states import ChargePermissionState, ChargeState
from harness.money import Money
from harness.seller_central import operator
from harness.seller_central.projection import RECURRING_ROW_STATUS, TRANSACTION_STATUS, TransactionStatus

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["JST", "SellerCentral", "TransactionRow"]

JST = timezone(timedelta(hours=9), "JST")
"""Seller Central Japan shows times in Japan Standard Time; the simulator keeps UTC inside."""


COLUMNS = ("Amazon Reference ID", "Status", "Authorized", "Captured", "Refunded", "Created (JST)", "Buyer")
"""The columns of the transaction view."""


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

    def cells(self) -> tuple[str, ...]:
        """The row as the view shows it, one text per column of `COLUMNS`."""
        return (self.reference_id, self.status.value, str(self.authorized), str(self.captured),
                str(self.refunded), self.created_jst, self.buyer_name)

    @property
    def created_jst(self) -> str:
        """The creation time as Seller Central Japan shows it."""
        return self.created_at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST")


class SellerCentral:
    """The transaction view of one simulator, and the operator's actions on it.

    Each read and action holds the simulator's lock, so it sees (and changes) one consistent state
    while other threads call the API or move the clock.
    """

    def __init__(self, simulator: Simulator) -> None:
        self._ledger: Ledger = simulator.ledger
        self._lock = simulator.lock

    def rows(self) -> list[TransactionRow]:
        """Every row, oldest first."""
        result: list[TransactionRow] = []
        with self._lock:
            for permission in self._ledger.charge_permissions.values():
                if permission.is_recurring:
                    result.extend(self._charge_row(permission, charge)
                                  for charge in self._ledger.charges_of(permission))
                else:
                    result.append(self._permission_row(permission))
        return sorted(result, key=lambda row: row.created_at)

    def row(self, reference_id: str) -> TransactionRow:
        """The row with this Amazon Reference ID, or an error listing the ones that exist."""
        rows = self.rows()
        for candidate in rows:
            if candidate.reference_id == reference_id:
                return candidate
        known = ", ".join(row.reference_id for row in rows) or "none"
        raise SimulationError(f"Seller Central shows no transaction {reference_id!r} "
                              f"(rows: {known})")

    def status(self, reference_id: str) -> TransactionStatus:
        """The status column of one row."""
        return self.row(reference_id).status

    def table(self) -> str:
        """The view as a plain-text table, for failure messages and reports."""
        header = COLUMNS
        lines = [header] + [row.cells() for row in self.rows()]
        widths = [max(_display_width(line[column]) for line in lines) for column in range(len(header))]
        rendered = [" | ".join(cell + " " * (width - _display_width(cell))
                               for cell, width in zip(line, widths, strict=True)).rstrip()
                    for line in lines]
        rendered.insert(1, "-+-".join("-" * width for width in widths))
        return "\n".join(rendered)

    def capture(self, reference_id: str, amount: Money | None = None) -> Charge:
        """売上請求: capture the uncaptured Charge, or create and capture a new one."""
        with self._lock:
            return operator.capture(self._target(reference_id), amount)

    def refund(self, reference_id: str, amount: Money, charge_id: str | None = None) -> Refund:
        """返金: refund a captured Charge of the row (the latest, unless one is named)."""
        with self._lock:
            return operator.refund(self._target(reference_id), amount, charge_id)

    def cancel(self, reference_id: str) -> None:
        """お支払いキャンセル: the row shows Canceled (D-OPERATOR-CANCEL)."""
        with self._lock:
            operator.cancel(self._target(reference_id))

    def close(self, reference_id: str) -> None:
        """終了したお支払い: the row shows Closed (D-OPERATOR-CLOSE)."""
        with self._lock:
            operator.close(self._target(reference_id))

    def _target(self, reference_id: str) -> operator.Target:
        row = self.row(reference_id)
        permission = self._ledger.permission(row.charge_permission_id)
        charge = self._ledger.charge(reference_id) if permission.is_recurring else None
        return operator.Target(self._ledger, reference_id, permission, charge)

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
