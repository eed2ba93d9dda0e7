"""The built-in merchant: a small shop that calls Amazon Pay with the signed reference client.

It keeps its orders in memory, talks to Amazon Pay only over HTTP (through whatever serves the
Amazon hosts: the simulator's respx mount in scenarios) and takes its time from `datetime.now()`,
like production code. Errors Amazon answers are recorded on the order, never raised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit
from weakref import WeakKeyDictionary

import httpx

from harness.amazon_pay.states import ChargePermissionState, ChargeState, CheckoutSessionState
from harness.ids import Environment
from harness.merchant.adapter import ButtonConfig, CheckoutRequest, MerchantOrder, OrderStatus, ReceivedError
from harness.merchant.client import RETRIES, AmazonPayApiError, AmazonPayClient
from harness.merchant.idempotency import IdempotencyKeys
from harness.money import Money
from harness.notifications import Message, ObjectType, VerificationError, verify

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["ReferenceMerchant", "reference_merchant"]

Json = dict[str, Any]

CHARGE_STATUS: dict[str, OrderStatus] = {
    ChargeState.AUTHORIZATION_INITIATED: OrderStatus.AUTHORIZING,
    ChargeState.AUTHORIZED: OrderStatus.AUTHORIZED,
    ChargeState.CAPTURE_INITIATED: OrderStatus.CAPTURING,
    ChargeState.CAPTURED: OrderStatus.CAPTURED,
    ChargeState.CANCELED: OrderStatus.CANCELED,
    ChargeState.DECLINED: OrderStatus.DECLINED,
}
"""How the shop reads a Charge's state into its own order status."""

BUTTON_SCOPES = ("name", "email", "phoneNumber", "shippingAddress")
"""What the shop asks Amazon to share on the button's click (docs/reference/amazon-pay-v2.md §5.5)."""

SHIPPING_FEES: Mapping[str, Money] = {"北海道": Money.of(1000), "沖縄県": Money.of(1500)}
"""The reference shop's shipping fees (shop logic, not Amazon's): other prefectures ship free."""


@dataclass
class _Order:
    """The shop's row for an order: the public record plus what it asked Amazon for."""

    record: MerchantOrder
    request: CheckoutRequest
    total: Money
    """What the buyer pays: the request's amount, plus shipping in the button flow."""
    refund_ids: list[str] = field(default_factory=list)
    charge_amount: Json | None = None
    """The chargeAmount of the latest Charge, as Amazon answered it: what "capture all" captures."""


class _AnsweredError(Exception):
    """Amazon answered an error (already recorded on the order)."""


def _stop_at_error() -> suppress:
    """End the action at an error Amazon answered; the error is already on the order."""
    return suppress(_AnsweredError)


