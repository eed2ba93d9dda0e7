"""The simulated clock: forward only, due events in order at their own time, each once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from harness.clock import ClockError, SimulatedClock, add_months

START = datetime(2026, 1, 5, tzinfo=UTC)


def test_due_events_fire_in_order_each_at_its_own_time() -> None:
    clock = SimulatedClock(START)
    seen: list[tuple[str, datetime]] = []
    def record(label: str) -> Callable[[], None]:
        return lambda: seen.append((label, clock.now()))

    for label, hours in (("late", 48), ("early", 1), ("same-as-early", 1)):
        clock.schedule(START + timedelta(hours=hours), label, record(label))
    clock.advance(timedelta(days=3))
    assert seen == [("early", START + timedelta(hours=1)),
                    ("same-as-early", START + timedelta(hours=1)),
                    ("late", START + timedelta(hours=48))]
    assert clock.now() == START + timedelta(days=3)


def test_an_event_fires_at_its_due_time_not_a_second_before() -> None:
    clock = SimulatedClock(START)
    fired: list[datetime] = []
    clock.schedule(START + timedelta(hours=24), "deadline", lambda: fired.append(clock.now()))
    clock.advance(timedelta(hours=23, minutes=59, seconds=59))
    assert fired == []
    clock.advance(timedelta(seconds=1))
    assert fired == [START + timedelta(hours=24)]


def test_events_fire_once_and_cancelled_events_never() -> None:
    clock = SimulatedClock(START)
    count = {"kept": 0, "cancelled": 0}
    clock.schedule(START + timedelta(seconds=1), "kept", lambda: count.__setitem__("kept", 1 + count["kept"]))
    event = clock.schedule(START + timedelta(seconds=1), "cancelled",
                           lambda: count.__setitem__("cancelled", 1))
    event.cancel()
    clock.advance(timedelta(seconds=5))
    clock.advance(timedelta(seconds=5))
    assert count == {"kept": 1, "cancelled": 0}
    assert clock.fired_count == 1


def test_an_event_scheduled_by_an_event_within_the_jump_also_fires() -> None:
    clock = SimulatedClock(START)
    fired: list[str] = []

    def first() -> None:
        fired.append("first")
        clock.schedule(clock.now() + timedelta(hours=1), "second", lambda: fired.append("second"))

    clock.schedule(START + timedelta(hours=1), "first", first)
    clock.advance(timedelta(hours=3))
    assert fired == ["first", "second"]


def test_the_clock_refuses_to_go_back_or_take_naive_times() -> None:
    clock = SimulatedClock(START)
    clock.advance(timedelta(hours=1))
    with pytest.raises(ClockError, match="only moves forward"):
        clock.advance_to(START)
    with pytest.raises(ClockError, match="negative"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ClockError, match="naive"):
        clock.advance_to(datetime(2027, 1, 1))


def test_listeners_see_every_move_including_each_due_event() -> None:
    clock = SimulatedClock(START)
    moves: list[datetime] = []
    unsubscribe = clock.on_move(moves.append)
    clock.schedule(START + timedelta(hours=2), "x", lambda: None)
    clock.advance(timedelta(hours=5))
    unsubscribe()
    clock.advance(timedelta(hours=1))
    assert moves == [START, START + timedelta(hours=2), START + timedelta(hours=5)]


@pytest.mark.parametrize(("start", "months", "expected"), [
    (datetime(2026, 1, 5, 12, tzinfo=UTC), 13, datetime(2027, 2, 5, 12, tzinfo=UTC)),
    (datetime(2026, 1, 31, tzinfo=UTC), 13, datetime(2027, 2, 28, tzinfo=UTC)),
    (datetime(2027, 1, 31, tzinfo=UTC), 13, datetime(2028, 2, 29, tzinfo=UTC)),
    (datetime(2026, 12, 15, tzinfo=UTC), 13, datetime(2028, 1, 15, tzinfo=UTC)),
])
def test_thirteen_months_is_calendar_arithmetic(start: datetime, months: int,
                                                expected: datetime) -> None:
    assert add_months(start, months) == expected
