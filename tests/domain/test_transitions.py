"""The transition table the coverage diagrams are drawn from: complete over causes and states."""

from __future__ import annotations

from datetime import UTC, datetime

from harness import Money, Simulator
from harness.amazon_pay import PaymentDetails, PaymentIntent, WebCheckoutDetails
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.sandbox import DECLINE_CAUSES
from harness.amazon_pay.states import ReasonCode
from harness.amazon_pay.transitions import OBJECT_STATES, TRANSITIONS, Transition


def test_every_cause_is_a_transition() -> None:
    assert {transition.cause for transition in TRANSITIONS} == set(Cause)


def test_every_edge_joins_states_of_its_object() -> None:
    for transition in TRANSITIONS:
        states = OBJECT_STATES[transition.object_type]
        assert transition.to_state in states, transition
        assert transition.from_state is None or transition.from_state in states, transition


def test_every_state_is_reached() -> None:
    reached = {(transition.object_type, transition.to_state) for transition in TRANSITIONS}
    assert reached == {(kind, state) for kind, states in OBJECT_STATES.items() for state in states}


def test_no_edge_is_listed_twice() -> None:
    assert len(set(TRANSITIONS)) == len(TRANSITIONS)


def _changes_of_a_declined_asynchronous_capture(reason: ReasonCode) -> set[Transition]:
    sim = Simulator(start=datetime(2026, 1, 5, tzinfo=UTC))
    session = sim.api.create_checkout_session(WebCheckoutDetails("https://shop.example/review"))
    sim.buyer.sign_in(session.id)
    sim.api.update_checkout_session(
        session.id, web=WebCheckoutDetails("https://shop.example/review", "https://shop.example/result"),
        payment=PaymentDetails(PaymentIntent.AUTHORIZE, charge_amount=Money.of(5000)))
    sim.buyer.approve(session.id)
    sim.api.complete_checkout_session(session.id, Money.of(5000))
    assert session.charge_id is not None
    sim.api.capture_charge(session.charge_id, Money.of(5000), asynchronous=True)
    sim.amazon.decline(session.charge_id, reason)
    return {Transition(change.object_type, change.from_state, change.cause) for change in sim.ledger.events}


def test_an_asynchronous_capture_declined_for_any_reason_is_in_the_table() -> None:
    for reason in DECLINE_CAUSES:
        changes = _changes_of_a_declined_asynchronous_capture(reason)
        assert Transition("Charge", "CaptureInitiated", DECLINE_CAUSES[reason]) in changes
        assert changes <= set(TRANSITIONS), changes - set(TRANSITIONS)
