"""Refuse hostile feature files before pytest-bdd parses them: too big, binary, too many scenarios.

pytest-bdd reads and parses a whole feature file and makes one test per scenario and Examples row,
so a 50 MB file, a binary one or a 20,000-row table would cost minutes. `check_feature_file` reads
at most `FeatureLimits.max_bytes` (+1) bytes, decodes them as UTF-8 without NUL bytes (as YAML
scenario files are read) and counts scenarios and Examples rows line by line with the keywords of
the file's `# language:` (Gherkin's own dialect table). Each refusal is a `FeatureFileError`
`file:line:col: what — the fix`, which pytest reports as a one-line collection error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from gherkin.dialect import Dialect

from harness.yaml.errors import Position, ScenarioFileError
from harness.yaml.loader import DEFAULT_LIMITS, read_text

__all__ = ["DEFAULT_FEATURE_LIMITS", "FeatureFileError", "FeatureLimits", "check_feature_file"]

_LANGUAGE = re.compile(r"^\s*#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$")
_DOCSTRING = ('"""', "```")


@dataclass(frozen=True)
class FeatureLimits:
    """How big a feature file may be."""

    max_bytes: int = DEFAULT_LIMITS.max_bytes
    """The same as for YAML scenario files (1 MiB)."""
    max_examples_rows: int = 500
    """Rows of one Examples table, its heading row not counted (each row is one test)."""
    max_scenarios: int = 1_000
    """Tests the file makes: every scenario, an outline counting once per Examples row."""


DEFAULT_FEATURE_LIMITS = FeatureLimits()


class FeatureFileError(ScenarioFileError, pytest.Collector.CollectError):
    """A feature file refused before parsing; pytest shows only its message (no traceback)."""


def check_feature_file(path: Path, display: str, limits: FeatureLimits = DEFAULT_FEATURE_LIMITS) -> None:
    """Raise `FeatureFileError` if the file is over a limit, binary or not UTF-8."""
    try:
        text = read_text(path, display, limits.max_bytes, what="a feature file")
    except FeatureFileError:
        raise
    except ScenarioFileError as error:
        raise FeatureFileError(error.position, error.message) from None
    _Counter(display, limits).count(text.splitlines())


class _Counter:
    """Counts tests and Examples rows, refusing at the first line over a limit."""

    def __init__(self, display: str, limits: FeatureLimits) -> None:
        self.display = display
        self.limits = limits
        self.tests = 0

    def count(self, lines: list[str]) -> None:
        english = Dialect.for_name("en")
        assert english is not None
        dialect = english
        in_examples = in_docstring = False
        rows = scenario_rows = 0
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith(_DOCSTRING):
                in_docstring = not in_docstring
            if in_docstring or stripped.startswith(_DOCSTRING):
                continue
            if (language := _LANGUAGE.match(line)) and self.tests == 0:
                dialect = Dialect.for_name(language[1]) or dialect
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("|"):
                if in_examples:
                    rows += 1
                    if rows > 0:  # the first row is the heading
                        self._examples_row(number, rows, scenario_rows)
                        scenario_rows += 1
                continue
            in_examples = False
            keyword = stripped.partition(":")[0].strip()
            if keyword in dialect.scenario_keywords or keyword in dialect.scenario_outline_keywords:
                scenario_rows = 0
                self._test(number)
            elif keyword in dialect.examples_keywords:
                in_examples, rows = True, -1

    def _examples_row(self, line: int, rows: int, scenario_rows: int) -> None:
        if rows > (most := self.limits.max_examples_rows):
            raise FeatureFileError(Position(self.display, line),
                                   f"the Examples table has more than {most:,} rows; split it into several "
                                   "Examples tables or scenarios, or generate the cases as YAML scenarios")
        if scenario_rows:  # the scenario itself counted as its first row
            self._test(line)

    def _test(self, line: int) -> None:
        self.tests += 1
        if self.tests > (most := self.limits.max_scenarios):
            raise FeatureFileError(Position(self.display, line),
                                   f"the file has more than {most:,} scenarios (an outline "
                                   "counts once per Examples row); split the feature into several files")
