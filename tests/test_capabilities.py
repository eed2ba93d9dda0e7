"""Capability tags: every shipped scenario carries the ones it needs, and a shop skips what it lacks."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from harness.capabilities import UnknownCapabilityError, read_unsupported
from tests.capability_needs import capability_tags, feature_needs, yaml_needs

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parents[1]
SHIPPED = sorted(ROOT.glob("features/**/*.feature")) + sorted(ROOT.glob("scenarios/**/*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_shipped_scenario_carries_the_capability_tags_its_steps_need(path: Path) -> None:
    read: Callable[[Path], Iterator[tuple[str, set[str], set[str]]]] = \
        feature_needs if path.suffix == ".feature" else yaml_needs
    needed_by_some: dict[str, set[str]] = defaultdict(set)
    tagged: dict[str, set[str]] = defaultdict(set)
    for name, tags, needs in read(path):
        assert needs <= tags, f"{path.name}: {name} needs {sorted(needs - tags)} but is not tagged so"
        needed_by_some[name] |= needs
        tagged[name] |= capability_tags(tags)
    for name, tags in tagged.items():
        extra = sorted(tags - needed_by_some[name])
        assert not extra, f"{path.name}: {name} is tagged {extra} but none of its steps needs it"


def test_unsupported_capabilities_are_read_from_commas_and_spaces() -> None:
    assert [capability.tag for capability in read_unsupported(["recurring, @overcharge", "refund"])] == \
        ["recurring", "overcharge", "refund"]
    assert read_unsupported([]) == ()
    with pytest.raises(UnknownCapabilityError, match="did you mean 'recurring'"):
        read_unsupported(["recuring"])


FEATURE = """\
Feature: Capabilities
  Scenario: A plain checkout
    Given the buyer checked out the order of 5,000 JPY
    Then Seller Central shows the order as Open

  @recurring @shop-own-tag
  Scenario: A recurring checkout
    Given the buyer checked out the order of 5,000 JPY with recurring
    Then Seller Central shows the order as Open
"""


@pytest.fixture
def shop(pytester: pytest.Pytester) -> pytest.Pytester:
    (pytester.path / "shop.feature").write_text(FEATURE, encoding="utf-8")
    pytester.makepyfile(test_shop="from harness.gherkin import scenarios\n\nscenarios('.')\n")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers", "-rs", *args)


def test_feature_tags_pass_strict_markers_and_deselect(shop: pytest.Pytester) -> None:
    run(shop).assert_outcomes(passed=2)
    run(shop, "-m", "not recurring").assert_outcomes(passed=1, deselected=1)


def test_a_shop_declares_what_it_does_not_support_in_its_ini_file(shop: pytest.Pytester) -> None:
    shop.makeini("[pytest]\namazon_pay_unsupported = recurring overcharge\n")
    result = run(shop)
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*needs @recurring (Recurring checkouts*amazon_pay_unsupported declares the "
                                 "shop does not support*"])


def test_the_command_line_option_overrides_the_ini_file(shop: pytest.Pytester) -> None:
    shop.makeini("[pytest]\namazon_pay_unsupported = overcharge\n")
    run(shop).assert_outcomes(passed=2)
    run(shop, "--amazon-pay-unsupported=recurring,refund").assert_outcomes(passed=1, skipped=1)


def test_an_unknown_capability_is_one_usage_error(shop: pytest.Pytester) -> None:
    result = run(shop, "--amazon-pay-unsupported=recuring")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*amazon_pay_unsupported: unknown capability 'recuring' (did you mean "
                                 "'recurring'?)*"])


def test_yaml_tags_and_features_converted_from_them_pass_strict_markers(pytester: pytest.Pytester) -> None:
    (pytester.path / "shop.yaml").write_text(dedent("""\
        name: A recurring checkout
        tags: [recurring, nightly-only]
        steps:
          - buyer: {checkout: the order, amount: 5000 JPY, recurring: true}
          - expect: {status: Open}
        """), encoding="utf-8")
    run(pytester, "shop.yaml").assert_outcomes(passed=1)
    run(pytester, "shop.yaml", "--amazon-pay-unsupported=recurring").assert_outcomes(skipped=1)
    converted = pytester.run(sys.executable, "-m", "harness.cli", "convert", "shop.yaml")
    assert converted.ret == 0, converted.stderr.str()
    assert "@nightly-only" in converted.stdout.str()
    (pytester.path / "shop.feature").write_text(converted.stdout.str(), encoding="utf-8")
    run(pytester, "shop.feature").assert_outcomes(passed=1)


def test_the_button_flow_skips_what_only_the_shops_own_create_checkout_session_can_do(
        pytester: pytest.Pytester) -> None:
    """The throttled Create Checkout Session is the shop's call in the session flow; in the button flow
    Amazon's button creates the session, so the scenario is skipped there, naming why."""
    (pytester.path / "retries.feature").write_text(dedent("""\
        Feature: Retries
          @retry @create-checkout
          Scenario: Throttled three times, the checkout is created on the fourth call
            Given Amazon Pay throttles the next 3 calls
            When the merchant starts a checkout for order A of 5,000 JPY
            Then Amazon Pay received 4 createCheckoutSession calls for order A with the same idempotency key

          @retry
          Scenario: A throttled capture is retried once
            Given the buyer checked out order A of 5,000 JPY
            And Amazon Pay throttles the next call
            When the merchant captures order A
            Then Amazon Pay received 2 captureCharge calls for order A with the same idempotency key
        """), encoding="utf-8")
    pytester.makepyfile(test_shop="from harness.gherkin import scenarios\n\nscenarios('.')\n")
    run(pytester).assert_outcomes(passed=2)
    through_button = run(pytester, "--amazon-pay-checkout-flow=button")
    through_button.assert_outcomes(passed=1, skipped=1)
    through_button.stdout.fnmatch_lines(["*needs @create-checkout (the shop creating the Checkout Session "
                                         "itself*which the button flow (amazon_pay_checkout_flow = button) "
                                         "never does*"])
