"""Write and read Gherkin step texts from the step templates of `harness.bdd` (`{placeholder}`,
`[optional part]`, `<alternative|other>`), keeping Scenario Outline parameters (`<name>`) as they are.

`harness.bdd.grammar.Template` matches steps as pytest-bdd runs them (after outline values are
filled in); the converter also needs to write a step from its values and to read a step that still
holds `<name>` parameters, which is what `StepText` does for the same templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.bdd.grammar import PLACEHOLDERS
from harness.scenario.parsing import normalize

__all__ = ["OUTLINE_PARAMETER", "StepText"]

OUTLINE_PARAMETER = r"<\w+>"
_TOKEN = re.compile(r"\{(?P<name>\w+)\}|(?P<open>\[)|(?P<close>\])|<(?P<choices>[^<>]*)>")


@dataclass(frozen=True)
class _Part:
    literal: str = ""
    placeholder: str | None = None
    optional: tuple[_Part, ...] | None = None
    choices: tuple[str, ...] = ()


def _parse(template: str) -> tuple[_Part, ...]:
    stack: list[list[_Part]] = [[]]
    position = 0
    for token in _TOKEN.finditer(template):
        if token.start() > position:
            stack[-1].append(_Part(literal=template[position:token.start()]))
        position = token.end()
        if token["name"]:
            stack[-1].append(_Part(placeholder=token["name"]))
        elif token["open"]:
            stack.append([])
        elif token["close"]:
            inner = stack.pop()
            stack[-1].append(_Part(optional=tuple(inner)))
        else:
            stack[-1].append(_Part(choices=tuple(token["choices"].split("|"))))
    if position < len(template):
        stack[-1].append(_Part(literal=template[position:]))
    return tuple(stack[0])


def _names(parts: tuple[_Part, ...]) -> set[str]:
    found: set[str] = set()
    for part in parts:
        if part.placeholder:
            found.add(part.placeholder)
        if part.optional:
            found |= _names(part.optional)
    return found


class StepText:
    """One step template, to write a step from placeholder texts and to read them back."""

    def __init__(self, template: str) -> None:
        self.template = template
        self._parts = _parse(normalize(template))
        self.placeholders = frozenset(_names(self._parts))
        self.required = frozenset(part.placeholder for part in self._parts if part.placeholder)
        self._regex = re.compile(self._pattern(self._parts), re.IGNORECASE)

    def write(self, values: dict[str, str], *, last_choice: bool = False) -> str:
        """The step with `values` filled in; optional parts whose placeholders are missing are left out."""
        return self._write(self._parts, values, last_choice)

    def read(self, text: str) -> dict[str, str] | None:
        """The placeholders' texts (absent optional ones left out), or None if `text` does not fit."""
        match = self._regex.fullmatch(normalize(text))
        if match is None:
            return None
        return {key.rpartition("__")[0]: value for key, value in match.groupdict().items()
                if value is not None}

    def _write(self, parts: tuple[_Part, ...], values: dict[str, str], last_choice: bool) -> str:
        written: list[str] = []
        for part in parts:
            if part.placeholder:
                written.append(values[part.placeholder])
            elif part.optional is not None:
                names = _names(part.optional)
                if names and names <= set(values):
                    written.append(self._write(part.optional, values, last_choice))
            elif part.choices:
                written.append(part.choices[-1 if last_choice else 0])
            else:
                written.append(part.literal)
        return "".join(written)

    def _pattern(self, parts: tuple[_Part, ...]) -> str:
        pattern: list[str] = []
        for part in parts:
            if part.placeholder:
                placeholder = PLACEHOLDERS[part.placeholder]
                # a unique group name per occurrence; read() strips the suffix
                group = f"{part.placeholder}__{len(pattern)}"
                pattern.append(f"(?P<{group}>{OUTLINE_PARAMETER}|{placeholder.pattern})")
            elif part.optional is not None:
                pattern.append(f"(?:{self._pattern(part.optional)})?")
            elif part.choices:
                pattern.append("(?:" + "|".join(map(re.escape, part.choices)) + ")")
            else:
                pattern.append(re.escape(part.literal))
        return "".join(pattern)
