"""The simulator on Amazon's hosts in-process, for httpx (respx) and requests (responses) at once.

`WireMock` is what `Simulator.mock()` returns: a context manager and a decorator that, while
active, answers every request either client sends to `pay-api.amazon.jp/.com/.eu` from the one
handler, serves the IPN signing certificate on the simulator's SNS host, refuses look-alike
hosts, and lets other hosts (a shop's inventory service on 127.0.0.1) through, unless
`other_hosts="block"` (D-WIRE-UNROUTED).
"""

from __future__ import annotations

from contextlib import ContextDecorator, ExitStack
from typing import Literal

from harness.api.handler import ApiHandler
from harness.api.httpx_mount import httpx_router
from harness.api.requests_mount import requests_mock

__all__ = ["OtherHosts", "WireMock"]

OtherHosts = Literal["pass", "block"]


class WireMock(ContextDecorator):
    """The handler mounted for httpx and requests while the block (or decorated call) runs."""

    def __init__(self, handler: ApiHandler, other_hosts: OtherHosts = "pass") -> None:
        if other_hosts not in ("pass", "block"):
            raise ValueError(f"other_hosts is 'pass' or 'block', not {other_hosts!r}")
        self.handler = handler
        self.other_hosts = other_hosts
        self._active: list[ExitStack] = []

    def __enter__(self) -> WireMock:
        block = self.other_hosts == "block"
        stack = ExitStack()
        stack.enter_context(httpx_router(self.handler, block_others=block))
        stack.enter_context(requests_mock(self.handler, block_others=block))
        self._active.append(stack)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._active.pop().close()
