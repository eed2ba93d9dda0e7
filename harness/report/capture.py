"""Build a scenario's record when its test ends: steps and their results, the error as a person reads
it, and what the world saw (timeline, state changes, API calls, transaction views).

Step results follow Cucumber: the first failing step is `failed`, the steps after it `skipped`, an
unknown step `undefined` (and the scenario failed); a failure after the last step (the scenario's
end check) is kept apart as `after_error`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pytest
from pytest_bdd.parser import Scenario as BddScenario
from pytest_bdd.reporting import scenario_reports_registry
from pytest_bdd.scenario import scenario_wrapper_template_registry

from harness.amazon_pay.ledger import StateChange
from harness.api.exchanges import redacted
from harness.errors import HarnessError
from harness.report.coverage import declaration_id
from harness.report.record import (
    ChangeRecord,
    EntryRecord,
    FeatureInfo,
    ScenarioRecord,
    Status,
    StepRecord,
    ViewRecord,
)
from harness.scenario.world import ScenarioWorld, ViewSnapshot
from harness.yaml.plugin import ScenarioItem
from harness.yaml.runner import FailedStepError

__all__ = ["capture", "change_record"]

_Outcome = Literal["passed", "failed", "skipped"]


def capture(item: pytest.Item, report: pytest.TestReport, *,
            excinfo: pytest.ExceptionInfo[BaseException] | None,
            world: ScenarioWorld | None, undefined_line: int | None,
            matched: dict[int, str]) -> ScenarioRecord | None:
    """The record of a Gherkin or YAML scenario's test, or None for any other test.

    `matched` maps a Gherkin step's line to the declaration pytest-bdd ran for it.
    """
    outcome: _Outcome = "passed" if report.passed else "failed" if report.failed else "skipped"
    error = error_text(excinfo, report) if report.failed else None
    if isinstance(item, ScenarioItem):
        record = _yaml(item, outcome, error)
    elif isinstance(item, pytest.Function) and item.obj in scenario_wrapper_template_registry:
        record = _gherkin(item, outcome, error, undefined_line, matched)
    else:
        return None
    record["duration"] = report.duration
    if world is not None:
        _add_world(record, world)
    return record


def error_text(excinfo: pytest.ExceptionInfo[BaseException] | None, report: pytest.TestReport) -> str:
    """What went wrong, first line first: the harness's own message (expected / shown, timeline, view)
    for scenario failures; the exception and pytest's traceback for anything else."""
    if excinfo is None:
        return report.longreprtext
    failure: BaseException = excinfo.value
    if isinstance(failure, FailedStepError):
        failure = failure.cause
    ours = isinstance(failure, AssertionError | HarnessError)
    if ours or type(failure).__module__.startswith("pytest_bdd"):  # an undefined step
        return str(failure)
    return f"{type(failure).__name__}: {failure}\n\n{report.longreprtext}"


def _feature_of_path(item: pytest.Item, path: Path, *, keyword: str, name: str, line: int,
                     description: str, tags: Sequence[str], language: str) -> FeatureInfo:
    try:
        uri = path.resolve().relative_to(item.config.rootpath.resolve()).as_posix()
    except ValueError:
        uri = path.as_posix()
    return {"uri": uri, "keyword": keyword, "name": name or uri, "line": line, "description": description,
            "tags": sorted(tags), "language": language}


def _gherkin(item: pytest.Function, outcome: _Outcome, error: str | None,
             undefined_line: int | None, matched: dict[int, str]) -> ScenarioRecord:
    template = scenario_wrapper_template_registry[item.obj]
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec is not None else {}
    scenario: BddScenario = template.render(example)
    feature = scenario.feature
    ran = scenario_reports_registry.get(item)
    reports = ran.step_reports if ran is not None else []
    steps: list[StepRecord] = []
    stopped = False
    for index, step in enumerate(scenario.steps):
        status: Status
        duration = 0.0
        if stopped:
            status = "skipped"
        elif index < len(reports) and reports[index].failed:
            status, stopped, duration = "failed", True, reports[index].duration
        elif index < len(reports):
            status, duration = "passed", reports[index].duration
        elif undefined_line == step.line_number:
            status, stopped = "undefined", True
        else:  # the test failed before this step ran (a fixture, a hook)
            status, stopped = "skipped", True
        steps.append({"keyword": step.keyword, "name": step.name, "line": step.line_number,
                      "status": status, "duration": duration,
                      "declaration": matched.get(step.line_number) if status in ("passed", "failed")
                      else None})
    after_error = _attach(steps, outcome, error)
    info = _feature_of_path(item, Path(feature.filename), keyword=feature.keyword, name=feature.name,
                            line=feature.line_number, description=feature.description,
                            tags=sorted(feature.tags),
                            language=feature.language)
    return _record(item, "feature", info, keyword=scenario.keyword, name=scenario.name,
                   row=_row_id(item) if example else None, line=scenario.line_number,
                   description=scenario.description, tags=sorted(scenario.tags), outcome=outcome,
                   steps=steps, error=error, after_error=after_error)


