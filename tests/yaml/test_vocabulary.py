"""The action table says everything the Gherkin steps say, calls the same methods, with the same defaults."""

from __future__ import annotations

import importlib
import inspect

import pytest

from harness.bdd.grammar import CATALOGUE
from harness.merchant.adapter import CheckoutRequest
from harness.merchant.reference import reference_merchant
from harness.scenario import phrases
from harness.scenario.world import ScenarioWorld
from harness.scenario.yaml import ACTIONS, Action
from harness.scenario.yaml.gherkin import step_template
from harness.scenario.yaml.values import AMOUNTS, ROW_COLUMNS
from harness.scenario.yaml.vocabulary import ACTORS, Phrase
from harness.simulator import Simulator

STEP_MODULES = ("harness.steps.actions", "harness.steps.expectations")


def _step_functions() -> set[str]:
    for module in STEP_MODULES:
        importlib.import_module(module)
    return {entry.function.__name__ for entry in CATALOGUE}


def test_action_keys_are_unique_per_actor_and_actors_are_documented() -> None:
    keys = [(entry.actor, entry.key) for entry in ACTIONS]
    assert len(keys) == len(set(keys))
    assert {entry.actor for entry in ACTIONS} == set(ACTORS)


@pytest.mark.parametrize("entry", ACTIONS, ids=lambda entry: f"{entry.actor}: {entry.key}")
def test_each_argument_is_a_parameter_of_the_method_with_the_same_default(entry: Action) -> None:
    simulator = Simulator()
    signature = inspect.signature(entry.method(ScenarioWorld(simulator, reference_merchant(simulator))))
    targets = dict(signature.parameters)
    if "request" in targets:  # the checkout's options are the fields of CheckoutRequest
        targets.pop("request")
        targets |= dict(inspect.signature(CheckoutRequest).parameters)
    for argument in entry.all_arguments:
        if argument.kind is AMOUNTS:
            assert set(ROW_COLUMNS) <= set(targets)
            continue
        assert argument.param in targets, f"{argument.param} is not a parameter of {entry.key}"
        parameter = targets[argument.param]
        if argument.required or argument.passes_none:
            continue
        assert parameter.default is not inspect.Parameter.empty, (
            f"{entry.actor}: {entry.key}: {argument.key} is optional in YAML but required by the method")
    for name in entry.fixed:
        assert name in targets


@pytest.mark.parametrize("entry", ACTIONS, ids=lambda entry: f"{entry.actor}: {entry.key}")
def test_the_gherkin_step_uses_the_same_placeholders(entry: Action) -> None:
    placeholders = {argument.placeholder for argument in entry.all_arguments if argument.placeholder}
    placeholders |= set(entry.fixed_text)
    written = " ".join(step_template(step) for step in entry.steps)
    for placeholder in placeholders:
        assert f"{{{placeholder}}}" in written


def _phrases() -> list[tuple[str, Phrase]]:
    return [(argument.key, argument.phrase) for entry in ACTIONS for argument in entry.arguments
            if argument.phrase is not None]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_checkout_option_phrases_are_read_by_the_gherkin_parser(language: str) -> None:
    written = {key: (phrase.en if language == "en" else phrase.ja).format("Confirm" if key == "intent"
                                                                          else "10,000 JPY")
               for key, phrase in dict(_phrases()).items()}
    request = phrases.parse_checkout_options(("、" if language == "ja" else ", ").join(written.values()),
                                             phrases.parse_row_amounts("1 JPY captured")["captured"])
    assert request.allow_overcharge and request.extend_expiration and request.recurring
    assert request.can_handle_pending_authorization and str(request.intent) == "Confirm"
    assert str(request.total_order_amount) == "¥10,000"