class ReferenceMerchant:
    """A `MerchantAdapter` over `AmazonPayClient`: create, complete, capture, refund, cancel, close.

    It implements `ButtonCheckout` too: the standard flow where the buyer's click on Amazon Pay's
    button creates the session and the review page adds shipping by prefecture. Its POSTs' keys are
    named by order and operation within `idempotency_namespace` (`harness.merchant.idempotency`).
    """

    def __init__(self, client: AmazonPayClient, store_id: str, *,
                 shop_url: str = "https://shop.example",
                 shipping_fees: Mapping[str, Money] | None = None,
                 idempotency_namespace: str | None = None) -> None:
        self.client = client
        self.store_id = store_id
        self.shop_url = shop_url.rstrip("/")
        self.shipping_fees: Mapping[str, Money] = SHIPPING_FEES if shipping_fees is None else shipping_fees
        """Shipping by prefecture (Get Checkout Session's shippingAddress.stateOrRegion), shop logic."""
        self._orders: dict[str, _Order] = {}
        self.report_errors: list[ReceivedError] = []
        """Errors Amazon answered the shop's report calls (reports belong to no order)."""
        self.notifications: list[Message] = []
        """Every notification the shop accepted, oldest first."""
        self._keys = IdempotencyKeys(idempotency_namespace)
        """The POSTs' idempotency keys, named by order and operation (random namespace by default)."""

    # --- checkout -----------------------------------------------------------------------------

    def start_checkout(self, order_id: str, request: CheckoutRequest) -> str | None:
        """Create Checkout Session with every detail, so only the buyer's sign-in is missing."""
        order = self._new_order(order_id, request)
        payload = self._session_payload(order_id, request)
        payload["webCheckoutDetails"]["checkoutResultReturnUrl"] = self._url("result", order_id)
        payload["paymentDetails"]["chargeAmount"] = request.amount.to_json()
        if request.total_order_amount is not None:
            payload["paymentDetails"]["totalOrderAmount"] = request.total_order_amount.to_json()
        with _stop_at_error():
            session = self._call(order, "createCheckoutSession",
                                 lambda: self.client.create_checkout_session(
                                     payload, idempotency_key=self._key(order, "createCheckoutSession")))
            order.record.checkout_session_id = str(session["checkoutSessionId"])
        return order.record.checkout_session_id

    # --- the standard flow: Amazon Pay's button, then the review page (§5.5, §9.8) ------------

    def render_button(self, order_id: str, request: CheckoutRequest) -> ButtonConfig:
        """The cart page: the button's payload (no amount yet: shipping depends on the address)."""
        self._new_order(order_id, request)
        payload = {**self._session_payload(order_id, request), "scopes": list(BUTTON_SCOPES)}
        payload_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return ButtonConfig(payload_json, self.client.generate_button_signature(payload_json),
                            self.client.public_key_id, self.client.algorithm.value)

    def handle_review(self, review_url: str) -> str | None:
        """The review page: read the buyer's address, add shipping, Update Checkout Session."""
        order, session_id = self._arrival(review_url)
        order.record.checkout_session_id = session_id
        with _stop_at_error():
            session = self._call(order, "getCheckoutSession",
                                 lambda: self.client.get_checkout_session(session_id))
            address = session.get("shippingAddress") or {}
            order.total = order.request.amount + self.shipping_fee(str(address.get("stateOrRegion", "")),
                                                                   order.request.amount.currency)
            payment: Json = {"chargeAmount": order.total.to_json()}
            if order.request.total_order_amount is not None:
                payment["totalOrderAmount"] = order.request.total_order_amount.to_json()
            update = {"webCheckoutDetails": {"checkoutResultReturnUrl": self._url("result",
                                                                                  order.record.order_id)},
                      "paymentDetails": payment}
            updated = self._call(order, "updateCheckoutSession",
                                 lambda: self.client.update_checkout_session(session_id, update))
            redirect = updated["webCheckoutDetails"].get("amazonPayRedirectUrl")
            return None if redirect is None else str(redirect)
        return None

    def shipping_fee(self, prefecture: str, currency: str) -> Money:
        """The shop's shipping fee to `prefecture` (stateOrRegion): `shipping_fees`, else free."""
        return self.shipping_fees.get(prefecture, Money.zero(currency))

    def _new_order(self, order_id: str, request: CheckoutRequest) -> _Order:
        if order_id in self._orders:
            raise ValueError(f"the shop already has an order {order_id!r}")
        order = _Order(MerchantOrder(order_id, OrderStatus.PENDING), request, total=request.amount)
        self._orders[order_id] = order
        return order

    def _url(self, page: str, order_id: str) -> str:
        return f"{self.shop_url}/checkout/{page}?{urlencode({'order': order_id})}"

    def _session_payload(self, order_id: str, request: CheckoutRequest) -> Json:
        """What both flows send first: the review page, the store, the intent and its flags."""
        payment: Json = {"paymentIntent": request.intent.value,
                         "canHandlePendingAuthorization": request.can_handle_pending_authorization}
        if request.allow_overcharge:
            payment["allowOvercharge"] = True
        if request.extend_expiration:
            payment["extendExpiration"] = True
        payload: Json = {
            "webCheckoutDetails": {"checkoutReviewReturnUrl": self._url("review", order_id)},
            "storeId": self.store_id,
            "paymentDetails": payment,
            "merchantMetadata": {"merchantReferenceId": order_id, "merchantStoreName": "Reference Shop"},
        }
        if request.recurring:
            payload["chargePermissionType"] = "Recurring"
            payload["recurringMetadata"] = {"frequency": {"unit": "Month", "value": "1"},
                                            "amount": request.amount.to_json()}
        return payload

    def _arrival(self, url: str) -> tuple[_Order, str]:
        """The order and checkout a return or review URL names (`order`, `amazonCheckoutSessionId`)."""
        query = parse_qs(urlsplit(url).query)
        return self._order(query.get("order", [""])[0]), query.get("amazonCheckoutSessionId", [""])[0]

    def handle_return(self, return_url: str) -> None:
        """The result page: complete the checkout named in the URL and read the charge."""
        order, session_id = self._arrival(return_url)
        if session_id != order.record.checkout_session_id:
            raise ValueError(f"the return URL {return_url!r} names another checkout than order "
                             f"{order.record.order_id!r} started ({order.record.checkout_session_id})")
        with _stop_at_error():
            self._complete(order, "completeCheckoutSession")

    def reconcile(self) -> None:
        """Look at every unfinished order on Amazon's side and catch up with it.

        A pending order whose Checkout Session is still Open is completed (the buyer may have paid
        and never come back, docs/reference/seller-central.md Open 2); a Completed one has its ids read; a
        Canceled one failed, and so did one Amazon no longer has (404 after its 30-day retention).
        Orders with a charge take the charge's current state; a confirmed one (no charge yet, even
        one just completed here) is closed once its Charge Permission is.
        """
        for order in self._orders.values():
            self._reconcile(order)

    def _reconcile(self, order: _Order) -> None:
        record = order.record
        try:
            if record.status == OrderStatus.PENDING and record.checkout_session_id is not None:
                session_id = record.checkout_session_id
                session = self._call(order, "reconcile: getCheckoutSession",
                                     lambda: self.client.get_checkout_session(session_id))
                state = session["statusDetails"]["state"]
                if state == CheckoutSessionState.OPEN:
                    self._complete(order, "reconcile: completeCheckoutSession")
                elif state == CheckoutSessionState.COMPLETED:
                    self._take_ids(order, session)
                else:
                    record.status = OrderStatus.FAILED
            elif record.charge_id is not None:
                self._read_charge(order, "reconcile: getCharge")
            if record.status == OrderStatus.CONFIRMED and record.charge_permission_id is not None:
                self._read_permission(order, "reconcile: getChargePermission")
        except _AnsweredError:
            if record.status == OrderStatus.PENDING and record.errors[-1].reason_code == "ResourceNotFound":
                record.status = OrderStatus.FAILED  # past the 30-day retention: it never completed

    def _complete(self, order: _Order, operation: str) -> None:
        request = order.request
        payload: Json = {"chargeAmount": order.total.to_json()}
        if request.total_order_amount is not None:
            payload["totalOrderAmount"] = request.total_order_amount.to_json()
        session_id = str(order.record.checkout_session_id)
        key = self._key(order, "completeCheckoutSession")
        try:
            session = self._call(order, operation, lambda: self.client.complete_checkout_session(
                session_id, payload, idempotency_key=key))
        except _AnsweredError:
            if order.record.errors[-1].reason_code == "InvalidCheckoutSessionStatus":
                self._fail_if_canceled(order, session_id)
            raise
        self._take_ids(order, session)

    def _fail_if_canceled(self, order: _Order, session_id: str) -> None:
        """After InvalidCheckoutSessionStatus: a Canceled session means the payment failed (Amazon's
        FAQ: Complete answers that code for a Completed or Canceled session)."""
        session = self._call(order, "getCheckoutSession",
                             lambda: self.client.get_checkout_session(session_id))
        if session["statusDetails"]["state"] == CheckoutSessionState.CANCELED:
            order.record.status = OrderStatus.FAILED

    def _take_ids(self, order: _Order, session: Json) -> None:
        order.record.charge_permission_id = session.get("chargePermissionId")
        order.record.charge_id = session.get("chargeId")
        if order.record.charge_id is None:
            order.record.status = OrderStatus.CONFIRMED
        else:
            self._read_charge(order, "getCharge")

    # --- after the checkout --------------------------------------------------------------------

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        """Capture the authorized charge, or charge and capture at once when there is none.

        Without `amount` the whole latest charge is captured: its chargeAmount as Amazon answered
        it, which after a further Create Charge (a recurring price change, an overcharge) is not
        the checkout's amount.
        """
        order = self._order(order_id)
        with _stop_at_error():
            charge_id = order.record.charge_id
            if charge_id is not None and order.record.status == OrderStatus.AUTHORIZED:
                whole = order.charge_amount or order.total.to_json()
                capture_amount = whole if amount is None else amount.to_json()
                charge = self._call(order, "captureCharge", lambda: self.client.capture_charge(
                    charge_id, {"captureAmount": capture_amount},
                    idempotency_key=self._key(order, "captureCharge")))
                self._take_charge(order, charge)
            else:
                self._create_charge(order, (amount or order.total).to_json(), capture_now=True)

    def charge(self, order_id: str, amount: Money) -> None:
        """Create Charge on the order's permission (authorize only)."""
        order = self._order(order_id)
        with _stop_at_error():
            self._create_charge(order, amount.to_json(), capture_now=False)

    def refund(self, order_id: str, amount: Money) -> None:
        """Create Refund on the order's latest charge."""
        order = self._order(order_id)
        charge_id = self._require(order.record.charge_id, order, "charge to refund")
        with _stop_at_error():
            refund = self._call(order, "createRefund", lambda: self.client.create_refund(
                {"chargeId": charge_id, "refundAmount": amount.to_json()},
                idempotency_key=self._key(order, "createRefund")))
            order.refund_ids.append(str(refund["refundId"]))
            order.record.status = OrderStatus.REFUNDED

    def cancel(self, order_id: str) -> None:
        """Cancel Charge: release the order's authorization."""
        order = self._order(order_id)
        charge_id = self._require(order.record.charge_id, order, "charge to cancel")
        with _stop_at_error():
            charge = self._call(order, "cancelCharge", lambda: self.client.cancel_charge(
                charge_id, {"cancellationReason": f"Order {order_id} canceled by the shop"}))
            self._take_charge(order, charge)

    def close(self, order_id: str) -> None:
        """Close Charge Permission, leaving any open charge as it is."""
        order = self._order(order_id)
        permission_id = self._require(order.record.charge_permission_id, order, "charge permission")
        with _stop_at_error():
            self._call(order, "closeChargePermission", lambda: self.client.close_charge_permission(
                permission_id, {"closureReason": f"Order {order_id} closed by the shop",
                                "cancelPendingCharges": False}))
            order.record.status = OrderStatus.CLOSED

    def receive_notification(self, body: str, headers: Mapping[str, str]) -> int:
        """The IPN endpoint: verify the notification, then GET the object it names (the message has
        no state, docs/reference/amazon-pay-v2.md §7.1) and update the order it belongs to.

        400 for a notification that does not verify (Amazon does not send those), 500 when Amazon's
        answer to the GET was an error (so Amazon retries), else 200; a notification about a
        Charge Permission the shop has not recorded yet (a checkout it has not completed) is
        acknowledged and left to the return or the reconciliation job.
        """
        try:
            message = verify(body)
        except VerificationError:
            return 400
        self.notifications.append(message)
        order = next((order for order in self._orders.values()
                      if order.record.charge_permission_id == message.charge_permission_id), None)
        if order is None:
            return 200
        try:
            self._take_notification(order, message)
        except _AnsweredError:
            return 500
        return 200

    def _take_notification(self, order: _Order, message: Message) -> None:
        record = order.record
        if message.object_type is ObjectType.REFUND:
            refund = self._call(order, "notification: getRefund",
                                lambda: self.client.get_refund(message.object_id))
            if refund.get("chargeId") == record.charge_id:
                self._read_charge(order, "notification: getCharge")
        elif message.object_type is ObjectType.CHARGE and message.object_id == record.charge_id:
            self._read_charge(order, "notification: getCharge")
        elif message.object_type is ObjectType.CHARGE_PERMISSION and record.charge_id is None:
            self._read_permission(order, "notification: getChargePermission")

    def order(self, order_id: str) -> MerchantOrder | None:
        """A copy of the shop's record of the order."""
        order = self._orders.get(order_id)
        return None if order is None else replace(order.record, errors=list(order.record.errors),
                                                  retried=list(order.record.retried))

    # --- plumbing -----------------------------------------------------------------------------

    def _create_charge(self, order: _Order, amount: Json, *, capture_now: bool) -> None:
        permission_id = self._require(order.record.charge_permission_id, order, "charge permission")
        charge = self._call(order, "createCharge", lambda: self.client.create_charge({
            "chargePermissionId": permission_id, "chargeAmount": amount, "captureNow": capture_now,
            "canHandlePendingAuthorization": order.request.can_handle_pending_authorization},
            idempotency_key=self._key(order, "createCharge")))
        order.record.charge_id = str(charge["chargeId"])
        self._take_charge(order, charge)

    def _read_permission(self, order: _Order, operation: str) -> None:
        """A permission without charges: the order is closed once the permission is."""
        permission_id = str(order.record.charge_permission_id)
        permission = self._call(order, operation, lambda: self.client.get_charge_permission(permission_id))
        if permission["statusDetails"]["state"] == ChargePermissionState.CLOSED:
            order.record.status = OrderStatus.CLOSED

    def _read_charge(self, order: _Order, operation: str) -> None:
        charge_id = str(order.record.charge_id)
        self._take_charge(order, self._call(order, operation, lambda: self.client.get_charge(charge_id)))

    @staticmethod
    def _take_charge(order: _Order, charge: Json) -> None:
        order.charge_amount = charge.get("chargeAmount", order.charge_amount)
        status = CHARGE_STATUS[charge["statusDetails"]["state"]]
        if not (status == OrderStatus.CAPTURED and order.record.status == OrderStatus.REFUNDED):
            order.record.status = status

    def _call(self, order: _Order, operation: str, call: Callable[[], Json]) -> Json:
        """Make the call (the client retries it, under the same idempotency key); record what failed."""
        try:
            return _recorded(order.record.errors, operation, call)
        finally:
            order.record.retried += [_received(operation, error) for error in self.client.last_retried]

    def _key(self, order: _Order, operation: str) -> str:
        """A new idempotency key for `operation` on the order (the client resends it on a retry)."""
        return self._keys.new(order.record.order_id, operation)

    def _order(self, order_id: str) -> _Order:
        try:
            return self._orders[order_id]
        except KeyError:
            known = ", ".join(self._orders) or "none"
            raise ValueError(f"the shop has no order {order_id!r} (orders: {known})") from None

    @staticmethod
    def _require(value: str | None, order: _Order, what: str) -> str:
        if value is None:
            raise ValueError(f"the shop's order {order.record.order_id!r} has no {what} "
                             f"(it is {order.record.status})")
        return value


    # --- reports (the optional contract harness.merchant.adapter.ReportingMerchant) ----------------

    def request_report(self, report_type: str, start: datetime, end: datetime) -> str | None:
        """Create Report for [start, end); the reportId, None when Amazon refused (see report_errors)."""
        payload = {"reportType": report_type, "startTime": _report_time(start), "endTime": _report_time(end)}
        with _stop_at_error():
            created = _recorded(self.report_errors, "createReport",
                                lambda: self.client.create_report(
                                    payload, idempotency_key=self._keys.new("", "createReport")))
            return str(created["reportId"])
        return None

    def download_report(self, report_id: str) -> str | None:
        """The completed report's file (None while in progress, cancelled, or refused)."""
        errors = self.report_errors
        with _stop_at_error():
            report = _recorded(errors, "getReportById", lambda: self.client.get_report_by_id(report_id))
            document_id = report.get("reportDocumentId")
            if report.get("processingStatus") != "COMPLETED" or not document_id:
                return None
            document = _recorded(errors, "getReportDocument",
                                 lambda: self.client.get_report_document(str(document_id)))
            content = _recorded(errors, "downloadReportDocument",
                                lambda: self.client.download_report_document(str(document["url"])))
            return content.decode("utf-8")
        return None


