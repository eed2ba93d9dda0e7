r"""Amazon Pay API v2 request signing: a client that signs like the SDKs, a verifier for them all.

The scheme (official-sdks.md §1.1, amazon-pay-v2.md §5.2)::

    CanonicalRequest = METHOD \n URI \n QUERY \n HEADER-LINES \n SIGNED-HEADERS \n hex(sha256(body))
    StringToSign     = ALG \n hex(sha256(CanonicalRequest))
    Authorization    = ALG PublicKeyId=<id>, SignedHeaders=<a;b>, Signature=<base64 RSASSA-PSS>

The client side follows the Java SDK, whose 34 test vectors it reproduces. The server side follows
the recipe of official-sdks.md §1.3, which tolerates the SDK differences listed in §1.2. Neither
side reads the clock: callers pass `now` when signing and judge clock skew from the parsed date.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar
from urllib.parse import quote, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = [
    "DEFAULT_HOSTS",
    "REQUIRED_SIGNED_HEADERS",
    "Algorithm",
    "InvalidDateError",
    "InvalidHeaderValueError",
    "InvalidSignatureError",
    "MalformedAuthorizationError",
    "MissingHeaderError",
    "ParsedAuthorization",
    "PublicKeyLookup",
    "SignatureError",
    "UnknownPublicKeyError",
    "VerifiedRequest",
    "assemble_canonical_request",
    "authorization_header",
    "canonical_headers",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "format_amz_date",
    "normalise_query",
    "parse_amz_date",
    "parse_authorization",
    "parse_raw_query",
    "path_candidates",
    "php_stripcslashes",
    "query_candidates",
    "sign_button_payload",
    "sign_request",
    "sign_string",
    "split_request_target",
    "string_to_sign",
    "verify_button_signature",
    "verify_request",
]

JSON = "application/json"

DEFAULT_HOSTS: Mapping[str, str] = {
    "na": "pay-api.amazon.com",
    "eu": "pay-api.amazon.eu",
    "jp": "pay-api.amazon.jp",
}
"""API host per region (official-sdks.md §2); `x-amz-pay-host` when the URL names no host."""

REQUIRED_SIGNED_HEADERS = ("x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region")
"""Headers every SDK signs (amazon-pay-v2.md §5.2 step 3); a request must sign all three."""


class Algorithm(StrEnum):
    """The two signature algorithms; only the PSS salt and the StringToSign prefix differ."""

    LEGACY = "AMZN-PAY-RSASSA-PSS"
    V2 = "AMZN-PAY-RSASSA-PSS-V2"

    @property
    def salt_length(self) -> int:
        """PSS salt length in bytes: 20 legacy, 32 V2 (official-sdks.md §1.1)."""
        return 32 if self is Algorithm.V2 else 20


# --- errors -----------------------------------------------------------------------------------


class SignatureError(Exception):
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

    amazon-pay-v2.md §5.2 step 1 leaves 401 `UnauthorizedAccess` vs 403 open. We answer 403: the
    signature cannot be checked, and a failed signature check is what §4.2 files under this code.
    """


