"""Two plausible bugs, kept so the release gate can show it catches them (never use these).

`ReasonCodeReconciler` decides what a closed Charge Permission means from its reason code alone:
Amazon's fraud close reads `AmazonCanceled`, as the charge of an abandoned checkout does, so it
files a fraud-closed order as abandoned and nobody stops the shipment. `NewKeyRetrier` retries a
timed-out capture under a new idempotency key, so Amazon takes the retry for a second request and
the buyer pays twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from exampleshop.models import Order, OrderState
from exampleshop.payments import Payments

__all__ = ["NewKeyRetrier", "ReasonCodeReconciler"]


class ReasonCodeReconciler(Payments):
    """BROKEN: AmazonCanceled means "the buyer abandoned the checkout", whatever was canceled."""

    def apply_closed_permission(self, order: Order, reasons: set[str]) -> None:
        """Reads the reason code and nothing else."""
        if "AmazonCanceled" in reasons:
            order.state = OrderState.ABANDONED
            order.next_billing_on = None
        else:
            super().apply_closed_permission(order, reasons)


class NewKeyRetrier(Payments):
    """BROKEN: every retry is sent as a new request."""

    def retry_key(self, session: Session, order: Order, operation: str, key: str) -> str:
        """A fresh idempotency key per try."""
        return self.idempotency_key(session, order, operation)
