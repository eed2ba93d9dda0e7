"""The shop's tables: orders, what Amazon Pay answered, captures and refunds, received notifications, mail,
and the settlement reports it checked its books against."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Base", "Capture", "Mail", "Notification", "Order", "OrderState", "PaymentAttempt", "PaymentError",
           "Refund", "SettlementCheck", "SettlementReport"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class OrderState(StrEnum):
    """The shop's own order states (受注ステータス)."""

    CHECKOUT = "checkout"
    """The buyer is on Amazon's pages; nothing is paid yet."""
    AGREED = "agreed"
    """Recurring or Confirm checkout done: a Charge Permission, no charge yet."""
    AUTHORIZING = "authorizing"
    """Amazon is still deciding on the authorization (pending)."""
    AWAITING_SHIPMENT = "awaiting_shipment"
    """Authorized: the warehouse may ship, and the shop captures at shipment."""
    CAPTURING = "capturing"
    SHIPPED = "shipped"
    """Captured: the buyer paid."""
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    DECLINED = "declined"
    PAYMENT_UPDATE_REQUESTED = "payment_update_requested"
    """The payment method was refused for good; the buyer was mailed to update it."""
    FRAUD_HOLD = "fraud_hold"
    """Amazon closed the payment: never ship, review the order."""
    ABANDONED = "abandoned"
    """The buyer never finished the checkout."""


class Base(DeclarativeBase):
    """The shop's declarative base."""


class Order(Base):
    """One order (受注) and the Amazon Pay ids it is paid with."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    """The shop's order number, sent to Amazon as merchantReferenceId."""
    state: Mapped[OrderState] = mapped_column(String(32), default=OrderState.CHECKOUT)
    subtotal: Mapped[int]
    shipping_fee: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    payment_intent: Mapped[str] = mapped_column(String(32), default="Authorize")
    recurring: Mapped[bool] = mapped_column(default=False)
    can_handle_pending: Mapped[bool] = mapped_column(default=False)
    prefecture: Mapped[str | None] = mapped_column(String(16), default=None)
    buyer_email: Mapped[str | None] = mapped_column(String(255), default=None)
    checkout_session_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    charge_permission_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    charge_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    charge_amount: Mapped[int | None] = mapped_column(default=None)
    """The chargeAmount of the latest charge, as Amazon answered it."""
    charge_state: Mapped[str | None] = mapped_column(String(32), default=None)
    """The latest charge's state (statusDetails.state), as Amazon last answered it."""
    next_billing_on: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)

    errors: Mapped[list[PaymentError]] = relationship(back_populates="order", order_by="PaymentError.id")
    captures: Mapped[list[Capture]] = relationship(back_populates="order", order_by="Capture.id")
    refunds: Mapped[list[Refund]] = relationship(back_populates="order", order_by="Refund.id")
    mails: Mapped[list[Mail]] = relationship(back_populates="order", order_by="Mail.id")


class PaymentError(Base):
    """An error Amazon Pay answered (http_status 0: no answer at all)."""

    __tablename__ = "payment_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    operation: Mapped[str] = mapped_column(String(64))
    http_status: Mapped[int]
    reason_code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(1000))
    retried: Mapped[bool] = mapped_column(default=False)
    """The call was sent again after it (a timeout, 429 or 5xx): the action went on."""
    created_at: Mapped[datetime] = mapped_column(default=_now)
    order: Mapped[Order] = relationship(back_populates="errors")


class PaymentAttempt(Base):
    """The idempotency key of one payment action, kept so that a retry reuses it."""

    __tablename__ = "payment_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    operation: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Capture(Base):
    """A charge Amazon captured (売上): the shop's ledger of what the buyer paid."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    charge_id: Mapped[str] = mapped_column(String(64), unique=True)
    amount: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=_now)
    order: Mapped[Order] = relationship(back_populates="captures")


class Refund(Base):
    """A refund the shop asked for."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    refund_id: Mapped[str] = mapped_column(String(64), unique=True)
    amount: Mapped[int]
    state: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    order: Mapped[Order] = relationship(back_populates="refunds")


class Notification(Base):
    """An IPN the shop accepted; NotificationId is unique, so a duplicate is recognised."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("notification_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(128))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    notification_type: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=_now)


class Mail(Base):
    """The shop's outgoing mail queue (the mailer sends and deletes rows; tests read them)."""

    __tablename__ = "mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    kind: Mapped[str] = mapped_column(String(64))
    to: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    order: Mapped[Order] = relationship(back_populates="mails")


class SettlementReport(Base):
    """A settlement report the shop asked Amazon for, and what importing it found (精算レポート)."""

    __tablename__ = "settlement_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(String(64), unique=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    """The period [start, end), naive UTC like every time the shop keeps."""
    state: Mapped[str] = mapped_column(String(32), default="requested")
    """requested, imported, or cancelled (Amazon had no transaction in the period)."""
    payout: Mapped[int | None] = mapped_column(default=None)
    """The sum of the report's NetTransactionAmount: what Amazon pays out for the period."""
    mismatches: Mapped[int] = mapped_column(default=0)
    checks: Mapped[list[SettlementCheck]] = relationship(
        back_populates="report", order_by="SettlementCheck.id", cascade="all, delete-orphan")
    """Checking the report again replaces them."""


class SettlementCheck(Base):
    """One order of a settlement report against the shop's books: what each says was captured and refunded."""

    __tablename__ = "settlement_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("settlement_reports.id"))
    order_reference: Mapped[str | None] = mapped_column(String(64))
    charge_permission_id: Mapped[str] = mapped_column(String(64))
    captured_in_report: Mapped[int]
    refunded_in_report: Mapped[int]
    captured_in_shop: Mapped[int]
    refunded_in_shop: Mapped[int]
    net: Mapped[int]
    """What the report pays out for the order (after Amazon's fees)."""
    mismatch: Mapped[bool]
    report: Mapped[SettlementReport] = relationship(back_populates="checks")
