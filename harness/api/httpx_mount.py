"""Serve the handler to httpx through respx, on Amazon's own hosts (docs/reference/design.md idea 3).

Every request to `pay-api.amazon.jp/.com/.eu` (any scheme or port) goes to the handler; a planned
timeout or dropped connection becomes `httpx.ReadTimeout` / `httpx.RemoteProtocolError`. A
look-alike host (`pay-api.amazon.de`, `pay.amazon.com`, ...) fails like an unknown host does,
with `httpx.ConnectError`, but its message names the closest API host. Other hosts pass through
to the network, or are refused when `block_others` (D-WIRE-UNROUTED). The simulator's SNS host
(`sns.ap-northeast-1.amazonaws.com` for Japan) serves the IPN signing certificate (D-IPN-CERTIFICATE).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import httpx
import respx
from respx.models import AllMockedAssertionError, PassThrough

from harness.api.handler import ApiHandler
from harness.api.http import HttpRequest
from harness.api.mounted import Mounted

__all__: list[str] = []


def _http_request(request: httpx.Request) -> HttpRequest:
    return HttpRequest(request.method, str(request.url), request.headers.multi_items(), request.read())


def _forward(handler: ApiHandler, request: httpx.Request) -> httpx.Response:
    response = handler.answer(_http_request(request),
                              timeout=lambda message: httpx.ReadTimeout(message, request=request),
                              dropped=lambda message: httpx.RemoteProtocolError(message, request=request))
    # made for `request`: respx copies an answer that belongs to no request
    return httpx.Response(response.status, headers=list(response.headers.items()), content=response.body,
                          request=request)


def _certificate(handler: ApiHandler, request: httpx.Request) -> httpx.Response:  # D-IPN-CERTIFICATE
    status, body = handler.simulator.notifications.certificate_answer(request.url.raw_path.decode("ascii"))
    return httpx.Response(status, headers={"content-type": "text/plain"}, content=body)


def _refuse_lookalike(handler: ApiHandler, request: httpx.Request) -> httpx.Response:  # D-WIRE-UNROUTED
    raise httpx.ConnectError(handler.refuse_lookalike(_http_request(request)), request=request)


def process_router(current: Callable[[], Mounted | None]) -> respx.MockRouter:
    """The process's one respx router: it answers for `current()` (Amazon's hosts, its SNS host,
    look-alikes; other hosts pass or are refused), and for nothing while no mount is active.

    Started once and left started (entering and leaving respx's patches per test cost ~0.4 ms).
    Other respx routers a test starts have their say first on other hosts; while idle this one
    declines every request, so they answer it, or, with none started, it goes out unchanged.
    """
    # respx's "httpx" mocker wraps each client's transport: a request it passes goes to that
    # transport untouched (through a proxy too: the default "httpcore" mocker, left patched, broke
    # CONNECT tunnels by reading their authority-form target as a URL)
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True, using="httpx")

    def answer(request: httpx.Request) -> httpx.Response | httpx.Request | None:
        mounted = current()
        others = [other for other in (router.Mocker.routers if router.Mocker else ()) if other is not router]
        if mounted is None:  # idle: as if this router were not there
            return None if others else request
        kind = mounted.kind_of(request.url.host)
        if kind == "amazon":
            return _forward(mounted.handler, request)
        if kind == "sns":
            return _certificate(mounted.handler, request)
        if kind == "lookalike":
            return _refuse_lookalike(mounted.handler, request)
        if mounted.block_others:
            return None
        return _first_answer(others, request)

    # respx reads a side effect's signature on every request (for a `route` argument): read it once
    answer.__signature__ = inspect.signature(answer)  # type: ignore[attr-defined]
    router.route(name="amazon-pay-harness").mock(side_effect=answer)
    return router


def _first_answer(routers: list[respx.Router], request: httpx.Request) -> httpx.Response | httpx.Request:
    """What the first of `routers` that mocks `request` answers; the request (passed through) if none."""
    for other in routers:
        try:
            return other.handler(request)
        except AllMockedAssertionError:
            continue
        except PassThrough:
            break
    return request
