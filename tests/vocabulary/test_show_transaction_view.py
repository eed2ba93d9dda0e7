"""`Seller Central shows the transaction view` / 取引管理画面を表示する / `show: transaction view`.

The one expectation that passes whatever the view shows: it puts the view into the scenario's
timeline, so that a passing run shows it too. Tested the way users use it: feature files in both
languages and a YAML file in a new project run by pytest, and the converter between the two.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from harness.convert import feature_to_yaml, yaml_to_feature
from tests.yaml.helpers import error_of, load

pytest_plugins = ["pytester"]

TIMELINE_TO_FILE = """\
import pathlib


def pytest_bdd_after_scenario(request, feature, scenario):
    world = request.getfixturevalue("scenario_world")
    pathlib.Path(f"timeline-{request.node.name}.txt").write_text(world.timeline.render(), encoding="utf-8")
"""

ENGLISH = """\
Feature: Drop-off
  Scenario: The view after a drop-off
    Given the merchant starts a checkout for the order of 5,000 JPY
    And the buyer pays
    When the buyer drops off before returning to the shop
    Then Seller Central shows the transaction view
    When 24 hours pass
    Then Seller Central shows the transaction view
"""

JAPANESE = """\
# language: ja
機能: 離脱
  シナリオ: 離脱後の取引管理画面
    前提 加盟店が注文の決済を5,000円で開始する
    かつ 購入者がAmazonで支払う
    もし 購入者が加盟店に戻る前に離脱する
    ならば セラーセントラルの取引管理画面を表示する
    もし 24時間が経過する
    ならば セラーセントラルの取引管理画面を表示する
"""

YAML = """\
name: The view after a drop-off
steps:
  - merchant: {start checkout: the order, amount: 5000 JPY}
  - buyer: pay
  - buyer: drop off
  - show: transaction view
  - wait: 24 hours
  - show: transaction view
"""


def _views(timeline: str) -> list[str]:
    """The statuses of the transaction views in a rendered timeline, in order."""
    lines = timeline.splitlines()
    return [lines[index + 2].split("|")[1].strip() for index, line in enumerate(lines)
            if "seller central  Amazon Reference ID | Status" in line]


@pytest.mark.parametrize("feature", [ENGLISH, JAPANESE], ids=["en", "ja"])
def test_a_passing_feature_shows_the_view_in_its_timeline(pytester: pytest.Pytester, feature: str) -> None:
    (pytester.path / "drop_off.feature").write_text(feature, encoding="utf-8")
    pytester.makepyfile(test_features="from harness.gherkin import scenarios\n\nscenarios('.')\n")
    pytester.makeconftest(TIMELINE_TO_FILE)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    timeline = next(pytester.path.glob("timeline-*.txt")).read_text(encoding="utf-8")
    assert _views(timeline) == ["Open", "Canceled"]


def test_a_yaml_scenario_shows_the_view_in_its_timeline(pytester: pytest.Pytester) -> None:
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "drop_off.yaml").write_text(YAML, encoding="utf-8")
    pytester.makeconftest(dedent("""\
        import pathlib

        import pytest


        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_call(item):
            yield
            world = item.funcargs["scenario_world"]
            pathlib.Path("timeline.txt").write_text(world.timeline.render(), encoding="utf-8")
        """))
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert _views((pytester.path / "timeline.txt").read_text(encoding="utf-8")) == ["Open", "Canceled"]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_it_converts_between_yaml_and_gherkin(tmp_path: Path, language: str) -> None:
    feature = yaml_to_feature(load(YAML), language)  # type: ignore[arg-type]
    step = "Then Seller Central shows the transaction view" if language == "en" else \
        "ならば セラーセントラルの取引管理画面を表示する"
    assert f"    {step}\n" in feature
    path = tmp_path / "converted.feature"
    path.write_text(feature, encoding="utf-8")
    assert feature_to_yaml(path).count("- show: transaction view\n") == 2


def test_it_takes_no_value() -> None:
    message = error_of("name: x\nsteps:\n  - show: {transaction view: the order}\n")
    assert message.startswith("scenarios/example.yaml:3:30: 'transaction view' takes no value; write "
                              "'show: transaction view'")
