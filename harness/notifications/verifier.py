"""Verifying a notification as a merchant does: the envelope, its certificate URL, the signature, the message.

`verify(body)` follows AWS's rule for SNS HTTP notifications (docs/reference/amazon-pay-v2.md §7.3):
the body is a JSON envelope of `Type` "Notification" with the required keys; its `SigningCertURL`
is https, on an `sns.<region>.amazonaws.com` host, and names a `.pem`; the certificate fetched
from there verifies `Signature` over the string to sign with SHA1withRSA (SignatureVersion "1")
or SHA256withRSA ("2"); the `Message` decodes to the IPN message (§7.1). Anything else raises
`VerificationError`, whose message says what failed. A shop imports it:

    from harness.notifications import verify, VerificationError
    message = verify(request_body)            # fetches the certificate over HTTPS
    message.object_type, message.object_id    # then GET the object: the message has no state
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from harness.errors import HarnessError
from harness.notifications.envelope import (
    CERT_HOST,
    REQUIRED_KEYS,
    SIGNATURE_HASHES,
    Message,
    string_to_sign,
)

__all__ = ["VerificationError", "fetch_certificate", "verify"]

Fetch = Callable[[str], bytes]
FETCH_TIMEOUT = 10.0
"""Seconds the default fetch waits for the certificate."""


class VerificationError(HarnessError, ValueError):
    """The body is not a notification Amazon Pay signed; the message says which check failed."""


_HTTP: list[httpx.Client] = []
_HTTP_LOCK = threading.Lock()


@lru_cache(maxsize=32)
def fetch_certificate(url: str) -> bytes:
    """The PEM at `url` over HTTPS (one client per process; each URL fetched once, as SNS's never change)."""
    with _HTTP_LOCK:
        if not _HTTP:
            _HTTP.append(httpx.Client(timeout=FETCH_TIMEOUT))
        client = _HTTP[0]
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise VerificationError(f"cannot fetch the signing certificate {url}: {error}") from None
    if response.status_code != 200:
        raise VerificationError(f"the signing certificate {url} answered {response.status_code}")
    return response.content


def _envelope(body: str | bytes) -> dict[str, object]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise VerificationError(f"the body is not JSON: {error}") from None
    if not isinstance(envelope, dict):
        raise VerificationError("the body is not a JSON object")
    missing = [key for key in REQUIRED_KEYS if not isinstance(envelope.get(key), str)]
    if missing:
        raise VerificationError(f"the envelope lacks {', '.join(missing)}")
    if envelope["Type"] != "Notification":
        raise VerificationError(f"Type is {envelope['Type']!r}, not 'Notification'")
    return envelope


def _check_cert_url(url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not CERT_HOST.match(host) or not parts.path.endswith(".pem"):
        raise VerificationError(f"SigningCertURL {url!r} is not an https .pem URL on an "
                                "sns.<region>.amazonaws.com host")


@lru_cache(maxsize=32)
def _public_key(pem: bytes, url: str) -> rsa.RSAPublicKey:
    """The certificate's RSA key (each PEM parsed once: a shop's IPN endpoint sees the same few)."""
    try:
        key = x509.load_pem_x509_certificate(pem).public_key()
    except ValueError:
        raise VerificationError(f"{url} holds no PEM certificate") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError(f"the certificate at {url} has no RSA key")
    return key


KEPT_BODIES = 256
"""How many notification bodies `verify` keeps as verified (with the default fetch)."""

_KEPT: dict[tuple[str | bytes, str | None], tuple[Message, str, bytes]] = {}
"""Verified bodies (with the topic asked for): the message, the SigningCertURL and its certificate."""


def verify(body: str | bytes, *, fetch: Fetch | None = None, topic_arn: str | None = None) -> Message:
    """The IPN message of a signed SNS notification body; raises `VerificationError` otherwise.

    `fetch(url) -> bytes` gets the certificate (default: `fetch_certificate`, HTTPS, cached per
    URL); `topic_arn`, when given, must be the envelope's TopicArn (AWS advises rejecting others).
    With the default fetch, a body verified before (the same bytes, the same `topic_arn`) whose
    URL still gives the same certificate is not checked again: a signature check is a pure function
    of the body and that certificate (a redelivery, or the same notification in the next scenario).
    Refusals are not kept: a body that failed is checked afresh.
    """
    if fetch is not None:
        return _verify(body, fetch, topic_arn)[0]
    kept = _KEPT.get((body, topic_arn))
    if kept is not None and fetch_certificate(kept[1]) == kept[2]:
        return kept[0]
    verified = _verify(body, fetch_certificate, topic_arn)
    if len(_KEPT) >= KEPT_BODIES:
        _KEPT.clear()
    _KEPT[body, topic_arn] = verified
    return verified[0]


def _verify(body: str | bytes, fetch: Fetch, topic_arn: str | None) -> tuple[Message, str, bytes]:
    """The message, the SigningCertURL and the certificate that verified it."""
    envelope = _envelope(body)
    version = str(envelope["SignatureVersion"])
    if version not in SIGNATURE_HASHES:
        raise VerificationError(f"SignatureVersion {version!r} is neither '1' nor '2'")
    if topic_arn is not None and envelope["TopicArn"] != topic_arn:
        raise VerificationError(f"TopicArn {envelope['TopicArn']!r} is not the expected {topic_arn!r}")
    url = str(envelope["SigningCertURL"])
    _check_cert_url(url)
    pem = fetch(url)
    key = _public_key(pem, url)
    try:
        signature = base64.b64decode(str(envelope["Signature"]), validate=True)
        key.verify(signature, string_to_sign(envelope), padding.PKCS1v15(), SIGNATURE_HASHES[version]())
    except (binascii.Error, InvalidSignature):
        raise VerificationError("the Signature does not verify with the certificate at "
                                f"{url} (SignatureVersion {version})") from None
    try:
        fields = json.loads(str(envelope["Message"]))
        if not isinstance(fields, dict):
            raise ValueError("not a JSON object")
        return Message.from_fields(fields), url, pem
    except ValueError as error:
        raise VerificationError(f"the Message is not an Amazon Pay notification: {error}") from None
