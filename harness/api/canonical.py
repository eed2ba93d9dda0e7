r"""The canonical request and the string to sign of Amazon Pay API v2 (docs/reference/official-sdks.md §1.1).

    CanonicalRequest = METHOD \n URI \n QUERY \n HEADER-LINES \n SIGNED-HEADERS \n hex(sha256(body))
    StringToSign     = ALG \n hex(sha256(CanonicalRequest))

`canonical_request` builds it by the Java SDK's rules (what `harness.api.signer` signs);
`path_candidates` and `query_candidates` are the other forms an SDK may have signed, which
`harness.api.verifier` tries in turn (§1.2, §1.3).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from harness.api.http import Headers

__all__ = [
    "Algorithm",
    "assemble_canonical_request",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "normalise_query",
    "path_candidates",
    "query_candidates",
    "split_request_target",
    "string_to_sign",
]


class Algorithm(StrEnum):
    """The two signature algorithms; only the PSS salt and the StringToSign prefix differ."""

    LEGACY = "AMZN-PAY-RSASSA-PSS"
    V2 = "AMZN-PAY-RSASSA-PSS-V2"

    @property
    def salt_length(self) -> int:
        """PSS salt length in bytes: 20 legacy, 32 V2 (docs/reference/official-sdks.md §1.1)."""
        return 32 if self is Algorithm.V2 else 20


def pss_padding(algorithm: Algorithm) -> padding.PSS:
    """The padding both sides use for `algorithm`."""
    # docs/reference/official-sdks.md §1.1: SHA-256, MGF1(SHA-256), salt strictly 20 or 32 by algorithm.
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=algorithm.salt_length)


_SLASH_RUN = re.compile(r"/{2,}")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _rfc3986(text: str, safe: str = "") -> str:
    """Percent-encode the UTF-8 bytes of all but `A-Za-z0-9-._~` and `safe` (upper-case hex)."""
    return quote(text, safe=safe)


def _rooted(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _collapsed(path: str) -> str:
    """Collapse runs of '/', keep a trailing '/', '' becomes '/' (docs/reference/official-sdks.md §1.3 step
    2)."""
    return _rooted(_SLASH_RUN.sub("/", path))


def _java_path(path: str) -> str:
    """Decode, collapse '/' runs, re-encode strictly keeping '/' (Java canonical URI, §1.2)."""
    return _collapsed(_rfc3986(unquote(path), safe="/"))


def canonical_uri(path: str) -> str:
    """Canonical URI by the Java rules, for a path or a URL (docs/reference/official-sdks.md §1.2, §4).

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

    Absolute form is what the Node SDK sends through an HTTP proxy (docs/reference/official-sdks.md §2).
    """
    if target.startswith("/"):
        path, mark, query = target.partition("?")
        return path, query if mark else None
    parts = urlsplit(target)
    return parts.path, parts.query if "?" in target else None


def canonical_headers(headers: Mapping[str, str], signed_headers: Sequence[str]) -> str:
    """One `lower(name):trim(value)` line per signed header, in list order (§1.3 step 4).

    Names are looked up case-insensitively; a name that is not in `headers` raises `KeyError`
    with that name (the verifier answers it as a missing header).
    """
    find = headers.get if isinstance(headers, Headers) else {
        name.lower(): value for name, value in headers.items()}.get
    lines = []
    for name in signed_headers:
        value = find(name.lower())
        if value is None:
            raise KeyError(name)
        lines.append(f"{name.lower()}:{value.strip()}\n")
    return "".join(lines)


def _sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def request_tail(headers: Mapping[str, str], signed_headers: Sequence[str],
                 body: bytes | str) -> str:
    """The part after the query: header lines, SignedHeaders verbatim, body hash (§1.1)."""
    # The header block ends in '\n', so a blank line precedes the SignedHeaders line.
    return "\n".join((canonical_headers(headers, signed_headers), ";".join(signed_headers),
                      _sha256_hex(body)))


def assemble_canonical_request(method: str, uri: str, query: str, headers: Mapping[str, str],
                               signed_headers: Sequence[str], *, body: bytes | str = b"") -> str:
    """Canonical request from an already canonical URI and query; SignedHeaders used verbatim."""
    return "\n".join((method, uri, query, request_tail(headers, signed_headers, body)))


def canonical_request(method: str, path: str, query: Mapping[str, Sequence[str]],
                      headers: Mapping[str, str], signed_headers: Sequence[str], *,
                      body: bytes | str = b"") -> str:
    """Canonical request as the Java SDK builds it; `path` may be a path or a URL."""
    return assemble_canonical_request(method, canonical_uri(path), canonical_query(query),
                                      headers, signed_headers, body=body)


def string_to_sign(algorithm: Algorithm, canonical: str | bytes) -> str:
    """`ALG \\n hex(sha256(canonical))`: for requests (§1.1) and button payloads (§5.4)."""
    return f"{algorithm.value}\n{_sha256_hex(canonical)}"
