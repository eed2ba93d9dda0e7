"""A scenario world over a served simulator, with the reference merchant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.scenario import ScenarioWorld, reference_merchant, serving
from harness.simulator import Simulator


@pytest.fixture
def world() -> Iterator[ScenarioWorld]:
    """A fresh world; httpx reaches its simulator and merchant time follows its clock."""
    simulator = Simulator()
    with serving(simulator):
        yield ScenarioWorld(simulator, reference_merchant(simulator))
