"""The vocabulary as pytest-bdd steps: every declared phrasing, in English and Japanese.

Loaded by the pytest plugin (`pytest_plugins`), so another repository's feature files use the
harness's steps with nothing copied. Each phrasing becomes a `VocabularyStep` parser registered
for the declaration's keywords (Given and When for actions, Then for expectations); it reads the
placeholders with their value kinds and adds what the wording itself implies.
"""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, then, when
from pytest_bdd.parsers import StepParser

from harness.scenario.parsing import normalize
from harness.vocabulary.declarations import Declaration, Language, load_vocabulary
from harness.vocabulary.templates import StepTemplate

__all__: list[str] = []


class VocabularyStep(StepParser):
    """A pytest-bdd parser for one phrasing of a declaration, in one language."""

    def __init__(self, declaration: Declaration, template: StepTemplate, language: Language,
                 implies: dict[str, object]) -> None:
        super().__init__(template.text)
        self.declaration = declaration
        self.template = template
        self.language = language
        self.implies = implies

    def is_matching(self, name: str) -> bool:
        """Whether the step text fits the template."""
        return self.template.regex.fullmatch(normalize(name)) is not None

    def parse_arguments(self, name: str) -> dict[str, Any] | None:
        """The placeholders' values read by their kinds (absent optional parts left out), and the
        values the wording implies."""
        texts = self.template.match(name)
        if texts is None:
            return None
        parameters = self.declaration.parameters
        return {**{key: parameters[key].kind.parse(text) for key, text in texts.items()}, **self.implies}

    def examples(self) -> list[str]:
        """The step with example values, for suggestions."""
        values = {name: parameter.kind.example(self.language)
                  for name, parameter in self.declaration.parameters.items()}
        return self.template.examples(values)

    def __repr__(self) -> str:
        return f"VocabularyStep({self.name!r})"


_KEYWORDS = {"given": given, "when": when, "then": then}


def _register(declaration: Declaration) -> None:
    for phrasing in declaration.phrasings:
        for language in ("en", "ja"):
            parser = VocabularyStep(declaration, phrasing.template(language), language,
                                    dict(phrasing.say.implies))
            for keyword in declaration.keywords:
                # stacklevel 2: pytest-bdd puts the step fixture into this module's namespace
                _KEYWORDS[keyword](parser, stacklevel=2)(declaration.function)


for _declaration in load_vocabulary():
    _register(_declaration)
