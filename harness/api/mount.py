"""The simulator on Amazon's hosts in-process, for httpx (respx) and requests (responses) at once.

`WireMock` is what `Simulator.mock()` returns: a context manager and a decorator that, while
active, answers every request either client sends to `pay-api.amazon.jp/.com/.eu` from the one
handler, serves the IPN signing certificate on the simulator's SNS host, refuses look-alike
hosts, and lets other hosts (a shop's inventory service on 127.0.0.1) through, unless
`other_hosts="block"` (D-WIRE-UNROUTED).
"""

from __future__ import annotations

from contextlib import ContextDecorator
from typing import Literal

import requests.adapters
import responses
import respx

from harness.api.handler import ApiHandler
from harness.api.httpx_mount import process_router
from harness.api.mounted import MOUNTS, Mounted
from harness.api.requests_mount import forget_calls, process_mock

__all__ = ["OtherHosts", "WireMock"]

OtherHosts = Literal["pass", "block"]

_KEPT_CALLS = 500
"""How many calls the process's mocks record before they forget them (respx and responses record
every call; the mocks live for the process, their records must not pile up)."""


class _ProcessMounts:
    """The process's respx router and responses mock, started on the first mount and left started.

    Starting respx's and responses' patches for every test cost ~0.5 ms of a test's setup; started
    once, they answer for the current mount (`MOUNTS`) and, with none active, for nothing: a request
    goes on to other respx routers or responses mocks, or out as if neither were there.
    """

    def __init__(self) -> None:
        self.router: respx.MockRouter | None = None
        self.requests: responses.RequestsMock | None = None
        self._send: object = None

    def ensure_started(self) -> None:
        """Start both, or again where something else removed them or patched over them (a test's own
        responses mock); respx can be stopped by force."""
        if self.router is None:
            self.router = process_router(MOUNTS.current)
        if self.router.Mocker is None or self.router not in self.router.Mocker.routers:
            self.router.start()
        if self.requests is None or requests.adapters.HTTPAdapter.send is not self._send:
            # on top of whatever is there (a test's own responses mock): ours answers Amazon's hosts
            # and passes the others on to it, as when every mount started its own patch
            self.requests = process_mock(MOUNTS.current, requests.adapters.HTTPAdapter.send)
            self.requests.start()
            self._send = requests.adapters.HTTPAdapter.send

    def forget(self) -> None:
        """Drop the calls recorded once there are many."""
        if self.router is not None and len(self.router.calls) > _KEPT_CALLS:
            self.router.reset()
        if self.requests is not None and len(self.requests.calls) > _KEPT_CALLS:
            forget_calls(self.requests)


_PROCESS = _ProcessMounts()


class WireMock(ContextDecorator):
    """The handler mounted for httpx and requests while the block (or decorated call) runs.

    Mounts nest: the innermost active one answers. Entering one costs microseconds (the process's
    respx router and responses mock stay started and answer for the current mount only).
    """

    def __init__(self, handler: ApiHandler, other_hosts: OtherHosts = "pass") -> None:
        if other_hosts not in ("pass", "block"):
            raise ValueError(f"other_hosts is 'pass' or 'block', not {other_hosts!r}")
        self.handler = handler
        self.other_hosts = other_hosts
        self._active: list[Mounted] = []

    def __enter__(self) -> WireMock:
        _PROCESS.ensure_started()
        mounted = Mounted(self.handler, block_others=self.other_hosts == "block")
        MOUNTS.push(mounted)
        self._active.append(mounted)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if MOUNTS.pop(self._active.pop()):
            _PROCESS.forget()
