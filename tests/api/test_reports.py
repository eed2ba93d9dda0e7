"""The Reports API over the wire, with the signed reference client: every operation and its errors,
and the downloaded files read back with csv and checked against the simulated history."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import requests

from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.flat_files import SETTLEMENT_COLUMNS, read_settlement_report
from harness.amazon_pay.reports import ReportType
from harness.ids import Environment
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.money import Money
from harness.simulator import Simulator
from tests.builders import START, charge_of, completed_checkout, permission_of

SANDBOX = str(ReportType.SANDBOX_SETTLEMENT)
SETTLEMENT = str(ReportType.SETTLEMENT)
REFUND_REPORT = str(ReportType.REFUND)
JANUARY = {"startTime": "20251231T150000Z", "endTime": "20260131T150000Z"}
"""January 2026 in JST, as the .NET SDK writes times."""
TWO_MONTHS = {"startTime": "20260101T000000Z", "endTime": "20260301T000000Z"}
PROCESSING = timedelta(minutes=1)


def _client(sim: Simulator) -> AmazonPayClient:
    return AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key,
                           sandbox=sim.ids.environment is Environment.SANDBOX, now=sim.clock.now)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(start=START)
    with simulator.mock(other_hosts="block"):
        yield simulator


@pytest.fixture
def client(sim: Simulator) -> Iterator[AmazonPayClient]:
    with _client(sim) as made:
        yield made


def _refuse(call: object, reason_code: str, status: int = 400) -> AmazonPayApiError:
    assert callable(call)
    with pytest.raises(AmazonPayApiError) as raised:
        call()
    assert (raised.value.status, raised.value.reason_code) == (status, reason_code), raised.value.message
    return raised.value


def _captured_and_refunded(sim: Simulator, *, order: str = "order-A") -> tuple[str, str, str]:
    """A checkout of 5,000 JPY on 2026-01-05, captured, 1,000 JPY refunded: (permission, charge, refund)."""
    session = completed_checkout(sim, 5000)
    permission = permission_of(sim, session)
    permission.merchant_metadata.merchant_reference_id = order
    charge = charge_of(sim, session)
    sim.api.capture_charge(charge.id, Money.of(5000))
    sim.advance(timedelta(hours=2))
    refund = sim.api.create_refund(charge.id, Money.of(1000))
    sim.advance(timedelta(days=30))
    return permission.id, charge.id, refund.id


def _download(sim: Simulator, client: AmazonPayClient, report_id: str) -> str:
    sim.advance(PROCESSING)
    report = client.get_report_by_id(report_id)
    assert report["processingStatus"] == "COMPLETED"
    document = client.get_report_document(report["reportDocumentId"])
    return client.download_report_document(document["url"]).decode("utf-8")


# --- create, get, process, download -----------------------------------------------------------

def test_a_requested_settlement_report_is_in_progress_then_completed_and_downloads_the_history(
        sim: Simulator, client: AmazonPayClient) -> None:
    permission_id, charge_id, refund_id = _captured_and_refunded(sim)
    created = client.create_report({"reportType": SANDBOX, **JANUARY})
    assert client.last_response is not None and client.last_response.status_code == 201
    report = client.get_report_by_id(created["reportId"])
    assert report["processingStatus"] == "IN_PROGRESS"
    assert report["reportDocumentId"] is None and report["processingEndTime"] is None
    assert (report["startTime"], report["endTime"]) == (JANUARY["startTime"], JANUARY["endTime"])
    sim.advance(PROCESSING - timedelta(seconds=1))
    assert client.get_report_by_id(created["reportId"])["processingStatus"] == "IN_PROGRESS"
    text = _download(sim, client, created["reportId"])

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["SellerId", "SettlementStartDate", "SettlementEndDate"]
    assert rows[1][1:] == ["2026-01-01T00:00:00+0900", "2026-02-01T00:00:00+0900"]
    assert rows[2] == [] and tuple(rows[3]) == SETTLEMENT_COLUMNS
    body = [dict(zip(SETTLEMENT_COLUMNS, row, strict=True)) for row in rows[4:]]
    assert [(row["TransactionType"], row["AmazonTransactionId"], row["TransactionAmount"],
             row["TotalTransactionFee"], row["NetTransactionAmount"]) for row in body] == [
        ("Authorization", charge_id, "5000", "0", "0"),
        ("Capture", charge_id, "5000", "-195", "4805"),
        ("Refund", refund_id, "-1000", "39", "-961"),
    ]
    assert {row["AmazonOrderReferenceId"] for row in body} == {permission_id}
    assert {row["SellerOrderId"] for row in body} == {"order-A"}
    refunded_at = sim.ledger.refund(refund_id).updated_at  # Refunded 30 s after it was asked for
    assert refunded_at == datetime(2026, 1, 5, 2, 0, 30, tzinfo=UTC)
    assert body[2]["TransactionPostedDate"] == "2026-01-05T11:00:30+0900"  # the same moment in JST
    assert body[0]["TransactionPostedDate"] == "2026-01-05T09:00:00+0900"


def test_the_settlement_report_agrees_with_the_ledger_for_many_orders(sim: Simulator,
                                                                      client: AmazonPayClient) -> None:
    captured: dict[str, int] = {}
    for number, amount in enumerate((1200, 3333, 98765), start=1):
        session = completed_checkout(sim, amount)
        charge = charge_of(sim, session)
        sim.api.capture_charge(charge.id, Money.of(amount))
        captured[charge.id] = amount
        sim.advance(timedelta(days=number))
    sim.advance(timedelta(days=30))
    report = read_settlement_report(_download(sim, client, client.create_report(
        {"reportType": SANDBOX, **JANUARY})["reportId"]))
    captures = {row.amazon_transaction_id: row for row in report.rows if row.transaction_type == "Capture"}
    assert {charge_id: int(row.amount) for charge_id, row in captures.items()} == captured
    for row in captures.values():  # D-FEE-SCHEDULE: 3.9 % rounded down, no fixed fee
        fee = (row.amount * Decimal("0.039")).to_integral_value(rounding="ROUND_DOWN")
        assert (row.percentage_fee, row.fixed_fee, row.net) == (-fee, Decimal(0), row.amount - fee)
    assert report.net_total() == sum(row.net for row in captures.values())


def test_a_report_with_no_transactions_is_cancelled_and_has_no_document(sim: Simulator,
                                                                        client: AmazonPayClient) -> None:
    sim.advance(timedelta(days=40))
    created = client.create_report({"reportType": SANDBOX, **JANUARY})
    sim.advance(PROCESSING)
    report = client.get_report_by_id(created["reportId"])
    assert (report["processingStatus"], report["reportDocumentId"]) == ("CANCELLED", None)
    assert report["processingEndTime"] is not None


def test_the_document_url_works_for_30_seconds_then_answers_an_expired_error(sim: Simulator,
                                                                             client: AmazonPayClient) -> None:
    _captured_and_refunded(sim)
    report_id = client.create_report({"reportType": SANDBOX, **JANUARY})["reportId"]
    sim.advance(PROCESSING)
    document = client.get_report_document(client.get_report_by_id(report_id)["reportDocumentId"])
    assert document["compressionAlgorithm"] == "N/A"
    assert document["url"].startswith("https://pay-api.amazon.jp/sandbox/v2/report-documents/")
    sim.advance(timedelta(seconds=29))
    via_requests = requests.get(document["url"], timeout=5)  # the other mount serves it too
    assert via_requests.status_code == 200 and via_requests.headers["content-type"].startswith("text/csv")
    sim.advance(timedelta(seconds=1))
    expired = _refuse(lambda: client.download_report_document(document["url"]), "AccessDenied", 403)
    assert "Request has expired" in expired.message
    forged = document["url"].rsplit("=", 1)[0] + "=0000"
    _refuse(lambda: client.download_report_document(forged), "AccessDenied", 403)
    fresh = client.get_report_document(document["reportDocumentId"])
    assert read_settlement_report(client.download_report_document(fresh["url"])).rows


def test_an_unknown_report_or_document_is_not_found(client: AmazonPayClient) -> None:
    _refuse(lambda: client.get_report_by_id("A0000000000000000000"), "ResourceNotFound", 404)
    _refuse(lambda: client.get_report_document("D0000000000000000000"), "ResourceNotFound", 404)


def test_reports_are_kept_90_days(sim: Simulator, client: AmazonPayClient) -> None:
    sim.advance(timedelta(days=40))
    report_id = client.create_report({"reportType": SANDBOX, **JANUARY})["reportId"]
    sim.advance(timedelta(days=90) - timedelta(seconds=1))
    assert client.get_report_by_id(report_id)["reportId"] == report_id
    sim.advance(timedelta(seconds=1))
    _refuse(lambda: client.get_report_by_id(report_id), "ResourceNotFound", 404)


# --- create report: bad input ------------------------------------------------------------------

@pytest.mark.parametrize(("body", "named"), [
    ({"reportType": "_GET_FLAT_FILE_NOTHING_", **JANUARY}, "reportType"),
    ({"reportType": REFUND_REPORT, **JANUARY}, "reportType"),  # not in Sandbox
    ({"reportType": SETTLEMENT, **JANUARY}, "reportType"),  # made per settlement, in Live only
    ({"reportType": SANDBOX, "startTime": "yesterday", "endTime": JANUARY["endTime"]}, "startTime"),
    ({"reportType": SANDBOX, "startTime": JANUARY["endTime"], "endTime": JANUARY["startTime"]},
     "startTime"),
    ({"reportType": SANDBOX, "startTime": "20260101T000000Z", "endTime": "20270101T000000Z"},
     "endTime"),  # in the future
])
def test_create_report_refuses_bad_types_and_dates(sim: Simulator, client: AmazonPayClient,
                                                   body: dict[str, str], named: str) -> None:
    sim.advance(timedelta(days=40))
    refused = _refuse(lambda: client.create_report(body), "InvalidParameterValue")
    assert f"'{named}'" in refused.message


def test_create_report_requires_its_fields(client: AmazonPayClient) -> None:
    _refuse(lambda: client.create_report({"reportType": SANDBOX}), "MissingParameterValue")
    _refuse(lambda: client.create_report({"reportType": SANDBOX, "colour": "red", **JANUARY}),
            "UnrecognizedField")


@pytest.mark.parametrize("written", ["2026-01-31T15:00:00Z", "2026-02-01T00:00:00+09:00",
                                     "2026-01-31T15-00-00Z", "20260131T150000Z"])
def test_create_report_reads_every_time_format_amazon_writes(sim: Simulator, client: AmazonPayClient,
                                                            written: str) -> None:
    sim.advance(timedelta(days=40))
    report_id = client.create_report({"reportType": SANDBOX, "startTime": JANUARY["startTime"],
                                      "endTime": written})["reportId"]
    assert client.get_report_by_id(report_id)["endTime"] == "20260131T150000Z"


# --- get reports: filters and pages -----------------------------------------------------------

def _many_reports(sim: Simulator, client: AmazonPayClient, count: int) -> list[str]:
    sim.advance(timedelta(days=40))
    made = []
    for _ in range(count):
        made.append(client.create_report({"reportType": SANDBOX, **JANUARY})["reportId"])
        sim.advance(timedelta(minutes=10))
    return made


def test_get_reports_pages_newest_first_with_next_tokens(sim: Simulator, client: AmazonPayClient) -> None:
    made = _many_reports(sim, client, 12)
    first = client.get_reports()
    assert [report["reportId"] for report in first["reports"]] == made[::-1][:10]  # default pageSize 10
    second = client.get_reports(query={"nextToken": first["nextToken"], "pageSize": "10",
                                       "createdSince": "20000101T000000Z"})  # ignored beside the token
    assert [report["reportId"] for report in second["reports"]] == made[::-1][10:]
    assert "nextToken" not in second
    assert len(client.get_reports(query={"pageSize": "100"})["reports"]) == 12
    one = client.get_reports(query={"pageSize": "1"})
    assert len(one["reports"]) == 1 and "nextToken" in one


@pytest.mark.parametrize("size", ["0", "101", "-1", "ten", "1.5"])
def test_get_reports_refuses_a_page_size_outside_1_to_100(client: AmazonPayClient, size: str) -> None:
    assert "'pageSize'" in _refuse(lambda: client.get_reports(query={"pageSize": size}),
                                   "InvalidParameterValue").message


def test_get_reports_refuses_a_token_it_never_handed_out(client: AmazonPayClient) -> None:
    assert "'nextToken'" in _refuse(lambda: client.get_reports(query={"nextToken": "forged"}),
                                    "InvalidParameterValue").message


@pytest.mark.parametrize(("query", "named"), [
    ({"createdSince": "last week"}, "createdSince"),
    ({"createdUntil": "2026-13-01T00:00:00Z"}, "createdUntil"),
    ({"reportTypes": "_GET_FLAT_FILE_NOTHING_"}, "reportTypes"), ({"processingStatuses": "DONE"},
                                                                 "processingStatuses"),
])
def test_get_reports_refuses_bad_filters(client: AmazonPayClient, query: dict[str, str], named: str) -> None:
    assert f"'{named}'" in _refuse(lambda: client.get_reports(query=query), "InvalidParameterValue").message


def test_get_reports_filters_by_status_and_creation_time_and_defaults_to_90_days(
        sim: Simulator, client: AmazonPayClient) -> None:
    (old,) = _many_reports(sim, client, 1)
    newer = client.create_report({"reportType": SANDBOX, **JANUARY})["reportId"]
    in_progress = client.get_reports(query={"processingStatuses": "IN_PROGRESS"})["reports"]
    assert [report["reportId"] for report in in_progress] == [newer]
    listed = client.get_reports(query={"processingStatuses": "CANCELLED,COMPLETED",
                                       "reportTypes": SANDBOX})["reports"]
    assert [report["reportId"] for report in listed] == [old]
    created_old = client.get_report_by_id(old)["createdTime"]
    until_old = client.get_reports(query={"createdUntil": created_old})["reports"]
    assert [report["reportId"] for report in until_old] == [old]
    sim.advance(timedelta(days=90) - timedelta(minutes=5))  # old: 90 days 5 minutes; newer: 89 days 23:55
    assert [report["reportId"] for report in client.get_reports()["reports"]] == [newer]


# --- schedules -----------------------------------------------------------------------------------

def test_report_schedules_create_list_get_cancel_and_make_reports(sim: Simulator,
                                                                  client: AmazonPayClient) -> None:
    created = client.create_report_schedule({"reportType": SANDBOX, "scheduleFrequency": "P1D",
                                             "nextReportCreationTime": "20260106T000000Z"})
    assert client.last_response is not None and client.last_response.status_code == 201
    schedule_id = created["reportScheduleId"]
    assert client.get_report_schedule_by_id(schedule_id) == {
        "reportScheduleId": schedule_id, "reportType": SANDBOX, "scheduleFrequency": "P1D",
        "nextReportCreationTime": "20260106T000000Z"}
    assert [s["reportScheduleId"] for s in
            client.get_report_schedules(query={"reportTypes": SANDBOX})["reportSchedules"]] == [schedule_id]
    assert client.get_report_schedules(query={"reportTypes": REFUND_REPORT})["reportSchedules"] == []
    sim.advance(timedelta(days=2, hours=1))  # 2026-01-06 00:00 and 2026-01-07 00:00 UTC
    made = client.get_reports()["reports"]
    assert [(r["startTime"], r["endTime"]) for r in made] == [("20260106T000000Z", "20260107T000000Z"),
                                                               ("20260105T000000Z", "20260106T000000Z")]
    assert client.get_report_schedule_by_id(schedule_id)["nextReportCreationTime"] == "20260108T000000Z"
    assert client.cancel_report_schedule(schedule_id) == {}
    _refuse(lambda: client.get_report_schedule_by_id(schedule_id), "ResourceNotFound", 404)
    _refuse(lambda: client.cancel_report_schedule(schedule_id), "ResourceNotFound", 404)
    sim.advance(timedelta(days=3))
    assert len(client.get_reports()["reports"]) == 2


def test_one_schedule_per_report_type_unless_the_existing_one_is_deleted(client: AmazonPayClient) -> None:
    first = client.create_report_schedule({"reportType": SANDBOX, "scheduleFrequency": "P7D"})
    _refuse(lambda: client.create_report_schedule({"reportType": SANDBOX, "scheduleFrequency": "P1D"}),
            "InvalidRequest")
    second = client.create_report_schedule({"reportType": SANDBOX, "scheduleFrequency": "PT12H",
                                            "deleteExistingSchedule": True})
    listed = client.get_report_schedules()["reportSchedules"]
    assert [(s["reportScheduleId"], s["scheduleFrequency"]) for s in listed] == \
        [(second["reportScheduleId"], "PT12H")]
    assert first["reportScheduleId"] != second["reportScheduleId"]


@pytest.mark.parametrize(("body", "named"), [
    ({"reportType": SANDBOX, "scheduleFrequency": "P5D"}, "scheduleFrequency"),
    ({"reportType": SANDBOX, "scheduleFrequency": "P1D", "nextReportCreationTime": "20250101T000000Z"},
     "nextReportCreationTime"),
    ({"reportType": REFUND_REPORT, "scheduleFrequency": "P1D"}, "reportType"),
])
def test_create_report_schedule_refuses_bad_values(client: AmazonPayClient, body: dict[str, str],
                                                   named: str) -> None:
    refused = _refuse(lambda: client.create_report_schedule(body), "InvalidParameterValue")
    assert f"'{named}'" in refused.message


# --- Live: settlements on their own, disbursements -----------------------------------------------

@pytest.fixture
def live() -> Iterator[Simulator]:
    simulator = Simulator(start=START, environment=Environment.LIVE)
    with simulator.mock(other_hosts="block"):
        yield simulator


def test_live_makes_a_settlement_report_per_period_and_disbursements_agree(live: Simulator) -> None:
    with _client(live) as client:
        _refuse(lambda: client.create_report({"reportType": SANDBOX, **JANUARY}), "InvalidParameterValue")
        permission_id, _, _ = _captured_and_refunded(live)  # 30 days: periods of 16 and 14 days ended
        settlements = client.get_reports(query={"reportTypes": SETTLEMENT})["reports"]
        periods = [(report["startTime"], report["endTime"], report["createdTime"], report["processingStatus"])
                   for report in settlements]
        assert periods == [
            ("20260121T000000Z", "20260204T000000Z", "20260204T000000Z", "CANCELLED"),
            ("20260105T000000Z", "20260121T000000Z", "20260121T000000Z", "COMPLETED")]
        text = client.download_report_document(
            client.get_report_document(settlements[1]["reportDocumentId"])["url"])
        report = read_settlement_report(text)
        assert {row.amazon_order_reference_id for row in report.rows} == {permission_id}
        assert report.seller_id == live.notifications.merchant_id  # one merchant: the IPN MerchantID
        paid = client.get_disbursements(query=TWO_MONTHS)
        assert paid["disbursements"] == [{
            "sellerId": report.seller_id, "settlementId": report.rows[0].settlement_id,
            "amazonDisbursementReferenceId": paid["disbursements"][0]["amazonDisbursementReferenceId"],
            "amount": str(report.net_total()), "currencyCode": "JPY", "transactionTime": "20260121T000000Z"}]
        assert report.net_total() == 5000 - 195 - 1000 + 39
        live.advance(timedelta(days=14))  # a third period ended, without transactions
        listed = client.get_reports(query={"reportTypes": SETTLEMENT})["reports"]
        statuses = [report["processingStatus"] for report in listed]
        assert statuses == ["CANCELLED", "CANCELLED", "COMPLETED"]
        assert len(client.get_disbursements(query=TWO_MONTHS)["disbursements"]) == 1
        refund_report = client.create_report({"reportType": REFUND_REPORT, **JANUARY})
        refunds = list(csv.DictReader(io.StringIO(_download(live, client, refund_report["reportId"]))))
        assert [(row["TransactionType"], row["TransactionAmount"]) for row in refunds] == \
            [("Refund", "-1000")]


def test_get_disbursements_needs_its_range_and_a_valid_token(client: AmazonPayClient) -> None:
    _refuse(lambda: client.get_disbursements(query={"endTime": "20260301T000000Z"}), "MissingParameterValue")
    backwards = {"startTime": TWO_MONTHS["endTime"], "endTime": TWO_MONTHS["startTime"]}
    _refuse(lambda: client.get_disbursements(query=backwards), "InvalidParameterValue")
    _refuse(lambda: client.get_disbursements(query={"nextToken": "forged"}), "InvalidParameterValue")
    assert client.get_disbursements(query=TWO_MONTHS) == {"disbursements": []}


def test_the_document_url_is_served_without_a_signature_but_the_api_is_not(sim: Simulator) -> None:
    assert requests.get("https://pay-api.amazon.jp/sandbox/v2/reports", timeout=5).status_code == 400
    answer = requests.get("https://pay-api.amazon.jp/sandbox/v2/report-documents/D1/content?X-Amz-Signature=x",
                          timeout=5)
    assert answer.status_code == 403 and "<Code>AccessDenied</Code>" in answer.text


def test_the_fee_schedule_is_settable() -> None:
    settings = Settings(fee_percent=Decimal("3.6"), fee_fixed=Decimal(10))
    simulator = Simulator(start=START, settings=settings)
    with simulator.mock(other_hosts="block"), _client(simulator) as client:
        _captured_and_refunded(simulator)
        report = read_settlement_report(_download(simulator, client, client.create_report(
            {"reportType": SANDBOX, **JANUARY})["reportId"]))
    fees = {row.transaction_type: (int(row.percentage_fee), int(row.fixed_fee), int(row.net))
            for row in report.rows}
    assert fees == {"Authorization": (0, 0, 0), "Capture": (-180, -10, 4810), "Refund": (36, 0, -964)}
