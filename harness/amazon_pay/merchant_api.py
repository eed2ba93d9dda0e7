"""The operations of docs/reference/amazon-pay-v2.md §3 as the merchant calls them, without HTTP.

The wire layer parses Amazon's JSON into these calls and renders their results; scenarios and
tests may also call them directly.
"""

from __future__ import annotations

from harness.amazon_pay import charges, checkout, permissions, refunds
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import (
    Charge,
    ChargePermission,
    CheckoutSession,
    MerchantMetadata,
    PaymentDetails,
    RecurringMetadata,
    Refund,
    WebCheckoutDetails,
)
from harness.amazon_pay.sandbox import AuthorizationOutcome
from harness.amazon_pay.states import ChargePermissionType
from harness.money import Money

__all__ = ["MerchantApi"]


class MerchantApi:
    """Checkout Sessions, Charge Permissions, Charges and Refunds, as in §3."""

    def __init__(self, ledger: Ledger, default_store_id: str) -> None:
        self._ledger = ledger
        self.default_store_id = default_store_id

    def create_checkout_session(
        self, web: WebCheckoutDetails, payment: PaymentDetails | None = None, *,
        store_id: str | None = None, merchant_metadata: MerchantMetadata | None = None,
        charge_permission_type: ChargePermissionType = ChargePermissionType.ONE_TIME,
        recurring_metadata: RecurringMetadata | None = None,
    ) -> CheckoutSession:
        """Create Checkout Session."""
        return checkout.create_session(
            self._ledger, store_id=store_id or self.default_store_id, web=web, payment=payment,
            merchant_metadata=merchant_metadata, charge_permission_type=charge_permission_type,
            recurring_metadata=recurring_metadata)

    def get_checkout_session(self, session_id: str) -> CheckoutSession:
        """Get Checkout Session."""
        return self._ledger.session(session_id)

    def update_checkout_session(
        self, session_id: str, *, web: WebCheckoutDetails | None = None,
        payment: PaymentDetails | None = None, merchant_metadata: MerchantMetadata | None = None,
        recurring_metadata: RecurringMetadata | None = None,
    ) -> CheckoutSession:
        """Update Checkout Session."""
        return checkout.update_session(self._ledger, self._ledger.session(session_id), web=web,
                                       payment=payment, merchant_metadata=merchant_metadata,
                                       recurring_metadata=recurring_metadata)

    def complete_checkout_session(self, session_id: str, charge_amount: Money,
                                  total_order_amount: Money | None = None) -> CheckoutSession:
        """Complete Checkout Session (Finalize Checkout Session behaves the same here)."""
        return checkout.complete_session(self._ledger, self._ledger.session(session_id),
                                         charge_amount, total_order_amount)

    def get_charge_permission(self, permission_id: str) -> ChargePermission:
        """Get Charge Permission."""
        return self._ledger.permission(permission_id)

    def update_charge_permission(self, permission_id: str,
                                 merchant_metadata: MerchantMetadata | None) -> ChargePermission:
        """Update Charge Permission."""
        return permissions.update_by_merchant(self._ledger.permission(permission_id),
                                              self._ledger, merchant_metadata)

    def close_charge_permission(self, permission_id: str, closure_reason: str | None = None,
                                cancel_pending_charges: bool = False) -> ChargePermission:
        """Close Charge Permission."""
        return permissions.close_by_merchant(self._ledger, self._ledger.permission(permission_id),
                                             closure_reason, cancel_pending_charges)

    def create_charge(self, permission_id: str, charge_amount: Money, *, capture_now: bool = False,
                      can_handle_pending_authorization: bool = False,
                      soft_descriptor: str | None = None,
                      merchant_metadata: MerchantMetadata | None = None,
                      outcome: AuthorizationOutcome | None = None) -> Charge:
        """Create Charge; `outcome` forces Amazon's answer (sandbox simulation)."""
        permission = self._ledger.permission(permission_id)
        return charges.create_charge(
            self._ledger, permission, charge_amount, capture_now=capture_now,
            can_handle_pending_authorization=can_handle_pending_authorization,
            soft_descriptor=soft_descriptor, merchant_metadata=merchant_metadata,
            outcome=outcome or self._ledger.next_outcome(permission_id))

    def get_charge(self, charge_id: str) -> Charge:
        """Get Charge."""
        return self._ledger.charge(charge_id)

    def capture_charge(self, charge_id: str, capture_amount: Money,
                       soft_descriptor: str | None = None, *, asynchronous: bool = False) -> Charge:
        """Capture Charge; `asynchronous` forces CaptureInitiated (sandbox simulation)."""
        return charges.capture(self._ledger, self._ledger.charge(charge_id), capture_amount,
                               soft_descriptor, asynchronous=asynchronous)

    def cancel_charge(self, charge_id: str, cancellation_reason: str | None = None) -> Charge:
        """Cancel Charge."""
        return charges.cancel_charge(self._ledger, self._ledger.charge(charge_id),
                                     cancellation_reason)

    def create_refund(self, charge_id: str, refund_amount: Money,
                      soft_descriptor: str | None = None) -> Refund:
        """Create Refund."""
        return refunds.create_refund(self._ledger, self._ledger.charge(charge_id), refund_amount,
                                     soft_descriptor)

    def get_refund(self, refund_id: str) -> Refund:
        """Get Refund."""
        return self._ledger.refund(refund_id)
