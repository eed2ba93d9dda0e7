"""Reports, report schedules, settlements and disbursements, on the simulated clock (no HTTP).

The objects are docs/reference/amazon-pay-v2.md §1.7; which report types each environment offers,
the statuses and the 90-day retention §8.4; settlement periods §8.3. Everything here is computed
from the clock when asked (nothing is put on the clock's agenda): a report's status follows from
its creation time (D-REPORT-PROCESSING), the Live settlement reports and the scheduled reports that
are due are created, at their own times, the next time anything asks (`Reports.catch_up`).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from harness.amazon_pay import flat_files
from harness.amazon_pay.errors import AmazonPayError, invalid_value, not_found
from harness.amazon_pay.flat_files import FeeSchedule, SettlementFile, Transaction
from harness.amazon_pay.ledger import Ledger
from harness.errors import HarnessError
from harness.ids import Environment, seeded
from harness.money import Money

__all__ = [
    "DOCUMENT_URL_LIFETIME",
    "REPORT_RETENTION",
    "DocumentLinkError",
    "ProcessingStatus",
    "Report",
    "ReportSchedule",
    "ReportType",
    "Reports",
]


class ReportType(StrEnum):
    """`reportType` values (§8.4)."""

    SETTLEMENT = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_"
    SANDBOX_SETTLEMENT = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_"
    ORDER_REFERENCE = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_ORDER_REFERENCE_DATA_"
    BILLING_AGREEMENT = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_BILLING_AGREEMENT_DATA_"
    AUTHORIZATION = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_AUTHORIZATION_DATA_"
    CAPTURE = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_"
    REFUND = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_REFUND_DATA_"


SETTLEMENT_TYPES = frozenset({ReportType.SETTLEMENT, ReportType.SANDBOX_SETTLEMENT})

OFFERED: dict[Environment, frozenset[ReportType]] = {
    Environment.SANDBOX: frozenset({ReportType.SANDBOX_SETTLEMENT}),
    Environment.LIVE: frozenset(ReportType) - {ReportType.SANDBOX_SETTLEMENT, ReportType.CAPTURE},
}
"""D-REPORT-AVAILABILITY: §8.4 [C] sandbox serves only its settlement report; the capture report is not
offered through the API."""


class ProcessingStatus(StrEnum):
    """`processingStatus` (§8.4)."""

    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


_M, _H, _D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SCHEDULE_FREQUENCIES: dict[str, timedelta] = {
    "PT5M": 5 * _M, "PT15M": 15 * _M, "PT30M": 30 * _M, "PT1H": _H, "PT2H": 2 * _H, "PT4H": 4 * _H,
    "PT8H": 8 * _H, "PT12H": 12 * _H, "PT24H": 24 * _H, "PT84H": 84 * _H, "P1D": _D, "P2D": 2 * _D,
    "P3D": 3 * _D, "P7D": 7 * _D, "P14D": 14 * _D, "P15D": 15 * _D, "P18D": 18 * _D, "P30D": 30 * _D,
}
"""`scheduleFrequency` values (§8.4 [C]) and how long each is."""

REPORT_RETENTION = timedelta(days=90)
"""§8.4 [C]: reports are kept 90 days."""
DOCUMENT_URL_LIFETIME = timedelta(seconds=30)
"""§1.7 [C]: a report document's url is valid 30 seconds."""

_ID_LETTERS = string.ascii_uppercase + string.digits


@dataclass
class Report:
    """A report: what it covers, when it was asked for, and (once made) its file."""

    id: str
    report_type: ReportType
    start: datetime
    end: datetime
    created_at: datetime
    ready_at: datetime
    document_id: str
    content: str | None = None
    rows: int | None = None
    """How many transactions the file lists (None until it is made)."""


@dataclass
class ReportSchedule:
    """A report schedule (§1.7): the next creation moves on by the frequency each time."""

    id: str
    report_type: ReportType
    frequency: str
    next_creation: datetime


@dataclass(frozen=True)
class Disbursement:
    """A payout of one settlement period (D-SETTLEMENT-PERIOD)."""

    seller_id: str
    settlement_id: str
    reference_id: str
    amount: Money
    at: datetime


