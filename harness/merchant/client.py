"""The reference merchant client: a small httpx client that calls Amazon Pay v2 as the SDKs do.

URLs follow docs/reference/official-sdks.md §2 (`https://pay-api.amazon.<tld>/{sandbox|live}/v2/...`, or
`/v2/...`
for `SANDBOX`/`LIVE` key ids); requests are signed by `harness.api.signer.sign_request` (the Java
SDK's rules, either algorithm); every POST carries a fresh `x-amz-pay-idempotency-key` (uuid4 hex,
as .NET and the Python client do, §1.2). Time comes from `datetime.now(UTC)`, so under freezegun
(`harness.merchant_time`) the client signs with the simulated time.

With `reuse_signatures` (the reference merchant's choice; the SDKs sign every call afresh), a request
identical to one signed before in the same second (method, URL, query, body, headers, key, algorithm)
is sent with that signature again: an RSASSA-PSS signature stays valid for the string it signed, and
under simulated time a scenario and the next make many identical calls (with the reference merchant's
idempotency keys, 1,271 of the 1,448 requests of features/ repeat one made earlier in the run:
docs/performance.md, P2). Such a request is sent as the httpx request built for it the first time
(per httpx client: its default headers are merged in then), so httpx does not build it again.

Retries (`retries`, none by default; the reference merchant asks for `RETRIES`): like the PHP and
Java SDKs (docs/reference/official-sdks.md §6) a call answered 408, 425, 429, 500, 502, 503 or 504 is
sent again, with the same headers and so the same idempotency key (§1.3 step 7); but not a 500
`ProcessingFailure`, which is a decline with its own handling (docs/reference/amazon-pay-v2.md §2.3).
Unlike them (a choice of this client), a timeout or a dropped connection is retried the same way:
under the same key Amazon replays the first answer of a request it did process
(docs/reference/amazon-pay-v2.md §5.3), so a retry never charges twice.
"""

from __future__ import annotations

import functools
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, NamedTuple, TypedDict, Unpack
from urllib.parse import quote
from weakref import WeakKeyDictionary

import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from harness.api.button import sign_button_payload
from harness.api.canonical import Algorithm, canonical_query
from harness.api.http import json_bytes
from harness.api.keys import KeyPair, implied_environment
from harness.api.signer import DEFAULT_HOSTS, sign_request
from harness.errors import HarnessError

__all__ = ["RETRIES", "AmazonPayApiError", "AmazonPayClient"]

REGIONS: Mapping[str, str] = {"na": "na", "us": "na", "eu": "eu", "de": "eu", "uk": "eu", "jp": "jp"}
"""Region names the SDKs accept and the region they mean (docs/reference/official-sdks.md §2)."""

Json = dict[str, Any]

RETRIED_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
"""The statuses the PHP and Java SDKs retry (docs/reference/official-sdks.md §6)."""

NOT_RETRIED = frozenset({"ProcessingFailure"})
"""Reason codes of retried statuses that this client does not resend: declines (§2.3)."""

RETRIES = 3
"""How many times a call is sent again (PHP and Java: three, §6)."""

KEPT_SIGNATURES = 1024
"""How many signed requests `reuse_signatures` keeps per process (least recently used go first)."""

_XML_CODE = re.compile(r"<Code>([^<]*)</Code>")
"""The code of an S3-style XML error (a refused report document url)."""


class CallOptions(TypedDict, total=False):
    """Keyword options of every call."""

    query: Mapping[str, str]
    headers: Mapping[str, str]
    idempotency_key: str
    """Sent instead of a fresh uuid4 hex (POST only)."""
    simulation_code: str
    """`x-amz-pay-simulation-code` (Sandbox, docs/reference/amazon-pay-v2.md §6.2)."""


class AmazonPayApiError(HarnessError):
    """A non-2xx answer: its status, Amazon's `reasonCode` and `message`, and the request id."""

    def __init__(self, status: int, reason_code: str, message: str, request_id: str | None) -> None:
        super().__init__(f"{status} {reason_code}: {message} (request id {request_id})")
        self.status = status
        self.reason_code = reason_code
        self.message = message
        self.request_id = request_id


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Signing(NamedTuple):
    """Everything a signature depends on: the key of a kept signature."""

    method: str
    url: str
    query: tuple[tuple[str, str], ...]
    body: bytes
    headers: tuple[tuple[str, str], ...]
    now: datetime
    public_key_id: str
    private_key: RSAPrivateKey
    region: str
    algorithm: Algorithm


