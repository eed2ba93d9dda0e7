"""The ASGI app: each request target goes to the Amazon Pay handler, the control API, or is refused.

By the target uvicorn hands over in `scope["raw_path"]`:

- `/_harness/...`: the control API (`harness.server.control`);
- `/seller-central...`, `/checkout/{id}` (and `/`): the pages a person clicks through
  (`harness.server.pages`);
- `/v2/...`, `/sandbox/v2/...`, `/live/v2/...` (origin form: a base URL override, or a request
  inside a CONNECT tunnel): the handler;
- `http(s)://pay-api.amazon.{jp,com,eu}/...` (absolute form: a client using the server as its
  HTTP proxy): the handler, with that URL;
- `/SimpleNotificationService-….pem`, also as `https://sns.<region>.amazonaws.com/…` or inside a
  CONNECT tunnel to that host: the IPN signing certificate (D-IPN-CERTIFICATE);
- `http(s)://127.0.0.1:N/...` or `localhost` (absolute form to the server itself): as the origin form;
- any other absolute URL: 403 with a text saying that nothing is forwarded.

The handler runs on the event loop, one request at a time (`harness.server.served`). After each
control call the notifications due are delivered (D-IPN-DELIVERY) on a worker thread, so the
shop's IPN handler can call the API back while the call waits for them. A planned
timeout keeps the client waiting (`holdSeconds`, default 30) and then drops the connection; a
planned dropped connection aborts it before any byte of an answer is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from harness.api.faults import SimulatedNetworkError, SimulatedTimeoutError
from harness.api.http import Headers, HttpRequest, HttpResponse
from harness.api.routing import AMAZON_HOSTS
from harness.notifications.signing import CERT_PATH_PREFIX, SNS_HOSTS
from harness.server.control import PREFIX, ControlApi
from harness.server.pages import Pages
from harness.server.protocol import current_connection, refusal_text
from harness.server.served import ServedSimulator

__all__: list[str] = []

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SELF_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send(send: Send, response: HttpResponse) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1"))
               for name, value in response.headers.lower_items() if name != "content-length"]
    headers.append((b"content-length", str(len(response.body)).encode("ascii")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _drop(receive: Receive) -> None:
    """Close the connection without an answer, and wait until uvicorn has seen it closed."""
    connection = current_connection()
    if connection is not None and connection.transport is not None:
        connection.transport.abort()
        while (await receive())["type"] != "http.disconnect":
            pass


class ServerApp:
    """The server's ASGI application over one served simulator."""

    def __init__(self, served: ServedSimulator, control: ControlApi) -> None:
        self.served = served
        self.control = control
        self.pages = Pages(served, control)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await _body(receive)
        target = scope["raw_path"].decode("latin-1")
        query = scope["query_string"].decode("latin-1")
        headers = Headers.from_raw(scope["headers"])
        method = scope["method"]
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host = (parts.hostname or "").lower()
            if host in SELF_HOSTS or host in SNS_HOSTS:
                target = parts.path or "/"
            elif host not in AMAZON_HOSTS:
                await _send(send, HttpResponse(403, [("content-type", "text/plain; charset=utf-8")],
                                               (refusal_text(target) + "\n").encode("utf-8")))
                return
        if target == PREFIX or target.startswith(PREFIX + "/"):
            status, payload = self.control.handle(method, target, body)
            await asyncio.to_thread(self.served.deliver_notifications)
            await _send(send, HttpResponse.from_json(status, payload))
            return
        if target.startswith(CERT_PATH_PREFIX):
            status, pem = self.served.simulator.notifications.certificate_answer(target)
            await _send(send, HttpResponse(status, [("content-type", "text/plain")], pem))
            return
        if Pages.serves(target):
            await _send(send, self.pages.answer(method, target, query, body))
            return
        url = f"{target}?{query}" if query else target
        try:
            response = self.served.handle(HttpRequest(method, url, headers, body))
        except SimulatedNetworkError as fault:
            if isinstance(fault, SimulatedTimeoutError):
                await asyncio.sleep(self.served.timeout_holds.get(fault.operation, self.served.timeout_hold))
            await _drop(receive)
            return
        await _send(send, response)

