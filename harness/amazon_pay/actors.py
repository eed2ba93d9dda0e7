"""The buyer and Amazon as actors of a scenario (docs/reference/design.md idea 4).

Their actions are what happens outside the merchant's code: on Amazon's hosted page, in the
buyer's wallet, and in Amazon's risk and payment systems.
"""

from __future__ import annotations

from dataclasses import replace

from harness.amazon_pay import charges, checkout, permissions, refunds
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.errors import SimulationError
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import Buyer
from harness.amazon_pay.sandbox import (
    DECLINE_CAUSES,
    AuthorizationOutcome,
    card_outcome,
    payment_descriptor,
)
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargeState,
    CheckoutSessionState,
    ReasonCode,
)
from harness.ids import IdFactory

__all__ = ["AmazonActor", "BuyerActor"]


class BuyerActor:
    """What the buyer does on Amazon's page and in their Amazon account."""

    def __init__(self, ledger: Ledger, ids: IdFactory) -> None:
        self._ledger = ledger
        self.default = Buyer(buyer_id=ids.buyer_id())

    def ship_to(self, prefecture: str) -> None:
        """The buyer's shipping address is in `prefecture` (its stateOrRegion) from the next sign-in on."""
        self.default = replace(self.default, shipping_address=replace(self.default.shipping_address,
                                                                      state_or_region=prefecture))

    def sign_in(self, session_id: str, buyer: Buyer | None = None) -> None:
        """Sign in with Amazon on the checkout session."""
        checkout.sign_in(self._ledger, self._ledger.session(session_id), buyer or self.default)

    def approve(self, session_id: str, card: str = "1111") -> None:
        """Pay on Amazon's page with a simulated card (§6.1); the buyer is then sent back."""
        checkout.approve(self._ledger, self._ledger.session(session_id), card)

    def drop_off(self, session_id: str) -> None:
        """Leave after approving, before being sent back: Complete is never called (Open 2)."""
        session = self._ledger.session(session_id)
        if not session.approved or session.state != CheckoutSessionState.OPEN:
            raise SimulationError(f"the buyer can only drop off after approving an Open "
                                  f"Checkout Session; {session_id} is {session.state}"
                                  f"{'' if session.approved else ', not approved'}")
        self._ledger.note("buyer", f"left Amazon's page before returning (Checkout Session "
                                   f"{session_id}); the merchant is not told")

    def return_to_merchant(self, session_id: str) -> str:
        """Come back to checkoutResultReturnUrl; returns the URL with amazonCheckoutSessionId."""
        session = self._ledger.session(session_id)
        url = session.web.checkout_result_return_url
        if url is None:
            raise SimulationError(f"Checkout Session {session_id} has no checkoutResultReturnUrl")
        session.buyer_returned = True
        self._ledger.note("buyer", f"returned to the merchant (Checkout Session {session_id})")
        return checkout.with_session_id(url, session_id)

    def cancel(self, session_id: str) -> None:
        """Cancel on Amazon's page: Canceled/BuyerCanceled."""
        checkout.cancel_by_buyer(self._ledger, self._ledger.session(session_id))

    def update_payment_method(self, permission_id: str, card: str = "1111") -> None:
        """Choose a working payment method for a NonChargeable permission: Chargeable again."""
        permission = self._ledger.permission(permission_id)
        if permission.state != ChargePermissionState.NON_CHARGEABLE:
            raise SimulationError(f"Charge Permission {permission_id} is {permission.state}: "
                                  "only a NonChargeable permission needs a new payment method")
        card_outcome(card)
        permission.payment_descriptor = payment_descriptor(card)
        self._ledger.transition(permission, Cause.PAYMENT_METHOD_UPDATED)

    def close_agreement(self, permission_id: str) -> None:
        """Close the agreement from the buyer's Amazon account: Closed/BuyerClosed (§2.2)."""
        permission = self._ledger.permission(permission_id)
        _require_not_closed(permission.state, permission_id)
        permissions.close_permission(self._ledger, permission, Cause.BUYER_CLOSED,
                                     open_charges_cause=Cause.PERMISSION_CANCELED_CHARGE)


