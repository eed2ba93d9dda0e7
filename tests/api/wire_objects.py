"""Objects in known states, and `Call`s to the Web Store handlers, for the wire tests."""

from __future__ import annotations

from harness.amazon_pay.objects import CheckoutSession, PaymentDetails, WebCheckoutDetails
from harness.amazon_pay.states import PaymentIntent
from harness.api.operations import Call
from harness.money import Money
from harness.simulator import Simulator

REVIEW_URL = "https://shop.example/review"
RESULT_URL = "https://shop.example/result"


def open_session(sim: Simulator, amount: int = 500, *,
                 intent: PaymentIntent = PaymentIntent.AUTHORIZE, pending: bool = False,
                 signed_in: bool = True) -> CheckoutSession:
    """A session with every constraint cleared (the buyer signed in unless told otherwise)."""
    session = sim.api.create_checkout_session(
        WebCheckoutDetails(checkout_review_return_url=REVIEW_URL, checkout_result_return_url=RESULT_URL),
        PaymentDetails(payment_intent=intent, charge_amount=Money.of(amount),
                       can_handle_pending_authorization=pending))
    if signed_in:
        sim.buyer.sign_in(session.id)
    return session


def approved_session(sim: Simulator, amount: int = 500, *, card: str = "1111",
                     intent: PaymentIntent = PaymentIntent.AUTHORIZE) -> CheckoutSession:
    """A session the buyer paid on Amazon's page (not yet completed)."""
    session = open_session(sim, amount, intent=intent, pending=card in ("0701", "4354"))
    sim.buyer.approve(session.id, card)
    sim.buyer.return_to_merchant(session.id)
    return session


def completed_session(sim: Simulator, amount: int = 500, *, card: str = "1111",
                      intent: PaymentIntent = PaymentIntent.AUTHORIZE) -> CheckoutSession:
    """A Completed session (its permission and, unless Confirm, its charge exist)."""
    session = approved_session(sim, amount, card=card, intent=intent)
    return sim.api.complete_checkout_session(session.id, Money.of(amount))


def call(sim: Simulator, body: dict[str, object] | None = None, *,
         code: str | None = None, **path: str) -> Call:
    """A Call as the HTTP layer would build it (body already parsed)."""
    return Call(sim, path, body, simulation_code=code)
