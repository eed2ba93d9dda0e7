"""Anchors, aliases, merge keys and shared steps behave as in any YAML."""

from __future__ import annotations

from harness.yaml import Scenario
from tests.yaml.helpers import load


def _steps(scenario: Scenario) -> list[str]:
    return [step.label for step in scenario.steps]


def test_a_list_of_shared_steps_is_spliced_in_where_its_alias_is_used() -> None:
    scenarios = load("""\
        x-checkout: &checkout
          - buyer: {checkout: order A, amount: 5000 JPY}
          - expect: {status: Open}
        name: x
        steps:
          - *checkout
          - wait: 24 hours
          - *checkout
        """).scenarios
    assert _steps(scenarios[0]) == [
        "buyer: {checkout: order A, amount: 5000 JPY}", "expect: {status: Open}", "wait: {for: 24 hours}",
        "buyer: {checkout: order A, amount: 5000 JPY}", "expect: {status: Open}"]


def test_merge_keys_share_arguments_and_explicit_keys_win() -> None:
    scenario, = load("""\
        x-order: &order {amount: 5000 JPY, intent: Confirm}
        name: x
        steps:
          - buyer: {<<: *order, checkout: order A, intent: Authorize}
        """).scenarios
    values = scenario.steps[0].values
    assert str(values["intent"]) == "Authorize"
    assert str(values["amount"]) == "¥5,000"


def test_an_anchored_scalar_is_reused() -> None:
    scenario, = load("""\
        name: x
        steps:
          - buyer: {checkout: order A, amount: &amount 5000 JPY}
          - merchant: {refund: order A, amount: *amount}
        """).scenarios
    assert str(scenario.steps[1].values["amount"]) == "¥5,000"


def test_a_parameter_can_hold_steps_and_an_empty_list_is_no_step() -> None:
    first, second = load("""\
        name: x
        x-capture: &capture [{merchant: capture}, {expect: {status: Closed}}]
        parameters:
          - {then: *capture}
          - {then: []}
        steps:
          - buyer: {checkout: order A, amount: 5000 JPY}
          - "{then}"
        """).scenarios
    assert _steps(first)[1:] == ["merchant: capture", "expect: {status: Closed}"]
    assert _steps(second)[1:] == []


def test_several_scenarios_in_one_file_each_with_its_rows() -> None:
    scenarios = load("""\
        name: first
        steps: [{wait: 1 hour}]
        ---
        name: second {n}
        parameters: [{n: 1}, {n: 2}]
        steps: [{wait: "{n} hours"}]
        ---
        """).scenarios
    assert [scenario.test_name for scenario in scenarios] == ["first", "second 1[row 1]", "second 2[row 2]"]
    assert [scenario.parameters for scenario in scenarios] == [{}, {"n": "1"}, {"n": "2"}]
