"""The shop's batch jobs (run from cron): reconciliation with Amazon, and monthly subscription billing."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime

from sqlalchemy import select

from exampleshop.models import Order, OrderState
from exampleshop.payments import FINAL_STATES, AnsweredError, Payments, next_month

__all__ = ["bill_subscriptions", "reconcile"]


def reconcile(payments: Payments) -> int:
    """Bring every unfinished order up to date with Amazon; the number of orders looked at.

    A checkout whose buyer never came back stays `checkout` while its Checkout Session is Open and
    becomes `abandoned` once Amazon canceled it (24 hours after it started).
    """
    with payments.db.sessions() as session:
        unfinished = select(Order).where(Order.state.not_in(FINAL_STATES)).order_by(Order.id)
        orders = session.scalars(unfinished).all()
        for order in orders:
            with suppress(AnsweredError):
                payments.reconcile(session, order)
        session.commit()
    return len(orders)


def bill_subscriptions(payments: Payments) -> list[str]:
    """定期購入: charge and capture every subscription whose billing day has come; their order numbers."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with payments.db.sessions() as session:
        due = session.scalars(select(Order.reference).where(
            Order.recurring.is_(True), Order.next_billing_on <= now,
            Order.state.not_in(FINAL_STATES | {OrderState.PAYMENT_UPDATE_REQUESTED}))).all()
    for reference in due:
        with payments.order(reference) as (_, order):
            subtotal = order.subtotal
            order.next_billing_on = next_month(order.next_billing_on or now)
        payments.charge(reference, subtotal, capture_now=True)
    return list(due)
