"""harness serve's pages over HTTP, as a browser posts their forms: the checkout page's three choices,
Seller Central's operations and clock, refusals, bad requests; and where amazonPayRedirectUrl points."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness import Money, Simulator
from harness.amazon_pay import PaymentDetails, PaymentIntent, WebCheckoutDetails
from harness.api import json_out
from harness.server import RunningServer
from tests.server.conftest import TIMEOUT, control
from tests.server.pages import Shop, running_shop


@pytest.fixture
def shop(server: RunningServer) -> Iterator[Shop]:
    with running_shop(server) as shop:
        yield shop


@pytest.fixture
def browser_like() -> Iterator[httpx.Client]:
    """An HTTP client that, like a browser, posts forms; redirects are looked at, not followed."""
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as http:
        yield http


def _transactions(server: RunningServer) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = control(server, "GET", "transactions").json()["transactions"]
    return rows


def test_the_redirect_url_is_the_servers_checkout_page(server: RunningServer, shop: Shop) -> None:
    url = shop.start_checkout(server)
    session_id = url.rsplit("/", 1)[1]
    assert url == f"{server.base_url}/checkout/{session_id}"


def test_in_process_the_redirect_url_stays_amazons() -> None:
    sim = Simulator()
    session = sim.api.create_checkout_session(WebCheckoutDetails("https://shop.example/review"))
    sim.buyer.sign_in(session.id)
    sim.api.update_checkout_session(
        session.id, web=WebCheckoutDetails("https://shop.example/review", "https://shop.example/result"),
        payment=PaymentDetails(PaymentIntent.AUTHORIZE, charge_amount=Money.of(5000)))
    body = json_out.checkout_session(session, sim.ledger)
    assert body["webCheckoutDetails"] == {
        **body["webCheckoutDetails"],  # type: ignore[dict-item]
        "amazonPayRedirectUrl": "https://payments.amazon.co.jp/checkout/processing"
                                f"?amazonCheckoutSessionId={session.id}"}


def test_approve_redirects_to_the_result_url_and_the_shop_completes(
        server: RunningServer, shop: Shop, browser_like: httpx.Client) -> None:
    url = shop.start_checkout(server)
    page = browser_like.get(url)
    assert page.status_code == 200 and "¥5,000" in page.text and "****0701" in page.text
    answer = browser_like.post(url, data={"choice": "approve", "card": "1111"})
    session_id = url.rsplit("/", 1)[1]
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{shop.base_url}/result?amazonCheckoutSessionId={session_id}"
    assert "thank you" in browser_like.get(answer.headers["location"]).text
    assert [row["status"] for row in _transactions(server)] == ["Open"]


def test_drop_off_shows_that_the_buyer_left_and_does_not_redirect(
        server: RunningServer, shop: Shop, browser_like: httpx.Client) -> None:
    url = shop.start_checkout(server)
    answer = browser_like.post(url, data={"choice": "drop-off", "card": "1111"})
    assert answer.status_code == 200 and "location" not in answer.headers
    assert "The buyer left Amazon&#39;s page" in answer.text
    assert shop.completed == {}
    assert [row["status"] for row in _transactions(server)] == ["Open"]
    control(server, "POST", "wait/for", {"duration": "24 hours"})
    assert [row["status"] for row in _transactions(server)] == ["Canceled"]


def test_cancel_returns_the_buyer_and_the_shop_sees_the_session_canceled(
        server: RunningServer, shop: Shop, browser_like: httpx.Client) -> None:
    url = shop.start_checkout(server)
    answer = browser_like.post(url, data={"choice": "cancel"})
    assert answer.status_code == 303
    assert "payment failed: InvalidCheckoutSessionStatus" in browser_like.get(answer.headers["location"]).text
    assert _transactions(server) == []


def test_a_card_the_session_cannot_take_is_refused_on_the_page(
        server: RunningServer, shop: Shop, browser_like: httpx.Client) -> None:
    url = shop.start_checkout(server)
    answer = browser_like.post(url, data={"choice": "approve", "card": "0701"})
    assert answer.status_code == 409
    assert "canHandlePendingAuthorization=true" in answer.text
    assert browser_like.post(url, data={"choice": "pay"}).status_code == 400
    assert browser_like.get(f"{server.base_url}/checkout/no-such-session").status_code == 404


def _approved(server: RunningServer, shop: Shop, http: httpx.Client) -> str:
    url = shop.start_checkout(server)
    http.get(http.post(url, data={"choice": "approve", "card": "1111"}).headers["location"])
    (reference_id,) = shop.completed.values()
    return reference_id


def test_seller_central_operations_and_the_clock(server: RunningServer, shop: Shop,
                                                 browser_like: httpx.Client) -> None:
    reference_id = _approved(server, shop, browser_like)
    page = f"{server.base_url}/seller-central"
    listed = browser_like.get(page)
    assert reference_id in listed.text and "2026-01-05 09:00:00 JST" in listed.text
    refused = browser_like.post(f"{page}/refund", data={"referenceId": reference_id, "amount": "1,000円"})
    assert refused.status_code == 422
    assert "InvalidChargeStatus" in refused.text and 'role="alert"' in refused.text
    captured = browser_like.post(f"{page}/capture", data={"referenceId": reference_id, "amount": "5,000円",
                                                         "status": "Open"})
    assert captured.status_code == 303
    assert captured.headers["location"] == (f"/seller-central?done=capture&referenceId={reference_id}"
                                            "&status=Open")
    assert reference_id not in browser_like.get(page, params={"status": "Open"}).text
    assert reference_id in browser_like.get(page, params={"status": "Closed"}).text
    assert browser_like.post(f"{page}/refund", data={"referenceId": reference_id,
                                                     "amount": "1000 JPY"}).status_code == 303
    moved = browser_like.post(f"{page}/clock", data={"duration": "1 day"})
    assert moved.status_code == 303
    assert "2026-01-06 09:00:00 JST" in browser_like.get(page).text
    (row,) = _transactions(server)
    assert (row["status"], row["captured"], row["refunded"]) == (
        "Closed", {"amount": "5000", "currencyCode": "JPY"}, {"amount": "1000", "currencyCode": "JPY"})


def test_bad_form_posts_say_what_is_wrong(server: RunningServer, browser_like: httpx.Client) -> None:
    page = f"{server.base_url}/seller-central"
    unknown = browser_like.post(f"{page}/capture", data={"referenceId": "S03-0000000-0000000"})
    assert unknown.status_code == 409 and "shows no transaction &#39;S03-0000000-0000000&#39;" in unknown.text
    bad_amount = browser_like.post(f"{page}/refund", data={"referenceId": "x", "amount": "lots"})
    assert bad_amount.status_code == 400 and "amount" in bad_amount.text
    assert browser_like.post(f"{page}/clock", data={"duration": "soon"}).status_code == 400
    assert browser_like.post(f"{page}/delete", data={}).status_code == 404
    assert browser_like.put(page).status_code == 405
    assert browser_like.get(f"{server.base_url}/").headers["location"] == "/seller-central"
