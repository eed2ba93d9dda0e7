"""Where the simulator keeps its objects, and the one place where a state changes.

Every change of cause goes through `Ledger.transition`, which stamps the time and appends a
`StateChange` (object, id, from, to, reason, cause, at) to the event log that IPN, timelines and
reports read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.errors import not_found
from harness.amazon_pay.objects import (
    Charge,
    ChargePermission,
    CheckoutSession,
    Refund,
    SimulatedObject,
)
from harness.amazon_pay.sandbox import APPROVED, AuthorizationOutcome
from harness.amazon_pay.states import ReasonCode
from harness.clock import DueEvent, SimulatedClock
from harness.ids import IdFactory

__all__ = ["Ledger", "StateChange"]

_Object = TypeVar("_Object", bound=SimulatedObject)

OBJECT_KINDS: dict[type[SimulatedObject], str] = {
    CheckoutSession: "CheckoutSession",
    ChargePermission: "ChargePermission",
    Charge: "Charge",
    Refund: "Refund",
}


@dataclass(frozen=True)
class StateChange:
    """One state change: which object, from which state to which, why, and when."""

    object_type: str
    object_id: str
    from_state: str | None
    to_state: str
    reason: ReasonCode | None
    cause: Cause
    at: datetime


@dataclass(frozen=True)
class Activity:
    """Something an actor did that changed no state by itself (for timelines)."""

    actor: str
    text: str
    at: datetime


@dataclass
class Ledger:
    """The simulator's objects, clock, id factory and event log."""

    clock: SimulatedClock
    ids: IdFactory
    settings: Settings = field(default_factory=Settings)
    currency: str = "JPY"
    """The ledger currency: JPY in Japan (docs/reference/amazon-pay-v2.md §9.1)."""
    checkout_sessions: dict[str, CheckoutSession] = field(default_factory=dict)
    charge_permissions: dict[str, ChargePermission] = field(default_factory=dict)
    charges: dict[str, Charge] = field(default_factory=dict)
    refunds: dict[str, Refund] = field(default_factory=dict)
    events: list[StateChange] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    subscribers: list[Callable[[StateChange], None]] = field(default_factory=list)
    planned_outcomes: dict[str, deque[AuthorizationOutcome]] = field(default_factory=dict)
    """Answers Amazon will give to the next authorizations on a permission."""

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def add(self, obj: _Object) -> _Object:
        """Store a new object and log its initial state."""
        match obj:
            case CheckoutSession():
                self.checkout_sessions[obj.id] = obj
            case ChargePermission():
                self.charge_permissions[obj.id] = obj
            case Charge():
                self.charges[obj.id] = obj
            case Refund():
                self.refunds[obj.id] = obj
        self._log(obj, None)
        return obj

    def transition(self, obj: SimulatedObject, cause: Cause, description: str | None = None) -> None:
        """Move `obj` to the state its new `cause` projects to, and log the change."""
        if API_PROJECTION[cause].state == obj.state and cause == obj.cause:
            return
        previous = obj.state
        obj.cause = cause
        obj.reason_description = description
        obj.updated_at = self.now()
        self._log(obj, previous)

    def plan_outcome(self, permission_id: str, outcome: AuthorizationOutcome) -> None:
        """Make Amazon answer the permission's next authorization with `outcome`."""
        self.planned_outcomes.setdefault(permission_id, deque()).append(outcome)

    def next_outcome(self, permission_id: str) -> AuthorizationOutcome:
        """The planned answer for the next authorization, approved when none is planned."""
        planned = self.planned_outcomes.get(permission_id)
        return planned.popleft() if planned else APPROVED

    def note(self, actor: str, text: str) -> None:
        """Record an action for the timeline."""
        self.activities.append(Activity(actor, text, self.now()))

    def schedule(self, due: datetime, label: str, action: Callable[[], None]) -> DueEvent:
        """Put a time-driven transition on the clock's agenda."""
        return self.clock.schedule(due, label, action)

    def session(self, session_id: str) -> CheckoutSession:
        """The Checkout Session, or 404 ResourceNotFound."""
        return _find(self.checkout_sessions, session_id, "Checkout Session")

    def permission(self, permission_id: str) -> ChargePermission:
        """The Charge Permission, or 404 ResourceNotFound."""
        return _find(self.charge_permissions, permission_id, "Charge Permission")

    def charge(self, charge_id: str) -> Charge:
        """The Charge, or 404 ResourceNotFound."""
        return _find(self.charges, charge_id, "Charge")

    def refund(self, refund_id: str) -> Refund:
        """The Refund, or 404 ResourceNotFound."""
        return _find(self.refunds, refund_id, "Refund")

    def charges_of(self, permission: ChargePermission) -> list[Charge]:
        """The permission's Charges, oldest first."""
        return [self.charges[charge_id] for charge_id in permission.charge_ids]

    def refunds_of(self, charge: Charge) -> list[Refund]:
        """The charge's Refunds, oldest first."""
        return [self.refunds[refund_id] for refund_id in charge.refund_ids]

    def _log(self, obj: SimulatedObject, previous: str | None) -> None:
        change = StateChange(OBJECT_KINDS[type(obj)], obj.id, previous, obj.state, obj.reason,
                             obj.cause, self.now())
        self.events.append(change)
        for subscriber in tuple(self.subscribers):
            subscriber(change)


def _find(store: dict[str, _Object], object_id: str, kind: str) -> _Object:
    try:
        return store[object_id]
    except KeyError:
        raise not_found(kind, object_id) from None
