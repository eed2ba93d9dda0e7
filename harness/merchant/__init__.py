"""The merchant side: what the harness asks a shop to do, and a shop that does it.

`adapter` is the contract the scenarios drive (`MerchantAdapter` and the values it exchanges),
`reference` the built-in shop implementing it, `client` the signing HTTP client that shop calls
Amazon Pay with, as the official SDKs do.
"""

from harness.merchant.adapter import (
    ButtonCheckout,
    ButtonConfig,
    CheckoutRequest,
    MerchantAdapter,
    MerchantFactory,
    MerchantOrder,
    NotificationReceiver,
    OrderStatus,
    ReceivedError,
    ReportingMerchant,
)
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.merchant.reference import ReferenceMerchant, reference_merchant

__all__ = [
    "AmazonPayApiError",
    "AmazonPayClient",
    "ButtonCheckout",
    "ButtonConfig",
    "CheckoutRequest",
    "MerchantAdapter",
    "MerchantFactory",
    "MerchantOrder",
    "NotificationReceiver",
    "OrderStatus",
    "ReceivedError",
    "ReferenceMerchant",
    "ReportingMerchant",
    "reference_merchant",
]
