"""The settlement-report actions and expectations of `ScenarioWorld`, months, and reading flat files back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from harness.amazon_pay.flat_files import FlatFileError, read_settlement_report
from harness.ids import Environment
from harness.merchant import reference_merchant
from harness.merchant.adapter import CheckoutRequest
from harness.money import Money
from harness.scenario import ScenarioWorld, serving
from harness.scenario.months import Month, parse_month
from harness.scenario.parsing import ScenarioValueError, parse_duration
from harness.scenario.world import ExpectationError, ScenarioError
from harness.simulator import Simulator


def _paid(world: ScenarioWorld, name: str, amount: int) -> None:
    world.buyer.checks_out(name, CheckoutRequest(Money.of(amount)))
    world.merchant.captures(name)


def test_the_downloaded_report_is_checked_row_by_row(world: ScenarioWorld) -> None:
    _paid(world, "A", 5000)
    world.merchant.refunds("A", Money.of(1000))
    world.time.passes(parse_duration("30 days"))
    world.merchant.downloads_settlement_report(parse_month("January"))
    world.expect.settlement_lists("A", capture=Money.of(5000), refund=Money.of(1000))
    world.expect.settlement_pays_out(Money.of(3844))
    with pytest.raises(ExpectationError, match="to list a refund of ¥2,000 for order A"):
        world.expect.settlement_lists("A", refund=Money.of(2000))
    with pytest.raises(ExpectationError, match="to list nothing for order A, but it lists Authorization"):
        world.expect.settlement_lists_nothing("A")
    with pytest.raises(ExpectationError, match="to pay out ¥3,845 in all, but its net total is ¥3,844"):
        world.expect.settlement_pays_out(Money.of(3845))


def test_an_expectation_before_any_download_says_which_step_is_missing(world: ScenarioWorld) -> None:
    with pytest.raises(ExpectationError, match="no settlement report was downloaded"):
        world.expect.settlement_pays_out(Money.of(0))


def test_a_month_that_has_not_ended_cannot_be_downloaded(world: ScenarioWorld) -> None:
    _paid(world, "A", 5000)
    with pytest.raises(ScenarioError, match="January 2026 has not ended yet"):
        world.merchant.downloads_settlement_report(parse_month("January"))


def test_a_month_without_transactions_gives_an_empty_report(world: ScenarioWorld) -> None:
    _paid(world, "A", 5000)
    world.time.passes(parse_duration("60 days"))
    world.merchant.downloads_settlement_report(parse_month("2026-02"))
    world.expect.settlement_lists_nothing("A")
    world.expect.settlement_pays_out(Money.of(0))


def test_live_settlement_reports_are_not_requested_per_month() -> None:
    simulator = Simulator(environment=Environment.LIVE)
    with serving(simulator):
        world = ScenarioWorld(simulator, reference_merchant(simulator))
        world.time.passes(parse_duration("60 days"))
        with pytest.raises(ScenarioError, match="per settlement period"):
            world.merchant.downloads_settlement_report(parse_month("January"))


@pytest.mark.parametrize(("text", "month"), [
    ("January", Month(1)), ("jan", Month(1)), ("January 2026", Month(1, 2026)), ("2026-01", Month(1, 2026)),
    ("1月", Month(1)), ("2026年12月", Month(12, 2026)), ("１２月", Month(12)),
])
def test_months_are_read_as_people_write_them(text: str, month: Month) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["Januar", "13月", "2026-13", "last month", ""])
def test_a_month_that_cannot_be_read_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ScenarioValueError, match="January, January 2026, 2026-01"):
        parse_month(text)


def test_a_month_without_a_year_is_the_latest_one_begun_in_jst() -> None:
    new_year_jst = datetime(2025, 12, 31, 15, 0, tzinfo=UTC)  # 2026-01-01 00:00 JST
    assert Month(12).label(new_year_jst) == "December 2025"
    assert Month(1).label(new_year_jst) == "January 2026"
    assert Month(1).label(new_year_jst - timedelta(seconds=1)) == "January 2025"
    start, end = Month(12, 2026).bounds(new_year_jst)
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+09:00", "2027-01-01T00:00:00+09:00")


GOOD = ('"SellerId","SettlementStartDate","SettlementEndDate"\r\n'
        '"A1","2026-01-01T00:00:00+0900","2026-02-01T00:00:00+0900"\r\n\r\n'
        '"TransactionPostedDate","SettlementId","AmazonTransactionId","SellerReferenceId","TransactionType",'
        '"AmazonOrderReferenceId","SellerOrderId","StoreName","CurrencyCode","TransactionAmount",'
        '"TransactionPercentageFee","TransactionFixedFee","TotalTransactionFee","NetTransactionAmount"\r\n')
ROW = ('"2026-01-05T09:00:00+0900","1","C1","o","Capture","P1","o","","JPY","{amount}","-195","0","-195",'
       '"4805"\r\n')


def test_reading_a_settlement_report_back() -> None:
    report = read_settlement_report((GOOD + ROW.format(amount="5000")).encode("utf-8"))
    assert (report.seller_id, len(report.rows), report.net_total()) == ("A1", 1, Decimal(4805))
    assert report.rows[0].cells["StoreName"] == "" and report.for_order("P1") == list(report.rows)


@pytest.mark.parametrize(("text", "message"), [
    ("", "not a settlement report"),
    (GOOD.replace('"SellerId"', '"Seller"'), "not a settlement report"),
    (GOOD + ROW.format(amount="five"), "line 5: TransactionAmount 'five' is not an amount"),
    (GOOD + '"2026-01-05","1"\r\n', "line 5: expected 14 columns, found 2"),
    (GOOD + ROW.replace("2026-01-05T09:00:00+0900", "05/01/2026").format(amount="1"),
     "line 5: TransactionPostedDate '05/01/2026' is not a date"),
])
def test_a_file_that_is_not_a_settlement_report_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(FlatFileError, match=message):
        read_settlement_report(text)
