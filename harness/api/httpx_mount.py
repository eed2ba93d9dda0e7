"""Serve the handler to httpx through respx, on Amazon's own hosts (docs/reference/design.md idea 3).

Every request to `pay-api.amazon.jp/.com/.eu` (any scheme or port) goes to the handler; a planned
timeout or dropped connection becomes `httpx.ReadTimeout` / `httpx.RemoteProtocolError`. A
look-alike host (`pay-api.amazon.de`, `pay.amazon.com`, ...) fails like an unknown host does,
with `httpx.ConnectError`, but its message names the closest API host. Other hosts pass through
to the network, or are refused when `block_others` (D-WIRE-UNROUTED). The simulator's SNS host
(`sns.ap-northeast-1.amazonaws.com` for Japan) serves the IPN signing certificate (D-IPN-CERTIFICATE).
"""

from __future__ import annotations

import httpx
import respx

from harness.api.handler import ApiHandler
from harness.api.http import HttpRequest
from harness.api.routing import AMAZON_HOSTS, LOOKALIKE_HOST

__all__: list[str] = []


def _http_request(request: httpx.Request) -> HttpRequest:
    return HttpRequest(request.method, str(request.url), request.headers.multi_items(), request.read())


def _forward(handler: ApiHandler, request: httpx.Request) -> httpx.Response:
    response = handler.answer(_http_request(request),
                              timeout=lambda message: httpx.ReadTimeout(message, request=request),
                              dropped=lambda message: httpx.RemoteProtocolError(message, request=request))
    return httpx.Response(response.status, headers=list(response.headers.items()), content=response.body)


def _certificate(handler: ApiHandler, request: httpx.Request) -> httpx.Response:  # D-IPN-CERTIFICATE
    status, body = handler.simulator.notifications.certificate_answer(request.url.raw_path.decode("ascii"))
    return httpx.Response(status, headers={"content-type": "text/plain"}, content=body)


def _refuse_lookalike(handler: ApiHandler, request: httpx.Request) -> httpx.Response:  # D-WIRE-UNROUTED
    raise httpx.ConnectError(handler.refuse_lookalike(_http_request(request)), request=request)


def httpx_router(handler: ApiHandler, *, block_others: bool) -> respx.MockRouter:
    """A respx router serving `handler` on the Amazon hosts; other hosts pass or are refused."""
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=block_others)
    router.route(host__in=tuple(sorted(AMAZON_HOSTS)), name="amazon-pay-api").mock(
        side_effect=lambda request: _forward(handler, request))
    router.route(host=handler.simulator.notifications.host, name="sns-signing-certificate").mock(
        side_effect=lambda request: _certificate(handler, request))
    router.route(host__regex=LOOKALIKE_HOST, name="amazon-pay-lookalike").mock(
        side_effect=lambda request: _refuse_lookalike(handler, request))
    if not block_others:
        router.route(name="other-hosts").pass_through()
    return router