class _Signed:
    """A signed request: every header to send, and the httpx request built from them for each httpx
    client (a kept signature's request is sent as built the first time: the same bytes)."""

    __slots__ = ("_built", "headers")

    def __init__(self, headers: Mapping[str, str]) -> None:
        self.headers = headers
        self._built: WeakKeyDictionary[httpx.Client, httpx.Request] = WeakKeyDictionary()

    def request(self, http: httpx.Client, method: str, url: httpx.URL, body: bytes) -> httpx.Request:
        """The request `http` sends (its default headers merged in when first built)."""
        built = self._built.get(http)
        if built is None:
            built = self._built[http] = http.build_request(method, url, headers=self.headers, content=body)
        return built


def _signed(signing: _Signing) -> _Signed:
    """`sign_request`'s headers: every header to send."""
    return _Signed(sign_request(signing.method, signing.url, public_key_id=signing.public_key_id,
                                private_key=signing.private_key, region=signing.region, now=signing.now,
                                query={name: [value] for name, value in signing.query}, body=signing.body,
                                headers=dict(signing.headers), algorithm=signing.algorithm))


_signed_once = functools.lru_cache(maxsize=KEPT_SIGNATURES)(_signed)
"""`_signed`, made once per distinct request and second (`reuse_signatures`)."""


_parsed_url = functools.lru_cache(maxsize=KEPT_SIGNATURES)(httpx.URL)
"""A URL as httpx reads it, parsed once (~8 µs a parse; a shop calls the same few URLs again and again)."""


def _error_of(response: httpx.Response) -> AmazonPayApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    return AmazonPayApiError(response.status_code, str(body.get("reasonCode", "")),
                             str(body.get("message", response.text)),
                             response.headers.get("x-amz-pay-request-id"))


