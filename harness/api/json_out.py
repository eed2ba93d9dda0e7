"""Amazon's JSON for the simulator's objects (docs/reference/amazon-pay-v2.md §1).

Every key of Amazon's samples is present, with `null` where there is no value (§1.0); amounts are
strings (`"500"` for JPY), timestamps `YYYYMMDDTHHMMSSZ` in UTC. Charge Permissions report their
reasons as `statusDetails.reasons[]`, every other object as `reasonCode`/`reasonDescription`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import (
    Address,
    Buyer,
    Charge,
    ChargePermission,
    CheckoutSession,
    MerchantMetadata,
    RecurringMetadata,
    Refund,
    SimulatedObject,
)
from harness.amazon_pay.permissions import shown_limits
from harness.amazon_pay.states import ChargePermissionState, ChargePermissionType, CheckoutSessionState
from harness.ids import Region
from harness.money import Money

__all__ = [
    "AFTER_COMPLETION_KEYS",
    "BUYER_DATA_READABLE",
    "CONSTRAINT_DESCRIPTIONS",
    "Json",
    "address",
    "buyer",
    "buyer_profile",
    "charge",
    "charge_permission",
    "checkout_session",
    "price",
    "redirect_url",
    "refund",
    "shipping_address_list",
    "soft_descriptor",
    "timestamp",
]

Json = dict[str, object]

CONSTRAINT_DESCRIPTIONS: dict[str, str] = {
    "BuyerNotAssociated": "There is no buyer associated with the Checkout Session. Return the "
                          "checkout session id to the Amazon Pay Button to allow the buyer to sign in.",
    "ChargeAmountNotSet": "chargeAmount is not set.",
    "CheckoutResultReturnUrlNotSet": "checkoutResultReturnUrl is not set.",
    "PaymentIntentNotSet": "paymentIntent is not set.",
}
"""§1.2 `constraints[].description` (the ids are [C], the wording paraphrased)."""

_REDIRECT_HOSTS: dict[Region, str] = {
    Region.JP: "https://payments.amazon.co.jp",  # §1.2 [C-old: JPBETA]
    Region.NA: "https://apay-us.amazon.com",  # §1.2 [C: DOTNET fixture]
}
"""The EU host is not in the reference; EU falls back to the JP host."""

AFTER_COMPLETION_KEYS = frozenset(
    {"checkoutSessionId", "statusDetails", "chargePermissionId", "chargeId", "creationTimestamp"})
"""D-COMPLETED-SESSION-JSON: the only keys a Completed session fills in (§1.2 "After completion")."""

BUYER_DATA_READABLE = timedelta(days=30)
"""§2.2 [C]: buyer and shipping details of a permission are readable for 30 days (see `_buyer_visible`)."""


def timestamp(moment: datetime | None) -> str | None:
    """`YYYYMMDDTHHMMSSZ` in UTC, the only format the .NET SDK parses (§1.0)."""
    return None if moment is None else _utc_text(moment)


@lru_cache(maxsize=1024)
def _utc_text(moment: datetime) -> str:
    """Memoised: an object's few timestamps are written again on every read of it."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def price(money: Money | None) -> Json | None:
    """A `Price` with its amount as a string (§1.0)."""
    return None if money is None else dict(money.to_json())


def soft_descriptor(value: str | None) -> str | None:
    """A Charge's `softDescriptor` as Amazon echoes it: prefixed `AMZ*` (§1.4 [C: JPBETA])."""
    return None if value is None else f"AMZ*{value}"


def address(value: Address | None) -> Json | None:
    """A shipping or billing address (§1.0)."""
    if value is None:
        return None
    return {
        "name": value.name,
        "addressLine1": value.address_line1,
        "addressLine2": value.address_line2,
        "addressLine3": value.address_line3,
        "city": value.city,
        "county": value.county,
        "district": value.district,
        "stateOrRegion": value.state_or_region,
        "postalCode": value.postal_code,
        "countryCode": value.country_code,
        "phoneNumber": value.phone_number,
    }


def shipping_address_list(addresses: Iterable[tuple[str, Address]]) -> list[str]:
    """`shippingAddressList`: one JSON-encoded *string* per address, with its `addressId` (§1.2).

    Only PayAndShipMultiAddress sessions carry the list, and the simulator does not model them;
    the helper keeps the format in one place for when it does.
    """
    encoded = []
    for address_id, value in addresses:
        fields = address(value)
        assert fields is not None
        encoded.append(json.dumps({"addressId": address_id, **fields}, ensure_ascii=False))
    return encoded


def buyer(value: Buyer | None) -> Json | None:
    """The `buyer` of a Checkout Session or Charge Permission (§1.2, §1.3)."""
    if value is None:
        return None
    return {
        "buyerId": value.buyer_id,
        "name": value.name,
        "email": value.email,
        "phoneNumber": value.phone_number,
        "primeMembershipTypes": None,
    }


