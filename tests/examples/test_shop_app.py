"""exampleshop's own pages and jobs beyond what the scenarios read: the buyer's order page and mail,
monthly billing, the database URL, the back office's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from exampleshop.adapter import ExampleShopAdapter
from exampleshop.db import Database
from exampleshop.jobs import bill_subscriptions
from exampleshop.models import Mail, Order

from harness.amazon_pay.states import PaymentIntent, ReasonCode
from harness.merchant import CheckoutRequest
from harness.merchant_time import MerchantTime
from harness.money import Money
from harness.simulator import Simulator


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    simulator = Simulator()
    with simulator.mock(), MerchantTime.follow(simulator.clock):
        yield simulator


def checked_out(simulator: Simulator, shop: ExampleShopAdapter, order_id: str,
                request: CheckoutRequest) -> None:
    session_id = shop.start_checkout(order_id, request)
    assert session_id is not None
    simulator.buyer.sign_in(session_id)
    simulator.buyer.approve(session_id, "1111")
    shop.handle_return(simulator.buyer.return_to_merchant(session_id))


def test_a_refused_payment_method_shows_on_the_buyers_page_and_queues_one_mail(simulator: Simulator) -> None:
    shop = ExampleShopAdapter.for_simulator(simulator)
    checked_out(simulator, shop, "order-A", CheckoutRequest(Money.of(5000), PaymentIntent.CONFIRM))
    record = shop.order("order-A")
    assert record is not None and record.charge_permission_id is not None
    simulator.amazon.decline_next_authorization(record.charge_permission_id, ReasonCode.HARD_DECLINED)
    shop.charge("order-A", Money.of(5000))
    shop.reconcile()  # reads the NonChargeable permission again: no second mail
    page = shop.web.get("/mypage/orders/order-A").get_data(as_text=True)
    assert 'id="update-payment-method"' in page
    with shop.shop.db.sessions() as session:
        mails = session.query(Mail).all()
        assert [(mail.kind, mail.subject) for mail in mails] == [
            ("update-payment-method", "【Example Shop】お支払い方法の更新のお願い (order-A)")]


def test_the_monthly_billing_job_charges_a_subscription_on_its_day_only(simulator: Simulator) -> None:
    shop = ExampleShopAdapter.for_simulator(simulator)
    checked_out(simulator, shop, "sub-1", CheckoutRequest(Money.of(3000), recurring=True))
    shop.capture("sub-1")  # the first month ships
    first = shop.order("sub-1")
    assert first is not None
    simulator.advance(timedelta(days=30))  # 2026-02-04: the day is the 5th
    assert bill_subscriptions(shop.shop.payments) == []
    simulator.advance(timedelta(days=1))
    assert bill_subscriptions(shop.shop.payments) == ["sub-1"]
    assert bill_subscriptions(shop.shop.payments) == []  # not twice in a month
    record = shop.order("sub-1")
    assert record is not None and record.status == "captured" and record.charge_id != first.charge_id
    assert record.errors == []


def test_orders_live_in_the_database_the_url_names(tmp_path: Path, simulator: Simulator) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    shop = ExampleShopAdapter.for_simulator(simulator, database_url=url)
    checked_out(simulator, shop, "order-A", CheckoutRequest(Money.of(5000)))
    shop.shop.db.dispose()
    again = Database(url)
    with again.sessions() as session:
        row = session.query(Order).filter_by(reference="order-A").one()
        assert (row.state, row.total) == ("awaiting_shipment", 5000)
    again.dispose()


def test_the_back_office_refuses_what_the_order_cannot_do(simulator: Simulator) -> None:
    shop = ExampleShopAdapter.for_simulator(simulator)
    shop.start_checkout("order-A", CheckoutRequest(Money.of(5000)))
    answer = shop.web.post("/admin/orders/order-A/refund", json={"amount": 100})
    assert answer.status_code == 409
    assert answer.get_json() == {"error": "NotPossible",
                                 "message": "order order-A has no charge to refund (it is checkout)"}
    missing = shop.web.post("/admin/orders/order-Z/ship", json={})
    assert (missing.status_code, missing.get_json()["error"]) == (404, "UnknownOrder")
    assert shop.web.post("/admin/orders/order-A/refund", json={}).status_code == 400
    assert shop.web.get("/checkout/result?order=order-A").status_code == 400  # no amazonCheckoutSessionId
