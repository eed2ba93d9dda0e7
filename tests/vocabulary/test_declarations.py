"""Declaring a step: what one decorated function gives both syntaxes, and a wrong declaration's error."""

from __future__ import annotations

from typing import Annotated

import pytest

from harness.errors import HarnessError
from harness.money import Money
from harness.scenario.world import ScenarioWorld
from harness.vocabulary import declarations
from harness.vocabulary.declarations import Say, action, expectation
from harness.vocabulary.templates import DeclarationError
from harness.vocabulary.values import AMOUNT, COUNT, Arg


@pytest.fixture(autouse=True)
def own_vocabulary(monkeypatch: pytest.MonkeyPatch) -> list[declarations.Declaration]:
    """Declarations made here go to a vocabulary of their own, not the harness's."""
    vocabulary: list[declarations.Declaration] = []
    monkeypatch.setattr(declarations, "VOCABULARY", vocabulary)
    monkeypatch.setattr(declarations, "STEP_MODULES", ())
    return vocabulary


def test_one_declaration_gives_the_yaml_action_its_arguments_and_both_step_texts(
        own_vocabulary: list[declarations.Declaration]) -> None:
    @action("merchant", "tip", en="the merchant tips {amount}[ {times} times]",
            ja="加盟店が{amount}のチップを払う[({times}回)]")
    def merchant_tips(scenario_world: ScenarioWorld, *,
                      amount: Annotated[Money, Arg(AMOUNT, "the tip")],
                      times: Annotated[int, Arg(COUNT, "how often")] = 1) -> None:
        """The merchant tips (an example)."""

    (declared,) = own_vocabulary
    (tip,) = declared.actions
    assert (tip.actor, tip.key, tip.doc) == ("merchant", "tip", "The merchant tips (an example).")
    assert tip.subject is None  # no `order` parameter: the action takes no value of its own
    assert [(argument.key, argument.required) for argument in tip.arguments] == [("amount", True),
                                                                                ("times", False)]
    english = declared.phrasings[0].en
    assert english.match("the merchant tips 500 JPY 3 times") == {"amount": "500 JPY", "times": "3"}
    assert declared.phrasings[0].ja.match("加盟店が500円のチップを払う") == {"amount": "500円"}
    assert declared.keywords == ("given", "when")


def test_variants_give_one_yaml_action_per_fixed_value() -> None:
    @expectation("size", Say(en="the {what} is {count}", ja="{what}が{count}"), subject="count",
                 variants={"small": {"what": "small"}, "large": {"what": "large"}})
    def size(scenario_world: ScenarioWorld, *, what: Annotated[str, Arg(AMOUNT, "which")],
             count: Annotated[int, Arg(COUNT, "how many")]) -> None:
        """The {what} one has this many."""

    assert [(entry.key, entry.doc) for entry in size.declaration.actions] == [  # type: ignore[attr-defined]
        ("small", "The small one has this many."), ("large", "The large one has this many.")]


@pytest.mark.parametrize(("declare", "message"), [
    (lambda: action("merchant", "x", en="the merchant does {nothing}", ja="加盟店が{nothing}"),
     "names nothing, which the step function does not take"),
    (lambda: action("merchant", "x", en="the merchant [does", ja="加盟店が"), "unbalanced '\\['"),
    (lambda: action("shopkeeper", "x", en="x", ja="x"), "unknown actor 'shopkeeper'"),
    (lambda: action("merchant", "x", en="x"), "English and Japanese text together"),
])
def test_a_wrong_declaration_says_what_is_wrong(declare: object, message: str) -> None:
    with pytest.raises(DeclarationError, match=message) as raised:
        declare()(lambda scenario_world: None)  # type: ignore[operator]
    assert isinstance(raised.value, HarnessError)


def test_a_parameter_without_its_kind_and_a_key_declared_twice_are_refused() -> None:
    def untyped(scenario_world: ScenarioWorld, *, amount: Money) -> None:
        """No kind."""

    with pytest.raises(DeclarationError, match="annotate 'amount' with Annotated"):
        action("merchant", "untyped", en="the merchant pays {amount}", ja="加盟店が{amount}")(untyped)

    def first(scenario_world: ScenarioWorld) -> None:
        """First."""

    def second(scenario_world: ScenarioWorld) -> None:
        """Second."""

    action("merchant", "same", en="a", ja="a")(first)
    with pytest.raises(DeclarationError, match="'merchant: same' is already declared by first"):
        action("merchant", "same", en="b", ja="b")(second)
