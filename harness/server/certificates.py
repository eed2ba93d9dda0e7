"""The server's TLS material: a local CA the user trusts once, and a leaf certificate for Amazon's hosts.

The CA (`ca.pem`, its key `ca-key.pem`, readable by the owner only) is created once in the CA
directory and reused on every start, so a truststore that imported it (`REQUESTS_CA_BUNDLE`, PHP's
`curl.cainfo`, a Java `keytool -importcert`) keeps working. The leaf (`server.pem`,
`server-key.pem`) is issued by that CA on every start for `pay-api.amazon.jp/.com/.eu`, the SNS
hosts that serve the IPN signing certificate (`sns.ap-northeast-1.amazonaws.com`, ...),
`localhost` and `127.0.0.1`: the certificate a client sees through a `CONNECT` tunnel and, with
`--tls`, on the server's own port. Built with `cryptography`'s X.509 API.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.api.routing import AMAZON_HOSTS
from harness.errors import HarnessError
from harness.notifications.signing import SNS_HOSTS

__all__ = ["ServerCertificates", "default_ca_dir"]

LEAF_NAMES: tuple[str, ...] = (*sorted(AMAZON_HOSTS), *sorted(SNS_HOSTS), "localhost", "127.0.0.1")
"""The names the leaf certificate is valid for."""

CA_NAME = "amazon-pay-harness local CA"
VALIDITY = ((2000, 1, 1), (2100, 1, 1))
"""The certificates' validity: wide and fixed, so no clock (a frozen or simulated one included) makes
them look expired or not yet valid; they are trusted only where the user imports the local CA."""


def _validity() -> tuple[datetime, datetime]:
    """`VALIDITY` as datetimes of the class `datetime.datetime` is *now*: under freezegun (merchant
    time in a test process) cryptography accepts only its FakeDatetime."""
    return (dt.datetime(*VALIDITY[0], tzinfo=dt.UTC), dt.datetime(*VALIDITY[1], tzinfo=dt.UTC))


class CertificateError(HarnessError):
    """The CA directory or its files cannot be used; the message names the file."""


def default_ca_dir() -> Path:
    """Where the CA is kept unless `--ca-dir` says otherwise: the user's cache directory."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "amazon-pay-harness"


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def _create_ca(now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_validity()[0]).not_valid_after(_validity()[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    return certificate, key


def _san(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _issue_leaf(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey,
                now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LEAF_NAMES[0])]))
        .issuer_name(ca.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_validity()[0]).not_valid_after(_validity()[1])
        .add_extension(x509.SubjectAlternativeName([_san(name) for name in LEAF_NAMES]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    return certificate, key


@dataclass(frozen=True)
class ServerCertificates:
    """The CA and leaf files of one CA directory."""

    directory: Path

    @property
    def ca_path(self) -> Path:
        """The CA certificate to trust."""
        return self.directory / "ca.pem"

    @property
    def ca_key_path(self) -> Path:
        """The CA's private key (owner-only)."""
        return self.directory / "ca-key.pem"

    @property
    def leaf_path(self) -> Path:
        """The server certificate, followed by the CA certificate (the chain a client is sent)."""
        return self.directory / "server.pem"

    @property
    def leaf_key_path(self) -> Path:
        """The server certificate's private key (owner-only)."""
        return self.directory / "server-key.pem"

    @classmethod
    def prepare(cls, directory: Path) -> ServerCertificates:
        """Load the CA in `directory` (creating it the first time) and issue a fresh leaf."""
        certificates = cls(directory)
        now = datetime.now(UTC)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            ca, ca_key = certificates._load_or_create_ca(now)
            leaf, leaf_key = _issue_leaf(ca, ca_key, now)
            certificates.leaf_path.write_bytes(_pem(leaf) + _pem(ca))
            _write_private(certificates.leaf_key_path, _key_pem(leaf_key))
        except OSError as error:
            raise CertificateError(f"cannot use the CA directory {directory}: {error.strerror or error} "
                                   "(choose another with --ca-dir)") from None
        return certificates

    def _load_or_create_ca(self, now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        if not self.ca_path.exists() or not self.ca_key_path.exists():
            ca, key = _create_ca(now)
            _write_private(self.ca_key_path, _key_pem(key))
            self.ca_path.write_bytes(_pem(ca))
            return ca, key
        try:
            ca = x509.load_pem_x509_certificate(self.ca_path.read_bytes())
            loaded = serialization.load_pem_private_key(self.ca_key_path.read_bytes(), password=None)
        except ValueError as error:
            raise CertificateError(f"{self.ca_path} or {self.ca_key_path} is not a PEM certificate/key "
                                   f"({error}); delete both to create a new CA") from None
        if not isinstance(loaded, ec.EllipticCurvePrivateKey) or ca.not_valid_after_utc <= now:
            raise CertificateError(f"the CA in {self.directory} is expired or not this harness's; "
                                   "delete ca.pem and ca-key.pem to create a new one")
        return ca, loaded

    def server_context(self) -> ssl.SSLContext:
        """A server-side TLS context presenting the leaf certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.leaf_path, self.leaf_key_path)
        return context
