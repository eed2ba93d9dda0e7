"""Amounts with their currency, as Amazon Pay handles them (docs/reference/amazon-pay-v2.md §1.0, §9).

Money is a `Decimal` with an ISO 4217 code, never a float. JPY has no minor unit: `"705.00"` JPY
is rejected, and JPY amounts are written as integer strings (`"500"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from harness.errors import HarnessError

__all__ = ["MINOR_UNITS", "PLAIN_NUMBER", "Money", "MoneyFormatError", "money_max", "money_min"]

MINOR_UNITS: dict[str, int] = {"JPY": 0, "USD": 2, "EUR": 2, "GBP": 2}
"""Decimal places per supported currency (ISO 4217)."""

PLAIN_NUMBER = re.compile(r"^-?[0-9]{1,18}(\.[0-9]{1,18})?$")
"""A plain decimal number: ASCII digits, at most 18 before and after the point (far above any
Amazon Pay amount, and within what a Decimal holds exactly)."""


class MoneyFormatError(HarnessError, ValueError):
    """An amount or currency that Amazon Pay would reject as an invalid value."""


@dataclass(frozen=True, order=False, slots=True)
class Money:
    """An amount in one currency; arithmetic is only defined within one currency."""

    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, value: object, currency: object) -> Money:
        """Read a request amount given as a string or a JSON number, checking the minor unit."""
        if not isinstance(currency, str) or currency not in MINOR_UNITS:
            raise MoneyFormatError(f"unsupported currency {currency!r}")
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise MoneyFormatError(f"amount {value!r} is not a number")
        text = str(value).strip()
        if not PLAIN_NUMBER.match(text):
            raise MoneyFormatError(f"amount {value!r} is not a plain decimal number")
        try:
            amount = Decimal(text)
        except InvalidOperation as error:  # pragma: no cover - the regex already guards this
            raise MoneyFormatError(f"amount {value!r} is not a number") from error
        places = len(text.partition(".")[2])
        if places > MINOR_UNITS[currency] or (MINOR_UNITS[currency] == 0 and "." in text):
            raise MoneyFormatError(
                f"amount {text} has more decimals than {currency} allows ({MINOR_UNITS[currency]})"
            )
        return cls(amount, currency)

    @classmethod
    def of(cls, amount: int | str | Decimal, currency: str = "JPY") -> Money:
        """Build an amount from trusted code (tests, defaults); validates like `parse`."""
        return cls.parse(amount, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in `currency`."""
        return cls(Decimal(0), currency)

    def to_wire(self) -> str:
        """The amount as Amazon writes it: `"500"` for JPY, `"14.00"` for USD."""
        quantum = Decimal(1).scaleb(-MINOR_UNITS[self.currency])
        return str(self.amount.quantize(quantum))

    def to_json(self) -> dict[str, str]:
        """The `Price` object of docs/reference/amazon-pay-v2.md §1.0."""
        return {"amount": self.to_wire(), "currencyCode": self.currency}

    def percent(self, percent: int | Decimal) -> Money:
        """`percent` % of this amount, rounded down to the currency's minor unit [decision D-ROUND]."""
        quantum = Decimal(1).scaleb(-MINOR_UNITS[self.currency])
        raw = self.amount * Decimal(percent) / Decimal(100)
        return Money(raw.quantize(quantum, rounding=ROUND_DOWN), self.currency)

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __str__(self) -> str:
        if self.currency == "JPY":
            return f"¥{self.amount:,.0f}"
        return f"{self.to_wire()} {self.currency}"

    def _same(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyFormatError(f"cannot combine {self.currency} with {other.currency}")
        return other


def money_max(first: Money, second: Money) -> Money:
    """The larger of two amounts of one currency."""
    return first if first >= second else second


def money_min(first: Money, second: Money) -> Money:
    """The smaller of two amounts of one currency."""
    return first if first <= second else second
