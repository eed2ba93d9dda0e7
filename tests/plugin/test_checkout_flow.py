"""Which checkout flow the scenarios drive: the shop's own Create Checkout Session (the default) or
Amazon Pay's button (`amazon_pay_checkout_flow = button`), run the way a shop runs its features."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
BIND_ALL = "from harness.gherkin import scenarios\n\nscenarios('.')\n"
ONE_CHECKOUT = """\
Feature: One checkout
  Scenario: The buyer pays for an order
    Given the merchant starts a checkout for the order of 5,000 JPY
    When the buyer pays
    And the buyer returns to the shop
    Then Seller Central shows the order as Open
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_the_shipped_features_pass_through_the_reference_shops_button(pytester: pytest.Pytester) -> None:
    for name in ("open", "canceled", "refunds", "time_limits"):
        shutil.copy(REPO / "features" / f"{name}.feature", pytester.path)
    pytester.makepyfile(test_features=BIND_ALL)
    default = run(pytester)
    through_button = run(pytester, "--amazon-pay-checkout-flow=button")
    passed = default.parseoutcomes()["passed"]
    assert passed > 20
    through_button.assert_outcomes(passed=passed)


def test_a_shop_without_the_button_says_what_to_implement(pytester: pytest.Pytester) -> None:
    (pytester.path / "one.feature").write_text(ONE_CHECKOUT, encoding="utf-8")
    pytester.makepyfile(test_features=BIND_ALL, shop=dedent("""\
        from harness.merchant.reference import reference_merchant


        class SessionOnly:
            def __init__(self, inner):
                self._inner = inner

            def __getattr__(self, name):
                if name in ("render_button", "handle_review"):
                    raise AttributeError(name)
                return getattr(self._inner, name)

            start_checkout = property(lambda self: self._inner.start_checkout)
            handle_return = property(lambda self: self._inner.handle_return)
            capture = property(lambda self: self._inner.capture)
            refund = property(lambda self: self._inner.refund)
            cancel = property(lambda self: self._inner.cancel)
            close = property(lambda self: self._inner.close)
            charge = property(lambda self: self._inner.charge)
            reconcile = property(lambda self: self._inner.reconcile)
            order = property(lambda self: self._inner.order)


        def make(simulator):
            return SessionOnly(reference_merchant(simulator))
        """))
    assert run(pytester, "--amazon-pay-merchant=shop:make").ret == 0
    result = run(pytester, "--amazon-pay-merchant=shop:make", "-o", "amazon_pay_checkout_flow=button")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the merchant adapter SessionOnly has no Amazon Pay button: implement "
                                 "render_button and handle_review*"])


def test_a_shop_that_signs_its_button_with_another_key_is_caught(pytester: pytest.Pytester) -> None:
    (pytester.path / "one.feature").write_text(ONE_CHECKOUT, encoding="utf-8")
    pytester.makepyfile(test_features=BIND_ALL, shop=dedent("""\
        from harness.api.keys import test_key_pair
        from harness.merchant.reference import reference_merchant


        def make(simulator):
            shop = reference_merchant(simulator)
            shop.client.private_key = test_key_pair("SANDBOX-SOMEONE-ELSE").private_key
            return shop
        """))
    result = run(pytester, "--amazon-pay-merchant=shop:make", "--amazon-pay-checkout-flow=button")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*Amazon Pay's button showed an error page instead of the checkout of the order: Error Code: "
        "InvalidSignatureError; Error Message: Signature * does not match signedString AMZN-PAY-RSASSA-PSS *",
        "*signed the button's payload with SANDBOX-TESTKEY*"])


def test_an_unknown_flow_in_the_ini_file_is_one_usage_error(pytester: pytest.Pytester) -> None:
    (pytester.path / "one.feature").write_text(ONE_CHECKOUT, encoding="utf-8")
    pytester.makepyfile(test_features=BIND_ALL)
    result = run(pytester, "-o", "amazon_pay_checkout_flow=buton")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*amazon_pay_checkout_flow = 'buton': use session or button*"])
