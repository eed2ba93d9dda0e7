"""What a scenario can assert: Seller Central's rows, the API's objects, the merchant's own record.

Each expectation raises `ExpectationError` (through the world) with what was expected, what is, the
timeline and the transaction view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from harness.amazon_pay.errors import SimulationError
from harness.amazon_pay.flat_files import SettlementRow
from harness.amazon_pay.objects import SimulatedObject
from harness.amazon_pay.permissions import shown_limits
from harness.amazon_pay.states import ChargeState, ReasonCode
from harness.api.exchanges import idempotency_key
from harness.merchant.adapter import MerchantOrder
from harness.money import Money
from harness.scenario.calls import describe_call, order_calls
from harness.scenario.orders import ScenarioOrder
from harness.scenario.parsing import ObjectKind
from harness.seller_central import TransactionRow
from harness.seller_central.projection import TransactionStatus
from harness.seller_central.view import JST

if TYPE_CHECKING:
    from harness.scenario.actions import DownloadedReport
    from harness.scenario.world import ScenarioWorld

__all__ = ["Expectations"]

_CHARGED = frozenset({ChargeState.AUTHORIZED, ChargeState.CAPTURE_INITIATED, ChargeState.CAPTURED})
"""The Charge states in which the buyer's money is held or taken."""


