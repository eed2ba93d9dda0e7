"""The Reports API's handlers and JSON (docs/reference/amazon-pay-v2.md §1.7, §8.4).

The domain is `harness.amazon_pay.reports`.

Like `harness.api.web_store`: each handler reads its query or body, calls the simulator's `reports`
and renders Amazon's JSON; errors are `AmazonPayError`s. The document url (D-REPORT-DOCUMENT-URL)
is answered by `download_report_document`, which the handler serves without a signature, as a
pre-signed url is fetched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from urllib.parse import quote
from xml.sax.saxutils import escape

from harness.amazon_pay.errors import AmazonPayError, invalid_value
from harness.amazon_pay.reports import (
    DOCUMENT_URL_LIFETIME,
    DocumentLinkError,
    ProcessingStatus,
    Report,
    Reports,
    ReportSchedule,
    ReportType,
)
from harness.api.http import HttpResponse
from harness.api.json_in import Field, Reader, RequestSpec, boolean, enum, text
from harness.api.json_out import timestamp
from harness.api.operations import Call, JsonObject, QueryParameter, Reply
from harness.api.routing import AMAZON_HOSTS
from harness.ids import Environment

__all__ = [
    "CREATE_REPORT",
    "CREATE_REPORT_SCHEDULE",
    "DOCUMENT_CONTENT_PATH",
    "HANDLERS",
    "QUERIES",
    "download_report_document",
]

DOCUMENT_CONTENT_PATH = "report-documents/{reportDocumentId}/content"
"""Where a document's url points, relative to `v2/` (D-REPORT-DOCUMENT-URL)."""

DEFAULT_LOOKBACK = timedelta(days=90)
"""§8.4 [C]: createdSince defaults to 90 days ago."""
PAGE_SIZES = range(1, 101)
"""§8.4 [C]: pageSize 1-100."""
DEFAULT_PAGE_SIZE = 10

_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")
_DASHED = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z")

_E = TypeVar("_E", bound=StrEnum)


def parse_report_time(value: str, field: str) -> datetime:
    """D-REPORT-DATES: `20220804T000000Z`, ISO 8601 (naive = UTC) or `2022-08-04T00-00-00Z`."""
    text_value = value.strip()
    found = _COMPACT.fullmatch(text_value) or _DASHED.fullmatch(text_value)
    try:
        if found:
            year, month, day, hour, minute, second = map(int, found.groups())
            moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text_value)
    except ValueError:
        raise invalid_value(value, field) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _read_time(value: object, path: str) -> datetime:
    if not isinstance(value, str):
        raise invalid_value(value, path)
    return parse_report_time(value, path)


_time = Reader(_read_time, {"type": "string", "description": "20220804T000000Z, 2022-08-04T00-00-00Z or "
                                                              "ISO 8601 (§1.7, D-REPORT-DATES)"})


def _reports(call: Call) -> Reports:
    return call.simulator.reports


def _list_of(kind: type[_E], raw: str | None, field: str) -> list[_E] | None:
    """A comma-separated query list of enum values (None when absent)."""
    if raw is None or not raw.strip():
        return None
    values = []
    for item in raw.split(","):
        try:
            values.append(kind(item.strip()))
        except ValueError:
            raise invalid_value(item, field) from None
    return values


