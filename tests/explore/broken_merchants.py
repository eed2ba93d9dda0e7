"""Broken variants of the reference merchant, each with one bug a real shop has had, for the explorer.

Each is a `MerchantFactory` (`tests.explore.broken_merchants:closed_means_failed`), so the printed
scenario can be run against it with the normal plugin.
"""

from __future__ import annotations

from harness.amazon_pay.states import ChargePermissionState
from harness.merchant.adapter import OrderStatus
from harness.merchant.client import AmazonPayApiError
from harness.merchant.reference import ReferenceMerchant, reference_merchant
from harness.money import Money
from harness.simulator import Simulator


class ClosedMeansFailed(ReferenceMerchant):
    """Its reconciliation takes any Closed permission for a failed checkout: a fraud close looks like a
    drop-off."""

    def _reconcile(self, order):  # type: ignore[no-untyped-def]
        super()._reconcile(order)
        permission_id = order.record.charge_permission_id
        if permission_id is None:
            return
        try:
            permission = self.client.get_charge_permission(permission_id)
        except AmazonPayApiError:
            return
        if permission["statusDetails"]["state"] == ChargePermissionState.CLOSED:
            order.record.status = OrderStatus.FAILED


class RetryingCapturer(ReferenceMerchant):
    """Retries a capture that got an error at once, twice, each time under a new idempotency key (its
    client does not retry on its own, under the same key, as the reference merchant's does)."""

    def capture(self, order_id: str, amount: Money | None = None) -> None:
        for _ in range(3):
            errors = len(self._order(order_id).record.errors)
            super().capture(order_id, amount)
            if len(self._order(order_id).record.errors) == errors:
                return


def _rebuilt(kind: type[ReferenceMerchant], simulator: Simulator) -> ReferenceMerchant:
    reference = reference_merchant(simulator)
    return kind(reference.client, reference.store_id)


def closed_means_failed(simulator: Simulator) -> ReferenceMerchant:
    """The reference merchant with `ClosedMeansFailed`'s reconciliation."""
    return _rebuilt(ClosedMeansFailed, simulator)


def retrying_capturer(simulator: Simulator) -> ReferenceMerchant:
    """The reference merchant with `RetryingCapturer`'s capture, on a client that sends each call once."""
    merchant = _rebuilt(RetryingCapturer, simulator)
    merchant.client.retries = 0
    return merchant