class AmazonActor:
    """What Amazon decides on its own: fraud, declines, payment methods, pending results."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def close_for_fraud(self, permission_id: str) -> None:
        """Close the permission as fraudulent (Closed 4): Closed/AmazonCanceled, row Closed."""
        permission = self._ledger.permission(permission_id)
        _require_not_closed(permission.state, permission_id)
        permissions.close_permission(self._ledger, permission, Cause.AMAZON_FRAUD,
                                     open_charges_cause=Cause.AMAZON_CANCELED_CHARGE)

    def cancel_checkout(self, session_id: str) -> None:
        """Cancel an Open checkout on Amazon's side (service issue): Canceled/AmazonCanceled."""
        session = self._ledger.session(session_id)
        if session.state != CheckoutSessionState.OPEN or session.approved:
            raise SimulationError(f"Amazon can only cancel an Open, unapproved Checkout Session; "
                                  f"{session_id} is {session.state}")
        checkout.cancel_session(self._ledger, session, Cause.CHECKOUT_AMAZON_CANCELED)

    def decline_next_authorization(self, permission_id: str, reason: ReasonCode,
                                   pending: bool = False) -> None:
        """Make Amazon decline the next authorization on the permission with `reason`."""
        self._ledger.permission(permission_id)
        self._ledger.plan_outcome(permission_id,
                                  AuthorizationOutcome(_decline_cause(reason), pending=pending))

    def decline(self, charge_id: str, reason: ReasonCode) -> None:
        """Decline a pending authorization or capture now."""
        charges.resolve(self._ledger, self._ledger.charge(charge_id), _decline_cause(reason))

    def resolve_pending(self, charge_id: str) -> None:
        """Let a pending authorization (or asynchronous capture) succeed now."""
        charge = self._ledger.charge(charge_id)
        final = (Cause.CAPTURED if charge.charge_state is ChargeState.CAPTURE_INITIATED
                 else Cause.AUTHORIZED)
        charges.resolve(self._ledger, charge, final)

    def invalidate_payment_method(self, permission_id: str) -> None:
        """The buyer's payment method became invalid: NonChargeable/PaymentMethodInvalid."""
        self._make_non_chargeable(permission_id, Cause.PAYMENT_METHOD_INVALID)

    def expire_payment_method(self, permission_id: str) -> None:
        """The buyer's card expired: NonChargeable/PaymentMethodExpired."""
        self._make_non_chargeable(permission_id, Cause.PAYMENT_METHOD_EXPIRED)

    def complete_refund(self, refund_id: str) -> None:
        """Finish a RefundInitiated refund now: Refunded."""
        refunds.resolve_refund(self._ledger, self._ledger.refund(refund_id), Cause.REFUNDED)

    def decline_refund(self, refund_id: str, reason: ReasonCode) -> None:
        """Decline a RefundInitiated refund: AmazonRejected or ProcessingFailure (§2.4)."""
        causes = {ReasonCode.AMAZON_REJECTED: Cause.REFUND_AMAZON_REJECTED,
                  ReasonCode.PROCESSING_FAILURE: Cause.REFUND_PROCESSING_FAILURE}
        if reason not in causes:
            raise SimulationError(f"a refund can be declined with AmazonRejected or "
                                  f"ProcessingFailure (§2.4), not {reason}")
        refunds.resolve_refund(self._ledger, self._ledger.refund(refund_id), causes[reason])

    def _make_non_chargeable(self, permission_id: str, cause: Cause) -> None:
        permission = self._ledger.permission(permission_id)
        _require_not_closed(permission.state, permission_id)
        self._ledger.transition(permission, cause)


def _decline_cause(reason: ReasonCode) -> Cause:
    try:
        return DECLINE_CAUSES[reason]
    except KeyError:
        known = ", ".join(DECLINE_CAUSES)
        raise SimulationError(f"{reason} is not a decline reason; use one of {known}") from None


def _require_not_closed(state: str, permission_id: str) -> None:
    if state == ChargePermissionState.CLOSED:
        raise SimulationError(f"Charge Permission {permission_id} is already Closed")
