"""Seller Central's projection of the simulator's causes: the status column of the transaction view.

Read from the cause of a Charge Permission's state (a OneTime row) or a Charge's state (a row of a
Recurring permission), never from reason codes (docs/reference/seller-central.md, "One rule for the model");
the
API's projection of the same causes is `harness.amazon_pay.causes.API_PROJECTION`.
"""

from __future__ import annotations

from enum import StrEnum

from harness.amazon_pay.causes import Cause
from harness.amazon_pay.states import ChargeState

__all__ = ["TRANSACTION_STATUS", "TransactionStatus"]


class TransactionStatus(StrEnum):
    """The status column of Seller Central's transaction view (docs/reference/seller-central.md)."""

    OPEN = "Open"
    CLOSED = "Closed"
    CANCELED = "Canceled"
    SUSPENDED = "Suspended"


_T = TransactionStatus

TRANSACTION_STATUS: dict[Cause, TransactionStatus] = {
    Cause.PERMISSION_CREATED: _T.OPEN,  # Open 1 and Open 2
    Cause.PAYMENT_METHOD_UPDATED: _T.OPEN,  # D-SUSPENDED
    Cause.PAYMENT_METHOD_INVALID: _T.SUSPENDED,  # D-SUSPENDED
    Cause.PAYMENT_METHOD_EXPIRED: _T.SUSPENDED,  # D-SUSPENDED
    Cause.CAPTURED_IN_FULL: _T.CLOSED,  # Closed 1
    Cause.MERCHANT_CLOSED: _T.CLOSED,  # Closed 2
    Cause.OPERATOR_CLOSED: _T.CLOSED,  # Closed 3
    Cause.AMAZON_FRAUD: _T.CLOSED,  # Closed 4
    Cause.AMAZON_REJECTED: _T.CLOSED,  # D-DECLINE-EFFECTS (Amazon closed it)
    Cause.PERMISSION_EXPIRED: _T.CLOSED,  # Closed 5
    Cause.BUYER_CLOSED: _T.CLOSED,  # docs/reference/amazon-pay-v2.md §2.2 BuyerClosed
    Cause.AMAZON_CLOSED: _T.CLOSED,  # D-SIM-CLOSE
    Cause.OPERATOR_CANCELED: _T.CANCELED,  # Canceled 1
    Cause.CHECKOUT_NEVER_COMPLETED: _T.CANCELED,  # Canceled 2
}
"""The row status of a OneTime transaction, from the cause of its Charge Permission's state."""

RECURRING_ROW_STATUS: dict[ChargeState, TransactionStatus] = {
    ChargeState.AUTHORIZATION_INITIATED: _T.OPEN,
    ChargeState.AUTHORIZED: _T.OPEN,
    ChargeState.CAPTURE_INITIATED: _T.OPEN,
    ChargeState.CAPTURED: _T.CLOSED,
    ChargeState.CANCELED: _T.CANCELED,
    ChargeState.DECLINED: _T.CANCELED,
}
"""D-RECURRING-ROWS: the row status of one Charge of a Recurring permission."""