class InvalidSignatureError(SignatureError):
    """The signature does not verify: 403 `InvalidRequestSignature` (§4.2)."""

    def __init__(self, message: str, canonical_requests: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.canonical_requests = tuple(canonical_requests)
        """The canonical requests that were tried, for debugging a client."""


# --- canonical parts --------------------------------------------------------------------------

_SLASH_RUN = re.compile(r"/{2,}")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _rfc3986(text: str, safe: str = "") -> str:
    """Percent-encode the UTF-8 bytes of all but `A-Za-z0-9-._~` and `safe` (upper-case hex)."""
    return quote(text, safe=safe)


def _rooted(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _collapsed(path: str) -> str:
    """Collapse runs of '/', keep a trailing '/', '' becomes '/' (official-sdks.md §1.3 step 2)."""
    return _rooted(_SLASH_RUN.sub("/", path))


def _java_path(path: str) -> str:
    """Decode, collapse '/' runs, re-encode strictly keeping '/' (Java canonical URI, §1.2)."""
    return _collapsed(_rfc3986(unquote(path), safe="/"))


def canonical_uri(path: str) -> str:
    """Canonical URI by the Java rules, for a path or a URL (official-sdks.md §1.2, §4).

    The argument is parsed as a URI reference, like `java.net.URI`: so `//foo//` names host `foo`
    and path `//`, which gives `/` as the Java vectors expect.
    """
    return _java_path(urlsplit(path).path)


def _as_values(values: Sequence[str] | str) -> Sequence[str]:
    return [values] if isinstance(values, str) else values


def canonical_query(params: Mapping[str, Sequence[str]]) -> str:
    """RFC 3986-encode keys and values, sort keys, then values within a key (Java, §1.2).

    A bare string value counts as one value. An empty value is kept (`nextToken=`).
    """
    encoded = {
        _rfc3986(key): sorted(_rfc3986(value) for value in _as_values(values))
        for key, values in params.items()
    }
    return "&".join(f"{key}={value}" for key in sorted(encoded) for value in encoded[key])


def parse_raw_query(raw_query: str) -> dict[str, list[str]]:
    """Split a wire query on '&' and percent-decode each `key=value` ('+' stays '+')."""
    params: dict[str, list[str]] = {}
    for segment in filter(None, raw_query.split("&")):
        key, _, value = segment.partition("=")
        params.setdefault(unquote(key), []).append(unquote(value))
    return params


def normalise_query(raw_query: str) -> str:
    """The Java form of a received query: decoded, strictly re-encoded, sorted (§1.3 step 3)."""
    return canonical_query(parse_raw_query(raw_query))


def query_candidates(raw_query: str) -> tuple[str, ...]:
    """Canonical queries to try: verbatim (Node/PHP/Python), then normalised (§1.3 step 3)."""
    return _unique((raw_query, normalise_query(raw_query)))


def path_candidates(path: str) -> tuple[str, ...]:
    """Canonical URIs to try: as received, '/' runs collapsed, then Java-encoded (§1.3 step 2).

    The second form only differs for characters Java encodes but leaves raw on the wire (`*`).
    """
    return _unique((_collapsed(path), _java_path(path)))


def split_request_target(target: str) -> tuple[str, str | None]:
    """Path and raw query (None if no '?') of an origin- or absolute-form request-target.

    Absolute form is what the Node SDK sends through an HTTP proxy (official-sdks.md §2).
    """
    if target.startswith("/"):
        path, mark, query = target.partition("?")
        return path, query if mark else None
    parts = urlsplit(target)
    return parts.path, parts.query if "?" in target else None


def canonical_headers(headers: Mapping[str, str], signed_headers: Sequence[str]) -> str:
    """One `lower(name):trim(value)` line per signed header, in list order (§1.3 step 4).

    Names are looked up case-insensitively; a name that is not in `headers` raises
    `MissingHeaderError`.
    """
    by_name = {name.lower(): value for name, value in headers.items()}
    lines = []
    for name in signed_headers:
        value = by_name.get(name.lower())
        if value is None:
            raise MissingHeaderError(f"header {name!r} is in SignedHeaders but not in the request")
        lines.append(f"{name.lower()}:{value.strip()}\n")
    return "".join(lines)


def _sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _request_tail(headers: Mapping[str, str], signed_headers: Sequence[str],
                  body: bytes | str) -> str:
    """The part after the query: header lines, SignedHeaders verbatim, body hash (§1.1)."""
    # The header block ends in '\n', so a blank line precedes the SignedHeaders line.
    return "\n".join((canonical_headers(headers, signed_headers), ";".join(signed_headers),
                      _sha256_hex(body)))


def assemble_canonical_request(method: str, uri: str, query: str, headers: Mapping[str, str],
                               signed_headers: Sequence[str], *, body: bytes | str = b"") -> str:
    """Canonical request from an already canonical URI and query; SignedHeaders used verbatim."""
    return "\n".join((method, uri, query, _request_tail(headers, signed_headers, body)))


def canonical_request(method: str, path: str, query: Mapping[str, Sequence[str]],
                      headers: Mapping[str, str], signed_headers: Sequence[str], *,
                      body: bytes | str = b"") -> str:
    """Canonical request as the Java SDK builds it; `path` may be a path or a URL."""
    return assemble_canonical_request(method, canonical_uri(path), canonical_query(query),
                                      headers, signed_headers, body=body)


def string_to_sign(algorithm: Algorithm, canonical: str | bytes) -> str:
    """`ALG \\n hex(sha256(canonical))`: for requests (§1.1) and button payloads (§5.4)."""
    return f"{algorithm.value}\n{_sha256_hex(canonical)}"


# --- x-amz-pay-date ---------------------------------------------------------------------------

_DATE_FORMATS = (
    # official-sdks.md §1.2: PHP/Java/.NET/Python send the basic form, Node the extended one.
    (re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z"), "%Y%m%dT%H%M%SZ"),
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z"),
     "%Y-%m-%dT%H:%M:%SZ"),
)


def parse_amz_date(value: str) -> datetime:
    """Parse `20261128T011526Z` or `2026-11-28T01:12:12Z` to an aware UTC datetime."""
    for pattern, _ in _DATE_FORMATS:
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


def format_amz_date(moment: datetime, *, extended: bool = False) -> str:
    """`20261128T011526Z` (Java/PHP), or `2026-11-28T01:12:12Z` (Node) if `extended`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware datetime")
    return moment.astimezone(UTC).strftime(_DATE_FORMATS[1 if extended else 0][1])


# --- Authorization header ---------------------------------------------------------------------

# official-sdks.md §1.3 step 1 (fullmatch stands for its ^...$).
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


def parse_authorization(value: str) -> ParsedAuthorization:
    """Parse an Authorization header, or raise `MalformedAuthorizationError` saying why not."""
    match = _AUTHORIZATION.fullmatch(value.strip())
    if match is None:
        raise MalformedAuthorizationError(_authorization_problem(value))
    algorithm, public_key_id, names, signature = match.groups()
    signed_headers = tuple(names.split(";"))
    if "" in signed_headers:
        raise MalformedAuthorizationError(f"SignedHeaders {names!r} has an empty header name")
    return ParsedAuthorization(Algorithm(algorithm), public_key_id, signed_headers, signature)


def authorization_header(algorithm: Algorithm, public_key_id: str, signed_headers: Sequence[str],
                         signature: str) -> str:
    """`ALG PublicKeyId=id, SignedHeaders=a;b, Signature=b64` (official-sdks.md §1.1)."""
    return (f"{algorithm.value} PublicKeyId={public_key_id}, "
            f"SignedHeaders={';'.join(signed_headers)}, Signature={signature}")


# --- RSASSA-PSS -------------------------------------------------------------------------------


def _pss(algorithm: Algorithm) -> padding.PSS:
    # official-sdks.md §1.1: SHA-256, MGF1(SHA-256), salt strictly 20 or 32 by algorithm.
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=algorithm.salt_length)


def sign_string(text: str, private_key: RSAPrivateKey, algorithm: Algorithm) -> str:
    """Base64 RSASSA-PSS signature of the UTF-8 bytes of `text`."""
    raw = private_key.sign(text.encode("utf-8"), _pss(algorithm), hashes.SHA256())
    return base64.b64encode(raw).decode("ascii")


def _decode_signature(signature: str) -> bytes:
    try:
        return base64.b64decode(signature, validate=True)
    except ValueError as error:
        raise InvalidSignatureError(f"signature {signature[:16]!r}... is not base64") from error


def _signature_matches(public_key: RSAPublicKey, signature: bytes, text: str,
                       algorithm: Algorithm) -> bool:
    try:
        public_key.verify(signature, text.encode("utf-8"), _pss(algorithm), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


# --- client side ------------------------------------------------------------------------------


def _host_for(url_host: str | None, region: str, host: str | None) -> str:
    chosen = host or url_host or DEFAULT_HOSTS.get(region.lower())
    if chosen is None:
        raise ValueError(f"no host in the URL and no default host for region {region!r}")
    return chosen


def _client_headers(host: str, region: str, now: datetime,
                    extra: Mapping[str, str]) -> dict[str, str]:
    """The headers the Java SDK signs: its five, plus the caller's, lower-cased (§1.2)."""
    headers = {"accept": JSON, "content-type": JSON, "x-amz-pay-date": format_amz_date(now),
               "x-amz-pay-host": host, "x-amz-pay-region": region}
    for name, value in extra.items():
        if name.lower() == "authorization":
            raise ValueError("the authorization header is computed by sign_request")
        headers[name.lower()] = value
    return headers


def sign_request(method: str, url: str, *, public_key_id: str, private_key: RSAPrivateKey,
                 region: str, now: datetime, query: Mapping[str, Sequence[str]] | None = None,
                 body: bytes | str = b"", headers: Mapping[str, str] | None = None,
                 algorithm: Algorithm = Algorithm.LEGACY,
                 host: str | None = None) -> dict[str, str]:
    """Sign a request like the Java SDK and return every header to send, lower-case names.

    `url` is a URL or a path; its query is used when `query` is None. `region` is sent verbatim
    (`jp`, or `JP` as Java does). `x-amz-pay-host` is `host`, else the URL's host without port,
    else the region's API host. The wire query should be `canonical_query(query)`.
    """
    parts = urlsplit(url)
    params = parse_raw_query(parts.query) if query is None else query
    to_send = _client_headers(_host_for(parts.hostname, region, host), region, now, headers or {})
    signed = sorted(to_send)
    request = canonical_request(method.upper(), url, params, to_send, signed, body=body)
    signature = sign_string(string_to_sign(algorithm, request), private_key, algorithm)
    return {**to_send, "authorization": authorization_header(algorithm, public_key_id, signed,
                                                             signature)}


# --- server side ------------------------------------------------------------------------------

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
    for key, value in headers.items():
        if key.lower() == name:
            return value.strip()
    raise MissingHeaderError(f"the {name} header is missing")


def _require_signed(signed_headers: Sequence[str]) -> None:
    present = {name.lower() for name in signed_headers}
    missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in present]
    if missing:
        raise MalformedAuthorizationError(f"SignedHeaders must include {', '.join(missing)}")


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


def verify_request(method: str, target: str, raw_query: str | None, headers: Mapping[str, str],
                   body: bytes, *, public_key_lookup: PublicKeyLookup) -> VerifiedRequest:
    """Verify a received request by official-sdks.md §1.3, or raise a `SignatureError`.

    `target` is the request-target as received (origin-form or absolute-form); `raw_query` is the
    undecoded query string, or None to take it from `target`. Header names match in any case.
    """
    auth = parse_authorization(_find_header(headers, "authorization"))
    _require_signed(auth.signed_headers)
    public_key = _public_key(public_key_lookup, auth.public_key_id)
    tail = _request_tail(headers, auth.signed_headers, body)
    date = parse_amz_date(_find_header(headers, "x-amz-pay-date"))
    signature = _decode_signature(auth.signature)
    tried = []
    for request in _candidate_requests(method, target, raw_query, tail):
        if _signature_matches(public_key, signature, string_to_sign(auth.algorithm, request),
                              auth.algorithm):
            return VerifiedRequest(auth.algorithm, auth.public_key_id, auth.signed_headers, date,
                                   request)
        tried.append(request)
    raise InvalidSignatureError(
        f"the {auth.algorithm.value} signature (salt {auth.algorithm.salt_length}) does not verify"
        f" with the public key {auth.public_key_id!r} for any of {len(tried)} canonical requests",
        tried,
    )


# --- button signature (amazon-pay-v2.md §5.4) -------------------------------------------------

_C_ESCAPE = re.compile(rb"\\(?:x(?P<hex>[0-9A-Fa-f]{1,2})|(?P<oct>[0-7]{1,3})|(?P<char>.))",
                       re.DOTALL)
_C_SIMPLE = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"a": b"\a", b"v": b"\v", b"b": b"\b",
             b"f": b"\f"}


