"""Charge Permissions (docs/reference/amazon-pay-v2.md §2.2): amountLimit, lifetimes, Close, Update, and what
the buyer and Amazon do to them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    ChargePermissionType,
    MerchantMetadata,
    PaymentDetails,
    PaymentIntent,
    ReasonCode,
    SimulationError,
)
from harness.amazon_pay.permissions import amount_limit, expires_at
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


@pytest.mark.parametrize(("charge", "total", "overcharge", "limit"), [
    (5_000, None, False, 5_000),         # chargeAmount
    (3_000, 8_000, False, 8_000),        # totalOrderAmount wins
    (5_000, None, True, 70_000),         # ¥70,000 floor
    (3_000, 8_000, True, 72_000),        # 900 % of the totalOrderAmount
    (20_000, None, True, 180_000),       # 900 % of the chargeAmount
])
def test_amount_limit(charge: int, total: int | None, overcharge: bool, limit: int) -> None:
    payment = PaymentDetails(PaymentIntent.AUTHORIZE, charge_amount=yen(charge),
                             total_order_amount=None if total is None else yen(total),
                             allow_overcharge=overcharge)
    assert amount_limit(payment) == yen(limit)


@pytest.mark.parametrize(("kind", "extend", "expiry"), [
    (ChargePermissionType.ONE_TIME, False, datetime(2026, 7, 4, tzinfo=UTC)),      # + 180 days
    (ChargePermissionType.ONE_TIME, True, datetime(2027, 2, 5, tzinfo=UTC)),       # + 13 months
    (ChargePermissionType.RECURRING, False, datetime(2027, 2, 5, tzinfo=UTC)),
    (ChargePermissionType.RECURRING, True, datetime(2027, 2, 5, tzinfo=UTC)),
])
def test_lifetimes(kind: ChargePermissionType, extend: bool, expiry: datetime) -> None:
    assert expires_at(START, kind, extend) == expiry


def test_a_permission_shows_its_checkout_buyer_and_metadata(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    permission = permission_of(sim, session)
    assert permission.checkout_session_id == session.id
    assert permission.buyer.buyer_id == sim.buyer.default.buyer_id
    assert (permission.currency, permission.charge_permission_type) == ("JPY", "OneTime")
    assert permission.charge_ids == [charge_of(sim, session).id]


def test_update_merchant_metadata_until_closed(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    permission_id = permission_of(sim, session).id
    sim.advance(timedelta(minutes=1))
    updated = sim.api.update_charge_permission(permission_id, MerchantMetadata("order-42", "Shop"))
    assert updated.merchant_metadata.merchant_reference_id == "order-42"
    assert updated.updated_at == START + timedelta(minutes=1)
    assert SellerCentral(sim).row(permission_id).merchant_reference_id == "order-42"
    sim.api.close_charge_permission(permission_id)
    with pytest.raises(AmazonPayError) as error:
        sim.api.update_charge_permission(permission_id, MerchantMetadata("order-43"))
    assert (error.value.reason_code, error.value.http_status) == ("ChargePermissionNotModifiable", 422)


def test_close_records_the_closure_reason(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    permission = sim.api.close_charge_permission(permission_of(sim, session).id, "No more charges required")
    assert api_status(permission) == ("Closed", "MerchantClosed")
    assert permission.reason_description == "No more charges required"


def test_close_cancels_pending_charges_only_when_asked(sim: Simulator) -> None:
    keep, cancel = (completed_checkout(sim, 5000, card="0701") for _ in range(2))
    sim.api.close_charge_permission(permission_of(sim, keep).id, cancel_pending_charges=False)
    sim.api.close_charge_permission(permission_of(sim, cancel).id, cancel_pending_charges=True)
    assert api_status(charge_of(sim, cancel)) == ("Canceled", "ChargePermissionCanceled")
    assert api_status(charge_of(sim, keep)) == ("AuthorizationInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert api_status(charge_of(sim, keep)) == ("Authorized", None)  # D-CLOSE-PENDING
    assert api_status(charge_of(sim, cancel)) == ("Canceled", "ChargePermissionCanceled")


def test_close_a_non_chargeable_permission(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000)
    sim.amazon.invalidate_payment_method(permission_of(sim, session).id)
    assert api_status(sim.api.close_charge_permission(permission_of(sim, session).id)) == \
        ("Closed", "MerchantClosed")


def test_the_buyer_closes_a_recurring_agreement(sim: Simulator) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission_id = permission_of(sim, session).id
    sim.buyer.close_agreement(permission_id)
    assert api_status(permission_of(sim, session)) == ("Closed", "BuyerClosed")
    assert api_status(charge_of(sim, session)) == ("Canceled", "ChargePermissionCanceled")
    assert SellerCentral(sim).status(charge_of(sim, session).id) == "Closed"
    with pytest.raises(SimulationError):
        sim.buyer.close_agreement(permission_id)


def test_amazon_rejected_closes_the_permission(sim: Simulator) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=10_000)
    permission_id = permission_of(sim, session).id
    sim.amazon.decline_next_authorization(permission_id, ReasonCode.AMAZON_REJECTED)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(1000))
    assert (error.value.reason_code, error.value.http_status) == ("AmazonRejected", 422)
    assert api_status(permission_of(sim, session)) == ("Closed", "AmazonCanceled")
    assert api_status(charge_of(sim, session)) == ("Canceled", "AmazonCanceled")  # D-DECLINE-EFFECTS
    assert SellerCentral(sim).status(permission_id) == "Closed"


@pytest.mark.parametrize("action", ["close_for_fraud", "invalidate_payment_method", "expire_payment_method"])
def test_amazon_cannot_act_on_a_closed_permission(sim: Simulator, action: str) -> None:
    session = completed_checkout(sim, 5000)
    permission_id = permission_of(sim, session).id
    sim.api.close_charge_permission(permission_id)
    with pytest.raises(SimulationError):
        getattr(sim.amazon, action)(permission_id)
    assert api_status(permission_of(sim, session)) == ("Closed", "MerchantClosed")


def test_a_permission_in_the_wrong_state_refuses_new_charges(sim: Simulator) -> None:
    session = completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)
    permission_id = permission_of(sim, session).id
    sim.amazon.expire_payment_method(permission_id)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(1000))
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)


def test_unknown_permission_is_not_found(sim: Simulator) -> None:
    with pytest.raises(AmazonPayError) as error:
        sim.api.get_charge_permission("S03-0000000-0000000")
    assert (error.value.reason_code, error.value.http_status) == ("ResourceNotFound", 404)
    with pytest.raises(AmazonPayError) as error:
        sim.api.close_charge_permission("S03-0000000-0000000")
    assert error.value.http_status == 404
