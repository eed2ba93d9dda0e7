"""The vocabulary as pytest-bdd steps: every declared phrasing, in English and Japanese.

Loaded by the pytest plugin (`pytest_plugins`), so another repository's feature files use the
harness's steps with nothing copied. pytest-bdd looks a step up by asking every step fixture's
parser in turn, for every step; so the whole vocabulary is one `VocabularySteps` parser per
keyword (Given, When, Then), which finds the declaration and phrasing a step text says (once per
distinct text), reads its placeholders with their value kinds and adds what the wording implies.
The step texts of the collected scenarios are looked up when collection finishes (their patterns
compiled then, once per process), so the tests themselves find every answer already known.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import pytest
from pytest_bdd import given, then, when
from pytest_bdd.parsers import StepParser
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

from harness.scenario.parsing import normalize
from harness.scenario.world import ScenarioWorld
from harness.vocabulary.declarations import Declaration, Keyword, Language, Phrasing, load_vocabulary

__all__: list[str] = []

DECLARATION = "harness_declaration"
VALUES = "harness_values"
"""The two arguments the one step function receives from `VocabularySteps.parse_arguments`."""


@dataclass(frozen=True)
class _Said:
    """A step text matched: the declaration, the phrasing and language, and the placeholders' texts."""

    declaration: Declaration
    phrasing: Phrasing
    language: Language
    texts: dict[str, str]


class VocabularySteps(StepParser):
    """The pytest-bdd parser of every phrasing of the declarations of one keyword."""

    def __init__(self, keyword: Keyword, vocabulary: list[Declaration]) -> None:
        super().__init__(f"the harness's {keyword} steps")
        self.keyword = keyword
        languages: tuple[Language, ...] = ("en", "ja")
        self.entries = [(declaration, phrasing, language) for declaration in vocabulary
                        if keyword in declaration.keywords for phrasing in declaration.phrasings
                        for language in languages]
        self._templates = [phrasing.template(language) for _, phrasing, language in self.entries]
        anchors: dict[str, list[int]] = {}
        for index, template in enumerate(self._templates):
            anchors.setdefault(max(template.literals, key=len, default=""), []).append(index)
        self._anchors = tuple((anchor, tuple(indexes)) for anchor, indexes in anchors.items())
        """Each template's longest literal text, with the entries that have it: a step text lacking it
        is passed over with one substring test for all of them."""
        self._said: dict[str, _Said | None] = {}

    def is_matching(self, name: str) -> bool:
        """Whether a declaration says `name`."""
        return self._find(name) is not None

    def parse_arguments(self, name: str) -> dict[str, Any] | None:
        """The declaration, and the placeholders' values (read by their kinds, and implied)."""
        said = self._find(name)
        if said is None:
            return None
        parameters = said.declaration.parameters
        values = {key: parameters[key].kind.parse(text) for key, text in said.texts.items()}
        return {DECLARATION: said.declaration, VALUES: {**values, **said.phrasing.say.implies}}

    def known(self) -> list[tuple[str, list[str]]]:
        """Every template with example values, for suggestions."""
        known = []
        for declaration, phrasing, language in self.entries:
            template = phrasing.template(language)
            examples = {name: parameter.kind.example(language)
                        for name, parameter in declaration.parameters.items()}
            known.append((template.text, template.examples(examples)))
        return known

    def _find(self, name: str) -> _Said | None:
        try:
            return self._said[name]
        except KeyError:
            said = self._said[name] = self._look_up(name)
            return said

    def _look_up(self, name: str) -> _Said | None:
        """The first entry (in declaration order) whose template matches `name`."""
        text = normalize(name)
        lowered = text.lower()
        for index in sorted(index for anchor, indexes in self._anchors if anchor in lowered
                            for index in indexes):
            texts = self._templates[index].match(text, normalized=True)
            if texts is not None:
                return _Said(*self.entries[index], texts)
        return None

    def __repr__(self) -> str:
        return f"VocabularySteps({self.keyword!r})"


def _run(scenario_world: ScenarioWorld, harness_declaration: Declaration,
         harness_values: dict[str, Any]) -> None:
    """The one step function: the matched declaration's own function, with the read values, once
    the notifications the previous step made Amazon send are delivered (D-IPN-DELIVERY)."""
    scenario_world.deliver_notifications()
    harness_declaration.function(scenario_world, **harness_values)


# pytest-bdd reads the step function's signature twice for every step it runs: made once here
_run.__signature__ = inspect.signature(_run)  # type: ignore[attr-defined]

_VOCABULARY = load_vocabulary()
_STEPS = {keyword: VocabularySteps(keyword, _VOCABULARY) for keyword in ("given", "when", "then")}
given(_STEPS["given"])(_run)
when(_STEPS["when"])(_run)
then(_STEPS["then"])(_run)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Look up every step text of the collected pytest-bdd scenarios now, once per process.

    pytest-bdd asks the parsers about each step as the test runs; the first question about a text
    finds its template and compiles that template's pattern (~0.2 ms each). Asking at collection
    puts that one-time work with the rest of the start-up, and the tests read the answers.
    """
    if session.config.option.collectonly:
        return
    for item in session.items:
        if not isinstance(item, pytest.Function):
            continue
        template = registry_get_safe(scenario_wrapper_template_registry, item.obj)
        if template is None:
            continue
        example = item.callspec.params.get("_pytest_bdd_example", {}) if hasattr(item, "callspec") else {}
        try:
            steps = template.render(cast(Mapping[str, object], example)).steps
        except Exception:  # the test itself meets (and reports) the same error when it runs
            continue
        for step in steps:
            parser = _STEPS.get(step.type)
            if parser is not None:
                parser.is_matching(step.name)