@dataclass(frozen=True)
class DocumentLink:
    """A url handed out by Get Report Document: its token and when it stops working."""

    document_id: str
    token: str
    expires_at: datetime


class DocumentLinkError(HarnessError):
    """A document url that has expired or was never handed out (the url answers 403)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Period:
    """One settlement period: [start, end) and its settlement id."""

    index: int
    start: datetime
    end: datetime
    settlement_id: str


@dataclass
class Reports:
    """Every report, schedule and settlement of one simulator."""

    ledger: Ledger
    seed: int = 0
    reports: dict[str, Report] = field(default_factory=dict)
    schedules: dict[str, ReportSchedule] = field(default_factory=dict)
    links: dict[str, DocumentLink] = field(default_factory=dict)
    tokens: dict[str, object] = field(default_factory=dict)
    """What each nextToken handed out stands for (the API layer's paging state)."""
    _random: random.Random = field(init=False, repr=False)
    _tokens: random.Random = field(init=False, repr=False)
    _settled: int = field(default=0, init=False)
    seller_id: str = ""
    """The SellerId the files carry: the simulator passes its IPN MerchantID (one merchant); '' makes one."""

    def __post_init__(self) -> None:
        # ids of their own sequence, so that report calls do not change a scenario's object ids
        self._random = seeded(f"reports-{self.seed}")
        self._tokens = seeded(f"report-tokens-{self.seed}")
        self.seller_id = self.seller_id or "A" + self._letters(13)

    # --- reports --------------------------------------------------------------------------------

    def request(self, report_type: ReportType, start: datetime, end: datetime) -> Report:
        """Create Report: checks the type and the range (D-REPORT-AVAILABILITY, D-REPORT-DATES)."""
        self.catch_up()
        self.check_offered(report_type)
        self._check_requestable(report_type)
        if start >= end:
            raise AmazonPayError("InvalidParameterValue",
                                 f"The value provided for 'startTime' ({start.isoformat()}) must be before "
                                 f"'endTime' ({end.isoformat()}).")
        if end > self.ledger.now():
            raise AmazonPayError("InvalidParameterValue",
                                 f"The value provided for 'endTime' ({end.isoformat()}) is in the future.")
        return self._create(report_type, start, end, self.ledger.now())

    def check_offered(self, report_type: ReportType) -> None:
        """400 unless this environment offers `report_type` through the API."""
        environment = self.ledger.ids.environment
        if report_type not in OFFERED[environment]:
            offered = ", ".join(sorted(OFFERED[environment]))
            raise AmazonPayError("InvalidParameterValue",
                                 f"The value '{report_type}' provided for 'reportType' is invalid: "
                                 f"{environment} offers {offered}.")

    def requestable(self) -> list[ReportType]:
        """The types Create Report and Create Report Schedule take in this environment."""
        return sorted(OFFERED[self.ledger.ids.environment] - {ReportType.SETTLEMENT})

    @staticmethod
    def _check_requestable(report_type: ReportType) -> None:
        """§8.4 [C]: settlement reports are made per settlement; only the sandbox one is requested."""
        if report_type is ReportType.SETTLEMENT:
            raise AmazonPayError("InvalidParameterValue",
                                 f"The value '{report_type}' provided for 'reportType' is invalid: "
                                 "settlement reports are created per settlement, not on request.")

    def get(self, report_id: str) -> Report:
        """Get Report By Id; 404 when unknown or older than the retention."""
        self.catch_up()
        report = self.reports.get(report_id)
        if report is None or not self._kept(report):
            raise not_found("Report", report_id)
        return report

    def status(self, report: Report) -> ProcessingStatus:
        """D-REPORT-PROCESSING: in progress until `ready_at`, then completed, or cancelled if empty."""
        if self.ledger.now() < report.ready_at:
            return ProcessingStatus.IN_PROGRESS
        return ProcessingStatus.COMPLETED if self._made(report).rows else ProcessingStatus.CANCELLED

    def find(self, types: Iterable[ReportType] | None, statuses: Iterable[ProcessingStatus] | None,
             since: datetime, until: datetime) -> list[Report]:
        """The kept reports created in [since, until] of those types and statuses, newest first."""
        self.catch_up()
        wanted_types = None if types is None else frozenset(types)
        wanted_statuses = None if statuses is None else frozenset(statuses)
        found = [report for report in self.reports.values()
                 if self._kept(report) and since <= report.created_at <= until
                 and (wanted_types is None or report.report_type in wanted_types)
                 and (wanted_statuses is None or self.status(report) in wanted_statuses)]
        return sorted(found, key=lambda report: report.created_at)[::-1]  # ties: the later request first

    def by_document(self, document_id: str) -> Report:
        """The completed report of a document id; 404 otherwise."""
        self.catch_up()
        for report in self.reports.values():
            if report.document_id == document_id and self._kept(report) \
                    and self.status(report) is ProcessingStatus.COMPLETED:
                return report
        raise not_found("Report Document", document_id)

    def link(self, document_id: str) -> DocumentLink:
        """Get Report Document: a fresh url token, valid `DOCUMENT_URL_LIFETIME`."""
        self.by_document(document_id)
        link = DocumentLink(document_id, self.new_token(), self.ledger.now() + DOCUMENT_URL_LIFETIME)
        self.links[link.token] = link
        return link

    def new_token(self) -> str:
        """A fresh opaque token (document urls, nextToken): seeded, so runs repeat exactly."""
        return f"{self._tokens.getrandbits(128):032x}"

    def download(self, document_id: str, token: str) -> str:
        """The file behind a url; `DocumentLinkError` once expired or for a token never handed out."""
        link = self.links.get(token)
        if link is None or link.document_id != document_id:
            raise DocumentLinkError("AccessDenied", "Access Denied")
        if self.ledger.now() >= link.expires_at:
            raise DocumentLinkError("AccessDenied", "Request has expired")
        content = self._made(self.by_document(document_id)).content
        assert content is not None
        return content

    # --- schedules ------------------------------------------------------------------------------

    def schedule(self, report_type: ReportType, frequency: str, next_creation: datetime | None,
                 *, replace_existing: bool = False) -> ReportSchedule:
        """Create Report Schedule (D-REPORT-SCHEDULES)."""
        self.catch_up()
        self.check_offered(report_type)
        self._check_requestable(report_type)
        if frequency not in SCHEDULE_FREQUENCIES:
            raise invalid_value(frequency, "scheduleFrequency")
        existing = [s for s in self.schedules.values() if s.report_type is report_type]
        if existing and not replace_existing:
            raise AmazonPayError("InvalidRequest",
                                 f"A report schedule for {report_type} already exists ({existing[0].id}); "
                                 "send deleteExistingSchedule true to replace it.")
        for old in existing:
            del self.schedules[old.id]
        now = self.ledger.now()
        first = now + SCHEDULE_FREQUENCIES[frequency] if next_creation is None else next_creation
        if first < now:
            raise AmazonPayError("InvalidParameterValue",
                                 "The value provided for 'nextReportCreationTime' "
                                 f"({first.isoformat()}) is in the past.")
        created = ReportSchedule(self._letters(11, "RS"), report_type, frequency, first)
        self.schedules[created.id] = created
        return created

    def get_schedule(self, schedule_id: str) -> ReportSchedule:
        """Get Report Schedule By Id; 404 when unknown or cancelled."""
        self.catch_up()
        found = self.schedules.get(schedule_id)
        if found is None:
            raise not_found("Report Schedule", schedule_id)
        return found

    def find_schedules(self, types: Iterable[ReportType] | None) -> list[ReportSchedule]:
        """Get Report Schedules: those of `types` (None: all), oldest first."""
        self.catch_up()
        wanted = None if types is None else frozenset(types)
        return [s for s in self.schedules.values() if wanted is None or s.report_type in wanted]

    def cancel_schedule(self, schedule_id: str) -> None:
        """Cancel Report Schedule; 404 when unknown."""
        del self.schedules[self.get_schedule(schedule_id).id]

    # --- settlements ----------------------------------------------------------------------------

    def periods(self, until: datetime) -> list[Period]:
        """The settlement periods that ended at or before `until` (D-SETTLEMENT-PERIOD)."""
        found = []
        index = 0
        while (period := self.period(index)).end <= until:
            found.append(period)
            index += 1
        return found

    def period(self, index: int) -> Period:
        """The `index`-th settlement period (0: the first)."""
        settings = self.ledger.settings
        first_end = self.ledger.clock.started_at + settings.first_settlement
        end = first_end + index * settings.settlement_period
        start = self.ledger.clock.started_at if index == 0 else end - settings.settlement_period
        digits = random.Random(f"settlement-{self.seed}-{index}")
        return Period(index, start, end, "".join(str(digits.randrange(10)) for _ in range(11)))

    def settlement_id(self, moment: datetime) -> str:
        """The settlement id of the period `moment` falls in."""
        settings = self.ledger.settings
        since_first = moment - (self.ledger.clock.started_at + settings.first_settlement)
        index = 0 if since_first < timedelta(0) else 1 + int(since_first // settings.settlement_period)
        return self.period(index).settlement_id

    def disbursements(self, start: datetime, end: datetime) -> list[Disbursement]:
        """One payout per ended period whose end is in [start, end] and that has transactions."""
        paid = []
        for period in self.periods(self.ledger.now()):
            if not start <= period.end <= end:
                continue
            lines = self.history(period.start, period.end)
            if not any(line.kind != flat_files.AUTHORIZATION for line in lines):
                continue
            total = sum((line.net for line in lines), Money.zero(self.ledger.currency))
            letters = random.Random(f"disbursement-{self.seed}-{period.index}")
            reference = "".join(letters.choice(_ID_LETTERS) for _ in range(16))
            paid.append(Disbursement(self.seller_id, period.settlement_id, reference, total, period.end))
        return paid

    def history(self, start: datetime, end: datetime) -> list[Transaction]:
        """The authorizations, captures and refunds posted in [start, end)."""
        fees = FeeSchedule.of(self.ledger.settings, self.ledger.currency)
        return flat_files.history(self.ledger, start, end, fees)

    # --- catching up with the clock -------------------------------------------------------------

    def catch_up(self) -> None:
        """Create, at their own times, the Live settlement reports and scheduled reports now due."""
        now = self.ledger.now()
        if self.ledger.ids.environment is Environment.LIVE:
            for period in self.periods(now)[self._settled:]:
                self._create(ReportType.SETTLEMENT, period.start, period.end, period.end)
                self._settled = period.index + 1
        for planned in list(self.schedules.values()):
            step = SCHEDULE_FREQUENCIES[planned.frequency]
            while planned.next_creation <= now:
                at = planned.next_creation
                self._create(planned.report_type, at - step, at, at)
                planned.next_creation = at + step

    # --- helpers --------------------------------------------------------------------------------

    def _create(self, report_type: ReportType, start: datetime, end: datetime, at: datetime) -> Report:
        report = Report(self._letters(20, "A"), report_type, start, end, at,
                        at + self.ledger.settings.report_processing_delay, self._letters(20, "D"))
        self.reports[report.id] = report
        return report

    def _kept(self, report: Report) -> bool:
        return self.ledger.now() < report.created_at + REPORT_RETENTION

    def _made(self, report: Report) -> Report:
        """`report` with its file made (once: the range it covers lies in the past)."""
        if report.content is None:
            report.content, report.rows = self._render(report)
        return report

    def _render(self, report: Report) -> tuple[str, int]:
        zone = flat_files.time_zone_of(self.ledger)
        kind = report.report_type
        if kind in SETTLEMENT_TYPES:
            lines = self.history(report.start, report.end)
            made = SettlementFile(self.seller_id, report.start, report.end, lines, self.settlement_id, zone)
            return made.render(), len(lines)
        if kind in (ReportType.ORDER_REFERENCE, ReportType.BILLING_AGREEMENT):
            return flat_files.order_reference_file(self.ledger, report.start, report.end,
                                                   recurring=kind is ReportType.BILLING_AGREEMENT)
        line_kind = flat_files.REFUND if kind is ReportType.REFUND else flat_files.AUTHORIZATION
        return flat_files.transaction_file(self.history(report.start, report.end), line_kind, zone)

    def _letters(self, count: int, prefix: str = "") -> str:
        return prefix + "".join(self._random.choice(_ID_LETTERS) for _ in range(count))
