"""Refunds (docs/reference/amazon-pay-v2.md §2.4): always asynchronous, at most 10 per charge, a total of at
most captured + min(15 %, ¥8,400), one refund at most ¥10,000,000; Amazon may decline one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    Charge,
    PaymentIntent,
    ReasonCode,
    SimulationError,
)
from harness.amazon_pay.refunds import refund_cap
from harness.money import Money
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    START,
    api_status,
    charge_of,
    completed_checkout,
    permission_of,
    yen,
)


def captured_charge(sim: Simulator, amount: int) -> Charge:
    """A OneTime checkout of `amount`, captured in full."""
    session = completed_checkout(sim, amount, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    charge = charge_of(sim, session)
    assert charge.state == "Captured"
    return charge


def test_a_refund_is_initiated_then_refunded_after_30_seconds(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    refund = sim.api.create_refund(charge.id, yen(1200), soft_descriptor="RETURN")
    assert api_status(refund) == ("RefundInitiated", None)
    assert (refund.charge_id, refund.refund_amount, refund.soft_descriptor) == (charge.id, yen(1200),
                                                                                "RETURN")
    assert charge.refunded_amount == yen(0)  # D-REFUNDED-AMOUNT: only Refunded counts
    sim.advance(timedelta(seconds=29))
    assert refund.state == "RefundInitiated"
    assert charge.refunded_amount == yen(0)
    sim.advance(timedelta(seconds=1))
    assert api_status(refund) == ("Refunded", None)
    assert refund.updated_at == START + timedelta(seconds=30)
    assert charge.refunded_amount == yen(1200)
    assert sim.api.get_refund(refund.id) is refund


def test_refunded_amount_adds_up(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    view = SellerCentral(sim)
    sim.api.create_refund(charge.id, yen(1000))
    sim.advance(timedelta(seconds=10))
    sim.api.create_refund(charge.id, yen(500))
    sim.advance(timedelta(seconds=20))
    assert charge.refunded_amount == yen(1000)
    sim.advance(timedelta(seconds=10))
    assert charge.refunded_amount == yen(1500)
    assert view.row(charge.charge_permission_id).refunded == yen(1500)


def test_refunds_need_a_captured_charge(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge_of(sim, session).id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargeStatus", 422)


def test_ten_refunds_per_charge(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    for _ in range(10):
        sim.api.create_refund(charge.id, yen(100))
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(100))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionCountExceeded", 422)
    assert len(charge.refund_ids) == 10


def test_declined_refunds_count_towards_the_ten(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    for _ in range(10):
        sim.amazon.decline_refund(sim.api.create_refund(charge.id, yen(100)).id,
                                  ReasonCode.AMAZON_REJECTED)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(100))
    assert error.value.reason_code == "TransactionCountExceeded"


@pytest.mark.parametrize(("captured", "cap"), [
    (1_000, 1_150),        # 15 % branch
    (1_001, 1_151),        # 15 % of 1,001 = 150.15, rounded down (D-ROUND)
    (10_000, 11_500),      # 15 % branch
    (55_999, 64_398),      # 15 % = 8,399.85 -> 8,399
    (56_000, 64_400),      # 15 % = 8,400 exactly: both branches agree
    (100_000, 108_400),    # ¥8,400 branch
    (10_000_000, 10_008_400),
], ids=str)
def test_refund_cap_is_captured_plus_min_of_15_percent_and_8400_yen(
        sim: Simulator, captured: int, cap: int) -> None:
    charge = captured_charge(sim, captured)
    assert refund_cap(charge) == yen(cap)


@pytest.mark.parametrize(("captured", "cap"), [(10_000, 11_500), (100_000, 108_400)],
                         ids=["15-percent", "8400-yen"])
@pytest.mark.parametrize("split", [1, 3])
def test_refunds_up_to_the_cap_and_not_one_yen_more(sim: Simulator, captured: int, cap: int,
                                                    split: int) -> None:
    charge = captured_charge(sim, captured)
    parts = [cap // split] * (split - 1) + [cap - (cap // split) * (split - 1)]
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(cap + 1))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    for part in parts[:-1]:
        sim.api.create_refund(charge.id, yen(part))
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(parts[-1] + 1))  # initiated refunds already count
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)
    sim.api.create_refund(charge.id, yen(parts[-1]))
    sim.advance(timedelta(minutes=1))
    assert charge.refunded_amount == yen(cap)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(1))
    assert (error.value.reason_code, error.value.http_status) == ("TransactionAmountExceeded", 400)


def test_the_cap_follows_the_captured_amount_not_the_authorized_one(sim: Simulator) -> None:
    session = completed_checkout(sim, 10_000)
    charge = sim.api.capture_charge(charge_of(sim, session).id, yen(4000))
    assert refund_cap(charge) == yen(4600)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(4601))
    assert error.value.reason_code == "TransactionAmountExceeded"


@pytest.mark.parametrize(("amount", "reason"), [(10_000_000, None), (10_000_001, "InvalidParameterValue")])
def test_largest_refund(sim: Simulator, amount: int, reason: str | None) -> None:
    charge = captured_charge(sim, 10_000_000)  # the cap (10,008,400) would allow 10,000,001
    if reason is None:
        assert sim.api.create_refund(charge.id, yen(amount)).refund_amount == yen(amount)
        return
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, yen(amount))
    assert (error.value.reason_code, error.value.http_status) == (reason, 400)


@pytest.mark.parametrize(("amount", "reason"), [(Money.of("10.00", "USD"), "CurrencyMismatch"),
                                                (yen(0), "InvalidParameterValue")])
def test_refund_amount_must_be_positive_yen(sim: Simulator, amount: Money, reason: str) -> None:
    charge = captured_charge(sim, 5000)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_refund(charge.id, amount)
    assert (error.value.reason_code, error.value.http_status) == (reason, 400)


@pytest.mark.parametrize("reason", [ReasonCode.AMAZON_REJECTED, ReasonCode.PROCESSING_FAILURE])
def test_amazon_declines_a_refund(sim: Simulator, reason: ReasonCode) -> None:
    charge = captured_charge(sim, 10_000)
    refund = sim.api.create_refund(charge.id, yen(11_500))
    sim.advance(timedelta(seconds=10))
    sim.amazon.decline_refund(refund.id, reason)
    assert api_status(refund) == ("Declined", reason.value)
    sim.advance(timedelta(minutes=1))  # the scheduled completion does not fire any more
    assert refund.state == "Declined"
    assert charge.refunded_amount == yen(0)
    again = sim.api.create_refund(charge.id, yen(11_500))  # a declined refund gives the room back
    sim.advance(timedelta(seconds=30))
    assert again.state == "Refunded"
    assert charge.refunded_amount == yen(11_500)


def test_amazon_can_only_decline_an_initiated_refund_for_a_refund_reason(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    refund = sim.api.create_refund(charge.id, yen(100))
    with pytest.raises(SimulationError):
        sim.amazon.decline_refund(refund.id, ReasonCode.HARD_DECLINED)
    sim.amazon.complete_refund(refund.id)
    assert refund.state == "Refunded"
    with pytest.raises(SimulationError):
        sim.amazon.decline_refund(refund.id, ReasonCode.AMAZON_REJECTED)


def test_there_is_no_time_limit_for_a_refund(sim: Simulator) -> None:
    charge = captured_charge(sim, 5000)
    sim.advance(timedelta(days=400))  # the permission expired long ago
    assert permission_of(sim, sim.ledger.session(
        sim.ledger.permission(charge.charge_permission_id).checkout_session_id)).state == "Closed"
    refund = sim.api.create_refund(charge.id, yen(5000))
    sim.advance(timedelta(seconds=30))
    assert refund.state == "Refunded"


def test_unknown_refund_is_not_found(sim: Simulator) -> None:
    with pytest.raises(AmazonPayError) as error:
        sim.api.get_refund("S03-0000000-0000000-R000000")
    assert (error.value.reason_code, error.value.http_status) == ("ResourceNotFound", 404)
