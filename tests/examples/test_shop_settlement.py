"""exampleshop's settlement job: it downloads the month's settlement report over the Reports API and
checks each order in it against the shop's own books (its `settlement_reports` / `settlement_checks`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from exampleshop.adapter import ExampleShopAdapter
from exampleshop.jobs import reconcile_settlement
from exampleshop.models import Refund, SettlementCheck, SettlementReport
from exampleshop.settlement import SETTLEMENT_REPORT, transactions
from sqlalchemy import select

from harness.amazon_pay.states import ReasonCode
from harness.merchant import CheckoutRequest
from harness.merchant_time import MerchantTime
from harness.money import Money
from harness.simulator import Simulator

JANUARY = (datetime(2025, 12, 31, 15, tzinfo=UTC), datetime(2026, 1, 31, 15, tzinfo=UTC))
"""January 2026 in JST (the simulator starts in early January 2026)."""


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    simulator = Simulator()
    with simulator.mock(), MerchantTime.follow(simulator.clock):
        yield simulator


@pytest.fixture
def shop(simulator: Simulator) -> ExampleShopAdapter:
    """The shop after order-A: 5,000 JPY checked out and captured, 1,000 JPY refunded."""
    shop = ExampleShopAdapter.for_simulator(simulator)
    session_id = shop.start_checkout("order-A", CheckoutRequest(Money.of(5000)))
    assert session_id is not None
    simulator.buyer.sign_in(session_id)
    simulator.buyer.approve(session_id, "1111")
    shop.handle_return(simulator.buyer.return_to_merchant(session_id))
    shop.capture("order-A")
    shop.refund("order-A", Money.of(1000))
    return shop


Check = tuple[str | None, int, int, int, int, int, bool]
"""order, captured (report, shop), refunded (report, shop), the report's net, mismatch."""


def report_rows(shop: ExampleShopAdapter, report_id: str) -> tuple[SettlementReport, list[Check]]:
    """The shop's row of the report and its checks."""
    with shop.shop.db.sessions() as session:
        report = session.scalars(select(SettlementReport).where(
            SettlementReport.report_id == report_id)).one()
        checks: list[Check] = [(check.order_reference, check.captured_in_report, check.captured_in_shop,
                   check.refunded_in_report, check.refunded_in_shop, check.net, check.mismatch)
                  for check in session.scalars(select(SettlementCheck).where(
                      SettlementCheck.report_id == report.id)).all()]
        return report, checks


def test_the_job_checks_the_january_report_on_its_next_run_and_the_books_agree(
        simulator: Simulator, shop: ExampleShopAdapter) -> None:
    simulator.advance(timedelta(days=30))  # February: January has ended
    payments = shop.shop.payments
    assert reconcile_settlement(payments, *JANUARY) is None  # requested; Amazon is making it
    simulator.advance(timedelta(minutes=1))  # D-REPORT-PROCESSING
    report_id = reconcile_settlement(payments, *JANUARY)
    assert report_id is not None
    report, checks = report_rows(shop, report_id)
    assert (report.state, report.payout, report.mismatches) == ("imported", 3844, 0)
    assert checks == [("order-A", 5000, 5000, 1000, 1000, 3844, False)]
    assert reconcile_settlement(payments, *JANUARY) is None  # run again: a fresh report is requested
    assert shop.report_errors == []


def test_a_refund_amazon_declined_but_the_shop_still_books_is_a_mismatch_until_it_reconciles(
        simulator: Simulator, shop: ExampleShopAdapter) -> None:
    with shop.shop.db.sessions() as session:
        booked = session.scalars(select(Refund)).one()
    assert booked.state == "RefundInitiated"
    simulator.amazon.decline_refund(booked.refund_id, ReasonCode.AMAZON_REJECTED)
    simulator.advance(timedelta(days=30))
    report_id = shop.request_report(SETTLEMENT_REPORT, *JANUARY)
    assert report_id is not None
    simulator.advance(timedelta(minutes=1))
    text = shop.download_report(report_id)
    assert text is not None and [row["TransactionType"] for row in transactions(text)] == [
        "Authorization", "Capture"]
    report, checks = report_rows(shop, report_id)
    assert (report.payout, report.mismatches) == (4805, 1)
    assert checks == [("order-A", 5000, 5000, 0, 1000, 4805, True)]  # the shop still counts the refund
    shop.reconcile()  # reads the refund: Declined
    shop.download_report(report_id)  # the check again
    report, checks = report_rows(shop, report_id)
    assert report.mismatches == 0 and checks == [("order-A", 5000, 5000, 0, 0, 4805, False)]


def test_a_report_amazon_refuses_is_recorded_and_nothing_is_checked(
        simulator: Simulator, shop: ExampleShopAdapter) -> None:
    # January has not ended: endTime after the clock
    assert shop.request_report(SETTLEMENT_REPORT, *JANUARY) is None
    assert [(error.operation, error.status, error.reason_code) for error in shop.report_errors] == [
        ("createReport", 400, "InvalidParameterValue")]
    with shop.shop.db.sessions() as session:
        assert session.scalars(select(SettlementReport)).all() == []


def test_a_file_without_the_transactions_header_is_refused() -> None:
    with pytest.raises(ValueError, match="no line starts with 'TransactionPostedDate'"):
        transactions('"SellerId","SettlementStartDate"\r\n"X","2026-01-01"\r\n')
