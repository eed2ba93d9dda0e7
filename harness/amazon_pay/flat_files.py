"""The flat files of Amazon Pay's reports, made from the simulated history, and read back.

What a report lists comes from the ledger's event log (every authorization, capture and refund, at
the moment its state changed); how it is written is decision D-SETTLEMENT-LAYOUT (CSV, columns in
the order below, dates in the region's time with a numeric offset, docs/reference/amazon-pay-v2.md
§8.4), the amounts D-SETTLEMENT-TRANSACTIONS and the fees D-FEE-SCHEDULE. The column names and the
API ids they carry are docs/reference/amazon-pay-v2.md §8.3 / §8.4.

`read_settlement_report` turns a downloaded settlement report back into typed rows, for a shop's
reconciliation and for the harness's own expectations.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import ChargePermission
from harness.errors import HarnessError
from harness.money import Money

__all__ = ["FlatFileError", "SettlementReport", "SettlementRow", "read_settlement_report"]

JST = timezone(timedelta(hours=9), "JST")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
"""`2026-01-05T09:00:00+0900` (§8.4: ISO 8601 with a numeric offset)."""

AUTHORIZATION, CAPTURE, REFUND = "Authorization", "Capture", "Refund"

SETTLEMENT_HEADER = ("SellerId", "SettlementStartDate", "SettlementEndDate")
SETTLEMENT_COLUMNS = (
    "TransactionPostedDate", "SettlementId", "AmazonTransactionId", "SellerReferenceId", "TransactionType",
    "AmazonOrderReferenceId", "SellerOrderId", "StoreName", "CurrencyCode", "TransactionAmount",
    "TransactionPercentageFee", "TransactionFixedFee", "TotalTransactionFee", "NetTransactionAmount",
)
"""D-SETTLEMENT-LAYOUT: the settlement report's transaction columns, in this order."""
TRANSACTION_COLUMNS = tuple(column for column in SETTLEMENT_COLUMNS if column != "SettlementId")
"""D-SETTLEMENT-LAYOUT: the authorization and refund reports' columns."""
ORDER_REFERENCE_COLUMNS = ("AmazonOrderReferenceId", "SellerOrderId", "CreationDate", "LastUpdateDate",
                           "State", "ReasonCode", "AmountLimit", "CurrencyCode", "StoreName")
"""D-SETTLEMENT-LAYOUT: the order reference and billing agreement reports' columns."""


class FlatFileError(HarnessError, ValueError):
    """A file that is not a settlement report as the simulator writes it (the message names the line)."""


@dataclass(frozen=True)
class FeeSchedule:
    """D-FEE-SCHEDULE: a percentage of each capture plus a fixed amount."""

    percent: Decimal
    fixed: Money

    @classmethod
    def of(cls, settings: Settings, currency: str) -> FeeSchedule:
        """The schedule `settings` set, in `currency`."""
        return cls(settings.fee_percent, Money(settings.fee_fixed, currency))


@dataclass(frozen=True)
class Transaction:
    """One line of the history: an authorization, capture or refund, its amounts signed as paid out."""

    posted_at: datetime
    kind: str
    amazon_transaction_id: str
    order_reference_id: str
    seller_order_id: str | None
    store_name: str | None
    amount: Money
    percentage_fee: Money
    fixed_fee: Money

    @property
    def total_fee(self) -> Money:
        """Both fees (negative: charged to the merchant)."""
        return self.percentage_fee + self.fixed_fee

    @property
    def net(self) -> Money:
        """What the transaction adds to the payout (D-SETTLEMENT-TRANSACTIONS)."""
        if self.kind == AUTHORIZATION:
            return Money.zero(self.amount.currency)
        return self.amount + self.total_fee


def time_zone_of(ledger: Ledger) -> tzinfo:
    """JST for a ledger in yen (Seller Central Japan), else UTC."""
    return JST if ledger.currency == "JPY" else UTC


def history(ledger: Ledger, start: datetime, end: datetime, fees: FeeSchedule) -> list[Transaction]:
    """Every authorization, capture and refund posted in [start, end), oldest first."""
    found: list[Transaction] = []
    authorized: set[str] = set()
    for change in ledger.events:  # in time order: the clock only moves forward
        if change.at >= end:
            break
        posted = change.at >= start
        if change.object_type == "Charge":
            if change.to_state in ("Authorized", "Captured") and change.object_id not in authorized:
                authorized.add(change.object_id)
                if posted:
                    found.append(_authorization(ledger, change.object_id, change.at))
            if posted and change.to_state == "Captured" and change.from_state != "Captured":
                found.append(_capture(ledger, change.object_id, change.at, fees))
        elif posted and change.object_type == "Refund" and change.to_state == "Refunded" \
                and change.from_state != "Refunded":
            found.append(_refund(ledger, change.object_id, change.at, fees))
    return found


