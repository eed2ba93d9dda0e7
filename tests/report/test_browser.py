"""What a person sees in the living documentation, in a real browser (`tests.browser`: the system
Chromium). Screenshots are kept beside the run's reports and their paths printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium, screenshot
from tests.report.suite import SuiteRun


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser, report_suite: SuiteRun) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(report_suite.living_doc.as_uri())
    yield page
    page.close()


def _screenshot(page: Page, run: SuiteRun, name: str) -> None:
    screenshot(page, run.root / "reports" / "screenshots", name)


def test_a_known_scenario_and_its_statuses(page: Page, report_suite: SuiteRun) -> None:
    scenario = page.locator("article.scenario", has_text="The buyer drops off and Amazon cancels")
    expect(scenario.locator(".badge").first).to_have_text("passed")
    expect(page.locator(".summary")).to_contain_text("2 failed")
    _screenshot(page, report_suite, "overview")


def test_a_failure_opens_at_its_step_with_expected_and_shown_side_by_side(page: Page,
                                                                          report_suite: SuiteRun) -> None:
    failure = page.locator("article.scenario", has_text="A wrong expectation fails at its step")
    panel = failure.locator(".side-by-side")
    expect(panel).to_be_visible()
    expect(panel.locator(".expected")).to_contain_text("as Open, but it shows Canceled")
    expect(panel.locator(".shown td.sc-Canceled")).to_be_visible()
    expected, shown = panel.locator(".expected").bounding_box(), panel.locator(".shown").bounding_box()
    assert expected is not None and shown is not None and expected["x"] + expected["width"] <= shown["x"]
    panel.scroll_into_view_if_needed()
    _screenshot(page, report_suite, "failure")


def test_search_filters_the_scenarios(page: Page, report_suite: SuiteRun) -> None:
    expect(page.locator("#shown")).to_have_text("6")
    page.fill("#search", "(YAML)")
    expect(page.locator("#shown")).to_have_text("1")
    expect(page.locator("article.scenario", has_text="The buyer drops off (YAML)")).to_be_visible()
    expect(page.locator("article.scenario", has_text="A step nobody defined")).to_be_hidden()
    page.fill("#search", "")
    page.select_option("#outcome-filter", "failed")
    expect(page.locator("#shown")).to_have_text("2")
    _screenshot(page, report_suite, "filtered")


def test_the_coverage_diagram_and_the_japanese_interface(page: Page, report_suite: SuiteRun) -> None:
    diagram = page.locator("#machine-ChargePermission .diagram svg")
    expect(diagram).to_be_visible()
    expect(diagram).to_contain_text("CHECKOUT_NEVER_COMPLETED")
    page.click("#language")
    expect(page.locator("h1")).to_contain_text("リビングドキュメント")
    diagram.scroll_into_view_if_needed()
    _screenshot(page, report_suite, "coverage-ja")
