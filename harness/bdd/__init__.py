"""The pytest-bdd layer: step templates, feature binding, undefined-step suggestions, readable ids.

The step definitions themselves live in the top-level `steps/` directory, installed as
`harness.steps`; this package holds what they and the pytest plugin are built from.
"""

from harness.bdd.binding import scenario_test_name, scenarios
from harness.bdd.grammar import CATALOGUE, STEP_MODULES, Template, action, expectation, load_steps

__all__ = [
    "CATALOGUE",
    "STEP_MODULES",
    "Template",
    "action",
    "expectation",
    "load_steps",
    "scenario_test_name",
    "scenarios",
]
