"""The contract between the HTTP layer and the API operations (docs/reference/amazon-pay-v2.md §3).

The handler (HTTP concerns: hosts and path forms, headers, signatures, idempotency, faults) finds
the `Operation` for a request and calls its `handler` with a `Call`; the operation parses the JSON
body into domain values, calls the simulator and renders Amazon's JSON into a `Reply`. Operations
raise `AmazonPayError` for every API error; the handler turns it into Amazon's error body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.api.http import HttpResponse

if TYPE_CHECKING:
    from harness.api.json_in import RequestSpec
    from harness.simulator import Simulator


__all__ = ["Call", "Operation", "QueryParameter", "Reply"]

JsonObject = dict[str, object]


@dataclass(frozen=True)
class Call:
    """What an operation gets from a request that passed the HTTP checks."""

    simulator: Simulator
    path_params: Mapping[str, str]
    """Values of the `{name}` placeholders of the operation's path."""
    body: JsonObject | None
    """The parsed JSON body (numbers as `Decimal`), or None when the request had no body."""
    query: Mapping[str, str] = field(default_factory=dict)
    simulation_code: str | None = None
    """`x-amz-pay-simulation-code` (sandbox only; already checked against `simulation_codes`)."""
    checkout_page: str | None = None
    """Where `amazonPayRedirectUrl` points: None for Amazon's page (D-SERVER-CHECKOUT-PAGE)."""
    document_base: str | None = None
    """Where report document urls point: None for the API host (D-REPORT-DOCUMENT-URL)."""


@dataclass(frozen=True)
class Reply:
    """Status and JSON body of a successful answer."""

    status: int
    body: JsonObject


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter an operation reads, with the JSON Schema of its value (for the OpenAPI document)."""

    name: str
    schema: JsonObject
    description: str


@dataclass(frozen=True)
class Operation:
    """One operation of the API surface (docs/reference/official-sdks.md §5)."""

    name: str
    """The SDK's name for it, e.g. `createCheckoutSession`."""
    method: str
    path: str
    """Relative to `v2/`, with placeholders: `checkoutSessions/{checkoutSessionId}/complete`."""
    handler: Callable[[Call], Reply] | None = None
    """None when the simulator does not model it; the handler then answers an Amazon error."""
    idempotency_key_required: bool = False
    simulation_codes: frozenset[str] = frozenset()
    """Sandbox simulation codes this operation accepts (docs/reference/amazon-pay-v2.md §6.2)."""
    download: Callable[[Call], HttpResponse] | None = None
    """A url fetched as a pre-signed one (a report document, D-REPORT-DOCUMENT-URL): no headers,
    signature or idempotency are checked and the answer is not JSON. `handler` is then None."""
    request: RequestSpec[object] | None = None
    """The field table the handler reads its JSON body with (None: it reads no body)."""
    answer: str | None = None
    """The name of its answer's schema in `harness.api.answer_schemas.ANSWERS`."""
    statuses: tuple[int, ...] = (200,)
    """The statuses of its successful answers."""
    query: tuple[QueryParameter, ...] = ()
    """The query parameters it reads."""

    @property
    def modelled(self) -> bool:
        """Whether the simulator answers it (else 405 RequestNotSupported)."""
        return self.handler is not None or self.download is not None
