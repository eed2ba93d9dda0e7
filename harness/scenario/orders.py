"""The orders of a scenario by name ("the order", "order A"), and the simulator's objects behind each."""

from __future__ import annotations

from dataclasses import dataclass

from harness.amazon_pay.errors import SimulationError
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, ChargePermission, CheckoutSession, Refund
from harness.merchant.adapter import CheckoutRequest

__all__: list[str] = []


@dataclass
class ScenarioOrder:
    """An order the scenario started: its name, what was asked, and the Checkout Session it got."""

    key: str
    """`A` for "order A"; `#1`, `#2`, ... for orders only ever called "the order"."""
    request: CheckoutRequest
    checkout_session_id: str | None = None
    refused: str | None = None
    """Why the merchant got no Checkout Session: what Amazon answered it, if anything."""

    @property
    def label(self) -> str:
        """How the scenario calls it."""
        return "the order" if self.key.startswith("#") else f"order {self.key}"

    @property
    def merchant_order_id(self) -> str:
        """The id the merchant keeps the order under."""
        return f"order-{self.key.removeprefix('#')}"


class OrderBook:
    """Named orders and the current one; reads each order's objects from the ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._orders: dict[str, ScenarioOrder] = {}
        self._current: ScenarioOrder | None = None

    def start(self, name: str | None, request: CheckoutRequest) -> ScenarioOrder:
        """A new order called `name` (None: "the order"); it becomes the current order."""
        order = ScenarioOrder(name if name is not None else f"#{len(self._orders) + 1}", request)
        if any(known.merchant_order_id == order.merchant_order_id for known in self._orders.values()):
            raise SimulationError(f"{order.label} was already started; give the new order another name")
        key = order.key
        self._orders[key] = order
        self._current = order
        return order

    def get(self, name: str | None) -> ScenarioOrder:
        """The order called `name`, or the current order for None ("the order")."""
        if name is None:
            if self._current is None:
                raise SimulationError("no order has been started yet: start one first, e.g. "
                                      "'the merchant starts a checkout for the order of 5,000 JPY'")
            return self._current
        try:
            order = self._orders[name]
        except KeyError:
            known = ", ".join(order.label for order in self._orders.values()) or "none"
            raise SimulationError(f"there is no order {name} (orders: {known})") from None
        self._current = order
        return order

    def all(self) -> list[ScenarioOrder]:
        """Every order, in the order they were started."""
        return list(self._orders.values())

    def session(self, order: ScenarioOrder) -> CheckoutSession:
        """The order's Checkout Session."""
        if order.checkout_session_id is None:
            why = f": Amazon answered {order.refused}" if order.refused else ""
            raise SimulationError(f"{order.label} has no Checkout Session: the merchant did not get one{why}")
        return self._ledger.session(order.checkout_session_id)

    def permission(self, order: ScenarioOrder) -> ChargePermission | None:
        """The order's Charge Permission, once the buyer has paid on Amazon's page."""
        permission_id = self.session(order).charge_permission_id
        return None if permission_id is None else self._ledger.permission(permission_id)

    def require_permission(self, order: ScenarioOrder) -> ChargePermission:
        """The order's Charge Permission, or an error saying the buyer has not paid."""
        permission = self.permission(order)
        if permission is None:
            raise SimulationError(f"{order.label} has no Charge Permission: the buyer has not paid on "
                                  "Amazon's page")
        return permission

    def charges(self, order: ScenarioOrder) -> list[Charge]:
        """The order's Charges, oldest first."""
        permission = self.permission(order)
        return [] if permission is None else self._ledger.charges_of(permission)

    def latest_charge(self, order: ScenarioOrder) -> Charge:
        """The order's newest Charge, or an error saying there is none."""
        charges = self.charges(order)
        if not charges:
            raise SimulationError(f"{order.label} has no Charge")
        return charges[-1]

    def ids(self, order: ScenarioOrder) -> set[str]:
        """Every id the order goes by: the merchant's, its Checkout Session's and Amazon's objects'."""
        ids = {order.merchant_order_id}
        if order.checkout_session_id is not None:
            ids.add(order.checkout_session_id)
            charges = self.charges(order)
            permission = self.permission(order)
            ids.update(charge.id for charge in charges)
            ids.update(refund.id for charge in charges for refund in self._ledger.refunds_of(charge))
            if permission is not None:
                ids.add(permission.id)
        return ids

    def latest_refund(self, order: ScenarioOrder) -> Refund:
        """The newest Refund of the order's Charges."""
        refunds = [refund for charge in self.charges(order) for refund in self._ledger.refunds_of(charge)]
        if not refunds:
            raise SimulationError(f"{order.label} has no Refund")
        return max(refunds, key=lambda refund: refund.created_at)
