"""Planned failures of chosen operations: throttling, server errors, timeouts, dropped connections.

The SDKs retry 408/425/429/500/502/503/504 and treat network errors differently
(docs/reference/official-sdks.md §6, docs/reference/amazon-pay-v2.md §4.2), so a merchant's integration must
be tried against
them. A `FaultPlan` makes an operation (by its SDK name) fail N times, or with a seeded
probability. Status faults answer Amazon's error body; a timeout or a dropped connection is raised
as `SimulatedTimeoutError` / `SimulatedDisconnectError`, which the transport maps (respx:
`httpx.ReadTimeout` / `httpx.RemoteProtocolError`). With `after_processing=True` the operation
runs first and only its answer is lost, which is how a retry meets the idempotency store.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from harness.amazon_pay.errors import AmazonPayError
from harness.errors import HarnessError

__all__ = ["ANY_OPERATION", "FaultKind", "FaultPlan", "SimulatedNetworkError"]

ANY_OPERATION = "*"
"""The operation name of a fault that hits whichever operation is called next."""


class FaultKind(StrEnum):
    """What the failing request gets; the status kinds are Amazon reason codes (§4.2)."""

    TOO_MANY_REQUESTS = "TooManyRequests"
    INTERNAL_SERVER_ERROR = "InternalServerError"
    SERVICE_UNAVAILABLE = "ServiceUnavailable"
    TIMEOUT = "timeout"
    DROP = "drop"


_MESSAGES = {
    FaultKind.TOO_MANY_REQUESTS: "The request was throttled. Retry later.",
    FaultKind.INTERNAL_SERVER_ERROR: "An internal server error occurred. Retry the request.",
    FaultKind.SERVICE_UNAVAILABLE: "The service is temporarily unavailable. Retry later.",
}


class SimulatedNetworkError(HarnessError):
    """A planned network failure; the transport turns it into its own exception."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(message)
        self.operation = operation


class SimulatedTimeoutError(SimulatedNetworkError):
    """No answer in time (respx mode: `httpx.ReadTimeout`)."""


class SimulatedDisconnectError(SimulatedNetworkError):
    """The connection closed without an answer (respx mode: `httpx.RemoteProtocolError`)."""


@dataclass
class Fault:
    """One planned failure of one operation; `fired` counts the requests it hit."""

    operation: str
    kind: FaultKind
    times: int | None
    """How many requests it hits at most (None: no limit)."""
    probability: float
    after_processing: bool
    rng: random.Random = field(repr=False)
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        """True once it hit `times` requests."""
        return self.times is not None and self.fired >= self.times

    def draw(self) -> bool:
        """Decide whether it hits this request (and count it if so)."""
        if self.exhausted:
            return False
        if self.probability < 1.0 and self.rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def error(self) -> AmazonPayError:
        """The Amazon error a status fault answers with."""
        return AmazonPayError(self.kind.value, _MESSAGES[self.kind])

    def network_error(self) -> SimulatedNetworkError:
        """The exception a timeout or drop fault raises."""
        if self.kind is FaultKind.TIMEOUT:
            return SimulatedTimeoutError(self.operation, f"simulated timeout of {self.operation}")
        return SimulatedDisconnectError(
            self.operation, f"simulated dropped connection during {self.operation}")

    def trigger(self) -> None:
        """Raise what this fault makes of the request."""
        if self.kind in _MESSAGES:
            raise self.error()
        raise self.network_error()


class FaultPlan:  # D-WIRE-FAULTS
    """The planned faults of one simulator, drawn per request in the order they were added."""

    def __init__(self, seed: int = 0, operations: Collection[str] | None = None) -> None:
        self.seed = seed
        self.operations = None if operations is None else frozenset(operations)
        self.faults: list[Fault] = []

    def add(self, operation: str, kind: FaultKind | str, *, times: int | None = None,
            probability: float | None = None, after_processing: bool = False) -> Fault:
        """Make `operation` (`ANY_OPERATION`: any) fail `times` requests (default 1), or by `probability`.

        With a probability and no `times`, there is no limit. The draws are seeded by the plan's
        seed, the operation and the fault's position, so a run repeats exactly.
        """
        self._check_operation(operation)
        if probability is not None and not 0.0 < probability <= 1.0:
            raise ValueError(f"probability must be in (0, 1], got {probability}")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        fault_kind = FaultKind(kind)
        seeded = random.Random(f"{self.seed}:{operation}:{fault_kind}:{len(self.faults)}")
        fault = Fault(operation, fault_kind, 1 if times is None and probability is None else times,
                      1.0 if probability is None else probability, after_processing, seeded)
        self.faults.append(fault)
        return fault

    def throttle(self, operation: str, *, times: int | None = None,
                 probability: float | None = None, after_processing: bool = False) -> Fault:
        """429 TooManyRequests."""
        return self.add(operation, FaultKind.TOO_MANY_REQUESTS, times=times,
                        probability=probability, after_processing=after_processing)

    def server_error(self, operation: str, *, times: int | None = None,
                     probability: float | None = None, after_processing: bool = False) -> Fault:
        """500 InternalServerError."""
        return self.add(operation, FaultKind.INTERNAL_SERVER_ERROR, times=times,
                        probability=probability, after_processing=after_processing)

    def unavailable(self, operation: str, *, times: int | None = None,
                    probability: float | None = None, after_processing: bool = False) -> Fault:
        """503 ServiceUnavailable."""
        return self.add(operation, FaultKind.SERVICE_UNAVAILABLE, times=times,
                        probability=probability, after_processing=after_processing)

    def timeout(self, operation: str, *, times: int | None = None,
                probability: float | None = None, after_processing: bool = False) -> Fault:
        """No answer in time."""
        return self.add(operation, FaultKind.TIMEOUT, times=times, probability=probability,
                        after_processing=after_processing)

    def drop(self, operation: str, *, times: int | None = None, probability: float | None = None,
             after_processing: bool = False) -> Fault:
        """The connection closes without an answer."""
        return self.add(operation, FaultKind.DROP, times=times, probability=probability,
                        after_processing=after_processing)

    def draw(self, operation: str) -> Fault | None:
        """The fault that hits this request of `operation`, if any."""
        for fault in self.faults:
            if fault.operation in (operation, ANY_OPERATION) and fault.draw():
                return fault
        return None

    def clear(self) -> None:
        """Forget every planned fault."""
        self.faults.clear()

    def _check_operation(self, operation: str) -> None:
        if self.operations is None or operation == ANY_OPERATION or operation in self.operations:
            return
        close = difflib.get_close_matches(operation, sorted(self.operations), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown operation {operation!r} (use the SDK name, e.g. createCharge){hint}")
