"""The closest known steps to a step that has no definition, for the "step not found" error."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from harness.scenario.parsing import normalize

__all__ = ["describe_undefined"]


@dataclass(frozen=True)
class Suggestion:
    """A known step: its keyword, its template, an example, and how close it is (0..1)."""

    keyword: str
    template: str
    example: str
    score: float


def closest_steps(step: Step, limit: int = 5) -> list[Suggestion]:
    """The registered steps of the same keyword whose text is closest to `step`'s."""
    text = normalize(step.name).lower()
    found: dict[tuple[str, str], Suggestion] = {}
    for context in list(step_function_context_registry.values()):
        if context.type is not None and context.type != step.type:
            continue
        for template, examples in _templates(context):
            for example in examples:
                score = difflib.SequenceMatcher(None, text, normalize(example).lower()).ratio()
                key = (context.type or "*", template)
                if key not in found or score > found[key].score:
                    found[key] = Suggestion(context.type or "step", template, example, score)
    return sorted(found.values(), key=lambda suggestion: -suggestion.score)[:limit]


def describe_undefined(step: Step, message: str) -> str:
    """pytest-bdd's message, then the closest known steps with an example each."""
    suggestions = closest_steps(step)
    if not suggestions:
        return message
    lines = [message, "", "The closest known steps are:"]
    for suggestion in suggestions:
        lines.append(f"  {suggestion.keyword.capitalize()} {suggestion.template}")
        if suggestion.example != suggestion.template:
            lines.append(f"      e.g. {suggestion.example}")
    return "\n".join(lines)


def _templates(context: StepFunctionContext) -> list[tuple[str, list[str]]]:
    """The templates a step definition stands for, each with examples (the vocabulary: all of it).

    The vocabulary's parsers (`harness.gherkin.steps.VocabularySteps`) list theirs; importing that
    module here would import it before pytest registers it as a plugin (an assert-rewrite warning).
    """
    known = getattr(context.parser, "known", None)
    return list(known()) if callable(known) else [(context.parser.name, [context.parser.name])]