def _page_size(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.strip().isdigit() or int(raw) not in PAGE_SIZES:
        raise AmazonPayError("InvalidParameterValue",
                             f"The value '{raw}' provided for 'pageSize' is invalid: it must be a whole "
                             f"number from {PAGE_SIZES.start} to {PAGE_SIZES.stop - 1}.")
    return int(raw)


def _query_time(query: Mapping[str, str], field: str, default: datetime) -> datetime:
    raw = query.get(field)
    return default if raw is None or not raw.strip() else parse_report_time(raw, field)


# --- query parameters (§1.7, §8.4) -----------------------------------------------------------

def _listed(kind: type[StrEnum]) -> JsonObject:
    return {"type": "string", "description": f"comma-separated: {', '.join(member.value for member in kind)}"}


_TIME: JsonObject = {"type": "string", "description": "20220804T000000Z, 2022-08-04T00-00-00Z or ISO 8601 "
                                                      "(D-REPORT-DATES)"}
_PAGE_SIZE = QueryParameter("pageSize", {"type": "integer", "minimum": PAGE_SIZES.start,
                                         "maximum": PAGE_SIZES.stop - 1}, f"default {DEFAULT_PAGE_SIZE}")
_NEXT_TOKEN = QueryParameter("nextToken", {"type": "string"}, "from the previous page; carries its filters")
_REPORT_TYPES = QueryParameter("reportTypes", _listed(ReportType), "only these types")

QUERIES: dict[str, tuple[QueryParameter, ...]] = {
    "getReports": (
        _REPORT_TYPES, QueryParameter("processingStatuses", _listed(ProcessingStatus), "only these statuses"),
        QueryParameter("createdSince", _TIME, "default 90 days ago"),
        QueryParameter("createdUntil", _TIME, "default now"), _PAGE_SIZE, _NEXT_TOKEN),
    "getReportSchedules": (_REPORT_TYPES,),
    "getDisbursements": (
        QueryParameter("startTime", _TIME, "required unless nextToken is sent"),
        QueryParameter("endTime", _TIME, "required unless nextToken is sent"), _PAGE_SIZE, _NEXT_TOKEN),
}
"""The query parameters each Reports operation reads, by its SDK name."""


# --- JSON out --------------------------------------------------------------------------------

def report_json(reports: Reports, report: Report) -> JsonObject:
    """A Report object (§1.7)."""
    status = reports.status(report)
    done = status is not ProcessingStatus.IN_PROGRESS
    return {
        "reportId": report.id, "reportType": str(report.report_type),
        "startTime": timestamp(report.start), "endTime": timestamp(report.end),
        "createdTime": timestamp(report.created_at), "processingStatus": str(status),
        "processingStartTime": timestamp(report.created_at),
        "processingEndTime": timestamp(report.ready_at) if done else None,
        "reportDocumentId": report.document_id if status is ProcessingStatus.COMPLETED else None,
    }


def schedule_json(schedule: ReportSchedule) -> JsonObject:
    """A Report Schedule object (§1.7)."""
    return {"reportScheduleId": schedule.id, "reportType": str(schedule.report_type),
            "scheduleFrequency": schedule.frequency,
            "nextReportCreationTime": timestamp(schedule.next_creation)}


def document_url(call: Call, document_id: str, token: str, expires_at: datetime) -> str:
    """D-REPORT-DOCUMENT-URL: the simulator's own url of a document, on the API host or the server."""
    simulator = call.simulator
    base = call.document_base
    if base is None:
        host = next(host for host, region in AMAZON_HOSTS.items() if region is simulator.ids.region)
        base = f"https://{host}"
    environment = "sandbox" if simulator.ids.environment is Environment.SANDBOX else "live"
    path = DOCUMENT_CONTENT_PATH.replace("{reportDocumentId}", quote(document_id, safe=""))
    return (f"{base}/{environment}/v2/{path}?X-Amz-Date={timestamp(expires_at - DOCUMENT_URL_LIFETIME)}"
            f"&X-Amz-Expires={int(DOCUMENT_URL_LIFETIME.total_seconds())}&X-Amz-Signature={token}")


# --- reports ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreateReportRequest:
    """Create Report (§1.7)."""

    report_type: ReportType
    start_time: datetime
    end_time: datetime


CREATE_REPORT = RequestSpec(CreateReportRequest, (
    Field("reportType", enum(ReportType), required=True),
    Field("startTime", _time, required=True),
    Field("endTime", _time, required=True),
))


@dataclass(frozen=True)
class CreateReportScheduleRequest:
    """Create Report Schedule (§1.7)."""

    report_type: ReportType
    schedule_frequency: str
    next_report_creation_time: datetime | None = None
    delete_existing_schedule: bool = False


CREATE_REPORT_SCHEDULE = RequestSpec(CreateReportScheduleRequest, (
    Field("reportType", enum(ReportType), required=True),
    Field("scheduleFrequency", text(), required=True),
    Field("nextReportCreationTime", _time),
    Field("deleteExistingSchedule", boolean),
))


def create_report(call: Call) -> Reply:
    """Create Report: 201 `{reportId}`."""
    request = CREATE_REPORT.parse(call.body)
    report = _reports(call).request(request.report_type, request.start_time, request.end_time)
    return Reply(201, {"reportId": report.id})


@dataclass(frozen=True)
class _Listing:
    """What a getReports call asked for (kept behind its nextToken)."""

    types: list[ReportType] | None
    statuses: list[ProcessingStatus] | None
    since: datetime
    until: datetime
    page_size: int
    offset: int = 0


@dataclass(frozen=True)
class _DisbursementPage:
    """Where the next page of a getDisbursements call starts."""

    start: datetime
    end: datetime
    page_size: int
    offset: int


_State = TypeVar("_State")


def _continued(reports: Reports, query: Mapping[str, str], kind: type[_State]) -> _State | None:
    """What the call's nextToken stands for (None without one); 400 for a token never handed out."""
    token = query.get("nextToken")
    if not token:
        return None
    state = reports.tokens.get(token)
    if not isinstance(state, kind):
        raise invalid_value(token, "nextToken")
    return state


def _token(reports: Reports, state: object) -> str:
    """A fresh opaque nextToken standing for `state`."""
    token = reports.new_token()
    reports.tokens[token] = state
    return token


def get_reports(call: Call) -> Reply:
    """Get Reports: newest first, `pageSize` at a time (D-REPORT-PAGING)."""
    reports = _reports(call)
    query = call.query
    listing = _continued(reports, query, _Listing)
    if listing is None:
        now = call.simulator.now()
        until = _query_time(query, "createdUntil", now)
        listing = _Listing(_list_of(ReportType, query.get("reportTypes"), "reportTypes"),
                           _list_of(ProcessingStatus, query.get("processingStatuses"), "processingStatuses"),
                           _query_time(query, "createdSince", now - DEFAULT_LOOKBACK), until,
                           _page_size(query.get("pageSize")))
        if listing.since > listing.until:
            raise AmazonPayError("InvalidParameterValue",
                                 "The value provided for 'createdSince' must not be after 'createdUntil'.")
    found = reports.find(listing.types, listing.statuses, listing.since, listing.until)
    page = found[listing.offset:listing.offset + listing.page_size]
    body: JsonObject = {"reports": [report_json(reports, report) for report in page]}
    if listing.offset + listing.page_size < len(found):
        body["nextToken"] = _token(reports, _Listing(listing.types, listing.statuses, listing.since,
                                                     listing.until, listing.page_size,
                                                     listing.offset + listing.page_size))
    return Reply(200, body)


def get_report_by_id(call: Call) -> Reply:
    """Get Report By Id."""
    reports = _reports(call)
    return Reply(200, report_json(reports, reports.get(call.path_params["reportId"])))


def get_report_document(call: Call) -> Reply:
    """Get Report Document: a url valid 30 s, `compressionAlgorithm` "N/A" (§1.7)."""
    link = _reports(call).link(call.path_params["reportDocumentId"])
    return Reply(200, {"reportDocumentId": link.document_id,
                       "url": document_url(call, link.document_id, link.token, link.expires_at),
                       "compressionAlgorithm": "N/A"})


def download_report_document(call: Call) -> HttpResponse:
    """The document url: the file, or S3's 403 XML error once expired (D-REPORT-DOCUMENT-URL)."""
    try:
        content = _reports(call).download(call.path_params["reportDocumentId"],
                                          call.query.get("X-Amz-Signature", ""))
    except DocumentLinkError as refused:
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(refused.code)}</Code>'
               f"<Message>{escape(refused.message)}</Message></Error>")
        return HttpResponse(403, [("content-type", "application/xml")], xml.encode("utf-8"))
    except AmazonPayError:
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' \
              "<Message>The specified key does not exist.</Message></Error>"
        return HttpResponse(404, [("content-type", "application/xml")], xml.encode("utf-8"))
    return HttpResponse(200, [("content-type", "text/csv; charset=utf-8")], content.encode("utf-8"))


