"""Hostile requests get Amazon's own error shape and status, never a 500, in bounded time and size."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from harness.api.handler import UNROUTED_KEPT, UnroutedRequestWarning
from harness.api.http import HttpRequest
from harness.api.signer import sign_request
from harness.simulator import Simulator
from tests.api.wire_objects import completed_session

API = "https://pay-api.amazon.jp/v2"
WEB = {"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review"}}


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator()
    with simulator.mock(other_hosts="block"):
        yield simulator


def send(sim: Simulator, method: str, path: str, body: bytes = b"") -> httpx.Response:
    url = f"{API}/{path}"
    key = {"x-amz-pay-idempotency-key": f"key-{len(sim.ledger.events)}-{len(body)}"} \
        if method == "POST" else {}
    headers = sign_request(method, url, public_key_id=sim.key_pair.public_key_id, headers=key,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now(), body=body)
    return httpx.request(method, url, headers=headers, content=body)


def reason(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, str(response.json()["reasonCode"])


def session_id(sim: Simulator) -> str:
    body = json.dumps({**WEB, "storeId": sim.ids.store_id()}).encode()
    created = send(sim, "POST", "checkoutSessions", body)
    assert created.status_code == 201, created.text
    return str(created.json()["checkoutSessionId"])


@pytest.mark.parametrize("body", [b"\x0c", b" \x0b "])
def test_whitespace_json_does_not_allow_is_not_an_empty_body(sim: Simulator, body: bytes) -> None:
    """Found by tests/server/test_schemathesis.py (in the control API; the handler read bodies alike)."""
    assert reason(send(sim, "POST", "checkoutSessions", body)) == (400, "InvalidRequestFormat")
    assert reason(send(sim, "POST", "checkoutSessions", b" \r\n\t")) == (400, "MissingParameterValue")


def test_a_body_nested_a_hundred_thousand_deep_is_invalid_json(sim: Simulator) -> None:
    response = send(sim, "POST", "checkoutSessions", b"[" * 100_000)
    assert reason(response) == (400, "InvalidRequestFormat")
    assert "nested too deeply" in response.json()["message"]


@pytest.mark.parametrize("text", ["\\ud800", "a\\udfffb"])
def test_a_lone_surrogate_is_refused_and_never_stored(sim: Simulator, text: str) -> None:
    body = json.dumps({**WEB, "storeId": sim.ids.store_id()})[:-1] + \
        f', "merchantMetadata": {{"merchantReferenceId": "{text}"}}}}'
    assert reason(send(sim, "POST", "checkoutSessions", body.encode())) == (400, "InvalidRequestFormat")
    assert not sim.ledger.checkout_sessions


@pytest.mark.parametrize("value", ["²", "9" * 5000, "1" * 10, "0", "-1"])
def test_a_frequency_that_is_not_a_small_positive_number_is_an_invalid_value(sim: Simulator,
                                                                              value: str) -> None:
    recurring = {**WEB, "storeId": sim.ids.store_id(), "chargePermissionType": "Recurring",
                 "recurringMetadata": {"frequency": {"unit": "Month", "value": value}}}
    response = send(sim, "POST", "checkoutSessions", json.dumps(recurring).encode())
    assert reason(response) == (400, "InvalidParameterValue")
    assert "recurringMetadata.frequency.value" in response.json()["message"]


@pytest.mark.parametrize("amount", ['"' + "9" * 300 + '"', "9" * 300, '"1' + "0" * 18 + '"'])
def test_an_amount_beyond_any_price_is_an_invalid_value_not_a_500(sim: Simulator, amount: str) -> None:
    body = ('{"paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": {"amount": ' + amount +
            ', "currencyCode": "JPY"}}}').encode()
    response = send(sim, "PATCH", f"checkoutSessions/{session_id(sim)}", body)
    assert reason(response) == (400, "InvalidParameterValue")


def test_eighteen_digits_still_read_as_an_amount_that_amazons_maximum_refuses(sim: Simulator) -> None:
    body = b'{"paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": {"amount": "' + \
        b"9" * 18 + b'", "currencyCode": "JPY"}}}'
    response = send(sim, "PATCH", f"checkoutSessions/{session_id(sim)}", body)
    assert reason(response) == (400, "InvalidParameterValue")
    # the maximum amount's check (on the field), not the number format's (on `.Amount`)
    assert response.json()["message"].endswith("provided for 'paymentDetails.chargeAmount' is invalid.")


def test_a_huge_unknown_path_costs_a_short_answer_and_the_near_misses_kept_are_bounded() -> None:
    sim = Simulator()
    with pytest.warns(UnroutedRequestWarning):
        for _ in range(UNROUTED_KEPT + 5):
            answer = sim.handler.handle(HttpRequest("GET", f"{API}/{'a/' * 30_000}"))
    assert answer.status == 404
    assert len(answer.body) < 1_000
    assert "(60,004 characters)" in json.loads(answer.body)["message"]
    assert len(sim.handler.unrouted) == UNROUTED_KEPT


@pytest.mark.parametrize("target", ["http://[::1/v2/buyers/x", "//[/v2"])
def test_a_request_target_that_is_not_a_url_is_not_found(target: str) -> None:
    with pytest.warns(UnroutedRequestWarning):
        answer = Simulator().handler.handle(HttpRequest("GET", target))
    assert answer.status == 404
    assert json.loads(answer.body)["reasonCode"] == "ResourceNotFound"


def test_a_captured_signature_cannot_create_another_charge_with_a_fresh_unsigned_key(sim: Simulator) -> None:
    url = f"{API}/checkoutSessions"
    body = json.dumps({**WEB, "storeId": sim.ids.store_id()}).encode()
    captured = sign_request("POST", url, public_key_id=sim.key_pair.public_key_id, body=body,
                            private_key=sim.key_pair.private_key, region="jp", now=sim.now())
    replayed = httpx.post(url, headers=captured | {"x-amz-pay-idempotency-key": "fresh-1"}, content=body)
    assert reason(replayed) == (403, "InvalidRequestSignature")
    assert "x-amz-pay-idempotency-key is sent but not in SignedHeaders" in replayed.json()["message"]
    assert not sim.ledger.checkout_sessions


def _signed(sim: Simulator, method: str, path: str, headers: dict[str, str],
            body: bytes = b"") -> httpx.Response:
    url = f"{API}/{path}"
    signed = sign_request(method, url, public_key_id=sim.key_pair.public_key_id, headers=headers,
                          private_key=sim.key_pair.private_key, region="jp", now=sim.now(), body=body)
    return httpx.request(method, url, headers=signed, content=body)


def test_a_blank_simulation_code_or_idempotency_key_counts_as_not_sent(sim: Simulator) -> None:
    """Found by the stateful pass of tests/server/test_schemathesis.py: the handler read a blank
    header as not sent while the OpenAPI document refused it; the document now says so
    (D-WIRE-SIMULATION-CODES, D-WIRE-IDEMPOTENCY)."""
    permission_id = completed_session(sim).charge_permission_id
    closed = _signed(sim, "DELETE", f"chargePermissions/{permission_id}/close",
                     {"x-amz-pay-simulation-code": ""}, b'{"closureReason": "done"}')
    assert closed.status_code == 200
    assert [r["reasonCode"] for r in closed.json()["statusDetails"]["reasons"]] == ["MerchantClosed"]  # §6.2
    body = json.dumps({**WEB, "storeId": sim.ids.store_id()}).encode()
    refused = _signed(sim, "POST", "checkoutSessions", {"x-amz-pay-idempotency-key": ""}, body)
    assert reason(refused) == (400, "MissingHeaderValue")  # where a key is required
    assert len(sim.ledger.checkout_sessions) == 1  # the completed one only
