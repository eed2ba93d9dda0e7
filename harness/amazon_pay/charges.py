"""Charges: authorize, capture, cancel, expire, and Amazon's answers to them (docs/reference/amazon-pay-v2.md
§2.3)."""

from __future__ import annotations

from harness.amazon_pay import limits
from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.errors import (
    AmazonPayError,
    SimulationError,
    invalid_value,
    wrong_state,
)
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Charge, ChargePermission, MerchantMetadata
from harness.amazon_pay.permissions import (
    amount_balance,
    captured_total,
    close_permission,
    monthly_balance,
    require_chargeable,
)
from harness.amazon_pay.sandbox import APPROVED, AuthorizationOutcome
from harness.amazon_pay.states import ChargePermissionState, ChargeState
from harness.ids import Environment
from harness.money import Money

__all__ = ["authorize", "cancel_charge", "capture", "create_charge", "resolve"]

PERIODIC_AMOUNT_EXCEEDED = ("You've exceeded the monthly limit for the Charge Permission and must wait "
                            "until the next month to charge this buyer.")
"""The message of 400 PeriodicAmountExceeded, as Amazon Pay's FAQ quotes it (§2.6)."""

DECLINE_PERMISSION_EFFECT: dict[Cause, Cause] = {
    Cause.HARD_DECLINED: Cause.PAYMENT_METHOD_INVALID,
    Cause.AMAZON_REJECTED_CHARGE: Cause.AMAZON_REJECTED,
}
"""D-DECLINE-EFFECTS: what a decline does to the Charge Permission (other declines: nothing)."""


def check_amount(amount: Money, currency: str, path: str) -> None:
    """400 CurrencyMismatch / InvalidParameterValue for an amount the API would not take."""
    if amount.currency != currency:
        raise AmazonPayError("CurrencyMismatch",
                             f"The currency '{amount.currency}' provided for '{path}' does not "
                             f"match the currency '{currency}' of this transaction.")
    if amount.amount <= 0:
        raise invalid_value(amount.to_wire(), path)
    if amount.currency == "JPY" and amount > limits.MAX_JPY_AMOUNT:  # D-MAX-AMOUNT
        raise invalid_value(amount.to_wire(), path)


def create_charge(ledger: Ledger, permission: ChargePermission, amount: Money, *,
                  capture_now: bool = False, can_handle_pending_authorization: bool = False,
                  soft_descriptor: str | None = None,
                  merchant_metadata: MerchantMetadata | None = None,
                  outcome: AuthorizationOutcome = APPROVED) -> Charge:
    """Create Charge (§3): checks the permission's state, count and balance, then authorizes."""
    require_chargeable(permission, "Create Charge")
    check_amount(amount, permission.currency, "chargeAmount")
    if (not permission.is_recurring
            and len(permission.charge_ids) >= limits.MAX_CHARGES_PER_ONE_TIME_PERMISSION):
        raise AmazonPayError("TransactionCountExceeded",
                             f"Charge Permission {permission.id} already has "
                             f"{limits.MAX_CHARGES_PER_ONE_TIME_PERMISSION} charges")
    balance = amount_balance(ledger, permission)
    if balance is not None and amount > balance:
        raise AmazonPayError("TransactionAmountExceeded",
                             f"The chargeAmount {amount.to_wire()} exceeds the amountBalance "
                             f"{balance.to_wire()} of Charge Permission {permission.id}")
    this_month = monthly_balance(ledger, permission)
    if this_month is not None and amount > this_month:  # §2.6, D-RECURRING-MONTHLY-LIMIT
        raise AmazonPayError("PeriodicAmountExceeded", PERIODIC_AMOUNT_EXCEEDED)
    charge = authorize(ledger, permission, amount, capture_now=capture_now,
                       can_handle_pending=can_handle_pending_authorization,
                       soft_descriptor=soft_descriptor, outcome=outcome,
                       merchant_metadata=merchant_metadata)
    if charge.charge_state is ChargeState.DECLINED:
        assert charge.reason is not None
        raise AmazonPayError(charge.reason.value,
                             f"The authorization for Charge {charge.id} was declined.")
    return charge


def authorize(ledger: Ledger, permission: ChargePermission, amount: Money, *,
              capture_now: bool, can_handle_pending: bool, soft_descriptor: str | None,
              outcome: AuthorizationOutcome,
              merchant_metadata: MerchantMetadata | None = None) -> Charge:
    """Create a Charge and run the authorization to `outcome` (now, or pending for later)."""
    now = ledger.now()
    pending = outcome.pending and can_handle_pending
    final = outcome.final
    if outcome.pending and not can_handle_pending:
        final = Cause.TRANSACTION_TIMED_OUT  # §2.3: without it a slow authorization times out
    charge = Charge(
        id=ledger.ids.charge_id(permission.id, recurring=permission.is_recurring),
        environment=permission.environment, created_at=now, updated_at=now,
        cause=Cause.AUTHORIZATION_PENDING if pending else final,
        charge_permission_id=permission.id, charge_amount=amount,
        expires_at=now + limits.AUTHORIZATION_VALIDITY, soft_descriptor=soft_descriptor,
        can_handle_pending_authorization=can_handle_pending, merchant_metadata=merchant_metadata,
        capture_on_authorization=capture_now, authorized_at=None if pending else now,
    )
    permission.charge_ids.append(charge.id)
    ledger.add(charge)
    if charge.charge_state is ChargeState.DECLINED:
        charge.authorized_at = None
        _apply_decline(ledger, charge)
        return charge
    charge.expiry = ledger.schedule(charge.expires_at, f"Charge {charge.id} expires",
                                    lambda: _expire(ledger, charge))
    if pending:  # D-ASYNC-DELAYS
        charge.pending = ledger.schedule(
            now + ledger.settings.pending_authorization_delay,
            f"pending authorization of Charge {charge.id} resolves",
            lambda: resolve(ledger, charge, final))
    elif capture_now:
        capture(ledger, charge, amount, soft_descriptor)
    return charge


