"""Clock control: when a scenario starts, and durations with arithmetic before and after an anchor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest

from harness.clock import ClockError, SimulatedClock
from harness.merchant import CheckoutRequest
from harness.money import Money
from harness.scenario import ScenarioError, ScenarioWorld
from harness.scenario.parsing import Anchor, Duration, ScenarioValueError, parse_duration, parse_moment
from harness.seller_central.projection import TransactionStatus

pytest_plugins = ["pytester"]

JST_10 = datetime(2026, 1, 31, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-01-31 10:00 JST", "2026-01-31T10:00+09:00", "2026-01-31 01:00:00 UTC",
                                  "2026-01-31 10:00(日本時間)", "２０２６-01-31 10:00（日本時間）",
                                  "2026-01-31T01:00Z"])
def test_a_moment_is_read_with_its_time_zone(text: str) -> None:
    assert parse_moment(text) == JST_10


@pytest.mark.parametrize("text", ["2026-01-31 10:00", "2026-02-30 10:00 JST", "2026-01-31 25:00 JST",
                                  "tomorrow"])
def test_a_moment_without_a_zone_or_that_does_not_exist_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ScenarioValueError, match="write a date, a time and the time zone, like "
                                                 "2026-01-31 10:00 JST"):
        parse_moment(text)


@pytest.mark.parametrize(("text", "months", "delta"), [
    ("13 months minus 1 second", 13, timedelta(seconds=-1)),
    ("24 hours - 1 second", 0, timedelta(hours=23, minutes=59, seconds=59)),
    ("24時間マイナス1秒", 0, timedelta(hours=23, minutes=59, seconds=59)),
    ("1 day plus 2 hours", 0, timedelta(days=1, hours=2)),
    ("180 days minus 1 day minus 1 second", 0, timedelta(days=178, hours=23, minutes=59, seconds=59)),
])
def test_durations_add_and_subtract(text: str, months: int, delta: timedelta) -> None:
    assert parse_duration(text) == Duration(months, delta)


def test_a_sign_needs_a_part_after_it() -> None:
    with pytest.raises(ScenarioValueError, match="cannot read 'minus'"):
        parse_duration("24 hours minus")


def test_months_come_first_then_the_exact_part_which_may_be_negative() -> None:
    paid = datetime(2026, 1, 31, 3, 0, tzinfo=UTC)
    assert parse_duration("13 months minus 1 second").after(paid) == datetime(2027, 2, 28, 2, 59, 59,
                                                                               tzinfo=UTC)
    assert str(parse_duration("13 months minus 1 second")) == "13 months minus 1 second"
    assert parse_duration("24 hours").minus(parse_duration("1 second")) == parse_duration("23:59:59")


def test_the_clock_starts_where_it_is_told_only_before_anything_happens() -> None:
    clock = SimulatedClock()
    assert clock.start_at(JST_10) == JST_10 == clock.started_at
    clock.schedule(JST_10 + timedelta(hours=1), "later", lambda: None)
    with pytest.raises(ClockError, match="only before anything happens"):
        clock.start_at(JST_10 + timedelta(days=1))


def _drop_off(world: ScenarioWorld) -> None:
    world.merchant.starts_checkout(None, CheckoutRequest(Money.of(5000)))
    world.buyer.pays(None)
    world.buyer.drops_off(None)


def test_a_scenario_starting_at_a_month_end_is_canceled_exactly_24_hours_later(world: ScenarioWorld) -> None:
    world.time.starts_at(parse_moment("2026-01-31 23:30 JST"))
    _drop_off(world)
    started = world.orders.session(world.orders.get(None)).created_at
    assert started == datetime(2026, 1, 31, 14, 30, tzinfo=UTC)
    world.time.reaches(parse_duration("24 hours minus 1 second"), Anchor.CHECKOUT_STARTED, None)
    world.expect.status(None, TransactionStatus.OPEN)
    assert world.simulator.now() == datetime(2026, 2, 1, 14, 29, 59, tzinfo=UTC)
    world.time.reaches(parse_duration("24 hours"), Anchor.CHECKOUT_STARTED, None)
    world.expect.status(None, TransactionStatus.CANCELED)


def test_starting_after_something_happened_is_a_scenario_error(world: ScenarioWorld) -> None:
    _drop_off(world)
    with pytest.raises(ScenarioError, match="only before anything happens: put this step first"):
        world.time.starts_at(parse_moment("2026-02-01 10:00 JST"))
    with pytest.raises(ScenarioError, match="negative and time only moves forward"):
        world.time.passes(parse_duration("1 second minus 2 seconds"))


FEATURE = """\
Feature: Clock
  Scenario: Start and arithmetic
    Given it is 2026-01-31 23:30 JST
    And the merchant starts a checkout for the order of 5,000 JPY
    And the buyer pays
    And the buyer drops off before returning to the shop
    When it is 1 second before 24 hours after the checkout started
    Then Seller Central shows the order as {at_23_59_59}
    When it is 24 hours after the checkout started
    Then Seller Central shows the order as Canceled

  Scenario: Too late to start
    Given the merchant starts a checkout for the order of 5,000 JPY
    And it is 2026-01-31 23:30 JST
"""


def test_the_steps_in_a_feature_file(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", clock=FEATURE.format(at_23_59_59="Open"))
    pytester.makepyfile(test_clock="from harness.gherkin import scenarios\n\nscenarios('.')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*clock.feature:14: *it is 2026-01-31 23:30 JST*",
                                 "*the scenario can start at 2026-01-31 14:30:00 UTC "
                                 "(2026-01-31 23:30:00 JST) only before anything happens*"])


START_TEST = """\
import pytest
from datetime import UTC, datetime

@pytest.mark.amazon_pay(start="2026-01-31T10:00+09:00")
def test_marker(amazon_pay_simulator):
    assert amazon_pay_simulator.now() == datetime(2026, 1, 31, 1, 0, tzinfo=UTC)

def test_ini(amazon_pay_simulator):
    assert amazon_pay_simulator.now() == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
"""


def test_the_marker_and_the_ini_option_set_the_start(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\namazon_pay_start = 2026-03-01 09:00 JST\n")
    pytester.makepyfile(test_start=START_TEST)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_start_without_a_time_zone_is_one_usage_error_saying_how_to_write_it(
        pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\namazon_pay_start = 2026-03-01 09:00\n")
    pytester.makepyfile(test_start=dedent("""\
        def test_one(amazon_pay_simulator):
            pass

        def test_two(amazon_pay_simulator):
            pass
        """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if "amazon_pay_start: cannot read the moment" in line]
    assert len(errors) == 1, result.stderr.lines
    assert "'2026-03-01 09:00'" in errors[0]
