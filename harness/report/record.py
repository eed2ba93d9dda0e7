"""The data one scenario leaves for the reports: plain JSON, so xdist carries it to the controller.

A record is built when the test ends (`harness.report.capture`) from the scenario's world, which is
then let go: only these values live on, so a long run keeps one small record per scenario.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from harness.api.exchanges import ExchangeRecord

__all__ = ["Status"]

Status = Literal["passed", "failed", "skipped", "undefined"]
"""A step's result, as Cucumber JSON names them."""


class StepRecord(TypedDict):
    """One step: as written, and what became of it."""

    keyword: str
    name: str
    line: int
    status: Status
    duration: float
    """Seconds (0 for steps that did not run)."""
    declaration: str | None
    """The vocabulary entry the step ran (`actor: key`), None when it did not run or is undefined."""
    error: NotRequired[str]


class FeatureInfo(TypedDict):
    """The file a scenario comes from: a `.feature` file or a YAML scenario file."""

    uri: str
    """Relative to the rootdir, with `/`."""
    keyword: str
    name: str
    line: int
    description: str
    tags: list[str]
    language: str


class EntryRecord(TypedDict):
    """A timeline entry: when (UTC, ISO 8601), who, what."""

    at: str
    actor: str
    text: str


class ChangeRecord(TypedDict):
    """A state change of one object, and its cause."""

    at: str
    object_type: str
    object_id: str
    from_state: str | None
    to_state: str
    reason: str | None
    cause: str
    """The cause's name (`harness.amazon_pay.causes.Cause`)."""
    because: str
    """The cause in words."""


class ViewRecord(TypedDict):
    """Seller Central's transaction view at one moment."""

    at: str
    label: str
    rows: list[list[str]]


class ScenarioRecord(TypedDict):
    """Everything the reports show of one scenario run (one outline row, one YAML parameter row)."""

    nodeid: str
    source: Literal["feature", "yaml"]
    feature: FeatureInfo
    keyword: str
    name: str
    row: str | None
    """The example / parameter row's id, or None."""
    line: int
    description: str
    tags: list[str]
    outcome: Literal["passed", "failed", "skipped"]
    duration: float
    steps: list[StepRecord]
    error: str | None
    """Why the scenario failed (what was expected and what was shown first), or None."""
    after_error: str | None
    """A failure after the last step (the end-of-scenario check), or None."""
    timeline: list[EntryRecord]
    changes: list[ChangeRecord]
    api_calls: list[ExchangeRecord]
    views: list[ViewRecord]
    """The transaction view after each time jump, then at the end (label 'end')."""
