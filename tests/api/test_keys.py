"""Key pairs, the cached test keys, and the public key registry."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from harness.api.keys import (
    KeyPair,
    KeyRegistry,
    implied_environment,
    test_key_pair,
)
from harness.ids import Environment

PAIR = test_key_pair()
OTHER = test_key_pair("LIVE-KEYS-TEST")


def numbers(key: RSAPublicKey) -> object:
    """Comparable identity of a public key."""
    return key.public_numbers()


def test_test_key_pair_is_rsa_2048_and_cached() -> None:
    assert PAIR.private_key.key_size == 2048
    assert PAIR.public_key_id == "SANDBOX-TESTKEY"
    assert test_key_pair() is PAIR
    assert test_key_pair("LIVE-KEYS-TEST") is OTHER
    assert numbers(OTHER.public_key) != numbers(PAIR.public_key)


def test_public_key_pem_is_the_public_half() -> None:
    assert PAIR.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    loaded = serialization.load_pem_public_key(PAIR.public_key_pem.encode())
    assert isinstance(loaded, RSAPublicKey)
    assert numbers(loaded) == numbers(PAIR.public_key)
    assert "private_key" not in repr(PAIR)


def test_private_key_pem_round_trips() -> None:
    assert PAIR.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    again = KeyPair.from_private_key_pem("SANDBOX-AGAIN", PAIR.private_key_pem)
    assert again.public_key_id == "SANDBOX-AGAIN"
    assert again.public_key_pem == PAIR.public_key_pem


def test_from_private_key_pem_rejects_non_rsa() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    with pytest.raises(TypeError, match="RSA private key"):
        KeyPair.from_private_key_pem("SANDBOX-EC", pem)


@pytest.mark.parametrize(
    ("key_id", "expected"),
    [
        ("SANDBOX-AEXAMPLE", Environment.SANDBOX),
        ("sandbox-aexample", Environment.SANDBOX),
        ("LIVE-AEXAMPLE", Environment.LIVE),
        ("Live-aexample", Environment.LIVE),
        ("LIVEAEXAMPLE", Environment.LIVE),  # the SDKs need no hyphen (docs/reference/official-sdks.md §2)
        ("AGHJKL3ZOEXAMPLE", None),
        ("XSANDBOX-A", None),
    ],
)
def test_implied_environment(key_id: str, expected: Environment | None) -> None:
    assert implied_environment(key_id) is expected


def test_registry_implies_environment_from_prefix() -> None:
    registry = KeyRegistry()
    entry = registry.register_pair(PAIR)
    assert entry.environment is Environment.SANDBOX
    assert registry.lookup(PAIR.public_key_id) is entry
    assert PAIR.public_key_id in registry
    key = registry.public_key(PAIR.public_key_id)
    assert key is not None
    assert numbers(key) == numbers(PAIR.public_key)


def test_registry_unknown_id() -> None:
    registry = KeyRegistry()
    registry.register_pair(PAIR)
    assert registry.lookup("SANDBOX-OTHER") is None
    assert registry.public_key("SANDBOX-OTHER") is None
    assert registry.lookup(PAIR.public_key_id.lower()) is None  # ids match exactly


def test_registry_legacy_id_needs_an_environment() -> None:
    registry = KeyRegistry()
    with pytest.raises(ValueError, match="state its environment"):
        registry.register("AGHJKL3ZOEXAMPLE", PAIR.public_key)
    entry = registry.register("AGHJKL3ZOEXAMPLE", PAIR.public_key_pem, "live")
    assert entry.environment is Environment.LIVE
    with pytest.raises(ValueError, match="neither Sandbox nor Live"):
        registry.register("AGHJKL3ZOEXAMPL2", PAIR.public_key, "Production")


def test_registry_rejects_environment_contradicting_prefix() -> None:
    with pytest.raises(ValueError, match="is a Sandbox key, not Live"):
        KeyRegistry().register_pair(PAIR, Environment.LIVE)


def test_registry_rejects_another_key_under_a_taken_id() -> None:
    registry = KeyRegistry()
    registry.register_pair(PAIR)
    registry.register_pair(PAIR)  # the same key again is fine
    assert len(registry) == 1
    with pytest.raises(ValueError, match="already registered"):
        registry.register(PAIR.public_key_id, OTHER.public_key)
