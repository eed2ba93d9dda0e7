"""The reference merchant: signed HTTP calls, its own order records, errors recorded not raised."""

from __future__ import annotations

import pytest

from harness.merchant import CheckoutRequest, OrderStatus, ReferenceMerchant
from harness.money import Money
from harness.scenario import ScenarioWorld

YEN_5000 = CheckoutRequest(Money.of(5000))


def shop(world: ScenarioWorld) -> ReferenceMerchant:
    adapter = world.merchant.adapter
    assert isinstance(adapter, ReferenceMerchant)
    return adapter


def test_a_checkout_is_created_with_every_detail_but_the_buyer(world: ScenarioWorld) -> None:
    order = world.merchant.starts_checkout("A", CheckoutRequest(Money.of(5000), recurring=True,
                                                                can_handle_pending_authorization=True))
    session = world.orders.session(order)
    assert session.constraints == ["BuyerNotAssociated"]
    assert session.merchant_metadata.merchant_reference_id == "order-A"
    assert session.web.checkout_result_return_url == "https://shop.example/checkout/result?order=order-A"
    assert session.payment.can_handle_pending_authorization
    record = shop(world).order("order-A")
    assert record is not None
    assert (record.status, record.checkout_session_id) == (OrderStatus.PENDING, session.id)


def test_errors_from_amazon_are_recorded_not_raised(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    world.merchant.closes(None)
    world.merchant.captures(None)
    record = shop(world).order("order-1")
    assert record is not None
    assert [(error.operation, error.status, error.reason_code) for error in record.errors] == [
        ("createCharge", 422, "InvalidChargePermissionStatus")]  # a closed order: charge anew
    assert record.status == OrderStatus.CLOSED


def test_a_dropped_connection_is_recorded_as_an_error_without_status(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    world.simulator.faults.timeout("captureCharge", times=1)
    world.merchant.captures(None)
    record = shop(world).order("order-1")
    assert record is not None and record.errors[-1].status == 0
    assert record.errors[-1].reason_code == "ReadTimeout"
    world.merchant.captures(None)
    world.expect.merchant_record(None, OrderStatus.CAPTURED)


def test_reconciling_an_unpaid_checkout_leaves_it_pending(world: ScenarioWorld) -> None:
    world.merchant.starts_checkout(None, YEN_5000)
    world.merchant.reconciles()
    world.expect.merchant_record(None, OrderStatus.PENDING)
    world.expect.merchant_received(None, "InvalidCheckoutSessionStatus")


def test_the_return_url_must_name_the_orders_checkout(world: ScenarioWorld) -> None:
    world.merchant.starts_checkout("A", YEN_5000)
    world.merchant.starts_checkout("B", YEN_5000)
    with pytest.raises(ValueError, match="names another checkout than order 'order-A' started"):
        shop(world).handle_return("https://shop.example/checkout/result?order=order-A"
                                  f"&amazonCheckoutSessionId={world.orders.get('B').checkout_session_id}")
    with pytest.raises(ValueError, match=r"the shop has no order 'order-C' \(orders: order-A, order-B\)"):
        shop(world).capture("order-C")


def test_an_order_without_a_charge_cannot_be_refunded_by_the_shop(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, CheckoutRequest(Money.of(5000)))
    world.merchant.cancels(None)
    world.expect.merchant_record(None, OrderStatus.CANCELED)
    world.merchant.starts_checkout("C", YEN_5000)
    with pytest.raises(Exception, match="the shop's order 'order-C' has no charge to refund"):
        world.merchant.refunds("C", Money.of(100))
