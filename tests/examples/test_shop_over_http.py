"""exampleshop in its own server, driven through the HTTP form of the contract, its Amazon Pay calls
going to the simulator the test process serves: the scenarios pass unchanged."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from exampleshop.http_adapter import HarnessEndpoints
from werkzeug.serving import make_server

from tests.examples.test_shop_gate import SHOP

pytest_plugins = ["pytester"]


@pytest.fixture
def shop_url() -> Iterator[str]:
    """The shop on a free 127.0.0.1 port, for this test only."""
    server = make_server("127.0.0.1", 0, HarnessEndpoints(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/harness"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_the_shops_scenarios_pass_over_http(pytester: pytest.Pytester, shop_url: str) -> None:
    result = pytester.runpytest_subprocess(
        "-c", str(SHOP / "pytest.ini"), "--rootdir", str(SHOP), str(SHOP / "scenarios"),
        str(SHOP / "features" / "retries.feature"), str(SHOP / "features" / "settlement.feature"),
        "-p", "no:xdist",
        f"--amazon-pay-merchant={shop_url}", "--amazon-pay-server-port=0")
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes() == {"passed": 9}  # the settlement report over POST/GET /reports
