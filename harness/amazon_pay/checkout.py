"""Checkout Sessions: create, update, complete, and what happens on Amazon's page (§2.1, §9.8)."""

from __future__ import annotations

from harness.amazon_pay import limits
from harness.amazon_pay.causes import Cause
from harness.amazon_pay.charges import authorize, capture, check_amount
from harness.amazon_pay.errors import AmazonPayError, SimulationError, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import (
    Buyer,
    CheckoutSession,
    MerchantMetadata,
    PaymentDetails,
    RecurringMetadata,
    WebCheckoutDetails,
)
from harness.amazon_pay.permissions import close_permission, create_permission
from harness.amazon_pay.sandbox import card_outcome, payment_descriptor
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargePermissionType,
    ChargeState,
    CheckoutSessionState,
    PaymentIntent,
)
from harness.money import Money

__all__ = ["approve", "cancel_session", "sign_in", "with_session_id"]


def create_session(ledger: Ledger, *, store_id: str, web: WebCheckoutDetails,
                   payment: PaymentDetails | None = None,
                   merchant_metadata: MerchantMetadata | None = None,
                   charge_permission_type: ChargePermissionType = ChargePermissionType.ONE_TIME,
                   recurring_metadata: RecurringMetadata | None = None) -> CheckoutSession:
    """Create Checkout Session (§3): Open, expiring 24 h later (§2.1)."""
    payment = payment or PaymentDetails()
    if web.checkout_review_return_url is None and web.checkout_mode != "ProcessOrder":
        raise AmazonPayError("MissingParameterValue",
                             "The parameter 'webCheckoutDetails.checkoutReviewReturnUrl' is "
                             "required unless checkoutMode is 'ProcessOrder'.")
    _check_payment(ledger, payment)
    now = ledger.now()
    session = CheckoutSession(
        id=ledger.ids.checkout_session_id(), environment=ledger.ids.environment,
        created_at=now, updated_at=now, cause=Cause.SESSION_CREATED, store_id=store_id,
        expires_at=now + limits.CHECKOUT_SESSION_LIFETIME, web=web, payment=payment,
        merchant_metadata=merchant_metadata or MerchantMetadata(),
        charge_permission_type=charge_permission_type, recurring_metadata=recurring_metadata,
    )
    ledger.add(session)
    session.expiry = ledger.schedule(session.expires_at,
                                     f"CheckoutSession {session.id} expires (24 h)",
                                     lambda: _expire(ledger, session))
    return session


def update_session(ledger: Ledger, session: CheckoutSession, *,
                   web: WebCheckoutDetails | None = None, payment: PaymentDetails | None = None,
                   merchant_metadata: MerchantMetadata | None = None,
                   recurring_metadata: RecurringMetadata | None = None) -> CheckoutSession:
    """Update Checkout Session (§3): Open and not yet approved only (D-COMPLETE-BEFORE-APPROVAL)."""
    if session.state != CheckoutSessionState.OPEN or session.approved:
        raise wrong_state("InvalidCheckoutSessionStatus", "Checkout Session",
                          _shown_state(session), "Update Checkout Session")
    if payment is not None:
        _check_payment(ledger, payment)
        session.payment = payment
    session.web = web or session.web
    session.merchant_metadata = merchant_metadata or session.merchant_metadata
    session.recurring_metadata = recurring_metadata or session.recurring_metadata
    session.updated_at = ledger.now()
    return session


def complete_session(ledger: Ledger, session: CheckoutSession, charge_amount: Money,
                     total_order_amount: Money | None = None) -> CheckoutSession:
    """Complete Checkout Session (§2.1): amounts must match (409); 422 InvalidCheckoutSessionStatus in
    the wrong state, a Canceled session included (D-COMPLETE-BEFORE-APPROVAL)."""
    if session.state != CheckoutSessionState.OPEN or not session.approved:
        raise wrong_state("InvalidCheckoutSessionStatus", "Checkout Session",
                          _shown_state(session), "Complete Checkout Session")
    expected = session.payment.charge_amount
    assert expected is not None
    check_amount(charge_amount, expected.currency, "chargeAmount")
    if charge_amount != expected or total_order_amount != session.payment.total_order_amount:
        raise AmazonPayError("AmountMismatch",
                             f"The amount {charge_amount.to_wire()} does not match the amount "
                             f"{expected.to_wire()} of Checkout Session {session.id}.")
    if session.expiry is not None:
        session.expiry.cancel()
    ledger.transition(session, Cause.SESSION_COMPLETED)
    if session.payment.payment_intent is PaymentIntent.AUTHORIZE_WITH_CAPTURE:
        assert session.charge_id is not None
        charge = ledger.charge(session.charge_id)
        charge.capture_on_authorization = True
        permission = ledger.permission(session.charge_permission_id or "")
        # a permission closed before Complete (operator close) keeps the authorization uncaptured:
        # Complete has already succeeded and must not answer an error (D-OPERATOR-CLOSE)
        if (charge.charge_state is ChargeState.AUTHORIZED
                and permission.state != ChargePermissionState.CLOSED):
            capture(ledger, charge, charge.charge_amount, session.payment.soft_descriptor)
    return session


