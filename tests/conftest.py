"""Fixtures shared by the harness's own tests: a fresh simulator and its Seller Central view."""

from __future__ import annotations

import pytest

from harness.ids import Environment
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import START, new_simulator


@pytest.fixture
def sim() -> Simulator:
    """A fresh JP sandbox simulator at START."""
    return new_simulator()


@pytest.fixture
def live() -> Simulator:
    """A fresh JP Live simulator at START (only Live makes late captures asynchronous)."""
    return Simulator(start=START, environment=Environment.LIVE)


@pytest.fixture
def live_view(live: Simulator) -> SellerCentral:
    """The Seller Central transaction view of `live`."""
    return SellerCentral(live)


@pytest.fixture
def view(sim: Simulator) -> SellerCentral:
    """The Seller Central transaction view of `sim`."""
    return SellerCentral(sim)

