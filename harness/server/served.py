"""The simulator a server serves: built from the options, replaced on reset, and its journal.

Everything that changes the simulator goes through here in order: API requests (`handle`) and
the control API's changes (`record`). With `--state FILE` each is written to the journal, which
`harness.server.state` saves and replays, so a restarted server is where the last one stopped.
Without it nothing is journaled: nothing would read it, and a long-running server would keep
every request it ever answered.
The server runs every call on its event loop, one at a time; the handler's lock then never waits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from harness.api.checkout_button import CheckoutButton
from harness.api.handler import ApiHandler
from harness.api.http import HttpRequest, HttpResponse
from harness.api.keys import KeyRegistry, implied_environment
from harness.ids import Environment
from harness.notifications import url_target
from harness.scenario.timeline import Timeline
from harness.simulator import Simulator

__all__ = ["PublicKey", "wall_clock"]

JournalEntry = dict[str, object]


@dataclass(frozen=True)
class ApiCall:
    """An API request in the journal as it was received; made into a `JournalEntry` only when saved."""

    request: HttpRequest
    wall: datetime
    """The merchant's clock when it came (D-SERVER-CLOCK)."""


Journaled = JournalEntry | ApiCall
"""What the journal holds: a control call's entry, or an API request kept as received."""


def journal_entries(journal: list[Journaled]) -> list[JournalEntry]:
    """The journal as the state file writes it."""
    return [api_entry(item.request, item.wall) if isinstance(item, ApiCall) else item for item in journal]


def wall_clock() -> datetime:
    """The real time, which the merchant's own clock reads (D-SERVER-CLOCK)."""
    return datetime.now(UTC)


def start_now() -> datetime:
    """Where the simulated clock starts by default: the wall clock, to the second."""
    return wall_clock().replace(microsecond=0)


@dataclass(frozen=True)
class PublicKey:
    """A merchant's public key registered with the server: id, environment and PEM."""

    public_key_id: str
    environment: Environment
    pem: str

    @classmethod
    def from_file(cls, public_key_id: str, path: Path) -> PublicKey:
        """The public key in a PEM file (a public key, or the merchant's private key: its public half).

        The environment is the id's `SANDBOX`/`LIVE` prefix, else Sandbox (the server's).
        """
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ValueError(f"cannot read {path}: {error.strerror}") from None
        try:
            public = serialization.load_pem_public_key(data)
        except ValueError:
            try:
                public = serialization.load_pem_private_key(data, password=None).public_key()
            except (ValueError, TypeError):
                raise ValueError(f"{path} holds no PEM public key or unencrypted private key") from None
        if not isinstance(public, RSAPublicKey):
            raise ValueError(f"{path} holds a {type(public).__name__}; Amazon Pay keys are RSA")
        pem = public.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
        return cls(public_key_id, implied_environment(public_key_id) or Environment.SANDBOX, pem)


