"""A YAML scenario as read (`ScenarioSpec`, `StepSpec`) and as run for one parameter row (`Scenario`).

Every collected item keeps its `Scenario` (and its steps) until the session ends: these classes have
`__slots__`, which keeps each instance to its fields (no per-instance attribute dictionary).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.vocabulary.declarations import Action
from harness.yaml.errors import Position
from harness.yaml.tree import Node, Scalar, Seq

__all__ = ["Scenario", "ScenarioSpec", "StepSpec"]


@dataclass(frozen=True)
class StepSpec:
    """A step as written: its action and the value nodes of its arguments (by YAML key)."""

    action: Action
    values: dict[str, Node]
    """Argument key -> value node; the action's own value is under the subject's key."""
    position: Position

    @property
    def label(self) -> str:
        """`buyer: drop off` – the step's actor and action, for messages."""
        return f"{self.action.actor}: {self.action.key}"


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario of a file (one YAML document), with `{placeholders}` not yet filled."""

    name: Scalar
    steps_node: Seq
    """The steps as written; their structure is read once the parameter row is filled in."""
    position: Position
    feature: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    parameters: tuple[dict[str, Node], ...] = ()
    """The rows of the parameter table; each runs the scenario once. A value is text, or steps."""


@dataclass(frozen=True, slots=True)
class BoundStep:
    """A step ready to run: its action, the read values (by the method's keyword) and where it was written."""

    action: Action
    values: Mapping[str, Any]
    """The read values by the method's keyword (one shared empty mapping for a step without any)."""
    position: Position
    label: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """One runnable scenario: one parameter row of a `ScenarioSpec` (or the spec itself without rows)."""

    name: str
    """The name with the row's values filled in."""
    test_name: str
    """`Buyer drops off` or `Buyer drops off[row 2]`: the pytest test name."""
    steps: tuple[BoundStep, ...]
    position: Position
    tags: tuple[str, ...] = ()
    row: int | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    feature: str | None = None
    """The file's feature name, if it gives one (for the reports)."""
    description: str = ""
