"""Which handler the process's mounts answer for now, and which kind of host a request is for.

The httpx and requests mounts are built once per process and answer for the innermost active
`WireMock` (`sim.mock()`, the pytest fixture): entering one pushes its handler here, leaving it
pops it. With none active they answer nothing: every request goes where it would unmounted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from harness.api.handler import ApiHandler
from harness.api.routing import AMAZON_HOSTS, LOOKALIKE_HOST

__all__: list[str] = []

HostKind = Literal["amazon", "sns", "lookalike", "other"]


@dataclass(frozen=True)
class Mounted:
    """One active mount: the handler answering Amazon's hosts, and what happens to other hosts."""

    handler: ApiHandler
    block_others: bool

    def kind_of(self, host: str | None) -> HostKind:
        """Amazon's API host, the simulator's SNS host (D-IPN-CERTIFICATE), a look-alike
        (D-WIRE-UNROUTED), or another host."""
        host = (host or "").lower()
        if host in AMAZON_HOSTS:
            return "amazon"
        if host == self.handler.simulator.notifications.host:
            return "sns"
        return "lookalike" if LOOKALIKE_HOST.search(host) else "other"


class MountStack:
    """The active mounts of the process, innermost last (one lock: mounts are process-wide patches)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mounts: list[Mounted] = []

    def push(self, mounted: Mounted) -> None:
        """Make `mounted` the current one."""
        with self._lock:
            self._mounts.append(mounted)

    def pop(self, mounted: Mounted) -> bool:
        """Leave `mounted` (the latest entry of it); True when none is left."""
        with self._lock:
            for index in range(len(self._mounts) - 1, -1, -1):
                if self._mounts[index] is mounted:
                    del self._mounts[index]
                    break
            return not self._mounts

    def current(self) -> Mounted | None:
        """The innermost active mount, or None."""
        mounts = self._mounts
        return mounts[-1] if mounts else None


MOUNTS = MountStack()
"""The process's active mounts."""
