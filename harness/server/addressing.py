"""How the vocabulary's actions address Amazon's objects when the merchant is an external shop.

In a scenario an action names an *order* ("order A"), which the `ScenarioWorld` resolves through
the merchant adapter it drives. Under `harness serve` the shop is a separate program the harness
does not drive, so the control API names the object itself, by the id the shop got from Amazon:

- `checkoutSessionId`: buyer pay, drop off, return, cancel (and sign in): they happen on
  Amazon's checkout page, which shows one Checkout Session;
- `chargePermissionId`: buyer update payment method; Amazon close for fraud, decline next
  authorization, invalidate / expire payment method: they act on the buyer's payment agreement;
- `chargeId`: Amazon approve / decline pending authorization: they settle one Charge;
- `referenceId`: operator capture, refund, cancel, close: the Amazon Reference ID of the
  transaction view's row (the chargePermissionId; a chargeId on a Recurring permission);
- nothing: wait for, and the faults (Amazon time out, answer error, throttle, drop connection),
  which name the operation the shop calls next.

Each entry's `perform` does what the vocabulary's step does in a scenario, on the simulator's
actors and Seller Central; what it returns is added to the control call's answer. Merchant
actions, `buyer: checkout` (the merchant starts it) and `wait: until` (measured from an order's
moments) are not served: `UNSERVED` lists them with the reason, and a test keeps both tables
covering the whole vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from harness.amazon_pay.states import ReasonCode
from harness.api.faults import ANY_OPERATION, FaultKind
from harness.money import Money
from harness.scenario.faults import plan_fault
from harness.scenario.parsing import Duration
from harness.simulator import Simulator

__all__ = ["ADDRESSED", "SESSION", "UNSERVED", "Address"]

Values = Mapping[str, object]
Answer = dict[str, object]


@dataclass(frozen=True)
class Address:
    """The id field an action is addressed by, and what it does with the id and its other values."""

    id_field: str | None
    perform: Callable[[Simulator, str, Values], Answer]


def _card(values: Values) -> str:
    return str(values.get("card", "1111"))


def _reason(values: Values) -> ReasonCode:
    reason = values["reason"]
    assert isinstance(reason, ReasonCode)
    return reason


def _amount(values: Values, name: str = "amount") -> Money | None:
    amount = values.get(name)
    assert amount is None or isinstance(amount, Money)
    return amount


def _pay(simulator: Simulator, session_id: str, values: Values) -> Answer:
    if simulator.ledger.session(session_id).buyer is None:
        simulator.buyer.sign_in(session_id)
    simulator.buyer.approve(session_id, _card(values))
    return {}


def _return(simulator: Simulator, session_id: str, _: Values) -> Answer:
    return {"redirectUrl": simulator.buyer.return_to_merchant(session_id)}


def _ship_to(simulator: Simulator, _: str, values: Values) -> Answer:
    simulator.buyer.ship_to(str(values["prefecture"]))
    return {}


def _refund(simulator: Simulator, reference_id: str, values: Values) -> Answer:
    amount = _amount(values)
    assert amount is not None
    times = values.get("times", 1)
    assert isinstance(times, int)
    refunds = [simulator.seller_central.refund(reference_id, amount) for _ in range(times)]
    return {"refundIds": [refund.id for refund in refunds]}


def _advance(simulator: Simulator, _: str, values: Values) -> Answer:
    duration = values["duration"]
    assert isinstance(duration, Duration)
    simulator.clock.advance_to(duration.after(simulator.clock.now()))
    return {}


Perform = Callable[[Simulator, str, Values], Answer]


def _id_only(pick: Callable[[Simulator], Callable[[str], object]]) -> Perform:
    """An action that needs nothing but the id: `pick` chooses the simulator's method."""
    def perform(simulator: Simulator, object_id: str, _: Values) -> Answer:
        pick(simulator)(object_id)
        return {}
    return perform


def _update_payment_method(simulator: Simulator, permission_id: str, values: Values) -> Answer:
    simulator.buyer.update_payment_method(permission_id, _card(values))
    return {}


def _decline_next(simulator: Simulator, permission_id: str, values: Values) -> Answer:
    simulator.amazon.decline_next_authorization(permission_id, _reason(values))
    return {}


def _decline_pending(simulator: Simulator, charge_id: str, values: Values) -> Answer:
    simulator.amazon.decline(charge_id, _reason(values))
    return {}


