"""The API calls Amazon Pay received for an order, read from the simulator's exchange log.

A call is the order's when one of the order's ids (the merchant's order id, its Checkout Session,
Charge Permission, Charges or Refunds) stands in its path, its request body or its answer: a Create
Charge names the permission in its body, a Capture the charge in its path, a Create Checkout
Session the merchant's order id (`merchantReferenceId`) even when its answer was lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby

from harness.api.exchanges import Exchange, idempotency_key
from harness.scenario.timeline import format_moment

__all__ = ["calls_since", "describe_call", "order_calls", "repeated_keys"]


def calls_since(log: Sequence[Exchange], last: Exchange | None) -> list[Exchange]:
    """The calls logged after `last` (None: all of them), oldest first."""
    newer: list[Exchange] = []
    for exchange in reversed(log):
        if exchange is last:
            break
        newer.append(exchange)
    return newer[::-1]


def order_calls(log: Iterable[Exchange], ids: Iterable[str], operation: str | None = None) -> list[Exchange]:
    """The calls (of `operation`, or all) that name one of `ids`, oldest first."""
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(value)}(?![\w-])" for value in sorted(ids)))
    return [exchange for exchange in log
            if (operation is None or exchange.operation == operation) and pattern.search(_text(exchange))]


def repeated_keys(calls: Iterable[Exchange]) -> list[tuple[str, str, int]]:
    """(operation, idempotency key, how many calls) for each key sent more than once, in order."""
    keyed = [(exchange.operation or "?", key) for exchange in calls
             if (key := idempotency_key(exchange)) is not None]
    return [(operation, key, count) for (operation, key), group in groupby(keyed)
            if (count := len(list(group))) > 1]


def describe_call(exchange: Exchange) -> str:
    """`2026-01-05 00:00:00 UTC … POST /v2/charges -> 201 (idempotency key ab12)`: one line of a message."""
    request, response = exchange.request, exchange.response
    answer = "no answer (timed out or dropped)" if response is None else str(response.status)
    key = idempotency_key(exchange)
    keyed = f" (idempotency key {key})" if key else ""
    call = f"{exchange.operation}: {request.method} {request.path}"
    return f"{format_moment(exchange.at)}  {call} -> {answer}{keyed}"


def _text(exchange: Exchange) -> str:
    answer = b"" if exchange.response is None else exchange.response.body
    return " ".join((exchange.request.path, exchange.request.body.decode("utf-8", "replace"),
                     answer.decode("utf-8", "replace")))
