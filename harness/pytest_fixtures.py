"""Pytest fixtures of the harness (registered by the plugin; import them into a conftest meanwhile)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.simulator import Simulator

__all__ = ["amazon_pay_simulator"]


@pytest.fixture
def amazon_pay_simulator() -> Iterator[Simulator]:
    """A fresh Sandbox/JP simulator serving every httpx client on Amazon's hosts for the test."""
    simulator = Simulator()
    with simulator.mock():
        yield simulator
