"""Scenario files: read, check and expand every scenario of a YAML file, or fail naming the place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.yaml.errors import Position, ScenarioFileError
from harness.yaml.expand import expand
from harness.yaml.loader import DEFAULT_LIMITS, Limits, load_text, read_text
from harness.yaml.model import Scenario, ScenarioSpec
from harness.yaml.reader import read_scenario
from harness.yaml.tree import Scalar

__all__ = ["ScenarioFile", "load_scenario_file", "load_scenario_text"]


@dataclass(frozen=True)
class ScenarioFile:
    """The scenarios of one file (one per YAML document), checked, and expanded per parameter row."""

    display: str
    specs: tuple[ScenarioSpec, ...]
    scenarios: tuple[Scenario, ...]


def load_scenario_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> ScenarioFile:
    """Check and expand the scenarios in `text` (named `display` in messages).

    Read with libyaml's C parser; a file that fails any check is read again with PyYAML's pure-Python
    one, so that its message and position are always the same (`load_text`).
    """
    try:
        return _load_scenarios(text, display, limits, fast=True)
    except ScenarioFileError:
        return _load_scenarios(text, display, limits, fast=False)


def _load_scenarios(text: str, display: str, limits: Limits, *, fast: bool) -> ScenarioFile:
    documents = [document for document in load_text(text, display, limits, fast=fast)
                 if not (isinstance(document, Scalar) and document.value is None)]  # a stray `---`
    if not documents:
        raise ScenarioFileError(Position(display), "the file holds no scenario: write at least 'name:' and "
                                                   "'steps:'")
    specs: list[ScenarioSpec] = []
    scenarios: list[Scenario] = []
    seen: dict[str, Position] = {}
    for document in documents:
        spec = read_scenario(document)
        expanded = expand(spec)
        for scenario in expanded:
            if scenario.test_name in seen:
                first = seen[scenario.test_name]
                raise ScenarioFileError(spec.name.position,
                                        f"another scenario of this file (line {first.line}) is already "
                                        f"called {scenario.test_name!r}; give each scenario its own name")
            seen[scenario.test_name] = spec.name.position
        specs.append(spec)
        scenarios.extend(expanded)
    return ScenarioFile(display, tuple(specs), tuple(scenarios))


def load_scenario_file(path: Path, display: str | None = None,
                       limits: Limits = DEFAULT_LIMITS) -> ScenarioFile:
    """Read, check and expand the scenarios of a file; messages name it `display` (default: the path)."""
    shown = display if display is not None else str(path)
    return load_scenario_text(read_text(path, shown, limits.max_bytes), shown, limits)
