"""The API calls one simulator answered, kept for the living documentation (request and response).

`ApiHandler.handle` is the one place every request passes, so it appends each exchange here; the
exchange keeps references only (no copies, no formatting). A simulator has one log, shared by every
handler serving it (the in-process mounts and `harness serve`'s), so scenarios read every call.
`redacted` turns one into plain data
with the signature and the key id hidden, for a report a person may share.
"""

from __future__ import annotations

import re
import weakref
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from harness.api.http import HttpRequest, HttpResponse
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["Exchange", "ExchangeRecord", "exchange_log", "idempotency_key", "redacted"]

MAX_EXCHANGES = 500
"""How many exchanges a simulator keeps (the oldest go first): keeps a long scenario's memory bounded."""

MAX_BODY = 4000
"""Characters of a body kept in a report; the rest is cut with a note."""

REDACTED = "…redacted…"
DROPPED = "(no response: the connection was dropped or timed out)"
_SECRET_PARTS = re.compile(r"\b(PublicKeyId|Signature)=([^,\s]+)")
_SECRET_HEADERS = frozenset({"x-amz-pay-signature"})


@dataclass(frozen=True)
class Exchange:
    """One request and its answer (None: the simulator dropped the connection or timed out)."""

    at: datetime
    request: HttpRequest
    response: HttpResponse | None
    operation: str | None = None
    """The operation's SDK name (None: the request matched no route)."""


ExchangeLog = deque[Exchange]

_LOGS: weakref.WeakKeyDictionary[Simulator, ExchangeLog] = weakref.WeakKeyDictionary()


def exchange_log(simulator: Simulator) -> ExchangeLog:
    """The exchange log of `simulator`, shared by all its handlers (the newest `MAX_EXCHANGES`)."""
    log = _LOGS.get(simulator)
    if log is None:
        log = _LOGS[simulator] = ExchangeLog(maxlen=MAX_EXCHANGES)
    return log


def idempotency_key(exchange: Exchange) -> str | None:
    """The `x-amz-pay-idempotency-key` the request was sent with, if any."""
    value = exchange.request.headers.get(IDEMPOTENCY_HEADER)
    return value.strip() if value is not None else None


class ExchangeRecord(TypedDict):
    """An exchange as a report shows it."""

    at: str
    method: str
    path: str
    status: int | None
    request_headers: list[list[str]]
    request_body: str
    response_body: str


def redacted(exchange: Exchange) -> ExchangeRecord:
    """The exchange as plain data: `Authorization`'s PublicKeyId and Signature are hidden."""
    request, response = exchange.request, exchange.response
    return {
        "at": exchange.at.isoformat(),
        "method": request.method,
        "path": request.path,
        "status": response.status if response is not None else None,
        "request_headers": [[name, _hide(name, value)] for name, value in request.headers.items()],
        "request_body": _text(request.body),
        "response_body": _text(response.body) if response is not None else DROPPED,
    }


def _hide(name: str, value: str) -> str:
    if name.lower() in _SECRET_HEADERS:
        return REDACTED
    if name.lower() == "authorization":
        return _SECRET_PARTS.sub(lambda match: f"{match.group(1)}={REDACTED}", value)
    return value


def _text(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    return text if len(text) <= MAX_BODY else f"{text[:MAX_BODY]}… ({len(text) - MAX_BODY} more characters)"
