"""What must hold after every step of an exploration: the merchant agrees with Amazon and behaves.

Each invariant is a function of the scenario's world returning the disagreements it finds, with its
reason in its docstring (docs/explore.md lists them). They are also two expectations of the
vocabulary (`expect: merchant agrees`, `expect: merchant up to date`), so a scenario the explorer
prints fails, with the normal plugin, on the same check.

The merchant's record (`MerchantAdapter.order`) only says an `OrderStatus` word and the ids it
knows; `AGREEMENT` says what each word claims of Amazon's objects, at two strengths:

- *never ahead*, checked after every step: the record claims nothing Amazon has not done (it may
  lag behind: Amazon cancels a checkout after 24 hours and closes for fraud without telling it);
- *up to date*, checked after the merchant's reconciliation job: the record is Amazon's present.

An adapter may declare its own meanings for some words with an attribute
`amazon_pay_agreement: Mapping[str, Agreement]`; the others keep the default. It may also declare
`amazon_pay_reconciliation_grace: timedelta`: how long its reconciliation job leaves alone a checkout
the buyer has not completed (the buyer may still be on Amazon's page); *up to date* is demanded of
such an order only once its Checkout Session is older than that.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from harness.amazon_pay.limits import REFUND_OVER_CAPTURE_CAP, REFUND_OVER_CAPTURE_PERCENT
from harness.amazon_pay.objects import Charge, ChargePermission, CheckoutSession, Refund
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargeState,
    CheckoutSessionState,
    RefundState,
)
from harness.api.exchanges import Exchange
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from harness.errors import HarnessError
from harness.merchant.adapter import MerchantAdapter, MerchantOrder, OrderStatus
from harness.seller_central.projection import TransactionStatus

if TYPE_CHECKING:
    from harness.scenario.orders import ScenarioOrder
    from harness.scenario.world import ScenarioWorld

__all__ = ["AGREEMENT", "Agreement", "AgreementError", "Disagreement", "OrderFacts", "disagreements",
           "expect_agreement"]

STATE_REFUSALS = frozenset({"InvalidCheckoutSessionStatus", "CheckoutSessionCanceled",
                            "InvalidChargePermissionStatus", "ChargePermissionNotModifiable",
                            "InvalidChargeStatus"})
"""The 422 reason codes Amazon answers when an object's state forbids the operation
(docs/reference/amazon-pay-v2.md §4.2): the same request gets the same answer until the state changes."""


@dataclass(frozen=True)
class Disagreement:
    """One broken invariant: which, for which order (None: the whole run), and what was seen."""

    invariant: str
    order: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.order}: " if self.order else ""
        return f"{where}{self.message} [{self.invariant}]"


Found = tuple[str | None, str]
"""What an invariant yields: the order it is about (None: the whole run) and what was seen."""

Invariant = Callable[["ScenarioWorld"], Iterable[Found]]
"""A check; its name (underscores as spaces) names what it found, its docstring says why it holds."""


@dataclass(frozen=True)
class OrderFacts:
    """Amazon's side of one order, as far as the merchant's record names it."""

    session: CheckoutSession | None
    permission: ChargePermission | None
    charge: Charge | None
    """The Charge the record names (None when it names none, or one Amazon does not have)."""
    refunds: tuple[Refund, ...]
    """The accepted refunds (not Declined) of that Charge."""
    row: TransactionStatus | None
    """What Seller Central shows for the order (for Recurring, the named charge's row)."""


Claim = Callable[[OrderFacts], bool]


@dataclass(frozen=True)
class Agreement:
    """What one merchant status word claims: never more than Amazon did; after reconciling, its present."""

    never_ahead: Claim
    up_to_date: Claim
    meaning: str
    """The claim in words, for messages and docs."""


def _session_is(*states: str) -> Claim:
    return lambda facts: facts.session is not None and facts.session.state in states


def _charge_is(*states: ChargeState) -> Claim:
    return lambda facts: facts.charge is not None and facts.charge.charge_state in states


def _charge_exists(facts: OrderFacts) -> bool:
    return facts.charge is not None


def _was_authorized(facts: OrderFacts) -> bool:
    return facts.charge is not None and facts.charge.authorized_at is not None


def _permission_open(facts: OrderFacts) -> bool:
    return facts.permission is not None and facts.permission.state != ChargePermissionState.CLOSED


def _permission_closed(facts: OrderFacts) -> bool:
    return facts.permission is not None and facts.permission.state == ChargePermissionState.CLOSED


def _refunded(facts: OrderFacts) -> bool:
    return _charge_is(ChargeState.CAPTURED)(facts) and bool(facts.refunds)


def _not_completed(facts: OrderFacts) -> bool:
    return facts.session is None or facts.session.state != CheckoutSessionState.COMPLETED


def _pending_now(facts: OrderFacts) -> bool:
    open_session = facts.session is None or facts.session.state == CheckoutSessionState.OPEN
    return open_session and facts.row in (None, TransactionStatus.OPEN)



_CANCELED_CHECKOUT = _session_is(CheckoutSessionState.CANCELED)

AGREEMENT: Mapping[str, Agreement] = {
    OrderStatus.PENDING: Agreement(_not_completed, _pending_now,
                                   "the checkout is not complete (after reconciling: Amazon gave no Checkout "
                                   "Session or it is Open, and Seller Central shows no row or Open)"),
    OrderStatus.CONFIRMED: Agreement(lambda facts: facts.permission is not None, _permission_open,
                                     "the buyer paid: a Charge Permission exists (after reconciling: not "
                                     "Closed)"),
    OrderStatus.AUTHORIZING: Agreement(_charge_exists, _charge_is(ChargeState.AUTHORIZATION_INITIATED),
                                       "the named Charge exists (after reconciling: AuthorizationInitiated)"),
    OrderStatus.AUTHORIZED: Agreement(_was_authorized, _charge_is(ChargeState.AUTHORIZED),
                                      "the named Charge was authorized (after reconciling: is Authorized)"),
    OrderStatus.CAPTURING: Agreement(_charge_exists, _charge_is(ChargeState.CAPTURE_INITIATED),
                                     "the named Charge exists (after reconciling: CaptureInitiated)"),
    OrderStatus.CAPTURED: Agreement(_charge_is(ChargeState.CAPTURED), _charge_is(ChargeState.CAPTURED),
                                    "the named Charge is Captured"),
    OrderStatus.REFUNDED: Agreement(_refunded, _refunded,
                                    "the named Charge is Captured and Amazon accepted a refund of it"),
    OrderStatus.CANCELED: Agreement(_charge_is(ChargeState.CANCELED), _charge_is(ChargeState.CANCELED),
                                    "the named Charge is Canceled"),
    OrderStatus.DECLINED: Agreement(_charge_is(ChargeState.DECLINED), _charge_is(ChargeState.DECLINED),
                                    "the named Charge is Declined"),
    OrderStatus.CLOSED: Agreement(_permission_closed, _permission_closed,
                                  "the Charge Permission is Closed"),
    OrderStatus.FAILED: Agreement(_CANCELED_CHECKOUT, _CANCELED_CHECKOUT,
                                  "the checkout failed: its Checkout Session is Canceled (Seller Central "
                                  "shows Canceled or no row), not merely Closed"),
}
"""The default meaning of each `OrderStatus` word; an adapter's `amazon_pay_agreement` overrides entries."""


def agreement_of(adapter: MerchantAdapter) -> Mapping[str, Agreement]:
    """The default meanings, with the adapter's own (`amazon_pay_agreement`) over them."""
    own = getattr(adapter, "amazon_pay_agreement", None)
    return {**AGREEMENT, **own} if isinstance(own, Mapping) else AGREEMENT


class AgreementError(HarnessError, TypeError):
    """An adapter declared its part of the agreement with a value of the wrong kind."""


def reconciliation_grace_of(adapter: MerchantAdapter) -> timedelta:
    """How long the adapter's reconciliation job leaves an uncompleted checkout alone
    (`amazon_pay_reconciliation_grace`; zero when it declares none)."""
    grace = getattr(adapter, "amazon_pay_reconciliation_grace", None)
    if grace is None:
        return timedelta(0)
    if not isinstance(grace, timedelta) or grace < timedelta(0):
        raise AgreementError(
            f"{type(adapter).__name__}.amazon_pay_reconciliation_grace is {grace!r}: declare a "
            "datetime.timedelta of zero or more (how long the shop's reconciliation job leaves alone a "
            "checkout the buyer has not completed), or leave it out (docs/explore.md)")
    return grace


# --- the invariants --------------------------------------------------------------------------------


def record_never_ahead(world: ScenarioWorld) -> Iterable[Found]:
    """The merchant's record of an order never claims what Amazon has not done.

    Reason: a shop that marks an order captured, refunded or failed on its own guess ships goods that
    were never paid for, or cancels orders the buyer did pay (a fraud close is Closed, not Canceled).
    """
    yield from _records(world, up_to_date=False)


def record_up_to_date(world: ScenarioWorld) -> Iterable[Found]:
    """After its reconciliation job, the merchant's record of each order is Amazon's present state
    (of an uncompleted checkout, once it is older than the grace period the adapter declares).

    Reason: the job exists to catch what Amazon did without telling the shop (the 24-hour cancel of
    a dropped-off checkout, a 30-day authorization expiry, a fraud close, an operator's action); a
    job may leave a young Open checkout alone, since its buyer may still be on Amazon's page.
    """
    yield from _records(world, up_to_date=True)


def record_names_the_order(world: ScenarioWorld) -> Iterable[Found]:
    """The ids in the merchant's record are this order's: its Checkout Session, Permission and Charges.

    Reason: a record that names another order's objects captures, refunds or reconciles the wrong one.
    """
    for order in world.orders.all():
        record = world.merchant.record(order)
        if record is None or order.checkout_session_id is None:
            continue
        session = world.orders.session(order)
        if record.checkout_session_id not in (None, session.id):
            yield (order.label,
                   f"the merchant's record names Checkout Session {record.checkout_session_id}, "
                   f"but the order's is {session.id}")
        if record.charge_permission_id not in (None, session.charge_permission_id):
            yield (order.label,
                   f"the merchant's record names Charge Permission {record.charge_permission_id}"
                   f", but the order's is {session.charge_permission_id}")
        charges = {charge.id for charge in world.orders.charges(order)} if session.approved else set()
        if record.charge_id is not None and record.charge_id not in charges:
            yield (order.label,
                   f"the merchant's record names Charge {record.charge_id}, which is not one of "
                   "the order's Charges")


def idempotent_retry(world: ScenarioWorld) -> Iterable[Found]:
    """Within one action, a request whose answer was lost is sent again only under its idempotency key.

    Reason: Amazon may have done what the lost request asked (docs/reference/amazon-pay-v2.md §5.3);
    the same key replays that answer, a new key asks for it a second time: the buyer is charged or
    refunded twice whenever the object's state still allows it.
    """
    for call in world.merchant.calls:
        lost: dict[tuple[str, str, bytes], str] = {}
        for exchange in call.exchanges:
            request = exchange.request
            if request.method != "POST":
                continue
            key = request.headers.get(IDEMPOTENCY_HEADER, "")
            intent = (request.method, request.path, request.body)
            if intent in lost and key != lost[intent]:
                yield (None,
                       f"while it {call.text}, the merchant's POST {request.path} got no answer, "
                       f"and it sent the same request again under a new idempotency key "
                       f"({key or 'none'} instead of {lost[intent] or 'none'})")
            if exchange.response is None:
                lost.setdefault(intent, key)


def no_retry_against_state(world: ScenarioWorld) -> Iterable[Found]:
    """Within one action the merchant does not repeat a request Amazon refused for the object's state.

    Reason: nothing changes Amazon's state while one action of the shop runs, so the same request
    gets the same refusal: repeating it is a retry storm against Amazon's rate limits (§4.2).
    """
    for call in world.merchant.calls:
        refused = Counter((exchange.request.method, exchange.request.path, reason)
                          for exchange in call.exchanges for reason in [_state_refusal(exchange)] if reason)
        for (method, path, reason), count in refused.items():
            if count > 1:
                yield (None,
                       f"while it {call.text}, the merchant sent {method} {path} {count} times, "
                       f"each refused with {reason}")


def simulator_refund_limit(world: ScenarioWorld) -> Iterable[Found]:
    """The simulator's own check: no row shows more refunded than captured plus Amazon's allowance.

    Reason: docs/reference/amazon-pay-v2.md §2.4 (refunds may exceed the capture by min(15 %, ¥8,400));
    a row outside it means the simulation, not the merchant, is wrong.
    """
    for row in world.seller_central.rows():
        cap = REFUND_OVER_CAPTURE_CAP.get(row.captured.currency, row.captured)
        allowance = min(row.captured.percent(REFUND_OVER_CAPTURE_PERCENT), cap)
        if row.refunded > row.captured + allowance:
            yield (row.merchant_reference_id,
                   f"Seller Central shows {row.refunded} refunded of {row.captured} captured "
                   f"on {row.reference_id}")


ALWAYS: tuple[Invariant, ...] = (
    record_never_ahead, record_names_the_order, idempotent_retry, no_retry_against_state,
    simulator_refund_limit)
"""Checked after every step (`expect: merchant agrees`)."""

AFTER_RECONCILING: tuple[Invariant, ...] = (record_up_to_date,)
"""Checked after the merchant's reconciliation job ran (`expect: merchant up to date`)."""


def disagreements(world: ScenarioWorld, *, up_to_date: bool = False) -> list[Disagreement]:
    """Every broken invariant now (with `up_to_date`, the after-reconciling ones as well)."""
    checks = ALWAYS + (AFTER_RECONCILING if up_to_date else ())
    with world.merchant.holding_records():
        return [Disagreement(name_of(check), order, message)
                for check in checks for order, message in check(world)]


def name_of(check: Invariant) -> str:
    """`record never ahead`: how messages and docs name an invariant."""
    return check.__name__.replace("_", " ")


def expect_agreement(world: ScenarioWorld, *, up_to_date: bool) -> None:
    """Fail the scenario (with its timeline and view) naming every broken invariant."""
    found = disagreements(world, up_to_date=up_to_date)
    if found:
        listed = "\n".join(f"  - {disagreement}" for disagreement in found)
        world.fail(f"the merchant disagrees with Amazon:\n{listed}")


# --- reading Amazon's side ------------------------------------------------------------------------


def _records(world: ScenarioWorld, *, up_to_date: bool) -> Iterable[Found]:
    adapter = world.merchant.adapter
    meanings = agreement_of(adapter)
    grace = reconciliation_grace_of(adapter) if up_to_date else timedelta(0)
    for order in world.orders.all():
        record = world.merchant.record(order)
        if record is None:
            continue
        meaning = meanings.get(record.status)
        if meaning is None:
            yield (order.label,
                   f"the merchant's record says {record.status!r}, which is not a status word "
                   f"({', '.join(meanings)})")
            continue
        facts = order_facts(world, order, record)
        if grace and _in_grace(facts, world.simulator.now(), grace):
            continue  # the job may leave it alone yet; `record never ahead` still checks it
        claim = meaning.up_to_date if up_to_date else meaning.never_ahead
        if not claim(facts):
            yield (order.label, f"the merchant's record says {record.status} ({meaning.meaning}), but "
                   f"{describe(facts)}")


def _in_grace(facts: OrderFacts, now: datetime, grace: timedelta) -> bool:
    """Whether the order's checkout is Open and younger than the reconciliation grace period."""
    session = facts.session
    return (session is not None and session.state == CheckoutSessionState.OPEN
            and now - session.created_at < grace)


def order_facts(world: ScenarioWorld, order: ScenarioOrder, record: MerchantOrder) -> OrderFacts:
    """Amazon's objects of the order, the Charge the record names, and the order's row in Seller Central."""
    session = world.orders.session(order) if order.checkout_session_id is not None else None
    permission = world.orders.permission(order) if session is not None else None
    charges = world.orders.charges(order) if permission is not None else []
    charge = next((known for known in charges if known.id == record.charge_id), None)
    refunds = tuple(refund for refund in world.simulator.ledger.refunds_of(charge)
                    if refund.state != RefundState.DECLINED) if charge is not None else ()
    row = None
    if permission is not None:
        reference = charge.id if permission.is_recurring and charge is not None else permission.id
        row = next((row.status for row in world.seller_central.rows() if row.reference_id == reference), None)
    return OrderFacts(session, permission, charge, refunds, row)


def describe(facts: OrderFacts) -> str:
    """Amazon's side in one line: `Seller Central shows Closed; Checkout Session Completed; ...`."""
    parts = [f"Seller Central shows {facts.row}" if facts.row else "Seller Central shows no row"]
    if facts.session is not None:
        parts.append(f"Checkout Session {facts.session.state}")
    if facts.permission is not None:
        parts.append(f"Charge Permission {facts.permission.state} ({facts.permission.cause.name})")
    if facts.charge is not None:
        parts.append(f"Charge {facts.charge.id} {facts.charge.state}")
    if facts.refunds:
        total = sum((refund.refund_amount for refund in facts.refunds[1:]), facts.refunds[0].refund_amount)
        parts.append(f"refunded {total}")
    return "; ".join(parts)


def _state_refusal(exchange: Exchange) -> str | None:
    response = exchange.response
    if response is None or response.status != 422:
        return None
    reason = _reason_code(response.body)
    return reason if reason in STATE_REFUSALS else None


def _reason_code(body: bytes) -> str | None:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    reason = answer.get("reasonCode") if isinstance(answer, dict) else None
    return reason if isinstance(reason, str) else None

