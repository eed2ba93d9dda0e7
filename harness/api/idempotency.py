"""`x-amz-pay-idempotency-key` (docs/reference/amazon-pay-v2.md §5.3): replay the first answer, refuse a
changed request.

Keys count for POST only, are at most 32 characters of `A-Z a-z 0-9 - _`, and are kept per
merchant account without expiry: here, one store per simulator. A later request under a known
key gets the first answer again when it is the same request (same operation, path values, query
and body bytes; headers such as the date or signature may differ, or be identical as in PHP/Java
retries, docs/reference/official-sdks.md §1.3 step 7), and 400 `DuplicateIdempotencyKey` otherwise.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.amazon_pay.errors import AmazonPayError
from harness.api.http import HttpResponse

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["HEADER", "KEY_PATTERN"]

HEADER = "x-amz-pay-idempotency-key"
KEY_PATTERN = "[A-Za-z0-9_-]{1,32}"
"""§5.3: a key is at most 32 characters of `A-Z a-z 0-9 - _`."""
_KEY = re.compile(KEY_PATTERN)


def check_key(value: str) -> str:
    """The key if well formed, else 400 `InvalidHeaderValue` (§5.3 format)."""
    if not _KEY.fullmatch(value):
        raise AmazonPayError(
            "InvalidHeaderValue",
            f"The value {value} provided for {HEADER} is invalid: use at most 32 characters "
            "from A-Z, a-z, 0-9, '-' and '_'.")
    return value


@dataclass(frozen=True)
class Fingerprint:
    """What must be equal for a request to count as the same request."""

    operation: str
    path_params: tuple[tuple[str, str], ...]
    query: str
    body: bytes

    @classmethod
    def of(cls, operation: str, path_params: Mapping[str, str], query: str,
           body: bytes) -> Fingerprint:
        """Fingerprint of a routed request."""
        return cls(operation, tuple(sorted(path_params.items())), query, body)


class IdempotencyStore:  # D-WIRE-IDEMPOTENCY
    """First answers by idempotency key."""

    def __init__(self) -> None:
        self._answers: dict[str, tuple[Fingerprint, HttpResponse]] = {}

    def replay(self, key: str, fingerprint: Fingerprint) -> HttpResponse | None:
        """The stored answer for the same request, None for a new key, else the 400 error."""
        stored = self._answers.get(key)
        if stored is None:
            return None
        first, answer = stored
        if first != fingerprint:
            raise AmazonPayError(
                "DuplicateIdempotencyKey",
                f"The idempotency key {key} was already used for a different request "
                f"({first.operation}); use a new key for a new request.")
        return answer

    def remember(self, key: str, fingerprint: Fingerprint, answer: HttpResponse) -> None:
        """Keep the first answer under `key`."""
        self._answers.setdefault(key, (fingerprint, answer))

    def __len__(self) -> int:
        return len(self._answers)


_STORES: weakref.WeakKeyDictionary[Simulator, IdempotencyStore] = weakref.WeakKeyDictionary()


def store_for(simulator: Simulator) -> IdempotencyStore:
    """The store of `simulator` (one merchant account), shared by all its handlers."""
    store = _STORES.get(simulator)
    if store is None:
        store = _STORES[simulator] = IdempotencyStore()
    return store
