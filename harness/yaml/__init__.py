"""YAML scenarios: the action vocabulary of `ScenarioWorld` written as YAML, checked, run by pytest.

    name: The buyer drops off and the checkout is canceled 24 hours later
    steps:
      - buyer: {checkout: order A, amount: 5000 JPY}
      - buyer: drop off
      - wait: 24 hours
      - expect: {status: Canceled}

The actions are the vocabulary's (`harness.vocabulary`, declared in steps/): each declaration
gives its YAML key, arguments and kinds. `loader` reads files safely (limits, positions), `schema`
is the JSON Schema and `validate` checks a file against it, `reader` and `expand` build the
scenarios per parameter row, `values` reads each value by its kind, `files` puts it together,
`runner` runs a scenario on a world and `plugin` makes pytest collect them.
"""

from harness.yaml.errors import Position, ScenarioFileError
from harness.yaml.files import ScenarioFile, load_scenario_file, load_scenario_text
from harness.yaml.loader import DEFAULT_LIMITS, Limits
from harness.yaml.model import BoundStep, Scenario, ScenarioSpec, StepSpec
from harness.yaml.runner import FailedStepError, run_scenario

__all__ = [
    "DEFAULT_LIMITS",
    "BoundStep",
    "FailedStepError",
    "Limits",
    "Position",
    "Scenario",
    "ScenarioFile",
    "ScenarioFileError",
    "ScenarioSpec",
    "StepSpec",
    "load_scenario_file",
    "load_scenario_text",
    "run_scenario",
]