def resolve(ledger: Ledger, charge: Charge, final: Cause) -> None:
    """Finish a pending authorization or capture with `final` (authorized, captured or declined)."""
    state = charge.charge_state
    if state not in (ChargeState.AUTHORIZATION_INITIATED, ChargeState.CAPTURE_INITIATED):
        raise SimulationError(f"Charge {charge.id} is {state}: only an AuthorizationInitiated or "
                              "CaptureInitiated charge can be resolved")
    if charge.pending is not None:  # whoever resolves first (Amazon or the delay) withdraws it
        charge.pending.cancel()
        charge.pending = None
    if API_PROJECTION[final].state == ChargeState.DECLINED:
        charge.stop_timers()
        ledger.transition(charge, final)
        _apply_decline(ledger, charge)
    elif state is ChargeState.CAPTURE_INITIATED:
        _finish_capture(ledger, charge)
    else:
        charge.authorized_at = ledger.now()
        ledger.transition(charge, Cause.AUTHORIZED)
        permission = ledger.permission(charge.charge_permission_id)
        # a permission closed while the authorization was pending keeps it uncaptured, to expire
        # like any open authorization of a closed permission (D-CLOSE-PENDING, D-OPERATOR-CLOSE)
        if charge.capture_on_authorization and permission.state != ChargePermissionState.CLOSED:
            capture(ledger, charge, charge.charge_amount, charge.soft_descriptor)


def capture(ledger: Ledger, charge: Charge, amount: Money, soft_descriptor: str | None, *,
            asynchronous: bool = False) -> Charge:
    """Capture Charge (§2.3): in Live synchronous within 7 days of authorization, CaptureInitiated
    after; in Sandbox always synchronous (§6.3).

    `asynchronous` forces the CaptureInitiated path (sandbox simulation code, §6.2).
    """
    if charge.charge_state is not ChargeState.AUTHORIZED:  # D-SECOND-CAPTURE
        raise wrong_state("InvalidChargeStatus", "Charge", charge.state, "Capture Charge")
    permission = ledger.permission(charge.charge_permission_id)
    if permission.state == ChargePermissionState.CLOSED:
        raise wrong_state("InvalidChargePermissionStatus", "Charge Permission",
                          permission.state, "Capture Charge")
    check_amount(amount, charge.charge_amount.currency, "captureAmount")
    if amount > charge.charge_amount:  # D-OVERCAPTURE
        raise AmazonPayError("TransactionAmountExceeded",
                             f"The captureAmount {amount.to_wire()} exceeds the chargeAmount "
                             f"{charge.charge_amount.to_wire()} of Charge {charge.id}")
    charge.capture_amount = amount
    if soft_descriptor is not None:
        charge.soft_descriptor = soft_descriptor
    charge.stop_timers()
    assert charge.authorized_at is not None
    late = ledger.now() - charge.authorized_at > limits.SYNCHRONOUS_CAPTURE_WINDOW
    if asynchronous or (late and charge.environment is Environment.LIVE):
        ledger.transition(charge, Cause.CAPTURE_PENDING)
        charge.pending = ledger.schedule(
            ledger.now() + ledger.settings.asynchronous_capture_delay,
            f"asynchronous capture of Charge {charge.id} completes",
            lambda: resolve(ledger, charge, Cause.CAPTURED))
    else:
        _finish_capture(ledger, charge)
    return charge


def cancel_charge(ledger: Ledger, charge: Charge, reason: str | None) -> Charge:
    """Cancel Charge (§2.3): only until capture is initiated; Canceled/MerchantCanceled."""
    if not charge.charge_state.is_open:
        raise wrong_state("InvalidChargeStatus", "Charge", charge.state, "Cancel Charge")
    charge.stop_timers()
    ledger.transition(charge, Cause.MERCHANT_CANCELED_CHARGE, reason)
    return charge


def _finish_capture(ledger: Ledger, charge: Charge) -> None:
    ledger.transition(charge, Cause.CAPTURED)
    charge.refunded_amount = Money.zero(charge.charge_amount.currency)
    permission = ledger.permission(charge.charge_permission_id)
    if (permission.amount_limit is not None
            and permission.state != ChargePermissionState.CLOSED
            and captured_total(ledger, permission) >= permission.amount_limit):
        close_permission(ledger, permission, Cause.CAPTURED_IN_FULL)  # D-FULL-CAPTURE-CLOSE


def _apply_decline(ledger: Ledger, charge: Charge) -> None:
    permission = ledger.permission(charge.charge_permission_id)
    effect = DECLINE_PERMISSION_EFFECT.get(charge.cause)
    if effect is None or permission.state == ChargePermissionState.CLOSED:
        return
    if effect is Cause.AMAZON_REJECTED:
        close_permission(ledger, permission, effect,
                         open_charges_cause=Cause.AMAZON_CANCELED_CHARGE)
    else:
        ledger.transition(permission, effect)


def _expire(ledger: Ledger, charge: Charge) -> None:
    if charge.charge_state.is_open:
        charge.stop_timers()
        ledger.transition(charge, Cause.AUTHORIZATION_EXPIRED)
