"""Run a YAML scenario on a `ScenarioWorld`, step by step; a failure names the step's file and line."""

from __future__ import annotations

import time

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


def run_scenario(scenario: Scenario, world: ScenarioWorld, timings: list[float] | None = None) -> None:
    """Take every step in order, then check the scenario's end (`ScenarioWorld.finish`).

    `timings` receives each step's duration in seconds (the failing step's too), for the reports.
    """
    for step in scenario.steps:
        started = time.perf_counter()
        try:
            step.action.run(world, step.values)
        except Exception as error:
            raise FailedStepError(step, step.position, error) from error
        finally:
            if timings is not None:
                timings.append(time.perf_counter() - started)
    try:
        world.finish()
    except AssertionError as error:
        raise FailedStepError(None, scenario.steps[-1].position, error) from error
