"""The shop's accounting import: Amazon Pay's settlement report (精算レポート) against its own books.

The shop requests the report of a period (Create Report), downloads it once Amazon has made it
(Get Report By Id, Get Report Document, then the document's url), reads the CSV with the `csv`
module, and checks every order in it: what the report says was captured and refunded against the
captures and refunds the shop booked in the period. Each order's result is a `SettlementCheck` row;
the report's row keeps the payout and how many orders disagree.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from exampleshop.models import Capture, Order, Refund, SettlementCheck, SettlementReport
from exampleshop.payments import Payments

__all__ = ["SETTLEMENT_REPORT", "Settlements", "transactions"]

SETTLEMENT_REPORT = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_"
"""The settlement report's type in Sandbox (Live makes one per settlement period by itself)."""
TABLE_START = "TransactionPostedDate"
"""The first column of the transactions' header line (the file starts with a header block of its own)."""


def _utc(moment: datetime) -> datetime:
    """Naive UTC, as the shop keeps times (a naive time is taken as UTC already)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _wire_time(moment: datetime) -> str:
    return _utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _yen(cell: str) -> int:
    return int(Decimal(cell or "0"))


@dataclass
class _Totals:
    """One order's amounts: captured, refunded (positive) and, in the report, the net after fees."""

    reference: str | None = None
    captured: int = 0
    refunded: int = 0
    net: int = 0


def transactions(text: str) -> list[dict[str, str]]:
    """The transaction lines of a settlement report's CSV, each by column name."""
    lines = list(csv.reader(io.StringIO(text)))
    starts = [index for index, cells in enumerate(lines) if cells[:1] == [TABLE_START]]
    if not starts:
        raise ValueError(f"not a settlement report: no line starts with {TABLE_START!r}")
    header = lines[starts[0]]
    return [dict(zip(header, cells, strict=True)) for cells in lines[starts[0] + 1:] if cells]


def _report_totals(rows: Iterable[Mapping[str, str]]) -> dict[str, _Totals]:
    totals: dict[str, _Totals] = defaultdict(_Totals)
    for row in rows:
        order = totals[row["AmazonOrderReferenceId"]]
        order.reference = row["SellerOrderId"] or order.reference
        order.net += _yen(row["NetTransactionAmount"])
        if row["TransactionType"] == "Capture":
            order.captured += _yen(row["TransactionAmount"])
        elif row["TransactionType"] == "Refund":
            order.refunded -= _yen(row["TransactionAmount"])
    return totals


class Settlements:
    """Settlement reports: request, download, and check them against the shop's database."""

    def __init__(self, payments: Payments) -> None:
        self.payments = payments
        self.amazon = payments.amazon
        self.db = payments.db

    def request(self, start: datetime, end: datetime, report_type: str = SETTLEMENT_REPORT) -> str:
        """Create Report for [start, end); the reportId (kept, to be downloaded once it is made)."""
        answer = self.amazon.create_report({"reportType": report_type, "startTime": _wire_time(start),
                                            "endTime": _wire_time(end)})
        report_id = str(answer["reportId"])
        with self.db.sessions.begin() as session:
            session.add(SettlementReport(report_id=report_id, start=_utc(start), end=_utc(end)))
        return report_id

    def pending(self, start: datetime, end: datetime) -> str | None:
        """The report of exactly this period that was requested and not imported yet."""
        with self.db.sessions() as session:
            return session.scalars(select(SettlementReport.report_id).where(
                SettlementReport.start == _utc(start), SettlementReport.end == _utc(end),
                SettlementReport.state == "requested")).first()

    def download(self, report_id: str) -> str | None:
        """The report's file once Amazon made it, checked against the books; None while Amazon is still
        making it, or when it was cancelled (no transaction in the period: checked as an empty report)."""
        report = self.amazon.get_report_by_id(report_id)
        status = report.get("processingStatus")
        if status == "CANCELLED":
            self.check(report_id, [])
            return None
        if status != "COMPLETED" or not report.get("reportDocumentId"):
            return None
        document = self.amazon.get_report_document(str(report["reportDocumentId"]))
        text = self.amazon.download_document(str(document["url"]))
        self.check(report_id, transactions(text))
        return text

    def check(self, report_id: str, rows: list[dict[str, str]]) -> SettlementReport:
        """Compare the report's rows with the shop's captures and refunds of the period, order by order."""
        with self.db.sessions.begin() as session:
            report = session.scalars(select(SettlementReport).where(
                SettlementReport.report_id == report_id)).one()
            amazon = _report_totals(rows)
            shop = self._booked(session, report.start, report.end)
            report.checks.clear()
            for permission_id in sorted(amazon.keys() | shop.keys()):
                theirs, ours = amazon.get(permission_id, _Totals()), shop.get(permission_id, _Totals())
                report.checks.append(SettlementCheck(
                    order_reference=ours.reference or theirs.reference, charge_permission_id=permission_id,
                    captured_in_report=theirs.captured, refunded_in_report=theirs.refunded,
                    captured_in_shop=ours.captured, refunded_in_shop=ours.refunded, net=theirs.net,
                    mismatch=(theirs.captured, theirs.refunded) != (ours.captured, ours.refunded)))
            report.state = "imported" if rows else "cancelled"
            report.payout = sum(_yen(row["NetTransactionAmount"]) for row in rows)
            report.mismatches = sum(check.mismatch for check in report.checks)
        return report

    @staticmethod
    def _booked(session: Session, start: datetime, end: datetime) -> dict[str, _Totals]:
        """The shop's captures and (not declined) refunds booked in [start, end), by Charge Permission."""
        totals: dict[str, _Totals] = defaultdict(_Totals)
        for reference, permission_id, amount in session.execute(
                select(Order.reference, Order.charge_permission_id, Capture.amount).join(Capture.order)
                .where(Capture.created_at >= start, Capture.created_at < end)):
            totals[str(permission_id)].reference = reference
            totals[str(permission_id)].captured += amount
        for reference, permission_id, amount in session.execute(
                select(Order.reference, Order.charge_permission_id, Refund.amount).join(Refund.order)
                .where(Refund.created_at >= start, Refund.created_at < end, Refund.state != "Declined")):
            totals[str(permission_id)].reference = reference
            totals[str(permission_id)].refunded += amount
        return totals
