"""Numeric limits of Amazon Pay v2 for Japan, each from the table in docs/reference/amazon-pay-v2.md §2.5.

The table names each limit's public page. The few it marks as not confirmed (the recurring lifetime,
refunds per charge) are applied as project decisions, cited where they are used; so is the availability
of `allowOvercharge` and `extendExpiration` (D-AMOUNT-LIMIT, docs/reference/README.md Corrections 1).
"""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal

from harness.money import Money

__all__ = ["AUTHORIZATION_VALIDITY", "SYNCHRONOUS_CAPTURE_WINDOW"]

CHECKOUT_SESSION_LIFETIME = timedelta(hours=24)
"""§2.1: `expirationTimestamp` = creation + 24 h; Canceled/Expired at that instant."""

ONE_TIME_PERMISSION_LIFETIME = timedelta(days=180)
"""§2.2: a OneTime Charge Permission expires 180 days after creation."""

PERMISSION_EXTENDED_LIFETIME_MONTHS = 13
"""§2.2: 13 months with `extendExpiration`, and for Recurring."""

AUTHORIZATION_VALIDITY = timedelta(days=30)
"""§2.3: an uncaptured authorization becomes Canceled/ExpiredUnused after 30 days."""

SYNCHRONOUS_CAPTURE_WINDOW = timedelta(days=7)
"""§2.3, §6.3: in Live a capture more than 7 days after authorization is asynchronous (CaptureInitiated)."""

MAX_CHARGES_PER_ONE_TIME_PERMISSION = 25
"""§2.2: up to 25 Charges per OneTime Charge Permission."""

MAX_REFUNDS_PER_CHARGE = 10
"""§2.4: at most 10 refunds per Charge."""

REFUND_OVER_CAPTURE_PERCENT = 15
REFUND_OVER_CAPTURE_CAP: dict[str, Money] = {
    "JPY": Money(Decimal(8400), "JPY"),
    "USD": Money(Decimal(75), "USD"),
    "EUR": Money(Decimal(75), "EUR"),
    "GBP": Money(Decimal(75), "GBP"),
}
"""§2.4: refunds may exceed the captured amount by min(15 %, ¥8,400 / 75 USD-EUR-GBP)."""

ALLOW_OVERCHARGE_PERCENT = 900
ALLOW_OVERCHARGE_FLOOR: dict[str, Money] = {
    "JPY": Money(Decimal(70000), "JPY"),
    "USD": Money(Decimal(500), "USD"),
    "EUR": Money(Decimal(500), "EUR"),
    "GBP": Money(Decimal(500), "GBP"),
}
"""§2.2: with allowOvercharge, amountLimit = max(900 % of the order, ¥70,000 / 500 USD-EUR-GBP)."""

MAX_JPY_AMOUNT = Money(Decimal(10_000_000), "JPY")
"""§2.3, §2.4, §9.3: largest chargeAmount / refundAmount in Japan."""

RECURRING_MONTHLY_LIMIT: dict[str, Money] = {
    "JPY": Money(Decimal(100_000), "JPY"),
    "USD": Money(Decimal(1_000), "USD"),
}
"""§2.6: what one Recurring Charge Permission may be charged per calendar month (JP ¥100,000, US
$1,000; the EU limit is not stated on a page we could read: none is applied)."""

MONTHLY_LIMIT_ZONE: dict[str, timezone] = {"JPY": timezone(timedelta(hours=9), "JST")}
"""D-RECURRING-MONTHLY-LIMIT: the calendar the month follows, by currency (Japan time for JPY; UTC
otherwise)."""
