"""pytest collects YAML scenarios in a new project: tested the way users use it, with `pytester`.

Each test runs pytest in a subprocess, so the plugin loads through its entry point as in another
repository, with its own merchant time.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from textwrap import dedent

import pytest

pytest_plugins = ["pytester"]

DROP_OFF = """\
name: Buyer drops off
tags: [open-2]
parameters:
  - {intent: Authorize}
  - {intent: AuthorizeWithCapture}
steps:
  - merchant: {start checkout: order A, amount: 5000 JPY, intent: "{intent}"}
  - buyer: pay
  - buyer: drop off
  - expect: {status: Open}
  - wait: 24 hours
  - expect: {status: %s}
"""


def scenario(pytester: pytest.Pytester, path: str, text: str) -> None:
    target = pytester.path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dedent(text), encoding="utf-8")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_yaml_scenario_in_scenarios_passes_with_nothing_but_the_plugin(pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/dropoff.yaml", DROP_OFF % "Canceled")
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["scenarios/dropoff.yaml::Buyer drops off[[]row 1[]] PASSED*",
                                 "scenarios/dropoff.yaml::Buyer drops off[[]row 2[]] PASSED*"])


def test_a_failed_expectation_shows_the_steps_line_the_timeline_and_the_view(
        pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/dropoff.yaml", DROP_OFF % "Open")
    result = run(pytester)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "*_ Buyer drops off[[]row 1[]] _*",
        "scenarios/dropoff.yaml:12: expect: {status: Open}",
        "expected Seller Central to show order A (S03-*) as Open, but it shows Canceled",
        "*Timeline of the scenario (simulated time):",
        "*time*1 day pass",
        "*Seller Central transaction view at 2026-01-06 00:00:00 UTC*",
    ])


def test_a_broken_file_fails_collection_with_its_position(pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/typo.yaml", "name: Typo\nsteps:\n  - wiat: 24 hours\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["scenarios/typo.yaml:3:5: unknown action 'wiat' — did you mean 'wait'?"])
    assert "Traceback" not in result.stdout.str()


def test_japanese_names_stay_readable_and_tags_are_markers(pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/ja.yaml", """\
        name: 購入者が離脱する
        tags: [canceled-2]
        steps:
          - buyer: {checkout: 注文A, amount: "5,000円"}
          - wait: 24時間
          - expect: {status: オープン, order: 注文A}
        """)
    result = run(pytester, "-v", "-m", "canceled-2")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["scenarios/ja.yaml::購入者が離脱する PASSED*"])


def test_other_folders_are_collected_when_the_ini_option_names_them(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\namazon_pay_scenarios = qa/yaml\n")
    scenario(pytester, "qa/yaml/dropoff.yaml", DROP_OFF % "Canceled")
    scenario(pytester, "config/ci.yaml", "jobs: {build: {}}\n")  # not a scenario folder: ignored
    run(pytester).assert_outcomes(passed=2)


def test_the_same_fixtures_options_and_junit_report_as_gherkin(pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/dropoff.yaml", DROP_OFF % "Canceled")
    pytester.makepyfile(shop="""\
        from harness.merchant.reference import reference_merchant

        CALLS = []

        def factory(simulator):
            CALLS.append(simulator)
            merchant = reference_merchant(simulator)
            merchant.shop_url = "https://own-shop.example"
            return merchant
        """)
    result = run(pytester, "--amazon-pay-merchant", "shop:factory", "--junitxml=junit.xml", "-n", "2")
    result.assert_outcomes(passed=2)
    cases = ET.parse(pytester.path / "junit.xml").getroot().iter("testcase")
    names = sorted(case.get("name") or "" for case in cases)
    assert names == ["Buyer drops off[row 1]", "Buyer drops off[row 2]"]


def test_a_yaml_file_named_on_the_command_line_is_collected(pytester: pytest.Pytester) -> None:
    scenario(pytester, "elsewhere/dropoff.yaml", DROP_OFF % "Canceled")
    run(pytester, "elsewhere/dropoff.yaml").assert_outcomes(passed=2)


MODELINE = "# yaml-language-server: $schema=../schemas/scenario.schema.json\n"


def test_other_yaml_beside_the_scenarios_is_left_to_other_plugins(pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/dropoff.yaml", DROP_OFF % "Canceled")
    scenario(pytester, "scenarios/load.yaml", "config:\n  users: 50\n  ramp: 10s\nstages: [warm, peak]\n")
    scenario(pytester, "scenarios/names.yml", "name: a list of names, not a scenario\n")
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2)
    assert "load.yaml" not in result.stdout.str() and "names.yml" not in result.stdout.str()


def test_the_schema_modeline_declares_a_scenario_so_a_misspelt_key_is_reported(
        pytester: pytest.Pytester) -> None:
    scenario(pytester, "scenarios/typo.yaml", MODELINE + "nmae: Typo\nstpes:\n  - wait: 24 hours\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["scenarios/typo.yaml:2:1: unknown key 'nmae'*did you mean 'name'?*"])


def test_a_file_declaring_itself_is_collected_in_any_folder(pytester: pytest.Pytester) -> None:
    scenario(pytester, "qa/checkout/dropoff.yaml", DROP_OFF % "Canceled")
    scenario(pytester, "qa/checkout/modeline.yaml", MODELINE + dedent(DROP_OFF % "Canceled").replace(
        "name: Buyer drops off", "name: With the modeline"))
    run(pytester).assert_outcomes(passed=4)


def test_step_durations_reach_the_record_and_are_not_kept_after_the_test(pytester: pytest.Pytester) -> None:
    """Every collected item lives to the session's end: a run test's step durations go into its record
    (when a report option asks for one) and are let go at its teardown."""
    scenario(pytester, "scenarios/dropoff.yaml", DROP_OFF % "Canceled")
    pytester.makeconftest("""
        def pytest_sessionfinish(session):
            print("durations kept:", [list(item.timings) for item in session.items])
    """)
    result = run(pytester, "-s", "--cucumberjson=cucumber.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*durations kept: [[][[][]], [[][]][]]*"])
    features = json.loads((pytester.path / "cucumber.json").read_text(encoding="utf-8"))
    durations = [step["result"]["duration"] for feature in features for element in feature["elements"]
                 for step in element["steps"]]
    assert len(durations) == 12 and all(duration > 0 for duration in durations)
