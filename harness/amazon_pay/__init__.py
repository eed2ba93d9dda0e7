"""The Amazon Pay v2 domain: objects, states, causes, operations and actors (no HTTP inside)."""

from harness.amazon_pay.causes import Cause
from harness.amazon_pay.errors import AmazonPayError, SimulationError
from harness.amazon_pay.objects import (
    Buyer,
    Charge,
    ChargePermission,
    CheckoutSession,
    MerchantMetadata,
    PaymentDetails,
    RecurringMetadata,
    Refund,
    WebCheckoutDetails,
)
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargePermissionType,
    ChargeState,
    CheckoutSessionState,
    PaymentIntent,
    ReasonCode,
    RefundState,
)

__all__ = [
    "AmazonPayError",
    "Buyer",
    "Cause",
    "Charge",
    "ChargePermission",
    "ChargePermissionState",
    "ChargePermissionType",
    "ChargeState",
    "CheckoutSession",
    "CheckoutSessionState",
    "MerchantMetadata",
    "PaymentDetails",
    "PaymentIntent",
    "ReasonCode",
    "RecurringMetadata",
    "Refund",
    "RefundState",
    "SimulationError",
    "WebCheckoutDetails",
]
