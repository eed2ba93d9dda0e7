"""The action vocabulary: actors, orders, expectations, and what a failure shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from harness.amazon_pay.states import PaymentIntent, ReasonCode
from harness.errors import HarnessError
from harness.merchant import CheckoutRequest
from harness.money import Money
from harness.scenario import ExpectationError, ScenarioError, ScenarioWorld
from harness.scenario.parsing import Anchor, ObjectKind, parse_duration
from harness.seller_central.projection import TransactionStatus
from harness.seller_central.view import JST

YEN_5000 = CheckoutRequest(Money.of(5000))


def test_orders_by_name_and_the_current_order(world: ScenarioWorld) -> None:
    world.buyer.checks_out("A", YEN_5000)
    world.buyer.checks_out(None, CheckoutRequest(Money.of(3000)))
    world.merchant.captures(None)
    world.expect.status("A", TransactionStatus.OPEN)
    world.expect.status(None, TransactionStatus.OPEN)  # "the order" is order A now: A was named last
    world.merchant.captures(None)
    world.expect.status("A", TransactionStatus.CLOSED)
    assert [order.label for order in world.orders.all()] == ["order A", "the order"]
    assert [order.merchant_order_id for order in world.orders.all()] == ["order-A", "order-2"]


def test_an_order_needs_a_start_and_a_unique_name(world: ScenarioWorld) -> None:
    with pytest.raises(ScenarioError, match="no order has been started yet"):
        world.buyer.pays(None)
    world.merchant.starts_checkout("A", YEN_5000)
    with pytest.raises(ScenarioError, match="order A was already started"):
        world.merchant.starts_checkout("A", YEN_5000)
    with pytest.raises(ScenarioError, match=r"there is no order B \(orders: order A\)"):
        world.buyer.pays("B")


def test_an_impossible_action_is_a_scenario_error_with_the_timeline(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    with pytest.raises(ScenarioError) as error:
        world.buyer.pays(None)
    message = str(error.value)
    assert message.startswith("the buyer cannot do that: the buyer cannot approve the payment")
    assert "Timeline of the scenario (simulated time):" in message
    assert "Seller Central transaction view at 2026-01-05 00:00:00 UTC (2026-01-05 09:00:00 JST):" in message


def test_time_only_moves_forward(world: ScenarioWorld) -> None:
    world.merchant.starts_checkout(None, YEN_5000)
    world.time.passes(parse_duration("2 hours"))
    with pytest.raises(ScenarioError, match="1 hour after the checkout started for the order was "
                                            r"2026-01-05 01:00:00 UTC .*time only moves forward"):
        world.time.reaches(parse_duration("1 hour"), Anchor.CHECKOUT_STARTED, None)
    world.time.reaches(parse_duration("13 months"), Anchor.CHECKOUT_STARTED, None)
    assert world.simulator.now() == datetime(2027, 2, 5, tzinfo=UTC)


def test_a_failed_expectation_shows_the_timeline_and_the_view(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    world.time.passes(parse_duration("30 days"))
    with pytest.raises(ExpectationError) as error:
        world.expect.api_state(None, ObjectKind.CHARGE, "Authorized")
    message = str(error.value)
    assert isinstance(error.value, AssertionError)
    assert message.startswith("expected the Charge of the order (S03-")
    assert ("to be Authorized, but it is Canceled (ExpiredUnused), because authorization expired unused"
            in message)
    assert "2026-02-04 00:00:00  2026-02-04 09:00:00  state     Charge S03-" in message
    assert "Amazon Reference ID | Status" in message


def test_every_expectation_fails_with_what_it_saw(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    expect = world.expect
    failures: list[tuple[str, Callable[[], None]]] = [
        ("as Closed, but it shows Open", lambda: expect.status(None, TransactionStatus.CLOSED)),
        ("no transaction for the order in Seller Central, but it shows S03-",
         lambda: expect.no_transaction(None)),
        ("rows are [", lambda: expect.reference_ids_are_charges(None, 2)),
        ("captured ¥0 (expected ¥5,000)", lambda: expect.amounts(None, captured=Money.of(5000))),
        ("expected 2 charges for the order, but there are 1", lambda: expect.charge_count(None, 2)),
        ("to refuse an action with TransactionCountExceeded, but it refused nothing",
         lambda: expect.refused("TransactionCountExceeded")),
        ("received InvalidChargeStatus for the order, but it received no error",
         lambda: expect.merchant_received(None, "InvalidChargeStatus")),
        ("to be captured, but it is authorized", lambda: expect.merchant_record(None, "captured")),
        ("to be flagged for fraud review, but it has no flag (status authorized)",
         lambda: expect.merchant_flagged(None, "fraud review")),
        ("the order has 1 charges, not a charge 2", lambda: expect.status(None, TransactionStatus.OPEN, 2)),
        ("to be Authorized (ExpiredUnused), but it is Authorized (no reason)",
         lambda: expect.api_state(None, ObjectKind.CHARGE, "Authorized", ReasonCode.EXPIRED_UNUSED)),
        ("cannot check that: the order has no Refund",
         lambda: expect.api_state(None, ObjectKind.REFUND, "Refunded")),
        ("with Created (JST) 2026-01-05 09:00:01 JST, but it shows 2026-01-05 09:00:00 JST",
         lambda: expect.created(None, datetime(2026, 1, 5, 0, 0, 1, tzinfo=UTC))),
        ("with Buyer 鈴木 花子, but it shows 山田 太郎", lambda: expect.buyer(None, "鈴木 花子")),
        ("not a Recurring checkout", lambda: expect.reference_id_is_charge(None, 1)),
    ]
    for expected, check in failures:
        with pytest.raises(ExpectationError) as error:
            check()
        assert expected in str(error.value), expected


def test_the_reference_id_rules(world: ScenarioWorld) -> None:
    world.buyer.checks_out("one", YEN_5000)
    world.buyer.checks_out("sub", CheckoutRequest(Money.of(1000), recurring=True))
    world.expect.reference_id_is_permission("one")
    world.expect.reference_ids_are_charges("sub", 1)
    world.expect.reference_id_is_charge("sub", 1)
    with pytest.raises(ExpectationError, match="order sub has 1 charges, not a charge 2"):
        world.expect.reference_id_is_charge("sub", 2)
    world.expect.created("sub", datetime(2026, 1, 5, 9, 0, tzinfo=JST))
    world.expect.buyer("sub", "山田 太郎")
    with pytest.raises(ExpectationError, match="identified by its chargePermissionId"):
        world.expect.reference_id_is_permission("sub")
    with pytest.raises(ExpectationError, match="order one is not a Recurring checkout"):
        world.expect.status("one", TransactionStatus.OPEN, 1)


def test_operator_refusals_are_recorded_and_must_be_expected(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, YEN_5000)
    world.merchant.captures(None)
    world.operator.cancels(None)
    with pytest.raises(ExpectationError, match="refused an operator action and no step expected it: "
                                               "cancel the order: InvalidChargePermissionStatus"):
        world.finish()
    world.expect.refused("InvalidChargePermissionStatus")
    world.finish()


def test_merchant_errors_go_to_the_timeline(world: ScenarioWorld) -> None:
    world.buyer.checks_out(None, CheckoutRequest(Money.of(5000), intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE))
    world.merchant.refunds(None, Money.of(100), 11)
    world.expect.merchant_received(None, "TransactionCountExceeded")
    assert "merchant  received createRefund: 422 TransactionCountExceeded" in world.timeline.render()


def test_a_merchant_without_a_record_fails_the_expectation(world: ScenarioWorld) -> None:
    world.merchant.starts_checkout(None, YEN_5000)
    world.merchant.adapter._orders.clear()  # type: ignore[attr-defined]
    with pytest.raises(ExpectationError, match=r"the merchant has no record of the order \(order-1\)"):
        world.expect.merchant_record(None, "pending")


def test_a_note_of_several_lines_stays_in_the_what_happened_column(world: ScenarioWorld) -> None:
    world.timeline.note("seller central", "first line\nsecond line")
    first, second = world.timeline.render().splitlines()[-2:]
    assert first.endswith("seller central  first line")
    assert second.strip() == "second line"
    assert second.index("second") == first.index("first line")


def test_every_scenario_error_is_a_harness_error(world: ScenarioWorld) -> None:
    with pytest.raises(HarnessError):
        world.expect.status(None, TransactionStatus.OPEN)  # no order yet: an ExpectationError
    with pytest.raises(HarnessError):
        world.merchant.captures("nobody")  # a ScenarioError
    with pytest.raises(HarnessError):
        parse_duration("soon")  # a ScenarioValueError


def test_a_checkout_amazon_refuses_fails_with_amazons_answer(world: ScenarioWorld) -> None:
    with pytest.raises(ScenarioError, match=r"the order has no Checkout Session: the merchant did not get "
                                            r"one: Amazon answered createCheckoutSession: 400 "
                                            r"InvalidParameterValue \(The value '0' provided for "
                                            r"'paymentDetails.chargeAmount'"):
        world.buyer.checks_out(None, CheckoutRequest(Money.of(0)))