def buyer_profile(value: Buyer) -> Json:
    """The answer of Get Buyer (§1.6)."""
    return {
        "buyerId": value.buyer_id,
        "name": value.name,
        "email": value.email,
        "postalCode": value.shipping_address.postal_code,
        "countryCode": value.shipping_address.country_code,
        "phoneNumber": value.phone_number,
        "shippingAddress": address(value.shipping_address),
        "billingAddress": None,
        "primeMembershipTypes": None,
    }


def redirect_url(session: CheckoutSession, region: Region, checkout_page: str | None = None) -> str | None:
    """`amazonPayRedirectUrl`: null while constraints remain or once the session is not Open (§1.2).

    D-SERVER-CHECKOUT-PAGE: Amazon's URL for the region, or `{checkout_page}/{checkoutSessionId}`
    when the simulator serves its own hosted checkout page (`harness serve`).
    """
    if session.constraints or session.state != CheckoutSessionState.OPEN:
        return None
    if checkout_page is not None:
        return f"{checkout_page}/{session.id}"
    host = _REDIRECT_HOSTS.get(region, _REDIRECT_HOSTS[Region.JP])
    return f"{host}/checkout/processing?amazonCheckoutSessionId={session.id}"


def checkout_session(session: CheckoutSession, ledger: Ledger, checkout_page: str | None = None) -> Json:
    """A Checkout Session (§1.2).

    D-COMPLETED-SESSION-JSON: once Completed, every key is still present but only those of
    `AFTER_COMPLETION_KEYS` carry a value, as in the 2022 sandbox capture of §1.2 ("After
    completion", [C]) and ONB's rule that order details are read from the Charge Permission.
    A Canceled session keeps its full shape (the "state and reason only" note is [C-old]).
    """
    completed = session.state == CheckoutSessionState.COMPLETED
    body = _full_session(session, ledger, checkout_page, completed)
    if not completed:
        return body
    return {key: value if key in AFTER_COMPLETION_KEYS else None for key, value in body.items()}


def charge_permission(permission: ChargePermission, ledger: Ledger) -> Json:
    """A Charge Permission (§1.3): `reasons[]`, `limits` (a Recurring one's: this month's, §2.6), and
    buyer data while readable."""
    visible = _buyer_visible(permission, ledger.now())
    limit, balance = shown_limits(ledger, permission)
    return {
        "chargePermissionId": permission.id,
        "chargePermissionReferenceId": None,
        "amazonPayToken": None,
        "platformId": None,
        "buyer": buyer(permission.buyer) if visible else None,
        "shippingAddress": address(permission.buyer.shipping_address) if visible else None,
        "billingAddress": None,
        "paymentPreferences": [{"paymentDescriptor": permission.payment_descriptor}],
        "statusDetails": {
            "state": permission.state,
            "reasons": _reasons(permission),
            "lastUpdatedTimestamp": timestamp(permission.updated_at),
        },
        "creationTimestamp": timestamp(permission.created_at),
        "expirationTimestamp": timestamp(permission.expires_at),
        "merchantMetadata": _merchant_metadata(permission.merchant_metadata),
        "releaseEnvironment": permission.environment.value,
        "limits": {
            "amountLimit": price(limit),
            "amountBalance": price(balance),
        },
        "chargePermissionType": permission.charge_permission_type.value,
        # §1.3 sample: a OneTime permission still shows {"frequency": null, "amount": null}.
        "recurringMetadata": _recurring(permission.recurring_metadata or RecurringMetadata()),
        "paymentMethodOnFileMetadata": None,
        "presentmentCurrency": permission.currency,
    }


def charge(value: Charge) -> Json:
    """A Charge (§1.4)."""
    return {
        "chargeId": value.id,
        "chargePermissionId": value.charge_permission_id,
        "chargeAmount": price(value.charge_amount),
        "captureAmount": price(value.capture_amount),
        "refundedAmount": price(value.refunded_amount),
        "convertedAmount": None,  # multi-currency only (§1.4)
        "conversionRate": None,
        "softDescriptor": soft_descriptor(value.soft_descriptor),
        "merchantMetadata": _merchant_metadata(value.merchant_metadata),
        "providerMetadata": {"providerReferenceId": None},
        "platformId": None,
        # The request echoes are null in every §1.4 sample, whatever the request sent.
        "captureNow": None,
        "canHandlePendingAuthorization": None,
        "chargeInitiator": None,
        "channel": None,
        "webCheckoutDetails": None,
        "statusDetails": _status(value),
        "creationTimestamp": timestamp(value.created_at),
        "expirationTimestamp": timestamp(value.expires_at),
        "releaseEnvironment": value.environment.value,
    }


def refund(value: Refund) -> Json:
    """A Refund (§1.5); its softDescriptor is echoed as sent, as in the §1.5 sample [C: DOTNET]."""
    return {
        "refundId": value.id,
        "chargeId": value.charge_id,
        "refundAmount": price(value.refund_amount),
        "softDescriptor": value.soft_descriptor,
        "creationTimestamp": timestamp(value.created_at),
        "statusDetails": _status(value),
        "releaseEnvironment": value.environment.value,
    }


