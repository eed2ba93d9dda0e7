"""The framework-free API handler: `HttpRequest -> HttpResponse`, for respx and a real server alike.

Checks, in order (each failure answers Amazon's error shape, docs/reference/amazon-pay-v2.md §4.1):

1. route: host, path form, environment, resource, method (404 / 405, with a near-miss text);
2. planned faults of the operation (429 / 500 / 503, timeout, dropped connection);
3. the operation is modelled (else 405 `RequestNotSupported`); a report document's url (a
   pre-signed url, D-REPORT-DOCUMENT-URL) is answered here, without the checks below;
4. required headers (§5.1): 400 `MissingHeader` when absent, `MissingHeaderValue` when empty;
5. `x-amz-pay-date` in either SDK form, not ahead of the simulated clock (or of the merchant's
   own clock, when one is given: `harness serve`, D-SERVER-CLOCK) by more than `max_clock_skew`
   (400 `InvalidHeaderValue`, §4.1);
6. the signature, when keys are registered (§5.2, docs/reference/official-sdks.md §1.3), and that the key
   belongs to the request's environment (403 `InvalidRequestSignature`);
7. idempotency (§5.3, `harness.api.idempotency`);
8. `x-amz-pay-simulation-code` (§6.2): Sandbox only, one of the operation's codes (400
   `InvalidSandboxSimulationSpecified`);
9. the JSON body (400 `InvalidRequestFormat`), numbers as `Decimal`;
10. the operation; any other exception is a 500 `InternalServerError` whose body names it (the
    traceback goes to the `harness.api` log).

Every response carries `x-amz-pay-request-id` (§4.1; the Java SDK fails without it,
docs/reference/official-sdks.md
§6) and `content-type: application/json`.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from harness.amazon_pay.errors import AmazonPayError
from harness.api.canonical import parse_raw_query
from harness.api.exchanges import Exchange, ExchangeLog, exchange_log
from harness.api.faults import (
    FaultPlan,
    SimulatedDisconnectError,
    SimulatedNetworkError,
    SimulatedTimeoutError,
)
from harness.api.http import HttpRequest, HttpResponse
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from harness.api.idempotency import Fingerprint, check_key, store_for
from harness.api.keys import KeyRegistry
from harness.api.operations import Call, JsonObject, Operation
from harness.api.routing import AMAZON_HOSTS, NoRouteError, RouteMatch, Router
from harness.api.signer import format_amz_date
from harness.api.verifier import (
    VERIFIED_IN_PROCESS,
    SignatureError,
    UnknownPublicKeyError,
    parse_amz_date,
    parse_authorization,
    verify_request,
)
from harness.ids import Environment

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["JSON_WHITESPACE", "ApiHandler", "UnroutedRequestWarning", "default_operations", "parse_body"]

logger = logging.getLogger("harness.api")

REQUIRED_HEADERS = ("x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region", "authorization")
"""Headers every SDK sends (docs/reference/amazon-pay-v2.md §5.1)."""

SIMULATION_HEADER = "x-amz-pay-simulation-code"

MAX_CLOCK_SKEW = timedelta(minutes=15)  # D-WIRE-AUTH
"""How far `x-amz-pay-date` may be ahead of the simulated clock (decision; Amazon's is unknown)."""


class UnroutedRequestWarning(UserWarning):
    """A request to an Amazon host matched no operation; the message says what came closest."""


def default_operations() -> tuple[Operation, ...]:
    """Every operation of the Web Store API (`harness.api.web_store.OPERATIONS`)."""
    from harness.api.web_store import OPERATIONS  # noqa: PLC0415  # imported late: built on this module's peers

    return OPERATIONS


def _error_response(error: AmazonPayError) -> HttpResponse:
    return HttpResponse.from_json(error.http_status, error.to_json())


UNROUTED_KEPT = 1000
"""How many near-miss explanations a handler keeps (the oldest are dropped)."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def _signature_error(error: SignatureError) -> AmazonPayError:
    return AmazonPayError(error.reason_code, error.message)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


JSON_WHITESPACE = b" \t\n\r"
"""RFC 8259 §2: the only whitespace JSON allows (Python's `bytes.strip()` also strips \\x0b and \\x0c)."""


def parse_body(body: bytes) -> JsonObject | None:  # D-WIRE-JSON
    """The JSON object of a request body (numbers as `Decimal`), None when the body is empty."""
    if not body.strip(JSON_WHITESPACE):
        return None
    try:
        parsed = json.loads(body, parse_float=Decimal, parse_int=Decimal,
                            parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise AmazonPayError("InvalidRequestFormat",
                             f"The request body is not valid JSON: {error}") from error
    except RecursionError:
        raise AmazonPayError("InvalidRequestFormat",
                             "The request body is not valid JSON: it is nested too deeply.") from None
    if not isinstance(parsed, dict):
        raise AmazonPayError("InvalidRequestFormat",
                             f"The request body must be a JSON object, not {type(parsed).__name__}.")
    _refuse_lone_surrogates(parsed)
    return parsed


def _refuse_lone_surrogates(parsed: JsonObject) -> None:
    """JSON may escape half a UTF-16 pair (`"\\ud800"`): that is not text, so it is refused."""
    pending: list[object] = [parsed]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise AmazonPayError("InvalidRequestFormat", "The request body is not valid JSON: it holds "
                                                         "a lone UTF-16 surrogate (\\ud800-\\udfff).")


@dataclass
class _Prechecked:
    """What the checks of a request that read no shared state found, before the lock is taken.

    They run in the handler's order, each only when those before it passed; what they found is
    answered under the lock where the check stands in that order (a route refusal first; a header
    or date-form refusal after the planned fault; a signature refusal after the clock check), so
    the answer is the one the checks made one after the other under the lock would give.
    """

    match: RouteMatch | None = None
    failure: Exception | None = None
    """The route's refusal (or an unexpected error)."""
    early: Exception | None = None
    """A required header's or the date's refusal."""
    sent: datetime | None = None
    late: Exception | None = None
    """The signature's refusal."""
    environment: Environment | None = None


class ApiHandler:
    """Answers Amazon Pay API v2 requests from one simulator.

    `keys` None turns signature checks off (the Authorization header is still required).
    `operations` defaults to `default_operations()`; `hosts` None accepts any host (a local
    server reached at its own address). `merchant_clock` is the clock the merchant signs with
    when it is not the simulated one (a real server: the wall clock, D-SERVER-CLOCK).
    `checkout_page` is the URL of the hosted checkout page `amazonPayRedirectUrl` sends buyers to
    (`{checkout_page}/{checkoutSessionId}`); None: Amazon's (D-SERVER-CHECKOUT-PAGE).
    `document_base` is where report document urls point (`http://127.0.0.1:8080` under
    `harness serve`); None: the API host (D-REPORT-DOCUMENT-URL).
    """

    def __init__(self, simulator: Simulator, keys: KeyRegistry | None,
                 faults: FaultPlan | None = None, *, operations: Iterable[Operation] | None = None,
                 hosts: Collection[str] | None = tuple(AMAZON_HOSTS),
                 max_clock_skew: timedelta = MAX_CLOCK_SKEW,
                 merchant_clock: Callable[[], datetime] | None = None,
                 checkout_page: str | None = None, document_base: str | None = None) -> None:
        self.simulator = simulator
        self.checkout_page = checkout_page
        self.document_base = document_base
        self.keys = keys
        self.faults = faults
        self.router = Router(default_operations() if operations is None else operations,
                             environment=simulator.ids.environment, hosts=hosts)
        self.max_clock_skew = max_clock_skew
        self.merchant_clock = merchant_clock
        self.idempotency = store_for(simulator)
        self.unrouted: deque[str] = deque(maxlen=UNROUTED_KEPT)
        """Near-miss explanations of the latest requests that matched no operation, oldest first."""
        self.exchanges: ExchangeLog = exchange_log(simulator)
        """The requests answered (or dropped), oldest first: one log per simulator, shared by its handlers."""
        self._verified = VERIFIED_IN_PROCESS  # a resent signed request is not verified twice (no change seen)
        self._lock = simulator.lock  # one per simulator, shared by every handler of it and the view

    @property
    def operations(self) -> tuple[Operation, ...]:
        """The operations this handler routes to."""
        return tuple(route.operation for route in self.router.routes)

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer `request`; raises only `SimulatedNetworkError` (a planned timeout or drop).

        The checks that read no shared state (route, headers, the date's form, the signature) run
        first, without the simulator's lock (`_Prechecked`); the rest runs under it.
        """
        checked = self._precheck(request)
        with self._lock:
            operation: str | None = None
            try:
                if checked.failure is not None:
                    raise checked.failure
                assert checked.match is not None
                operation = checked.match.operation.name
                response = self._handle(request, checked.match, checked)
            except SimulatedNetworkError:
                self._log(request, None, operation)
                raise
            except NoRouteError as miss:
                self.note_unrouted(miss.message)
                response = _error_response(miss)
            except AmazonPayError as error:
                response = _error_response(error)
            except Exception as error:  # D-WIRE-500
                logger.exception("unexpected error answering %s %s", request.method, request.url)
                response = _error_response(AmazonPayError(
                    "InternalServerError",
                    f"The simulator failed on {request.method} {request.path}: "
                    f"{type(error).__name__}: {error} (the traceback is in the 'harness.api' log)."))
            answer = response.with_header("x-amz-pay-request-id", self.simulator.ids.request_id())
            self._log(request, answer, operation)
            return answer

    def _log(self, request: HttpRequest, answer: HttpResponse | None, operation: str | None) -> None:
        """Append the exchange to the log (none is made for a log that keeps none: `harness serve`'s)."""
        if self.exchanges.maxlen != 0:
            self.exchanges.append(Exchange(self.simulator.now(), request, answer, operation))

    # --- steps ----------------------------------------------------------------------------------

    def _precheck(self, request: HttpRequest) -> _Prechecked:
        """The checks that read no shared state, in order, each only when those before it passed."""
        checked = _Prechecked()
        try:
            checked.match = self.router.resolve(request)
        except Exception as error:  # a refusal, or a bug: answered under the lock
            checked.failure = error
            return checked
        operation = checked.match.operation
        if operation.download is not None or operation.handler is None:
            return checked
        try:
            self._check_headers(request)
            checked.sent = self._parse_date(request)
        except Exception as error:
            checked.early = error
            return checked
        try:
            checked.environment = self._authenticate(request, checked.match)
        except Exception as error:
            checked.late = error
        return checked

    def _handle(self, request: HttpRequest, match: RouteMatch, checked: _Prechecked) -> HttpResponse:
        operation = match.operation
        fault = self.faults.draw(operation.name) if self.faults is not None else None
        if fault is not None and not fault.after_processing:
            fault.trigger()
        if operation.download is not None:  # a pre-signed url: no headers, signature or JSON
            response = operation.download(self._call(request, match, None, None))
            if fault is not None:
                fault.trigger()
            return response
        if operation.handler is None:
            raise AmazonPayError(
                "RequestNotSupported",
                f"{operation.name} ({operation.method} /v2/{operation.path}) is not modelled by "
                "the simulator; see docs/api-coverage.md")
        if checked.early is not None:
            raise checked.early
        assert checked.sent is not None
        self._check_skew(request, checked.sent)
        if checked.late is not None:
            raise checked.late
        assert checked.environment is not None
        response = self._idempotent(request, match, checked.environment)
        if fault is not None:
            fault.trigger()
        return response

    def _check_headers(self, request: HttpRequest) -> None:
        for name in REQUIRED_HEADERS:
            value = request.headers.get(name)
            if value is None:
                raise AmazonPayError("MissingHeader", f"The header {name} is missing.")
            if not value.strip():
                raise AmazonPayError("MissingHeaderValue", f"The header {name} has no value.")

    def _parse_date(self, request: HttpRequest) -> datetime:
        try:
            return parse_amz_date(request.headers["x-amz-pay-date"].strip())
        except SignatureError as error:
            raise _signature_error(error) from error

    def _check_skew(self, request: HttpRequest, sent: datetime) -> None:
        now = self.simulator.clock.now()
        if self.merchant_clock is not None:  # D-SERVER-CLOCK
            now = max(now, self.merchant_clock())
        if sent > now + self.max_clock_skew:
            raise AmazonPayError(
                "InvalidHeaderValue",
                f"The value {request.headers['x-amz-pay-date'].strip()} provided for x-amz-pay-date "
                f"should not be in future (the simulated clock reads {format_amz_date(now)}; let the "
                "merchant's clock follow it, e.g. with harness.merchant_time.MerchantTime)")

    def _authenticate(self, request: HttpRequest, match: RouteMatch) -> Environment:
        """The request's environment, after checking the signature when keys are registered."""
        if self.keys is None:
            return match.environment or self.router.environment
        try:
            key_id = parse_authorization(request.headers["authorization"].strip()).public_key_id
            registered = self.keys.lookup(key_id)
            if registered is None:
                raise UnknownPublicKeyError(
                    f"No public key is registered under PublicKeyId {key_id}.")
            environment = match.environment or registered.environment
            if registered.environment is not environment:
                raise UnknownPublicKeyError(
                    f"PublicKeyId {key_id} is registered for {registered.environment}, but the "
                    f"request is for {environment} ({request.path}).")
            verify_request(request.method, request.url, None, request.headers, request.body,
                           public_key_lookup=self.keys.public_key, verified=self._verified)
        except SignatureError as error:
            raise _signature_error(error) from error
        return environment

    def _idempotent(self, request: HttpRequest, match: RouteMatch,
                    environment: Environment) -> HttpResponse:
        operation = match.operation
        raw = request.headers.get(IDEMPOTENCY_HEADER, "").strip() if request.method == "POST" else ""
        if not raw:
            if request.method == "POST" and operation.idempotency_key_required:
                raise AmazonPayError("MissingHeaderValue",
                                     f"{operation.name} requires the {IDEMPOTENCY_HEADER} header.")
            return self._execute(request, match, environment)
        key = check_key(raw)
        fingerprint = Fingerprint.of(operation.name, match.path_params, request.query, request.body)
        replay = self.idempotency.replay(key, fingerprint)
        if replay is not None:
            return replay
        response = self._execute(request, match, environment)
        if response.status < 500:
            self.idempotency.remember(key, fingerprint, response)
        return response

    def _execute(self, request: HttpRequest, match: RouteMatch,
                 environment: Environment) -> HttpResponse:
        """Run the operation; an `AmazonPayError` becomes the answer (and may be replayed)."""
        operation = match.operation
        assert operation.handler is not None
        try:
            call = self._call(request, match, parse_body(request.body),
                              self._simulation_code(request, operation, environment))
            reply = operation.handler(call)
        except AmazonPayError as error:
            return _error_response(error)
        return HttpResponse.from_json(reply.status, reply.body)

    def _call(self, request: HttpRequest, match: RouteMatch, body: JsonObject | None,
              simulation_code: str | None) -> Call:
        query = ({name: ",".join(values) for name, values in parse_raw_query(request.query).items()}
                 if request.query else {})
        return Call(self.simulator, match.path_params, body, query, simulation_code, self.checkout_page,
                    self.document_base)

    def _simulation_code(self, request: HttpRequest, operation: Operation,
                         environment: Environment) -> str | None:  # D-WIRE-SIMULATION-CODES
        code = request.headers.get(SIMULATION_HEADER, "").strip()
        if not code:
            return None
        if environment is not Environment.SANDBOX:
            raise AmazonPayError(
                "InvalidSandboxSimulationSpecified",
                f"{SIMULATION_HEADER} is only accepted in Sandbox; this request is for {environment}.")
        if code not in operation.simulation_codes:
            accepted = ", ".join(sorted(operation.simulation_codes)) or "none"
            raise AmazonPayError(
                "InvalidSandboxSimulationSpecified",
                f"The simulation code {code} is not valid for {operation.name} (accepted: {accepted}).")
        return code

    def answer(self, request: HttpRequest, *, timeout: Callable[[str], Exception],
               dropped: Callable[[str], Exception]) -> HttpResponse:
        """`handle`, a planned timeout or dropped connection raised as the client library's own error."""
        try:
            return self.handle(request)
        except SimulatedTimeoutError as error:
            raise timeout(str(error)) from error
        except SimulatedDisconnectError as error:
            raise dropped(str(error)) from error

    def note_unrouted(self, explanation: str) -> None:
        """Record and warn about a request that matched no operation."""
        self.unrouted.append(explanation)
        warnings.warn(UnroutedRequestWarning(explanation), stacklevel=3)

    def refuse_lookalike(self, request: HttpRequest) -> str:
        """Note a request to a look-alike of an Amazon host; the client's error message (D-WIRE-UNROUTED)."""
        explanation = self.router.near_miss(request) or "unknown host"
        self.note_unrouted(explanation)
        return f"{request.host} is not simulated: {explanation}"