# --- schedules -------------------------------------------------------------------------------

def create_report_schedule(call: Call) -> Reply:
    """Create Report Schedule: 201 `{reportScheduleId}` (D-REPORT-SCHEDULES)."""
    request = CREATE_REPORT_SCHEDULE.parse(call.body)
    created = _reports(call).schedule(request.report_type, request.schedule_frequency,
                                      request.next_report_creation_time,
                                      replace_existing=request.delete_existing_schedule)
    return Reply(201, {"reportScheduleId": created.id})


def get_report_schedules(call: Call) -> Reply:
    """Get Report Schedules, optionally of some `reportTypes`."""
    types = _list_of(ReportType, call.query.get("reportTypes"), "reportTypes")
    return Reply(200, {"reportSchedules": [schedule_json(s) for s in _reports(call).find_schedules(types)]})


def get_report_schedule_by_id(call: Call) -> Reply:
    """Get Report Schedule By Id."""
    return Reply(200, schedule_json(_reports(call).get_schedule(call.path_params["reportScheduleId"])))


def cancel_report_schedule(call: Call) -> Reply:
    """Cancel Report Schedule: 200 `{}`."""
    _reports(call).cancel_schedule(call.path_params["reportScheduleId"])
    return Reply(200, {})


# --- disbursements ---------------------------------------------------------------------------

