"""The reference merchant: signed HTTP calls, its own order records, errors recorded not raised."""

from __future__ import annotations

import re

import pytest

from harness.api.exchanges import idempotency_key
from harness.api.idempotency import KEY_PATTERN
from harness.merchant import CheckoutRequest, OrderStatus, ReferenceMerchant, reference_merchant
from harness.merchant.idempotency import IdempotencyKeys
from harness.money import Money
from harness.scenario import ExpectationError, ScenarioWorld, serving
from harness.simulator import Simulator

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
    world.simulator.faults.timeout("captureCharge", times=4)  # one more than the merchant's retries
    world.merchant.captures(None)
    record = shop(world).order("order-1")
    assert record is not None and record.errors[-1].status == 0
    assert record.errors[-1].reason_code == "ReadTimeout"
    assert [error.reason_code for error in record.retried] == ["ReadTimeout"] * 3
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


RECURRING_5000 = CheckoutRequest(Money.of(5000), recurring=True)


def test_capturing_all_after_a_further_charge_captures_that_charge_in_full(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, RECURRING_5000)
    world.merchant.captures(None)
    world.merchant.charges(None, Money.of(65000))  # a price change of the subscription
    world.merchant.captures(None)
    charge = world.orders.latest_charge(world.orders.get(None))
    assert (charge.state, charge.capture_amount) == ("Captured", Money.of(65000))
    timeline = world.timeline.render()
    assert "merchant  captures all (¥65,000) of the order" in timeline
    assert f"Charge {charge.id}: Authorized -> Captured, because " in timeline
    assert "[charged ¥65,000, captured ¥65,000]" in timeline


def test_capturing_all_of_a_checkout_names_its_amount(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, CheckoutRequest(Money.of(5000)))
    world.merchant.captures(None)
    world.merchant.refunds(None, Money.of(1000))
    timeline = world.timeline.render()
    assert "captures all (¥5,000) of the order" in timeline
    assert "[charged ¥5,000, captured ¥5,000]" in timeline
    assert "[refunded ¥1,000]" in timeline


class _CapturesTheCheckoutAmount(ReferenceMerchant):
    """The bug this guards against: "all" read as the checkout's first amount."""

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        super().capture(order_id, amount or self._orders[order_id].request.amount)


def test_an_adapter_capturing_less_than_all_fails_the_scenario(world: ScenarioWorld) -> None:
    reference = shop(world)
    world.merchant.adapter = _CapturesTheCheckoutAmount(reference.client, reference.store_id)
    world.buyer.checks_out(None, RECURRING_5000)
    world.merchant.captures(None)
    world.merchant.charges(None, Money.of(65000))
    with pytest.raises(ExpectationError, match=r"the merchant was asked to capture all of the order, but "
                                               r"captured ¥5,000 of the ¥65,000 authorized on Charge "):
        world.merchant.captures(None)


# --- idempotency keys ----------------------------------------------------------------------------


def _posted_keys(world: ScenarioWorld) -> list[tuple[str, str]]:
    return [(str(exchange.operation), key) for exchange in world.simulator.handler.exchanges
            if (key := idempotency_key(exchange)) is not None]


def _checkout_capture_and_two_refunds(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    world.merchant.captures(None)
    world.merchant.refunds(None, Money.of(1000), times=2)


def test_each_post_has_its_own_key_and_a_rerun_of_the_scenario_sends_the_same_keys() -> None:
    runs = []
    for _ in range(2):
        simulator = Simulator()
        with serving(simulator):
            world = ScenarioWorld(simulator, reference_merchant(simulator))
            _checkout_capture_and_two_refunds(world)
            runs.append(_posted_keys(world))
    first, again = runs
    assert [operation for operation, _ in first] == ["createCheckoutSession", "completeCheckoutSession",
                                                     "captureCharge", "createRefund", "createRefund"]
    keys = [key for _, key in first]
    assert len(set(keys)) == len(keys)  # a second refund of the order is a new request
    assert all(re.fullmatch(KEY_PATTERN, key) for key in keys)
    assert again == first


def test_two_shops_on_one_merchant_account_never_send_the_same_key() -> None:
    simulator = Simulator()
    with serving(simulator):
        worlds = [ScenarioWorld(simulator, reference_merchant(simulator)) for _ in range(2)]
        orders = [world.merchant.starts_checkout("A", YEN_5000) for world in worlds]
        sessions = {world.orders.session(order).id for world, order in zip(worlds, orders, strict=True)}
    keys = [key for _, key in _posted_keys(worlds[0])]
    assert len(keys) == len(set(keys)) == 2 and len(sessions) == 2  # both created, neither replayed


def test_keys_are_named_by_namespace_subject_operation_and_count() -> None:
    keys = IdempotencyKeys("1")
    first, second = keys.new("order-A", "captureCharge"), keys.new("order-A", "captureCharge")
    assert first != second
    assert IdempotencyKeys("1").new("order-A", "captureCharge") == first
    assert IdempotencyKeys("2").new("order-A", "captureCharge") != first
    assert keys.new("order-B", "captureCharge") != first and keys.new("order-A", "createRefund") != first
    assert IdempotencyKeys().new("order-A", "op") != IdempotencyKeys().new("order-A", "op")  # random ones
