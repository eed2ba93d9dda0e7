"""Serve the handler to httpx through respx, on Amazon's own hosts (docs/reference/design.md idea 3).

Every request to `pay-api.amazon.jp/.com/.eu` (any scheme or port) goes to the handler; a planned
timeout or dropped connection becomes `httpx.ReadTimeout` / `httpx.RemoteProtocolError`. A
look-alike host (`pay-api.amazon.de`, `pay.amazon.com`, ...) fails like an unknown host does,
with `httpx.ConnectError`, but its message names the closest API host. Anything else is not
mocked and respx refuses it: nothing passes through to the network.
"""

from __future__ import annotations

import re

import httpx
import respx

from harness.api.faults import SimulatedDisconnectError, SimulatedTimeoutError
from harness.api.handler import ApiHandler
from harness.api.http import HttpRequest
from harness.api.routing import AMAZON_HOSTS

__all__ = ["mount"]

LOOKALIKE_HOST = re.compile(r"(?i)^(?!.*\.amazonaws\.com$).*(pay.*amazon|amazon.*pay)")
"""Hosts that look like an Amazon Pay API host but are not one of `AMAZON_HOSTS`."""


def to_http_request(request: httpx.Request) -> HttpRequest:
    """The framework-free form of an httpx request."""
    return HttpRequest(request.method, str(request.url), request.headers.multi_items(),
                       request.read())


def _forward(handler: ApiHandler, request: httpx.Request) -> httpx.Response:
    try:
        response = handler.handle(to_http_request(request))
    except SimulatedTimeoutError as timeout:
        raise httpx.ReadTimeout(str(timeout), request=request) from timeout
    except SimulatedDisconnectError as drop:
        raise httpx.RemoteProtocolError(str(drop), request=request) from drop
    return httpx.Response(response.status, headers=list(response.headers.items()),
                          content=response.body)


def _refuse_lookalike(handler: ApiHandler, request: httpx.Request) -> httpx.Response:  # D-WIRE-UNROUTED
    explanation = handler.router.near_miss(to_http_request(request)) or "unknown host"
    handler.note_unrouted(explanation)
    raise httpx.ConnectError(f"{request.url.host} is not simulated: {explanation}", request=request)


def mount(handler: ApiHandler) -> respx.MockRouter:
    """A respx router (context manager and decorator) serving `handler` on the Amazon hosts."""
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
    router.route(host__in=tuple(sorted(AMAZON_HOSTS)), name="amazon-pay-api").mock(
        side_effect=lambda request: _forward(handler, request))
    router.route(host__regex=LOOKALIKE_HOST, name="amazon-pay-lookalike").mock(
        side_effect=lambda request: _refuse_lookalike(handler, request))
    return router