def _line(permission: ChargePermission, at: datetime, kind: str, transaction_id: str, *, amount: Money,
          percentage_fee: Money, fixed_fee: Money) -> Transaction:
    metadata = permission.merchant_metadata
    return Transaction(at, kind, transaction_id, permission.id, metadata.merchant_reference_id,
                       metadata.merchant_store_name, amount, percentage_fee, fixed_fee)


def _authorization(ledger: Ledger, charge_id: str, at: datetime) -> Transaction:
    charge = ledger.charge(charge_id)
    zero = Money.zero(charge.charge_amount.currency)
    return _line(ledger.permission(charge.charge_permission_id), at, AUTHORIZATION, charge.id,
                 amount=charge.charge_amount, percentage_fee=zero, fixed_fee=zero)


def _capture(ledger: Ledger, charge_id: str, at: datetime, fees: FeeSchedule) -> Transaction:
    charge = ledger.charge(charge_id)
    amount = charge.capture_amount or charge.charge_amount
    zero = Money.zero(amount.currency)
    return _line(ledger.permission(charge.charge_permission_id), at, CAPTURE, charge.id, amount=amount,
                 percentage_fee=zero - amount.percent(fees.percent), fixed_fee=zero - fees.fixed)


def _refund(ledger: Ledger, refund_id: str, at: datetime, fees: FeeSchedule) -> Transaction:
    refund = ledger.refund(refund_id)
    charge = ledger.charge(refund.charge_id)
    amount = refund.refund_amount
    zero = Money.zero(amount.currency)
    return _line(ledger.permission(charge.charge_permission_id), at, REFUND, refund.id,
                 amount=zero - amount, percentage_fee=amount.percent(fees.percent), fixed_fee=zero)


# --- writing ---------------------------------------------------------------------------------------

