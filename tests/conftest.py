"""Fixtures shared by the harness's own tests: a fresh simulator and its Seller Central view."""

from __future__ import annotations

import pytest

from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import new_simulator


@pytest.fixture
def sim() -> Simulator:
    """A fresh JP sandbox simulator at START."""
    return new_simulator()


@pytest.fixture
def view(sim: Simulator) -> SellerCentral:
    """The Seller Central transaction view of `sim`."""
    return SellerCentral(sim)

