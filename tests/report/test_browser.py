"""What a person sees in the living documentation, in a real browser (`tests.browser`: the system
Chromium). Screenshots are kept beside the run's reports and their paths printed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium, screenshot
from tests.report.suite import SuiteRun

ROOT = Path(__file__).parents[2]


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


@pytest.fixture(scope="module")
def own_living_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The living doc of the repository's own Open features (English and Japanese), as QA leads get it."""
    out = tmp_path_factory.mktemp("own-suite") / "living-doc.html"
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:xdist",
                           "features/open.feature", "features/ja/open.feature", f"--amazon-pay-report={out}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    return out


def test_the_repositorys_own_suite_shows_a_known_scenario_and_its_statuses(browser: Browser,
                                                                          own_living_doc: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(own_living_doc.as_uri())
    title = "A dropped-off Authorize checkout is Open at 23:59:59 and Canceled at 24:00:00"
    scenario = page.locator("article.scenario", has_text=title).first
    expect(scenario.locator(".badge").first).to_have_text("passed")
    scenario.locator("summary").first.click()
    expect(scenario).to_contain_text("Open")
    expect(scenario.locator("td.sc-Canceled").first).to_be_visible()
    expect(page.locator("#machine-CheckoutSession .diagram svg")).to_be_visible()
    screenshot(page, own_living_doc.parent / "screenshots", "own-suite")
    page.close()