def _date(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime(DATE_FORMAT)


def _csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def _transaction_cells(line: Transaction, zone: tzinfo, settlement_id: str | None) -> list[str]:
    """A row of TRANSACTION_COLUMNS, or of SETTLEMENT_COLUMNS when a settlement id is given."""
    settlement = [] if settlement_id is None else [settlement_id]
    return [_date(line.posted_at, zone), *settlement, line.amazon_transaction_id, line.seller_order_id or "",
            line.kind, line.order_reference_id, line.seller_order_id or "", line.store_name or "",
            line.amount.currency, line.amount.to_wire(), line.percentage_fee.to_wire(),
            line.fixed_fee.to_wire(), line.total_fee.to_wire(), line.net.to_wire()]


@dataclass(frozen=True)
class SettlementFile:
    """What a settlement report is written from."""

    seller_id: str
    start: datetime
    end: datetime
    lines: Sequence[Transaction]
    settlement_of: Callable[[datetime], str]
    """The settlement id of the period a posting time falls in."""
    zone: tzinfo = JST

    def render(self) -> str:
        """The file's text (D-SETTLEMENT-LAYOUT)."""
        header = (self.seller_id, _date(self.start, self.zone), _date(self.end, self.zone))
        return _csv([SETTLEMENT_HEADER, header, (), SETTLEMENT_COLUMNS,
                     *(_transaction_cells(line, self.zone, self.settlement_of(line.posted_at))
                       for line in self.lines)])


def transaction_file(lines: Iterable[Transaction], kind: str, zone: tzinfo) -> tuple[str, int]:
    """The authorization or refund report of `lines` (only those of `kind`) and its row count."""
    rows = [_transaction_cells(line, zone, None) for line in lines if line.kind == kind]
    return _csv([TRANSACTION_COLUMNS, *rows]), len(rows)


def order_reference_file(ledger: Ledger, start: datetime, end: datetime, *,
                         recurring: bool) -> tuple[str, int]:
    """The Charge Permissions (OneTime, or Recurring ones) created or changed in [start, end)."""
    zone = time_zone_of(ledger)
    touched = {change.object_id for change in ledger.events
               if change.object_type == "ChargePermission" and start <= change.at < end}
    rows = []
    for permission in ledger.charge_permissions.values():
        if permission.id not in touched or permission.is_recurring is not recurring:
            continue
        limit = permission.amount_limit
        metadata = permission.merchant_metadata
        rows.append([permission.id, metadata.merchant_reference_id or "", _date(permission.created_at, zone),
                     _date(permission.updated_at, zone), permission.state, str(permission.reason or ""),
                     "" if limit is None else limit.to_wire(), permission.currency,
                     metadata.merchant_store_name or ""])
    return _csv([ORDER_REFERENCE_COLUMNS, *rows]), len(rows)


# --- reading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SettlementRow:
    """One transaction of a settlement report, typed; `cells` holds every column as written."""

    posted_at: datetime
    settlement_id: str
    amazon_transaction_id: str
    transaction_type: str
    amazon_order_reference_id: str
    seller_order_id: str
    currency: str
    amount: Decimal
    percentage_fee: Decimal
    fixed_fee: Decimal
    total_fee: Decimal
    net: Decimal
    cells: dict[str, str] = field(repr=False, compare=False)


@dataclass(frozen=True)
class SettlementReport:
    """A settlement report read back: its header and its rows."""

    seller_id: str
    start: datetime
    end: datetime
    rows: tuple[SettlementRow, ...]

    def net_total(self) -> Decimal:
        """The sum of every row's net amount (what the settlement pays out)."""
        return sum((row.net for row in self.rows), Decimal(0))

    def for_order(self, order_reference_id: str) -> list[SettlementRow]:
        """The rows of one Charge Permission (`AmazonOrderReferenceId`)."""
        return [row for row in self.rows if row.amazon_order_reference_id == order_reference_id]


def _parse_date(text: str, line: int, column: str) -> datetime:
    try:
        return datetime.strptime(text, DATE_FORMAT)
    except ValueError:
        raise FlatFileError(f"line {line}: {column} {text!r} is not a date like "
                            "2026-01-05T09:00:00+0900") from None


def _parse_amount(text: str, line: int, column: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise FlatFileError(f"line {line}: {column} {text!r} is not an amount") from None


def read_settlement_report(text: str | bytes) -> SettlementReport:
    """Read a settlement report (the file a report document's url answers) into typed rows.

    Raises `FlatFileError` naming the line when the file is not laid out as D-SETTLEMENT-LAYOUT says.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    laid_out = len(rows) >= 4 and tuple(rows[0]) == SETTLEMENT_HEADER and not rows[2] \
        and tuple(rows[3]) == SETTLEMENT_COLUMNS
    if not laid_out:
        raise FlatFileError("not a settlement report: expected the header "
                            f"{', '.join(SETTLEMENT_HEADER)}, its values, an empty line and the columns "
                            f"{', '.join(SETTLEMENT_COLUMNS)} (lines 1-4)")
    if len(rows[1]) != len(SETTLEMENT_HEADER):
        raise FlatFileError(f"line 2: expected {len(SETTLEMENT_HEADER)} values, found {len(rows[1])}")
    seller_id, start, end = rows[1]
    read: list[SettlementRow] = []
    for number, cells in enumerate(rows[4:], start=5):
        if not cells:
            continue
        if len(cells) != len(SETTLEMENT_COLUMNS):
            raise FlatFileError(f"line {number}: expected {len(SETTLEMENT_COLUMNS)} columns, "
                                f"found {len(cells)}")
        named = dict(zip(SETTLEMENT_COLUMNS, cells, strict=True))
        amounts = {column: _parse_amount(named[column], number, column) for column in (
            "TransactionAmount", "TransactionPercentageFee", "TransactionFixedFee", "TotalTransactionFee",
            "NetTransactionAmount")}
        read.append(SettlementRow(
            _parse_date(named["TransactionPostedDate"], number, "TransactionPostedDate"),
            named["SettlementId"], named["AmazonTransactionId"], named["TransactionType"],
            named["AmazonOrderReferenceId"], named["SellerOrderId"], named["CurrencyCode"],
            amounts["TransactionAmount"], amounts["TransactionPercentageFee"], amounts["TransactionFixedFee"],
            amounts["TotalTransactionFee"], amounts["NetTransactionAmount"], named))
    return SettlementReport(seller_id, _parse_date(start, 2, "SettlementStartDate"),
                            _parse_date(end, 2, "SettlementEndDate"), tuple(read))
