"""`Headers`: names in any case, repeated headers joined, and the forms a server reads and writes; JSON bodies
that hold only their own bytes."""

from __future__ import annotations

import json
import tracemalloc
from decimal import Decimal

import pytest

from harness.api.http import Headers, json_bytes


def test_a_name_is_found_in_any_case_and_kept_as_received() -> None:
    headers = Headers([("X-Amz-Pay-Date", "20261201T000000Z"), ("Content-Type", "application/json")])
    for name in ("x-amz-pay-date", "X-AMZ-PAY-DATE", "X-Amz-Pay-Date"):
        assert headers.get(name) == headers[name] == "20261201T000000Z"
        assert name in headers
    assert headers.get("authorization") is None
    assert headers.get("Authorization", "none") == "none"
    assert list(headers) == ["X-Amz-Pay-Date", "Content-Type"]


def test_received_bytes_read_as_the_constructor_reads_text() -> None:
    raw = [(b"accept", b"*/*"), (b"x-custom", b"a"), (b"X-Custom", b"b"), (b"x-latin", "é".encode("latin-1"))]
    headers = Headers.from_raw(raw)
    assert headers == Headers([(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw])
    assert list(headers.items()) == [("accept", "*/*"), ("x-custom", "a, b"), ("x-latin", "é")]
    assert headers.pairs() == tuple(headers.items())
    assert headers["X-Custom"] == headers["x-custom"] == "a, b"
    with pytest.raises(KeyError):
        headers["X-Missing"]


def test_a_server_writes_names_in_lower_case() -> None:
    headers = Headers([("Content-Type", "application/json")]).with_header("X-Amz-Pay-Request-Id", "r")
    assert list(headers.lower_items()) == [("content-type", "application/json"),
                                           ("x-amz-pay-request-id", "r")]


def test_a_json_body_is_the_compact_form_and_holds_no_more_memory_than_its_length() -> None:
    payload = {"chargeAmount": {"amount": Decimal("5000"), "currencyCode": "JPY"}, "note": "東京都"}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        bodies = [json_bytes(payload) for _ in range(100)]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    expected = json.dumps({"chargeAmount": {"amount": "5000", "currencyCode": "JPY"}, "note": "東京都"},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert bodies[0] == expected
    # each body is kept by someone (signature cache, idempotency records, respx's calls): its own length
    # plus the bytes object's header, not orjson's 4 KiB working buffer
    assert held < 100 * (len(expected) + 100) + 2_000
