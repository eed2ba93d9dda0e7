"""Run a YAML scenario on a `ScenarioWorld`, step by step; a failure names the step's file and line."""

from __future__ import annotations

from harness.errors import HarnessError
from harness.scenario.world import ScenarioWorld
from harness.yaml.errors import Position
from harness.yaml.model import BoundStep, Scenario

__all__: list[str] = []


class FailedStepError(HarnessError):
    """A step of a YAML scenario failed; `__cause__` is what the world raised."""

    def __init__(self, step: BoundStep | None, position: Position, cause: BaseException) -> None:
        label = step.label if step is not None else "end of scenario"
        super().__init__(f"{position.file}:{position.line}: {label}\n{cause}")
        self.step = step
        self.position = position
        self.cause = cause


def run_scenario(scenario: Scenario, world: ScenarioWorld) -> None:
    """Take every step in order, then check the scenario's end (`ScenarioWorld.finish`)."""
    for step in scenario.steps:
        try:
            step.action.run(world, step.values)
        except Exception as error:
            raise FailedStepError(step, step.position, error) from error
    try:
        world.finish()
    except AssertionError as error:
        raise FailedStepError(None, scenario.steps[-1].position, error) from error
