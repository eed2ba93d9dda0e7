"""Run a simulator for a scenario: serve it on Amazon's hosts and keep merchant time on its clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from harness.api.mount import OtherHosts
from harness.merchant_time import MerchantTime
from harness.simulator import Simulator

__all__ = ["serving"]


@contextmanager
def serving(simulator: Simulator, other_hosts: OtherHosts = "pass") -> Iterator[Simulator]:
    """While active, httpx and requests reach `simulator` on Amazon's hosts (other hosts pass, or are
    refused with `other_hosts="block"`) and `datetime.now()` reads its clock.

    freezegun is started once per process (`MerchantTime`) and only moved here, so entering costs
    microseconds, not the milliseconds of a fresh freezegun start.
    """
    with simulator.mock(other_hosts=other_hosts), MerchantTime.follow(simulator.clock):
        yield simulator
