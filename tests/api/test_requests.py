"""requests reaches the simulator in-process like httpx does, and nothing for Amazon leaves the process.

Tested with a real requests-based client from PyPI (`amazonpayclient`) and plain `requests`, with
the network blocked: a socket to any non-loopback address, or a name lookup other than localhost,
fails the test.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from AmazonPay.client import Client as PyPiAmazonPayClient
from respx.models import AllMockedAssertionError

from harness.api.handler import UnroutedRequestWarning
from harness.api.signer import sign_request
from harness.simulator import Simulator

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on any connection or name lookup beyond this machine."""
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            raise AssertionError(f"the test tried to connect to {address}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK:
            raise AssertionError(f"the test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def local_service() -> Iterator[str]:
    """A shop's own service on 127.0.0.1 (an inventory API), serving one JSON document."""
    class Inventory(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"sku": "A-1", "stock": 3}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Inventory)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stock/A-1"
    server.shutdown()
    server.server_close()
    thread.join(5)


def signed(sim: Simulator, method: str, url: str) -> dict[str, str]:
    return sign_request(method, url, public_key_id=sim.key_pair.public_key_id,
                        private_key=sim.key_pair.private_key, region="jp", now=sim.now())


@pytest.mark.usefixtures("no_network")
def test_a_requests_shop_on_the_pypi_client_checks_out_captures_and_refunds(
        amazon_pay_simulator: Simulator, tmp_path: Path) -> None:
    sim = amazon_pay_simulator
    key_file = tmp_path / "private.pem"
    key_file.write_text(sim.key_pair.private_key_pem, encoding="utf-8")
    client = PyPiAmazonPayClient(sim.key_pair.public_key_id, str(key_file), "jp", sandbox=True)
    web = {"checkoutReviewReturnUrl": "https://shop.example/review",
           "checkoutResultReturnUrl": "https://shop.example/result"}
    created = client.create_checkout_session({"webCheckoutDetails": web, "storeId": sim.ids.store_id()})
    assert created.status_code == 201, created.text
    session_id = created.json()["checkoutSessionId"]
    yen = {"amount": "5000", "currencyCode": "JPY"}
    updated = client.update_checkout_session(session_id, {"paymentDetails": {
        "paymentIntent": "Authorize", "chargeAmount": yen}})
    assert updated.status_code == 200, updated.text
    sim.buyer.sign_in(session_id)
    sim.buyer.approve(session_id, card="1111")
    completed = client.complete_checkout_session(session_id, {"chargeAmount": yen})
    assert completed.status_code == 200, completed.text
    charge_id = completed.json()["chargeId"]
    captured = client.capture_charge(charge_id, {"captureAmount": yen})
    assert captured.json()["statusDetails"]["state"] == "Captured", captured.text
    refunded = client.create_refund({"chargeId": charge_id, "refundAmount": {"amount": "1000",
                                                                             "currencyCode": "JPY"}})
    assert refunded.status_code == 201, refunded.text
    row = sim.seller_central.rows()[0]
    assert (row.status, str(row.captured)) == ("Closed", "¥5,000")


@pytest.mark.usefixtures("no_network")
def test_plain_requests_gets_amazons_answers_and_errors(amazon_pay_simulator: Simulator) -> None:
    url = "https://pay-api.amazon.jp/v2/buyers/token"
    response = requests.get(url, headers=signed(amazon_pay_simulator, "GET", url), timeout=5)
    assert response.status_code == 200
    assert response.json()["buyerId"] == amazon_pay_simulator.buyer.default.buyer_id
    unsigned = requests.get(url, timeout=5)
    assert unsigned.status_code == 400
    assert unsigned.json()["reasonCode"] == "MissingHeader"


@pytest.mark.usefixtures("no_network")
def test_a_planned_timeout_is_a_requests_read_timeout(amazon_pay_simulator: Simulator) -> None:
    amazon_pay_simulator.faults.timeout("getBuyer")
    url = "https://pay-api.amazon.jp/v2/buyers/token"
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, headers=signed(amazon_pay_simulator, "GET", url), timeout=5)


@pytest.mark.usefixtures("no_network")
def test_a_lookalike_host_fails_like_an_unknown_host_naming_the_right_one(
        amazon_pay_simulator: Simulator) -> None:
    with (pytest.warns(UnroutedRequestWarning),
          pytest.raises(requests.ConnectionError, match=r"did you mean pay-api\.amazon\.jp")):
        requests.get("https://pay-api.amazon.co.jp/v2/buyers/token", timeout=5)


def test_other_hosts_pass_through_by_default(local_service: str) -> None:
    with Simulator().mock():
        assert requests.get(local_service, timeout=5).json() == {"sku": "A-1", "stock": 3}
        assert httpx.get(local_service).json() == {"sku": "A-1", "stock": 3}


def test_after_a_mount_every_host_is_reached_as_without_it(local_service: str) -> None:
    with Simulator().mock(other_hosts="block"):
        pass
    assert requests.get(local_service, timeout=5).json() == {"sku": "A-1", "stock": 3}
    assert httpx.get(local_service).json() == {"sku": "A-1", "stock": 3}


def test_other_hosts_are_refused_when_asked(local_service: str) -> None:
    with Simulator().mock(other_hosts="block"):
        with pytest.raises(requests.ConnectionError):
            requests.get(local_service, timeout=5)
        with pytest.raises(AllMockedAssertionError):
            httpx.get(local_service)


def test_the_mock_can_be_entered_again_and_nested() -> None:
    sim = Simulator()
    mock = sim.mock()
    url = "https://pay-api.amazon.jp/v2/buyers/token"
    for _ in range(2):
        with mock, mock:
            assert requests.get(url, timeout=5).status_code == 400  # unsigned: answered by the simulator
    with pytest.raises(ValueError, match="other_hosts is 'pass' or 'block'"):
        sim.mock(other_hosts="drop")  # type: ignore[arg-type]


@pytest.mark.usefixtures("no_network")
def test_the_network_guard_catches_a_request_that_would_leave() -> None:
    with pytest.raises(AssertionError, match=r"tried to look up pay-api\.amazon\.jp"):
        requests.get("https://pay-api.amazon.jp/v2/buyers/token", timeout=5)  # no simulator active