def _row_id(item: pytest.Item) -> str:
    """The outline row's id as the test name shows it (unescaped, `24時間-キャンセル`)."""
    return item.name.partition("[")[2].removesuffix("]")


def _yaml(item: ScenarioItem, outcome: _Outcome, error: str | None) -> ScenarioRecord:
    scenario = item.scenario
    failed_at = None
    if outcome == "failed":
        failed_at = len(item.timings) - 1 if item.timings else 0
    steps: list[StepRecord] = []
    for index, step in enumerate(scenario.steps):
        actor, _, rest = step.label.partition(": ")
        status: Status = "passed"
        if failed_at is not None and index >= failed_at:
            status = "failed" if index == failed_at and index < len(item.timings) else "skipped"
        duration = item.timings[index] if index < len(item.timings) else 0.0
        steps.append({"keyword": f"{actor}: ", "name": rest or step.label, "line": step.position.line,
                      "status": status, "duration": duration,
                      "declaration": declaration_id(step.action.declaration) if index < len(item.timings)
                      else None})
    after_error = _attach(steps, outcome, error)
    info = _feature_of_path(item, item.path, keyword="YAML", name=scenario.feature or "", line=1,
                            description="", tags=(), language="yaml")
    return _record(item, "yaml", info, keyword="Scenario", name=scenario.name,
                   row=f"row {scenario.row}" if scenario.row is not None else None,
                   line=scenario.position.line, description=scenario.description, tags=list(scenario.tags),
                   outcome=outcome,
                   steps=steps, error=error, after_error=after_error)


def _attach(steps: list[StepRecord], outcome: _Outcome, error: str | None) -> str | None:
    """Put the error on the failing step; a failure with every step passed is an after-scenario error."""
    if outcome != "failed" or error is None:
        return None
    for step in steps:
        if step["status"] in ("failed", "undefined"):
            step["error"] = error
            return None
    return error


def _record(item: pytest.Item, source: Literal["feature", "yaml"], feature: FeatureInfo, *, keyword: str,
            name: str, row: str | None, line: int, description: str, tags: list[str], outcome: _Outcome,
            steps: list[StepRecord], error: str | None, after_error: str | None) -> ScenarioRecord:
    return {"nodeid": item.nodeid, "source": source, "feature": feature, "keyword": keyword, "name": name,
            "row": row, "line": line, "description": description, "tags": tags, "outcome": outcome,
            "duration": 0.0, "steps": steps, "error": error, "after_error": after_error, "timeline": [],
            "changes": [], "api_calls": [], "views": []}


def _add_world(record: ScenarioRecord, world: ScenarioWorld) -> None:
    record["timeline"] = [EntryRecord(at=entry.at.isoformat(), actor=entry.actor, text=entry.text)
                          for entry in world.timeline.read()]
    record["changes"] = [change_record(change) for change in world.simulator.ledger.events]
    record["api_calls"] = [redacted(exchange) for exchange in world.simulator.handler.exchanges]
    end = ViewSnapshot(world.simulator.now(), "end", tuple(world.seller_central.rows()))
    record["views"] = [_view(snapshot) for snapshot in (*world.views, end)]


def change_record(change: StateChange) -> ChangeRecord:
    """A state change as the reports keep it."""
    return ChangeRecord(at=change.at.isoformat(), object_type=change.object_type, object_id=change.object_id,
                        from_state=_text(change.from_state), to_state=str(change.to_state),
                        reason=str(change.reason) if change.reason else None, cause=change.cause.name,
                        because=str(change.cause))


def _text(state: str | None) -> str | None:
    return None if state is None else str(state)


def _view(snapshot: ViewSnapshot) -> ViewRecord:
    return {"at": snapshot.at.isoformat(), "label": snapshot.label,
            "rows": [list(row.cells()) for row in snapshot.rows]}
