"""One simulated clock per simulator, with an agenda of time-driven transitions.

The clock only moves forward. Every time-driven transition (a 24 h checkout expiry, a 30-day
authorization expiry, a 180-day permission expiry, a pending authorization resolving) is an entry
in an agenda sorted by its exact due time and a sequence number. Advancing pops only what is due,
in order, and applies each entry at its own timestamp, so a jump of 180 days costs as much as the
entries that fall due in it, not as much as the days or the objects it spans. A cancelled entry
leaves the agenda at once (O(log n)), so it costs nothing when its time passes.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sortedcontainers import SortedList

from harness.errors import HarnessError

__all__ = ["ClockError", "DueEvent", "SimulatedClock", "add_months"]

DEFAULT_START = datetime(2026, 1, 5, 0, 0, 0, tzinfo=UTC)
"""Where a clock starts when no start is given: a Monday, 09:00 JST, far from DST and month ends."""


class ClockError(HarnessError, ValueError):
    """Raised when the clock is asked to go back or is given a naive datetime."""


@dataclass(eq=False)
class DueEvent:
    """An entry of the agenda: what happens at `due`, described by `label`."""

    due: datetime
    label: str
    action: Callable[[], None] = field(repr=False)
    sequence: int = 0
    fired: bool = False
    cancelled: bool = False
    _withdraw: Callable[[DueEvent], None] | None = field(default=None, repr=False)

    def cancel(self) -> None:
        """Withdraw the entry; it will not fire (a no-op once it has fired)."""
        if self.fired or self.cancelled:
            return
        self.cancelled = True
        if self._withdraw is not None:
            self._withdraw(self)

    @property
    def key(self) -> tuple[datetime, int]:
        """Its place in the agenda: due time, then scheduling order."""
        return (self.due, self.sequence)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(f"naive datetime {moment!r}: pass a timezone-aware datetime (e.g. UTC)")
    return moment.astimezone(UTC)


class SimulatedClock:
    """A forward-only clock in UTC that applies due events in order as it moves."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _require_aware(start or DEFAULT_START)
        self._agenda: SortedList = SortedList(key=lambda event: event.key)
        self._sequence = itertools.count()
        self._listeners: list[Callable[[datetime], None]] = []
        self.fired_count = 0
        self.started_at = self._now
        """Where the clock started."""

    def now(self) -> datetime:
        """The current simulated time (timezone-aware UTC)."""
        return self._now

    def start_at(self, moment: datetime) -> datetime:
        """Set where the clock starts; only before it has moved or anything was scheduled."""
        moment = _require_aware(moment)
        if self._now != self.started_at or self._agenda or self.fired_count:
            raise ClockError(f"the clock can be set to start at {moment.isoformat()} only before anything "
                             f"happens; it is already {self._now.isoformat()} and things have happened")
        self.started_at = moment
        self._set(moment)
        return self._now

    def schedule(self, due: datetime, label: str, action: Callable[[], None]) -> DueEvent:
        """Put `action` on the agenda at `due`; an entry due now or earlier fires on the next move."""
        event = DueEvent(_require_aware(due), label, action, next(self._sequence),
                         _withdraw=self._agenda.remove)
        self._agenda.add(event)
        return event

    def pending(self) -> list[DueEvent]:
        """The entries still to fire, in the order they will fire."""
        return list(self._agenda)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` (zero is allowed, negative is not) and apply what falls due."""
        if delta < timedelta(0):
            raise ClockError(f"the clock only moves forward; got a negative duration {delta}")
        return self.advance_to(self._now + delta)

    def advance_to(self, target: datetime) -> datetime:
        """Move forward to `target`, applying every due entry at its own timestamp, in order."""
        target = _require_aware(target)
        if target < self._now:
            raise ClockError(
                f"the clock only moves forward: it is {self._now.isoformat()}, "
                f"cannot go back to {target.isoformat()}"
            )
        while self._agenda and self._agenda[0].due <= target:
            event: DueEvent = self._agenda.pop(0)
            if event.fired:
                raise ClockError(f"due event {event.label!r} would fire a second time")
            self._set(max(event.due, self._now))
            event.fired = True
            self.fired_count += 1
            event.action()
        self._set(target)
        return self._now

    def on_move(self, listener: Callable[[datetime], None]) -> Callable[[], None]:
        """Call `listener(now)` whenever the clock moves; returns a function that unsubscribes."""
        self._listeners.append(listener)
        listener(self._now)
        return lambda: self._listeners.remove(listener)

    def _set(self, moment: datetime) -> None:
        if moment != self._now:
            self._now = moment
            for listener in tuple(self._listeners):
                listener(moment)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, or that month's last day (decision D-MONTHS)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
