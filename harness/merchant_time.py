"""Keep the merchant's `datetime.now()` and `time.time()` on the simulated clock, with freezegun.

Starting freezegun patches every imported module and costs milliseconds (more with every module
imported), so it is started once per process (per pytest worker) and then only moved, which costs
microseconds. `MerchantTime.follow(clock)` makes the merchant's time follow one simulator's clock
until the returned handle is released. While no clock is followed (before and after each
simulator test) freezegun stays installed but passes through: `time.time()`, `time.monotonic()`,
`datetime.now(tz)` and `date.today()` read the real clock, so the shop's ordinary tests see real
time. (freezegun has no public pause; the two slots of its stacks that our patch owns are swapped
for a real clock and for an ignore-everything list, and swapped back on the next `follow`.)

asyncio event loops keep the real monotonic clock (`real_asyncio`): a server in the same process
(`harness serve` in a thread, a shop's async code) must still wake from `asyncio.sleep` and its
timers while the merchant's wall clock is frozen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import freezegun.api as freezegun_api
from freezegun import freeze_time

from harness.clock import SimulatedClock

__all__ = ["MerchantTime", "wall_clock"]


def wall_clock() -> datetime:
    """The real time, also while merchant time is frozen.

    Read through the `freezegun.api` module at each call: freezegun, when it starts, replaces every
    module's reference to the real `datetime` class (an imported `real_datetime` too) except its own.
    """
    return freezegun_api.real_datetime.now(UTC)

_EVERY_MODULE = ("",)
"""An ignore list every module name starts with: freezegun answers the real time to every caller."""


class _RealClock:
    """A freezegun time factory that reads the real clock (naive UTC, as freezegun keeps time)."""

    def __call__(self) -> datetime:
        return wall_clock().replace(tzinfo=None)


class _Following:
    """A link from the merchant's time to one clock; `release()` ends it and restores real time."""

    def __init__(self, unsubscribe: Callable[[], None]) -> None:
        self._unsubscribe: Callable[[], None] | None = unsubscribe

    def release(self) -> None:
        """Stop following the clock; the merchant's time is real again."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
            MerchantTime.pause()

    def __enter__(self) -> _Following:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class MerchantTime:
    """The process-wide freezegun patch, started once and moved with the simulated clock."""

    _lock = threading.Lock()
    _factory: Any = None
    _freezer: Any = None
    _slot = -1
    """Where our patch sits in freezegun's stacks of factories and ignore lists."""
    _ignore: tuple[str, ...] = ()
    starts = 0
    """How many times freezegun was started in this process (1 after first use)."""

    @classmethod
    def follow(cls, clock: SimulatedClock) -> _Following:
        """Make merchant code see `clock`'s time from now on."""
        cls.move_to(clock.now())
        return _Following(clock.on_move(cls.move_to))

    @classmethod
    def move_to(cls, moment: datetime) -> None:
        """Put the merchant's clock at `moment` (starting freezegun if needed, resuming it if paused)."""
        cls._ensure_started(moment)
        cls._swap(cls._factory, cls._ignore)
        cls._factory.move_to(moment)

    @classmethod
    def pause(cls) -> None:
        """Let every caller read the real clock again, leaving the patch in place (microseconds)."""
        cls._swap(_RealClock(), _EVERY_MODULE)

    @classmethod
    def paused(cls) -> bool:
        """Whether the patch is in place but reading the real clock."""
        return cls.active() and freezegun_api.freeze_factories[cls._slot] is not cls._factory

    @classmethod
    def stop(cls) -> None:
        """Undo the patch (at the end of a test session)."""
        with cls._lock:
            if cls._freezer is not None:
                cls._swap(cls._factory, cls._ignore)
                cls._freezer.stop()
                cls._freezer = cls._factory = None

    @classmethod
    def active(cls) -> bool:
        """Whether freezegun is currently started by this class."""
        return cls._freezer is not None

    @classmethod
    def _swap(cls, factory: Any, ignore: tuple[str, ...]) -> None:
        if cls._freezer is not None:
            freezegun_api.freeze_factories[cls._slot] = factory
            freezegun_api.ignore_lists[cls._slot] = ignore

    @classmethod
    def _ensure_started(cls, moment: datetime) -> None:
        if cls._freezer is not None:
            return
        with cls._lock:
            if cls._freezer is None:
                freezer = freeze_time(moment, tick=False, real_asyncio=True)
                cls._slot = len(freezegun_api.freeze_factories)
                cls._factory = freezer.start()
                cls._ignore = freezegun_api.ignore_lists[cls._slot]
                cls._freezer = freezer
                cls.starts += 1
