"""docs/reference/seller-central.md "Operations in Seller Central": capture (both branches), refund, cancel
and
close from the transaction view, and the errors each answers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.amazon_pay import AmazonPayError, Cause, PaymentIntent, ReasonCode
from harness.amazon_pay.sandbox import AuthorizationOutcome
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    api_status,
    approved_checkout,
    charge_of,
    completed_checkout,
    permission_of,
    yen,
)

# --- capture, branch 1: an uncaptured Charge exists -> that Charge is captured ---------------------


def test_capture_captures_the_existing_uncaptured_charge(sim: Simulator,
                                                         view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    captured = view.capture(reference_id)
    assert captured.id == charge_of(sim, session).id  # no new charge
    assert permission_of(sim, session).charge_ids == [captured.id]
    assert api_status(captured) == ("Captured", None)
    assert captured.capture_amount == yen(5000)
    assert view.status(reference_id) == "Closed"


def test_capture_of_a_charge_created_by_create_charge(sim: Simulator,
                                                      view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    reference_id = permission_of(sim, session).id
    created = sim.api.create_charge(reference_id, yen(5000))
    assert view.capture(reference_id).id == created.id
    assert len(permission_of(sim, session).charge_ids) == 1


def test_capture_with_an_amount_captures_part_of_the_existing_charge(sim: Simulator,
                                                                     view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    captured = view.capture(reference_id, yen(3000))
    assert (captured.id, captured.capture_amount) == (charge_of(sim, session).id, yen(3000))
    assert view.status(reference_id) == "Open"


def test_capture_takes_the_oldest_uncaptured_charge(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 2000, total_order_amount=6000)
    reference_id = permission_of(sim, session).id
    second = sim.api.create_charge(reference_id, yen(2000))
    assert view.capture(reference_id).id == charge_of(sim, session).id
    assert view.capture(reference_id).id == second.id


def test_capture_of_an_existing_charge_more_than_7_days_old_is_asynchronous(
        live: Simulator, live_view: SellerCentral) -> None:
    session = completed_checkout(live, 5000)
    reference_id = permission_of(live, session).id
    live.advance(timedelta(days=7, seconds=1))
    charge = live_view.capture(reference_id)
    assert charge.state == "CaptureInitiated"
    assert live_view.status(reference_id) == "Open"
    live.advance(timedelta(seconds=30))
    assert charge.state == "Captured"
    assert live_view.status(reference_id) == "Closed"


# --- capture, branch 2: no uncaptured Charge -> a new Charge is created and captured ---------------


def test_capture_without_any_charge_creates_and_captures_one(sim: Simulator,
                                                             view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    reference_id = permission_of(sim, session).id
    assert permission_of(sim, session).charge_ids == []
    charge = view.capture(reference_id)
    assert permission_of(sim, session).charge_ids == [charge.id]
    assert (api_status(charge), charge.charge_amount, charge.capture_amount) == \
        (("Captured", None), yen(5000), yen(5000))
    assert view.status(reference_id) == "Closed"


def test_capture_after_the_authorization_expired_creates_a_new_charge(sim: Simulator,
                                                                      view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.advance(timedelta(days=30))
    assert api_status(charge_of(sim, session)) == ("Canceled", "ExpiredUnused")
    charge = view.capture(reference_id)
    assert charge.id != charge_of(sim, session).id
    assert (charge.state, charge.capture_amount) == ("Captured", yen(5000))
    assert view.status(reference_id) == "Closed"


def test_capture_after_a_partial_capture_captures_the_balance_on_a_new_charge(
        sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(3000))
    charge = view.capture(reference_id)
    assert charge.id != charge_of(sim, session).id
    assert charge.capture_amount == yen(2000)
    assert view.status(reference_id) == "Closed"
    assert view.row(reference_id).captured == yen(5000)


def test_capture_creating_a_charge_can_be_declined(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    reference_id = permission_of(sim, session).id
    sim.amazon.decline_next_authorization(reference_id, ReasonCode.HARD_DECLINED)
    with pytest.raises(AmazonPayError) as error:
        view.capture(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("HardDeclined", 422)
    assert view.status(reference_id) == "Suspended"


# --- capture errors -------------------------------------------------------------------------------


def test_capture_while_the_authorization_is_pending_is_refused(sim: Simulator,
                                                               view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    reference_id = permission_of(sim, session).id
    with pytest.raises(AmazonPayError) as error:
        view.capture(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
    assert permission_of(sim, session).charge_ids == [charge_of(sim, session).id]  # no new charge
    sim.advance(timedelta(seconds=30))
    assert view.capture(reference_id).state == "Captured"


@pytest.mark.parametrize("how", ["operator-close", "api-close", "captured"])
def test_capture_on_a_closed_transaction_is_refused(sim: Simulator, view: SellerCentral,
                                                    how: str) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    if how == "operator-close":
        view.close(reference_id)  # leaves the authorization Authorized (D-OPERATOR-CLOSE)
    elif how == "api-close":
        sim.api.close_charge_permission(reference_id, cancel_pending_charges=True)
    else:
        view.capture(reference_id)
    with pytest.raises(AmazonPayError) as error:
        view.capture(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)


def test_capture_above_the_charge_amount_is_refused(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        view.capture(permission_of(sim, session).id, yen(5001))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    assert charge_of(sim, session).state == "Authorized"


def test_capture_of_a_suspended_transaction_without_a_charge_is_refused(sim: Simulator,
                                                                        view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    reference_id = permission_of(sim, session).id
    sim.amazon.invalidate_payment_method(reference_id)
    with pytest.raises(AmazonPayError) as error:
        view.capture(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)


# --- refund ---------------------------------------------------------------------------------------


def test_refund_refunds_the_latest_captured_charge(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 2000, total_order_amount=5000)
    reference_id = permission_of(sim, session).id
    view.capture(reference_id)
    latest = sim.api.create_charge(reference_id, yen(3000), capture_now=True)
    refund = view.refund(reference_id, yen(1000))
    assert refund.charge_id == latest.id
    assert api_status(refund) == ("RefundInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert api_status(refund) == ("Refunded", None)
    assert view.row(reference_id).refunded == yen(1000)
    named = view.refund(reference_id, yen(500), charge_id=charge_of(sim, session).id)
    assert named.charge_id == charge_of(sim, session).id


def test_refund_of_an_uncaptured_transaction_is_refused(sim: Simulator,
                                                        view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        view.refund(permission_of(sim, session).id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)


@pytest.mark.parametrize(("captured", "cap"), [(10_000, 11_500), (100_000, 108_400)])
def test_refund_follows_the_api_limits(sim: Simulator, view: SellerCentral,
                                       captured: int, cap: int) -> None:
    session = completed_checkout(sim, captured)
    reference_id = permission_of(sim, session).id
    view.capture(reference_id)
    with pytest.raises(AmazonPayError) as error:
        view.refund(reference_id, yen(cap + 1))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    view.refund(reference_id, yen(cap))


def test_refund_count_limit_applies_to_the_operator_too(sim: Simulator,
                                                        view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    view.capture(reference_id)
    for _ in range(10):
        view.refund(reference_id, yen(100))
    with pytest.raises(AmazonPayError) as error:
        view.refund(reference_id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionCountExceeded", 422)


# --- cancel and close -----------------------------------------------------------------------------


def test_cancel_and_close_differ_only_in_the_row(sim: Simulator, view: SellerCentral) -> None:
    canceled, closed = completed_checkout(sim, 5000), completed_checkout(sim, 5000)
    view.cancel(permission_of(sim, canceled).id)
    view.close(permission_of(sim, closed).id)
    assert api_status(permission_of(sim, canceled)) == ("Closed", "MerchantCanceled")
    assert api_status(permission_of(sim, closed)) == ("Closed", "MerchantClosed")
    assert api_status(charge_of(sim, canceled)) == ("Canceled", "ChargePermissionCanceled")
    assert api_status(charge_of(sim, closed)) == ("Authorized", None)  # left to expire
    assert (view.status(permission_of(sim, canceled).id), view.status(permission_of(sim, closed).id)) \
        == ("Canceled", "Closed")
    sim.advance(timedelta(days=30))
    assert api_status(charge_of(sim, closed)) == ("Canceled", "ExpiredUnused")
    assert view.status(permission_of(sim, closed).id) == "Closed"


@pytest.mark.parametrize("action", ["cancel", "close"])
@pytest.mark.parametrize("first", ["cancel", "close"])
def test_cancel_or_close_of_a_closed_transaction_is_refused(sim: Simulator,
                                                            view: SellerCentral,
                                                            first: str, action: str) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    getattr(view, first)(reference_id)
    status = view.status(reference_id)
    with pytest.raises(AmazonPayError) as error:
        getattr(view, action)(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)
    assert view.status(reference_id) == status


def test_close_of_a_dropped_off_checkout_shows_closed_not_canceled(sim: Simulator,
                                                                   view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000)
    sim.buyer.drop_off(session.id)
    reference_id = permission_of(sim, session).id
    view.close(reference_id)
    sim.advance(timedelta(hours=24))
    assert view.status(reference_id) == "Closed"
    assert permission_of(sim, session).cause is Cause.OPERATOR_CLOSED


# --- on Recurring rows (D-RECURRING-OPERATIONS) ---------------------------------------------------


def test_recurring_row_operations_act_on_the_rows_charge(sim: Simulator,
                                                         view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission_id = permission_of(sim, session).id
    first = charge_of(sim, session)
    second = sim.api.create_charge(permission_id, yen(1000))
    third = sim.api.create_charge(permission_id, yen(1000))

    assert view.capture(second.id).id == second.id
    assert (first.state, second.state) == ("Authorized", "Captured")
    refund = view.refund(second.id, yen(300))
    assert refund.charge_id == second.id
    view.cancel(third.id)
    assert api_status(third) == ("Canceled", "MerchantCanceled")
    assert permission_of(sim, session).state == "Chargeable"
    assert {row.reference_id: row.status for row in view.rows()} == {
        first.id: "Open", second.id: "Closed", third.id: "Canceled"}

    view.close(first.id)  # closes the whole agreement
    assert api_status(permission_of(sim, session)) == ("Closed", "MerchantClosed")
    assert {row.status for row in view.rows()} == {"Closed"}


def test_recurring_row_capture_of_a_captured_charge_is_refused(sim: Simulator,
                                                               view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    charge = charge_of(sim, session)
    view.capture(charge.id)
    with pytest.raises(AmazonPayError) as error:
        view.capture(charge.id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
    with pytest.raises(AmazonPayError) as error:
        view.cancel(charge.id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)


def test_operator_actions_are_recorded_for_the_timeline(sim: Simulator,
                                                        view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    view.capture(reference_id)
    view.refund(reference_id, yen(100))
    texts = [activity.text for activity in sim.ledger.activities if activity.actor == "operator"]
    assert texts == [f"captured {reference_id} in Seller Central",
                     f"refunded ¥100 on {reference_id} in Seller Central"]


def test_operator_pending_new_charge_is_not_captured_at_once(sim: Simulator,
                                                             view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    reference_id = permission_of(sim, session).id
    sim.ledger.plan_outcome(reference_id, AuthorizationOutcome(Cause.AUTHORIZED, pending=True))
    with pytest.raises(AmazonPayError) as error:  # the operator's capture cannot wait: times out
        view.capture(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("TransactionTimedOut", 422)
    assert view.status(reference_id) == "Open"