def _full_session(session: CheckoutSession, ledger: Ledger, checkout_page: str | None,
                  completed: bool) -> Json:
    payment = session.payment
    return {
        "checkoutSessionId": session.id,
        "webCheckoutDetails": {
            "checkoutReviewReturnUrl": session.web.checkout_review_return_url,
            "checkoutResultReturnUrl": session.web.checkout_result_return_url,
            "checkoutCancelUrl": session.web.checkout_cancel_url,
            "amazonPayRedirectUrl": redirect_url(session, ledger.ids.region, checkout_page),
            "checkoutMode": session.web.checkout_mode,
        },
        "productType": "PayAndShip",  # PayOnly / PayAndShipMultiAddress are not modelled
        "paymentDetails": {
            "paymentIntent": None if payment.payment_intent is None else payment.payment_intent.value,
            "canHandlePendingAuthorization": payment.can_handle_pending_authorization,
            "chargeAmount": price(payment.charge_amount),
            "totalOrderAmount": price(payment.total_order_amount),
            "softDescriptor": payment.soft_descriptor,
            "presentmentCurrency": payment.presentment_currency or ledger.currency,
            # §1.2 sample: null when not requested (the domain keeps False for "not requested").
            "allowOvercharge": payment.allow_overcharge or None,
            "extendExpiration": payment.extend_expiration or None,
        },
        "chargePermissionType": session.charge_permission_type.value,
        "recurringMetadata": (None if session.recurring_metadata is None
                              else _recurring(session.recurring_metadata)),
        # §1.2: "MultiStep" in a 2020 create response; what APB (ProcessOrder) shows is unknown.
        "checkoutType": None if session.web.checkout_mode == "ProcessOrder" else "MultiStep",
        "merchantMetadata": _merchant_metadata(session.merchant_metadata),
        "supplementaryData": None,
        "buyer": buyer(session.buyer),
        "billingAddress": None,
        "paymentPreferences": [{"paymentDescriptor": session.payment_descriptor}],
        "statusDetails": _status(session),
        "shippingAddress": None if session.buyer is None else address(session.buyer.shipping_address),
        "shippingAddressList": None,  # PayAndShipMultiAddress only (§1.2)
        "platformId": None,
        # D-IDS-AT-COMPLETE: the ids exist from approval but are shown once Completed.
        "chargePermissionId": session.charge_permission_id if completed else None,
        "chargeId": session.charge_id if completed else None,
        "constraints": [{"constraintId": constraint, "description": CONSTRAINT_DESCRIPTIONS[constraint]}
                        for constraint in session.constraints],
        "creationTimestamp": timestamp(session.created_at),
        "expirationTimestamp": timestamp(session.expires_at),
        "storeId": session.store_id,
        "providerMetadata": {"providerReferenceId": None},
        "releaseEnvironment": session.environment.value,
        "checkoutButtonText": None,
        "deliverySpecifications": None,
    }


def _status(obj: SimulatedObject) -> Json:
    """`statusDetails` of a Checkout Session, Charge or Refund (§1.2, §1.4, §1.5)."""
    return {
        "state": obj.state,
        "reasonCode": None if obj.reason is None else obj.reason.value,
        "reasonDescription": obj.reason_description,
        "lastUpdatedTimestamp": timestamp(obj.updated_at),
    }


def _reasons(permission: ChargePermission) -> list[Json] | None:
    """§1.3: a Charge Permission lists its reasons; the description echoes closureReason."""
    if permission.reason is None:
        return None
    return [{"reasonCode": permission.reason.value, "reasonDescription": permission.reason_description}]


def _merchant_metadata(value: MerchantMetadata | None) -> Json | None:
    if value is None:
        return None
    return {
        "merchantReferenceId": value.merchant_reference_id,
        "merchantStoreName": value.merchant_store_name,
        "noteToBuyer": value.note_to_buyer,
        "customInformation": value.custom_information,
    }


def _recurring(value: RecurringMetadata) -> Json:
    frequency: Json | None = None
    if value.frequency_unit is not None or value.frequency_value is not None:
        frequency = {"unit": value.frequency_unit, "value": value.frequency_value}
    return {"frequency": frequency, "amount": price(value.amount)}


def _buyer_visible(permission: ChargePermission, now: datetime) -> bool:
    """§2.2 [C]: OneTime for 30 days after creation; Recurring while open and 30 days after closing.

    A Closed permission's `updated_at` is when it closed: nothing updates it afterwards.
    """
    if permission.charge_permission_type is ChargePermissionType.ONE_TIME:
        return now < permission.created_at + BUYER_DATA_READABLE
    if permission.state != ChargePermissionState.CLOSED:
        return True
    return now < permission.updated_at + BUYER_DATA_READABLE
