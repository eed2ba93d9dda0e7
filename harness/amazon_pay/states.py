"""States and reason codes of the four Amazon Pay v2 objects (docs/reference/amazon-pay-v2.md §2).

Only values that appear in the reference are listed; the simulator never invents one.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ChargePermissionState",
    "ChargePermissionType",
    "ChargeState",
    "CheckoutSessionState",
    "PaymentIntent",
    "ReasonCode",
    "RefundState",
]


class CheckoutSessionState(StrEnum):
    """§2.1: Open -> Completed | Canceled."""

    OPEN = "Open"
    COMPLETED = "Completed"
    CANCELED = "Canceled"


class ChargePermissionState(StrEnum):
    """§2.2."""

    CHARGEABLE = "Chargeable"
    NON_CHARGEABLE = "NonChargeable"
    CLOSED = "Closed"


class ChargeState(StrEnum):
    """§2.3."""

    AUTHORIZATION_INITIATED = "AuthorizationInitiated"
    AUTHORIZED = "Authorized"
    CAPTURE_INITIATED = "CaptureInitiated"
    CAPTURED = "Captured"
    CANCELED = "Canceled"
    DECLINED = "Declined"

    @property
    def is_open(self) -> bool:
        """Authorized money not yet captured, released or declined."""
        return self in (ChargeState.AUTHORIZATION_INITIATED, ChargeState.AUTHORIZED)


class RefundState(StrEnum):
    """§2.4."""

    REFUND_INITIATED = "RefundInitiated"
    REFUNDED = "Refunded"
    DECLINED = "Declined"


class PaymentIntent(StrEnum):
    """§1.2 `paymentDetails.paymentIntent`."""

    CONFIRM = "Confirm"
    AUTHORIZE = "Authorize"
    AUTHORIZE_WITH_CAPTURE = "AuthorizeWithCapture"


class ChargePermissionType(StrEnum):
    """§1.2 `chargePermissionType` (PaymentMethodOnFile is not modelled, see docs/fidelity.md)."""

    ONE_TIME = "OneTime"
    RECURRING = "Recurring"


class ReasonCode(StrEnum):
    """Reason codes of §2.1-§2.4 used by the simulator."""

    # Checkout Session (§2.1)
    BUYER_CANCELED = "BuyerCanceled"
    DECLINED = "Declined"
    AMAZON_CANCELED = "AmazonCanceled"
    EXPIRED = "Expired"
    # Charge Permission (§2.2)
    PAYMENT_METHOD_INVALID = "PaymentMethodInvalid"
    PAYMENT_METHOD_EXPIRED = "PaymentMethodExpired"
    MERCHANT_CLOSED = "MerchantClosed"
    MERCHANT_CANCELED = "MerchantCanceled"
    BUYER_CLOSED = "BuyerClosed"
    AMAZON_CLOSED = "AmazonClosed"
    # Charge (§2.3)
    EXPIRED_UNUSED = "ExpiredUnused"
    CHARGE_PERMISSION_CANCELED = "ChargePermissionCanceled"
    SOFT_DECLINED = "SoftDeclined"
    HARD_DECLINED = "HardDeclined"
    AMAZON_REJECTED = "AmazonRejected"
    PROCESSING_FAILURE = "ProcessingFailure"
    TRANSACTION_TIMED_OUT = "TransactionTimedOut"
