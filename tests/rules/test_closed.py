"""docs/reference/seller-central.md "Closed" 1-5: captured (the overcharge ceiling with allowOvercharge), the
Close
Charge Permission API, the operator's close, Amazon's fraud close, and expiry (180 days / 13 months).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.amazon_pay import AmazonPayError, Cause, PaymentIntent
from harness.amazon_pay.permissions import amount_balance
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    START,
    api_status,
    approved_checkout,
    charge_of,
    completed_checkout,
    new_simulator,
    open_checkout,
    permission_of,
    yen,
)

ONE_SECOND = timedelta(seconds=1)


# --- Closed 1: captured -----------------------------------------------------------------------


def test_closed_1_capturing_the_full_amount_closes(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert api_status(charge) == ("Captured", None)
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonClosed")
    assert permission_of(sim, session).cause is Cause.CAPTURED_IN_FULL
    assert view.status(reference_id) == "Closed"


def test_closed_1_authorize_with_capture_closes_at_complete(sim: Simulator,
                                                            view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    reference_id = permission_of(sim, session).id
    assert view.status(reference_id) == "Open"
    sim.buyer.return_to_merchant(session.id)
    sim.api.complete_checkout_session(session.id, yen(5000))
    assert view.status(reference_id) == "Closed"


@pytest.mark.parametrize("captured", [1, 2500, 4999])
def test_closed_1_a_partial_capture_stays_open(sim: Simulator, view: SellerCentral,
                                               captured: int) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(captured))
    assert api_status(charge_of(sim, session)) == ("Captured", None)
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    assert view.status(reference_id) == "Open"
    # capturing the rest on a new charge reaches the limit and closes
    sim.api.create_charge(reference_id, yen(5000 - captured), capture_now=True)
    assert view.status(reference_id) == "Closed"


def test_closed_1_with_total_order_amount_closes_when_the_order_total_is_captured(
        sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=5000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(3000))
    assert view.status(reference_id) == "Open"
    sim.api.create_charge(reference_id, yen(1999), capture_now=True)
    assert view.status(reference_id) == "Open"
    sim.api.create_charge(reference_id, yen(1), capture_now=True)
    assert view.status(reference_id) == "Closed"


@pytest.mark.parametrize(("order", "ceiling"), [
    (1, 70_000),           # the ¥70,000 floor
    (5_000, 70_000),       # 900 % = 45,000 < 70,000
    (7_777, 70_000),       # 900 % = 69,993: still the floor
    (7_778, 70_002),       # 900 % = 70,002: the 900 % branch
    (10_000, 90_000),      # the 900 % branch
])
def test_closed_1_overcharge_ceiling_is_max_of_900_percent_and_70000_yen(
        sim: Simulator, order: int, ceiling: int) -> None:
    session = completed_checkout(sim, order, allow_overcharge=True)
    permission = permission_of(sim, session)
    assert permission.amount_limit == yen(ceiling)
    assert amount_balance(sim.ledger, permission) == yen(ceiling - order)


@pytest.mark.parametrize(("order", "ceiling"), [(5_000, 70_000), (10_000, 90_000)],
                         ids=["70000-yen-floor", "900-percent"])
def test_closed_1_with_allow_overcharge_closes_only_when_the_ceiling_is_captured(
        sim: Simulator, view: SellerCentral, order: int, ceiling: int) -> None:
    session = completed_checkout(sim, order, allow_overcharge=True)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(order))  # the original amount in full
    assert view.status(reference_id) == "Open"
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)

    sim.api.create_charge(reference_id, yen(ceiling - order - 1), capture_now=True)
    assert view.status(reference_id) == "Open"  # one yen short of the ceiling
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(reference_id, yen(2), capture_now=True)  # above the ceiling
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)

    sim.api.create_charge(reference_id, yen(1), capture_now=True)
    assert view.status(reference_id) == "Closed"
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonClosed")


# --- Closed 2: Close Charge Permission API ----------------------------------------------------


@pytest.mark.parametrize(("cancel_pending", "charge_after"), [
    (False, ("Authorized", None)),                               # D-CLOSE-PENDING
    (True, ("Canceled", "ChargePermissionCanceled")),
])
def test_closed_2_close_charge_permission_api(sim: Simulator, view: SellerCentral,
                                              cancel_pending: bool,
                                              charge_after: tuple[str, str | None]) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    permission = sim.api.close_charge_permission(reference_id, "No more charges required",
                                                 cancel_pending_charges=cancel_pending)
    assert api_status(permission) == ("Closed", "MerchantClosed")
    assert permission.reason_description == "No more charges required"
    assert api_status(charge_of(sim, session)) == charge_after
    assert view.status(reference_id) == "Closed"


def test_closed_2_a_closed_permission_cannot_be_closed_again_nor_charged(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.api.close_charge_permission(reference_id)
    with pytest.raises(AmazonPayError) as error:
        sim.api.close_charge_permission(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)
    with pytest.raises(AmazonPayError) as error:
        sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(reference_id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)


def test_closed_2_after_a_partial_capture_keeps_the_capture(sim: Simulator,
                                                            view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(3000))
    sim.api.close_charge_permission(reference_id, cancel_pending_charges=True)
    assert api_status(charge_of(sim, session)) == ("Captured", None)
    assert view.status(reference_id) == "Closed"
    assert view.row(reference_id).captured == yen(3000)


# --- Closed 3: the operator's 終了したお支払い -------------------------------------------------


@pytest.mark.parametrize("captured", [None, 3000])
def test_closed_3_operator_close(sim: Simulator, view: SellerCentral,
                                 captured: int | None) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    if captured is not None:
        sim.api.capture_charge(charge_of(sim, session).id, yen(captured))
    view.close(reference_id)
    assert view.status(reference_id) == "Closed"
    assert api_status(permission_of(sim, session)) == ("Closed", "MerchantClosed")  # D-OPERATOR-CLOSE
    assert permission_of(sim, session).cause is Cause.OPERATOR_CLOSED
    expected_charge = ("Authorized", None) if captured is None else ("Captured", None)
    assert api_status(charge_of(sim, session)) == expected_charge


# --- Closed 4: Amazon closes the permission as fraudulent -------------------------------------


def test_closed_4_fraud_close_shows_closed_though_the_api_reads_like_an_abandoned_checkout(
        view: SellerCentral, sim: Simulator) -> None:
    fraud = completed_checkout(sim, 5000)
    abandoned = approved_checkout(sim, 5000)
    sim.buyer.drop_off(abandoned.id)
    sim.amazon.close_for_fraud(permission_of(sim, fraud).id)
    sim.advance(timedelta(hours=24))

    fraud_permission, abandoned_permission = permission_of(sim, fraud), permission_of(sim, abandoned)
    assert api_status(fraud_permission) == ("Closed", "AmazonCanceled")
    assert api_status(abandoned_permission) == api_status(fraud_permission)  # same API answer ...
    assert api_status(charge_of(sim, fraud)) == api_status(charge_of(sim, abandoned)) \
        == ("Canceled", "AmazonCanceled")
    assert view.status(fraud_permission.id) == "Closed"  # ... different rows
    assert view.status(abandoned_permission.id) == "Canceled"
    assert fraud_permission.cause is Cause.AMAZON_FRAUD


def test_closed_4_fraud_close_of_a_captured_order(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(1000))
    sim.amazon.close_for_fraud(reference_id)
    assert view.status(reference_id) == "Closed"
    assert api_status(charge_of(sim, session)) == ("Captured", None)


# --- Closed 5: expiry ---------------------------------------------------------------------------


def test_closed_5_one_time_permission_expires_180_days_after_creation(sim: Simulator,
                                                                     view: SellerCentral) -> None:
    sim.advance(timedelta(hours=3, minutes=7, seconds=11))  # created at an odd time of day
    created = sim.now()
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    assert permission_of(sim, session).expires_at == created + timedelta(days=180)

    sim.clock.advance_to(created + timedelta(days=179, hours=23, minutes=59, seconds=59))
    assert view.status(reference_id) == "Open"
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    # the authorization itself ended long ago (30 days), the permission did not
    assert api_status(charge_of(sim, session)) == ("Canceled", "ExpiredUnused")

    sim.advance(ONE_SECOND)
    assert sim.now() == created + timedelta(days=180)
    assert view.status(reference_id) == "Closed"
    assert api_status(permission_of(sim, session)) == ("Closed", "Expired")
    assert permission_of(sim, session).updated_at == created + timedelta(days=180)


def test_closed_5_an_authorization_still_open_at_expiry_is_canceled(sim: Simulator,
                                                                    view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.advance(timedelta(days=170))
    charge = sim.api.create_charge(reference_id, yen(1000))
    sim.advance(timedelta(days=10))
    assert view.status(reference_id) == "Closed"
    assert api_status(charge) == ("Canceled", "ChargePermissionCanceled")  # D-EXPIRY-OPEN-CHARGES


@pytest.mark.parametrize(("start", "expiry"), [
    (datetime(2026, 1, 5, 0, 0, tzinfo=UTC), datetime(2027, 2, 5, 0, 0, tzinfo=UTC)),
    (datetime(2026, 1, 31, 15, 30, tzinfo=UTC), datetime(2027, 2, 28, 15, 30, tzinfo=UTC)),
    (datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC), datetime(2027, 4, 30, 23, 59, 59, tzinfo=UTC)),
], ids=["same-day", "clamped-to-february", "clamped-to-april"])
@pytest.mark.parametrize("kind", ["extendExpiration", "Recurring"])
def test_closed_5_thirteen_calendar_months(start: datetime, expiry: datetime, kind: str) -> None:
    sim = new_simulator(start=start)
    view = SellerCentral(sim)
    recurring = kind == "Recurring"
    session = completed_checkout(sim, 5000, extend_expiration=not recurring, recurring=recurring)
    permission = permission_of(sim, session)
    assert permission.expires_at == expiry
    assert (expiry - start) != timedelta(days=180)

    sim.clock.advance_to(expiry - timedelta(days=1))
    last = sim.api.create_charge(permission.id, yen(1000))  # an authorization open at expiry
    reference_id = last.id if recurring else permission.id
    sim.clock.advance_to(expiry - ONE_SECOND)
    assert view.status(reference_id) == "Open"
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)

    sim.advance(ONE_SECOND)
    assert view.status(reference_id) == "Closed"
    assert api_status(permission_of(sim, session)) == ("Closed", "Expired")
    assert {row.status for row in view.rows()} == {"Closed"}


def test_closed_5_without_extend_expiration_a_one_time_permission_is_gone_long_before_13_months(
        sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, extend_expiration=False)
    sim.advance(timedelta(days=181))
    assert view.status(permission_of(sim, session).id) == "Closed"


def test_closed_5_expiry_measures_from_the_permission_not_the_session(sim: Simulator) -> None:
    session = open_checkout(sim, 5000)
    sim.advance(timedelta(hours=5))
    sim.buyer.approve(session.id)
    assert permission_of(sim, session).expires_at == START + timedelta(hours=5, days=180)
