"""Charges (docs/reference/amazon-pay-v2.md §2.3): authorization validity, synchronous and asynchronous
capture, pending authorizations, the 25-charge limit, amountBalance, and the errors of Create / Capture /
Cancel Charge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    Cause,
    PaymentIntent,
    ReasonCode,
    SimulationError,
)
from harness.amazon_pay.permissions import amount_balance
from harness.amazon_pay.sandbox import AuthorizationOutcome
from harness.money import Money
from harness.simulator import Simulator
from tests.builders import (
    START,
    api_status,
    charge_of,
    completed_checkout,
    permission_of,
    yen,
)

ONE_SECOND = timedelta(seconds=1)
SEVEN_DAYS = timedelta(days=7)



# --- authorization validity: 30 days ---------------------------------------------------------------


def test_authorization_expires_unused_after_exactly_30_days(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    charge = charge_of(sim, session)
    assert charge.expires_at == START + timedelta(days=30)
    sim.advance(timedelta(days=29, hours=23, minutes=59, seconds=59))
    assert api_status(charge) == ("Authorized", None)
    sim.advance(ONE_SECOND)
    assert api_status(charge) == ("Canceled", "ExpiredUnused")
    assert charge.updated_at == START + timedelta(days=30)
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    with pytest.raises(AmazonPayError) as error:
        sim.api.capture_charge(charge.id, yen(5000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)


def test_a_captured_charge_does_not_expire(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    sim.advance(timedelta(days=31))
    assert api_status(charge) == ("Captured", None)


# --- capture: synchronous up to 7 days after authorization, asynchronous after (Live only, §6.3) ----


def test_capture_one_second_after_7_days_is_still_synchronous_in_sandbox(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    sim.advance(SEVEN_DAYS + ONE_SECOND)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert api_status(charge) == ("Captured", None)
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonClosed")


def test_capture_initiated_makes_a_sandbox_capture_asynchronous_at_any_time(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000), asynchronous=True)
    assert api_status(charge) == ("CaptureInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert api_status(charge) == ("Captured", None)


def test_capture_at_exactly_7_days_is_synchronous(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    sim.advance(SEVEN_DAYS)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    assert api_status(charge) == ("Captured", None)


def test_capture_one_second_after_7_days_is_asynchronous_in_live(live: Simulator) -> None:
    session = completed_checkout(live, 5000)
    live.advance(SEVEN_DAYS + ONE_SECOND)
    charge = live.api.capture_charge(charge_of(live, session).id, yen(5000))
    assert api_status(charge) == ("CaptureInitiated", None)
    assert charge.capture_amount == yen(5000)
    assert permission_of(live, session).state == "Chargeable"
    live.advance(timedelta(seconds=29))
    assert charge.state == "CaptureInitiated"
    live.advance(ONE_SECOND)
    assert api_status(charge) == ("Captured", None)
    assert charge.updated_at == START + SEVEN_DAYS + timedelta(seconds=31)
    assert api_status(permission_of(live, session)) == ("Closed", "AmazonClosed")


def test_a_capture_initiated_charge_does_not_expire_and_cannot_be_captured_or_canceled(
        sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    sim.advance(timedelta(days=29, hours=23, minutes=59, seconds=50))
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    operations: list[Callable[[], object]] = [lambda: sim.api.capture_charge(charge.id, yen(5000)),
                                              lambda: sim.api.cancel_charge(charge.id)]
    for operation in operations:
        with pytest.raises(AmazonPayError) as error:
            operation()
        assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
    sim.advance(timedelta(seconds=30))  # crosses the 30-day mark
    assert api_status(charge) == ("Captured", None)


def test_the_7_days_count_from_the_authorization_not_the_request(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    sim.advance(timedelta(seconds=30))
    charge = charge_of(sim, session)
    assert charge.authorized_at == START + timedelta(seconds=30)
    sim.advance(SEVEN_DAYS)  # 7 days after the authorization, 7 days 30 s after the request
    assert api_status(sim.api.capture_charge(charge.id, yen(5000))) == ("Captured", None)


def test_amazon_can_decline_an_asynchronous_capture(live: Simulator) -> None:
    session = completed_checkout(live, 5000)
    live.advance(timedelta(days=8))
    charge = live.api.capture_charge(charge_of(live, session).id, yen(5000))
    live.amazon.decline(charge.id, ReasonCode.PROCESSING_FAILURE)
    assert api_status(charge) == ("Declined", "ProcessingFailure")
    live.advance(timedelta(minutes=1))
    assert charge.state == "Declined"


def test_amazon_can_resolve_a_pending_capture_early(live: Simulator) -> None:
    session = completed_checkout(live, 5000)
    live.advance(timedelta(days=8))
    charge = live.api.capture_charge(charge_of(live, session).id, yen(5000))
    live.amazon.resolve_pending(charge.id)
    assert charge.state == "Captured"
    with pytest.raises(SimulationError):
        live.amazon.resolve_pending(charge.id)


# --- capture errors --------------------------------------------------------------------------------


def test_capture_twice_is_refused(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, total_order_amount=10000)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(2000))
    with pytest.raises(AmazonPayError) as error:
        sim.api.capture_charge(charge.id, yen(1000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
    assert charge.capture_amount == yen(2000)


@pytest.mark.parametrize(("amount", "ok"), [(5000, True), (5001, False)])
def test_capture_up_to_the_charge_amount(sim: Simulator, amount: int, ok: bool) -> None:
    session = completed_checkout(sim, 5000, allow_overcharge=True)  # even with allowOvercharge
    charge_id = charge_of(sim, session).id
    if ok:
        assert sim.api.capture_charge(charge_id, yen(amount)).capture_amount == yen(amount)
        return
    with pytest.raises(AmazonPayError) as error:
        sim.api.capture_charge(charge_id, yen(amount))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    assert charge_of(sim, session).state == "Authorized"


@pytest.mark.parametrize(("amount", "reason", "status"), [
    (Money.of("10.00", "USD"), "CurrencyMismatch", 400),
    (yen(0), "InvalidParameterValue", 400),
])
def test_capture_amount_must_be_a_positive_amount_in_yen(sim: Simulator, amount: Money,
                                                         reason: str, status: int) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.capture_charge(charge_of(sim, session).id, amount)
    assert (error.value.reason_code, error.value.http_status) == (reason, status)


def test_capture_of_a_pending_or_declined_charge_is_refused(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, card="4354")
    for _ in range(2):  # AuthorizationInitiated, then Declined
        with pytest.raises(AmazonPayError) as error:
            sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
        assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
        sim.advance(timedelta(seconds=30))
    assert charge_of(sim, session).state == "Declined"


# --- cancel ---------------------------------------------------------------------------------------


def test_cancel_an_authorized_charge(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    charge = sim.api.cancel_charge(charge_of(sim, session).id, "out of stock")
    assert api_status(charge) == ("Canceled", "MerchantCanceled")
    assert charge.reason_description == "out of stock"
    assert permission_of(sim, session).state == "Chargeable"


def test_cancel_a_pending_authorization_stops_it(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    charge = sim.api.cancel_charge(charge_of(sim, session).id)
    sim.advance(timedelta(minutes=1))
    assert api_status(charge) == ("Canceled", "MerchantCanceled")


@pytest.mark.parametrize("state", ["Captured", "Canceled", "Declined"])
def test_cancel_after_capture_or_when_ended_is_refused(sim: Simulator, state: str) -> None:
    session = completed_checkout(sim, 5000, total_order_amount=10000)
    charge = charge_of(sim, session)
    if state == "Captured":
        sim.api.capture_charge(charge.id, yen(5000))
    elif state == "Canceled":
        sim.api.cancel_charge(charge.id)
    else:
        sim.amazon.decline_next_authorization(permission_of(sim, session).id, ReasonCode.SOFT_DECLINED)
        with pytest.raises(AmazonPayError):
            sim.api.create_charge(permission_of(sim, session).id, yen(1000))
        charge = sim.ledger.charges_of(permission_of(sim, session))[-1]
    assert charge.state == state
    with pytest.raises(AmazonPayError) as error:
        sim.api.cancel_charge(charge.id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)
    assert charge.state == state


# --- Create Charge ---------------------------------------------------------------------------------


def test_create_charge_with_capture_now_is_captured(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    charge = sim.api.create_charge(permission_of(sim, session).id, yen(5000), capture_now=True,
                                   soft_descriptor="SHOP")
    assert (api_status(charge), charge.capture_amount, charge.refunded_amount) == \
        (("Captured", None), yen(5000), yen(0))
    assert charge.soft_descriptor == "SHOP"


def test_create_charge_pending_authorization(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    permission_id = permission_of(sim, session).id
    pending = AuthorizationOutcome(Cause.AUTHORIZED, pending=True)
    charge = sim.api.create_charge(permission_id, yen(2000), capture_now=True,
                                   can_handle_pending_authorization=True, outcome=pending)
    assert api_status(charge) == ("AuthorizationInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert api_status(charge) == ("Captured", None)  # captureNow applies once authorized


def test_create_charge_without_can_handle_pending_times_out(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    permission_id = permission_of(sim, session).id
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(2000),
                              outcome=AuthorizationOutcome(Cause.AUTHORIZED, pending=True))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionTimedOut", 422)
    declined = sim.ledger.charges_of(permission_of(sim, session))[-1]
    assert api_status(declined) == ("Declined", "TransactionTimedOut")
    assert permission_of(sim, session).state == "Chargeable"


def test_25_charges_per_one_time_permission(sim: Simulator) -> None:
    session = completed_checkout(sim, 100, total_order_amount=100_000)
    permission_id = permission_of(sim, session).id
    for _ in range(24):
        sim.api.create_charge(permission_id, yen(100))
    assert len(permission_of(sim, session).charge_ids) == 25
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionCountExceeded", 422)
    assert len(permission_of(sim, session).charge_ids) == 25


def test_declined_and_canceled_charges_count_towards_the_25(sim: Simulator) -> None:
    session = completed_checkout(sim, 100, total_order_amount=100_000)
    permission_id = permission_of(sim, session).id
    sim.api.cancel_charge(charge_of(sim, session).id)
    for _ in range(12):
        sim.amazon.decline_next_authorization(permission_id, ReasonCode.SOFT_DECLINED)
        with pytest.raises(AmazonPayError):
            sim.api.create_charge(permission_id, yen(100))
        sim.api.cancel_charge(sim.api.create_charge(permission_id, yen(100)).id)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(100))
    assert error.value.reason_code == "TransactionCountExceeded"


@pytest.mark.parametrize(("amount", "status"), [(10_000_000, None), (10_000_001, 400)])
def test_largest_charge_amount(sim: Simulator, amount: int, status: int | None) -> None:
    session = completed_checkout(sim, 10_000_000, intent=PaymentIntent.CONFIRM,
                                 total_order_amount=10_000_000)
    permission_id = permission_of(sim, session).id
    if status is None:
        charge = sim.api.create_charge(permission_id, yen(amount), capture_now=True)
        assert charge.capture_amount == yen(10_000_000)
        return
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(amount))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidParameterValue", status)


def test_create_charge_in_another_currency(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_of(sim, session).id, Money.of("10.00", "USD"))
    assert (error.value.reason_code, error.value.http_status) == ("CurrencyMismatch", 400)


# --- amountBalance (D-BALANCE) ---------------------------------------------------------------------


def test_amount_balance_arithmetic(sim: Simulator) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=10_000)
    permission = permission_of(sim, session)

    def balance() -> Money | None:
        return amount_balance(sim.ledger, permission)

    assert permission.amount_limit == yen(10_000)
    assert balance() == yen(7000)                          # 10,000 - 3,000 authorized
    second = sim.api.create_charge(permission.id, yen(4000))
    assert balance() == yen(3000)                          # - 4,000 authorized
    sim.api.capture_charge(charge_of(sim, session).id, yen(2000))
    assert balance() == yen(4000)                          # partial capture releases 1,000
    sim.api.cancel_charge(second.id)
    assert balance() == yen(8000)                          # a canceled authorization gives it back
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission.id, yen(8001))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    third = sim.api.create_charge(permission.id, yen(8000))  # exactly the balance
    assert balance() == yen(0)
    sim.advance(timedelta(days=30))                          # expired authorization gives it back
    assert third.state == "Canceled"
    assert balance() == yen(8000)
    sim.advance(timedelta(days=1))
    sim.api.create_charge(permission.id, yen(8000), capture_now=True)
    assert balance() == yen(0)
    assert api_status(permission) == ("Closed", "AmazonClosed")


def test_asynchronous_capture_counts_against_the_balance(sim: Simulator) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=10_000)
    permission = permission_of(sim, session)
    sim.advance(timedelta(days=8))
    sim.api.capture_charge(charge_of(sim, session).id, yen(1000))
    assert amount_balance(sim.ledger, permission) == yen(9000)


def test_recurring_has_no_balance_beyond_its_monthly_limit(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, recurring=True)
    assert permission_of(sim, session).amount_limit is None
    assert amount_balance(sim.ledger, permission_of(sim, session)) is None
    sim.api.create_charge(permission_of(sim, session).id, yen(95_000), capture_now=True)  # §2.6: ¥100,000


def test_unknown_charge_is_not_found(sim: Simulator) -> None:
    with pytest.raises(AmazonPayError) as error:
        sim.api.get_charge("S03-0000000-0000000-C000000")
    assert (error.value.reason_code, error.value.http_status) == ("ResourceNotFound", 404)
