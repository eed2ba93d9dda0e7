"""The CI outputs of a real run tell the truth: Cucumber JSON (checked against the Cucumber JSON schema),
JUnit XML, and the living documentation's content."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.report.suite import SuiteRun

SCHEMA = Path(__file__).parent.parent / "data" / "cucumber-json.schema.json"


def _features(run: SuiteRun) -> dict[str, Any]:
    return {feature["uri"]: feature for feature in json.loads(run.cucumber.read_text(encoding="utf-8"))}


def _scenario(run: SuiteRun, uri: str, name: str) -> dict[str, Any]:
    elements = _features(run)[uri]["elements"]
    return next(element for element in elements if element["name"] == name)


def _statuses(scenario: dict[str, Any]) -> list[str]:
    return [step["result"]["status"] for step in scenario["steps"]]


def test_the_run_fails_for_the_failing_and_the_undefined_scenario(report_suite: SuiteRun) -> None:
    assert report_suite.returncode == 1, report_suite.output
    assert "2 failed, 4 passed" in report_suite.output


def test_cucumber_json_follows_the_cucumber_json_schema(report_suite: SuiteRun) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(report_suite.cucumber.read_text(encoding="utf-8")), schema)


def test_every_scenario_is_listed_yaml_included_with_uris_relative_to_the_rootdir(
        report_suite: SuiteRun) -> None:
    features = _features(report_suite)
    assert set(features) == {"features/open.feature", "features/typo.feature", "features/ja/離脱.feature",
                             "scenarios/dropoff.yaml"}
    assert sum(len(feature["elements"]) for feature in features.values()) == 6
    yaml = features["scenarios/dropoff.yaml"]["elements"][0]
    assert yaml["name"] == "The buyer drops off (YAML)" and yaml["tags"] == [{"name": "@yaml", "line": 1}]
    assert _statuses(yaml) == ["passed"] * 5


def test_an_undefined_step_is_undefined_the_rest_skipped(report_suite: SuiteRun) -> None:
    scenario = _scenario(report_suite, "features/typo.feature", "A step nobody defined")
    assert _statuses(scenario) == ["passed", "undefined", "skipped"]
    assert scenario["steps"][1]["result"]["error_message"].startswith(
        'Step definition is not found: When "the buyer payz"')


def test_a_failed_expectation_says_what_was_expected_and_shown_and_skips_the_rest(
        report_suite: SuiteRun) -> None:
    scenario = _scenario(report_suite, "features/open.feature", "A wrong expectation fails at its step")
    assert _statuses(scenario) == ["passed"] * 4 + ["failed", "skipped"]
    message = scenario["steps"][4]["result"]["error_message"]
    assert message.startswith("expected Seller Central to show the order (S03-")
    assert "as Open, but it shows Canceled" in message.splitlines()[0]
    assert "fixturefunc" not in message and "Seller Central transaction view at" in message


def test_outline_rows_have_names_of_their_own(report_suite: SuiteRun) -> None:
    names = [element["name"] for element in _features(report_suite)["features/ja/離脱.feature"]["elements"]]
    assert sorted(names) == ["離脱した決済 [23時間-オープン]", "離脱した決済 [24時間-キャンセル]"]
    ids = [element["id"] for element in _features(report_suite)["features/ja/離脱.feature"]["elements"]]
    assert len(set(ids)) == 2


def test_tags_start_with_an_at_sign(report_suite: SuiteRun) -> None:
    assert _features(report_suite)["features/open.feature"]["tags"][0]["name"] == "@dropoff"


def test_junit_has_one_classname_per_scenario_file(report_suite: SuiteRun) -> None:
    cases = list(ET.parse(report_suite.junit).getroot().iter("testcase"))
    classnames = {case.get("classname") for case in cases}
    assert classnames == {"features.open.feature", "features.typo.feature", "features.ja.離脱.feature",
                          "scenarios.dropoff.yaml"}


@pytest.mark.parametrize("text", [
    "A wrong expectation fails at its step", "The buyer drops off (YAML)", "離脱した決済 [24時間-キャンセル]",
    "Seller Central showed", "セラーセントラルの表示", "ChargePermission", "CHECKOUT_NEVER_COMPLETED",
    "the buyer payz", "/v2/checkoutSessions", "2026-01-05 09:00:00", "T+24:00:00",
])
def test_the_living_doc_shows(report_suite: SuiteRun, text: str) -> None:
    assert text in report_suite.living_doc.read_text(encoding="utf-8")


def test_the_living_doc_is_self_contained_and_hides_signatures(report_suite: SuiteRun) -> None:
    html = report_suite.living_doc.read_text(encoding="utf-8")
    assert "<svg" in html, "no coverage diagram: is Graphviz installed? run scripts/setup-system"
    for outside in ("http://", "https://", "<link", "src="):
        remaining = html.replace("http://www.w3.org", "")  # SVG namespaces are names, not fetches
        assert outside not in remaining.replace("https://shop.example", ""), outside
    assert "Signature=…redacted…" in html
