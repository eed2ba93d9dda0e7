"""Verifying a signed request on the server side, and the errors that reject one (§4.2).

The recipe of docs/reference/official-sdks.md §1.3 (docs/reference/amazon-pay-v2.md §5.2), which tolerates
the SDK differences
listed in §1.2 by trying each canonical request an SDK may have signed. The verifier does not read
the clock: the caller judges clock skew from the parsed date.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from harness.api.canonical import (
    Algorithm,
    path_candidates,
    pss_padding,
    query_candidates,
    request_tail,
    split_request_target,
    string_to_sign,
)
from harness.api.http import Headers
from harness.errors import HarnessError

__all__ = [
    "VERIFIED_IN_PROCESS",
    "InvalidDateError",
    "InvalidHeaderValueError",
    "InvalidSignatureError",
    "MalformedAuthorizationError",
    "MissingHeaderError",
    "SignatureError",
    "UnknownPublicKeyError",
    "VerifiedRequest",
    "VerifiedRequests",
    "parse_amz_date",
    "parse_authorization",
    "verify_request",
]

PARSED_KEPT = 256
"""How many distinct dates and Authorization headers the parsers remember."""
VERIFIED_KEPT = 1024
"""How many verified requests a `VerifiedRequests` cache keeps (the oldest go first)."""
VERIFIED_BODY_LIMIT = 16 * 1024
"""Bodies longer than this (bytes) are never kept in a `VerifiedRequests` cache: it stays small."""

REQUIRED_SIGNED_HEADERS = ("x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region")
IDEMPOTENCY_KEY = "x-amz-pay-idempotency-key"
"""Headers every SDK signs (docs/reference/amazon-pay-v2.md §5.2 step 3); a request must sign all three."""


# --- errors -----------------------------------------------------------------------------------


class SignatureError(HarnessError):
    """A signing or verification failure, with Amazon's `reasonCode` and HTTP status (§4.2)."""

    reason_code: ClassVar[str] = "InvalidRequestSignature"
    http_status: ClassVar[int] = 403

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingHeaderError(SignatureError):
    """Authorization, or a header named in SignedHeaders, is absent: 400 `MissingHeader`."""

    reason_code = "MissingHeader"
    http_status = 400


class InvalidHeaderValueError(SignatureError):
    """A signing header is present but unusable: 400 `InvalidHeaderValue`."""

    reason_code = "InvalidHeaderValue"
    http_status = 400


class MalformedAuthorizationError(InvalidHeaderValueError):
    """The Authorization header does not parse, or names an unknown algorithm."""


class InvalidDateError(InvalidHeaderValueError):
    """`x-amz-pay-date` is in neither of the two formats the SDKs send."""


class UnknownPublicKeyError(SignatureError):
    """No public key is registered under the PublicKeyId: 403 `InvalidRequestSignature`.

    docs/reference/amazon-pay-v2.md §5.2 step 1 leaves 401 `UnauthorizedAccess` vs 403 open. We answer 403:
    the
    signature cannot be checked, and a failed signature check is what §4.2 files under this code.
    """


