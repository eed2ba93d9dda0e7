"""The reference shop's idempotency keys: one per request it means to make, derived from its own records.

Amazon Pay keeps the first answer to a POST under its `x-amz-pay-idempotency-key` and gives it
again to a request sent under the same key (docs/reference/amazon-pay-v2.md §5.3): a retry must
resend its key, and a new request needs a new one. A key here is named by what the shop is doing
(the order, the operation) and how many times it has done that before for the order, so a second
capture or refund of one order gets its own key, and nothing else the shop does repeats one.
Keys are per merchant account (§5.3): a namespace tells apart shops that share one, and a shop
made without one draws a random namespace, so its keys never meet another shop's.

Derived keys make the same request in the same simulated second the same bytes, scenario after
scenario, which is what lets the signing client keep its signatures (docs/performance.md, P2).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter

__all__ = ["IdempotencyKeys"]


class IdempotencyKeys:
    """Keys of at most 32 characters of `0-9a-f` (the form of a dashless uuid4, §5.3)."""

    def __init__(self, namespace: str | None = None) -> None:
        self.namespace = uuid.uuid4().hex if namespace is None else namespace
        self._made: Counter[tuple[str, str]] = Counter()

    def new(self, subject: str, operation: str) -> str:
        """The key of the next `operation` on `subject` (an order id; "" for none): never given before."""
        count = self._made[subject, operation]
        self._made[subject, operation] = count + 1
        named = json.dumps([self.namespace, subject, operation, count], ensure_ascii=False)
        return hashlib.sha256(named.encode("utf-8")).hexdigest()[:32]
