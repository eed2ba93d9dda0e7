"""The pages of `harness serve` a person clicks through: Seller Central's transaction view and Amazon's
hosted checkout page (D-SERVER-CHECKOUT-PAGE), rendered from the living documentation's templates.

- `GET /seller-central[?status=Open]`: the transaction view (reference id, status, amounts, JST
  date), filtered by status; each row has the operator's capture / refund / cancel / close forms,
  and the page a clock control (simulated time in UTC and JST, advance by a duration).
- `POST /seller-central/{capture,refund,cancel,close,clock}`: performed as the control call
  `operator/...` (or `wait/for`) is, so it is read, journaled and refused the same way; then 303
  back to the view, or the view again with Seller Central's refusal.
- `POST /seller-central/report` (reportType, start and end dates in JST, both included): the
  operator requests a report, as the control call `seller-central/reports` (the end is the next
  midnight JST, or now if that is later than the clock); `GET /seller-central/reports/{reportId}`
  downloads a completed report's file (Reports > Payments in Seller Central,
  docs/reference/amazon-pay-v2.md §8.4).
- `GET /checkout/{checkoutSessionId}`: the order and the sandbox test cards (§6.1);
  `POST` with `choice` approve / drop-off / cancel: `buyer/pay` then `buyer/return` and a 303 to
  `checkoutResultReturnUrl?amazonCheckoutSessionId=…`, `buyer/pay` then `buyer/drop-off` and a
  page saying the buyer left, or `buyer/cancel` then `buyer/return`.

Forms are `application/x-www-form-urlencoded`, read with the standard library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlencode

from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.errors import AmazonPayError
from harness.amazon_pay.reports import REPORT_RETENTION, ProcessingStatus
from harness.amazon_pay.sandbox import CARD_OUTCOMES
from harness.api.http import HttpResponse
from harness.report.rendering import render
from harness.seller_central import COLUMNS, JST, TransactionStatus
from harness.server.addressing import REFERENCE, SESSION
from harness.server.control import PREFIX, ControlApi
from harness.server.served import ServedSimulator

__all__: list[str] = []

SELLER_CENTRAL_PAGE = "/seller-central"
CHECKOUT_PAGE = "/checkout"
FAVICON = "/favicon.ico"
OPERATIONS = ("capture", "refund", "cancel", "close")
"""The operator's actions on a row, as the control API names them (`operator/{name}`)."""
CHOICES = ("approve", "drop-off", "cancel")
"""What the buyer can do on the checkout page."""

REPORTS = "reports"
"""`/seller-central/reports/{reportId}`: a report's file."""

Form = dict[str, str]


def _jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


def _day(text: str, field: str) -> datetime:
    """A date of the report form (`2026-01-31`), as midnight JST."""
    try:
        return datetime.combine(date.fromisoformat(text), time(), JST)
    except ValueError:
        raise Refusal(400, "InvalidValue", f"the {field} date must be written like 2026-01-31, "
                                           f"not {text!r}") from None


