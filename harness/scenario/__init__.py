"""Scenarios: one action vocabulary (`ScenarioWorld`) shared by the Gherkin steps and YAML scenarios.

`parsing` reads values as people write them, `world` holds a scenario's actors, orders,
expectations and timeline; the merchant it drives is `harness.merchant`'s.
"""

from harness.scenario.parsing import Anchor, Duration, ScenarioValueError
from harness.scenario.serving import serving
from harness.scenario.world import ExpectationError, ScenarioError, ScenarioWorld

__all__ = [
    "Anchor",
    "Duration",
    "ExpectationError",
    "ScenarioError",
    "ScenarioValueError",
    "ScenarioWorld",
    "serving",
]
