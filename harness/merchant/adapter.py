"""The merchant adapter contract: what the harness asks the shop's integration to do, and reads back.

The harness drives a merchant through `MerchantAdapter`; the built-in `ReferenceMerchant`
(`harness.merchant.reference`) implements it with the signed reference client, and a shop
plugs in its own integration with an adapter of its own (see docs/merchant-adapter.md). The
adapter calls Amazon Pay over HTTP exactly as production does; the harness never tells it what
Amazon answered: it reads the merchant's own record of each order back with `order()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from harness.amazon_pay.states import PaymentIntent
from harness.errors import HarnessError
from harness.money import Money

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = [
    "ButtonCheckout",
    "ButtonConfig",
    "CheckoutRequest",
    "MerchantAdapter",
    "MerchantFactory",
    "MerchantOrder",
    "MissingAdapterMethodError",
    "NotificationReceiver",
    "OrderStatus",
    "ReportingMerchant",
    "reporting",
]


class OrderStatus(StrEnum):
    """The words a merchant's own order record uses (an adapter maps its shop's statuses to these)."""

    PENDING = "pending"
    """The checkout was started; no completed payment yet (the buyer has not come back)."""
    CONFIRMED = "confirmed"
    """Completed with paymentIntent Confirm: a Charge Permission, no Charge yet."""
    AUTHORIZING = "authorizing"
    AUTHORIZED = "authorized"
    CAPTURING = "capturing"
    CAPTURED = "captured"
    REFUNDED = "refunded"
    """Captured, and at least one refund was accepted."""
    CANCELED = "canceled"
    CLOSED = "closed"
    DECLINED = "declined"
    FAILED = "failed"
    """The checkout was canceled or never completed."""


@dataclass(frozen=True)
class CheckoutRequest:
    """What the buyer is about to pay for: the amount, the payment intent and the checkout options."""

    amount: Money
    intent: PaymentIntent = PaymentIntent.AUTHORIZE
    total_order_amount: Money | None = None
    allow_overcharge: bool = False
    extend_expiration: bool = False
    recurring: bool = False
    can_handle_pending_authorization: bool = False


@dataclass(frozen=True)
class ReceivedError:
    """An error the merchant received from Amazon Pay (status 0: no HTTP answer at all)."""

    operation: str
    status: int
    reason_code: str
    message: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.status} {self.reason_code} ({self.message})"


@dataclass
class MerchantOrder:
    """The merchant's own record of an order, as its shop keeps it."""

    order_id: str
    status: str
    """One of `OrderStatus`'s values."""
    checkout_session_id: str | None = None
    charge_permission_id: str | None = None
    charge_id: str | None = None
    """The latest Charge the merchant knows of."""
    errors: list[ReceivedError] = field(default_factory=list)
    """The errors its calls ended with."""
    retried: list[ReceivedError] = field(default_factory=list)
    """The answers (or lost connections) its calls retried past, oldest first; the call then went on."""


@runtime_checkable
class MerchantAdapter(Protocol):
    """The shop's Amazon Pay integration, as the harness drives it.

    Every action calls Amazon Pay the way the shop does in production and must not raise for an
    error Amazon answers: the shop records it (`MerchantOrder.errors`) and carries on.
    """

    def start_checkout(self, order_id: str, request: CheckoutRequest) -> str | None:
        """Create the Checkout Session for a new order so that only the buyer's sign-in is missing;
        return its checkoutSessionId (None when Amazon refused: the error is on the order)."""
        ...

    def handle_return(self, return_url: str) -> None:
        """The buyer arrived at checkoutResultReturnUrl (with `amazonCheckoutSessionId` in the
        query): complete the checkout."""
        ...

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        """Capture the order: `amount`, or else the whole chargeAmount of its open (latest) charge."""
        ...

    def refund(self, order_id: str, amount: Money) -> None:
        """Refund `amount` of the order's captured charge."""
        ...

    def cancel(self, order_id: str) -> None:
        """Cancel the order's open authorization (Cancel Charge)."""
        ...

    def close(self, order_id: str) -> None:
        """Close the order's Charge Permission (Close Charge Permission)."""
        ...

    def charge(self, order_id: str, amount: Money) -> None:
        """Authorize a further charge on the order's Charge Permission (e.g. a recurring one)."""
        ...

    def reconcile(self) -> None:
        """Run the shop's reconciliation job over its orders."""
        ...

    def order(self, order_id: str) -> MerchantOrder | None:
        """The shop's record of the order, or None if the shop has none."""
        ...


