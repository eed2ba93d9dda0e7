"""IPN: Amazon Pay's notifications arrive as Amazon SNS messages; verify them, then read the object.

Verification follows Amazon SNS's rules for HTTP subscribers: the required keys are present, the
SigningCertURL is https on an `sns.<region>.amazonaws.com` host and ends in `.pem`, the certificate
(downloaded once per URL) signs the message's string to sign, with SHA1withRSA for
SignatureVersion 1 and SHA256withRSA for 2. The message says only which object changed; the shop
GETs it (`Payments.reconcile`) and never trusts a state from the message itself.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["InvalidNotificationError", "Notification", "NotificationVerifier", "download_from"]

CERT_HOST = re.compile(r"^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$")
REQUIRED = ("Message", "MessageId", "Timestamp", "TopicArn", "Type", "Signature", "SigningCertURL",
            "SignatureVersion")
SIGNED_KEYS = {"Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
               "SubscriptionConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
                                            "TopicArn", "Type"),
               "UnsubscribeConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
                                           "TopicArn", "Type")}
HASHES: Mapping[str, Callable[[], hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}


class InvalidNotificationError(ValueError):
    """Not a genuine SNS message from Amazon: the shop answers 400 and does nothing."""


@dataclass(frozen=True)
class Notification:
    """What an Amazon Pay v2 notification says: which object changed."""

    notification_id: str
    notification_type: str
    object_type: str
    object_id: str
    charge_permission_id: str | None


class NotificationVerifier:
    """Checks SNS envelopes; `fetch_certificate` downloads a PEM (requests by default, cached per URL)."""

    def __init__(self, fetch_certificate: Callable[[str], bytes] | None = None,
                 trusted_ca_pem: str | None = None) -> None:
        self._fetch = fetch_certificate or _download
        self._certificates: dict[str, x509.Certificate] = {}
        self._trusted_ca = (None if trusted_ca_pem is None
                            else x509.load_pem_x509_certificate(trusted_ca_pem.encode()))

    def verify(self, body: str | bytes) -> dict[str, Any]:
        """The envelope, once its signature is checked; `InvalidNotificationError` otherwise."""
        try:
            envelope = json.loads(body)
        except ValueError as error:
            raise InvalidNotificationError(f"the body is not JSON: {error}") from None
        if not isinstance(envelope, dict):
            raise InvalidNotificationError("the body is not an SNS message")
        missing = [key for key in REQUIRED if key not in envelope]
        if missing:
            raise InvalidNotificationError(f"the SNS message lacks {', '.join(missing)}")
        kind = str(envelope["Type"])
        version = str(envelope["SignatureVersion"])
        if kind not in SIGNED_KEYS or version not in HASHES:
            raise InvalidNotificationError(f"unsupported SNS Type {kind} / SignatureVersion {version}")
        certificate = self._certificate(str(envelope["SigningCertURL"]))
        public_key = certificate.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise InvalidNotificationError("the SNS signing certificate has no RSA key")
        to_sign = "".join(f"{key}\n{envelope[key]}\n" for key in SIGNED_KEYS[kind] if key in envelope)
        try:
            signature = base64.b64decode(str(envelope["Signature"]), validate=True)
            public_key.verify(signature, to_sign.encode("utf-8"), padding.PKCS1v15(), HASHES[version]())
        except (InvalidSignature, ValueError):
            raise InvalidNotificationError("the SNS signature does not verify") from None
        return envelope

    def notification(self, envelope: Mapping[str, Any]) -> Notification:
        """The Amazon Pay message inside a verified Notification envelope."""
        try:
            message = json.loads(envelope["Message"])
            return Notification(str(message["NotificationId"]), str(message["NotificationType"]),
                                str(message["ObjectType"]), str(message["ObjectId"]),
                                message.get("ChargePermissionId"))
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotificationError(f"not an Amazon Pay notification: {error}") from None

    def _certificate(self, url: str) -> x509.Certificate:
        parts = urlsplit(url)
        on_sns = CERT_HOST.match(parts.hostname or "") is not None
        if parts.scheme != "https" or not on_sns or not parts.path.endswith(".pem"):
            raise InvalidNotificationError(f"the SigningCertURL {url} is not an https .pem on an SNS host")
        if url not in self._certificates:
            try:
                certificate = x509.load_pem_x509_certificate(self._fetch(url))
            except (requests.RequestException, ValueError) as error:
                raise InvalidNotificationError(f"cannot read the SNS certificate {url}: {error}") from None
            self._check_issuer(certificate)
            self._certificates[url] = certificate
        return self._certificates[url]

    def _check_issuer(self, certificate: x509.Certificate) -> None:
        if self._trusted_ca is None:
            return  # production: the certificate came over TLS from an SNS host
        try:
            certificate.verify_directly_issued_by(self._trusted_ca)
        except (ValueError, TypeError, InvalidSignature):
            raise InvalidNotificationError("the SNS certificate is not issued by the trusted CA") from None


def _download(url: str) -> bytes:
    answer = requests.get(url, timeout=10)
    answer.raise_for_status()
    return answer.content


def download_from(base: str | None) -> Callable[[str], bytes]:
    """Download certificates from their URL, or their path under `base` when given (test-only)."""
    if base is None:
        return _download
    return lambda url: _download(base.rstrip("/") + urlsplit(url).path)
