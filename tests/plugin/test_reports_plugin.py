"""Settlement-report scenarios run the way a shop runs them: a feature file in a new project, the plugin
loaded through its entry point, pytest in a subprocess."""

from __future__ import annotations

import pytest

from tests.plugin.test_plugin import project, run

pytest_plugins = ["pytester"]

REPORT = """\
Feature: The shop's accounting import
  Scenario: January's settlement report holds the order
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And the merchant refunds 1,000 JPY of order A
    And 30 days pass
    When the merchant downloads the settlement report for January
    Then the settlement report lists a capture of {capture} and a refund of 1,000 JPY for order A
    And the settlement report pays out 3,844 JPY
"""

NO_REPORTS_SHOP = """\
from harness.merchant import reference_merchant


class CheckoutOnly:
    '''A shop adapter without the optional report calls.'''

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        if name in ("request_report", "download_report"):
            raise AttributeError(name)
        return getattr(self._inner, name)


def make_shop(simulator):
    return CheckoutOnly(reference_merchant(simulator))
"""


def test_a_settlement_report_scenario_passes_with_the_reference_merchant(pytester: pytest.Pytester) -> None:
    project(pytester, {"accounting": REPORT.format(capture="5,000 JPY")})
    run(pytester).assert_outcomes(passed=1)


def test_a_wrong_amount_fails_with_what_the_report_lists_and_the_timeline(
        pytester: pytest.Pytester) -> None:
    project(pytester, {"accounting": REPORT.format(capture="4,000 JPY")})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "expected the settlement report for January 2026 to list a capture of ¥4,000 for order A, " \
           "but it lists Authorization 5000 JPY" in output
    assert "Capture 5000 JPY" in output and "Refund -1000 JPY" in output
    assert "downloads the settlement report for January 2026" in output  # the timeline


def test_an_adapter_without_the_report_calls_is_told_what_is_missing(pytester: pytest.Pytester) -> None:
    project(pytester, {"accounting": REPORT.format(capture="5,000 JPY")}, myshop=NO_REPORTS_SHOP)
    result = run(pytester, "--amazon-pay-merchant=myshop:make_shop")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "has no request_report and no download_report" in output
    assert "amazon_pay_unsupported = reports" in output


def test_the_reports_capability_skips_the_scenario_for_a_shop_without_it(pytester: pytest.Pytester) -> None:
    project(pytester, {"accounting": "@reports\n" + REPORT.format(capture="5,000 JPY")},
            myshop=NO_REPORTS_SHOP)
    result = run(pytester, "--amazon-pay-merchant=myshop:make_shop", "--amazon-pay-unsupported=reports",
                 "-rs")
    result.assert_outcomes(skipped=1)
    assert "reports" in result.stdout.str()
