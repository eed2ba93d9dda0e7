"""The step vocabulary against the feature files: unambiguous, fully used, in both languages alike."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, FeatureParser, Scenario

from harness.gherkin.steps import DECLARATION, VocabularySteps
from harness.scenario.parsing import ScenarioValueError
from harness.vocabulary import load_vocabulary
from harness.vocabulary.templates import StepTemplate

VOCABULARY = load_vocabulary()

FEATURES = Path(__file__).parents[2] / "features"
FEATURE_FILES = sorted(FEATURES.rglob("*.feature"))
SHOP_FEATURE_FILES = sorted((FEATURES.parent / "examples" / "shop" / "features").rglob("*.feature"))
"""The example shop's own features: the steps about what only a real shop's records hold are used there."""


def parse(path: Path) -> Feature:
    return FeatureParser(str(path.parent), path.name).parse()


def rendered(feature: Feature) -> Iterator[Scenario]:
    """Every scenario, and every example of every outline, with its steps filled in."""
    for template in feature.scenarios.values():
        contexts = [context for examples in template.examples for context in examples.as_contexts()]
        for context in contexts or [{}]:
            yield template.render(context)


def templates_for(step_type: str) -> list[StepTemplate]:
    return [phrasing.template(language) for declaration in VOCABULARY if step_type in declaration.keywords
            for phrasing in declaration.phrasings for language in ("en", "ja")]


def test_the_features_exist_in_both_languages() -> None:
    english = {path.name for path in FEATURES.glob("*.feature")}
    japanese = {path.name for path in (FEATURES / "ja").glob("*.feature")}
    assert english and english == japanese


@pytest.mark.parametrize("name", sorted(path.name for path in FEATURES.glob("*.feature")))
def test_the_japanese_features_mirror_the_english_ones(name: str) -> None:
    english, japanese = parse(FEATURES / name), parse(FEATURES / "ja" / name)
    assert japanese.language == "ja"

    def shape(feature: Feature) -> list[tuple[int, list[str]]]:
        return [(len(template.examples), [step.type for step in template.steps])
                for template in feature.scenarios.values()]

    assert shape(japanese) == shape(english)
    assert len(list(rendered(japanese))) == len(list(rendered(english)))


@pytest.mark.parametrize("path", FEATURE_FILES, ids=lambda path: str(path.relative_to(FEATURES)))
def test_every_step_matches_exactly_one_definition_and_reads(path: Path) -> None:
    for scenario in rendered(parse(path)):
        for step in scenario.steps:
            matching = [template for template in templates_for(step.type)
                        if template.match(step.name) is not None]
            where = f"{path.name}: {scenario.name}: {step.type} {step.name!r}"
            assert len(matching) == 1, f"{where} matches {matching}"


def test_every_step_is_used_by_the_features() -> None:
    uses: Counter[str] = Counter()
    for path in FEATURE_FILES + SHOP_FEATURE_FILES:
        for scenario in rendered(parse(path)):
            for step in scenario.steps:
                for template in templates_for(step.type):
                    if template.match(step.name) is not None:
                        uses[template.text] += 1
    unused = [template.text for step_type in ("given", "then") for template in templates_for(step_type)
              if not uses[template.text]]
    assert not unused, f"steps no feature uses: {unused}"


def test_the_readme_examples_use_real_steps(tmp_path: Path) -> None:
    readme = (FEATURES.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```gherkin\n(.*?)```", readme, re.S)
    assert len(blocks) == 4  # English, Japanese, the button flow, the faults
    for number, block in enumerate(blocks):
        japanese = block.startswith("# language: ja")
        body = block.removeprefix("# language: ja\n")
        header = "# language: ja\n機能: README\n" if japanese else "Feature: README\n"
        path = tmp_path / f"readme{number}.feature"
        path.write_text(header + re.sub(r"(?m)^", "  ", body), encoding="utf-8")
        for scenario in rendered(parse(path)):
            for step in scenario.steps:
                known = templates_for(step.type)
                assert any(template.match(step.name) is not None for template in known), step.name


def test_the_step_parsers_answer_as_trying_every_template_in_turn() -> None:
    """A parser passes over the templates whose longest literal words a text lacks without trying them;
    what it finds is still the first template, in declaration order, that matches (or none)."""
    steps = [(step.type, step.name) for path in FEATURE_FILES for scenario in rendered(parse(path))
             for step in scenario.steps]
    texts = [*steps, *((step_type, name.upper()) for step_type, name in steps[::7]),
             *((step_type, name.rsplit(" ", 1)[0]) for step_type, name in steps[::5]),
             *((step_type, f"the user clicks button {number}") for number, (step_type, _)
               in enumerate(steps[:9]))]
    parsers = {step_type: VocabularySteps(step_type, VOCABULARY) for step_type in ("given", "when", "then")}
    found = 0
    for step_type, name in texts:
        parser = parsers[step_type]
        first = next((declaration for declaration, phrasing, language in parser.entries
                      if phrasing.template(language).match(name) is not None), None)
        assert parser.is_matching(name) is (first is not None), name
        if first is not None:
            try:
                answer = parser.parse_arguments(name)
            except ScenarioValueError:  # a cut-off text may fit a template and still not read
                continue
            assert answer is not None and answer[DECLARATION] is first, name
            found += 1
    assert len(steps) <= found < len(texts)