@dataclass
class ServedSimulator:
    """The current simulator, its HTTP handler and timeline, and the journal of what changed it."""

    seed: int
    start: datetime
    public_keys: list[PublicKey] = field(default_factory=list)
    merchant_clock: Callable[[], datetime] = wall_clock
    journal: list[Journaled] = field(default_factory=list)
    timeout_holds: dict[str, float] = field(default_factory=dict)
    """Seconds a planned timeout of each operation keeps the client waiting before dropping."""
    timeout_hold: float = 30.0
    """The same for an operation `timeout_holds` does not name (a fault planned without a hold)."""
    checkout_page: str | None = None
    """The URL of the server's hosted checkout page, where `amazonPayRedirectUrl` points
    (D-SERVER-CHECKOUT-PAGE)."""
    replaying: bool = False
    journaled: bool = True
    """Whether the journal is kept (`harness serve` keeps it only with `--state`, which saves it)."""
    ipn_url: str | None = None
    """The shop's IPN endpoint (`--ipn-url`, or `POST /_harness/notifications`); None: none is set."""
    store_id: str | None = None
    """The merchant's storeId a button payload must name (None: the simulator's own, D-BUTTON-ERROR)."""

    def __post_init__(self) -> None:
        self.simulator, self.handler, self.timeline = self._build()
        self.attach_notifications()

    def attach_notifications(self) -> None:
        """Deliver to `ipn_url` (none while a journal is replayed: the shop got those already)."""
        target = url_target(self.ipn_url) if self.ipn_url and not self.replaying else None
        self.simulator.notifications.deliver_to(target)

    def deliver_notifications(self) -> None:
        """Deliver the notifications due (D-IPN-DELIVERY); none while replaying."""
        if not self.replaying:
            self.simulator.notifications.flush()

    def _build(self) -> tuple[Simulator, ApiHandler, Timeline]:
        simulator = Simulator(seed=self.seed, start=self.start)
        keys = KeyRegistry()  # only the merchant's: the simulator's own test key lives in this process only
        register_keys(keys, self.public_keys)
        simulator.button = CheckoutButton(simulator, keys)  # the button checks the merchant's keys too
        if self.store_id is not None:
            simulator.api.default_store_id = self.store_id
        handler = ApiHandler(simulator, keys, simulator.faults, hosts=None,
                             merchant_clock=lambda: self.merchant_clock(),  # noqa: PLW0108  # late: replay swaps it
                             checkout_page=self.checkout_page, document_base=self._own_address())
        # nothing reads a served simulator's exchanges (reports and invariants read an in-process one's,
        # harness.server.following), and keeping the last 500 requests and answers alive costs every
        # request ~6 µs in freeing cold memory (docs/performance.md): the log keeps none
        handler.exchanges = deque(maxlen=0)
        return simulator, handler, Timeline(simulator.ledger)

    def _own_address(self) -> str | None:
        """`http://127.0.0.1:8080`: where report document urls point (D-REPORT-DOCUMENT-URL)."""
        if self.checkout_page is None:
            return None
        parts = urlsplit(self.checkout_page)
        return f"{parts.scheme}://{parts.netloc}"

    def reset(self, seed: int | None, start: datetime | None) -> None:
        """A fresh simulator (same keys); the journal starts again."""
        self.seed = self.seed if seed is None else seed
        self.start = start or start_now()
        self.journal.clear()
        self.timeout_holds.clear()
        self.simulator, self.handler, self.timeline = self._build()
        self.attach_notifications()

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer an API request (journaled first: a planned network fault raises after it)."""
        if self.journaled and not self.replaying:  # as it is: formatted only when the state is saved
            self.journal.append(ApiCall(request, self.merchant_clock()))
        return self.handler.handle(request)

    def record(self, method: str, path: str, body: object) -> None:
        """Journal a control call that changed the simulator."""
        if self.journaled and not self.replaying:
            self.journal.append({"kind": "control", "method": method, "path": path, "body": body})

    def key_ids(self) -> list[str]:
        """The public key ids requests may be signed with."""
        return [key.public_key_id for key in self.public_keys]


def register_keys(registry: KeyRegistry, keys: list[PublicKey]) -> None:
    """Register the merchant's public keys."""
    for key in keys:
        registry.register(key.public_key_id, key.pem, key.environment)


def api_entry(request: HttpRequest, wall: datetime) -> JournalEntry:
    """A journal entry for an API request: everything needed to send it again, and when it came."""
    try:
        body: dict[str, str] = {"body": request.body.decode("utf-8")}
    except UnicodeDecodeError:
        import base64  # noqa: PLC0415  # rare: a body that is not UTF-8

        body = {"bodyBase64": base64.b64encode(request.body).decode("ascii")}
    return {"kind": "api", "wallClock": wall.isoformat(), "method": request.method, "url": request.url,
            "headers": [list(item) for item in request.headers.items()], **body}
