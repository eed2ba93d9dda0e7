"""Values for the explored actions, by the kind each parameter declares, written as a scenario writes them.

Amounts lie inside Amazon's limits and on their edges (docs/reference/amazon-pay-v2.md §2), durations
on either side of every deadline (the 24-hour checkout, the 7-day synchronous capture, the 30-day
authorization, the 180-day and 13-month permission), cards are the sandbox table's, reasons the
decline reasons. Each list starts with the plainest value, which is where hypothesis shrinks to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from hypothesis import strategies as st

from harness.amazon_pay.limits import (
    ALLOW_OVERCHARGE_FLOOR,
    AUTHORIZATION_VALIDITY,
    CHECKOUT_SESSION_LIFETIME,
    MAX_JPY_AMOUNT,
    ONE_TIME_PERMISSION_LIFETIME,
    PERMISSION_EXTENDED_LIFETIME_MONTHS,
    REFUND_OVER_CAPTURE_CAP,
    SYNCHRONOUS_CAPTURE_WINDOW,
)
from harness.amazon_pay.sandbox import CARD_OUTCOMES, DECLINE_CAUSES
from harness.amazon_pay.states import PaymentIntent
from harness.scenario.parsing import ANCHOR_WORDS
from harness.vocabulary.declarations import Argument
from harness.vocabulary.values import AMOUNT, ANCHOR, CARD, COUNT, DURATION, FLAG, INTENT, REASON, Value

__all__ = ["DEADLINES", "TEXTS", "value_strategy"]

YamlValue = str | int | bool

ORDER_AMOUNT = 5000
"""The plainest order: ¥5,000."""


def _jpy(amount: int) -> str:
    return f"{amount:,} JPY"


def _amount_edges() -> list[int]:
    top = int(MAX_JPY_AMOUNT.amount)
    floor = int(ALLOW_OVERCHARGE_FLOOR["JPY"].amount)
    refund_cap = int(REFUND_OVER_CAPTURE_CAP["JPY"].amount)
    return [ORDER_AMOUNT, 1000, ORDER_AMOUNT - 1, ORDER_AMOUNT + 1, ORDER_AMOUNT * 115 // 100,
            ORDER_AMOUNT * 115 // 100 + 1, ORDER_AMOUNT + refund_cap, 1, floor, floor + 1, top, top + 1]


def _duration(delta: timedelta) -> str:
    """A whole number of hours (under two days) or days, as QA writes it."""
    hours = int(delta.total_seconds()) // 3600
    return f"{hours} hours" if delta < timedelta(days=2) else f"{delta.days} days"


def _around(written: str) -> list[str]:
    return [written, f"{written} minus 1 second", f"{written} 1 second"]


DEADLINES: tuple[str, ...] = (
    _duration(CHECKOUT_SESSION_LIFETIME), _duration(SYNCHRONOUS_CAPTURE_WINDOW),
    _duration(AUTHORIZATION_VALIDITY), _duration(ONE_TIME_PERMISSION_LIFETIME),
    f"{PERMISSION_EXTENDED_LIFETIME_MONTHS} months")
"""Every deadline Amazon applies to an order (docs/reference/amazon-pay-v2.md §2.1-§2.3), as a duration."""

_DURATIONS = ["1 hour", *(value for deadline in DEADLINES for value in _around(deadline))]

TEXTS: Mapping[str, list[str]] = {
    AMOUNT.name: [_jpy(amount) for amount in _amount_edges()],
    DURATION.name: _DURATIONS,
    CARD.name: list(CARD_OUTCOMES),
    REASON.name: [str(reason) for reason in DECLINE_CAUSES],
    ANCHOR.name: [word for word in ANCHOR_WORDS if word.isascii()],
    INTENT.name: [str(intent) for intent in (PaymentIntent.AUTHORIZE, PaymentIntent.AUTHORIZE_WITH_CAPTURE,
                                             PaymentIntent.CONFIRM)],
}


_STRATEGIES: Mapping[str, st.SearchStrategy[YamlValue]] = {
    **{name: st.sampled_from(values) for name, values in TEXTS.items()},
    COUNT.name: st.integers(1, 2),
    FLAG.name: st.booleans(),
}


def value_strategy(argument: Argument) -> st.SearchStrategy[YamlValue | None] | None:
    """Values for `argument` (None among them when it is optional); None when its kind has no strategy."""
    values = _STRATEGIES.get(argument.kind.name)
    if values is None:
        return None
    if argument.required:
        return values
    if argument.option is not None:  # a checkout option: one checkout in four sets it
        return st.sampled_from([False, False, False, True]).flatmap(
            lambda chosen: (st.just(True) if argument.kind.name == FLAG.name else values) if chosen
            else st.none())
    return st.none() | values


def explorable(kind: Value) -> bool:
    """Whether values of `kind` can be drawn."""
    return kind.name in _STRATEGIES
