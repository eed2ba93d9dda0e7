"""Step templates: the one compiler of the step-text notation, for running, writing and reading steps.

A template is the step as QA writes it, with `{placeholder}`s, `[optional parts]` and
`<alternatives|like this>`:

    the buyer[ of {order}] pays[ with the card ending in {card}]
    購入者が[{order}を]Amazonで支払<う|った>[(カード末尾{card})]

It matches NFKC-normalized text (full-width digits, `￥` and `（）` count as their ASCII forms),
each placeholder by its value kind's pattern. The Gherkin steps match with it, the converter
writes a step from its values and reads one back, Scenario Outline parameters (`<name>`) included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from harness.errors import HarnessError
from harness.scenario.parsing import normalize

__all__ = ["DeclarationError", "StepTemplate"]

OUTLINE_PARAMETER = r"<\w+>"
_TOKEN = re.compile(r"\{(?P<name>\w+)\}|(?P<open>\[)|(?P<close>\])|<(?P<choices>[^<>]*)>")


class DeclarationError(HarnessError, ValueError):
    """A step declared wrongly: its text, its parameters or its key (raised when steps/ is imported)."""


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
            if len(stack) == 1:
                raise DeclarationError(f"unbalanced ']' in step template {template!r}")
            inner = stack.pop()
            stack[-1].append(_Part(optional=tuple(inner)))
        else:
            stack[-1].append(_Part(choices=tuple(token["choices"].split("|"))))
    if len(stack) != 1:
        raise DeclarationError(f"unbalanced '[' in step template {template!r}")
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


class StepTemplate:
    """One step template, with the pattern each of its placeholders matches."""

    def __init__(self, text: str, patterns: Mapping[str, str]) -> None:
        self.text = text
        self._parts = _parse(normalize(text))
        self.placeholders = frozenset(_names(self._parts))
        self.required = frozenset(part.placeholder for part in self._parts if part.placeholder)
        unknown = self.placeholders - set(patterns)
        if unknown:
            taken = ", ".join(sorted(patterns)) or "nothing"
            raise DeclarationError(f"step template {text!r} names {', '.join(sorted(unknown))}, which the "
                                   f"step function does not take; it takes {taken}")
        self._patterns = dict(patterns)
        self._literals = tuple(part.literal.lower() for part in self._parts if part.literal.strip())
        """The text every match contains (in lower case): a step lacking one is passed over without
        running the pattern, since pytest-bdd asks every step parser about every step."""

    @property
    def literals(self) -> tuple[str, ...]:
        """The texts (in lower case) every step this template matches contains."""
        return self._literals

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The template as a regular expression over normalized step text."""
        return re.compile(self._pattern(self._parts, outline=False), re.IGNORECASE)

    @cached_property
    def _outline_regex(self) -> re.Pattern[str]:
        return re.compile(self._pattern(self._parts, outline=True), re.IGNORECASE)

    def match(self, text: str, *, outline: bool = False, normalized: bool = False) -> dict[str, str] | None:
        """The placeholders' texts (absent optional ones left out), or None if `text` does not fit.

        With `outline`, a placeholder may also be a Scenario Outline parameter (`<intent>`); with
        `normalized`, `text` is already `normalize`d (one text tried against many templates).
        """
        if not normalized:
            text = normalize(text)
        lowered = text.lower()
        if not all(literal in lowered for literal in self._literals):
            return None
        regex = self._outline_regex if outline else self.regex
        found = regex.fullmatch(text)
        if found is None:
            return None
        return {key.rpartition("__")[0]: value for key, value in found.groupdict().items()
                if value is not None}

    def write(self, values: Mapping[str, str], *, last_choice: bool = False) -> str:
        """The step with `values` filled in; optional parts whose placeholders are missing are left out.

        Alternatives are written in their first form (`last_choice`: their last, e.g. 〜こと for Then).
        """
        return self._write(self._parts, values, last_choice)

    def examples(self, values: Mapping[str, str]) -> list[str]:
        """The step with example values: with every optional part, and with none."""
        every = self.write(values)
        required = self.write({name: value for name, value in values.items() if name in self.required})
        return list(dict.fromkeys([every, required]))

    def _write(self, parts: tuple[_Part, ...], values: Mapping[str, str], last_choice: bool) -> str:
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

    def _pattern(self, parts: tuple[_Part, ...], *, outline: bool) -> str:
        pattern: list[str] = []
        for part in parts:
            if part.placeholder:
                group = f"{part.placeholder}__{len(pattern)}"  # unique per occurrence; match() strips it
                value = self._patterns[part.placeholder]
                alternatives = f"{OUTLINE_PARAMETER}|{value}" if outline else value
                pattern.append(f"(?P<{group}>{alternatives})")
            elif part.optional is not None:
                pattern.append(f"(?:{self._pattern(part.optional, outline=outline)})?")
            elif part.choices:
                pattern.append("(?:" + "|".join(map(re.escape, part.choices)) + ")")
            else:
                pattern.append(re.escape(part.literal))
        return "".join(pattern)

    def __repr__(self) -> str:
        return f"StepTemplate({self.text!r})"
