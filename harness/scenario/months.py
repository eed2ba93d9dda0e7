"""A calendar month as a scenario names it ("January", "January 2026", "2026-01", "1月", "2026年1月").

A month without a year is the latest such month that has begun by the given moment; the month is
taken in Japan's time, as Seller Central Japan shows dates (docs/reference/amazon-pay-v2.md §8.4).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from harness.scenario.parsing import ScenarioValueError, normalize

__all__ = ["MONTH_EXAMPLES", "Month", "parse_month"]

JST = timezone(timedelta(hours=9), "JST")
MONTH_EXAMPLES = "January, January 2026, 2026-01, 1月, 2026年1月"

_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_EN = re.compile(r"(?P<name>[A-Za-z]+)(?:\s+(?P<year>\d{4}))?")
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")
_JA = re.compile(r"(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月")


@dataclass(frozen=True)
class Month:
    """A month of a year, or of whichever year makes it the latest one begun."""

    month: int
    year: int | None = None

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """[first instant, first instant of the next month) in JST."""
        local = now.astimezone(JST)
        year = self.year
        if year is None:
            year = local.year if self.month <= local.month else local.year - 1
        start = datetime(year, self.month, 1, tzinfo=JST)
        end = datetime(year + self.month // 12, self.month % 12 + 1, 1, tzinfo=JST)
        return start, end

    def label(self, now: datetime) -> str:
        """`January 2026`."""
        return f"{calendar.month_name[self.month]} {self.bounds(now)[0].year}"


def parse_month(text: str) -> Month:
    """Read a month in English, ISO or Japanese; ScenarioValueError says what is expected."""
    value = normalize(text)
    month: int | None = None
    year: str | None = None
    if found := _EN.fullmatch(value):
        month, year = _NAMES.get(found["name"].lower()), found["year"]
    elif found := _ISO.fullmatch(value) or _JA.fullmatch(value):
        month, year = int(found["month"]), found["year"]
    if month is None or not 1 <= month <= 12:
        raise ScenarioValueError(f"cannot read the month {text!r}: write it like {MONTH_EXAMPLES}")
    return Month(month, None if year is None else int(year))