@runtime_checkable
class NotificationReceiver(Protocol):
    """Optional part of the contract: the shop's IPN endpoint (docs/notifications.md).

    An adapter that has this method gets every notification the simulator delivers (decision
    D-IPN-DELIVERY); one without it gets none, and every scenario not about notifications runs as
    before.
    """

    def receive_notification(self, body: str, headers: Mapping[str, str]) -> int:
        """Handle one IPN POST: `body` is the SNS envelope (text/plain), `headers` the SNS headers;
        return the HTTP status the shop answered (2xx acknowledges it; anything else, or an
        exception, is a failed delivery that Amazon retries)."""
        ...


@dataclass(frozen=True)
class ButtonConfig:
    """What the shop's page passes to `amazon.Pay.renderButton` as `createCheckoutSessionConfig`
    (docs/reference/amazon-pay-v2.md §5.5): the payload, its signature, the key id and the algorithm
    (None: the original AMZN-PAY-RSASSA-PSS)."""

    payload_json: str
    signature: str
    public_key_id: str
    algorithm: str | None = None


@runtime_checkable
class ButtonCheckout(Protocol):
    """Optional: the standard flow with Amazon Pay's button, where Amazon creates the Checkout Session.

    An adapter implementing it can be driven through the button (docs/merchant-adapter.md, "The
    button"); `handle_return` and the rest of `MerchantAdapter` stay as they are.
    """

    def render_button(self, order_id: str, request: CheckoutRequest) -> ButtonConfig:
        """The shop's cart page for a new order: the signed config it renders the button with."""
        ...

    def handle_review(self, review_url: str) -> str | None:
        """The buyer arrived at checkoutReviewReturnUrl (with `amazonCheckoutSessionId`): read the
        session (buyer, shipping address), compute the total, Update Checkout Session with it and
        checkoutResultReturnUrl; return amazonPayRedirectUrl, or None when Amazon refused (the
        error is on the order)."""
        ...


MerchantFactory = Callable[["Simulator"], MerchantAdapter]
"""Builds the merchant for one scenario from its simulator (keys, store id, hosts)."""


# --- reports (optional, issue 15) ------------------------------------------------------------------

@runtime_checkable
class ReportingMerchant(Protocol):
    """Optional: the shop downloads Amazon Pay's reports (its accounting import of the settlement report).

    Scenarios that download a report need it (capability `reports`); an adapter without it keeps
    working for every other scenario.
    """

    def request_report(self, report_type: str, start: datetime, end: datetime) -> str | None:
        """Ask Amazon Pay for a report of `report_type` covering [start, end) (Create Report); return
        its reportId (None when Amazon refused)."""
        ...

    def download_report(self, report_id: str) -> str | None:
        """Download the completed report (Get Report By Id, Get Report Document, then its url) and
        return the file's text as the shop imports it (None when there is no file to download)."""
        ...


class MissingAdapterMethodError(HarnessError, TypeError):
    """A scenario needs an optional adapter method the shop's adapter does not have."""


def reporting(adapter: MerchantAdapter) -> ReportingMerchant:
    """`adapter` as a `ReportingMerchant`; `MissingAdapterMethodError` names each missing method."""
    methods = ("request_report", "download_report")
    missing = [name for name in methods if not callable(getattr(adapter, name, None))]
    if missing:
        raise MissingAdapterMethodError(
            f"the merchant adapter {type(adapter).__name__} has no {' and no '.join(missing)}: downloading "
            "Amazon Pay reports needs the optional contract harness.merchant.adapter.ReportingMerchant "
            "(docs/merchant-adapter.md, 'Reports'); implement it, or declare the capability unsupported "
            "(amazon_pay_unsupported = reports)")
    assert isinstance(adapter, ReportingMerchant)
    return adapter