def get_disbursements(call: Call) -> Reply:
    """Get Disbursements: one per ended settlement period in [startTime, endTime] (D-SETTLEMENT-PERIOD)."""
    query = call.query
    reports = _reports(call)
    page = _continued(reports, query, _DisbursementPage)
    if page is None:
        for required in ("startTime", "endTime"):
            if not query.get(required, "").strip():
                raise AmazonPayError("MissingParameterValue", f"The mandatory field '{required}' is missing.")
        page = _DisbursementPage(parse_report_time(query["startTime"], "startTime"),
                                 parse_report_time(query["endTime"], "endTime"),
                                 _page_size(query.get("pageSize")), 0)
        if page.start > page.end:
            raise AmazonPayError("InvalidParameterValue",
                                 "The value provided for 'startTime' must not be after 'endTime'.")
    paid = reports.disbursements(page.start, page.end)
    body: JsonObject = {"disbursements": [
        {"sellerId": item.seller_id, "settlementId": item.settlement_id,
         "amazonDisbursementReferenceId": item.reference_id, "amount": item.amount.to_wire(),
         "currencyCode": item.amount.currency, "transactionTime": timestamp(item.at)}
        for item in paid[page.offset:page.offset + page.page_size]]}
    if page.offset + page.page_size < len(paid):
        body["nextToken"] = _token(reports, _DisbursementPage(page.start, page.end, page.page_size,
                                                              page.offset + page.page_size))
    return Reply(200, body)


HANDLERS: dict[str, Callable[[Call], Reply]] = {
    "getReports": get_reports,
    "getReportById": get_report_by_id,
    "createReport": create_report,
    "getReportDocument": get_report_document,
    "getReportSchedules": get_report_schedules,
    "getReportScheduleById": get_report_schedule_by_id,
    "createReportSchedule": create_report_schedule,
    "cancelReportSchedule": cancel_report_schedule,
    "getDisbursements": get_disbursements,
}
"""The handler of each Reports operation, by its SDK name."""
