"""Every state transition the simulator makes, per object: from which state (None: created), by which
cause; the state it goes to is the cause's projection (`API_PROJECTION`).

The states and causes are docs/reference/amazon-pay-v2.md §2.1-§2.4 and `harness.amazon_pay.causes`;
this table lists which of them the simulator's operations, time limits and Amazon's actions combine,
so the living documentation can draw each object's state machine and show which transitions a run
took and which it never did. tests/test_stateful.py checks that every transition the simulator
makes is listed here; tests/domain/test_transitions.py that every cause appears.
"""

from __future__ import annotations

from typing import NamedTuple

from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.states import ChargePermissionState, ChargeState, CheckoutSessionState, RefundState

__all__ = ["OBJECT_STATES", "TRANSITIONS", "Transition"]


class Transition(NamedTuple):
    """One edge of an object's state machine."""

    object_type: str
    from_state: str | None
    cause: Cause

    @property
    def to_state(self) -> str:
        """The state the cause projects to."""
        return API_PROJECTION[self.cause].state


OBJECT_STATES: dict[str, tuple[str, ...]] = {
    "CheckoutSession": tuple(CheckoutSessionState),
    "ChargePermission": tuple(ChargePermissionState),
    "Charge": tuple(ChargeState),
    "Refund": tuple(RefundState),
}
"""The four objects (as `Ledger` names them) and their states, in the reference's order."""

_C = Cause
_SESSION = [(None, _C.SESSION_CREATED)] + [
    ("Open", cause) for cause in (_C.SESSION_COMPLETED, _C.BUYER_CANCELED_CHECKOUT, _C.CHECKOUT_DECLINED,
                                  _C.CHECKOUT_AMAZON_CANCELED, _C.CHECKOUT_EXPIRED)]
_PERMISSION_CAUSES = (_C.AMAZON_FRAUD, _C.CAPTURED_IN_FULL, _C.MERCHANT_CLOSED, _C.OPERATOR_CANCELED,
                      _C.OPERATOR_CLOSED, _C.PERMISSION_EXPIRED, _C.AMAZON_CLOSED, _C.AMAZON_REJECTED,
                      _C.BUYER_CLOSED, _C.CHECKOUT_NEVER_COMPLETED, _C.PAYMENT_METHOD_EXPIRED,
                      _C.PAYMENT_METHOD_INVALID)
"""What may end or suspend a permission, Chargeable or NonChargeable alike (§2.2)."""
_PERMISSION = [
    (None, _C.PERMISSION_CREATED),
    *(("Chargeable", cause) for cause in _PERMISSION_CAUSES),
    ("NonChargeable", _C.PAYMENT_METHOD_UPDATED),
    *(("NonChargeable", cause) for cause in _PERMISSION_CAUSES),
]
_DECLINES = (_C.SOFT_DECLINED, _C.HARD_DECLINED, _C.AMAZON_REJECTED_CHARGE, _C.PROCESSING_FAILURE,
             _C.TRANSACTION_TIMED_OUT)
"""An authorization (at once or pending) or an asynchronous capture may be declined for any (§2.3)."""
_CHARGE = [
    *((None, cause) for cause in (_C.AUTHORIZATION_PENDING, _C.AUTHORIZED, *_DECLINES)),
    *(("AuthorizationInitiated", cause)
      for cause in (_C.AUTHORIZED, *_DECLINES, _C.MERCHANT_CANCELED_CHARGE, _C.PERMISSION_CANCELED_CHARGE,
                    _C.AMAZON_CANCELED_CHARGE)),
    *(("Authorized", cause) for cause in (_C.CAPTURED, _C.CAPTURE_PENDING, _C.MERCHANT_CANCELED_CHARGE,
                                          _C.AUTHORIZATION_EXPIRED, _C.PERMISSION_CANCELED_CHARGE,
                                          _C.AMAZON_CANCELED_CHARGE)),
    *(("CaptureInitiated", cause) for cause in (_C.CAPTURED, *_DECLINES)),
]
"""`authorize` creates a Charge pending, authorized or declined (§2.3, D-SIM-CREATE-CHARGE); `resolve`
ends a pending authorization or an asynchronous capture as authorized / captured or with any decline
reason (§2.3: "then Captured or Declined", the reason not narrowed; `amazon: decline` takes every
§2.3 decline reason for both); only AuthorizationInitiated and Authorized are open, so only they are
canceled (`cancel_charge`, `close_permission`); expiry (30 days) cannot meet a pending authorization,
which resolves within 24 hours (§2.3)."""
_REFUND = [(None, _C.REFUND_INITIATED)] + [
    ("RefundInitiated", cause)
    for cause in (_C.REFUNDED, _C.REFUND_AMAZON_REJECTED, _C.REFUND_PROCESSING_FAILURE)]

TRANSITIONS: tuple[Transition, ...] = tuple(
    Transition(object_type, from_state, cause)
    for object_type, edges in (("CheckoutSession", _SESSION), ("ChargePermission", _PERMISSION),
                               ("Charge", _CHARGE), ("Refund", _REFUND))
    for from_state, cause in edges)
