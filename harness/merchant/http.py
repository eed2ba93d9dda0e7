"""The merchant adapter over HTTP: a shop in any language, driven with the JSON contract of
docs/merchant-adapter.md ("The HTTP form").

`HttpMerchant` is a `MerchantAdapter` whose every method is one JSON call to the shop under its
base URL (`--amazon-pay-merchant=http://127.0.0.1:PORT/harness`): `POST /reset` once per scenario
(the test key, store and where Amazon is), `POST /checkouts`, `POST /buttons` (the button flow),
`POST /orders/{id}/{action}`, `POST /reconcile`, `GET /orders/{id}`, and the optional report
calls `POST /reports` and `GET /reports/{id}`; each notification Amazon
sends is POSTed as it is (the SNS envelope, its headers) to the shop's IPN URL, `POST
/notifications` unless `ipn_url` says otherwise, and the status the shop answers is the
delivery's outcome. The buyer's review and return are not contract calls: the harness requests the
shop's own `checkoutReviewReturnUrl` and `checkoutResultReturnUrl` as the buyer's browser does. The
shop calls Amazon Pay itself (through `HTTPS_PROXY` to the harness's server); a 4xx answer from the
shop is a scenario mistake (`ShopRefusedError`), no answer or a 5xx a broken shop (`ShopError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from harness.errors import HarnessError
from harness.ids import Environment
from harness.merchant.adapter import ButtonConfig, CheckoutRequest, MerchantOrder, OrderStatus, ReceivedError
from harness.money import Money
from harness.notifications import url_target
from harness.simulator import Simulator

__all__ = ["HttpMerchant", "ShopError", "ShopRefusedError", "is_http_spec"]

Json = dict[str, Any]
TIMEOUT = 60.0
"""Seconds one call to the shop may take (the shop's own calls to Amazon happen inside it)."""


class ShopError(HarnessError):
    """The shop behind the HTTP adapter did not answer, or answered what the contract does not allow."""


class ShopRefusedError(ShopError, ValueError):
    """The shop refused a call with a 4xx (an order it does not know, a call it cannot make)."""


def is_http_spec(spec: str) -> bool:
    """Whether a merchant setting names a shop over HTTP rather than a Python factory."""
    return spec.startswith(("http://", "https://"))


def _money(value: Money | None) -> Json | None:
    return None if value is None else value.to_json()


def checkout_json(order_id: str, request: CheckoutRequest) -> Json:
    """The body of `POST /checkouts`."""
    return {"orderId": order_id, "amount": request.amount.to_json(), "paymentIntent": request.intent.value,
            "totalOrderAmount": _money(request.total_order_amount),
            "allowOvercharge": request.allow_overcharge, "extendExpiration": request.extend_expiration,
            "recurring": request.recurring,
            "canHandlePendingAuthorization": request.can_handle_pending_authorization}


def _text(data: Json, name: str, where: str, *, optional: bool = False) -> str | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ShopError(f"{where}: {name!r} must be a string, got {value!r}")
    return value


def order_from_json(data: object, where: str) -> MerchantOrder:
    """The shop's answer to `GET /orders/{id}`, checked against the contract."""
    if not isinstance(data, dict):
        raise ShopError(f"{where}: expected a JSON object, got {data!r}")
    status = _text(data, "status", where)
    if status not in set(OrderStatus):
        raise ShopError(f"{where}: status {status!r} is none of {', '.join(OrderStatus)}")
    return MerchantOrder(str(_text(data, "orderId", where)), str(status),
                         _text(data, "checkoutSessionId", where, optional=True),
                         _text(data, "chargePermissionId", where, optional=True),
                         _text(data, "chargeId", where, optional=True), _received(data, "errors", where),
                         _received(data, "retried", where))


def _received(data: dict[str, object], name: str, where: str) -> list[ReceivedError]:
    """The list `name` ("errors", or the optional "retried") of ReceivedErrors."""
    errors = data.get(name, [])
    if not isinstance(errors, list):
        raise ShopError(f"{where}: {name!r} must be a list")
    received = []
    for error in errors:
        if not isinstance(error, dict) or not isinstance(error.get("status"), int):
            raise ShopError(f"{where}: each of {name!r} needs operation, status (a number), reasonCode, "
                            f"message; got {error!r}")
        received.append(ReceivedError(str(error.get("operation", "")), error["status"],
                                      str(error.get("reasonCode", "")), str(error.get("message", ""))))
    return received


class HttpMerchant:
    """A `MerchantAdapter` calling a shop's HTTP adapter endpoints (docs/merchant-adapter.md)."""

    def __init__(self, base_url: str, http: httpx.Client | None = None, *,
                 ipn_url: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http or httpx.Client(timeout=TIMEOUT)
        self.ipn_url = ipn_url or f"{self.base_url}/notifications"
        """The shop's IPN endpoint."""
        self._post_notification = url_target(self.ipn_url, self.http)

    @classmethod
    def for_scenario(cls, base_url: str, simulator: Simulator, amazon_pay_url: str,
                     http: httpx.Client | None = None) -> HttpMerchant:
        """The shop, reset for a new scenario: it forgets its orders and signs with the simulator's key."""
        merchant = cls(base_url, http)
        merchant.reset(simulator, amazon_pay_url)
        return merchant

    def reset(self, simulator: Simulator, amazon_pay_url: str) -> None:
        """`POST /reset`: drop every order; the key, store and region to use from now on."""
        self._call("POST", "/reset", {
            "publicKeyId": simulator.key_pair.public_key_id,
            "privateKey": simulator.key_pair.private_key_pem,
            "storeId": simulator.api.default_store_id, "region": simulator.ids.region.value,
            "sandbox": simulator.ids.environment is Environment.SANDBOX,
            "amazonPayUrl": amazon_pay_url})

    # --- MerchantAdapter ---------------------------------------------------------------------

    def start_checkout(self, order_id: str, request: CheckoutRequest) -> str | None:
        """`POST /checkouts` -> `{"checkoutSessionId": id | null}`."""
        answer = self._call("POST", "/checkouts", checkout_json(order_id, request))
        return _text(answer, "checkoutSessionId", "POST /checkouts", optional=True)

    def handle_return(self, return_url: str) -> None:
        """The buyer's browser requests the shop's result page (redirects followed, as a browser does)."""
        self._browse(return_url, "return URL", follow_redirects=True)

    # --- ButtonCheckout ------------------------------------------------------------------------

    def render_button(self, order_id: str, request: CheckoutRequest) -> ButtonConfig:
        """`POST /buttons` (the body of `POST /checkouts`) -> the createCheckoutSessionConfig:
        `{"payloadJSON", "signature", "publicKeyId", "algorithm" (optional)}`."""
        answer = self._call("POST", "/buttons", checkout_json(order_id, request))
        where = "POST /buttons"
        return ButtonConfig(str(_text(answer, "payloadJSON", where)), str(_text(answer, "signature", where)),
                            str(_text(answer, "publicKeyId", where)),
                            _text(answer, "algorithm", where, optional=True))

    def handle_review(self, review_url: str) -> str | None:
        """The buyer's browser opens the shop's review page: a redirect (3xx) is to amazonPayRedirectUrl;
        any 2xx page means the shop did not send the buyer on (Amazon refused it)."""
        response = self._browse(review_url, "review URL", follow_redirects=False)
        location = response.headers.get("location") if response.is_redirect else None
        return None if location is None else str(location)

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        """`POST /orders/{id}/capture` with `{"amount": Price | null}` (null: all of it)."""
        self._order_call(order_id, "capture", {"amount": _money(amount)})

    def refund(self, order_id: str, amount: Money) -> None:
        """`POST /orders/{id}/refund` with `{"amount": Price}`."""
        self._order_call(order_id, "refund", {"amount": amount.to_json()})

    def cancel(self, order_id: str) -> None:
        """`POST /orders/{id}/cancel`."""
        self._order_call(order_id, "cancel", {})

    def close(self, order_id: str) -> None:
        """`POST /orders/{id}/close`."""
        self._order_call(order_id, "close", {})

    def charge(self, order_id: str, amount: Money) -> None:
        """`POST /orders/{id}/charge` with `{"amount": Price}`."""
        self._order_call(order_id, "charge", {"amount": amount.to_json()})

    def receive_notification(self, body: str, headers: Mapping[str, str]) -> int:
        """POST the notification to the shop's IPN URL as Amazon does; the shop's status (an error
        on the way raises: a failed delivery)."""
        return self._post_notification(body, headers)

    def reconcile(self) -> None:
        """`POST /reconcile`."""
        self._call("POST", "/reconcile", {})

    def order(self, order_id: str) -> MerchantOrder | None:
        """`GET /orders/{id}`: the record, or None on 404."""
        path = f"/orders/{quote(order_id, safe='')}"
        answer = self._call("GET", path, None, missing_ok=True)
        return None if answer is None else order_from_json(answer, f"GET {path}")

    # --- ReportingMerchant (optional, reports: issue 15) ----------------------------------------

    def request_report(self, report_type: str, start: datetime, end: datetime) -> str | None:
        """`POST /reports` with `{"reportType", "startTime", "endTime"}` (ISO 8601 UTC) -> `{"reportId"}`
        (`null` when Amazon refused)."""
        body = {"reportType": report_type, "startTime": start.astimezone(UTC).isoformat(),
                "endTime": end.astimezone(UTC).isoformat()}
        return _text(self._call("POST", "/reports", body), "reportId", "POST /reports", optional=True)

    def download_report(self, report_id: str) -> str | None:
        """`GET /reports/{id}` -> `{"content"}`: the file's text as the shop downloaded it (`null`: none)."""
        path = f"/reports/{quote(report_id, safe='')}"
        return _text(self._call("GET", path, None), "content", f"GET {path}", optional=True)

    # --- plumbing ----------------------------------------------------------------------------

    def _browse(self, url: str, page: str, *, follow_redirects: bool) -> httpx.Response:
        """The buyer's browser opens the shop's `page` at `url`; a 4xx/5xx page is a broken shop."""
        try:
            response = self.http.get(url, follow_redirects=follow_redirects)
        except httpx.HTTPError as error:
            raise ShopError(f"the buyer's browser could not open the shop's {page} {url}: {error}") from None
        if response.status_code >= 400:
            raise ShopError(f"the shop's {page} {url} answered {response.status_code}: {response.text[:300]}")
        return response

    def _order_call(self, order_id: str, action: str, body: Json) -> None:
        self._call("POST", f"/orders/{quote(order_id, safe='')}/{action}", body)

    def _call(self, method: str, path: str, body: Json | None, *, missing_ok: bool = False) -> Any:
        where = f"{method} {self.base_url}{path}"
        try:
            response = self.http.request(method, self.base_url + path, json=body)
        except httpx.HTTPError as error:
            raise ShopError(f"the shop did not answer {where}: {error} (is it running, on that address?)"
                            ) from None
        if missing_ok and response.status_code == 404:
            return None
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            message = data.get("message", response.text) if isinstance(data, dict) else response.text[:300]
            kind = ShopRefusedError if response.status_code < 500 else ShopError
            raise kind(f"the shop answered {where} with {response.status_code}: {message}")
        if not isinstance(data, dict):
            raise ShopError(f"{where}: the shop must answer a JSON object, got {response.text[:300]!r}")
        return data
