"""Charge Permissions: creation, limits and balance, closing and expiry (docs/reference/amazon-pay-v2.md
§2.2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from harness.amazon_pay import limits
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.errors import AmazonPayError, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import (
    Charge,
    ChargePermission,
    CheckoutSession,
    MerchantMetadata,
    PaymentDetails,
)
from harness.amazon_pay.states import ChargePermissionState, ChargePermissionType, ChargeState
from harness.clock import add_months
from harness.money import Money, money_max

__all__ = ["amount_balance", "amount_limit", "close_permission", "expires_at", "month_start",
           "monthly_balance", "next_month_start", "require_chargeable", "shown_limits"]


def amount_limit(payment: PaymentDetails) -> Money:
    """amountLimit of a OneTime permission (D-AMOUNT-LIMIT, §2.2)."""
    order = payment.total_order_amount or payment.charge_amount
    assert order is not None, "a permission is only created once chargeAmount is set"
    if not payment.allow_overcharge:
        return order
    return money_max(order.percent(limits.ALLOW_OVERCHARGE_PERCENT),
                     limits.ALLOW_OVERCHARGE_FLOOR[order.currency])


def expires_at(created: datetime, kind: ChargePermissionType, extend_expiration: bool) -> datetime:
    """180 days for OneTime; 13 months with extendExpiration and for Recurring (§2.2)."""
    if kind is ChargePermissionType.RECURRING or extend_expiration:
        return add_months(created, limits.PERMISSION_EXTENDED_LIFETIME_MONTHS)
    return created + limits.ONE_TIME_PERMISSION_LIFETIME


def create_permission(ledger: Ledger, session: CheckoutSession, descriptor: str) -> ChargePermission:
    """The permission Amazon creates when the buyer approves (D-AUTH-AT-APPROVAL)."""
    assert session.buyer is not None and session.payment.charge_amount is not None
    now = ledger.now()
    recurring = session.charge_permission_type is ChargePermissionType.RECURRING
    permission = ChargePermission(
        id=ledger.ids.charge_permission_id(recurring=recurring),
        environment=ledger.ids.environment,
        created_at=now,
        updated_at=now,
        cause=Cause.PERMISSION_CREATED,
        charge_permission_type=session.charge_permission_type,
        checkout_session_id=session.id,
        buyer=session.buyer,
        expires_at=expires_at(now, session.charge_permission_type,
                              session.payment.extend_expiration),
        amount_limit=None if recurring else amount_limit(session.payment),  # D-RECURRING-LIMITS
        currency=session.payment.charge_amount.currency,
        merchant_metadata=session.merchant_metadata,
        recurring_metadata=session.recurring_metadata,
        payment_descriptor=descriptor,
    )
    ledger.add(permission)
    permission.expiry = ledger.schedule(
        permission.expires_at, f"ChargePermission {permission.id} expires",
        lambda: _expire(ledger, permission),
    )
    return permission


def captured_total(ledger: Ledger, permission: ChargePermission) -> Money:
    """What has been captured on the permission so far."""
    total = Money.zero(permission.currency)
    for charge in ledger.charges_of(permission):
        if charge.charge_state is ChargeState.CAPTURED and charge.capture_amount is not None:
            total += charge.capture_amount
    return total


def amount_balance(ledger: Ledger, permission: ChargePermission) -> Money | None:
    """amountLimit - captured - open authorizations (D-BALANCE); None for Recurring."""
    if permission.amount_limit is None:
        return None
    return permission.amount_limit - _used(permission.currency, ledger.charges_of(permission))


def _used(currency: str, charges: Iterable[Charge]) -> Money:
    """What `charges` take of a limit: captured amounts, and open authorizations at their amount."""
    used = Money.zero(currency)
    for charge in charges:
        state = charge.charge_state
        if state in (ChargeState.CAPTURED, ChargeState.CAPTURE_INITIATED):
            assert charge.capture_amount is not None
            used += charge.capture_amount
        elif state.is_open:
            used += charge.charge_amount
    return used


def month_start(moment: datetime, currency: str) -> datetime:
    """The start of the calendar month `moment` is in, in the calendar of a permission in `currency`
    (D-RECURRING-MONTHLY-LIMIT: Japan time for JPY)."""
    zone = limits.MONTHLY_LIMIT_ZONE.get(currency, UTC)
    local = moment.astimezone(zone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def next_month_start(moment: datetime, currency: str) -> datetime:
    """When the month after `moment`'s begins, in the same calendar (when a monthly limit resets)."""
    zone = limits.MONTHLY_LIMIT_ZONE.get(currency, UTC)
    return add_months(month_start(moment, currency).astimezone(zone), 1).astimezone(UTC)


