"""Simulated payment methods and authorization outcomes (docs/reference/amazon-pay-v2.md §6.1, §2.3)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.amazon_pay.causes import Cause
from harness.amazon_pay.states import ReasonCode

__all__ = ["CARD_OUTCOMES", "DECLINE_CAUSES", "AuthorizationOutcome", "payment_descriptor"]


@dataclass(frozen=True)
class AuthorizationOutcome:
    """How Amazon answers an authorization: at once or after a delay, and with what."""

    final: Cause
    pending: bool = False

    @property
    def declined(self) -> bool:
        """Whether the authorization ends Declined."""
        return self.final in DECLINE_CAUSES.values()


APPROVED = AuthorizationOutcome(Cause.AUTHORIZED)

DECLINE_CAUSES: dict[ReasonCode, Cause] = {
    ReasonCode.SOFT_DECLINED: Cause.SOFT_DECLINED,
    ReasonCode.HARD_DECLINED: Cause.HARD_DECLINED,
    ReasonCode.AMAZON_REJECTED: Cause.AMAZON_REJECTED_CHARGE,
    ReasonCode.PROCESSING_FAILURE: Cause.PROCESSING_FAILURE,
    ReasonCode.TRANSACTION_TIMED_OUT: Cause.TRANSACTION_TIMED_OUT,
}
"""The decline reasons of §2.3 and the cause each records."""


@dataclass(frozen=True)
class CheckoutOutcome:
    """What a simulated card does at checkout: cancel the session, or authorize somehow."""

    session_cause: Cause | None = None
    authorization: AuthorizationOutcome = APPROVED


CARD_OUTCOMES: dict[str, CheckoutOutcome] = {
    **{suffix: CheckoutOutcome() for suffix in ("1111", "0005", "4444", "9424", "0000")},
    "3064": CheckoutOutcome(session_cause=Cause.BUYER_CANCELED_CHECKOUT),
    "3434": CheckoutOutcome(session_cause=Cause.CHECKOUT_DECLINED),
    "0701": CheckoutOutcome(authorization=AuthorizationOutcome(Cause.AUTHORIZED, pending=True)),
    "4354": CheckoutOutcome(authorization=AuthorizationOutcome(Cause.HARD_DECLINED, pending=True)),
}
"""§6.1: the sandbox test-wallet card suffixes and their outcomes."""


def card_outcome(card_suffix: str) -> CheckoutOutcome:
    """The outcome of a simulated card, or a clear error naming the known suffixes."""
    try:
        return CARD_OUTCOMES[card_suffix]
    except KeyError:
        known = ", ".join(sorted(CARD_OUTCOMES))
        raise ValueError(
            f"unknown simulated card ending {card_suffix!r}; the sandbox knows {known} "
            "(docs/reference/amazon-pay-v2.md §6.1)"
        ) from None


def payment_descriptor(card_suffix: str) -> str:
    """`paymentPreferences[].paymentDescriptor` for a simulated card (§1.2 sample)."""
    return f"Visa ****{card_suffix} (Amazon Pay)"
