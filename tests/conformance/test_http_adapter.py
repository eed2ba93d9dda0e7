"""The HTTP merchant adapter's side of the contract: what it sends, and each answer it refuses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from harness.amazon_pay.states import PaymentIntent
from harness.merchant.adapter import CheckoutRequest, ReceivedError
from harness.merchant.http import HttpMerchant, ShopError, ShopRefusedError
from harness.money import Money

BASE = "http://127.0.0.1:3000/harness"
JST = timezone(timedelta(hours=9))
SANDBOX_SETTLEMENT = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_"
Answer = Callable[[httpx.Request], httpx.Response]


def shop(answer: Answer, seen: list[httpx.Request] | None = None) -> HttpMerchant:
    """An adapter whose shop is `answer` (httpx's own mock transport; no socket)."""
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return answer(request)
    return HttpMerchant(BASE, httpx.Client(transport=httpx.MockTransport(handle)))


def test_start_checkout_sends_every_detail_and_reads_the_session_id() -> None:
    seen: list[httpx.Request] = []
    merchant = shop(lambda _: httpx.Response(200, json={"checkoutSessionId": "cs-1"}), seen)
    request = CheckoutRequest(Money.of(5000), PaymentIntent.CONFIRM, Money.of(8000), allow_overcharge=True,
                              recurring=True)
    assert merchant.start_checkout("order A", request) == "cs-1"
    assert (seen[0].method, str(seen[0].url)) == ("POST", f"{BASE}/checkouts")
    assert json.loads(seen[0].content) == {
        "orderId": "order A", "amount": {"amount": "5000", "currencyCode": "JPY"}, "paymentIntent": "Confirm",
        "totalOrderAmount": {"amount": "8000", "currencyCode": "JPY"}, "allowOvercharge": True,
        "extendExpiration": False, "recurring": True, "canHandlePendingAuthorization": False}


def test_actions_go_to_the_order_path_with_their_amounts() -> None:
    seen: list[httpx.Request] = []
    merchant = shop(lambda _: httpx.Response(200, json={}), seen)
    merchant.capture("order A")
    merchant.refund("order A", Money.of(100))
    merchant.reconcile()
    assert [(str(r.url), json.loads(r.content)) for r in seen] == [
        (f"{BASE}/orders/order%20A/capture", {"amount": None}),
        (f"{BASE}/orders/order%20A/refund", {"amount": {"amount": "100", "currencyCode": "JPY"}}),
        (f"{BASE}/reconcile", {})]


def test_the_order_record_is_read_and_a_missing_one_is_none() -> None:
    record = {"orderId": "order-A", "status": "captured", "checkoutSessionId": "cs",
              "chargePermissionId": "cp", "chargeId": None,
              "errors": [{"operation": "createRefund", "status": 400,
                          "reasonCode": "TransactionAmountExceeded",
                          "message": "m"}]}
    merchant = shop(lambda r: httpx.Response(200, json=record) if r.url.path.endswith("/order-A")
                    else httpx.Response(404, json={"error": "UnknownOrder", "message": "no"}))
    order = merchant.order("order-A")
    assert order is not None
    assert (order.status, order.charge_permission_id, order.charge_id) == ("captured", "cp", None)
    assert order.errors == [ReceivedError("createRefund", 400, "TransactionAmountExceeded", "m")]
    assert merchant.order("order-B") is None


@pytest.mark.parametrize(("answer", "error", "says"), [
    (httpx.Response(409, json={"error": "NotPossible", "message": "no charge to refund"}), ShopRefusedError,
     "answered POST .*/orders/order-A/refund with 409: no charge to refund"),
    (httpx.Response(500, text="boom"), ShopError, "with 500: boom"),
    (httpx.Response(200, text="<html>"), ShopError, "must answer a JSON object"),
])
def test_a_refusal_or_a_broken_answer_names_the_call(answer: httpx.Response, error: type[Exception],
                                                      says: str) -> None:
    with pytest.raises(error, match=says):
        shop(lambda _: answer).refund("order-A", Money.of(100))


@pytest.mark.parametrize(("record", "says"), [
    ({"orderId": "order-A", "status": "paid"}, "status 'paid' is none of pending, confirmed"),
    ({"orderId": "order-A", "status": "pending", "errors": [{"status": "422"}]}, "status \\(a number\\)"),
    ({"status": "pending"}, "'orderId' must be a string"),
])
def test_a_record_outside_the_contract_is_refused(record: dict[str, object], says: str) -> None:
    with pytest.raises(ShopError, match=says):
        shop(lambda _: httpx.Response(200, json=record)).order("order-A")


def test_a_result_page_that_fails_fails_the_return() -> None:
    merchant = shop(lambda _: httpx.Response(500, text="stack trace"))
    with pytest.raises(ShopError, match=r"return URL .*result.* answered 500: stack trace"):
        merchant.handle_return("http://127.0.0.1:3000/checkout/result?amazonCheckoutSessionId=cs")


def test_a_notification_is_posted_as_it_is_and_the_shops_status_is_the_answer() -> None:
    seen: list[httpx.Request] = []
    merchant = shop(lambda _: httpx.Response(503), seen)
    headers = {"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification"}
    assert merchant.receive_notification('{"Type": "Notification"}', headers) == 503
    assert (seen[0].method, str(seen[0].url)) == ("POST", f"{BASE}/notifications")
    assert seen[0].content == b'{"Type": "Notification"}'
    assert seen[0].headers["x-amz-sns-message-type"] == "Notification"
    assert seen[0].headers["content-type"] == "text/plain; charset=UTF-8"
    elsewhere = HttpMerchant(BASE, httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200 if request.url.path == "/ipn" else 404))),
        ipn_url="http://127.0.0.1:3000/ipn")
    assert elsewhere.receive_notification("{}", {}) == 200


