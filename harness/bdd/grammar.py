"""Step templates: readable step texts with typed placeholders, in English and Japanese.

A template is the step text as QA writes it, with `{placeholder}`s, `[optional parts]` and
`<alternatives|like this>`:

    the buyer[ of {order}] pays[ with the card ending in {card}]
    購入者が[{order}を]Amazonで支払<う|った>[(カード末尾{card})]

`Template` is a pytest-bdd `StepParser`: it matches the NFKC-normalized step text (full-width
digits, `￥` and `（）` count as their ASCII forms) and hands the step function typed values read by
`harness.scenario.parsing`. Placeholders match loosely where the words around them delimit them,
so that a wrong value gets a clear error naming what was expected instead of "step not found".
`action` registers a step for Given and When, `expectation` for Then, each in both languages, so
that a behaviour is defined once and its English and Japanese texts stand side by side.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pytest_bdd import given, then, when
from pytest_bdd.parsers import StepParser

from harness.scenario import parsing, phrases
from harness.scenario.parsing import normalize

__all__ = [
    "CATALOGUE",
    "PLACEHOLDERS",
    "STEP_MODULES",
    "Placeholder",
    "StepEntry",
    "Template",
    "action",
    "expectation",
    "load_steps",
]

Language = Literal["en", "ja"]
F = TypeVar("F", bound=Callable[..., Any])

_ASCII_WORD = r"[A-Za-z]+"
_LOOSE = r".+?"


@dataclass(frozen=True)
class Placeholder:
    """What a `{name}` matches, how its text is read, and an example value per language."""

    pattern: str
    read: Callable[[str], object]
    example_en: str
    example_ja: str
    doc: str = ""
    """How the value is written (default: the first line of `read`'s docstring)."""

    @property
    def description(self) -> str:
        """How the value is written, for the step catalogue."""
        return self.doc or (inspect.getdoc(self.read) or "").splitlines()[0]

    def example(self, language: Language) -> str:
        """A value to show in suggestions."""
        return self.example_en if language == "en" else self.example_ja


PLACEHOLDERS: Mapping[str, Placeholder] = {
    "order": Placeholder(r"the order|order [A-Za-z0-9_-]+|注文[A-Za-z0-9_-]*", parsing.parse_order_name,
                         "the order", "注文"),
    "amount": Placeholder(_LOOSE, parsing.parse_amount, "5,000 JPY", "5,000円"),
    "amounts": Placeholder(_LOOSE, phrases.parse_row_amounts, "5,000 JPY captured", "売上5,000円"),
    "duration": Placeholder(_LOOSE, parsing.parse_duration, "24 hours", "24時間"),
    "status": Placeholder(_LOOSE, parsing.parse_status, "Open", "オープン"),
    "merchant_status": Placeholder(_LOOSE, parsing.parse_merchant_status, "authorized", "オーソリ済み"),
    "card": Placeholder(_LOOSE, parsing.parse_card, "1111", "1111"),
    "count": Placeholder(r"\d+", parsing.parse_count, "2", "2"),
    "options": Placeholder(_LOOSE, str, "payment intent Confirm", "支払いインテントConfirm",
                           "Checkout options, comma-separated; see `harness.scenario.phrases`."),
    "reason": Placeholder(_ASCII_WORD, parsing.parse_reason, "HardDeclined", "HardDeclined"),
    "error": Placeholder(_ASCII_WORD, parsing.parse_error_code, "InvalidChargeStatus", "InvalidChargeStatus"),
    "kind": Placeholder(r"Checkout ?Session|Charge ?Permission|Charge|Refund", parsing.parse_object_kind,
                        "Charge", "Charge"),
    "state": Placeholder(_ASCII_WORD, str, "Authorized", "Authorized",
                         "A `statusDetails.state` of that object (`Chargeable`, `Captured`, ...)."),
    "anchor": Placeholder("|".join(map(re.escape, parsing.ANCHOR_WORDS)), parsing.parse_anchor,
                          "the checkout started", "決済開始"),
}
"""Every placeholder a template may use; a step function takes a parameter of the same name."""

_TOKEN = re.compile(r"\{(?P<name>\w+)\}|(?P<open>\[)|(?P<close>\])|<(?P<choices>[^<>]*)>")


class Template(StepParser):
    """A step text with placeholders, matched after NFKC normalization."""

    def __init__(self, template: str, language: Language) -> None:
        super().__init__(template)
        self.language = language
        self.placeholders: list[str] = []
        parts: list[str] = []
        position = 0
        text = normalize(template)
        for token in _TOKEN.finditer(text):
            parts.append(re.escape(text[position:token.start()]))
            position = token.end()
            if token["name"]:
                if token["name"] not in PLACEHOLDERS:
                    raise ValueError(f"unknown placeholder {{{token['name']}}} in step template "
                                     f"{template!r}; known: {', '.join(PLACEHOLDERS)}")
                self.placeholders.append(token["name"])
                parts.append(f"(?P<{token['name']}>{PLACEHOLDERS[token['name']].pattern})")
            elif token["open"]:
                parts.append("(?:")
            elif token["close"]:
                parts.append(")?")
            else:
                parts.append("(?:" + "|".join(map(re.escape, token["choices"].split("|"))) + ")")
        parts.append(re.escape(text[position:]))
        self.regex = re.compile("".join(parts), re.IGNORECASE)

    def is_matching(self, name: str) -> bool:
        """Whether the step text fits the template."""
        return self.regex.fullmatch(normalize(name)) is not None

    def parse_arguments(self, name: str) -> dict[str, Any] | None:
        """The placeholders' values, read by their parsers (absent optional parts are left out)."""
        match = self.regex.fullmatch(normalize(name))
        if match is None:
            return None
        return {key: PLACEHOLDERS[key].read(value) for key, value in match.groupdict().items()
                if value is not None}

    def examples(self) -> list[str]:
        """The step written out with example values: with every optional part, and with none."""
        def write(keep_optional: bool) -> str:
            text = re.sub(r"<([^<>|]*)[^<>]*>", r"\1", self.name)
            text = re.sub(r"\[([^\[\]]*)\]", r"\1" if keep_optional else "", text)
            return re.sub(r"\{(\w+)\}", lambda found: PLACEHOLDERS[found[1]].example(self.language), text)
        return list(dict.fromkeys([write(True), write(False)]))

    def __repr__(self) -> str:
        return f"Template({self.name!r})"


@dataclass(frozen=True)
class StepEntry:
    """One step of the vocabulary: its keywords, its templates, and the function it runs."""

    keywords: tuple[str, ...]
    templates: tuple[Template, ...]
    function: Callable[..., Any]


CATALOGUE: list[StepEntry] = []
"""Every step registered through `action` and `expectation`, in definition order (for docs)."""

STEP_MODULES = ("harness.steps.actions", "harness.steps.expectations")
"""The modules defining the steps: the top-level steps/ directory, installed as `harness.steps`.
They are named, not imported, here: `harness.steps` exists only once the package is installed."""


def load_steps() -> list[StepEntry]:
    """Import the step modules (registering their steps) and return the catalogue."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    return CATALOGUE


def _register(keywords: tuple[str, ...], en: str, ja: str) -> Callable[[F], F]:
    templates = (Template(en, "en"), Template(ja, "ja"))
    decorators = {"given": given, "when": when, "then": then}

    def register(function: F) -> F:
        for template in templates:
            for keyword in keywords:
                # stacklevel 2: pytest-bdd puts the step fixture into the module calling `register`
                decorators[keyword](template, stacklevel=2)(function)
        CATALOGUE.append(StepEntry(keywords, templates, function))
        return function

    return register


def action(*, en: str, ja: str) -> Callable[[F], F]:
    """Register the decorated function as a Given and a When step, in English and Japanese."""
    return _register(("given", "when"), en, ja)


def expectation(*, en: str, ja: str) -> Callable[[F], F]:
    """Register the decorated function as a Then step, in English and Japanese."""
    return _register(("then",), en, ja)
