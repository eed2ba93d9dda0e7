"""A real `harness serve` on an ephemeral 127.0.0.1 port, in a thread, and a merchant client for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.api.keys import test_key_pair
from harness.ids import Environment
from harness.merchant.client import AmazonPayClient
from harness.server import PublicKey, RunningServer, ServeOptions, start_in_thread
from harness.server.served import wall_clock

START = datetime(2026, 1, 5, tzinfo=UTC)
YEN_5000 = {"amount": "5000", "currencyCode": "JPY"}
TIMEOUT = 10.0
"""Seconds any client call may take before the test fails instead of hanging."""


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CA directory for the session (the CA is created once, as for a user)."""
    return tmp_path_factory.mktemp("ca")


@pytest.fixture
def server_options(ca_dir: Path) -> ServeOptions:
    """What the `server` fixture starts with; a test may change it before asking for `server`."""
    key = PublicKey("SANDBOX-TESTKEY", Environment.SANDBOX, test_key_pair().public_key_pem)
    return ServeOptions(ca_dir=ca_dir, port=0, start=START, public_keys=[key])


@pytest.fixture
def server(server_options: ServeOptions) -> Iterator[RunningServer]:
    """The server, stopped (and its state saved, if any) after the test."""
    with start_in_thread(server_options) as running:
        yield running


def real_now() -> datetime:
    """The real time, also while another test of this process left merchant time (freezegun) running
    (the server's modules keep real time, `harness.pytest_plugin.SERVER_CLOCKS`)."""
    return wall_clock()


def merchant(http: httpx.Client, base_url: str | None = None) -> AmazonPayClient:
    """The reference signing client with the server's test key; `base_url` overrides Amazon's host."""
    client = AmazonPayClient("SANDBOX-TESTKEY", test_key_pair().private_key, http=http, now=real_now)
    if base_url is not None:
        client.base_url = f"{base_url}/v2/"
    return client


def create_session(client: AmazonPayClient) -> dict[str, Any]:
    """A Checkout Session ready for the buyer (amount, intent and return URLs set)."""
    return client.create_checkout_session({
        "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review",
                               "checkoutResultReturnUrl": "https://shop.example/result"},
        "storeId": "amzn1.application-oa2-client.test",
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": YEN_5000}})


def control(server: RunningServer, method: str, path: str, body: object = None) -> httpx.Response:
    """A control call to the server."""
    return httpx.request(method, f"{server.base_url}/_harness/{path}", json=body, timeout=TIMEOUT)