def test_a_shop_that_does_not_answer_a_notification_raises_a_failed_delivery() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)
    with pytest.raises(httpx.ConnectError):
        shop(refuse).receive_notification("{}", {})


# --- the button flow -----------------------------------------------------------------------------

def test_render_button_posts_the_checkout_and_reads_the_config() -> None:
    seen: list[httpx.Request] = []
    config = {"payloadJSON": '{"storeId":"s"}', "signature": "c2ln", "publicKeyId": "SANDBOX-K",
              "algorithm": "AMZN-PAY-RSASSA-PSS-V2"}
    merchant = shop(lambda _: httpx.Response(200, json=config), seen)
    button = merchant.render_button("order A", CheckoutRequest(Money.of(5000)))
    assert (seen[0].method, str(seen[0].url)) == ("POST", f"{BASE}/buttons")
    assert json.loads(seen[0].content)["amount"] == {"amount": "5000", "currencyCode": "JPY"}
    assert (button.payload_json, button.signature, button.public_key_id, button.algorithm) == (
        '{"storeId":"s"}', "c2ln", "SANDBOX-K", "AMZN-PAY-RSASSA-PSS-V2")


def test_a_button_config_without_its_signature_is_refused() -> None:
    merchant = shop(lambda _: httpx.Response(200, json={"payloadJSON": "{}", "publicKeyId": "K"}))
    with pytest.raises(ShopError, match="'signature' must be a string"):
        merchant.render_button("order-A", CheckoutRequest(Money.of(5000)))


def test_the_review_page_redirect_is_the_amazon_pay_redirect_url() -> None:
    target = "https://payments.amazon.co.jp/checkout/processing?amazonCheckoutSessionId=cs"
    merchant = shop(lambda _: httpx.Response(303, headers={"location": target}))
    assert merchant.handle_review("http://127.0.0.1:3000/review?amazonCheckoutSessionId=cs") == target


def test_a_review_page_that_stays_means_amazon_refused_and_one_that_fails_is_a_broken_shop() -> None:
    url = "http://127.0.0.1:3000/review?amazonCheckoutSessionId=cs"
    assert shop(lambda _: httpx.Response(200, text="<p>sorry</p>")).handle_review(url) is None
    with pytest.raises(ShopError, match=r"review URL .*review.* answered 500: boom"):
        shop(lambda _: httpx.Response(500, text="boom")).handle_review(url)


# --- reports (optional calls) --------------------------------------------------------------------

def test_report_calls_send_the_range_and_read_the_id_and_the_file() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json={"reportId": "A1"})
        return httpx.Response(200, json={"content": '"SellerId"\r\n'})
    merchant = shop(answer, seen)
    start, end = datetime(2026, 1, 1, tzinfo=JST), datetime(2026, 2, 1, tzinfo=JST)
    assert merchant.request_report(SANDBOX_SETTLEMENT, start, end) == "A1"
    assert merchant.download_report("A1") == '"SellerId"\r\n'
    assert (seen[0].method, str(seen[0].url), json.loads(seen[0].content)) == (
        "POST", f"{BASE}/reports", {"reportType": SANDBOX_SETTLEMENT,
                                    "startTime": "2025-12-31T15:00:00+00:00",
                                    "endTime": "2026-01-31T15:00:00+00:00"})
    assert (seen[1].method, str(seen[1].url)) == ("GET", f"{BASE}/reports/A1")


def test_report_calls_read_null_as_none_and_a_shop_without_them_is_named() -> None:
    merchant = shop(lambda _: httpx.Response(200, json={"reportId": None, "content": None}))
    day = datetime(2026, 1, 1, tzinfo=JST)
    assert merchant.request_report("x", day, day + timedelta(days=1)) is None
    assert merchant.download_report("A1") is None
    missing = shop(lambda _: httpx.Response(404, json={"message": "no such call"}))
    with pytest.raises(ShopRefusedError, match=re.escape(f"GET {BASE}/reports/A1 with 404")):
        missing.download_report("A1")
