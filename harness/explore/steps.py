"""One explored step: a YAML action of the vocabulary with its values written as a scenario writes them.

The explorer runs exactly what it will print: each value is text (or a flag or count) that the
kind's own parser reads, as the YAML reader does, and the printed scenario is that same YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.scenario.world import ScenarioWorld
from harness.vocabulary.declarations import Action

__all__ = ["ExploreStep"]

YamlValue = str | int | bool


@dataclass(frozen=True)
class ExploreStep:
    """An action and its YAML values by argument key (the subject's too); absent optionals left out."""

    action: Action
    values: tuple[tuple[str, YamlValue], ...] = ()

    @classmethod
    def of(cls, action: Action, values: Mapping[str, YamlValue | None]) -> ExploreStep:
        """The step with the values given (None: left out)."""
        return cls(action, tuple((key, value) for key, value in values.items() if value is not None))

    @property
    def label(self) -> str:
        """`merchant: capture`: the actor and action, for progress and coverage."""
        return f"{self.action.actor}: {self.action.key}"

    @property
    def is_expectation(self) -> bool:
        """Whether it is a Then step."""
        return "then" in self.action.declaration.keywords

    def read(self) -> dict[str, object]:
        """The values as the step function takes them, read by each kind's parser (the YAML reader's way)."""
        read: dict[str, object] = {}
        for key, value in self.values:
            argument = self.action.argument(key)
            read[argument.name] = value if isinstance(value, bool | int) else argument.kind.parse(value)
        return read

    def run(self, world: ScenarioWorld) -> None:
        """Take the step in `world`."""
        self.action.run(world, self.read())

    def yaml_item(self) -> dict[str, Any]:
        """The step as YAML writes it: `actor: key`, `wait: 24 hours` or `actor: {key: ..., ...}`."""
        values = dict(self.values)
        subject = self.action.subject
        own = values.pop(subject.key, None) if subject is not None else None
        if not values and own is None:
            return {self.action.actor: self.action.key}
        if not values and self.action.declaration.bare:
            return {self.action.actor: own}
        return {self.action.actor: {self.action.key: own, **values}}
