"""The button flow in a scenario world: the reference shop's review page, its refusals, the prefecture."""

from __future__ import annotations

import pytest

from harness.merchant.adapter import CheckoutRequest
from harness.merchant.client import RETRIES
from harness.money import Money
from harness.scenario import ScenarioWorld
from harness.scenario.parsing import ScenarioValueError, parse_prefecture
from harness.scenario.world import ScenarioError

YEN_5000 = CheckoutRequest(Money.of(5000))


def test_the_review_page_charges_the_shipping_and_the_world_follows_the_total(world: ScenarioWorld) -> None:
    world.buyer.lives_in("沖縄県")
    order = world.buyer.clicks_button("A", YEN_5000)
    session = world.orders.session(order)
    assert session.payment.charge_amount == Money.of(6500)
    assert order.request.amount == Money.of(6500)
    assert session.web.checkout_result_return_url == "https://shop.example/checkout/result?order=order-A"
    assert session.constraints == []
    text = world.timeline.render()
    assert "renders Amazon Pay's button for order A (¥5,000, Authorize)" in text
    assert f"sends the buyer to https://payments.amazon.co.jp/checkout/processing?amazonCheckoutSessionId=" \
           f"{session.id}" in text


def test_a_review_page_amazon_refuses_leaves_the_order_refused_and_the_buyer_cannot_pay(
        world: ScenarioWorld) -> None:
    # one more than the reference merchant's retries (harness.merchant.client.RETRIES)
    world.simulator.faults.add("updateCheckoutSession", "ServiceUnavailable", times=RETRIES + 1)
    order = world.buyer.clicks_button("A", YEN_5000)
    assert order.refused is not None and "updateCheckoutSession: 503 ServiceUnavailable" in order.refused
    record = world.merchant.record(order)
    assert record is not None and record.checkout_session_id == order.checkout_session_id
    with pytest.raises(ScenarioError, match="still has the constraints ChargeAmountNotSet"):
        world.buyer.pays("A")


def test_the_merchant_starts_a_checkout_through_the_button_when_the_world_says_so(
        world: ScenarioWorld) -> None:
    world.button_flow = True
    order = world.merchant.starts_checkout(None, YEN_5000)
    assert "clicks Amazon Pay's button for the order" in world.timeline.render()
    assert world.orders.session(order).buyer is not None  # signed in on the click


@pytest.mark.parametrize(("text", "prefecture"), [
    ("北海道", "北海道"), ("東京", "東京都"), (" 大阪府 ", "大阪府"), ("京都", "京都府")])
def test_a_prefecture_is_read_with_or_without_its_suffix(text: str, prefecture: str) -> None:
    assert parse_prefecture(text) == prefecture


@pytest.mark.parametrize("text", ["Tokyo", "北海", "東京都都", ""])
def test_what_is_not_a_prefecture_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ScenarioValueError, match="is not a prefecture of Japan: write it as an address does"):
        parse_prefecture(text)
