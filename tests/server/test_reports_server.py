"""Reports under `harness serve`, over a real socket: the Reports API and its document url through the
server, and report creation and download on the Seller Central page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from harness.amazon_pay.flat_files import read_settlement_report
from harness.amazon_pay.reports import ReportType
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.server import RunningServer, ServeOptions, start_in_thread
from tests.server.conftest import TIMEOUT, YEN_5000, control, create_session, merchant

SANDBOX = str(ReportType.SANDBOX_SETTLEMENT)


@pytest.fixture
def shop(server: RunningServer) -> Iterator[AmazonPayClient]:
    with httpx.Client(timeout=TIMEOUT) as http:
        yield merchant(http, server.base_url)


def _paid_and_refunded(server: RunningServer, shop: AmazonPayClient) -> str:
    """A checkout of 5,000 JPY on 2026-01-05 (JST), captured and 1,000 JPY refunded from Seller Central."""
    session_id = create_session(shop)["checkoutSessionId"]
    control(server, "POST", "buyer/pay", {"checkoutSessionId": session_id, "card": "1111"})
    control(server, "POST", "buyer/return", {"checkoutSessionId": session_id})
    completed = shop.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})
    reference_id = str(completed["chargePermissionId"])
    control(server, "POST", "operator/capture", {"referenceId": reference_id})
    control(server, "POST", "operator/refund", {"referenceId": reference_id, "amount": "1,000円"})
    control(server, "POST", "wait/for", {"duration": "2 days"})
    return reference_id


def test_the_reports_api_and_its_document_url_work_through_the_server(server: RunningServer,
                                                                      shop: AmazonPayClient) -> None:
    reference_id = _paid_and_refunded(server, shop)
    created = shop.create_report({"reportType": SANDBOX, "startTime": "20260101T000000Z",
                                  "endTime": "20260106T000000Z"})
    control(server, "POST", "wait/for", {"duration": "1 minute"})
    report = shop.get_report_by_id(created["reportId"])
    document = shop.get_report_document(report["reportDocumentId"])
    assert document["url"].startswith(f"{server.base_url}/sandbox/v2/report-documents/")
    settlement = read_settlement_report(shop.download_report_document(document["url"]))
    assert [(row.transaction_type, int(row.amount)) for row in settlement.for_order(reference_id)] == [
        ("Authorization", 5000), ("Capture", 5000), ("Refund", -1000)]
    listed = control(server, "GET", "reports").json()["reports"]
    assert [(item["reportId"], item["processingStatus"], item["rows"]) for item in listed] == [
        (created["reportId"], "COMPLETED", 3)]
    control(server, "POST", "wait/for", {"duration": "30 seconds"})
    with pytest.raises(AmazonPayApiError) as expired:
        shop.download_report_document(document["url"])
    assert (expired.value.status, expired.value.reason_code) == (403, "AccessDenied")


def test_seller_central_page_requests_lists_and_downloads_a_report(server: RunningServer,
                                                                   shop: AmazonPayClient) -> None:
    reference_id = _paid_and_refunded(server, shop)
    with httpx.Client(base_url=server.base_url, timeout=TIMEOUT, follow_redirects=False) as browser:
        page = browser.get("/seller-central")
        assert page.status_code == 200 and f'<option value="{SANDBOX}">' in page.text
        assert "No reports yet." in page.text
        posted = browser.post("/seller-central/report", data={"reportType": SANDBOX, "start": "2026-01-01",
                                                               "end": "2026-01-05"})
        assert posted.status_code == 303
        report_id = posted.headers["location"].rsplit("reportId=", 1)[1]
        listed = browser.get(posted.headers["location"]).text
        assert f'data-report="{report_id}"' in listed and "IN_PROGRESS" in listed
        assert browser.get(f"/seller-central/reports/{report_id}").status_code == 409  # not ready yet
        browser.post("/seller-central/clock", data={"duration": "1 minute"})
        ready = browser.get("/seller-central").text
        assert f'href="/seller-central/reports/{report_id}"' in ready and "COMPLETED" in ready
        download = browser.get(f"/seller-central/reports/{report_id}")
        assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
        assert f'filename="{report_id}.csv"' in download.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(download.text)))
        assert rows[1][1:] == ["2026-01-01T00:00:00+0900", "2026-01-06T00:00:00+0900"]  # 'to' is included
        assert {row[5] for row in rows[4:]} == {reference_id}
        assert browser.get("/seller-central/reports/A000").status_code == 404


@pytest.mark.parametrize(("form", "shown"), [
    ({"reportType": str(ReportType.REFUND), "start": "2026-01-01", "end": "2026-01-04"},
     "InvalidParameterValue"),
    ({"reportType": SANDBOX, "start": "01/01/2026", "end": "2026-01-04"}, "like 2026-01-31"),
    ({"reportType": SANDBOX, "start": "2026-01-04", "end": "2026-01-01"}, "must be before"),
])
def test_seller_central_page_shows_why_a_report_is_refused(server: RunningServer, form: dict[str, str],
                                                           shown: str) -> None:
    answer = httpx.post(f"{server.base_url}/seller-central/report", data=form, timeout=TIMEOUT)
    assert answer.status_code == 400 and 'role="alert"' in answer.text and shown in answer.text


def test_reports_survive_a_restart_with_state(server_options: ServeOptions, tmp_path: Path) -> None:
    options = replace(server_options, state=tmp_path / "state.json")
    with start_in_thread(options) as first, httpx.Client(timeout=TIMEOUT) as http:
        shop = merchant(http, first.base_url)
        _paid_and_refunded(first, shop)
        by_api = shop.create_report({"reportType": SANDBOX, "startTime": "20260101T000000Z",
                                     "endTime": "20260106T000000Z"})["reportId"]
        by_page = control(first, "POST", "seller-central/reports", {
            "reportType": SANDBOX, "startTime": "2026-01-02T00:00:00+09:00",
            "endTime": "2026-01-06T00:00:00+09:00"}).json()["reportId"]
        control(first, "POST", "wait/for", {"duration": "1 minute"})
        before = control(first, "GET", "reports").json()
    assert [item["reportId"] for item in before["reports"]] == [by_page, by_api]
    with start_in_thread(options) as second, httpx.Client(timeout=TIMEOUT) as http:
        assert control(second, "GET", "reports").json() == before
        shop = merchant(http, second.base_url)
        document = shop.get_report_document(shop.get_report_by_id(by_api)["reportDocumentId"])
        assert len(read_settlement_report(shop.download_report_document(document["url"])).rows) == 3


def test_a_control_call_with_a_bad_report_type_says_which_exist(server: RunningServer) -> None:
    answer = control(server, "POST", "seller-central/reports", {
        "reportType": "settlement", "startTime": "2026-01-01T00:00:00Z", "endTime": "2026-01-02T00:00:00Z"})
    assert answer.status_code == 400 and SANDBOX in answer.json()["message"]
