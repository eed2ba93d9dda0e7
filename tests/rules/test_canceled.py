"""docs/reference/seller-central.md "Canceled": 1. the operator's お支払いキャンセル;
2. Complete never called (24 h)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from harness.amazon_pay import (
    AmazonPayError,
    Cause,
    CheckoutSession,
    PaymentIntent,
)
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


def _authorized(sim: Simulator) -> CheckoutSession:
    return completed_checkout(sim, 5000)


def _partially_captured(sim: Simulator) -> CheckoutSession:
    session = completed_checkout(sim, 5000)
    sim.api.capture_charge(charge_of(sim, session).id, yen(2000))
    return session


def _pending(sim: Simulator) -> CheckoutSession:
    return completed_checkout(sim, 5000, card="0701")


def _confirmed(sim: Simulator) -> CheckoutSession:
    return completed_checkout(sim, 5000, intent=PaymentIntent.CONFIRM)


def _suspended(sim: Simulator) -> CheckoutSession:
    session = completed_checkout(sim, 5000)
    sim.amazon.invalidate_payment_method(permission_of(sim, session).id)
    return session


def _dropped_off(sim: Simulator) -> CheckoutSession:
    session = approved_checkout(sim, 5000)
    sim.buyer.drop_off(session.id)
    return session


Builder = Callable[[Simulator], CheckoutSession]


# --- Canceled 1: the operator cancels the payment -----------------------------------------------


@pytest.mark.parametrize("build", [_authorized, _partially_captured, _pending, _confirmed, _suspended,
                                   _dropped_off],
                         ids=["authorized", "partially-captured", "pending-authorization", "confirm",
                              "suspended", "dropped-off"])
def test_canceled_1_operator_cancel_shows_canceled(sim: Simulator, view: SellerCentral,
                                                   build: Builder) -> None:
    session = build(sim)
    reference_id = permission_of(sim, session).id
    assert view.status(reference_id) in ("Open", "Suspended")
    view.cancel(reference_id)
    assert view.status(reference_id) == "Canceled"
    permission = permission_of(sim, session)
    assert api_status(permission) == ("Closed", "MerchantCanceled")  # D-OPERATOR-CANCEL
    assert permission.cause is Cause.OPERATOR_CANCELED
    for charge in sim.ledger.charges_of(permission):
        assert charge.state in ("Captured", "Canceled")
        if charge.state == "Canceled":
            assert charge.reason == "ChargePermissionCanceled"
    # nothing later brings it back: pending timers, the 24 h deadline, the 30-day expiry
    sim.advance(timedelta(days=31))
    assert view.status(reference_id) == "Canceled"
    assert permission.cause is Cause.OPERATOR_CANCELED


def test_canceled_1_open_charges_are_canceled_and_captures_kept(sim: Simulator,
                                                                view: SellerCentral) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=10000)
    reference_id = permission_of(sim, session).id
    sim.api.capture_charge(charge_of(sim, session).id, yen(3000))
    second = sim.api.create_charge(reference_id, yen(4000))
    view.cancel(reference_id)
    assert api_status(charge_of(sim, session)) == ("Captured", None)
    assert api_status(second) == ("Canceled", "ChargePermissionCanceled")
    assert view.row(reference_id).captured == yen(3000)


@pytest.mark.parametrize("end", ["captured", "merchant-closed", "canceled", "expired"])
def test_canceled_1_a_closed_transaction_cannot_be_canceled(sim: Simulator,
                                                            view: SellerCentral, end: str) -> None:
    session = completed_checkout(sim, 5000)
    reference_id = permission_of(sim, session).id
    before = {"captured": "Closed", "merchant-closed": "Closed", "canceled": "Canceled",
              "expired": "Closed"}[end]
    if end == "captured":
        sim.api.capture_charge(charge_of(sim, session).id, yen(5000))
    elif end == "merchant-closed":
        sim.api.close_charge_permission(reference_id)
    elif end == "canceled":
        view.cancel(reference_id)
    else:
        sim.advance(timedelta(days=180))
    with pytest.raises(AmazonPayError) as error:
        view.cancel(reference_id)
    assert (error.value.reason_code, error.value.http_status) == ("InvalidChargePermissionStatus", 422)
    assert view.status(reference_id) == before


# --- Canceled 2: Complete Checkout Session never called -----------------------------------------


def test_canceled_2_checkout_never_completed_is_canceled_24_hours_after_creation(
        sim: Simulator, view: SellerCentral) -> None:
    abandoned = _dropped_off(sim)
    completed = completed_checkout(sim, 5000)
    abandoned_id, completed_id = permission_of(sim, abandoned).id, permission_of(sim, completed).id
    sim.advance(timedelta(hours=23, minutes=59, seconds=59))
    assert (view.status(abandoned_id), view.status(completed_id)) == ("Open", "Open")
    sim.advance(timedelta(seconds=1))
    assert (view.status(abandoned_id), view.status(completed_id)) == ("Canceled", "Open")
    assert permission_of(sim, abandoned).cause is Cause.CHECKOUT_NEVER_COMPLETED
    assert view.row(abandoned_id).captured == yen(0)


def test_canceled_2_the_buyer_returning_without_complete_is_still_canceled(
        sim: Simulator, view: SellerCentral) -> None:
    session = approved_checkout(sim, 5000)
    sim.buyer.return_to_merchant(session.id)  # the shop crashed before calling Complete
    sim.advance(timedelta(hours=24))
    assert view.status(permission_of(sim, session).id) == "Canceled"


def test_canceled_2_is_not_what_the_merchant_close_api_shows(sim: Simulator,
                                                             view: SellerCentral) -> None:
    session = _dropped_off(sim)
    reference_id = permission_of(sim, session).id
    sim.api.close_charge_permission(reference_id, cancel_pending_charges=True)
    sim.advance(timedelta(hours=24))
    assert view.status(reference_id) == "Closed"  # Closed 2 came first and stays
    assert api_status(session) == ("Canceled", "Expired")
