"""docs/reference/seller-central.md "Open": 1. authorized, not captured; 2. paid on Amazon's page, never
completed.

Open 2 is measured from the Checkout Session's creation (D-DROPOFF-DEADLINE): Open at 23:59:59,
Canceled at exactly 24:00:00; a merchant that completes before the deadline recovers the order.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.amazon_pay import AmazonPayError, Cause, PaymentIntent
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    START,
    api_status,
    approved_checkout,
    charge_of,
    complete,
    completed_checkout,
    open_checkout,
    permission_of,
    yen,
)

DEADLINE = timedelta(hours=24)
ONE_SECOND = timedelta(seconds=1)


# --- Open 1: a Charge exists but has not been captured --------------------------------------


@pytest.mark.parametrize("card", ["1111", "0005", "4444", "9424", "0000"])
def test_open_1_an_authorized_uncaptured_charge_shows_open(
        sim: Simulator, view: SellerCentral, card: str) -> None:
    session = completed_checkout(sim, 5000, card=card)
    assert api_status(session) == ("Completed", None)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    assert view.status(permission_of(sim, session).id) == "Open"


def test_open_1_a_pending_authorization_also_shows_open(sim: Simulator,
                                                        view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    reference_id = permission_of(sim, session).id
    assert api_status(charge_of(sim, session)) == ("AuthorizationInitiated", None)
    assert view.status(reference_id) == "Open"
    sim.advance(timedelta(seconds=30))
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert view.status(reference_id) == "Open"


def test_open_1_stays_open_for_days_while_the_authorization_is_valid(
        sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    sim.advance(timedelta(days=29, hours=23, minutes=59, seconds=59))
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert view.status(permission_of(sim, session).id) == "Open"


def test_open_1_ends_when_the_charge_is_captured(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    assert view.status(reference_id) == "Open"
    sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert view.status(reference_id) == "Closed"


# --- Open 2: approved on Amazon's page, the buyer drops off, Complete is never called --------


@pytest.mark.parametrize("intent", [PaymentIntent.AUTHORIZE, PaymentIntent.AUTHORIZE_WITH_CAPTURE])
def test_open_2_dropped_off_checkout_is_open_at_23_59_59_and_canceled_at_24_00_00(
        sim: Simulator, view: SellerCentral, intent: PaymentIntent) -> None:
    session = approved_checkout(sim, 5000, intent=intent)
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    assert session.expires_at == START + DEADLINE

    sim.advance(DEADLINE - ONE_SECOND)
    assert view.status(reference_id) == "Open"
    assert api_status(session) == ("Open", None)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)

    sim.advance(ONE_SECOND)
    assert sim.now() == START + DEADLINE
    assert view.status(reference_id) == "Canceled"
    assert api_status(session) == ("Canceled", "Expired")
    assert api_status(charge_of(sim, session)) == ("Canceled", "AmazonCanceled")
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonCanceled")
    assert permission_of(sim, session).cause is Cause.CHECKOUT_NEVER_COMPLETED
    for obj in (session, charge_of(sim, session), permission_of(sim, session)):
        assert obj.updated_at == START + DEADLINE


def test_open_2_with_confirm_shows_open_then_canceled_without_any_charge(
        sim: Simulator, view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    assert session.charge_id is None
    sim.advance(DEADLINE - ONE_SECOND)
    assert view.status(reference_id) == "Open"
    sim.advance(ONE_SECOND)
    assert view.status(reference_id) == "Canceled"
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonCanceled")


def test_open_2_with_a_pending_authorization_is_canceled_at_the_deadline_too(
        sim: Simulator, view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000, card="0701")
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    sim.advance(DEADLINE - ONE_SECOND)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert view.status(reference_id) == "Open"
    sim.advance(ONE_SECOND)
    assert api_status(charge_of(sim, session)) == ("Canceled", "AmazonCanceled")
    assert view.status(reference_id) == "Canceled"


def test_open_2_deadline_counts_from_session_creation_not_from_approval(
        sim: Simulator, view: SellerCentral) -> None:
    session = open_checkout(sim, 5000)
    sim.advance(timedelta(hours=3))  # the buyer takes three hours to pay
    sim.buyer.approve(session.id)
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    assert permission_of(sim, session).created_at == START + timedelta(hours=3)

    sim.clock.advance_to(START + DEADLINE - ONE_SECOND)
    assert view.status(reference_id) == "Open"
    sim.clock.advance_to(START + DEADLINE)
    assert view.status(reference_id) == "Canceled"


def test_open_2_complete_at_the_deadline_is_too_late(sim: Simulator,
                                                     view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000)
    sim.buyer.drop_off(session.id)
    sim.advance(DEADLINE)
    with pytest.raises(AmazonPayError) as error:
        sim.api.complete_checkout_session(session.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidCheckoutSessionStatus", 422)
    assert view.status(permission_of(sim, session).id) == "Canceled"


def test_open_2_an_unapproved_session_expires_without_a_row(sim: Simulator,
                                                            view: SellerCentral) -> None:
    session = open_checkout(sim, 5000)
    sim.advance(DEADLINE)
    assert api_status(session) == ("Canceled", "Expired")
    assert view.rows() == []


# --- the recovery path: Complete before the deadline -----------------------------------------


@pytest.mark.parametrize("late", [timedelta(minutes=5), DEADLINE - ONE_SECOND])
def test_recovery_completing_before_the_deadline_proceeds_normally(
        sim: Simulator, view: SellerCentral, late: timedelta) -> None:
    session = approved_checkout(sim, 5000)
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    sim.advance(late)
    # a reconciliation job reads the session and completes it
    assert api_status(sim.api.get_checkout_session(session.id)) == ("Open", None)
    sim.api.complete_checkout_session(session.id, yen(5000))
    assert api_status(session) == ("Completed", None)

    sim.advance(DEADLINE)  # well past the original deadline: nothing is canceled
    assert api_status(session) == ("Completed", None)
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    assert view.status(reference_id) == "Open"
    assert not [event for event in sim.ledger.events
                if event.cause in (Cause.CHECKOUT_EXPIRED, Cause.CHECKOUT_NEVER_COMPLETED)]

    sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert view.status(reference_id) == "Closed"


def test_recovery_the_normal_path_also_survives_the_deadline(sim: Simulator,
                                                             view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000)
    complete(sim, session)
    sim.advance(DEADLINE + ONE_SECOND)
    assert view.status(permission_of(sim, session).id) == "Open"
    assert api_status(charge_of(sim, session)) == ("Authorized", None)
