"""Run a simulator for a scenario: serve it on Amazon's hosts and keep merchant time on its clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from harness.merchant_time import MerchantTime
from harness.simulator import Simulator

__all__ = ["serving"]


@contextmanager
def serving(simulator: Simulator) -> Iterator[Simulator]:
    """While active, httpx reaches `simulator` on Amazon's hosts and `datetime.now()` reads its clock.

    freezegun is started once per process (`MerchantTime`) and only moved here, so entering costs
    microseconds, not the milliseconds of a fresh freezegun start.
    """
    with simulator.mock(), MerchantTime.follow(simulator.clock):
        yield simulator
