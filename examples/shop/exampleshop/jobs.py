"""The shop's batch jobs (run from cron): reconciliation with Amazon, monthly subscription billing, and
the settlement report's check against the books."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime

from sqlalchemy import select

from exampleshop.models import Order, OrderState
from exampleshop.payments import FINAL_STATES, AnsweredError, Payments, next_month
from exampleshop.settlement import Settlements

__all__ = ["bill_subscriptions", "reconcile", "reconcile_settlement"]


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


def reconcile_settlement(payments: Payments, start: datetime, end: datetime) -> str | None:
    """Check the settlement report of [start, end) against the books; the reportId once it is checked.

    The first run requests the report; Amazon takes a while to make it, so a run while it is being made
    answers None and the next run (the same period) downloads and checks it. The result is in the
    `settlement_reports` and `settlement_checks` tables.
    """
    settlements = Settlements(payments)
    report_id = settlements.pending(start, end) or settlements.request(start, end)
    settlements.download(report_id)
    return None if settlements.pending(start, end) == report_id else report_id
