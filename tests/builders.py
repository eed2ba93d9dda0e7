"""Builders shared by the rule and domain tests (the fixtures are in tests/conftest.py).

`approved_checkout` runs create -> sign in -> update -> approve (the buyer paid on Amazon's page and
has not come back yet); `completed_checkout` then returns the buyer and calls Complete. Both run at
the simulator's current time and return the Checkout Session; `permission_of` / `charge_of` read the
objects the approval created.
"""

from __future__ import annotations

from datetime import UTC, datetime

from harness.amazon_pay import (
    Charge,
    ChargePermission,
    ChargePermissionType,
    CheckoutSession,
    PaymentDetails,
    PaymentIntent,
    WebCheckoutDetails,
)
from harness.amazon_pay.objects import SimulatedObject
from harness.money import Money
from harness.simulator import Simulator

START = datetime(2026, 1, 5, 0, 0, 0, tzinfo=UTC)
"""Where every test simulator starts: Monday 2026-01-05 09:00 JST."""

REVIEW_URL = "https://shop.example/review"
RESULT_URL = "https://shop.example/result"

PENDING_CARDS = ("0701", "4354")
"""§6.1: cards that simulate a pending authorization."""


def yen(amount: int) -> Money:
    """An amount in JPY."""
    return Money.of(amount)


def new_simulator(seed: int = 0, start: datetime = START) -> Simulator:
    """A JP sandbox simulator at `start`."""
    return Simulator(seed=seed, start=start)


def _money(amount: int | Money | None) -> Money | None:
    if amount is None or isinstance(amount, Money):
        return amount
    return yen(amount)


def payment_details(amount: int | Money = 5000, *,
                    intent: PaymentIntent = PaymentIntent.AUTHORIZE,
                    allow_overcharge: bool = False, extend_expiration: bool = False,
                    total_order_amount: int | Money | None = None,
                    can_handle_pending_authorization: bool = False) -> PaymentDetails:
    """The paymentDetails a merchant sends."""
    return PaymentDetails(payment_intent=intent, charge_amount=_money(amount),
                          total_order_amount=_money(total_order_amount),
                          allow_overcharge=allow_overcharge, extend_expiration=extend_expiration,
                          can_handle_pending_authorization=can_handle_pending_authorization)


def open_checkout(sim: Simulator, amount: int | Money = 5000, *,
                  intent: PaymentIntent = PaymentIntent.AUTHORIZE,
                  allow_overcharge: bool = False, extend_expiration: bool = False,
                  recurring: bool = False, total_order_amount: int | Money | None = None,
                  can_handle_pending_authorization: bool = False) -> CheckoutSession:
    """Create -> sign in -> update: ready for the buyer to pay, nothing approved yet."""
    payment = payment_details(amount, intent=intent, allow_overcharge=allow_overcharge,
                              extend_expiration=extend_expiration,
                              total_order_amount=total_order_amount,
                              can_handle_pending_authorization=can_handle_pending_authorization)
    kind = ChargePermissionType.RECURRING if recurring else ChargePermissionType.ONE_TIME
    # allowOvercharge / extendExpiration are given at creation already (§2.2: set at creation)
    session = sim.api.create_checkout_session(
        WebCheckoutDetails(REVIEW_URL),
        PaymentDetails(allow_overcharge=allow_overcharge, extend_expiration=extend_expiration),
        charge_permission_type=kind)
    sim.buyer.sign_in(session.id)
    sim.api.update_checkout_session(session.id, web=WebCheckoutDetails(REVIEW_URL, RESULT_URL),
                                    payment=payment)
    return session


def approved_checkout(sim: Simulator, amount: int | Money = 5000, *,
                      intent: PaymentIntent = PaymentIntent.AUTHORIZE, card: str = "1111",
                      allow_overcharge: bool = False, extend_expiration: bool = False,
                      recurring: bool = False, total_order_amount: int | Money | None = None,
                      can_handle_pending_authorization: bool | None = None) -> CheckoutSession:
    """Create -> sign in -> update -> approve with `card`; the buyer has not returned yet.

    `can_handle_pending_authorization` defaults to True for the pending cards (0701, 4354).
    """
    if can_handle_pending_authorization is None:
        can_handle_pending_authorization = card in PENDING_CARDS
    session = open_checkout(sim, amount, intent=intent, allow_overcharge=allow_overcharge,
                            extend_expiration=extend_expiration, recurring=recurring,
                            total_order_amount=total_order_amount,
                            can_handle_pending_authorization=can_handle_pending_authorization)
    sim.buyer.approve(session.id, card=card)
    return session


def complete(sim: Simulator, session: CheckoutSession) -> CheckoutSession:
    """The buyer returns and the merchant completes with the session's own amounts."""
    sim.buyer.return_to_merchant(session.id)
    amount = session.payment.charge_amount
    assert amount is not None
    return sim.api.complete_checkout_session(session.id, amount, session.payment.total_order_amount)


def completed_checkout(sim: Simulator, amount: int | Money = 5000, *,
                       intent: PaymentIntent = PaymentIntent.AUTHORIZE, card: str = "1111",
                       allow_overcharge: bool = False, extend_expiration: bool = False,
                       recurring: bool = False, total_order_amount: int | Money | None = None,
                       can_handle_pending_authorization: bool | None = None) -> CheckoutSession:
    """`approved_checkout`, then the buyer returns and the merchant calls Complete."""
    session = approved_checkout(sim, amount, intent=intent, card=card,
                                allow_overcharge=allow_overcharge,
                                extend_expiration=extend_expiration, recurring=recurring,
                                total_order_amount=total_order_amount,
                                can_handle_pending_authorization=can_handle_pending_authorization)
    return complete(sim, session)


def permission_of(sim: Simulator, session: CheckoutSession) -> ChargePermission:
    """The Charge Permission the buyer's approval created."""
    assert session.charge_permission_id is not None, "the buyer has not approved this checkout"
    return sim.api.get_charge_permission(session.charge_permission_id)


def charge_of(sim: Simulator, session: CheckoutSession) -> Charge:
    """The Charge the buyer's approval created (paymentIntent Authorize / AuthorizeWithCapture)."""
    assert session.charge_id is not None, "this checkout created no Charge"
    return sim.api.get_charge(session.charge_id)


def api_status(obj: SimulatedObject) -> tuple[str, str | None]:
    """What the API shows: (statusDetails.state, reasonCode) as plain strings."""
    return (str(obj.state), None if obj.reason is None else str(obj.reason))
