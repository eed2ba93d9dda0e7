"""The server's connections: uvicorn's h11 protocol, behind a first-request check for `CONNECT`.

uvicorn hands an ASGI app an absolute-form target as it is (h11: `scope["path"]` and
`scope["raw_path"]` are `https://pay-api.amazon.jp/v2/...`), so the forward-proxy form needs
nothing here. A `CONNECT` it cannot serve: h11 answers a 2xx to `CONNECT` by switching protocols,
and uvicorn's protocol then stops reading the connection; an ASGI app never gets the socket.

So `ProxyProtocol` is the protocol class uvicorn is given (`Config(http=...)`). It looks at the
first bytes of a connection. Anything but `CONNECT` is handed, bytes and transport, to uvicorn's
own `H11Protocol` (`transport.set_protocol`), which then runs the connection as usual. A
`CONNECT` request head is parsed by its own `h11.Connection`: to one of Amazon's API hosts (or an
SNS host, for the IPN signing certificate) on port 443 it answers `200 Connection Established`,
terminates TLS on the same transport with the server's leaf certificate
(`loop.start_tls(server_side=True)`), and gives the decrypted stream to a new `H11Protocol`, so
the requests inside the tunnel reach the same ASGI app (scheme `https`,
`Host: pay-api.amazon.jp`). Any other host or port is refused with `403` and a text saying that
nothing is forwarded. The parsing is h11's, the TLS asyncio's; this module only wires them.

Limits: only the first request of a connection may be `CONNECT` (clients open a new connection
to the proxy per tunnel); a TLS-over-TLS tunnel (`--tls` and `CONNECT` together) is not offered.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from contextvars import ContextVar
from typing import Any, ClassVar

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from harness.api.routing import AMAZON_HOSTS
from harness.notifications.signing import SNS_HOSTS

__all__ = ["ProxyProtocol", "protocol_class"]

logger = logging.getLogger("harness.server")

CONNECT = b"CONNECT "
TUNNEL_HOSTS = frozenset(AMAZON_HOSTS) | SNS_HOSTS
"""What a tunnel may be opened to: Amazon Pay's API hosts, and SNS's for the IPN signing certificate."""
TUNNEL_PORT = "443"

_CONNECTION: ContextVar[Connection | None] = ContextVar("harness_server_connection", default=None)


def current_connection() -> Connection | None:
    """The connection whose request the running ASGI task answers (for a planned dropped connection)."""
    return _CONNECTION.get()


class Connection(H11Protocol):
    """uvicorn's h11 protocol; the request tasks it starts can reach it through `current_connection`.

    Bytes that arrive before `connection_made` (TLS application data read together with the
    handshake) are kept and fed once it is made.
    """

    tunnel: str | None = None
    """`host:port` of the CONNECT tunnel this connection runs in, None for a direct connection."""

    _early: bytes = b""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        early, self._early = self._early, b""
        if early:
            self.data_received(early)

    def _unsupported_upgrade_warning(self) -> None:
        """Quiet for `Upgrade: h2c`: Java's built-in HttpClient offers HTTP/2 that way on every plain-HTTP
        request and goes on in HTTP/1.1 when the answer does not switch (RFC 7540 §3.2), so nothing is
        wrong; uvicorn would warn twice and advise installing a WebSocket library. Others still warn."""
        if self._get_upgrade() != b"h2c":
            super()._unsupported_upgrade_warning()

    def data_received(self, data: bytes) -> None:
        if self.transport is None:
            self._early += data
            return
        token = _CONNECTION.set(self)
        try:
            super().data_received(data)
        finally:
            _CONNECTION.reset(token)


def _refusal(connection: h11.Connection, status: int, text: str) -> bytes:
    body = text.encode("utf-8") + b"\n"
    head = h11.Response(status_code=status, headers=[
        ("content-type", "text/plain; charset=utf-8"), ("content-length", str(len(body))),
        ("connection", "close")])
    return b"".join((connection.send(head), connection.send(h11.Data(data=body)),
                     connection.send(h11.EndOfMessage())))


def refusal_text(target: str) -> str:
    """Why a proxy request to `target` (`host:port` or a URL) is not served."""
    hosts = ", ".join(f"{host}:{TUNNEL_PORT}" for host in sorted(TUNNEL_HOSTS))
    return (f"harness serve is the Amazon Pay simulator, not a general proxy: {target} is not "
            f"forwarded (nothing leaves this machine). It serves only {hosts}; exclude other hosts "
            "from the proxy with NO_PROXY.")


class ProxyProtocol(asyncio.Protocol):
    """Looks at a connection's first request: `CONNECT` opens a TLS tunnel, anything else is uvicorn's."""

    tunnel_tls: ClassVar[ssl.SSLContext | None] = None
    """The TLS context tunnels are terminated with (set by `protocol_class`)."""

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._arguments = (config, server_state, app_state, _loop)
        self._loop = _loop or asyncio.get_event_loop()
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._head: h11.Connection | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _connection(self) -> Connection:
        return Connection(*self._arguments)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._head is not None:
            self._read_head(data)
            return
        self._buffer += data
        if len(self._buffer) < len(CONNECT) and CONNECT.startswith(self._buffer):
            return
        if self._buffer.startswith(CONNECT):
            self._head = h11.Connection(h11.SERVER)
            self._read_head(b"")
            return
        self._hand_over()

    def eof_received(self) -> bool | None:
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def _hand_over(self) -> None:
        transport = self._transport
        assert transport is not None
        connection = self._connection()
        transport.set_protocol(connection)
        connection.connection_made(transport)
        buffered, self._buffer = self._buffer, b""
        connection.data_received(buffered)

    def _read_head(self, data: bytes) -> None:
        head, transport = self._head, self._transport
        assert head is not None and transport is not None
        data, self._buffer = self._buffer + data, b""
        try:
            head.receive_data(data)
            event = head.next_event()
        except h11.RemoteProtocolError as error:
            transport.write(_refusal(h11.Connection(h11.SERVER), 400, f"malformed CONNECT request: {error}"))
            transport.close()
            return
        if event is h11.NEED_DATA:
            return
        assert isinstance(event, h11.Request)
        target = event.target.decode("latin-1")
        host, _, port = target.rpartition(":")
        if host.lower() not in TUNNEL_HOSTS or port != TUNNEL_PORT or self.tunnel_tls is None:
            transport.write(_refusal(head, 403, refusal_text(target)))
            transport.close()
            return
        transport.write(head.send(h11.Response(status_code=200, headers=[],
                                               reason=b"Connection Established")))
        if head.trailing_data[0]:  # the client did not wait for the 200 (not seen from real clients)
            transport.close()
            return
        task = self._loop.create_task(self._tunnel(transport, target, self.tunnel_tls))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _tunnel(self, transport: asyncio.Transport, target: str, context: ssl.SSLContext) -> None:
        connection = self._connection()
        connection.tunnel = target
        try:
            secure = await self._loop.start_tls(transport, connection, context, server_side=True)
        except (OSError, ssl.SSLError) as error:
            logger.warning("TLS in the CONNECT tunnel to %s failed: %s (does the client trust the "
                           "harness CA?)", target, error)
            transport.abort()
            return
        if secure is None:  # the client closed during the handshake
            return
        connection.connection_made(secure)


def protocol_class(tunnel_tls: ssl.SSLContext | None) -> type[ProxyProtocol]:
    """A `ProxyProtocol` class terminating tunnels with `tunnel_tls` (uvicorn builds one per connection)."""
    return type("ProxyProtocol", (ProxyProtocol,), {"tunnel_tls": tunnel_tls})
