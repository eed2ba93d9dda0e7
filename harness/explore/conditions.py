"""When an action means something: the preconditions of the explored actions, read from the simulator.

Each condition says of one order whether the action can be taken on it now (the buyer pays only an
Open, unpaid checkout; the merchant refunds only an order whose record names a charge). Actions
Amazon itself may refuse (a capture of a Canceled charge) stay enabled: the merchant's handling of
the refusal is what is explored. An action of the vocabulary without a condition here is enabled
for every order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from harness.amazon_pay.states import ChargePermissionState, ChargeState, CheckoutSessionState
from harness.scenario.orders import ScenarioOrder
from harness.scenario.world import ScenarioWorld

__all__ = ["CONDITIONS", "MAX_ORDERS", "NEW_ORDER_ACTIONS", "fits"]

MAX_ORDERS = 2
"""Orders per example: two are enough for one to disturb the other (a reconciliation job, a fault)."""

NEW_ORDER_ACTIONS = frozenset({("merchant", "start checkout"), ("buyer", "checkout"),
                               ("buyer", "click button")})
"""Actions whose order argument names a new order (a new one declared in steps/ belongs here too)."""

Condition = Callable[[ScenarioWorld, ScenarioOrder], bool]


def _session_state(world: ScenarioWorld, order: ScenarioOrder) -> str | None:
    return world.orders.session(order).state if order.checkout_session_id is not None else None


def _unpaid_checkout(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """its Checkout Session is Open and unpaid"""  # a condition's doc is a cell of docs/explore.md
    return (_session_state(world, order) == CheckoutSessionState.OPEN
            and not world.orders.session(order).approved)


def _paid_checkout(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """the buyer paid and has not come back yet (the Checkout Session is Open)"""
    if _session_state(world, order) != CheckoutSessionState.OPEN:
        return False
    session = world.orders.session(order)
    return session.approved and not session.buyer_returned


def _permission_state(world: ScenarioWorld, order: ScenarioOrder) -> str | None:
    if order.checkout_session_id is None:
        return None
    permission = world.orders.permission(order)
    return None if permission is None else permission.state


def _has_permission(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """the buyer paid (a Charge Permission exists)"""
    return _permission_state(world, order) is not None


def _open_permission(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """its Charge Permission exists and is not Closed"""
    return _permission_state(world, order) not in (None, ChargePermissionState.CLOSED)


def _non_chargeable(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """its Charge Permission is NonChargeable"""
    return _permission_state(world, order) == ChargePermissionState.NON_CHARGEABLE


def _latest_charge_in(*states: ChargeState) -> Condition:
    def condition(world: ScenarioWorld, order: ScenarioOrder) -> bool:
        charges = world.orders.charges(order) if _has_permission(world, order) else []
        return bool(charges) and charges[-1].charge_state in states
    condition.__doc__ = f"its latest Charge is {' or '.join(states)}"
    return condition


def _record_names(field: str) -> Condition:
    def condition(world: ScenarioWorld, order: ScenarioOrder) -> bool:
        record = world.merchant.record(order)
        return record is not None and getattr(record, field) is not None
    condition.__doc__ = f"the merchant's record names its {field.removesuffix('_id').replace('_', ' ')}"
    return condition


def _started(world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """Amazon gave it a Checkout Session"""
    return order.checkout_session_id is not None


CONDITIONS: Mapping[tuple[str, str], Condition] = {
    ("buyer", "pay"): _unpaid_checkout,
    ("buyer", "cancel"): _unpaid_checkout,
    ("buyer", "drop off"): _paid_checkout,
    ("buyer", "return"): _paid_checkout,
    ("buyer", "update payment method"): _non_chargeable,
    ("merchant", "capture"): _record_names("charge_permission_id"),
    ("merchant", "charge"): _record_names("charge_permission_id"),
    ("merchant", "close"): _record_names("charge_permission_id"),
    ("merchant", "refund"): _record_names("charge_id"),
    ("merchant", "cancel authorization"): _record_names("charge_id"),
    ("amazon", "close for fraud"): _open_permission,
    ("amazon", "decline next authorization"): _open_permission,
    ("amazon", "invalidate payment method"): _open_permission,
    ("amazon", "expire payment method"): _open_permission,
    ("amazon", "approve pending authorization"): _latest_charge_in(ChargeState.AUTHORIZATION_INITIATED,
                                                                   ChargeState.CAPTURE_INITIATED),
    ("amazon", "decline pending authorization"): _latest_charge_in(ChargeState.AUTHORIZATION_INITIATED),
    ("operator", "capture"): _has_permission,
    ("operator", "refund"): _has_permission,
    ("operator", "cancel"): _has_permission,
    ("operator", "close"): _has_permission,
    ("wait", "until"): _started,
}
"""What each action needs of the order it acts on."""


def fits(actor: str, key: str, world: ScenarioWorld, order: ScenarioOrder) -> bool:
    """Whether the action can be taken on `order` now."""
    condition = CONDITIONS.get((actor, key))
    return condition is None or condition(world, order)
