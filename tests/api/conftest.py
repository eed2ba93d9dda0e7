"""Shared pieces of the wire tests: a small operation set, keys, and a signed-request sender."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest

from harness.amazon_pay.errors import AmazonPayError
from harness.api.canonical import Algorithm
from harness.api.faults import FaultPlan
from harness.api.handler import ApiHandler
from harness.api.keys import KeyPair, KeyRegistry, test_key_pair
from harness.api.mount import WireMock
from harness.api.operations import Call, Operation, Reply
from harness.api.signer import sign_request
from harness.ids import Environment
from harness.simulator import Simulator

SANDBOX_KEY = test_key_pair("SANDBOX-TESTKEY")
LIVE_KEY = test_key_pair("LIVE-TESTKEY")
PLAIN_KEY = test_key_pair("AHEXAMPLEPLAINKEYID")
"""A key id without environment prefix: registered for Sandbox, used with /sandbox/v2/ paths."""
UNREGISTERED_KEY = test_key_pair("SANDBOX-NOTREGISTERED")


def echo(call: Call) -> Reply:
    """Answer what the operation received."""
    return Reply(200, {"params": dict(call.path_params), "body": call.body,
                       "query": dict(call.query), "simulationCode": call.simulation_code,
                       "count": next(COUNTER)})


def created(call: Call) -> Reply:
    """201 with a fresh number, so a replay is visible."""
    return Reply(201, {"chargeId": f"S03-C{next(COUNTER):06d}", "body": call.body})


def declined(call: Call) -> Reply:
    """An API error from inside an operation (replayed like a success)."""
    next(COUNTER)
    raise AmazonPayError("HardDeclined", "The charge was declined.")


def explode(call: Call) -> Reply:
    """A bug in an operation."""
    raise RuntimeError("kaboom in the operation")


COUNTER = itertools.count(1)

OPERATIONS: tuple[Operation, ...] = (
    Operation("createCharge", "POST", "charges", created, idempotency_key_required=True,
              simulation_codes=frozenset({"HardDeclined", "SoftDeclined"})),
    Operation("getCharge", "GET", "charges/{chargeId}", echo),
    Operation("updateCharge", "PATCH", "charges/{chargeId}", echo),
    Operation("captureCharge", "POST", "charges/{chargeId}/capture", echo,
              idempotency_key_required=True, simulation_codes=frozenset({"CaptureInitiated"})),
    Operation("cancelCharge", "DELETE", "charges/{chargeId}/cancel", echo),
    Operation("createRefund", "POST", "refunds", declined, idempotency_key_required=True),
    Operation("getReports", "GET", "reports", echo),
    Operation("completeCheckoutSession", "POST", "checkoutSessions/{checkoutSessionId}/complete",
              echo),
    Operation("getBuyer", "GET", "buyers/{buyerToken}"),
    Operation("getDisbursements", "GET", "disbursements", explode),
)


@dataclass
class Wire:
    """A handler mounted with respx, and a helper that sends signed requests to it."""

    sim: Simulator
    handler: ApiHandler
    keys: KeyRegistry
    faults: FaultPlan
    http: httpx.Client

    def send(self, method: str, url: str, body: bytes | str = b"", *,
             headers: Mapping[str, str] | None = None, key: KeyPair = SANDBOX_KEY,
             now: datetime | None = None, algorithm: Algorithm = Algorithm.LEGACY,
             without: tuple[str, ...] = (), sign_url: str | None = None) -> httpx.Response:
        """Sign like the SDKs (for `sign_url` if given) and send; `without` drops headers after signing."""
        content = body.encode() if isinstance(body, str) else body
        signed = self.sign(method, sign_url or url, content, headers=headers, key=key, now=now,
                           algorithm=algorithm)
        for name in without:
            signed.pop(name)
        return self.http.request(method, url, headers=signed, content=content)

    def sign(self, method: str, url: str, body: bytes = b"", *,
             headers: Mapping[str, str] | None = None, key: KeyPair = SANDBOX_KEY,
             now: datetime | None = None,
             algorithm: Algorithm = Algorithm.LEGACY) -> dict[str, str]:
        """The headers an SDK would send."""
        return sign_request(method, url, public_key_id=key.public_key_id,
                            private_key=key.private_key, region="jp",
                            now=now or self.sim.now(), body=body, headers=headers,
                            algorithm=algorithm)


@contextmanager
def make_wire(environment: Environment = Environment.SANDBOX, *,
              verify: bool = True) -> Iterator[Wire]:
    """A Wire over a fresh simulator, mounted while the context lasts."""
    sim = Simulator(environment=environment)
    keys = KeyRegistry()
    for pair in (SANDBOX_KEY, LIVE_KEY):
        keys.register_pair(pair)
    keys.register_pair(PLAIN_KEY, Environment.SANDBOX)
    faults = FaultPlan(seed=7, operations=[op.name for op in OPERATIONS])
    handler = ApiHandler(sim, keys if verify else None, faults, operations=OPERATIONS)
    with WireMock(handler, other_hosts="block"), httpx.Client() as http:
        yield Wire(sim, handler, keys, faults, http)


@pytest.fixture
def wire() -> Iterator[Wire]:
    """A Sandbox handler with signature checks, mounted with respx."""
    with make_wire() as mounted:
        yield mounted