class AmazonPayClient:
    """Signed calls to the Amazon Pay API v2; each method returns the parsed JSON answer.

    `private_key` is an RSA key or its PEM. `http` defaults to a client of its own (closed by
    `close()`); `now` defaults to `datetime.now(UTC)`. `last_response` keeps the latest answer,
    for its status (201, 202) and headers. `retries` (default 0: each call is sent once) and `sleep`
    (called with the growing wait before each retry: 0.1 s, 0.2 s, 0.4 s) govern retries;
    `last_retried` lists what the latest call retried past (`AmazonPayApiError`s, `httpx.TransportError`s).
    `reuse_signatures` sends a request identical to one already signed in the same second with the
    same signature (see the module's docstring).
    """

    def __init__(self, public_key_id: str, private_key: RSAPrivateKey | str | bytes, *,
                 region: str = "jp", sandbox: bool = True,
                 algorithm: Algorithm | str = Algorithm.LEGACY, http: httpx.Client | None = None,
                 now: Callable[[], datetime] | None = None, retries: int = 0,
                 sleep: Callable[[float], None] = time.sleep, reuse_signatures: bool = False) -> None:
        if region.lower() not in REGIONS:
            raise ValueError(f"unknown region {region!r}; use one of {', '.join(REGIONS)}")
        self.public_key_id = public_key_id
        self.private_key = (private_key if isinstance(private_key, RSAPrivateKey)
                            else KeyPair.from_private_key_pem(public_key_id, private_key).private_key)
        self.region = REGIONS[region.lower()]
        self.algorithm = Algorithm(algorithm)
        self.base_url = f"https://{DEFAULT_HOSTS[self.region]}{self._path_prefix(sandbox)}"
        self._http = http if http is not None else httpx.Client()
        self._owns_http = http is None
        self._now = now or _utc_now
        self.last_response: httpx.Response | None = None
        self.retries = retries
        self.sleep = sleep
        self.last_retried: list[Exception] = []
        self.reuse_signatures = reuse_signatures

    def _path_prefix(self, sandbox: bool) -> str:
        if implied_environment(self.public_key_id) is not None:
            return "/v2/"
        return "/sandbox/v2/" if sandbox else "/live/v2/"

    # --- generic call -------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Mapping[str, object] | None = None, *,
                query: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                idempotency_key: str | None = None, simulation_code: str | None = None) -> Json:
        """Call `path` (relative to `v2/`), signed; raise `AmazonPayApiError` unless 2xx."""
        method = method.upper()
        extra = dict(headers or {})
        if method == "POST":
            extra["x-amz-pay-idempotency-key"] = idempotency_key or uuid.uuid4().hex
        if simulation_code is not None:
            extra["x-amz-pay-simulation-code"] = simulation_code
        payload = b"" if body is None else json_bytes(body)
        url = self.base_url + path
        params = {name: [value] for name, value in (query or {}).items()}
        wire_url = _parsed_url(f"{url}?{canonical_query(params)}" if params else url)
        response = self._send(self._sign(method, url, params, payload, extra).request(
            self._http, method, wire_url, payload))
        if not 200 <= response.status_code < 300:
            raise _error_of(response)
        parsed = json.loads(response.content, parse_float=Decimal) if response.content else {}
        if not isinstance(parsed, dict):
            raise AmazonPayApiError(response.status_code, "", f"not a JSON object: {parsed!r}",
                                    response.headers.get("x-amz-pay-request-id"))
        return parsed

    def _sign(self, method: str, url: str, params: Mapping[str, list[str]], payload: bytes,
              extra: Mapping[str, str]) -> _Signed:
        """The request to send: signed now, or as signed before in the same second (`reuse_signatures`)."""
        signing = _Signing(method, url, tuple((name, values[0]) for name, values in params.items()), payload,
                           tuple(sorted(extra.items())), self._now().replace(microsecond=0),
                           self.public_key_id, self.private_key, self.region, self.algorithm)
        return _signed_once(signing) if self.reuse_signatures else _signed(signing)

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send, and send the same request again after a retried status or a network error."""
        self.last_retried = []
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                if last:
                    raise
                self.last_retried.append(error)
            else:
                self.last_response = response
                answered = _error_of(response) if response.status_code in RETRIED_STATUSES else None
                if last or answered is None or answered.reason_code in NOT_RETRIED:
                    return response
                self.last_retried.append(answered)
            self.sleep(0.1 * 2 ** attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    # --- Checkout Session ---------------------------------------------------------------------

    def create_checkout_session(self, payload: Mapping[str, object], **options: Unpack[CallOptions]) -> Json:
        """POST checkoutSessions (201)."""
        return self.request("POST", "checkoutSessions", payload, **options)

    def get_checkout_session(self, checkout_session_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET checkoutSessions/{id}."""
        return self.request("GET", f"checkoutSessions/{_segment(checkout_session_id)}", **options)

    def update_checkout_session(self, checkout_session_id: str, payload: Mapping[str, object],
                                **options: Unpack[CallOptions]) -> Json:
        """PATCH checkoutSessions/{id}."""
        return self.request("PATCH", f"checkoutSessions/{_segment(checkout_session_id)}", payload,
                            **options)

    def complete_checkout_session(self, checkout_session_id: str, payload: Mapping[str, object],
                                  **options: Unpack[CallOptions]) -> Json:
        """POST checkoutSessions/{id}/complete (200, or 202 when authorization is pending)."""
        return self.request("POST", f"checkoutSessions/{_segment(checkout_session_id)}/complete",
                            payload, **options)

    def finalize_checkout_session(self, checkout_session_id: str, payload: Mapping[str, object],
                                  **options: Unpack[CallOptions]) -> Json:
        """POST checkoutSessions/{id}/finalize."""
        return self.request("POST", f"checkoutSessions/{_segment(checkout_session_id)}/finalize",
                            payload, **options)

    # --- Charge Permission --------------------------------------------------------------------

    def get_charge_permission(self, charge_permission_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET chargePermissions/{id}."""
        return self.request("GET", f"chargePermissions/{_segment(charge_permission_id)}", **options)

    def update_charge_permission(self, charge_permission_id: str, payload: Mapping[str, object],
                                 **options: Unpack[CallOptions]) -> Json:
        """PATCH chargePermissions/{id}."""
        return self.request("PATCH", f"chargePermissions/{_segment(charge_permission_id)}",
                            payload, **options)

    def close_charge_permission(self, charge_permission_id: str, payload: Mapping[str, object],
                                **options: Unpack[CallOptions]) -> Json:
        """DELETE chargePermissions/{id}/close, with a JSON body."""
        return self.request("DELETE", f"chargePermissions/{_segment(charge_permission_id)}/close",
                            payload, **options)

    # --- Charge -------------------------------------------------------------------------------

    def create_charge(self, payload: Mapping[str, object], **options: Unpack[CallOptions]) -> Json:
        """POST charges (201)."""
        return self.request("POST", "charges", payload, **options)

    def get_charge(self, charge_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET charges/{id}."""
        return self.request("GET", f"charges/{_segment(charge_id)}", **options)

    def capture_charge(self, charge_id: str, payload: Mapping[str, object],
                       **options: Unpack[CallOptions]) -> Json:
        """POST charges/{id}/capture."""
        return self.request("POST", f"charges/{_segment(charge_id)}/capture", payload, **options)

    def cancel_charge(self, charge_id: str, payload: Mapping[str, object],
                      **options: Unpack[CallOptions]) -> Json:
        """DELETE charges/{id}/cancel, with a JSON body."""
        return self.request("DELETE", f"charges/{_segment(charge_id)}/cancel", payload, **options)

    # --- Refund -------------------------------------------------------------------------------

    def create_refund(self, payload: Mapping[str, object], **options: Unpack[CallOptions]) -> Json:
        """POST refunds (201)."""
        return self.request("POST", "refunds", payload, **options)

    def get_refund(self, refund_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET refunds/{id}."""
        return self.request("GET", f"refunds/{_segment(refund_id)}", **options)

    # --- Buyer ---------------------------------------------------------------------------------

    def get_buyer(self, buyer_token: str, **options: Unpack[CallOptions]) -> Json:
        """GET buyers/{buyerToken}."""
        return self.request("GET", f"buyers/{_segment(buyer_token)}", **options)

    # --- the button ---------------------------------------------------------------------------

    def generate_button_signature(self, payload_json: str) -> str:
        """The signature of a button payload, as the SDKs' `generateButtonSignature` (§5.4)."""
        return sign_button_payload(payload_json, self.private_key, self.algorithm)

    # --- Reports (docs/reference/amazon-pay-v2.md §1.7) ------------------------------------------

    def create_report(self, payload: Mapping[str, object], **options: Unpack[CallOptions]) -> Json:
        """POST reports (201 `{reportId}`)."""
        return self.request("POST", "reports", payload, **options)

    def get_reports(self, **options: Unpack[CallOptions]) -> Json:
        """GET reports; filters in `query` (reportTypes, processingStatuses, createdSince, ...)."""
        return self.request("GET", "reports", **options)

    def get_report_by_id(self, report_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET reports/{reportId}."""
        return self.request("GET", f"reports/{_segment(report_id)}", **options)

    def get_report_document(self, report_document_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET report-documents/{reportDocumentId}: `{reportDocumentId, url, compressionAlgorithm}`."""
        return self.request("GET", f"report-documents/{_segment(report_document_id)}", **options)

    def create_report_schedule(self, payload: Mapping[str, object], **options: Unpack[CallOptions]) -> Json:
        """POST report-schedules (`{reportScheduleId}`)."""
        return self.request("POST", "report-schedules", payload, **options)

    def get_report_schedules(self, **options: Unpack[CallOptions]) -> Json:
        """GET report-schedules; `query` may name reportTypes."""
        return self.request("GET", "report-schedules", **options)

    def get_report_schedule_by_id(self, report_schedule_id: str, **options: Unpack[CallOptions]) -> Json:
        """GET report-schedules/{reportScheduleId}."""
        return self.request("GET", f"report-schedules/{_segment(report_schedule_id)}", **options)

    def cancel_report_schedule(self, report_schedule_id: str, **options: Unpack[CallOptions]) -> Json:
        """DELETE report-schedules/{reportScheduleId}."""
        return self.request("DELETE", f"report-schedules/{_segment(report_schedule_id)}", **options)

    def get_disbursements(self, **options: Unpack[CallOptions]) -> Json:
        """GET disbursements; `query` holds startTime, endTime, pageSize, nextToken."""
        return self.request("GET", "disbursements", **options)

    def download_report_document(self, url: str) -> bytes:
        """The file behind a report document's url (a pre-signed url: fetched unsigned).

        Raises `AmazonPayApiError` with the `<Code>` of the XML error body when it is refused.
        """
        response = self._http.get(url)
        self.last_response = response
        if not 200 <= response.status_code < 300:
            code = _XML_CODE.search(response.text)
            raise AmazonPayApiError(response.status_code, code.group(1) if code else "", response.text,
                                    response.headers.get("x-amz-pay-request-id"))
        return response.content

    # --- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the httpx client if this client made it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> AmazonPayClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _segment(value: str) -> str:
    """An id as one path segment (ids are URL-safe; anything else is percent-encoded)."""
    return quote(value, safe="")
