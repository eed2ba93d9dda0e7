"""Errors in scenario files: where (file, line, column), what was expected, and the likely fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from harness.errors import HarnessError

__all__ = ["Position", "ScenarioFileError"]


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a scenario file; line and column count from 1, as editors show them."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class ScenarioFileError(HarnessError):
    """A scenario file that cannot be used: `file:line:col: what is wrong — the fix`."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message


def did_you_mean(word: str, known: Iterable[str], *, list_all: bool = True) -> str:
    """` — did you mean 'wait'?` for the closest known word, else the list of known words (or "")."""
    choices = sorted(set(known))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = [choice for choice in choices if word and (word in choice or choice in word)][:1]
    if close:
        return f" — did you mean {close[0]!r}?"
    return f"; expected one of {', '.join(map(repr, choices))}" if choices and list_all else ""
