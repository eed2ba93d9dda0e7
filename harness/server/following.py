"""A server for a test session: the `harness serve` server in a thread, serving each test's simulator.

When the merchant is a shop in another process (the HTTP merchant adapter), that shop reaches
Amazon Pay over the network (`HTTPS_PROXY=http://127.0.0.1:PORT`), so the test process serves
its simulator over HTTP. Starting uvicorn per test would cost a socket and a thread each time and
move the port the shop was started with, so one server runs for the whole session and `follow`
points it at the current test's simulator: API requests then reach that simulator, with the
merchant's clock being the real one (D-SERVER-CLOCK: the shop signs with the wall clock, never
the simulated one, even while the test process's own merchant time is frozen by freezegun).

The test thread drives the simulator directly (buyer, Amazon, operator, time) while the shop's
requests are answered on the server's thread; the harness waits for each call to the shop to
finish before it acts again, so the two never run at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.api.handler import ApiHandler
from harness.merchant_time import wall_clock
from harness.scenario.timeline import Timeline
from harness.server.runner import RunningServer, ServeOptions, start_in_thread
from harness.simulator import Simulator

__all__ = ["FollowingServer", "following_server"]

SESSION_TIMEOUT_HOLD = 1.0
"""Seconds a simulated time-out keeps the shop waiting on the session server, then the connection
drops (D-SESSION-TIMEOUT-HOLD): long enough to be no answer, short enough for a suite of them."""


@dataclass
class FollowingServer:
    """The session's server; `follow` gives it the current test's simulator."""

    running: RunningServer

    @property
    def proxy_url(self) -> str:
        """What the shop's `HTTPS_PROXY` is: the server's own URL (absolute-form or CONNECT)."""
        return self.running.base_url

    def follow(self, simulator: Simulator) -> None:
        """Answer API requests from `simulator` from now on (the previous one is forgotten)."""
        served = self.running.served
        served.merchant_clock = wall_clock
        served.journal.clear()
        served.timeout_holds.clear()
        served.timeout_hold = SESSION_TIMEOUT_HOLD
        served.simulator = simulator
        served.timeline = Timeline(simulator.ledger)
        served.handler = ApiHandler(simulator, simulator.keys, simulator.faults, hosts=None,
                                    merchant_clock=wall_clock)
        served.handler.exchanges = simulator.handler.exchanges  # one log: reports and invariants read it


@contextmanager
def following_server(ca_dir: Path, port: int = 0) -> Iterator[FollowingServer]:
    """The server on 127.0.0.1:`port` (0: any free port) while the block runs, stopped after it."""
    with start_in_thread(ServeOptions(ca_dir=ca_dir, port=port)) as running:
        yield FollowingServer(running)
