"""Serve the handler to requests through responses, on Amazon's own hosts, like the httpx mount.

Every request to `pay-api.amazon.jp/.com/.eu` (any scheme or port) goes to the handler; a planned
timeout or dropped connection becomes `requests.ReadTimeout` / `requests.ConnectionError`; a
look-alike host fails with `requests.ConnectionError` naming the closest API host. Other hosts
pass through to the network, or are refused when `block_others` (D-WIRE-UNROUTED). The simulator's SNS host
serves the IPN signing certificate (D-IPN-CERTIFICATE).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
import responses

from harness.api.handler import ApiHandler
from harness.api.http import HttpRequest
from harness.api.routing import AMAZON_HOSTS, LOOKALIKE_HOST

__all__: list[str] = []

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ANY_URL = re.compile(".*")
_Answer = tuple[int, dict[str, str], bytes]
_Matcher = Callable[[requests.PreparedRequest], tuple[bool, str]]


def _host_is(kind: str, sns_host: str) -> _Matcher:
    """A responses matcher: the request's host is Amazon's, the SNS one, a look-alike, or another."""
    def matches(request: requests.PreparedRequest) -> tuple[bool, str]:
        host = (urlsplit(request.url or "").hostname or "").lower()
        found = ("amazon" if host in AMAZON_HOSTS else "sns" if host == sns_host
                 else "lookalike" if LOOKALIKE_HOST.search(host) else "other")
        return found == kind, f"the host {host} is not {kind}"
    return matches


def _http_request(request: requests.PreparedRequest) -> HttpRequest:
    body = request.body or b""
    return HttpRequest(request.method or "GET", request.url or "", list(request.headers.items()),
                       body.encode() if isinstance(body, str) else bytes(body))


def _forward(handler: ApiHandler, request: requests.PreparedRequest) -> _Answer:
    response = handler.answer(_http_request(request),
                              timeout=lambda message: requests.ReadTimeout(message, request=request),
                              dropped=lambda message: requests.ConnectionError(message, request=request))
    return response.status, dict(response.headers.items()), response.body


def _certificate(handler: ApiHandler, request: requests.PreparedRequest) -> _Answer:  # D-IPN-CERTIFICATE
    parts = urlsplit(request.url or "")
    status, body = handler.simulator.notifications.certificate_answer(
        parts.path + (f"?{parts.query}" if parts.query else ""))
    return status, {"content-type": "text/plain"}, body


def _refuse_lookalike(handler: ApiHandler, request: requests.PreparedRequest) -> _Answer:  # D-WIRE-UNROUTED
    raise requests.ConnectionError(handler.refuse_lookalike(_http_request(request)), request=request)


def requests_mock(handler: ApiHandler, *, block_others: bool) -> responses.RequestsMock:
    """A responses mock (not yet started) serving `handler` on the Amazon hosts."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    sns = handler.simulator.notifications.host
    for method in _METHODS:
        mock.add(responses.CallbackResponse(method, _ANY_URL, lambda request: _forward(handler, request),
                                            content_type=None,  # the handler's own content-type, alone
                                            match=[_host_is("amazon", sns)]))
        mock.add(responses.CallbackResponse(method, _ANY_URL, lambda request: _certificate(handler, request),
                                            match=[_host_is("sns", sns)]))
        mock.add(responses.CallbackResponse(method, _ANY_URL,
                                            lambda request: _refuse_lookalike(handler, request),
                                            match=[_host_is("lookalike", sns)]))
        if not block_others:
            mock.add(responses.PassthroughResponse(method, _ANY_URL, match=[_host_is("other", sns)]))
    return mock