def _capture(simulator: Simulator, reference_id: str, values: Values) -> Answer:
    return {"chargeId": simulator.seller_central.capture(reference_id, _amount(values)).id}


def _fault(kind: FaultKind | None) -> Perform:
    """A fault step: `kind`, or the one its `status` names; planned as the scenario step plans it."""
    def perform(simulator: Simulator, _: str, values: Values) -> Answer:
        planned = values["status"] if kind is None else kind
        operation, times = values.get("operation", ANY_OPERATION), values.get("times", 1)
        assert isinstance(planned, FaultKind) and isinstance(operation, str) and isinstance(times, int)
        planned_text = plan_fault(simulator.faults, operation, planned, times=times,
                                  after_processing=bool(values.get("after_processing", False)))
        return {"planned": f"Amazon Pay {planned_text}"}
    return perform


SESSION, PERMISSION, CHARGE, REFERENCE = "checkoutSessionId", "chargePermissionId", "chargeId", "referenceId"

ADDRESSED: Mapping[tuple[str, str], Address] = {
    ("buyer", "pay"): Address(SESSION, _pay),
    ("buyer", "drop off"): Address(SESSION, _id_only(lambda sim: sim.buyer.drop_off)),
    ("buyer", "return"): Address(SESSION, _return),
    ("buyer", "cancel"): Address(SESSION, _id_only(lambda sim: sim.buyer.cancel)),
    ("buyer", "update payment method"): Address(PERMISSION, _update_payment_method),
    ("buyer", "address in"): Address(None, _ship_to),
    ("amazon", "close for fraud"): Address(PERMISSION, _id_only(lambda sim: sim.amazon.close_for_fraud)),
    ("amazon", "decline next authorization"): Address(PERMISSION, _decline_next),
    ("amazon", "invalidate payment method"): Address(
        PERMISSION, _id_only(lambda sim: sim.amazon.invalidate_payment_method)),
    ("amazon", "expire payment method"): Address(
        PERMISSION, _id_only(lambda sim: sim.amazon.expire_payment_method)),
    ("amazon", "approve pending authorization"): Address(
        CHARGE, _id_only(lambda sim: sim.amazon.resolve_pending)),
    ("amazon", "decline pending authorization"): Address(CHARGE, _decline_pending),
    ("operator", "capture"): Address(REFERENCE, _capture),
    ("operator", "refund"): Address(REFERENCE, _refund),
    ("operator", "cancel"): Address(REFERENCE, _id_only(lambda sim: sim.seller_central.cancel)),
    ("operator", "close"): Address(REFERENCE, _id_only(lambda sim: sim.seller_central.close)),
    ("wait", "for"): Address(None, _advance),
    ("amazon", "time out"): Address(None, _fault(FaultKind.TIMEOUT)),
    ("amazon", "answer error"): Address(None, _fault(None)),
    ("amazon", "throttle"): Address(None, _fault(FaultKind.TOO_MANY_REQUESTS)),
    ("amazon", "drop connection"): Address(None, _fault(FaultKind.DROP)),
}
"""Every vocabulary action the control API serves, by (actor, YAML key)."""

UNSERVED: Mapping[str, str] = {
    "merchant": "the merchant is the external shop: it calls the API itself",
    "buyer: checkout": "the merchant starts the checkout; drive the shop, then buyer pay and return",
    "buyer: click button": "the shop renders the button: POST /_harness/buyer/click-button takes its "
                           "createCheckoutSessionConfig instead of an order",
    "wait: until": "measured from an order's moments; use wait/for or POST /_harness/clock",
    "amazon: lose next capture answer": "plan it with POST /_harness/faults (captureCharge and createCharge, "
                                        "kind drop, after processing)",
    "wait: start at": "the clock starts with `harness serve --start` or POST /_harness/reset {start}",
    "wait: next month": "go to the 1st of the next month (00:00 JST) with POST /_harness/clock {to}",
    "expect": "expectations are checked by the caller, from /_harness/transactions and the API",
    "show": "the caller reads /_harness/transactions and /_harness/timeline",
    "amazon: deliver notifications twice": "POST /_harness/notifications {\"duplicates\": true}",
    "amazon: deliver notifications out of order": "POST /_harness/notifications {\"outOfOrder\": true}",
}
"""The vocabulary the control API does not serve (an actor, or `actor: key`), and why."""
