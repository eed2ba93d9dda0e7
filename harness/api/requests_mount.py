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
from harness.api.mounted import HostKind, Mounted

__all__: list[str] = []

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ANY_URL = re.compile(".*")
_Answer = tuple[int, dict[str, str], bytes]
_Matcher = Callable[[requests.PreparedRequest], tuple[bool, str]]
_Send = Callable[..., requests.Response]


def _host_is(kind: HostKind, current: Callable[[], Mounted | None]) -> _Matcher:
    """A responses matcher: the current mount takes this request's host as `kind`; for "other",
    also every request while no mount is active (it passes on, as if responses were not there)."""
    def matches(request: requests.PreparedRequest) -> tuple[bool, str]:
        mounted = current()
        if mounted is None:
            return kind == "other", "no simulator is mounted"
        if kind == "other" and mounted.block_others:
            return False, "other hosts are refused"
        found = mounted.kind_of(urlsplit(request.url or "").hostname)
        return found == kind, f"the host is {found}"
    return matches


def _current_handler(current: Callable[[], Mounted | None]) -> ApiHandler:
    mounted = current()
    assert mounted is not None, "matched while mounted"
    return mounted.handler


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


def process_mock(current: Callable[[], Mounted | None], beneath: _Send) -> responses.RequestsMock:
    """The process's one responses mock (not yet started), answering for `current()`: Amazon's
    hosts, its SNS host and look-alikes; other hosts (every host while none is mounted) go on to
    `beneath`, the `HTTPAdapter.send` it patches over, unless the mount blocks them."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=beneath)
    for method in _METHODS:
        mock.add(responses.CallbackResponse(
            method, _ANY_URL, lambda request: _forward(_current_handler(current), request),
            content_type=None,  # the handler's own content-type, alone
            match=[_host_is("amazon", current)]))
        mock.add(responses.CallbackResponse(
            method, _ANY_URL, lambda request: _certificate(_current_handler(current), request),
            match=[_host_is("sns", current)]))
        mock.add(responses.CallbackResponse(
            method, _ANY_URL, lambda request: _refuse_lookalike(_current_handler(current), request),
            match=[_host_is("lookalike", current)]))
        mock.add(responses.PassthroughResponse(method, _ANY_URL, match=[_host_is("other", current)]))
    return mock


def forget_calls(mock: responses.RequestsMock) -> None:
    """Drop the calls `mock` recorded (it lives for the process; its records must not)."""
    mock.calls.reset()
    for registered in mock.registered():
        registered.calls.reset()
