"""The four Amazon Pay v2 objects as the simulator keeps them (docs/reference/amazon-pay-v2.md §1), without
HTTP.

Fields are domain values (Money, datetime, enums); the wire layer turns them into Amazon's JSON.
Every object carries its `cause`; `state` and `reason` are read through `API_PROJECTION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.states import (
    ChargePermissionType,
    ChargeState,
    PaymentIntent,
    ReasonCode,
)
from harness.clock import DueEvent
from harness.ids import Environment
from harness.money import Money

__all__ = [
    "Address",
    "Buyer",
    "Charge",
    "ChargePermission",
    "CheckoutSession",
    "MerchantMetadata",
    "PaymentDetails",
    "RecurringMetadata",
    "Refund",
    "SimulatedObject",
    "WebCheckoutDetails",
]


@dataclass
class Address:
    """A shipping or billing address (§1.0); the default is D-BUYER-ADDRESS's."""

    name: str = "山田 太郎"
    address_line1: str = "下目黒1-2-3"
    address_line2: str | None = None
    address_line3: str | None = None
    city: str = "目黒区"
    county: str | None = None
    district: str | None = None
    state_or_region: str = "東京都"
    postal_code: str = "153-0064"
    country_code: str = "JP"
    phone_number: str = "09012345678"


@dataclass
class Buyer:
    """The buyer as Amazon shares it with the merchant (§1.6)."""

    buyer_id: str
    name: str = "山田 太郎"
    email: str = "buyer@example.com"
    phone_number: str | None = "09012345678"
    shipping_address: Address = field(default_factory=Address)


@dataclass
class WebCheckoutDetails:
    """`webCheckoutDetails` (§1.2)."""

    checkout_review_return_url: str | None = None
    checkout_result_return_url: str | None = None
    checkout_cancel_url: str | None = None
    checkout_mode: str | None = None


@dataclass
class PaymentDetails:
    """`paymentDetails` (§1.2); None means the merchant has not set the field."""

    payment_intent: PaymentIntent | None = None
    can_handle_pending_authorization: bool = False
    charge_amount: Money | None = None
    total_order_amount: Money | None = None
    soft_descriptor: str | None = None
    presentment_currency: str | None = None
    allow_overcharge: bool = False
    extend_expiration: bool = False


@dataclass
class MerchantMetadata:
    """`merchantMetadata` (§1.2, string limits §9.4)."""

    merchant_reference_id: str | None = None
    merchant_store_name: str | None = None
    note_to_buyer: str | None = None
    custom_information: str | None = None


@dataclass
class RecurringMetadata:
    """`recurringMetadata` (§1.2): frequency unit/value and the expected amount."""

    frequency_unit: str | None = None
    frequency_value: str | None = None
    amount: Money | None = None


@dataclass(kw_only=True)
class SimulatedObject:
    """What every simulated object has: an id, timestamps, and the cause of its state."""

    id: str
    environment: Environment
    created_at: datetime
    updated_at: datetime
    cause: Cause
    reason_description: str | None = None

    @property
    def state(self) -> str:
        """`statusDetails.state`, projected from the cause."""
        return API_PROJECTION[self.cause].state

    @property
    def reason(self) -> ReasonCode | None:
        """The reason code, projected from the cause."""
        return API_PROJECTION[self.cause].reason


@dataclass(kw_only=True)
class CheckoutSession(SimulatedObject):
    """A Checkout Session (§1.2, §2.1)."""

    store_id: str
    expires_at: datetime
    web: WebCheckoutDetails
    payment: PaymentDetails
    merchant_metadata: MerchantMetadata
    charge_permission_type: ChargePermissionType = ChargePermissionType.ONE_TIME
    recurring_metadata: RecurringMetadata | None = None
    buyer: Buyer | None = None
    payment_descriptor: str | None = None
    charge_permission_id: str | None = None
    """Set when the buyer approves; shown by the API only once Completed (D-IDS-AT-COMPLETE)."""
    charge_id: str | None = None
    buyer_returned: bool = False
    expiry: DueEvent | None = field(default=None, repr=False)

    @property
    def approved(self) -> bool:
        """Whether payment processing started on Amazon's page (a permission exists)."""
        return self.charge_permission_id is not None

    @property
    def constraints(self) -> list[str]:
        """What still blocks the buyer from paying (§1.2 `constraints`)."""
        missing = []
        if self.buyer is None:
            missing.append("BuyerNotAssociated")
        if self.payment.charge_amount is None:
            missing.append("ChargeAmountNotSet")
        if self.web.checkout_result_return_url is None:
            missing.append("CheckoutResultReturnUrlNotSet")
        if self.payment.payment_intent is None:
            missing.append("PaymentIntentNotSet")
        return missing


@dataclass(kw_only=True)
class ChargePermission(SimulatedObject):
    """A Charge Permission (§1.3, §2.2)."""

    charge_permission_type: ChargePermissionType
    checkout_session_id: str
    buyer: Buyer
    expires_at: datetime
    amount_limit: Money | None
    currency: str
    merchant_metadata: MerchantMetadata
    recurring_metadata: RecurringMetadata | None
    payment_descriptor: str
    charge_ids: list[str] = field(default_factory=list)
    expiry: DueEvent | None = field(default=None, repr=False)

    @property
    def is_recurring(self) -> bool:
        """Whether this is a Recurring agreement."""
        return self.charge_permission_type is ChargePermissionType.RECURRING


@dataclass(kw_only=True)
class Charge(SimulatedObject):
    """A Charge (§1.4, §2.3)."""

    charge_permission_id: str
    charge_amount: Money
    expires_at: datetime
    capture_amount: Money | None = None
    refunded_amount: Money | None = None
    soft_descriptor: str | None = None
    can_handle_pending_authorization: bool = False
    authorized_at: datetime | None = None
    capture_on_authorization: bool = False
    """captureNow, or AuthorizeWithCapture completed while the authorization was pending."""
    merchant_metadata: MerchantMetadata | None = None
    refund_ids: list[str] = field(default_factory=list)
    expiry: DueEvent | None = field(default=None, repr=False)
    """The 30-day authorization expiry while the charge is open."""
    pending: DueEvent | None = field(default=None, repr=False)
    """When a pending authorization or an asynchronous capture resolves by itself."""

    def stop_timers(self) -> None:
        """Withdraw the charge's deadlines (it is captured, canceled or declined)."""
        for timer in (self.expiry, self.pending):
            if timer is not None:
                timer.cancel()

    @property
    def charge_state(self) -> ChargeState:
        """The state as an enum."""
        return ChargeState(self.state)


@dataclass(kw_only=True)
class Refund(SimulatedObject):
    """A Refund (§1.5, §2.4)."""

    charge_id: str
    refund_amount: Money
    soft_descriptor: str | None = None
    timer: DueEvent | None = field(default=None, repr=False)
