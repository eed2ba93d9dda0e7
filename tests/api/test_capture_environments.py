"""A capture more than 7 days after the authorization, over the wire, in each environment
(docs/reference/amazon-pay-v2.md §6.3): Live answers CaptureInitiated, Sandbox captures at once unless
`x-amz-pay-simulation-code: CaptureInitiated` asks for the asynchronous path (§6.2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from harness.ids import Environment
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.simulator import Simulator
from tests.builders import START, charge_of, completed_checkout

SEVEN_DAYS = timedelta(days=7)
CAPTURE = {"captureAmount": {"amount": "5000", "currencyCode": "JPY"}}


def _client(sim: Simulator, http: httpx.Client) -> AmazonPayClient:
    return AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, http=http, now=sim.now,
                           sandbox=sim.ids.environment is Environment.SANDBOX)


@pytest.fixture(params=[Environment.SANDBOX, Environment.LIVE], ids=["sandbox", "live"])
def wire(request: pytest.FixtureRequest) -> Iterator[tuple[Simulator, AmazonPayClient]]:
    sim = Simulator(start=START, environment=request.param)
    with sim.mock(), httpx.Client() as http:
        yield sim, _client(sim, http)


@pytest.mark.parametrize(("after", "late"), [(SEVEN_DAYS, False), (SEVEN_DAYS + timedelta(seconds=1), True)])
def test_a_late_capture_is_asynchronous_only_in_live(wire: tuple[Simulator, AmazonPayClient],
                                                      after: timedelta, late: bool) -> None:
    sim, client = wire
    charge_id = charge_of(sim, completed_checkout(sim, 5000)).id
    sim.advance(after)
    answer = client.capture_charge(charge_id, CAPTURE)
    live = sim.ids.environment is Environment.LIVE
    assert answer["releaseEnvironment"] == sim.ids.environment.value
    assert answer["statusDetails"]["state"] == ("CaptureInitiated" if late and live else "Captured")
    assert client.last_response is not None and client.last_response.url.path.startswith("/v2/charges/")


def test_the_simulation_code_makes_a_sandbox_capture_asynchronous_and_live_refuses_it(
        wire: tuple[Simulator, AmazonPayClient]) -> None:
    sim, client = wire
    charge_id = charge_of(sim, completed_checkout(sim, 5000)).id
    if sim.ids.environment is Environment.SANDBOX:
        answer = client.capture_charge(charge_id, CAPTURE, simulation_code="CaptureInitiated")
        assert answer["statusDetails"]["state"] == "CaptureInitiated"
        sim.advance(timedelta(seconds=30))
        assert client.get_charge(charge_id)["statusDetails"]["state"] == "Captured"
    else:
        with pytest.raises(AmazonPayApiError) as refused:
            client.capture_charge(charge_id, CAPTURE, simulation_code="CaptureInitiated")
        assert (refused.value.status, refused.value.reason_code) == (400, "InvalidSandboxSimulationSpecified")


def test_the_path_names_the_environment_for_a_plain_key_id() -> None:
    """`/sandbox/v2/` and `/live/v2/` (docs/reference/official-sdks.md §2) reach the same rule."""
    sim = Simulator(start=START, environment=Environment.LIVE)
    sim.keys.register("AHLIVEPLAINKEY", sim.key_pair.public_key, environment=Environment.LIVE)
    with sim.mock(), httpx.Client() as http:
        client = AmazonPayClient("AHLIVEPLAINKEY", sim.key_pair.private_key, http=http, now=sim.now,
                                 sandbox=False)
        charge_id = charge_of(sim, completed_checkout(sim, 5000)).id
        sim.advance(SEVEN_DAYS + timedelta(seconds=1))
        assert client.capture_charge(charge_id, CAPTURE)["statusDetails"]["state"] == "CaptureInitiated"
        assert client.last_response is not None
        assert client.last_response.url.path.startswith("/live/v2/charges/")
