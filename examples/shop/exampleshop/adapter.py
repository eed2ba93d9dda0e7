"""The harness's merchant adapter for exampleshop: drives the shop's pages through Flask's test client
and reads the shop's own database back (test code, not part of the shop).

Factories (`--amazon-pay-merchant=exampleshop.adapter:merchant`): `merchant` is the shop as it
ships; `broken_reconciler` and `broken_retrier` are the shop with one of the bugs in
`exampleshop.broken`, which the release gate must catch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import select

from exampleshop.amazon_pay import AmazonPayError
from exampleshop.app import create_app, shop_of
from exampleshop.broken import NewKeyRetrier, ReasonCodeReconciler
from exampleshop.models import Order, OrderState
from exampleshop.payments import Payments
from exampleshop.settings import Settings
from exampleshop.settlement import Settlements
from harness.merchant import (
    ButtonConfig,
    CheckoutRequest,
    MerchantOrder,
    OrderFlag,
    OrderStatus,
    ReceivedError,
)
from harness.money import Money

if TYPE_CHECKING:
    from werkzeug.test import TestResponse

    from harness.simulator import Simulator

__all__ = ["ExampleShopAdapter", "broken_reconciler", "broken_retrier", "merchant"]

STATUS: Mapping[OrderState, OrderStatus] = {
    OrderState.CHECKOUT: OrderStatus.PENDING, OrderState.AGREED: OrderStatus.CONFIRMED,
    OrderState.AUTHORIZING: OrderStatus.AUTHORIZING, OrderState.AWAITING_SHIPMENT: OrderStatus.AUTHORIZED,
    OrderState.CAPTURING: OrderStatus.CAPTURING, OrderState.SHIPPED: OrderStatus.CAPTURED,
    OrderState.REFUNDED: OrderStatus.REFUNDED, OrderState.CANCELLED: OrderStatus.CANCELED,
    OrderState.CLOSED: OrderStatus.CLOSED, OrderState.DECLINED: OrderStatus.DECLINED,
    OrderState.PAYMENT_UPDATE_REQUESTED: OrderStatus.DECLINED, OrderState.FRAUD_HOLD: OrderStatus.CANCELED,
    OrderState.ABANDONED: OrderStatus.FAILED,
}
"""The shop's order states in the harness's words (the two that wait for a person: `_waiting_status`)."""

CHARGE_STATUS: Mapping[str, OrderStatus] = {
    "AuthorizationInitiated": OrderStatus.AUTHORIZING, "Authorized": OrderStatus.AUTHORIZED,
    "CaptureInitiated": OrderStatus.CAPTURING, "Captured": OrderStatus.CAPTURED,
    "Declined": OrderStatus.DECLINED, "Canceled": OrderStatus.CANCELED}
"""A Charge's state in the harness's words."""

FLAGS: Mapping[OrderState, OrderFlag] = {OrderState.FRAUD_HOLD: OrderFlag.FRAUD_REVIEW,
                                         OrderState.PAYMENT_UPDATE_REQUESTED: OrderFlag.PAYMENT_METHOD_UPDATE}
"""The states that ask a person to act."""

_T = TypeVar("_T")


class _Finder(HTMLParser):
    """Collects the text of the element with an id."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.found = False
        self.text: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == self.element_id:
            self.found = self._inside = True

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.text.append(data)


def _element(page: str, element_id: str) -> _Finder | None:
    finder = _Finder(element_id)
    finder.feed(page)
    return finder if finder.found else None


def _yen(amount: Money | None) -> int | None:
    return None if amount is None else int(amount.amount)


