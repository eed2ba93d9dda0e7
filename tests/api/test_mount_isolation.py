"""The process's mounts answer for the current `sim.mock()` only: nested mounts, a test's own respx
routes and responses mocks, and nothing of a finished mount left behind."""

from __future__ import annotations

from contextlib import ExitStack

import httpx
import pytest
import requests
import responses
import respx
from respx.models import AllMockedAssertionError

from harness.merchant.client import AmazonPayClient
from harness.simulator import Simulator

INVENTORY = "http://inventory.test/stock/A-1"
BUYER_URL = "https://pay-api.amazon.jp/v2/buyers/token"


def buyer_id(sim: Simulator) -> str:
    client = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, now=sim.clock.now)
    value: str = client.get_buyer("token")["buyerId"]
    return value


def test_the_innermost_mount_answers_and_the_outer_one_again_after_it() -> None:
    outer, inner = Simulator(seed=1), Simulator(seed=2)
    assert outer.buyer.default.buyer_id != inner.buyer.default.buyer_id
    with outer.mock():
        assert buyer_id(outer) == outer.buyer.default.buyer_id
        with inner.mock():
            assert buyer_id(inner) == inner.buyer.default.buyer_id
        assert buyer_id(outer) == outer.buyer.default.buyer_id
    assert len(outer.handler.exchanges) == 2
    assert len(inner.handler.exchanges) == 1


def test_a_finished_mount_answers_nothing_any_more() -> None:
    finished = Simulator()
    with finished.mock():
        assert buyer_id(finished) == finished.buyer.default.buyer_id
    with respx.mock() as router, responses.RequestsMock() as mocked:
        router.get(BUYER_URL).respond(418)
        mocked.get(BUYER_URL, status=418)
        assert httpx.get(BUYER_URL).status_code == 418
        assert requests.get(BUYER_URL, timeout=5).status_code == 418
    assert len(finished.handler.exchanges) == 1


def test_a_finished_block_refuses_nothing_any_more() -> None:
    with Simulator().mock(other_hosts="block"), pytest.raises(AllMockedAssertionError):
        httpx.get(INVENTORY)
    with respx.mock() as router:
        router.get(INVENTORY).respond(json={"stock": 3})
        assert httpx.get(INVENTORY).json() == {"stock": 3}


@pytest.mark.parametrize("router_first", [True, False], ids=["router-started-first", "mount-entered-first"])
def test_a_tests_own_respx_routes_answer_other_hosts_while_mounted(router_first: bool) -> None:
    sim = Simulator()
    mount, router = sim.mock(), respx.mock(assert_all_called=False)
    with ExitStack() as stack:
        for entered in (router, mount) if router_first else (mount, router):
            stack.enter_context(entered)
        router.get(INVENTORY).respond(json={"stock": 3})
        assert httpx.get(INVENTORY).json() == {"stock": 3}
        assert buyer_id(sim) == sim.buyer.default.buyer_id


def test_a_tests_own_responses_mock_beneath_the_mount_answers_other_hosts() -> None:
    sim = Simulator()
    with responses.RequestsMock() as mocked:
        mocked.get(INVENTORY, json={"stock": 3})
        with sim.mock():
            assert requests.get(INVENTORY, timeout=5).json() == {"stock": 3}
            unsigned = requests.get(BUYER_URL, timeout=5)  # answered by the simulator
            assert unsigned.json()["reasonCode"] == "MissingHeader"
    with sim.mock():  # that mock is gone: the mount patches again, over the real send
        assert requests.get(BUYER_URL, timeout=5).status_code == 400
