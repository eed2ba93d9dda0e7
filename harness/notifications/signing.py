"""The simulator's SNS signing identity: an RSA key, a self-signed test certificate, where it is served.

Amazon SNS signs each notification with a key whose certificate it publishes at the envelope's
`SigningCertURL`, `https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem`
(docs/reference/amazon-pay-v2.md §7.3). The simulator makes one such key and a self-signed
certificate per process (RSA 2048, made with `cryptography` once, then reused by every simulator)
and serves the PEM at that URL: in-process through the mounts, and from `harness serve`
(decision D-IPN-CERTIFICATE). The merchant reaches it like the real one, over HTTPS.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from harness.ids import Region
from harness.notifications.envelope import SIGNATURE_HASHES

__all__ = ["CERT_PATH_PREFIX", "SNS_HOSTS", "SNS_REGIONS", "SigningIdentity", "signing_identity", "sns_host"]

SNS_REGIONS: dict[Region, str] = {Region.JP: "ap-northeast-1", Region.NA: "us-east-1", Region.EU: "eu-west-1"}
"""The AWS region whose SNS signs a simulator region's notifications (D-IPN-TOPIC)."""

CERT_PATH_PREFIX = "/SimpleNotificationService-"
"""How the path of a SigningCertURL starts."""

CERT_SUBJECT = "sns.amazonaws.com"
"""The certificate's common name, as SNS's signing certificates carry."""

_SIGNED_KEPT = 4096
"""How many signatures an identity keeps for reuse."""


def sns_host(region: Region) -> str:
    """`sns.ap-northeast-1.amazonaws.com` for Japan: the host of the SigningCertURL."""
    return f"sns.{SNS_REGIONS[region]}.amazonaws.com"


SNS_HOSTS: frozenset[str] = frozenset(sns_host(region) for region in SNS_REGIONS)
"""Every host a simulator's SigningCertURL may name (what `harness serve` answers for)."""


@dataclass(frozen=True)
class SigningIdentity:
    """The key notifications are signed with and its self-signed certificate."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @cached_property
    def pem(self) -> bytes:
        """The certificate as served at the SigningCertURL."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @cached_property
    def path(self) -> str:
        """`/SimpleNotificationService-<32 hex of the certificate's SHA-256>.pem`."""
        return f"{CERT_PATH_PREFIX}{hashlib.sha256(self.pem).hexdigest()[:32]}.pem"

    def cert_url(self, region: Region) -> str:
        """The SigningCertURL for a simulator region."""
        return f"https://{sns_host(region)}{self.path}"

    def sign(self, data: bytes, version: str) -> str:
        """The base64 signature of `data`: SHA1withRSA for version "1", SHA256withRSA for "2".

        PKCS#1 v1.5 signatures are deterministic: the same data signed again gives the same bytes.
        Seeded simulators publish the same notifications scenario after scenario (the shipped
        features: 94 distinct bodies among 900 deliveries), so each signature is kept and reused
        (an RSA signature costs ~1 ms; `_SIGNED_KEPT` of them at most).
        """
        signed = self._signed
        known = signed.get((data, version))
        if known is None:
            algorithm = SIGNATURE_HASHES[version]()
            known = base64.b64encode(self.key.sign(data, padding.PKCS1v15(), algorithm)).decode("ascii")
            if len(signed) >= _SIGNED_KEPT:
                signed.clear()
            signed[(data, version)] = known
        return known

    @cached_property
    def _signed(self) -> dict[tuple[bytes, str], str]:
        """The signatures made, by signed data and SignatureVersion."""
        return {}


def _create() -> SigningIdentity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CERT_SUBJECT),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "amazon-pay-harness (test only)")])
    # datetimes of the class `datetime.datetime` is now (freezegun's under merchant time); a wide,
    # fixed validity so that no simulated clock makes it look expired
    not_before, not_after = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    return SigningIdentity(key, certificate)


_IDENTITY: list[SigningIdentity] = []
_LOCK = threading.Lock()


def signing_identity() -> SigningIdentity:
    """The process's signing identity, made on first use (RSA key generation takes ~0.1 s)."""
    with _LOCK:
        if not _IDENTITY:
            _IDENTITY.append(_create())
        return _IDENTITY[0]
