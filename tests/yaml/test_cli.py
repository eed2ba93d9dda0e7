"""The `harness` command: exit codes 0 / 1 / 2, progress and summary, conversion and generation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.yaml.test_collection import DROP_OFF, scenario

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Drop off
  Scenario: The buyer drops off
    Given the merchant starts a checkout for the order of 5,000 JPY
    When the buyer pays
    And the buyer drops off before returning to the shop
    And 24 hours pass
    Then Seller Central shows the order as Canceled
"""


def harness(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "harness.cli", *args)


def test_run_exits_0_when_every_scenario_passes_yaml_and_feature(pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/dropoff.yaml", DROP_OFF % "Canceled")
    scenario(pytester, "qa/dropoff.feature", FEATURE)
    result = harness(pytester, "run", "qa")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["qa/dropoff.feature .*", "qa/dropoff.yaml ..*[[]100%[]]", "*3 passed*"])


def test_run_writes_the_reports_it_is_asked_for(pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/dropoff.yaml", DROP_OFF % "Canceled")
    scenario(pytester, "qa/dropoff.feature", FEATURE)
    result = harness(pytester, "run", "--report", "out/doc.html", "--cucumberjson", "out/c.json",
                     "--junitxml", "out/j.xml", "qa")
    assert result.ret == 0
    features = json.loads((pytester.path / "out/c.json").read_text(encoding="utf-8"))
    assert {feature["uri"] for feature in features} == {"qa/dropoff.yaml", "qa/dropoff.feature"}
    assert "The buyer drops off" in (pytester.path / "out/doc.html").read_text(encoding="utf-8")
    assert 'classname="qa.dropoff.feature"' in (pytester.path / "out/j.xml").read_text(encoding="utf-8")


def test_run_exits_1_when_a_scenario_fails(pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/dropoff.yaml", DROP_OFF % "Open")
    result = harness(pytester, "run", "qa", "-v")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["qa/dropoff.yaml::Buyer drops off[[]row 1[]] FAILED*", "*2 failed*"])


def test_run_exits_2_for_a_bad_scenario_file(pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/typo.yaml", "name: Typo\nsteps:\n  - wiat: 24 hours\n")
    result = harness(pytester, "run", "qa")
    assert result.ret == 2
    result.stdout.fnmatch_lines(["qa/typo.yaml:3:5: unknown action 'wiat' — did you mean 'wait'?"])


@pytest.mark.parametrize("args", [("run", "missing"), ("run", "empty"), ("convert", "notes.txt"),
                                  ("launch",)])
def test_run_and_convert_exit_2_for_bad_usage(pytester: pytest.Pytester, args: tuple[str, ...]) -> None:
    (pytester.path / "empty").mkdir()
    (pytester.path / "notes.txt").write_text("hello", encoding="utf-8")
    assert harness(pytester, *args).ret == 2


def test_convert_turns_yaml_into_a_feature_and_back(pytester: pytest.Pytester) -> None:
    scenario(pytester, "dropoff.yaml", DROP_OFF % "Canceled")
    result = harness(pytester, "convert", "dropoff.yaml", "-o", "dropoff.feature")
    assert result.ret == 0
    feature = (pytester.path / "dropoff.feature").read_text(encoding="utf-8")
    assert "Scenario Outline: Buyer drops off" in feature
    back = harness(pytester, "convert", "dropoff.feature")
    assert back.ret == 0
    back.stdout.fnmatch_lines(["name: Buyer drops off",
                               "- merchant: {start checkout: order A, amount: 5000 JPY, intent: '{intent}'}"])


def test_convert_of_a_broken_file_exits_2_with_its_position(pytester: pytest.Pytester) -> None:
    scenario(pytester, "typo.yaml", "name: Typo\nsteps:\n  - buyer: dorp off\n")
    result = harness(pytester, "convert", "typo.yaml")
    assert result.ret == 2
    result.stderr.fnmatch_lines(["harness: typo.yaml:3:12: unknown buyer action 'dorp off' — did you mean "
                                 "'drop off'?"])


def test_generate_check_fails_when_a_file_is_stale(pytester: pytest.Pytester) -> None:
    assert harness(pytester, "generate", "--check").ret == 1
    assert harness(pytester, "generate").ret == 0
    assert (Path(pytester.path) / "schemas/scenario.schema.json").is_file()
    assert harness(pytester, "generate", "--check").ret == 0


def test_run_takes_options_anywhere_and_pytest_arguments_after_a_double_dash(
        pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/dropoff.feature", FEATURE)
    scenario(pytester, "qa/failing.yaml", DROP_OFF % "Open")
    pytester.makepyfile(shop="from harness.merchant.reference import reference_merchant as factory\n")
    result = harness(pytester, "run", "qa/dropoff.feature", "--merchant", "shop:factory", "qa/failing.yaml",
                     "-v", "--", "-x")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["qa/dropoff.feature::test_the_buyer_drops_off PASSED*",
                                 "qa/failing.yaml::Buyer drops off[[]row 1[]] FAILED*",
                                 "*1 failed, 1 passed*"])  # -x stopped before row 2


def test_run_alone_prints_its_usage(pytester: pytest.Pytester) -> None:
    result = harness(pytester, "run")
    assert result.ret == 2
    result.stderr.fnmatch_lines(["usage: harness run PATH... [[]options[]] [[]-- pytest-args[]]",
                                 "*--merchant*"])