def with_session_id(url: str, session_id: str) -> str:
    """`url` with `amazonCheckoutSessionId` appended to its query, as Amazon sends the buyer back (§9.8)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}amazonCheckoutSessionId={session_id}"


def sign_in(ledger: Ledger, session: CheckoutSession, buyer: Buyer) -> None:
    """The buyer signs in on Amazon's page: removes the BuyerNotAssociated constraint."""
    _require_open_for_buyer(session, "sign in")
    session.buyer = buyer
    session.updated_at = ledger.now()
    ledger.note("buyer", f"signed in to Checkout Session {session.id}")


def approve(ledger: Ledger, session: CheckoutSession, card_suffix: str = "1111") -> None:
    """The buyer pays on Amazon's page with a simulated card (§6.1, D-AUTH-AT-APPROVAL)."""
    _require_open_for_buyer(session, "approve the payment")
    if session.approved:
        raise SimulationError(f"the buyer already approved Checkout Session {session.id}")
    if session.constraints:
        raise SimulationError(
            f"the buyer cannot pay yet: Checkout Session {session.id} still has the constraints "
            f"{', '.join(session.constraints)}; sign the buyer in and let the merchant set "
            "chargeAmount, paymentIntent and checkoutResultReturnUrl first")
    outcome = card_outcome(card_suffix)
    intent = session.payment.payment_intent
    if outcome.authorization.pending and not (
            intent is PaymentIntent.AUTHORIZE and session.payment.can_handle_pending_authorization):
        raise SimulationError(
            f"card ****{card_suffix} simulates a pending authorization and needs "
            "paymentIntent=Authorize with canHandlePendingAuthorization=true (§6.1)")
    ledger.note("buyer", f"paid on Amazon's page with card ****{card_suffix}")
    if outcome.session_cause is not None:  # D-CHECKOUT-DECLINE-NO-PERMISSION
        cancel_session(ledger, session, outcome.session_cause)
        return
    session.payment_descriptor = payment_descriptor(card_suffix)
    permission = create_permission(ledger, session, session.payment_descriptor)
    session.charge_permission_id = permission.id
    if intent is not PaymentIntent.CONFIRM:
        assert session.payment.charge_amount is not None
        charge = authorize(ledger, permission, session.payment.charge_amount, capture_now=False,
                           can_handle_pending=session.payment.can_handle_pending_authorization,
                           soft_descriptor=None, outcome=outcome.authorization,
                           merchant_metadata=session.merchant_metadata)
        session.charge_id = charge.id


def cancel_by_buyer(ledger: Ledger, session: CheckoutSession) -> None:
    """The buyer cancels on Amazon's page (returns to the merchant): Canceled/BuyerCanceled."""
    _require_open_for_buyer(session, "cancel")
    if session.approved:
        raise SimulationError(f"the buyer already approved Checkout Session {session.id}; "
                              "cancel it from Seller Central or let it expire instead")
    ledger.note("buyer", f"canceled on Amazon's page (Checkout Session {session.id})")
    cancel_session(ledger, session, Cause.BUYER_CANCELED_CHECKOUT)


def _check_payment(ledger: Ledger, payment: PaymentDetails) -> None:
    for path, amount in (("paymentDetails.chargeAmount", payment.charge_amount),
                         ("paymentDetails.totalOrderAmount", payment.total_order_amount)):
        if amount is not None:
            check_amount(amount, ledger.currency, path)


def _require_open_for_buyer(session: CheckoutSession, action: str) -> None:
    if session.state != CheckoutSessionState.OPEN:
        raise SimulationError(f"the buyer cannot {action}: Checkout Session {session.id} is "
                              f"{session.state} ({session.reason})")


def _shown_state(session: CheckoutSession) -> str:
    return "Open (approved)" if session.approved and session.state == "Open" else session.state


def cancel_session(ledger: Ledger, session: CheckoutSession, cause: Cause) -> None:
    """End an Open session as Canceled for `cause`.

    When the buyer had already paid on Amazon's page, the permission ends as a checkout that was
    never completed and its authorization is voided (D-DROPOFF-DEADLINE).
    """
    if session.expiry is not None:
        session.expiry.cancel()
    ledger.transition(session, cause)
    if session.charge_permission_id is None:
        return
    permission = ledger.permission(session.charge_permission_id)
    if permission.state != ChargePermissionState.CLOSED:
        close_permission(ledger, permission, Cause.CHECKOUT_NEVER_COMPLETED,
                         open_charges_cause=Cause.AMAZON_CANCELED_CHARGE)


def _expire(ledger: Ledger, session: CheckoutSession) -> None:
    """24 h after creation (D-DROPOFF-DEADLINE)."""
    if session.state == CheckoutSessionState.OPEN:
        cancel_session(ledger, session, Cause.CHECKOUT_EXPIRED)