_T = TypeVar("_T")


def _recorded(errors: list[ReceivedError], operation: str, call: Callable[[], _T]) -> _T:
    """`call()`; an error Amazon answered (or no answer at all) is appended to `errors`, then raised."""
    try:
        return call()
    except (AmazonPayApiError, httpx.TransportError) as error:
        errors.append(_received(operation, error))
    raise _AnsweredError


def _report_time(moment: datetime) -> str:
    """`20260101T000000Z`, as the .NET SDK writes report times (docs/reference/amazon-pay-v2.md §1.7)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _received(operation: str, error: Exception) -> ReceivedError:
    """An error as the shop records it (status 0: no HTTP answer)."""
    if isinstance(error, AmazonPayApiError):
        return ReceivedError(operation, error.status, error.reason_code, error.message)
    return ReceivedError(operation, 0, type(error).__name__, str(error))


def _no_wait(_: float) -> None:
    """The reference merchant does not wait between retries: the simulator answers at once."""


@cache
def _shared_http() -> httpx.Client:
    """One HTTP client per process, as a long-running shop keeps one (creating one costs ~15 ms)."""
    return httpx.Client()


_MADE_FOR: WeakKeyDictionary[Simulator, int] = WeakKeyDictionary()
"""How many reference merchants were made for each simulator (it is their merchant account)."""


def reference_merchant(simulator: Simulator) -> ReferenceMerchant:
    """The default `MerchantFactory`: a ReferenceMerchant with the simulator's test key and store.

    The merchants made for one simulator share its account, so each has its own idempotency
    namespace: the first is "1", the second "2", ... (so a scenario's keys are the same run after run).
    """
    made = _MADE_FOR[simulator] = _MADE_FOR.get(simulator, 0) + 1
    client = AmazonPayClient(simulator.key_pair.public_key_id, simulator.key_pair.private_key,
                             region=simulator.ids.region.value,
                             sandbox=simulator.ids.environment is Environment.SANDBOX, http=_shared_http(),
                             retries=RETRIES, sleep=_no_wait, reuse_signatures=True)
    return ReferenceMerchant(client, simulator.api.default_store_id, idempotency_namespace=str(made))
