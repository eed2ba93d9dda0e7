"""Amazon Pay request and button signatures, written from Amazon's signing page (no SDK).

Canonical request: method, path, query, one `name:value` line per signed header, a blank line, the
signed header names joined by `;`, and the hex SHA-256 of the body; the string to sign is the
algorithm name, a newline and the hex SHA-256 of that; the signature is RSASSA-PSS (SHA-256,
MGF1-SHA-256; salt 20 bytes for AMZN-PAY-RSASSA-PSS, 32 for -V2), Base64.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["SALT_LENGTHS", "Signer"]

SALT_LENGTHS: Mapping[str, int] = {"AMZN-PAY-RSASSA-PSS": 20, "AMZN-PAY-RSASSA-PSS-V2": 32}


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=8)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    """The RSA key of the PEM text, parsed (and checked, ~50 ms) once per process for each key."""
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the Amazon Pay private key must be an RSA key")
    return key


class Signer:
    """Signs with the shop's private key under one algorithm."""

    def __init__(self, public_key_id: str, private_key_pem: str, algorithm: str) -> None:
        if algorithm not in SALT_LENGTHS:
            raise ValueError(f"unknown signature algorithm {algorithm!r}; use {' or '.join(SALT_LENGTHS)}")
        self.public_key_id = public_key_id
        self.algorithm = algorithm
        self._key = _private_key(private_key_pem)

    def sign_text(self, text: str) -> str:
        """`ALG \\n hex(sha256(text))`, signed with PSS and Base64-encoded."""
        to_sign = f"{self.algorithm}\n{_sha256_hex(text.encode('utf-8'))}".encode()
        raw = self._key.sign(to_sign, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                  salt_length=SALT_LENGTHS[self.algorithm]), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")

    def authorization(self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
                      body: bytes) -> str:
        """The `authorization` header for a request whose every header in `headers` is signed."""
        names = sorted(name.lower() for name in headers)
        lowered = {name.lower(): value.strip() for name, value in headers.items()}
        canonical_query = "&".join(f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}"
                                   for key, value in sorted(query.items()))
        canonical = "\n".join([method, path, canonical_query,
                               "".join(f"{name}:{lowered[name]}\n" for name in names),
                               ";".join(names), _sha256_hex(body)])
        signature = self.sign_text(canonical)
        return (f"{self.algorithm} PublicKeyId={self.public_key_id}, SignedHeaders={';'.join(names)}, "
                f"Signature={signature}")