def monthly_balance(ledger: Ledger, permission: ChargePermission) -> Money | None:
    """What a Recurring permission may still be charged this month (§2.6); None without a limit.

    Counted (D-RECURRING-MONTHLY-LIMIT): every Charge created since the month began, by its captured
    amount once captured and its charge amount while open; a Declined or Canceled one counts nothing.
    """
    limit = limits.RECURRING_MONTHLY_LIMIT.get(permission.currency) if permission.is_recurring else None
    if limit is None:
        return None
    since = month_start(ledger.now(), permission.currency)
    this_month = [charge for charge in ledger.charges_of(permission) if charge.created_at >= since]
    return money_max(limit - _used(permission.currency, this_month), Money.zero(permission.currency))


def shown_limits(ledger: Ledger, permission: ChargePermission) -> tuple[Money | None, Money | None]:
    """`limits.amountLimit` and `limits.amountBalance` of Get Charge Permission (§1.3, §2.6)."""
    if permission.is_recurring:
        balance = monthly_balance(ledger, permission)
        return limits.RECURRING_MONTHLY_LIMIT.get(permission.currency), balance
    return permission.amount_limit, amount_balance(ledger, permission)


def require_chargeable(permission: ChargePermission, operation: str) -> None:
    """422 InvalidChargePermissionStatus unless the permission is Chargeable (§4.3)."""
    if permission.state != ChargePermissionState.CHARGEABLE:
        raise wrong_state("InvalidChargePermissionStatus", "Charge Permission",
                          permission.state, operation)


def close_permission(ledger: Ledger, permission: ChargePermission, cause: Cause,
                     description: str | None = None,
                     open_charges_cause: Cause | None = None) -> None:
    """Close the permission for `cause`; optionally end its open Charges with another cause."""
    ledger.transition(permission, cause, description)
    if permission.expiry is not None:
        permission.expiry.cancel()
    if open_charges_cause is None:
        return
    for charge in ledger.charges_of(permission):
        if charge.charge_state.is_open:
            charge.stop_timers()
            ledger.transition(charge, open_charges_cause)


def close_by_merchant(ledger: Ledger, permission: ChargePermission, closure_reason: str | None,
                      cancel_pending_charges: bool) -> ChargePermission:
    """Close Charge Permission (§2.2): Closed/MerchantClosed; 422 if already Closed."""
    if permission.state == ChargePermissionState.CLOSED:
        raise wrong_state("InvalidChargePermissionStatus", "Charge Permission",
                          permission.state, "Close Charge Permission")
    # D-CLOSE-PENDING: without cancelPendingCharges open charges stay as they are
    close_permission(ledger, permission, Cause.MERCHANT_CLOSED, closure_reason,
                     Cause.PERMISSION_CANCELED_CHARGE if cancel_pending_charges else None)
    return permission


def update_by_merchant(permission: ChargePermission, ledger: Ledger,
                       merchant_metadata: MerchantMetadata | None) -> ChargePermission:
    """Update Charge Permission (§2.2): metadata only; 422 ChargePermissionNotModifiable if Closed."""
    if permission.state == ChargePermissionState.CLOSED:
        raise AmazonPayError("ChargePermissionNotModifiable",
                             f"Charge Permission {permission.id} is Closed and cannot be modified")
    if merchant_metadata is not None:
        permission.merchant_metadata = merchant_metadata
        permission.updated_at = ledger.now()
    return permission


def _expire(ledger: Ledger, permission: ChargePermission) -> None:
    if permission.state != ChargePermissionState.CLOSED:
        close_permission(ledger, permission, Cause.PERMISSION_EXPIRED,
                         open_charges_cause=Cause.PERMISSION_CANCELED_CHARGE)  # D-EXPIRY-OPEN-CHARGES
