"""YAML scenarios: the action vocabulary of `ScenarioWorld` written as YAML, checked, run by pytest.

    name: The buyer drops off and the checkout is canceled 24 hours later
    steps:
      - buyer: {checkout: order A, amount: 5000 JPY}
      - buyer: drop off
      - wait: 24 hours
      - expect: {status: Canceled}

`vocabulary` is the one table of actions (key -> `ScenarioWorld` method + argument parsers) that
drives the reader, the JSON Schema (`schema`), the Gherkin converter (`gherkin`) and the docs
(`docs`). `loader` reads files safely (limits, positions), `reader` and `expand` check them and
fill in parameter rows, `files` puts it together, `runner` runs a scenario on a world and
`plugin` makes pytest collect them.
"""

from harness.scenario.yaml.errors import Position, ScenarioFileError
from harness.scenario.yaml.files import ScenarioFile, load_scenario_file, load_scenario_text
from harness.scenario.yaml.loader import DEFAULT_LIMITS, Limits
from harness.scenario.yaml.model import BoundStep, Scenario, ScenarioSpec, StepSpec
from harness.scenario.yaml.runner import FailedStepError, run_scenario
from harness.scenario.yaml.vocabulary import ACTIONS, ACTORS, Action, Argument

__all__ = [
    "ACTIONS",
    "ACTORS",
    "DEFAULT_LIMITS",
    "Action",
    "Argument",
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
