"""Causes of transitions and what the API shows of them (docs/reference/seller-central.md, "One rule for the
model").

The simulator records *why* each object changed state. What the API shows (state + reason code)
is read from `API_PROJECTION` and from nowhere else; what Seller Central's transaction view shows
is the other projection of the same causes, `harness.seller_central.projection`. Reason codes alone
cannot tell an abandoned checkout (Canceled) from a fraud close (Closed): both are
Closed/AmazonCanceled in the API.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargeState,
    CheckoutSessionState,
    ReasonCode,
    RefundState,
)

__all__ = ["API_PROJECTION", "Cause"]


class Cause(StrEnum):
    """Why an object is in its current state."""

    # Checkout Session
    SESSION_CREATED = "session created"
    SESSION_COMPLETED = "merchant completed the checkout"
    BUYER_CANCELED_CHECKOUT = "buyer canceled on Amazon's page"
    CHECKOUT_DECLINED = "payment declined on Amazon's page"
    CHECKOUT_AMAZON_CANCELED = "Amazon canceled the checkout"
    CHECKOUT_EXPIRED = "checkout session expired (24 h)"
    # Charge Permission
    PERMISSION_CREATED = "buyer approved on Amazon's page"
    PAYMENT_METHOD_UPDATED = "buyer updated the payment method"
    PAYMENT_METHOD_INVALID = "payment method invalid (hard decline)"
    PAYMENT_METHOD_EXPIRED = "payment method expired"
    CAPTURED_IN_FULL = "amount limit captured in full"
    MERCHANT_CLOSED = "merchant called Close Charge Permission"
    OPERATOR_CLOSED = "operator closed it in Seller Central (終了したお支払い)"
    OPERATOR_CANCELED = "operator canceled it in Seller Central (お支払いキャンセル)"
    AMAZON_FRAUD = "Amazon closed it as fraudulent"
    AMAZON_REJECTED = "Amazon rejected a charge and closed the permission"
    PERMISSION_EXPIRED = "charge permission expired"
    CHECKOUT_NEVER_COMPLETED = "Complete Checkout Session never called within 24 h"
    BUYER_CLOSED = "buyer closed the agreement"
    AMAZON_CLOSED = "Amazon closed it (sandbox simulation AmazonClosed)"
    # Charge
    AUTHORIZATION_PENDING = "authorization pending"
    AUTHORIZED = "authorized"
    CAPTURE_PENDING = "capture pending (more than 7 days after authorization)"
    CAPTURED = "captured"
    MERCHANT_CANCELED_CHARGE = "merchant called Cancel Charge"
    AUTHORIZATION_EXPIRED = "authorization expired unused (30 days)"
    PERMISSION_CANCELED_CHARGE = "its charge permission was closed or canceled"
    AMAZON_CANCELED_CHARGE = "Amazon canceled the authorization"
    SOFT_DECLINED = "soft decline"
    HARD_DECLINED = "hard decline"
    AMAZON_REJECTED_CHARGE = "Amazon rejected the charge"
    PROCESSING_FAILURE = "processing failure"
    TRANSACTION_TIMED_OUT = "authorization timed out"
    # Refund
    REFUND_INITIATED = "refund initiated"
    REFUNDED = "refunded"
    REFUND_AMAZON_REJECTED = "Amazon rejected the refund"
    REFUND_PROCESSING_FAILURE = "refund processing failure"


class ApiStatus(NamedTuple):
    """What the API shows: `statusDetails.state` and the reason code (or None)."""

    state: str
    reason: ReasonCode | None


_S, _P, _C, _R = CheckoutSessionState, ChargePermissionState, ChargeState, RefundState
_RC = ReasonCode

API_PROJECTION: dict[Cause, ApiStatus] = {
    # §2.1
    Cause.SESSION_CREATED: ApiStatus(_S.OPEN, None),
    Cause.SESSION_COMPLETED: ApiStatus(_S.COMPLETED, None),
    Cause.BUYER_CANCELED_CHECKOUT: ApiStatus(_S.CANCELED, _RC.BUYER_CANCELED),
    Cause.CHECKOUT_DECLINED: ApiStatus(_S.CANCELED, _RC.DECLINED),
    Cause.CHECKOUT_AMAZON_CANCELED: ApiStatus(_S.CANCELED, _RC.AMAZON_CANCELED),
    Cause.CHECKOUT_EXPIRED: ApiStatus(_S.CANCELED, _RC.EXPIRED),
    # §2.2
    Cause.PERMISSION_CREATED: ApiStatus(_P.CHARGEABLE, None),
    Cause.PAYMENT_METHOD_UPDATED: ApiStatus(_P.CHARGEABLE, None),
    Cause.PAYMENT_METHOD_INVALID: ApiStatus(_P.NON_CHARGEABLE, _RC.PAYMENT_METHOD_INVALID),
    Cause.PAYMENT_METHOD_EXPIRED: ApiStatus(_P.NON_CHARGEABLE, _RC.PAYMENT_METHOD_EXPIRED),
    Cause.CAPTURED_IN_FULL: ApiStatus(_P.CLOSED, _RC.AMAZON_CLOSED),  # D-FULL-CAPTURE-CLOSE
    Cause.MERCHANT_CLOSED: ApiStatus(_P.CLOSED, _RC.MERCHANT_CLOSED),
    Cause.OPERATOR_CLOSED: ApiStatus(_P.CLOSED, _RC.MERCHANT_CLOSED),  # D-OPERATOR-CLOSE
    Cause.OPERATOR_CANCELED: ApiStatus(_P.CLOSED, _RC.MERCHANT_CANCELED),  # D-OPERATOR-CANCEL
    Cause.AMAZON_FRAUD: ApiStatus(_P.CLOSED, _RC.AMAZON_CANCELED),
    Cause.AMAZON_REJECTED: ApiStatus(_P.CLOSED, _RC.AMAZON_CANCELED),  # D-DECLINE-EFFECTS
    Cause.PERMISSION_EXPIRED: ApiStatus(_P.CLOSED, _RC.EXPIRED),
    Cause.CHECKOUT_NEVER_COMPLETED: ApiStatus(_P.CLOSED, _RC.AMAZON_CANCELED),  # D-DROPOFF-DEADLINE
    Cause.BUYER_CLOSED: ApiStatus(_P.CLOSED, _RC.BUYER_CLOSED),
    Cause.AMAZON_CLOSED: ApiStatus(_P.CLOSED, _RC.AMAZON_CLOSED),  # D-SIM-CLOSE
    # §2.3
    Cause.AUTHORIZATION_PENDING: ApiStatus(_C.AUTHORIZATION_INITIATED, None),
    Cause.AUTHORIZED: ApiStatus(_C.AUTHORIZED, None),
    Cause.CAPTURE_PENDING: ApiStatus(_C.CAPTURE_INITIATED, None),
    Cause.CAPTURED: ApiStatus(_C.CAPTURED, None),
    Cause.MERCHANT_CANCELED_CHARGE: ApiStatus(_C.CANCELED, _RC.MERCHANT_CANCELED),
    Cause.AUTHORIZATION_EXPIRED: ApiStatus(_C.CANCELED, _RC.EXPIRED_UNUSED),
    Cause.PERMISSION_CANCELED_CHARGE: ApiStatus(_C.CANCELED, _RC.CHARGE_PERMISSION_CANCELED),
    Cause.AMAZON_CANCELED_CHARGE: ApiStatus(_C.CANCELED, _RC.AMAZON_CANCELED),
    Cause.SOFT_DECLINED: ApiStatus(_C.DECLINED, _RC.SOFT_DECLINED),
    Cause.HARD_DECLINED: ApiStatus(_C.DECLINED, _RC.HARD_DECLINED),
    Cause.AMAZON_REJECTED_CHARGE: ApiStatus(_C.DECLINED, _RC.AMAZON_REJECTED),
    Cause.PROCESSING_FAILURE: ApiStatus(_C.DECLINED, _RC.PROCESSING_FAILURE),
    Cause.TRANSACTION_TIMED_OUT: ApiStatus(_C.DECLINED, _RC.TRANSACTION_TIMED_OUT),
    # §2.4
    Cause.REFUND_INITIATED: ApiStatus(_R.REFUND_INITIATED, None),
    Cause.REFUNDED: ApiStatus(_R.REFUNDED, None),
    Cause.REFUND_AMAZON_REJECTED: ApiStatus(_R.DECLINED, _RC.AMAZON_REJECTED),
    Cause.REFUND_PROCESSING_FAILURE: ApiStatus(_R.DECLINED, _RC.PROCESSING_FAILURE),
}
