"""The official Node SDK, unmodified, in a small shop driven over HTTP: every shipped scenario passes.

Each run starts examples/node-shop (on `@amazonpay/amazon-pay-api-sdk-nodejs`, pinned by its
package-lock.json) with one signature algorithm and `HTTPS_PROXY` pointing at the port the inner
pytest run serves its simulator on, then runs `pytest features/ scenarios/
--amazon-pay-merchant=http://.../harness` in a subprocess, as a shop's CI would. The features hold
OneTime and Recurring checkouts; the Japanese features run too, scenario for scenario. A third run
sends every checkout through Amazon Pay's button, signed by the SDK's `generateButtonSignature`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.capabilities import BUTTON_FLOW_UNSUPPORTED
from harness.merchant.adapter import CheckoutRequest
from harness.merchant.http import HttpMerchant, ShopError, ShopRefusedError
from harness.money import Money
from harness.server.following import following_server
from harness.simulator import Simulator
from tests.builders import approved_checkout
from tests.conformance.node_shop import ROOT, free_port, node_shop

ALGORITHMS = ("AMZN-PAY-RSASSA-PSS", "AMZN-PAY-RSASSA-PSS-V2")
SUITES = ("features", "scenarios")
DESELECTED: dict[str, str] = {}
"""Scenarios the Node shop does not support (a -k expression each, and why)."""
RUN_TIMEOUT = 600.0


def _pytest(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q", *SUITES,
               *arguments]
    if DESELECTED:
        command += ["-k", " and ".join(f"not ({expression})" for expression in DESELECTED)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)


def _collected(*arguments: str) -> list[str]:
    """The test ids the same selection holds with the built-in merchant."""
    result = _pytest("--collect-only", *arguments)
    return [line for line in result.stdout.splitlines() if "::" in line]


@pytest.mark.parametrize(("algorithm", "flow"), [(ALGORITHMS[0], "session"), (ALGORITHMS[1], "session"),
                                               (ALGORITHMS[1], "button")])
def test_every_shipped_scenario_passes_against_the_node_sdk(algorithm: str, flow: str,
                                                             tmp_path: Path) -> None:
    """The session flow with both algorithms; then every checkout through the SDK-signed button (the
    button scenarios use the button in every run, with the algorithm of the run)."""
    expected = _collected()
    assert len(expected) > 200
    assert any("recurring" in test for test in expected) and any("onetime" in test for test in expected)
    assert any("button" in test for test in expected)
    assert any("notification" in test for test in expected) and any("retried" in test for test in expected)
    assert any("settlement_report" in test for test in expected)
    port = free_port()
    with node_shop(port, algorithm) as shop:
        assert f"(algorithm {algorithm})" in shop.banner
        result = _pytest(f"--amazon-pay-merchant={shop.adapter_url}", f"--amazon-pay-server-port={port}",
                         f"--amazon-pay-checkout-flow={flow}", f"--junitxml={tmp_path / 'junit.xml'}")
    summary = result.stdout[-3000:]
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None, summary
    # in the button flow Amazon's button creates the session: what counts the shop's own is skipped
    skipped = len(_collected("-m", BUTTON_FLOW_UNSUPPORTED)) if flow == "button" else 0
    assert flow == "session" or skipped > 0
    counts = {name: int(suite.get(name, "0")) for name in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": len(expected), "failures": 0, "errors": 0, "skipped": skipped}, summary
    assert result.returncode == 0, summary


@contextmanager
def _shop_on_the_session_server(tmp_path: Path) -> Iterator[tuple[Simulator, HttpMerchant]]:
    """A fresh simulator on the session server and the Node shop reset for it, as an HTTP merchant run."""
    simulator = Simulator()
    port = free_port()
    with following_server(tmp_path / "ca", port) as server:
        server.follow(simulator)
        with node_shop(port, ALGORITHMS[1]) as shop:
            yield simulator, HttpMerchant.for_scenario(shop.adapter_url, simulator, server.proxy_url)


def test_the_shop_refuses_an_order_it_does_not_know_and_a_stopped_shop_is_named(tmp_path: Path) -> None:
    with _shop_on_the_session_server(tmp_path) as (simulator, merchant):
        assert merchant.order("order-Z") is None
        with pytest.raises(ShopRefusedError, match="404: the shop has no order order-Z"):
            merchant.capture("order-Z")
        session_id = merchant.start_checkout("order-A", CheckoutRequest(Money.of(5000)))
        record = merchant.order("order-A")
        assert session_id is not None and session_id in simulator.ledger.checkout_sessions
        assert record is not None
        assert (record.status, record.checkout_session_id) == ("pending", session_id)
    with pytest.raises(ShopError, match=r"the shop did not answer POST .*/orders/order-A/capture"):
        merchant.capture("order-A")


OTHER_CHARGE = "S03-0000000-0000000-C000000"


def _with(body: str, **changes: str) -> str:
    return json.dumps({**json.loads(body), **changes})


def test_the_shops_ipn_endpoint_acknowledges_amazons_notifications_and_refuses_forged_ones(
        tmp_path: Path) -> None:
    """Both SignatureVersions verify against the certificate the shop fetches through the proxy; a
    changed message, a certificate on another host or a missing signature answer 400."""
    forged_host = "https://sns.ap-northeast-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem"
    with _shop_on_the_session_server(tmp_path) as (simulator, merchant):
        for version in ("1", "2"):
            simulator.notifications.signature_version = version
            approved_checkout(simulator)
            notification = simulator.notifications.published[-1]
            body, headers = notification.body, notification.headers
            assert merchant.receive_notification(body, headers) == 200
            message = {**json.loads(json.loads(body)["Message"]), "ObjectId": OTHER_CHARGE}
            assert merchant.receive_notification(_with(body, Message=json.dumps(message)), headers) == 400
            assert merchant.receive_notification(_with(body, SigningCertURL=forged_host), headers) == 400
            assert merchant.receive_notification(_with(body, Signature=""), headers) == 400
