"""`sim.mock()` as users use it: context manager, decorator, fixture, near misses, blocking other hosts."""

from __future__ import annotations

import httpx
import pytest
from respx.models import AllMockedAssertionError

from harness.api.handler import UnroutedRequestWarning
from harness.api.signer import sign_request
from harness.merchant.client import AmazonPayClient
from harness.simulator import Simulator


def client_for(sim: Simulator) -> AmazonPayClient:
    return AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, now=sim.clock.now)


def signed_get(sim: Simulator, url: str) -> httpx.Response:
    headers = sign_request("GET", url, public_key_id=sim.key_pair.public_key_id,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now())
    return httpx.get(url, headers=headers)


def test_context_manager_serves_any_httpx_client() -> None:
    sim = Simulator()
    with sim.mock():
        assert client_for(sim).get_buyer("token")["buyerId"] == sim.buyer.default.buyer_id
        response = signed_get(sim, "https://pay-api.amazon.jp:8443/v2/buyers/token")  # port, module API
        assert response.status_code == 200


def test_decorator() -> None:
    sim = Simulator()

    @sim.mock()
    def buyer_id() -> str:
        value: str = client_for(sim).get_buyer("token")["buyerId"]
        return value

    assert buyer_id() == sim.buyer.default.buyer_id


def test_fixture_is_mounted(amazon_pay_simulator: Simulator) -> None:
    response = signed_get(amazon_pay_simulator, "https://pay-api.amazon.eu/v2/buyers/token")
    assert response.status_code == 200
    assert response.headers["x-amz-pay-request-id"]


def test_near_miss_on_an_amazon_host_is_a_404_body_and_a_warning(amazon_pay_simulator: Simulator) -> None:
    with pytest.warns(UnroutedRequestWarning, match="closest route is GET /v2/checkoutSessions"):
        response = signed_get(amazon_pay_simulator,
                              "https://pay-api.amazon.jp/v2/chekoutSessions/abc")
    assert response.status_code == 404
    assert response.json()["reasonCode"] == "ResourceNotFound"
    assert ("closest route is GET /v2/checkoutSessions/{checkoutSessionId} (getCheckoutSession)"
            in response.json()["message"])
    assert len(amazon_pay_simulator.handler.unrouted) == 1


def test_lookalike_host_fails_like_an_unknown_host_naming_the_right_one(
        amazon_pay_simulator: Simulator) -> None:
    with (pytest.warns(UnroutedRequestWarning),
          pytest.raises(httpx.ConnectError, match=r"did you mean pay-api\.amazon\.jp")):
        signed_get(amazon_pay_simulator, "https://pay-api.amazon.co.jp/v2/buyers/token")


@pytest.mark.parametrize("url", ["https://example.com/", "https://api.amazon.com/auth/o2/token"])
def test_nothing_passes_through_when_other_hosts_are_blocked(url: str) -> None:
    with Simulator().mock(other_hosts="block"), pytest.raises(AllMockedAssertionError):
        httpx.get(url)


def test_unused_routes_do_not_fail_the_block() -> None:
    with Simulator().mock():
        pass


def test_planned_timeout_reaches_the_merchant_as_httpx_read_timeout(
        amazon_pay_simulator: Simulator) -> None:
    amazon_pay_simulator.faults.timeout("getBuyer")
    client = client_for(amazon_pay_simulator)
    with pytest.raises(httpx.ReadTimeout):
        client.get_buyer("token")
    assert client.get_buyer("token")["buyerId"]
