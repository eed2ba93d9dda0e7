"""The PyPI `amazonpayclient` (on requests), unmodified, runs a whole checkout against `harness serve`.

It reaches the server as it would reach Amazon: `HTTPS_PROXY` makes requests open a `CONNECT
pay-api.amazon.jp:443` tunnel, and `REQUESTS_CA_BUNDLE` makes it trust the server's generated CA
(README "Any language: the local Amazon Pay server"). The buyer and the operator act through the
control API, as a test of a shop in another process does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from AmazonPay import Client

from harness.api.keys import test_key_pair
from harness.server import RunningServer
from tests.server.conftest import YEN_5000, control


@pytest.fixture
def client(server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Client:
    """The client with the server's test key, its requests sent through the server as HTTPS proxy."""
    monkeypatch.setenv("HTTPS_PROXY", server.base_url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_path))
    monkeypatch.setenv("NO_PROXY", "")
    key = tmp_path / "private.pem"
    key.write_text(test_key_pair().private_key_pem, encoding="ascii")  # the client reads a key file
    return Client("SANDBOX-TESTKEY", str(key), "jp", sandbox=True)


def _ok(response: requests.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_checkout_capture_and_refund_through_the_proxy(server: RunningServer, client: Client) -> None:
    session = _ok(client.create_checkout_session({
        "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review",
                               "checkoutResultReturnUrl": "https://shop.example/result"},
        "storeId": "amzn1.application-oa2-client.test",
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": YEN_5000}}))
    session_id = session["checkoutSessionId"]
    assert control(server, "POST", "buyer/pay", {"checkoutSessionId": session_id}).status_code == 200
    redirect = control(server, "POST", "buyer/return", {"checkoutSessionId": session_id}).json()
    assert redirect["redirectUrl"] == f"https://shop.example/result?amazonCheckoutSessionId={session_id}"
    completed = _ok(client.complete_checkout_session(session_id, {"chargeAmount": YEN_5000}))
    charge_id = completed["chargeId"]
    assert _ok(client.get_charge(charge_id))["statusDetails"]["state"] == "Authorized"
    captured = _ok(client.capture_charge(charge_id, {"captureAmount": YEN_5000}))
    assert captured["statusDetails"]["state"] == "Captured"
    refund = _ok(client.create_refund({"chargeId": charge_id,
                                       "refundAmount": {"amount": "1000", "currencyCode": "JPY"}}))
    assert refund["statusDetails"]["state"] == "RefundInitiated"
    row = control(server, "GET", "transactions").json()["transactions"][0]
    assert (row["referenceId"], row["status"]) == (completed["chargePermissionId"], "Closed")
    assert row["captured"] == YEN_5000


def test_a_request_signed_with_another_key_is_refused_with_amazons_error(
        server: RunningServer, client: Client) -> None:
    client.setup("SANDBOX-UNKNOWN", client.private_key, "jp", sandbox=True)
    response = client.get_checkout_session("none")
    assert (response.status_code, response.json()["reasonCode"]) == (403, "InvalidRequestSignature")
