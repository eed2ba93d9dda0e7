"""A found disagreement as a runnable scenario: YAML, and Gherkin in English or Japanese.

The steps hypothesis shrank to are written as the YAML scenario they are, with one last expectation
(`expect: merchant agrees`, or `merchant up to date` when the check after a reconciliation broke),
and converted to a feature file through the vocabulary's own writer (`harness.convert`). What was
wrong, the timeline and the transaction view at the failing step go into comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.convert import dump_scenarios, yaml_to_feature
from harness.explore.steps import ExploreStep
from harness.vocabulary.declarations import Language
from harness.yaml.files import ScenarioFile, load_scenario_text

__all__ = ["PrintedScenario", "print_scenario"]

AGREES = {"expect": "merchant agrees"}
UP_TO_DATE = {"expect": "merchant up to date"}
FEATURE: dict[str, str] = {"en": "Explored: the merchant disagrees with Amazon",
                           "ja": "探索: 加盟店の記録がAmazonと食い違う"}
NAME: dict[str, str] = {"en": "Explored with seed {seed}: {invariant}",
                        "ja": "シード{seed}の探索: {invariant}"}


@dataclass(frozen=True)
class PrintedScenario:
    """One found disagreement, written both ways."""

    name: str
    yaml: str
    feature: str
    steps: int
    """How many steps the scenario has, its expectation included."""


def print_scenario(steps: Sequence[ExploreStep], explanation: str, *, up_to_date: bool, invariant: str,
                   seed: int, language: Language = "en", display: str = "explored.yaml") -> PrintedScenario:
    """The scenario of `steps`, ending with the expectation that broke; `explanation` as comments."""
    name = NAME[language].format(seed=seed, invariant=invariant)
    document = {"name": name, "feature": FEATURE[language],
                "steps": [step.yaml_item() for step in steps] + [UP_TO_DATE if up_to_date else AGREES]}
    body = dump_scenarios([document])
    comment = _comment(explanation)
    written = load_scenario_text(body, display)
    return PrintedScenario(name, f"{comment}\n{body}", _feature(written, comment, language),
                           len(document["steps"]))


def load_printed(printed: PrintedScenario, display: str = "explored.yaml") -> ScenarioFile:
    """The printed YAML, read back as the YAML plugin reads it."""
    return load_scenario_text(printed.yaml, display)


def _feature(written: ScenarioFile, comment: str, language: Language) -> str:
    text = yaml_to_feature(written, language, title=FEATURE[language])
    if language == "ja":
        first, _, rest = text.partition("\n")
        return f"{first}\n{comment}\n{rest}"
    return f"{comment}\n{text}"


def _comment(explanation: str) -> str:
    lines = ["Found by `harness explore`: what was wrong, the timeline and Seller Central at the failing "
             "step.",
             "", *explanation.splitlines()]
    return "\n".join(f"# {line}".rstrip() for line in lines)
