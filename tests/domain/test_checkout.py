"""Checkout Sessions (docs/reference/amazon-pay-v2.md §2.1, §6.1, §9.8) and the event log of every state
change."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    Cause,
    PaymentDetails,
    PaymentIntent,
    SimulationError,
    WebCheckoutDetails,
)
from harness.amazon_pay.causes import API_PROJECTION
from harness.money import Money
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    RESULT_URL,
    REVIEW_URL,
    START,
    api_status,
    approved_checkout,
    charge_of,
    complete,
    completed_checkout,
    open_checkout,
    payment_details,
    permission_of,
    yen,
)

# --- create, sign in, update: constraints ---------------------------------------------------------


def test_a_new_session_is_open_for_24_hours_with_every_constraint(sim: Simulator) -> None:
    session = sim.api.create_checkout_session(WebCheckoutDetails(REVIEW_URL))
    assert api_status(session) == ("Open", None)
    assert (session.created_at, session.expires_at) == (START, START + timedelta(hours=24))
    assert session.constraints == ["BuyerNotAssociated", "ChargeAmountNotSet",
                                   "CheckoutResultReturnUrlNotSet", "PaymentIntentNotSet"]
    sim.buyer.sign_in(session.id)
    assert "BuyerNotAssociated" not in session.constraints
    sim.api.update_checkout_session(session.id, web=WebCheckoutDetails(REVIEW_URL, RESULT_URL),
                                    payment=payment_details(5000))
    assert session.constraints == []


def test_the_buyer_cannot_pay_while_constraints_remain(sim: Simulator) -> None:
    session = sim.api.create_checkout_session(WebCheckoutDetails(REVIEW_URL))
    sim.buyer.sign_in(session.id)
    with pytest.raises(SimulationError, match="ChargeAmountNotSet"):
        sim.buyer.approve(session.id)


def test_review_url_is_required_unless_process_order(sim: Simulator) -> None:
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_checkout_session(WebCheckoutDetails())
    assert (error.value.reason_code, error.value.http_status) == ("MissingParameterValue", 400)
    session = sim.api.create_checkout_session(
        WebCheckoutDetails(None, RESULT_URL, checkout_mode="ProcessOrder"))
    assert session.state == "Open"


def test_the_buyer_returns_with_the_session_id(sim: Simulator) -> None:
    session = approved_checkout(sim)
    url = sim.buyer.return_to_merchant(session.id)
    assert url == f"{RESULT_URL}?amazonCheckoutSessionId={session.id}"


# --- what the buyer's card does on Amazon's page (§6.1) ------------------------------------------


@pytest.mark.parametrize("card", ["1111", "0005", "4444", "9424", "0000"])
def test_happy_cards_authorize(sim: Simulator, card: str) -> None:
    session = approved_checkout(sim, 5000, card=card)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert permission_of(sim, session).payment_descriptor == f"Visa ****{card} (Amazon Pay)"


@pytest.mark.parametrize(("card", "reason"), [("3064", "BuyerCanceled"), ("3434", "Declined")])
def test_cards_that_cancel_the_session_leave_no_row(sim: Simulator, card: str,
                                                    reason: str) -> None:
    view = SellerCentral(sim)
    session = approved_checkout(sim, 5000, card=card)
    assert api_status(session) == ("Canceled", reason)
    assert session.charge_permission_id is None and session.charge_id is None
    assert sim.ledger.charge_permissions == {} and sim.ledger.charges == {}
    assert view.rows() == []
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)
    sim.advance(timedelta(hours=24))
    assert api_status(session) == ("Canceled", reason)  # the 24 h expiry does not overwrite it


def test_pending_card_0701_authorizes_after_30_seconds(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    charge = charge_of(sim, session)
    assert api_status(charge) == ("AuthorizationInitiated", None)
    sim.advance(timedelta(seconds=29))
    assert charge.state == "AuthorizationInitiated"
    sim.advance(timedelta(seconds=1))
    assert api_status(charge) == ("Authorized", None)
    assert charge.updated_at == START + timedelta(seconds=30)


def test_pending_card_4354_declines_hard_after_30_seconds(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, card="4354")
    charge = charge_of(sim, session)
    assert api_status(charge) == ("AuthorizationInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert api_status(charge) == ("Declined", "HardDeclined")
    assert api_status(permission_of(sim, session)) == ("NonChargeable", "PaymentMethodInvalid")


@pytest.mark.parametrize("card", ["0701", "4354"])
@pytest.mark.parametrize(("intent", "can_handle"), [
    (PaymentIntent.AUTHORIZE, False),
    (PaymentIntent.AUTHORIZE_WITH_CAPTURE, True),
    (PaymentIntent.CONFIRM, True),
])
def test_pending_cards_need_authorize_and_can_handle_pending(sim: Simulator, card: str,
                                                             intent: PaymentIntent,
                                                             can_handle: bool) -> None:
    with pytest.raises(SimulationError, match="canHandlePendingAuthorization"):
        approved_checkout(sim, 5000, card=card, intent=intent, can_handle_pending_authorization=can_handle)


def test_unknown_card_is_a_scenario_mistake(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown simulated card"):
        approved_checkout(sim, 5000, card="1234")


# --- payment intents --------------------------------------------------------------------------


def test_authorize_with_capture_is_authorized_at_approval_and_captured_at_complete(
        sim: Simulator) -> None:
    session = approved_checkout(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    charge = charge_of(sim, session)
    assert api_status(charge) == ("Authorized", None)
    complete(sim, session)
    assert api_status(charge) == ("Captured", None)
    assert charge.capture_amount == yen(5000)
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonClosed")


def test_confirm_creates_a_permission_but_no_charge(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    permission = permission_of(sim, session)
    assert api_status(permission) == ("Chargeable", None)
    assert session.charge_id is None and permission.charge_ids == [] and sim.ledger.charges == {}
    charge = sim.api.create_charge(permission.id, yen(5000))
    assert api_status(charge) == ("Authorized", None)


def test_authorize_creates_the_permission_and_charge_at_approval(sim: Simulator) -> None:
    session = open_checkout(sim, 5000)
    assert sim.ledger.charge_permissions == {}
    sim.advance(timedelta(minutes=2))
    sim.buyer.approve(session.id)
    assert permission_of(sim, session).created_at == START + timedelta(minutes=2)
    assert charge_of(sim, session).created_at == START + timedelta(minutes=2)
    assert api_status(session) == ("Open", None)  # Complete has not been called


# --- Complete ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "total"), [
    (4999, None), (5001, None),        # chargeAmount differs
    (5000, 8000),                      # totalOrderAmount given though the session has none
])
def test_complete_with_other_amounts_is_an_amount_mismatch(sim: Simulator, amount: int,
                                                           total: int | None) -> None:
    session = approved_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(amount), None if total is None else yen(total))
    assert (error.value.reason_code, error.value.http_status) == ("AmountMismatch", 409)
    assert session.state == "Open"


@pytest.mark.parametrize("total", [None, 9999, 10001])
def test_complete_must_echo_the_total_order_amount(sim: Simulator, total: int | None) -> None:
    session = approved_checkout(sim, 5000, total_order_amount=10000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000), None if total is None else yen(total))
    assert (error.value.reason_code, error.value.http_status) == ("AmountMismatch", 409)
    sim.api.complete_checkout_session(session.id, yen(5000), yen(10000))
    assert session.state == "Completed"


def test_complete_twice_is_refused(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)


def test_complete_before_the_buyer_paid_is_refused(sim: Simulator) -> None:
    session = open_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)


@pytest.mark.parametrize("how", ["buyer-cancel", "amazon-cancel", "expired", "3064", "3434"])
def test_complete_on_a_canceled_session(sim: Simulator, how: str) -> None:
    if how in ("3064", "3434"):
        session = approved_checkout(sim, 5000, card=how)
    else:
        session = open_checkout(sim, 5000)
        if how == "buyer-cancel":
            sim.buyer.cancel(session.id)
        elif how == "amazon-cancel":
            sim.amazon.cancel_checkout(session.id)
        else:
            sim.advance(timedelta(hours=24))
    assert session.state == "Canceled"
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)


@pytest.mark.parametrize(("how", "reason"), [("buyer", "BuyerCanceled"), ("amazon", "AmazonCanceled")])
def test_cancel_on_amazons_page(sim: Simulator, how: str, reason: str) -> None:
    session = open_checkout(sim, 5000)
    if how == "buyer":
        sim.buyer.cancel(session.id)
    else:
        sim.amazon.cancel_checkout(session.id)
    assert api_status(session) == ("Canceled", reason)


def test_complete_in_another_currency_is_a_currency_mismatch(sim: Simulator) -> None:
    session = approved_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, Money.of("5000.00", "USD"))
    assert (error.value.reason_code, error.value.http_status) == ("CurrencyMismatch", 400)


# --- Update ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["approved", "completed", "canceled"])
def test_update_is_only_allowed_before_the_buyer_pays(sim: Simulator, stage: str) -> None:
    if stage == "approved":
        session = approved_checkout(sim, 5000)
    elif stage == "completed":
        session = completed_checkout(sim, 5000)
    else:
        session = open_checkout(sim, 5000)
        sim.buyer.cancel(session.id)
    with pytest.raises(AmazonPayError) as error:
        sim.api.update_checkout_session(session.id, payment=payment_details(6000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)
    assert session.payment.charge_amount == yen(5000)


@pytest.mark.parametrize(("amount", "total"), [(Money.of("50.00", "USD"), None),
                                               (yen(5000), Money.of("50.00", "EUR"))])
def test_update_in_another_currency_is_a_currency_mismatch(sim: Simulator, amount: Money,
                                                           total: Money | None) -> None:
    session = open_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.update_checkout_session(session.id, payment=PaymentDetails(
            PaymentIntent.AUTHORIZE, charge_amount=amount, total_order_amount=total))
    assert (error.value.reason_code, error.value.http_status) == ("CurrencyMismatch", 400)


@pytest.mark.parametrize(("amount", "ok"), [(10_000_000, True), (10_000_001, False), (1, True),
                                            (0, False)])
def test_session_amount_limits(sim: Simulator, amount: int, ok: bool) -> None:
    session = open_checkout(sim, 5000)
    payment = payment_details(amount)
    if ok:
        sim.api.update_checkout_session(session.id, payment=payment)
        assert session.payment.charge_amount == yen(amount)
        return
    with pytest.raises(AmazonPayError) as error:
        sim.api.update_checkout_session(session.id, payment=payment)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidParameterValue", 400)


def test_drop_off_needs_an_approved_open_session(sim: Simulator) -> None:
    with pytest.raises(SimulationError):
        sim.buyer.drop_off(open_checkout(sim, 5000).id)
    with pytest.raises(SimulationError):
        sim.buyer.drop_off(completed_checkout(sim, 5000).id)


def test_unknown_session_is_not_found(sim: Simulator) -> None:
    with pytest.raises(AmazonPayError) as error:
        sim.api.get_checkout_session("00000000-0000-4000-8000-000000000000")
    assert (error.value.reason_code, error.value.http_status) == ("ResourceNotFound", 404)


# --- the event log: every state change with its cause and timestamp -------------------------------


def test_every_state_change_is_logged_with_cause_and_time(sim: Simulator) -> None:
    view = SellerCentral(sim)
    dropped = approved_checkout(sim, 5000)
    sim.buyer.drop_off(dropped.id)
    kept = completed_checkout(sim, 2000, total_order_amount=5000)
    sim.advance(timedelta(hours=1))
    view.capture(permission_of(sim, kept).id)
    refund = sim.api.create_refund(charge_of(sim, kept).id, yen(500))
    sim.advance(timedelta(hours=24))

    events = sim.ledger.events
    assert [event.at for event in events] == sorted(event.at for event in events)
    objects = {**sim.ledger.checkout_sessions, **sim.ledger.charge_permissions,
               **sim.ledger.charges, **sim.ledger.refunds}
    assert {event.object_id for event in events} == set(objects)
    for object_id, obj in objects.items():
        history = [event for event in events if event.object_id == object_id]
        assert history[0].from_state is None
        assert history[0].at == obj.created_at
        for before, after in itertools.pairwise(history):
            assert after.from_state == before.to_state
        for event in history:
            assert API_PROJECTION[event.cause] == (event.to_state, event.reason)
        assert (history[-1].to_state, history[-1].cause) == (obj.state, obj.cause)
        assert history[-1].at <= obj.updated_at  # (refundedAmount also updates a Charge)

    def history_of(object_id: str) -> list[tuple[str, Cause, object]]:
        return [(e.to_state, e.cause, e.at - START) for e in events if e.object_id == object_id]

    assert history_of(dropped.id) == [("Open", Cause.SESSION_CREATED, timedelta(0)),
                                      ("Canceled", Cause.CHECKOUT_EXPIRED, timedelta(hours=24))]
    assert history_of(charge_of(sim, dropped).id) == [
        ("Authorized", Cause.AUTHORIZED, timedelta(0)),
        ("Canceled", Cause.AMAZON_CANCELED_CHARGE, timedelta(hours=24))]
    assert history_of(permission_of(sim, dropped).id) == [
        ("Chargeable", Cause.PERMISSION_CREATED, timedelta(0)),
        ("Closed", Cause.CHECKOUT_NEVER_COMPLETED, timedelta(hours=24))]
    assert history_of(refund.id) == [
        ("RefundInitiated", Cause.REFUND_INITIATED, timedelta(hours=1)),
        ("Refunded", Cause.REFUNDED, timedelta(hours=1, seconds=30))]
    assert [e.object_type for e in events if e.object_id == refund.id] == ["Refund", "Refund"]


def test_subscribers_see_each_change_as_it_happens(sim: Simulator) -> None:
    seen: list[tuple[str, str, object]] = []
    sim.ledger.subscribers.append(lambda change: seen.append(
        (change.object_type, change.to_state, change.at)))
    session = completed_checkout(sim, 5000, card="0701")
    sim.advance(timedelta(minutes=1))
    assert seen == [("CheckoutSession", "Open", START), ("ChargePermission", "Chargeable", START),
                    ("Charge", "AuthorizationInitiated", START), ("CheckoutSession", "Completed", START),
                    ("Charge", "Authorized", START + timedelta(seconds=30))]
    assert session.state == "Completed"


@pytest.mark.parametrize("intent", [PaymentIntent.AUTHORIZE, PaymentIntent.AUTHORIZE_WITH_CAPTURE])
def test_complete_after_the_operator_closed_the_transaction(sim: Simulator,
                                                            intent: PaymentIntent) -> None:
    # the operator closes the dropped-off transaction, then the merchant's reconciliation completes it:
    # Complete must not answer an error after it has already completed the session
    view = SellerCentral(sim)
    session = approved_checkout(sim, 5000, intent=intent)
    reference_id = permission_of(sim, session).id
    view.close(reference_id)
    complete(sim, session)
    assert api_status(session) == ("Completed", None)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)  # left to expire (D-OPERATOR-CLOSE)
    assert view.status(reference_id) == "Closed"
    sim.advance(timedelta(days=30))
    assert api_status(charge_of(sim, session)) == ("Canceled", "ExpiredUnused")
    assert view.status(reference_id) == "Closed"
