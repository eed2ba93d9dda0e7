"""A scenario world over a served simulator, with the reference merchant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.merchant import reference_merchant
from harness.scenario import ScenarioWorld, serving
from harness.simulator import Simulator


@pytest.fixture
def world() -> Iterator[ScenarioWorld]:
    """A fresh world; httpx reaches its simulator and merchant time follows its clock."""
    simulator = Simulator()
    with serving(simulator):
        yield ScenarioWorld(simulator, reference_merchant(simulator))
