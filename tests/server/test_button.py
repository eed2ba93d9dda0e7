"""Amazon Pay's button over the wire: a shop signs its createCheckoutSessionConfig, the buyer's click goes
to a real `harness serve`, and the standard flow runs from the review redirect to the completed checkout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from harness.api.canonical import Algorithm
from harness.merchant.client import AmazonPayClient
from harness.server import RunningServer, ServeOptions, start_in_thread
from tests.server.conftest import TIMEOUT, control, merchant

STORE = "amzn1.application-oa2-client.shop"
REVIEW = "https://shop.example/checkout/review?order=A"


@pytest.fixture(autouse=True)
def shop_server(server_options: ServeOptions) -> ServeOptions:
    """The server knows the shop's own storeId (`harness serve --store-id`)."""
    server_options.store_id = STORE
    return server_options


@pytest.fixture
def shop(server: RunningServer) -> Iterator[AmazonPayClient]:
    with httpx.Client(timeout=TIMEOUT) as http:
        yield merchant(http, server.base_url)


def config(shop: AmazonPayClient, store_id: str = STORE) -> dict[str, str]:
    """What the shop's cart page renders the button with (the SDKs' generateButtonSignature)."""
    payload = json.dumps({"webCheckoutDetails": {"checkoutReviewReturnUrl": REVIEW}, "storeId": store_id,
                          "scopes": ["name", "email", "shippingAddress"]}, separators=(",", ":"))
    return {"payloadJSON": payload, "signature": shop.generate_button_signature(payload),
            "publicKeyId": shop.public_key_id, "algorithm": shop.algorithm.value}


def click(server: RunningServer, button: dict[str, str]) -> httpx.Response:
    return control(server, "POST", "buyer/click-button", button)


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_the_standard_flow_from_the_click_to_the_completed_checkout(server: RunningServer,
                                                                   shop: AmazonPayClient,
                                                                   algorithm: Algorithm) -> None:
    shop.algorithm = algorithm
    control(server, "POST", "buyer/address-in", {"prefecture": "北海道"}).raise_for_status()
    answer = click(server, config(shop))
    assert answer.status_code == 200, answer.text
    session_id = answer.json()["checkoutSessionId"]
    assert answer.json()["redirectUrl"] == f"{REVIEW}&amazonCheckoutSessionId={session_id}"
    # the review page: the buyer's address, the total with shipping, Update Checkout Session
    session = shop.get_checkout_session(session_id)
    assert (session["storeId"], session["shippingAddress"]["stateOrRegion"]) == (STORE, "北海道")
    assert [c["constraintId"] for c in session["constraints"]] == ["ChargeAmountNotSet",
                                                                   "CheckoutResultReturnUrlNotSet",
                                                                   "PaymentIntentNotSet"]
    updated = shop.update_checkout_session(session_id, {
        "webCheckoutDetails": {"checkoutResultReturnUrl": "https://shop.example/checkout/result?order=A"},
        "paymentDetails": {"paymentIntent": "Authorize",
                           "chargeAmount": {"amount": "6000", "currencyCode": "JPY"}}})
    assert updated["webCheckoutDetails"]["amazonPayRedirectUrl"] == f"{server.base_url}/checkout/{session_id}"
    control(server, "POST", "buyer/pay", {"checkoutSessionId": session_id}).raise_for_status()
    back = control(server, "POST", "buyer/return", {"checkoutSessionId": session_id}).json()["redirectUrl"]
    assert parse_qs(urlsplit(back).query)["amazonCheckoutSessionId"] == [session_id]
    shop.complete_checkout_session(session_id, {"chargeAmount": {"amount": "6000", "currencyCode": "JPY"}})
    rows = control(server, "GET", "transactions").json()["transactions"]
    assert [(row["status"], row["authorized"]["amount"]) for row in rows] == [("Open", "6000")]


def _refused(server: RunningServer, button: dict[str, str]) -> dict[str, str]:
    answer = click(server, button)
    assert answer.status_code == 400, answer.text
    assert control(server, "GET", "transactions").json()["transactions"] == []
    assert "created Checkout Session" not in control(server, "GET", "timeline").json()["text"]
    body: dict[str, str] = answer.json()
    return body


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_a_tampered_payload_is_refused_with_the_signature_error(server: RunningServer, shop: AmazonPayClient,
                                                                algorithm: Algorithm) -> None:
    shop.algorithm = algorithm
    button = config(shop)
    button["payloadJSON"] = button["payloadJSON"].replace("order=A", "order=B")
    error = _refused(server, button)
    assert error["error"] == "InvalidSignatureError"
    assert f"does not match signedString {algorithm.value} " in error["message"]


def test_a_signature_under_the_other_algorithm_is_refused(server: RunningServer,
                                                          shop: AmazonPayClient) -> None:
    button = config(shop)  # signed with the original algorithm, declared as V2
    assert _refused(server, {**button, "algorithm": Algorithm.V2.value})["error"] == "InvalidSignatureError"


def test_the_wrong_key_id_is_refused(server: RunningServer, shop: AmazonPayClient) -> None:
    error = _refused(server, {**config(shop), "publicKeyId": "SANDBOX-NOT-REGISTERED"})
    assert error == {"error": "InvalidSignatureError",
                     "message": "No public key is registered under publicKeyId 'SANDBOX-NOT-REGISTERED' "
                                "for Sandbox."}


def test_a_payload_for_another_store_is_refused(server: RunningServer, shop: AmazonPayClient) -> None:
    error = _refused(server, config(shop, "amzn1.application-oa2-client.other"))
    assert error["error"] == "InvalidParameterValue"
    assert "'storeId'" in error["message"]


def test_a_click_without_its_signature_is_a_bad_control_call(server: RunningServer,
                                                              shop: AmazonPayClient) -> None:
    button = config(shop)
    del button["signature"]
    answer = click(server, button)
    assert (answer.status_code, answer.json()["error"]) == (400, "MissingField")
    assert "signature" in answer.json()["message"]


def test_a_click_is_saved_with_the_state_and_replayed(server_options: ServeOptions, tmp_path: Path) -> None:
    options = replace(server_options, state=tmp_path / "state.json")
    with start_in_thread(options) as first, httpx.Client(timeout=TIMEOUT) as http:
        session_id = click(first, config(merchant(http, first.base_url))).json()["checkoutSessionId"]
    with start_in_thread(options) as second, httpx.Client(timeout=TIMEOUT) as http:
        session = merchant(http, second.base_url).get_checkout_session(session_id)
        assert (session["storeId"], session["buyer"] is not None) == (STORE, True)
