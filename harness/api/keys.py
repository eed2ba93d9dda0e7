"""Merchant key material: RSA key pairs, cached test keys, and the registry of public key ids.

A merchant generates an RSA 2048 key pair and registers the public key in Seller Central, which
returns the Public Key ID (docs/reference/amazon-pay-v2.md §5.2, "Key material"). Newer ids carry their
environment in a `SANDBOX`/`LIVE` prefix (docs/reference/official-sdks.md §2); older ones need it stated.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from harness.ids import Environment

__all__ = ["KeyPair", "KeyRegistry", "implied_environment", "test_key_pair"]

KEY_SIZE = 2048
"""RSA modulus size Amazon asks merchants to generate (docs/reference/amazon-pay-v2.md §5.2)."""


def _public_pem(public_key: RSAPublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _as_bytes(pem: str | bytes) -> bytes:
    return pem.encode("ascii") if isinstance(pem, str) else pem


def _load_private_key(pem: str | bytes) -> RSAPrivateKey:
    key = serialization.load_pem_private_key(_as_bytes(pem), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise TypeError(f"expected an RSA private key, got {type(key).__name__}")
    return key


def _load_public_key(pem: str | bytes) -> RSAPublicKey:
    key = serialization.load_pem_public_key(_as_bytes(pem))
    if not isinstance(key, RSAPublicKey):
        raise TypeError(f"expected an RSA public key, got {type(key).__name__}")
    return key


@dataclass(frozen=True)
class KeyPair:
    """A merchant's key pair under its Public Key ID."""

    public_key_id: str
    private_key: RSAPrivateKey = field(repr=False)
    public_key_pem: str = field(repr=False)

    @classmethod
    def from_private_key(cls, public_key_id: str, private_key: RSAPrivateKey) -> KeyPair:
        """Wrap an existing RSA private key."""
        return cls(public_key_id, private_key, _public_pem(private_key.public_key()))

    @classmethod
    def from_private_key_pem(cls, public_key_id: str, pem: str | bytes) -> KeyPair:
        """Load an unencrypted PEM private key (PKCS#8 or PKCS#1)."""
        return cls.from_private_key(public_key_id, _load_private_key(pem))

    @classmethod
    def generate(cls, public_key_id: str, key_size: int = KEY_SIZE) -> KeyPair:
        """A fresh RSA key pair (slow: prefer `test_key_pair` in tests)."""
        return cls.from_private_key(
            public_key_id, rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        )

    @cached_property
    def public_key(self) -> RSAPublicKey:
        """The public half, as registered in Seller Central: one object per pair, so every simulator that
        registers the pair holds the same key, and a request one of them verified is known to the
        others (`harness.api.verifier.VERIFIED_IN_PROCESS` knows a key by its object)."""
        return self.private_key.public_key()

    @property
    def private_key_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM, the form the SDKs load."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")


_TEST_KEYS: dict[str, KeyPair] = {}
_TEST_KEYS_LOCK = threading.Lock()


def test_key_pair(name: str = "SANDBOX-TESTKEY") -> KeyPair:
    """A key pair whose Public Key ID is `name`, generated once per process and then reused."""
    with _TEST_KEYS_LOCK:
        if name not in _TEST_KEYS:
            _TEST_KEYS[name] = KeyPair.generate(name)
        return _TEST_KEYS[name]


test_key_pair.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported


@lru_cache(maxsize=256)
def implied_environment(public_key_id: str) -> Environment | None:
    """`Sandbox`/`Live` for ids starting `SANDBOX`/`LIVE` in any case, else None.

    docs/reference/official-sdks.md §2: the official SDKs ignore case and need no hyphen after the prefix.
    """
    upper = public_key_id.upper()
    for environment in (Environment.SANDBOX, Environment.LIVE):
        if upper.startswith(environment.value.upper()):
            return environment
    return None


def _environment(value: Environment | str) -> Environment:
    for environment in Environment:
        if environment.value.lower() == str(value).lower():
            return environment
    raise ValueError(f"environment {value!r} is neither Sandbox nor Live")


@dataclass(frozen=True)
class RegisteredKey:
    """A public key as Seller Central holds it."""

    public_key_id: str
    public_key: RSAPublicKey = field(repr=False)
    environment: Environment

    def same_key(self, other: RSAPublicKey) -> bool:
        """True if `other` is this public key."""
        return self.public_key.public_numbers() == other.public_numbers()


def _resolve_environment(public_key_id: str, stated: Environment | str | None) -> Environment:
    implied = implied_environment(public_key_id)
    if stated is None:
        if implied is None:
            raise ValueError(
                f"public key id {public_key_id!r} has no SANDBOX/LIVE prefix: state its environment"
            )
        return implied
    environment = _environment(stated)
    if implied is not None and implied is not environment:
        raise ValueError(f"public key id {public_key_id!r} is a {implied} key, not {environment}")
    return environment


class KeyRegistry:
    """Public keys by Public Key ID, each bound to one environment."""

    def __init__(self) -> None:
        self._keys: dict[str, RegisteredKey] = {}

    def register(self, public_key_id: str, public_key: RSAPublicKey | str | bytes,
                 environment: Environment | str | None = None) -> RegisteredKey:
        """Register a public key (object or PEM); the environment defaults to the id's prefix.

        Registering the same key again is a no-op; another key under a taken id is a ValueError.
        """
        key = public_key if isinstance(public_key, RSAPublicKey) else _load_public_key(public_key)
        entry = RegisteredKey(public_key_id, key, _resolve_environment(public_key_id, environment))
        existing = self._keys.get(public_key_id)
        if existing is not None and not (existing.same_key(key)
                                         and existing.environment is entry.environment):
            raise ValueError(f"public key id {public_key_id!r} is already registered")
        self._keys[public_key_id] = entry
        return entry

    def register_pair(self, pair: KeyPair,
                      environment: Environment | str | None = None) -> RegisteredKey:
        """Register the public half of `pair` under its id."""
        return self.register(pair.public_key_id, pair.public_key, environment)

    def lookup(self, public_key_id: str) -> RegisteredKey | None:
        """The key registered under `public_key_id` (exact match), or None."""
        return self._keys.get(public_key_id)

    def public_key(self, public_key_id: str) -> RSAPublicKey | None:
        """The public key alone; pass `registry.public_key` to `verify_request`."""
        entry = self.lookup(public_key_id)
        return None if entry is None else entry.public_key

    def __contains__(self, public_key_id: object) -> bool:
        return public_key_id in self._keys

    def __len__(self) -> int:
        return len(self._keys)