def _unescape_c(match: re.Match[bytes]) -> bytes:
    if match["hex"] is not None:
        return bytes([int(match["hex"], 16)])
    if match["oct"] is not None:
        return bytes([int(match["oct"], 8) & 0xFF])
    char: bytes = match["char"]
    return _C_SIMPLE.get(char, char)


def php_stripcslashes(data: bytes) -> bytes:
    """PHP `stripcslashes`: C escapes (`\\n`, `\\x41`, `\\101`) decoded, other `\\c` become `c`."""
    return _C_ESCAPE.sub(_unescape_c, data)


def sign_button_payload(payload_json: str, private_key: RSAPrivateKey,
                        algorithm: Algorithm = Algorithm.LEGACY) -> str:
    """Signature for `amazon.Pay.renderButton`: PSS over `ALG \\n hex(sha256(payload))` (§5.4)."""
    return sign_string(string_to_sign(algorithm, payload_json), private_key, algorithm)


def verify_button_signature(payload_json: str, signature: str, public_key: RSAPublicKey,
                            algorithm: Algorithm = Algorithm.LEGACY) -> None:
    """Check a button signature, or raise `InvalidSignatureError`.

    Accepts a signature over the payload as given, or over its `stripcslashes` form, which is what
    the PHP SDK signs (official-sdks.md §1.3, last paragraph).
    """
    raw = _decode_signature(signature)
    payload = payload_json.encode("utf-8")
    for candidate in dict.fromkeys((payload, php_stripcslashes(payload))):
        if _signature_matches(public_key, raw, string_to_sign(algorithm, candidate), algorithm):
            return
    raise InvalidSignatureError(f"the {algorithm.value} button signature does not verify")
