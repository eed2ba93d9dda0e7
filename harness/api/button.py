"""The button signature (docs/reference/amazon-pay-v2.md §5.4): what `amazon.Pay.renderButton` is given to
prove
the payload is the merchant's, and its check, tolerant of the PHP SDK's escapes."""

from __future__ import annotations

import re

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from harness.api.canonical import Algorithm, string_to_sign
from harness.api.signer import sign_string
from harness.api.verifier import InvalidSignatureError, decode_signature, signature_matches

__all__ = ["php_stripcslashes", "sign_button_payload", "verify_button_signature"]

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
    the PHP SDK signs (docs/reference/official-sdks.md §1.3, last paragraph).
    """
    raw = decode_signature(signature)
    payload = payload_json.encode("utf-8")
    for candidate in dict.fromkeys((payload, php_stripcslashes(payload))):
        if signature_matches(public_key, raw, string_to_sign(algorithm, candidate), algorithm):
            return
    raise InvalidSignatureError(f"the {algorithm.value} button signature does not verify")
