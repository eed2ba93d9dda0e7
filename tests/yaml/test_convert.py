"""YAML -> .feature -> YAML gives the same scenarios; every shipped feature file has a YAML form."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from harness.convert import ConversionError, feature_to_yaml, yaml_to_feature
from harness.vocabulary.declarations import Language
from harness.yaml import ScenarioFile, load_scenario_file, load_scenario_text
from tests.yaml.helpers import load

ROOT = Path(__file__).parents[2]
SCENARIO_FILES = sorted((ROOT / "scenarios").rglob("*.yaml"))
FEATURE_FILES = sorted((ROOT / "features").rglob("*.feature"))


def _data(scenarios: ScenarioFile) -> list[Any]:
    """What the scenarios do: per test, its steps' actions and read values (tags as a set).

    A parameter that chooses steps has no Gherkin form, so such a scenario comes back as one scenario
    per row, named with the row: the row's suffix is left out of the comparison.
    """
    return [(re.sub(r" \[row \d+\]$", "", scenario.name), sorted(scenario.tags),
             [(step.action.actor, step.action.key, step.values) for step in scenario.steps])
            for scenario in scenarios.scenarios]


def _round_trip(scenarios: ScenarioFile, tmp_path: Path, language: Language) -> ScenarioFile:
    feature = tmp_path / "converted.feature"
    feature.write_text(yaml_to_feature(scenarios, language), encoding="utf-8")
    return load_scenario_text(feature_to_yaml(feature), "converted.yaml")


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_yaml_to_feature_to_yaml_gives_the_same_scenarios(path: Path, tmp_path: Path,
                                                           language: Language) -> None:
    original = load_scenario_file(path)
    assert _data(_round_trip(original, tmp_path, language)) == _data(original)


def test_parameters_become_a_scenario_outline_and_come_back() -> None:
    scenarios = load("""\
        name: Buyer drops off ({intent})
        tags: [open-2]
        parameters:
          - {intent: Authorize, card: "0701"}
          - {intent: Confirm, card: "1111"}
        steps:
          - merchant: {start checkout: order A, amount: 5000 JPY, intent: "{intent}"}
          - buyer: {pay: order A, card: "{card}"}
          - buyer: drop off
          - wait: {until: 24 hours, after: the checkout started}
          - expect: {status: Canceled, order: order A}
          - expect: {amounts: {authorized: "5,000 JPY", captured: 0 JPY}}
          - expect: {charge permission: Closed, no reason: false}
        """)
    assert yaml_to_feature(scenarios) == """\
Feature: Example

  @open-2
  Scenario Outline: Buyer drops off (<intent>)
    Given the merchant starts a checkout for order A of 5000 JPY with payment intent <intent>
    And the buyer of order A pays with the card ending in <card>
    And the buyer drops off before returning to the shop
    When it is 24 hours after the checkout started
    Then Seller Central shows order A as Canceled
    And Seller Central shows the order with 5,000 JPY authorized and 0 JPY captured
    And the Charge Permission of the order is Closed

    Examples:
      | intent    | card |
      | Authorize | 0701 |
      | Confirm   | 1111 |
"""


def test_the_japanese_feature_uses_the_japanese_steps() -> None:
    scenarios = load("""\
        name: 離脱
        steps:
          - buyer: {checkout: 注文A, amount: "5,000円", recurring: true}
          - wait: 24時間
          - expect: {status: オープン, order: 注文A}
        """)
    assert yaml_to_feature(scenarios, "ja").splitlines()[4:] == [
        "    前提 購入者が注文Aの5,000円の決済を完了する(定期購入)",
        "    もし 24時間が経過する",
        "    ならば セラーセントラルで注文Aがオープンと表示されること",
    ]


def test_english_values_are_written_in_japanese_in_a_japanese_feature() -> None:
    scenarios = load("""\
        name: Dropped off
        steps:
          - wait: {start at: "2026-01-31 23:30 JST"}
          - buyer: {checkout: order A, amount: 5000 JPY, total order amount: "10,000 JPY"}
          - wait: {until: 13 months minus 1 second, after: the buyer paid}
          - wait: 23:59:59
          - expect: {status: Canceled, order: the order}
          - expect: {amounts: {authorized: "5,000 JPY", refunded: ¥0}}
          - expect: {merchant record: pending}
        """)
    assert yaml_to_feature(scenarios, "ja").splitlines()[4:] == [
        "    前提 2026-01-31 23:30(日本時間)である",
        "    かつ 購入者が注文Aの5,000円の決済を完了する(注文合計10,000円)",
        "    かつ 購入者の支払いから13か月マイナス1秒後になる",
        "    もし 23:59:59が経過する",
        "    ならば セラーセントラルで注文がキャンセルと表示されること",
        "    かつ セラーセントラルの注文の金額がオーソリ5,000円、返金0円であること",
        "    かつ 加盟店の注文の記録が未完了であること",
    ]


@pytest.mark.parametrize("path", FEATURE_FILES, ids=lambda path: str(path.relative_to(ROOT / "features")))
def test_every_shipped_feature_has_a_yaml_form(path: Path) -> None:
    converted = load_scenario_text(feature_to_yaml(path), "converted.yaml")
    assert converted.scenarios


def test_a_step_outside_the_vocabulary_cannot_be_converted(tmp_path: Path) -> None:
    feature = tmp_path / "odd.feature"
    feature.write_text("Feature: Odd\n  Scenario: Odd\n    Given the moon is full\n", encoding="utf-8")
    with pytest.raises(ConversionError, match=r"odd.feature:3:1: the step Given 'the moon is full' is not"):
        feature_to_yaml(feature, "odd.feature")


def test_a_parameter_gherkin_cannot_hold_gives_a_scenario_per_row() -> None:
    scenarios = load("""\
        name: x
        parameters: [{flag: true}, {flag: false}]
        steps:
          - buyer: {checkout: , amount: 1 JPY, recurring: "{flag}"}
        """)
    assert yaml_to_feature(scenarios).splitlines()[2:] == [
        "  Scenario: x [row 1]",
        "    When the buyer checked out the order of 1 JPY with recurring",
        "",
        "  Scenario: x [row 2]",
        "    When the buyer checked out the order of 1 JPY",
    ]
