"""The vocabulary as pytest-bdd steps: every declared phrasing, in English and Japanese.

Loaded by the pytest plugin (`pytest_plugins`), so another repository's feature files use the
harness's steps with nothing copied. pytest-bdd looks a step up by asking every step fixture's
parser in turn, for every step; so the whole vocabulary is one `VocabularySteps` parser per
keyword (Given, When, Then), which finds the declaration and phrasing a step text says (once per
distinct text), reads its placeholders with their value kinds and adds what the wording implies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytest_bdd import given, then, when
from pytest_bdd.parsers import StepParser

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
        if name not in self._said:
            text = normalize(name)
            self._said[name] = next(
                (_Said(declaration, phrasing, language, texts) for declaration, phrasing, language
                 in self.entries
                 if (texts := phrasing.template(language).match(text, normalized=True)) is not None), None)
        return self._said[name]

    def __repr__(self) -> str:
        return f"VocabularySteps({self.keyword!r})"


def _run(scenario_world: ScenarioWorld, harness_declaration: Declaration,
         harness_values: dict[str, Any]) -> None:
    """The one step function: the matched declaration's own function, with the read values, once
    the notifications the previous step made Amazon send are delivered (D-IPN-DELIVERY)."""
    scenario_world.deliver_notifications()
    harness_declaration.function(scenario_world, **harness_values)


_VOCABULARY = load_vocabulary()
given(VocabularySteps("given", _VOCABULARY))(_run)
when(VocabularySteps("when", _VOCABULARY))(_run)
then(VocabularySteps("then", _VOCABULARY))(_run)
