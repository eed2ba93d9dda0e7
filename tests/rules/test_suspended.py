"""docs/reference/seller-central.md "Suspended" [decision D-SUSPENDED]: Suspended exactly while the Charge
Permission is NonChargeable (PaymentMethodInvalid after a hard decline, PaymentMethodExpired);
Open again once the buyer updates the payment method.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    ReasonCode,
    SimulationError,
)
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import api_status, charge_of, completed_checkout, permission_of, yen


def test_hard_decline_suspends_and_a_new_payment_method_reopens(sim: Simulator,
                                                                view: SellerCentral) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=10000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(3000))
    sim.amazon.decline_next_authorization(reference_id, ReasonCode.HARD_DECLINED)

    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(reference_id, yen(2000))
    assert (error.value.reason_code, error.value.http_status) == ("HardDeclined", 422)
    declined = sim.ledger.charges_of(permission_of(sim, session))[-1]
    assert api_status(declined) == ("Declined", "HardDeclined")  # D-DECLINE-EFFECTS: kept
    assert api_status(permission_of(sim, session)) == ("NonChargeable", "PaymentMethodInvalid")
    assert view.status(reference_id) == "Suspended"

    with pytest.raises(AmazonPayError) as error:  # further charges need a new payment method
        sim.api.create_charge(reference_id, yen(2000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)
    assert view.status(reference_id) == "Suspended"

    sim.buyer.update_payment_method(reference_id, card="4444")
    assert api_status(permission_of(sim, session)) == ("Chargeable", None)
    assert permission_of(sim, session).payment_descriptor == "Visa ****4444 (Amazon Pay)"
    assert view.status(reference_id) == "Open"
    sim.api.create_charge(reference_id, yen(7000), capture_now=True)
    assert view.status(reference_id) == "Closed"


def test_pending_hard_decline_at_checkout_suspends_after_30_seconds(sim: Simulator,
                                                                    view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, card="4354")
    reference_id = permission_of(sim, session).id
    assert api_status(charge_of(sim, session)) == ("AuthorizationInitiated", None)
    sim.advance(timedelta(seconds=29))
    assert view.status(reference_id) == "Open"
    sim.advance(timedelta(seconds=1))
    assert api_status(charge_of(sim, session)) == ("Declined", "HardDeclined")
    assert api_status(permission_of(sim, session)) == ("NonChargeable", "PaymentMethodInvalid")
    assert view.status(reference_id) == "Suspended"


def test_amazon_declining_a_pending_authorization_hard_suspends(sim: Simulator,
                                                                view: SellerCentral) -> None:
    session = completed_checkout(sim, 5000, card="0701")
    reference_id = permission_of(sim, session).id
    sim.amazon.decline(charge_of(sim, session).id, ReasonCode.HARD_DECLINED)
    assert view.status(reference_id) == "Suspended"
    sim.advance(timedelta(seconds=30))  # the withdrawn resolution does not authorize it after all
    assert api_status(charge_of(sim, session)) == ("Declined", "HardDeclined")


@pytest.mark.parametrize(("make", "reason"), [
    ("invalidate_payment_method", "PaymentMethodInvalid"),
    ("expire_payment_method", "PaymentMethodExpired"),
])
def test_payment_method_invalid_or_expired_suspends_until_updated(
        sim: Simulator, view: SellerCentral, make: str, reason: str) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    getattr(sim.amazon, make)(reference_id)
    assert api_status(permission_of(sim, session)) == ("NonChargeable", reason)
    assert view.status(reference_id) == "Suspended"
    sim.buyer.update_payment_method(reference_id)
    assert view.status(reference_id) == "Open"


@pytest.mark.parametrize(("reason", "status", "row"), [
    (ReasonCode.SOFT_DECLINED, 422, "Open"),
    (ReasonCode.PROCESSING_FAILURE, 500, "Open"),
    (ReasonCode.TRANSACTION_TIMED_OUT, 422, "Open"),
    (ReasonCode.AMAZON_REJECTED, 422, "Closed"),  # D-DECLINE-EFFECTS: Amazon closes the permission
    (ReasonCode.HARD_DECLINED, 422, "Suspended"),
])
def test_only_a_hard_decline_suspends(sim: Simulator, view: SellerCentral,
                                      reason: ReasonCode, status: int, row: str) -> None:
    session = completed_checkout(sim, 3000, card="1111", total_order_amount=10000)
    reference_id = permission_of(sim, session).id
    sim.amazon.decline_next_authorization(reference_id, reason)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(reference_id, yen(1000))
    assert (error.value.reason_code, error.value.http_status) == (reason.value, status)
    assert view.status(reference_id) == row


def test_a_suspended_transaction_can_still_end(sim: Simulator, view: SellerCentral) -> None:
    first, second, third = (completed_checkout(sim, 5000) for _ in range(3))
    for session in (first, second, third):
        sim.amazon.expire_payment_method(permission_of(sim, session).id)
    sim.api.close_charge_permission(permission_of(sim, first).id)
    view.cancel(permission_of(sim, second).id)
    sim.advance(timedelta(days=180))
    assert [view.status(permission_of(sim, s).id) for s in (first, second, third)] == \
        ["Closed", "Canceled", "Closed"]


def test_only_a_non_chargeable_permission_takes_a_new_payment_method(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    with pytest.raises(SimulationError):
        sim.buyer.update_payment_method(permission_of(sim, session).id)
