"""Signing requests like the official SDKs (docs/reference/official-sdks.md §1.1, §1.2): the Java SDK's rules,
whose 34 test vectors `harness.api.canonical` reproduces, with either algorithm.

    Authorization = ALG PublicKeyId=<id>, SignedHeaders=<a;b>, Signature=<base64 RSASSA-PSS>

The signer does not read the clock: callers pass `now`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from harness.api.canonical import (
    Algorithm,
    canonical_request,
    parse_raw_query,
    pss_padding,
    string_to_sign,
)

__all__ = ["DEFAULT_HOSTS", "authorization_header", "format_amz_date", "sign_request", "sign_string"]

JSON = "application/json"

DEFAULT_HOSTS: Mapping[str, str] = {
    "na": "pay-api.amazon.com",
    "eu": "pay-api.amazon.eu",
    "jp": "pay-api.amazon.jp",
}
"""API host per region (docs/reference/official-sdks.md §2); `x-amz-pay-host` when the URL names no host."""

_DATE_FORMATS = ("%Y%m%dT%H%M%SZ", "%Y-%m-%dT%H:%M:%SZ")
"""docs/reference/official-sdks.md §1.2: PHP/Java/.NET/Python send the basic form, Node the extended one."""


def format_amz_date(moment: datetime, *, extended: bool = False) -> str:
    """`20261128T011526Z` (Java/PHP), or `2026-11-28T01:12:12Z` (Node) if `extended`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware datetime")
    return moment.astimezone(UTC).strftime(_DATE_FORMATS[1 if extended else 0])


def authorization_header(algorithm: Algorithm, public_key_id: str, signed_headers: Sequence[str],
                         signature: str) -> str:
    """`ALG PublicKeyId=id, SignedHeaders=a;b, Signature=b64` (docs/reference/official-sdks.md §1.1)."""
    return (f"{algorithm.value} PublicKeyId={public_key_id}, "
            f"SignedHeaders={';'.join(signed_headers)}, Signature={signature}")


def sign_string(text: str, private_key: RSAPrivateKey, algorithm: Algorithm) -> str:
    """Base64 RSASSA-PSS signature of the UTF-8 bytes of `text`."""
    raw = private_key.sign(text.encode("utf-8"), pss_padding(algorithm), hashes.SHA256())
    return base64.b64encode(raw).decode("ascii")


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