class InvalidSignatureError(SignatureError):
    """The signature does not verify: 403 `InvalidRequestSignature` (§4.2)."""

    def __init__(self, message: str, canonical_requests: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.canonical_requests = tuple(canonical_requests)
        """The canonical requests that were tried, for debugging a client."""


# --- x-amz-pay-date ---------------------------------------------------------------------------

_DATE_PATTERNS = (
    # docs/reference/official-sdks.md §1.2: PHP/Java/.NET/Python send the basic form, Node the extended one.
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z"),
    re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z"),
)


@lru_cache(maxsize=PARSED_KEPT)
def parse_amz_date(value: str) -> datetime:
    """Parse `20261128T011526Z` or `2026-11-28T01:12:12Z` to an aware UTC datetime.

    Memoised (a pure function of the text; a refused text is not kept): an SDK sends the same
    date on every request of a second, and the handler and the verifier both read it.
    """
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            try:  # the fields straight from the pattern: strptime costs ~10x more on every request
                year, month, day, hour, minute, second = (int(part) for part in match.groups())
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except ValueError as error:
                raise InvalidDateError(f"x-amz-pay-date {value!r} is not a valid time") from error
    raise InvalidDateError(
        f"x-amz-pay-date {value!r} is neither YYYYMMDDTHHMMSSZ nor YYYY-MM-DDTHH:MM:SSZ"
    )


# --- Authorization header ---------------------------------------------------------------------

# docs/reference/official-sdks.md §1.3 step 1 (fullmatch stands for its ^...$).
_AUTHORIZATION = re.compile(
    r"(AMZN-PAY-RSASSA-PSS(?:-V2)?) PublicKeyId=([^,\s]+),\s*SignedHeaders=([^,\s]+),"
    r"\s*Signature=(\S+)"
)
_AUTHORIZATION_SHAPE = "<algorithm> PublicKeyId=<id>, SignedHeaders=<a;b;...>, Signature=<base64>"


@dataclass(frozen=True)
class ParsedAuthorization:
    """The four parts of an Authorization header; SignedHeaders names keep their case."""

    algorithm: Algorithm
    public_key_id: str
    signed_headers: tuple[str, ...]
    signature: str

    @property
    def signed_headers_line(self) -> str:
        """The SignedHeaders value exactly as received."""
        return ";".join(self.signed_headers)


def _authorization_problem(value: str) -> str:
    scheme = value.strip().split(" ", 1)[0]
    if scheme not in set(Algorithm):
        known = " or ".join(Algorithm)
        return f"Authorization algorithm {scheme!r} is unknown: expected {known}"
    return f"Authorization {value!r} does not have the form '{_AUTHORIZATION_SHAPE}'"


@lru_cache(maxsize=PARSED_KEPT)
def parse_authorization(value: str) -> ParsedAuthorization:
    """Parse an Authorization header, or raise `MalformedAuthorizationError` saying why not.

    Memoised like `parse_amz_date` (the result is frozen; a refused header is not kept): the
    handler and the verifier both parse it.
    """
    match = _AUTHORIZATION.fullmatch(value.strip())
    if match is None:
        raise MalformedAuthorizationError(_authorization_problem(value))
    algorithm, public_key_id, names, signature = match.groups()
    signed_headers = tuple(names.split(";"))
    if "" in signed_headers:
        raise MalformedAuthorizationError(f"SignedHeaders {names!r} has an empty header name")
    return ParsedAuthorization(Algorithm(algorithm), public_key_id, signed_headers, signature)


# --- RSASSA-PSS -------------------------------------------------------------------------------


def decode_signature(signature: str) -> bytes:
    """The raw bytes of a base64 signature, or `InvalidSignatureError`."""
    try:
        return base64.b64decode(signature, validate=True)
    except ValueError as error:
        raise InvalidSignatureError(f"signature {signature[:16]!r}... is not base64") from error


def signature_matches(public_key: RSAPublicKey, signature: bytes, text: str,
                      algorithm: Algorithm) -> bool:
    """Whether `signature` is `algorithm`'s RSASSA-PSS signature of `text` under `public_key`."""
    try:
        public_key.verify(signature, text.encode("utf-8"), pss_padding(algorithm), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


# --- verification -----------------------------------------------------------------------------

PublicKeyLookup = Callable[[str], RSAPublicKey | None]
"""Public key registered under a PublicKeyId, or None (see `harness.api.keys.KeyRegistry`)."""


@dataclass(frozen=True)
class VerifiedRequest:
    """What a valid signature establishes; clock skew and environment are the caller's to judge."""

    algorithm: Algorithm
    public_key_id: str
    signed_headers: tuple[str, ...]
    date: datetime
    canonical_request: str = field(repr=False)


def _find_header(headers: Mapping[str, str], name: str) -> str:
    if isinstance(headers, Headers):
        found = headers.get(name)
        if found is not None:
            return found.strip()
    else:
        for key, value in headers.items():
            if key.lower() == name:
                return value.strip()
    raise MissingHeaderError(f"the {name} header is missing")


def _require_signed(signed_headers: Sequence[str]) -> None:
    present = {name.lower() for name in signed_headers}
    missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in present]
    if missing:
        raise MalformedAuthorizationError(f"SignedHeaders must include {', '.join(missing)}")


def _refuse_unsigned_idempotency_key(headers: Mapping[str, str], signed_headers: Sequence[str]) -> None:
    """An idempotency key that is sent must be signed (D-WIRE-SIGNED-HEADERS): a fresh key added to a
    captured request must not make it create another Charge."""
    signed = {name.lower() for name in signed_headers}
    if any(name.lower() == IDEMPOTENCY_KEY for name in headers) and IDEMPOTENCY_KEY not in signed:
        raise InvalidSignatureError(f"the header {IDEMPOTENCY_KEY} is sent but not in SignedHeaders; an "
                                    "idempotency key must be signed with the request")


def _public_key(lookup: PublicKeyLookup, public_key_id: str) -> RSAPublicKey:
    public_key = lookup(public_key_id)
    if public_key is None:
        raise UnknownPublicKeyError(f"no public key is registered as PublicKeyId {public_key_id!r}")
    return public_key


def _candidate_requests(method: str, target: str, raw_query: str | None,
                        tail: str) -> Iterator[str]:
    """Every canonical request an SDK may have signed for this target (§1.3 steps 2-3)."""
    path, target_query = split_request_target(target)
    query = raw_query if raw_query is not None else target_query or ""
    for uri in path_candidates(path):
        for canonical_query_string in query_candidates(query):
            yield "\n".join((method, uri, canonical_query_string, tail))


class VerifiedRequests:
    """Requests whose signature verified, by everything they were verified from (bounded, oldest out).

    Why a hit may skip the work: verification is a pure function of its inputs. The canonical
    requests tried are built from the method, the target, the query, the headers and the body
    alone; RSASSA-PSS verification of a signature over a text under a public key is deterministic
    (the salt is inside the signature); and the key is the one registered under the id the
    Authorization header names. So a request equal in all of these (every header, not only the
    signed ones) to one that verified, under the very same key object, verifies again, and gets the
    same `VerifiedRequest`. Only successes are kept, so every refusal is decided afresh; a key
    registered anew under an id is another object and misses. What is not part of verification
    runs on every request in the caller: the required headers, `x-amz-pay-date` against the clock,
    the key's environment. A retrying SDK resends one signed request byte for byte, which is what a
    hit saves (~30 µs of RSA and the canonical request); a freshly signed request always misses.
    Thread safe.
    """

    def __init__(self, kept: int = VERIFIED_KEPT) -> None:
        self._kept = kept
        self._entries: dict[_RequestKey, tuple[RSAPublicKey, VerifiedRequest]] = {}
        self._lock = threading.Lock()

    def get(self, key: _RequestKey, public_key_lookup: PublicKeyLookup) -> VerifiedRequest | None:
        """The verification of the request `key` if it verified before under the key registered now."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        public_key, verified = entry
        return verified if public_key_lookup(verified.public_key_id) is public_key else None

    def put(self, key: _RequestKey, public_key: RSAPublicKey, verified: VerifiedRequest) -> None:
        """Remember that the request `key` verified under `public_key`."""
        with self._lock:
            if len(self._entries) >= self._kept:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (public_key, verified)

    def __len__(self) -> int:
        return len(self._entries)


VERIFIED_IN_PROCESS = VerifiedRequests()
"""The verified requests of the process, shared by every handler (every simulator).

A hit needs the very key object registered now under the request's key id, in the asking handler's
lookup (`VerifiedRequests.get`), so a simulator with another key under that id misses. Shared,
the scenarios of a suite skip the RSA work for the requests the scenarios before them sent byte
for byte (seeded ids, simulated time and kept signatures make most of a scenario's reads such
requests): over features/, 1,094 of 1,482 requests were verified afresh with one cache per handler
(docs/performance.md, P2)."""

_RequestKey = tuple[str, str, str | None, tuple[tuple[str, str], ...], bytes]
"""Method, target, raw query, every header (name, value) as received, body."""


def verify_request(method: str, target: str, raw_query: str | None, headers: Mapping[str, str],
                   body: bytes, *, public_key_lookup: PublicKeyLookup,
                   verified: VerifiedRequests | None = None) -> VerifiedRequest:
    """Verify a received request by docs/reference/official-sdks.md §1.3, or raise a `SignatureError`.

    `target` is the request-target as received (origin-form or absolute-form); `raw_query` is the
    undecoded query string, or None to take it from `target`. Header names match in any case.
    `verified` remembers requests that verified (see `VerifiedRequests`); None: none are.
    """
    if verified is None or len(body) > VERIFIED_BODY_LIMIT:
        return _verify(method, target, raw_query, headers, body, public_key_lookup=public_key_lookup)[1]
    pairs = headers.pairs() if isinstance(headers, Headers) else tuple(headers.items())
    key: _RequestKey = (method, target, raw_query, pairs, body)
    known = verified.get(key, public_key_lookup)
    if known is not None:
        return known
    public_key, result = _verify(method, target, raw_query, headers, body,
                                 public_key_lookup=public_key_lookup)
    verified.put(key, public_key, result)
    return result


def _verify(method: str, target: str, raw_query: str | None, headers: Mapping[str, str],
            body: bytes, *, public_key_lookup: PublicKeyLookup) -> tuple[RSAPublicKey, VerifiedRequest]:
    """The key the request verified under and what it establishes, or raise a `SignatureError`."""
    auth = parse_authorization(_find_header(headers, "authorization"))
    _require_signed(auth.signed_headers)
    _refuse_unsigned_idempotency_key(headers, auth.signed_headers)
    public_key = _public_key(public_key_lookup, auth.public_key_id)
    try:
        tail = request_tail(headers, auth.signed_headers, body)
    except KeyError as error:
        raise MissingHeaderError(
            f"header {error.args[0]!r} is in SignedHeaders but not in the request") from error
    date = parse_amz_date(_find_header(headers, "x-amz-pay-date"))
    signature = decode_signature(auth.signature)
    tried = []
    for request in _candidate_requests(method, target, raw_query, tail):
        if signature_matches(public_key, signature, string_to_sign(auth.algorithm, request),
                              auth.algorithm):
            return public_key, VerifiedRequest(auth.algorithm, auth.public_key_id, auth.signed_headers,
                                               date, request)
        tried.append(request)
    raise InvalidSignatureError(
        f"the {auth.algorithm.value} signature (salt {auth.algorithm.salt_length}) does not verify"
        f" with the public key {auth.public_key_id!r} for any of {len(tried)} canonical requests",
        tried,
    )
