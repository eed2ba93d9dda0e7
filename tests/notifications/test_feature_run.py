"""A shop's project runs a feature about IPN with nothing but the plugin, and a shop whose IPN
handler fails is caught with a message naming what the shop answered (pytester, in a subprocess)."""

from __future__ import annotations

from textwrap import dedent

import pytest

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: The shop hears of a pending authorization by IPN
  Scenario: A pending authorization resolved later
    Given the merchant starts a checkout for order A of 5,000 JPY with canHandlePendingAuthorization
    And the buyer of order A pays with the card ending in 0701
    And the buyer of order A returns to the shop
    When 30 seconds pass
    Then the merchant received a CHARGE notification for order A
    And the merchant's record of order A is authorized
    And the merchant answered 200 to every notification
"""

BROKEN_SHOP = """\
from harness.merchant import reference_merchant


class BrokenIpnShop:
    '''The reference shop, with an IPN endpoint that fails after doing nothing.'''

    def __init__(self, shop):
        self._shop = shop

    def __getattr__(self, name):
        return getattr(self._shop, name)

    def receive_notification(self, body, headers):
        return 500


def make_shop(simulator):
    return BrokenIpnShop(reference_merchant(simulator))
"""


def _project(pytester: pytest.Pytester) -> None:
    (pytester.path / "ipn.feature").write_text(FEATURE, encoding="utf-8")
    pytester.makepyfile(test_features="from harness.gherkin import scenarios\n\nscenarios('.')\n",
                        myshop=dedent(BROKEN_SHOP))


def test_the_feature_passes_with_the_reference_merchant(pytester: pytest.Pytester) -> None:
    _project(pytester)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist").assert_outcomes(passed=1)


def test_a_shop_whose_ipn_handler_fails_is_caught(pytester: pytest.Pytester) -> None:
    _project(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist",
                                           "--amazon-pay-merchant=myshop:make_shop")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "expected the merchant to have received a CHARGE notification for order A" in output
    assert "CHARGE S03-" in output and "(attempt 1): 500" in output
    assert "sends IPN CHARGE" in output  # the delivery is in the timeline (and so the living doc)