class Refusal(Exception):  # noqa: N818  # not an error of the harness: the answer shown to the tester
    """A control call the simulator or Seller Central refused: its status, code and message."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def _form(body: bytes) -> Form:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return {name: values[0].strip() for name, values in parse_qs(text).items()}


def _html(status: int, html: str, headers: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"),
                                 *headers], html.encode("utf-8"))


def _see_other(location: str) -> HttpResponse:
    return HttpResponse(303, [("location", location), ("content-length", "0")], b"")


def card_description(suffix: str) -> str:
    """What a sandbox card does (§6.1), from `CARD_OUTCOMES`."""
    outcome = CARD_OUTCOMES[suffix]
    if outcome.session_cause is not None:
        return f"Checkout Session {_shown(outcome.session_cause)}"
    authorization = outcome.authorization
    if authorization.pending:
        return (f"authorization pending, then {_shown(authorization.final)} "
                "(needs Authorize with canHandlePendingAuthorization)")
    return "payment succeeds"


def _shown(cause: Cause) -> str:
    status = API_PROJECTION[cause]
    return status.state if status.reason is None else f"{status.state}/{status.reason.value}"


class Pages:
    """Answers the pages' requests on one served simulator, through its control API."""

    def __init__(self, served: ServedSimulator, control: ControlApi) -> None:
        self.served = served
        self.control = control

    @staticmethod
    def serves(path: str) -> bool:
        """Whether `path` is one of the pages."""
        return (path in (SELLER_CENTRAL_PAGE, "/", FAVICON) or path.startswith(SELLER_CENTRAL_PAGE + "/")
                or path.startswith(CHECKOUT_PAGE + "/"))

    def answer(self, method: str, path: str, query: str, body: bytes) -> HttpResponse:
        """The page, or what a form post leads to."""
        if path == "/":
            return _see_other(SELLER_CENTRAL_PAGE)
        if path == FAVICON:  # asked for by every browser; the pages have none
            return HttpResponse(204, [("content-length", "0")], b"")
        if method not in ("GET", "POST"):
            return _html(405, self._problem(f"{path} answers GET and POST, not {method}"),
                         (("allow", "GET, POST"),))
        if path.startswith(CHECKOUT_PAGE + "/"):
            session_id = path.removeprefix(CHECKOUT_PAGE + "/")
            if method == "POST":
                return self._checkout(session_id, _form(body))
            return self._checkout_page(session_id)
        if path == SELLER_CENTRAL_PAGE and method == "GET":
            return _html(200, self._seller_central(_form(query.encode("utf-8"))))
        action = path.removeprefix(SELLER_CENTRAL_PAGE + "/")
        if method == "POST" and (action in OPERATIONS or action == "clock"):
            return self._operate(action, _form(body))
        if method == "POST" and action == "report":
            return self._request_report(_form(body))
        if method == "GET" and action.startswith(REPORTS + "/"):
            return self._download_report(action.removeprefix(REPORTS + "/"))
        return _html(404, self._problem(f"no page {method} {path}; Seller Central is at "
                                        f"{SELLER_CENTRAL_PAGE}"))

    # --- the control API ------------------------------------------------------------------------

    def _call(self, route: str, fields: Mapping[str, object]) -> dict[str, object]:
        status, answer = self.control.handle("POST", f"{PREFIX}/{route}", json.dumps(fields).encode("utf-8"))
        if status != 200:
            raise Refusal(status, str(answer["error"]), str(answer["message"]))
        return answer

    # --- Seller Central ------------------------------------------------------------------------

    def _operate(self, action: str, form: Form) -> HttpResponse:
        status_filter = form.get("status", "")
        try:
            if action == "clock":
                self._call("wait/for", {"duration": form.get("duration", "")})
                done = {"done": "clock"}
            else:
                fields: dict[str, object] = {REFERENCE: form.get(REFERENCE, "")}
                if action in ("capture", "refund") and form.get("amount"):
                    fields["amount"] = form["amount"]
                self._call(f"operator/{action}", fields)
                done = {"done": action, REFERENCE: str(fields[REFERENCE])}
        except Refusal as refusal:
            page = self._seller_central({"status": status_filter}, refusal, action, form.get(REFERENCE))
            return _html(refusal.status, page)
        query = {**done, **({"status": status_filter} if status_filter else {})}
        return _see_other(f"{SELLER_CENTRAL_PAGE}?{urlencode(query)}")

    def _seller_central(self, query: Form, refusal: Refusal | None = None, action: str | None = None,
                        reference_id: str | None = None) -> str:
        simulator = self.served.simulator
        status_filter = query.get("status", "")
        rows = [row for row in simulator.seller_central.rows()
                if not status_filter or row.status.value == status_filter]
        done = query.get("done")
        with simulator.lock:
            reports = self._reports()
            report_types = [str(kind) for kind in simulator.reports.requestable()]
        return render(
            "seller-central.html.j2", columns=COLUMNS, view={"rows": [row.cells() for row in rows]},
            references=[row.reference_id for row in rows],
            statuses=[status.value for status in TransactionStatus],
            status_filter=status_filter, now=simulator.now().isoformat(), operations=OPERATIONS,
            done=done if done in (*OPERATIONS, "clock", "report") else None,
            done_reference=query.get(REFERENCE, "") or query.get("reportId", ""),
            refusal=refusal, refused_action=action, refused_reference=reference_id, page=SELLER_CENTRAL_PAGE,
            reports=reports, report_types=report_types, reports_path=f"{SELLER_CENTRAL_PAGE}/{REPORTS}")

    # --- reports (issue 15) ------------------------------------------------------------------

    def _reports(self) -> list[dict[str, object]]:
        simulator = self.served.simulator
        reports = simulator.reports
        kept = reports.find(None, None, simulator.now() - REPORT_RETENTION, simulator.now())
        return [{"id": report.id, "type": str(report.report_type), "start": _jst(report.start),
                 "end": _jst(report.end), "created": _jst(report.created_at),
                 "status": str(reports.status(report)), "rows": report.rows} for report in kept]

    def _request_report(self, form: Form) -> HttpResponse:
        try:
            start, end = _day(form.get("start", ""), "start"), _day(form.get("end", ""), "end")
            end = min(end + timedelta(days=1), self.served.simulator.now())
            answer = self._call("seller-central/reports", {"reportType": form.get("reportType", ""),
                                                           "startTime": start.isoformat(),
                                                           "endTime": end.isoformat()})
        except Refusal as refusal:
            return _html(refusal.status, self._seller_central({}, refusal, "report"))
        done = urlencode({"done": "report", "reportId": answer["reportId"]})
        return _see_other(f"{SELLER_CENTRAL_PAGE}?{done}")

    def _download_report(self, report_id: str) -> HttpResponse:
        simulator = self.served.simulator
        with simulator.lock:
            try:
                report = simulator.reports.get(report_id)
                status = simulator.reports.status(report)
                content = None
                if status is ProcessingStatus.COMPLETED:
                    document = simulator.reports.link(report.document_id)
                    content = simulator.reports.download(report.document_id, document.token)
            except AmazonPayError as error:
                return _html(404, self._problem(f"{error.reason_code}: {error.message}"))
        if content is None:
            return _html(409, self._problem(f"report {report_id} is {status}: there is no file to download"))
        return HttpResponse(200, [("content-type", "text/csv; charset=utf-8"),
                                  ("content-disposition", f'attachment; filename="{report_id}.csv"')],
                            content.encode("utf-8"))

    # --- Amazon's checkout page ----------------------------------------------------------------

    def _checkout(self, session_id: str, form: Form) -> HttpResponse:
        choice = form.get("choice", "")
        ids = {SESSION: session_id}
        try:
            if choice not in CHOICES:
                raise Refusal(400, "InvalidChoice", f"choose one of {', '.join(CHOICES)}, not {choice!r}")
            if choice == "cancel":
                self._call("buyer/cancel", ids)
            else:
                self._call("buyer/pay", {**ids, "card": form.get("card", "")})
            if choice == "drop-off":
                self._call("buyer/drop-off", ids)
                return _html(200, self._checkout_html(session_id, left=True))
            redirect = self._call("buyer/return", ids)["redirectUrl"]
        except Refusal as refusal:
            return _html(refusal.status, self._checkout_html(session_id, refusal=refusal))
        return _see_other(str(redirect))

    def _checkout_page(self, session_id: str) -> HttpResponse:
        try:
            self.served.simulator.ledger.session(session_id)
        except AmazonPayError as error:
            refusal = Refusal(404, error.reason_code, error.message)
            return _html(404, self._checkout_html(session_id, refusal=refusal))
        return _html(200, self._checkout_html(session_id))

    def _checkout_html(self, session_id: str, *, refusal: Refusal | None = None, left: bool = False) -> str:
        session = self.served.simulator.ledger.checkout_sessions.get(session_id)
        order = None
        if session is not None:
            payment = session.payment
            order = {"state": session.state, "reason": session.reason, "approved": session.approved,
                     "constraints": list(session.constraints),
                     "amount": "" if payment.charge_amount is None else str(payment.charge_amount),
                     "intent": "" if payment.payment_intent is None else payment.payment_intent.value,
                     "store": session.merchant_metadata.merchant_store_name or "",
                     "return_url": session.web.checkout_result_return_url or ""}
        return render("checkout.html.j2", session_id=session_id, order=order, refusal=refusal, left=left,
                      cards=[(suffix, card_description(suffix)) for suffix in CARD_OUTCOMES],
                      action=f"{CHECKOUT_PAGE}/{session_id}", sign_in=f"{PREFIX}/buyer/sign-in",
                      seller_central=SELLER_CENTRAL_PAGE)

    def _problem(self, message: str) -> str:
        return render("problem.html.j2", message=message, seller_central=SELLER_CENTRAL_PAGE)