class ExampleShopAdapter:
    """Drives exampleshop for the harness: its pages in-process, its database read back."""

    def __init__(self, settings: Settings, payments_class: type[Payments] = Payments) -> None:
        self.app = create_app(settings, payments_class)
        self.app.testing = True
        self.shop = shop_of(self.app)
        self.web = self.app.test_client()
        self.report_errors: list[ReceivedError] = []
        """Errors Amazon answered the shop's report calls (reports belong to no order)."""

    @property
    def amazon_pay_reconciliation_grace(self) -> timedelta:
        """For the explorer's "up to date" check: the reconciliation job leaves a checkout still Open alone
        this long after it started (`Settings.recover_checkouts_after`: the buyer may still be paying)."""
        return self.shop.settings.recover_checkouts_after

    @classmethod
    def for_simulator(cls, simulator: Simulator, payments_class: type[Payments] = Payments,
                      **settings: Any) -> ExampleShopAdapter:
        """The shop with the simulator's test key and store id (and any other `Settings` given)."""
        return cls(Settings(public_key_id=simulator.key_pair.public_key_id,
                            private_key_pem=simulator.key_pair.private_key_pem,
                            store_id=simulator.api.default_store_id, region=simulator.ids.region.value,
                            **settings), payments_class)

    # --- the buyer's pages ---

    def _new_order(self, order_id: str, request: CheckoutRequest) -> None:
        self.shop.payments.create_order(order_id, int(request.amount.amount), intent=request.intent.value,
                                        recurring=request.recurring,
                                        can_handle_pending=request.can_handle_pending_authorization)

    def start_checkout(self, order_id: str, request: CheckoutRequest) -> str | None:
        """The order is created, and the shop creates its Checkout Session on the server."""
        self._new_order(order_id, request)
        answer = self._ok(self.web.post(f"/checkout/{order_id}/start"))
        session_id: str | None = answer.get_json()["checkoutSessionId"]
        return session_id

    def render_button(self, order_id: str, request: CheckoutRequest) -> ButtonConfig:
        """The cart page's signed button config, as the page gives it to `amazon.Pay.renderButton`."""
        self._new_order(order_id, request)
        page = self._ok(self.web.get(f"/cart/{order_id}")).get_data(as_text=True)
        script = _element(page, "amazon-pay-button-config")
        if script is None:
            raise ValueError(f"the cart page of {order_id} has no Amazon Pay button")
        config = json.loads("".join(script.text))["createCheckoutSessionConfig"]
        return ButtonConfig(config["payloadJSON"], config["signature"], config["publicKeyId"],
                            config.get("algorithm"))

    def handle_review(self, review_url: str) -> str | None:
        """The review page redirects to the session's amazonPayRedirectUrl (a page: Amazon refused)."""
        answer = self._ok(self.web.get(review_url))
        return answer.headers.get("Location") if answer.status_code in (302, 303) else None

    def handle_return(self, return_url: str) -> None:
        """The result page completes the checkout."""
        self._ok(self.web.get(return_url))

    def receive_notification(self, body: str, headers: Mapping[str, str]) -> int:
        """Amazon SNS posts an IPN to the shop's endpoint; the status the shop answered."""
        path = "/amazon-pay/ipn"
        return self.web.post(path, data=body, headers=dict(headers)).status_code

    # --- the back office ---

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        """出荷: capture at shipment."""
        self._back_office(order_id, "ship", amount)

    def refund(self, order_id: str, amount: Money) -> None:
        """返金."""
        self._back_office(order_id, "refund", amount)

    def cancel(self, order_id: str) -> None:
        """Cancel before shipment."""
        self._back_office(order_id, "cancel")

    def close(self, order_id: str) -> None:
        """Close the order's Charge Permission."""
        self._back_office(order_id, "close")

    def charge(self, order_id: str, amount: Money) -> None:
        """A further (e.g. monthly) charge."""
        self._back_office(order_id, "charge", amount)

    def reconcile(self) -> None:
        """The reconciliation job."""
        self._ok(self.web.post("/admin/jobs/reconcile"))

    def _back_office(self, order_id: str, action: str, amount: Money | None = None) -> None:
        self._ok(self.web.post(f"/admin/orders/{order_id}/{action}", json={"amount": _yen(amount)}))

    @staticmethod
    def _ok(answer: TestResponse) -> TestResponse:
        if answer.status_code >= 400:
            body = answer.get_json(silent=True) or {"message": answer.get_data(as_text=True)[:300]}
            raise ValueError(f"the shop answered {answer.status_code} to {answer.request.method} "
                             f"{urlsplit(answer.request.url).path}: {body.get('message')}")
        return answer

    # --- the accounting import (harness.merchant.ReportingMerchant) ---

    def request_report(self, report_type: str, start: datetime, end: datetime) -> str | None:
        """The shop's settlement job requests the report of [start, end); None when Amazon refused."""
        return self._report_call("createReport",
                                 lambda: Settlements(self.shop.payments).request(start, end, report_type))

    def download_report(self, report_id: str) -> str | None:
        """The shop's settlement job downloads the report and checks it against its books (the result is
        in its `settlement_checks` table); the file, None while it is being made or when it was cancelled."""
        settlements = Settlements(self.shop.payments)
        return self._report_call("downloadReport", lambda: settlements.download(report_id))

    def _report_call(self, operation: str, call: Callable[[], _T]) -> _T | None:
        try:
            return call()
        except AmazonPayError as error:
            received = ReceivedError(operation, error.status, error.reason_code, error.message)
            self.report_errors.append(received)
            return None

    # --- the shop's database ---

    def order(self, order_id: str) -> MerchantOrder | None:
        """The shop's row, in the harness's words."""
        with self.shop.db.sessions() as session:
            row = session.scalars(select(Order).where(Order.reference == order_id)).one_or_none()
            if row is None:
                return None
            state = OrderState(row.state)
            flag = FLAGS.get(state)
            status = STATUS[state] if flag is None else _waiting_status(row, state)
            return MerchantOrder(order_id, status, row.checkout_session_id, row.charge_permission_id,
                                 row.charge_id,
                                 errors=[ReceivedError(e.operation, e.http_status, e.reason_code, e.message)
                                         for e in row.errors if not e.retried],
                                 retried=[ReceivedError(e.operation, e.http_status, e.reason_code, e.message)
                                          for e in row.errors if e.retried],
                                 flags=[] if flag is None else [flag])


def _waiting_status(row: Order, state: OrderState) -> OrderStatus:
    """An order waiting for a person (a fraud hold, a payment method update) in the harness's words: its
    flag says what to do, its status what Amazon last said of its charge (a charge captured before Amazon
    closed the permission stays captured); without a charge, the closed or still open permission."""
    charged = CHARGE_STATUS.get(row.charge_state or "") if row.charge_id is not None else None
    if charged is not None:
        return charged
    return OrderStatus.CLOSED if state == OrderState.FRAUD_HOLD else OrderStatus.CONFIRMED


def merchant(simulator: Simulator) -> ExampleShopAdapter:
    """exampleshop as it ships."""
    return ExampleShopAdapter.for_simulator(simulator)


def broken_reconciler(simulator: Simulator) -> ExampleShopAdapter:
    """exampleshop reconciling on reason codes alone: a fraud close looks like a drop-off."""
    return ExampleShopAdapter.for_simulator(simulator, ReasonCodeReconciler)


def broken_retrier(simulator: Simulator) -> ExampleShopAdapter:
    """exampleshop retrying a timed-out capture under a new idempotency key: a double charge."""
    return ExampleShopAdapter.for_simulator(simulator, NewKeyRetrier)
