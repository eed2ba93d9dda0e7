"""Running the server: options to a uvicorn server on a socket bound here, in the foreground or a thread.

The socket is bound before uvicorn starts, so a port in use is one clear error (and port 0 gives
an ephemeral port whose number is known at once). `serve` is `harness serve`: it prints where
everything is, stops cleanly on SIGINT and SIGTERM (uvicorn's graceful shutdown), then saves
`--state`. `start_in_thread` runs the same server in a background thread, for tests and
benchmarks.
"""

from __future__ import annotations

import gc
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TextIO

import uvicorn

from harness.errors import HarnessError
from harness.server.app import ServerApp
from harness.server.certificates import ServerCertificates
from harness.server.control import PREFIX, ControlApi
from harness.server.openapi import amazon_pay_document, control_document
from harness.server.pages import CHECKOUT_PAGE, SELLER_CENTRAL_PAGE
from harness.server.protocol import protocol_class
from harness.server.served import PublicKey, ServedSimulator, start_now
from harness.server.state import load_state, save_state

__all__ = ["RunningServer", "ServeOptions", "build", "serve", "start_in_thread"]

STARTUP_TIMEOUT = 10.0


class ServerStartError(HarnessError):
    """The server cannot start (port in use, unusable CA directory or state file)."""


@dataclass
class ServeOptions:
    """What `harness serve` was asked for."""

    ca_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    public_keys: list[PublicKey] = field(default_factory=list)
    tls: bool = False
    start: datetime | None = None
    seed: int = 0
    state: Path | None = None
    store_id: str | None = None
    ipn_url: str | None = None


@dataclass
class Built:
    """A server ready to run: its uvicorn server, socket, simulator and certificates."""

    server: uvicorn.Server
    sock: socket.socket
    served: ServedSimulator
    certificates: ServerCertificates
    options: ServeOptions
    replayed: int | None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.sock.getsockname()[1])

    @property
    def base_url(self) -> str:
        """The server's own URL."""
        return _base_url(self.options, self.port)


def _base_url(options: ServeOptions, port: int) -> str:
    return f"{'https' if options.tls else 'http'}://{options.host}:{port}"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY on accepted sockets only then (else every
    # answer written in two parts waits ~40 ms for a delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "is in use" if error.errno == 98 else f"cannot be bound ({error.strerror})"
        raise ServerStartError(f"{host}:{port} {reason}; choose another --port (0: any free port)") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def build(options: ServeOptions) -> Built:
    """Everything the server needs, checked before anything is served."""
    certificates = ServerCertificates.prepare(options.ca_dir)
    sock = _bind(options.host, options.port)  # first: the checkout page's URL needs the port
    checkout_page = f"{_base_url(options, int(sock.getsockname()[1]))}{CHECKOUT_PAGE}"
    served = ServedSimulator(options.seed, options.start or start_now(), list(options.public_keys),
                             checkout_page=checkout_page, store_id=options.store_id,
                             ipn_url=options.ipn_url, journaled=options.state is not None)
    documents = {f"{PREFIX}/openapi.json": control_document,
                 f"{PREFIX}/amazon-pay.openapi.json": amazon_pay_document}
    control = ControlApi(served, documents)
    replayed = None
    if options.state is not None and options.state.exists():
        try:
            replayed = load_state(options.state, served, control)
        except BaseException:
            sock.close()
            raise
    config = uvicorn.Config(
        ServerApp(served, control), http=protocol_class(certificates.server_context()), lifespan="off",
        log_level="warning", access_log=False, timeout_graceful_shutdown=5,
        ssl_certfile=str(certificates.leaf_path) if options.tls else None,
        ssl_keyfile=str(certificates.leaf_key_path) if options.tls else None)
    return Built(uvicorn.Server(config), sock, served, certificates, options, replayed)


def describe(built: Built) -> str:
    """What `harness serve` prints at start."""
    url, simulator = built.base_url, built.served.simulator
    lines = [f"harness serve: Amazon Pay API v2 simulator ({simulator.ids.environment.value}, JP) on {url}",
             f"  base URL   {url}   (/v2/…, /sandbox/v2/…, /live/v2/…)",
             f"  proxy      HTTPS_PROXY=http://{built.options.host}:{built.port}   "
             "(CONNECT pay-api.amazon.jp/.com/.eu:443, sns.<region>.amazonaws.com:443)"
             if not built.options.tls else
             "  proxy      not offered with --tls: use the base URL",
             f"  CA         {built.certificates.ca_path}   "
             "(trust it: REQUESTS_CA_BUNDLE, curl.cainfo, keytool)",
             f"  key ids    {', '.join(built.served.key_ids()) or 'none: give --public-key KEYID=PEM_FILE'}",
             f"  store id   {simulator.api.default_store_id}   (what a button's payload must name; "
             "--store-id)",
             f"  clock      {simulator.now().isoformat()} (simulated; moves only through the control API)",
             f"  control    {url}{PREFIX}/   (OpenAPI: {url}{PREFIX}/openapi.json)",
             f"  pages      {url}{SELLER_CENTRAL_PAGE}   (Seller Central; Amazon's checkout page: "
             f"{url}{CHECKOUT_PAGE}/<checkoutSessionId>)"]
    notifications = simulator.notifications
    lines.append(f"  IPN        {built.options.ipn_url or 'no endpoint: give --ipn-url URL'}   (signed with "
                 f"{notifications.cert_url}, served here)")
    if built.options.state is not None:
        loaded = "new" if built.replayed is None else f"loaded, {built.replayed} calls replayed"
        lines.append(f"  state      {built.options.state} ({loaded}; saved on stop)")
    return "\n".join(lines)


def _ignore(_signal: int, _frame: FrameType | None) -> None:
    """uvicorn re-raises the signal it stopped on; the server has stopped by then."""


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    """Run in the foreground until SIGINT or SIGTERM; 0 after a clean stop."""
    built = build(options)
    print(describe(built), file=out, flush=True)
    gc.freeze()  # what start-up made lives as long as the process: no garbage collection walks it again
    previous = {sig: signal.signal(sig, _ignore) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        built.server.run(sockets=[built.sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        built.sock.close()
    if options.state is not None:
        save_state(built.served, options.state)
        print(f"harness serve: stopped; state saved to {options.state}", file=out, flush=True)
    else:
        print("harness serve: stopped", file=out, flush=True)
    return 0


@dataclass
class RunningServer:
    """A server running in a background thread."""

    built: Built
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        """The server's own URL."""
        return self.built.base_url

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self.built.port

    @property
    def ca_path(self) -> Path:
        """The CA certificate clients trust."""
        return self.built.certificates.ca_path

    @property
    def served(self) -> ServedSimulator:
        """The simulator it serves."""
        return self.built.served

    def stop(self, timeout: float = 10.0) -> None:
        """Stop it, save `--state`, and wait for the thread."""
        self.built.server.should_exit = True
        self.thread.join(timeout)
        self.built.sock.close()
        if self.built.options.state is not None:
            save_state(self.built.served, self.built.options.state)


@contextmanager
def start_in_thread(options: ServeOptions) -> Iterator[RunningServer]:
    """The server running in a thread while the block runs; stopped (and `--state` saved) after."""
    built = build(options)
    thread = threading.Thread(target=built.server.run, kwargs={"sockets": [built.sock]},
                              name="harness-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not built.server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ServerStartError("the server did not start")
        time.sleep(0.01)
    running = RunningServer(built, thread)
    try:
        yield running
    finally:
        running.stop()