class Expectations:
    """The checks of one scenario."""

    def __init__(self, world: ScenarioWorld) -> None:
        self._world = world

    # --- Seller Central -----------------------------------------------------------------------

    def status(self, name: str | None, status: TransactionStatus, charge_number: int | None = None) -> None:
        """The order's row (or, for Recurring, the row of its charge `charge_number`) shows `status`."""
        with self._checking():
            order = self._world.orders.get(name)
            row = self._row(order, charge_number)
            if row.status != status:
                self._world.fail(f"expected Seller Central to show {self._what(order, charge_number)} "
                                 f"({row.reference_id}) as {status}, but it shows {row.status}")

    def no_transaction(self, name: str | None) -> None:
        """Seller Central has no row for the order."""
        with self._checking():
            order = self._world.orders.get(name)
            rows = self._rows(order)
            if rows:
                shown = ", ".join(f"{row.reference_id} ({row.status})" for row in rows)
                self._world.fail(f"expected no transaction for {order.label} in Seller Central, "
                                 f"but it shows {shown}")

    def reference_id_is_permission(self, name: str | None) -> None:
        """OneTime: the order is one row, identified by its chargePermissionId."""
        with self._checking():
            order = self._world.orders.get(name)
            permission = self._world.orders.require_permission(order)
            ids = [row.reference_id for row in self._rows(order)]
            if ids != [permission.id]:
                self._world.fail(f"expected one row for {order.label} identified by its chargePermissionId "
                                 f"{permission.id}, but its rows are {ids or 'none'}")

    def reference_ids_are_charges(self, name: str | None, count: int | None = None) -> None:
        """Recurring: one row per Charge, each identified by its chargeId (and `count` of them)."""
        with self._checking():
            order = self._world.orders.get(name)
            charge_ids = [charge.id for charge in self._world.orders.charges(order)]
            ids = [row.reference_id for row in self._rows(order)]
            if ids != charge_ids or (count is not None and len(ids) != count):
                expected = f"{count} rows" if count is not None else "one row per charge"
                self._world.fail(f"expected {expected} for {order.label}, identified by the chargeIds "
                                 f"{charge_ids}, but its rows are {ids or 'none'}")

    def reference_id_is_charge(self, name: str | None, charge_number: int) -> None:
        """Recurring: the row of charge `charge_number` is identified by that Charge's chargeId."""
        with self._checking():
            order = self._world.orders.get(name)
            charges = self._world.orders.charges(order)
            row = self._row(order, charge_number)
            charge_id = charges[charge_number - 1].id
            if row.reference_id != charge_id:
                self._world.fail(f"expected the row of charge {charge_number} of {order.label} to be "
                                 f"identified by its chargeId {charge_id}, but it is {row.reference_id}")

    def created(self, name: str | None, moment: datetime) -> None:
        """The order's row shows `moment` in its Created (JST) column."""
        self._column(name, "Created (JST)", moment.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST"),
                     lambda row: row.created_jst)

    def buyer(self, name: str | None, buyer_name: str) -> None:
        """The order's row shows `buyer_name` in its Buyer column."""
        self._column(name, "Buyer", buyer_name, lambda row: row.buyer_name)

    def _column(self, name: str | None, column: str, expected: str,
                shown: Callable[[TransactionRow], str]) -> None:
        with self._checking():
            order = self._world.orders.get(name)
            row = self._row(order, None)
            if shown(row) != expected:
                self._world.fail(f"expected Seller Central to show {order.label} ({row.reference_id}) with "
                                 f"{column} {expected}, but it shows {shown(row)}")

    def amounts(self, name: str | None, *, authorized: Money | None = None, captured: Money | None = None,
                refunded: Money | None = None) -> None:
        """The order's row shows these amounts (None: not checked)."""
        with self._checking():
            order = self._world.orders.get(name)
            row = self._row(order, None)
            wrong = [f"{column} {actual} (expected {expected})"
                     for column, expected, actual in (("authorized", authorized, row.authorized),
                                                      ("captured", captured, row.captured),
                                                      ("refunded", refunded, row.refunded))
                     if expected is not None and actual != expected]
            if wrong:
                self._world.fail(f"Seller Central shows {order.label} ({row.reference_id}) with "
                                 f"{', '.join(wrong)}")

    def charge_count(self, name: str | None, count: int) -> None:
        """Amazon Pay holds `count` Charges for the order."""
        with self._checking():
            order = self._world.orders.get(name)
            charges = self._world.orders.charges(order)
            if len(charges) != count:
                listed = ", ".join(f"{charge.id} ({charge.state})" for charge in charges) or "none"
                self._world.fail(f"expected {count} charges for {order.label}, but there are {len(charges)}: "
                                 f"{listed}")

    def refused(self, reason_code: str) -> None:
        """Seller Central refused an operator action with `reason_code`."""
        for refusal in self._world.refusals:
            if not refusal.expected and refusal.reason_code == reason_code:
                refusal.expected = True
                return
        seen = ", ".join(f"{refusal.reason_code} ({refusal.action})" for refusal in self._world.refusals)
        self._world.fail(f"expected Seller Central to refuse an action with {reason_code}, "
                         f"but it refused {seen or 'nothing'}")

    # --- the API ------------------------------------------------------------------------------

    def api_state(self, name: str | None, kind: ObjectKind, state: str,
                  reason: ReasonCode | None = None, *, no_reason: bool = False) -> None:
        """The order's object of `kind` is in `state` (with `reason`, or with none if `no_reason`)."""
        with self._checking():
            order = self._world.orders.get(name)
            obj = self._object(order, kind)
            reason_wrong = ((reason is not None and obj.reason != reason)
                            or (no_reason and obj.reason is not None))
            if obj.state != state or reason_wrong:
                expected = f"{state}" + (f" ({reason})" if reason else " (no reason)" if no_reason else "")
                self._world.fail(f"expected the {kind} of {order.label} ({obj.id}) to be {expected}, but it "
                                 f"is {obj.state} ({obj.reason or 'no reason'}), because {obj.cause}")

    # --- the merchant -------------------------------------------------------------------------

    def merchant_received(self, name: str | None, reason_code: str) -> None:
        """The merchant received an error with `reason_code` for the order."""
        with self._checking():
            order, record = self._record(name)
            if not any(error.reason_code == reason_code for error in record.errors):
                received = "; ".join(map(str, record.errors)) or "no error"
                self._world.fail(f"expected the merchant to have received {reason_code} for {order.label}, "
                                 f"but it received {received}")

    def merchant_received_no_error(self, name: str | None) -> None:
        """The merchant received no error for the order."""
        with self._checking():
            order, record = self._record(name)
            if record.errors:
                self._world.fail(f"expected no error for {order.label}, but the merchant received "
                                 f"{'; '.join(map(str, record.errors))}")

    def merchant_record(self, name: str | None, status: str) -> None:
        """The merchant's own record of the order has `status`."""
        with self._checking():
            order, record = self._record(name)
            if record.status != status:
                self._world.fail(f"expected the merchant's record of {order.label} ({record.order_id}) to be "
                                 f"{status}, but it is {record.status}")

    def merchant_record_matches(self, name: str | None) -> None:
        """The merchant's record holds Amazon's ids for the order: session, permission, latest charge."""
        with self._checking():
            order, record = self._record(name)
            orders = self._world.orders
            permission = orders.permission(order)
            charges = orders.charges(order)
            expected = {"checkoutSessionId": order.checkout_session_id,
                        "chargePermissionId": None if permission is None else permission.id,
                        "chargeId": charges[-1].id if charges else None}
            actual = {"checkoutSessionId": record.checkout_session_id,
                      "chargePermissionId": record.charge_permission_id, "chargeId": record.charge_id}
            wrong = [f"{key} {actual[key]} (Amazon: {value})" for key, value in expected.items()
                     if actual[key] != value]
            if wrong:
                self._world.fail(f"the merchant's record of {order.label} does not match Amazon's: "
                                 f"{', '.join(wrong)}")

    # --- the calls Amazon Pay received, and what it charged ----------------------------------

    def api_calls(self, name: str | None, operation: str, count: int, *, same_key: bool = False,
                  different_keys: bool = False) -> None:
        """Amazon Pay received `count` calls of `operation` for the order (under one idempotency key, or
        each under its own)."""
        with self._checking():
            order = self._world.orders.get(name)
            log = self._world.simulator.handler.exchanges
            calls = order_calls(log, self._world.orders.ids(order), operation)
            keys = [idempotency_key(call) for call in calls]
            wrong = (len(calls) != count or (same_key and len(set(keys)) > 1)
                     or (different_keys and len(set(keys)) != len(keys)))
            if wrong or ((same_key or different_keys) and None in keys):
                how = " under the same idempotency key" if same_key else \
                    " each under its own idempotency key" if different_keys else ""
                listed = "".join(f"\n  {describe_call(call)}" for call in calls) or " none"
                self._world.fail(f"expected Amazon Pay to have received {count} {operation} call(s) for "
                                 f"{order.label}{how}, but it received {len(calls)} under "
                                 f"{len(set(keys))} key(s):{listed}")

    def charged(self, name: str | None, times: int) -> None:
        """The order's buyer was charged `times` times: Charges authorized, being captured or captured."""
        with self._checking():
            order = self._world.orders.get(name)
            charges = self._world.orders.charges(order)
            taken = [charge for charge in charges if charge.charge_state in _CHARGED]
            if len(taken) != times:
                listed = ", ".join(f"{charge.id} {charge.charge_amount} ({charge.state})"
                                   for charge in charges)
                self._world.fail(f"expected {order.label} to have been charged {times} time(s), but Amazon "
                                 f"Pay holds {len(taken)} charge(s) that take the buyer's money: "
                                 f"{listed or 'no charge at all'}")

    def monthly_balance(self, name: str | None, amount: Money) -> None:
        """What the order's Recurring permission may still be charged this month (§2.6)."""
        with self._checking():
            order = self._world.orders.get(name)
            permission = self._world.orders.require_permission(order)
            limit, balance = shown_limits(self._world.simulator.ledger, permission)
            if not permission.is_recurring or balance != amount:
                shown = "no monthly limit (it is not Recurring)" if not permission.is_recurring else \
                    f"amountBalance {balance} of the amountLimit {limit}"
                self._world.fail(f"expected {order.label} ({permission.id}) to have {amount} left to charge "
                                 f"this month, but Get Charge Permission shows {shown}")

    # --- reports (issue 15) ---------------------------------------------------------------------

    def settlement_lists(self, name: str | None, *, capture: Money | None = None,
                         refund: Money | None = None) -> None:
        """The downloaded settlement report has a Capture (and a Refund) of these amounts for the order."""
        with self._checking():
            downloaded, order, rows = self._settlement_rows(name)
            for kind, amount, sign in (("Capture", capture, 1), ("Refund", refund, -1)):
                if amount is None:
                    continue
                if not any(row.transaction_type == kind and row.currency == amount.currency
                           and row.amount == sign * amount.amount for row in rows):
                    self._world.fail(f"expected {downloaded.what} to list a {kind.lower()} of {amount} for "
                                     f"{order.label}, but it lists {_listed(rows)}")

    def settlement_lists_nothing(self, name: str | None) -> None:
        """The downloaded settlement report has no row for the order."""
        with self._checking():
            downloaded, order, rows = self._settlement_rows(name)
            if rows:
                self._world.fail(f"expected {downloaded.what} to list nothing for {order.label}, but it "
                                 f"lists {_listed(rows)}")

    def settlement_pays_out(self, amount: Money) -> None:
        """The downloaded settlement report's net total (what it pays out) is `amount`."""
        downloaded = self._downloaded()
        total = downloaded.report.net_total()
        if total != amount.amount:
            self._world.fail(f"expected {downloaded.what} to pay out {amount} in all, but its net total is "
                             f"{Money(total, amount.currency)} ({len(downloaded.report.rows)} rows)")

    def _downloaded(self) -> DownloadedReport:
        downloaded = self._world.settlement_report
        if downloaded is None:
            self._world.fail("no settlement report was downloaded: put 'When the merchant downloads the "
                             "settlement report for <month>' before this step")
        return downloaded

    def _settlement_rows(self, name: str | None
                         ) -> tuple[DownloadedReport, ScenarioOrder, list[SettlementRow]]:
        downloaded = self._downloaded()
        order = self._world.orders.get(name)
        permission = self._world.orders.permission(order)
        if permission is None:
            raise SimulationError(f"{order.label} has no Charge Permission, so no settlement row")
        return downloaded, order, downloaded.report.for_order(permission.id)

    # --- helpers ------------------------------------------------------------------------------

    @contextmanager
    def _checking(self) -> Iterator[None]:
        """A missing object (no permission, no charge, no order) fails the expectation."""
        try:
            yield
        except SimulationError as error:
            self._world.fail(f"cannot check that: {error}")

    def _rows(self, order: ScenarioOrder) -> list[TransactionRow]:
        permission = self._world.orders.permission(order)
        if permission is None:
            return []
        return [row for row in self._world.seller_central.rows() if row.charge_permission_id == permission.id]

    def _row(self, order: ScenarioOrder, charge_number: int | None) -> TransactionRow:
        rows = self._rows(order)
        if not rows:
            self._world.fail(f"Seller Central shows no transaction for {order.label}")
        if charge_number is None:
            return rows[-1]
        charges = self._world.orders.charges(order)
        if not 1 <= charge_number <= len(charges):
            self._world.fail(f"{order.label} has {len(charges)} charges, not a charge {charge_number}")
        by_id = {row.reference_id: row for row in rows}
        charge_id = charges[charge_number - 1].id
        if charge_id not in by_id:
            self._world.fail(f"Seller Central shows no row for charge {charge_number} ({charge_id}) of "
                             f"{order.label}: {order.label} is not a Recurring checkout")
        return by_id[charge_id]

    @staticmethod
    def _what(order: ScenarioOrder, charge_number: int | None) -> str:
        return order.label if charge_number is None else f"charge {charge_number} of {order.label}"

    def _object(self, order: ScenarioOrder, kind: ObjectKind) -> SimulatedObject:
        orders = self._world.orders
        if kind is ObjectKind.CHECKOUT_SESSION:
            return orders.session(order)
        if kind is ObjectKind.CHARGE_PERMISSION:
            return orders.require_permission(order)
        if kind is ObjectKind.CHARGE:
            return orders.latest_charge(order)
        return orders.latest_refund(order)

    def _record(self, name: str | None) -> tuple[ScenarioOrder, MerchantOrder]:
        order = self._world.orders.get(name)
        record = self._world.merchant.record(order)
        if record is None:
            self._world.fail(f"the merchant has no record of {order.label} ({order.merchant_order_id})")
        return order, record


def _listed(rows: list[SettlementRow]) -> str:
    """`Capture 5000 JPY (S03-…-C…), Refund -1000 JPY (S03-…-R…)`, or `nothing`."""
    return ", ".join(f"{row.transaction_type} {row.amount} {row.currency} ({row.amazon_transaction_id})"
                     for row in rows) or "nothing"
