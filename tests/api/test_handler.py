"""The handler through httpx and respx: every check in its order, with Amazon's error bodies."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from harness.api import verifier
from harness.api.canonical import Algorithm
from harness.api.handler import ApiHandler, UnroutedRequestWarning, parse_body
from harness.api.http import HttpRequest
from harness.api.keys import KeyPair, KeyRegistry, test_key_pair
from harness.api.mount import WireMock
from harness.api.signer import format_amz_date
from harness.ids import Environment
from harness.simulator import Simulator
from tests.api.conftest import (
    LIVE_KEY,
    OPERATIONS,
    PLAIN_KEY,
    SANDBOX_KEY,
    UNREGISTERED_KEY,
    Wire,
    make_wire,
)

JP = "https://pay-api.amazon.jp"
CHARGE = f"{JP}/v2/charges/S03-1234567-1234567-C123456"
CREATE = f"{JP}/v2/charges"
BODY = '{"chargePermissionId":"S03-1234567-1234567","chargeAmount":{"amount":"500","currencyCode":"JPY"}}'


def key(value: str = "0123456789abcdef0123456789abcdef") -> dict[str, str]:
    return {"x-amz-pay-idempotency-key": value}


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"reasonCode", "message"}
    return response.status_code, body["reasonCode"]


def message_of(response: httpx.Response) -> str:
    message: str = response.json()["message"]
    return message


@pytest.fixture
def live_wire() -> Iterator[Wire]:
    with make_wire(Environment.LIVE) as mounted:
        yield mounted


@pytest.fixture
def open_wire() -> Iterator[Wire]:
    """Signature checks off (no key registry)."""
    with make_wire(verify=False) as mounted:
        yield mounted


# --- success, hosts, path forms ---------------------------------------------------------------

@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_signed_get_reaches_the_operation(wire: Wire, algorithm: Algorithm) -> None:
    response = wire.send("GET", f"{CHARGE}?b=2&a=1", algorithm=algorithm)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-amz-pay-request-id"]
    body = response.json()
    assert body["params"] == {"chargeId": "S03-1234567-1234567-C123456"}
    assert body["query"] == {"a": "1", "b": "2"}


@pytest.mark.parametrize("host", ["pay-api.amazon.jp", "pay-api.amazon.com", "pay-api.amazon.eu"])
@pytest.mark.parametrize(("path", "key"), [("/v2/charges/X", SANDBOX_KEY),
                                           ("/sandbox/v2/charges/X", PLAIN_KEY),
                                           ("/sandbox/v2/charges/X/", PLAIN_KEY),
                                           ("/v2/charges/X/", SANDBOX_KEY)])
def test_hosts_and_path_forms(wire: Wire, host: str, path: str, key: object) -> None:
    assert isinstance(key, type(SANDBOX_KEY))
    response = wire.send("GET", f"https://{host}{path}", key=key)
    assert response.status_code == 200, response.text
    assert response.json()["params"] == {"chargeId": "X"}


def test_live_simulator_serves_live_keys(live_wire: Wire) -> None:
    assert live_wire.send("GET", CHARGE, key=LIVE_KEY).status_code == 200
    with pytest.warns(UnroutedRequestWarning, match="this simulator models Live"):
        assert error_of(live_wire.send("GET", CHARGE)) == (404, "ResourceNotFound")


# --- routing errors ---------------------------------------------------------------------------

def test_unknown_path_is_404_with_the_near_miss_and_a_warning(wire: Wire) -> None:
    with pytest.warns(UnroutedRequestWarning, match="closest route is GET /v2/charges"):
        response = wire.send("GET", f"{JP}/v2/charge/X")
    assert error_of(response) == (404, "ResourceNotFound")
    assert "closest route is GET /v2/charges/{chargeId} (getCharge)" in message_of(response)
    assert list(wire.handler.unrouted) == [message_of(response)]


def test_wrong_method_is_405_unsupported_operation(wire: Wire) -> None:
    with pytest.warns(UnroutedRequestWarning):
        response = wire.send("POST", CHARGE, "{}", headers={"x-amz-pay-idempotency-key": "k"})
    assert error_of(response) == (405, "UnsupportedOperation")
    assert "GET /v2/charges/{chargeId} (getCharge)" in message_of(response)


def test_not_modelled_operation_is_405_request_not_supported(wire: Wire) -> None:
    response = wire.send("GET", f"{JP}/v2/buyers/amzn1.account.X")
    assert error_of(response) == (405, "RequestNotSupported")
    assert message_of(response) == ("getBuyer (GET /v2/buyers/{buyerToken}) is not modelled by the "
                                    "simulator; see docs/api-coverage.md")


# --- required headers and the date ------------------------------------------------------------

@pytest.mark.parametrize("header", ["x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region",
                                    "authorization"])
def test_missing_required_header(wire: Wire, header: str) -> None:
    response = wire.send("GET", CHARGE, without=(header,))
    assert error_of(response) == (400, "MissingHeader")
    assert header in message_of(response)


def test_empty_required_header_is_missing_header_value(wire: Wire) -> None:
    headers = wire.sign("GET", CHARGE) | {"x-amz-pay-region": " "}
    assert error_of(wire.http.get(CHARGE, headers=headers)) == (400, "MissingHeaderValue")


def test_both_date_forms_are_accepted(wire: Wire) -> None:
    node_date = format_amz_date(wire.sim.now(), extended=True)  # Node's form, signed
    response = wire.send("GET", CHARGE, headers={"x-amz-pay-date": node_date})
    assert response.status_code == 200, response.text


def test_unparseable_date_is_invalid_header_value(wire: Wire) -> None:
    response = wire.send("GET", CHARGE, headers={"x-amz-pay-date": "Sat, 28 Nov 2026 01:00:00 GMT"})
    assert error_of(response) == (400, "InvalidHeaderValue")


def test_future_date_beyond_the_skew_is_refused_against_the_simulated_clock(wire: Wire) -> None:
    ahead = wire.sim.now() + timedelta(minutes=15, seconds=1)
    response = wire.send("GET", CHARGE, now=ahead)
    assert error_of(response) == (400, "InvalidHeaderValue")
    assert message_of(response).startswith(
        f"The value {format_amz_date(ahead)} provided for x-amz-pay-date should not be in future")
    assert wire.send("GET", CHARGE, now=wire.sim.now() + timedelta(minutes=15)).status_code == 200


def test_a_resent_request_is_checked_against_the_clock_and_its_key_every_time(wire: Wire) -> None:
    """The signature of a resent request is known (VerifiedRequests); the date and key checks still run."""
    headers = wire.sign("GET", CHARGE, now=wire.sim.now() + timedelta(minutes=10))
    assert wire.http.get(CHARGE, headers=headers).status_code == 200
    wire.handler.max_clock_skew = timedelta(minutes=5)
    assert error_of(wire.http.get(CHARGE, headers=headers)) == (400, "InvalidHeaderValue")
    wire.handler.max_clock_skew = timedelta(minutes=15)
    assert wire.http.get(CHARGE, headers=headers).status_code == 200


def test_a_request_verified_by_one_simulator_is_known_to_the_next_only_under_the_same_key(
        wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verified requests are the process's (VERIFIED_IN_PROCESS): the next scenario's simulator
    skips the RSA work for a request sent byte for byte before, and a simulator with another key under
    the same id checks it again, and refuses it."""
    headers = wire.sign("GET", CHARGE)
    assert wire.http.get(CHARGE, headers=headers).status_code == 200
    checked: list[bool] = []

    def counted(*args: object) -> bool:
        checked.append(real(*args))  # type: ignore[arg-type]
        return checked[-1]

    real = verifier.signature_matches
    monkeypatch.setattr(verifier, "signature_matches", counted)
    with make_wire() as next_scenario:
        assert next_scenario.http.get(CHARGE, headers=headers).status_code == 200
    assert checked == []
    other_account = KeyRegistry()
    other_account.register_pair(KeyPair.from_private_key(SANDBOX_KEY.public_key_id,
                                                         test_key_pair("SANDBOX-OTHER-ACCOUNT").private_key))
    with WireMock(ApiHandler(Simulator(), other_account, operations=OPERATIONS)), httpx.Client() as http:
        assert error_of(http.get(CHARGE, headers=headers)) == (403, "InvalidRequestSignature")
    assert checked and not any(checked)


def test_past_dates_are_accepted(wire: Wire) -> None:
    wire.sim.advance(timedelta(days=3))
    assert wire.send("GET", CHARGE, now=wire.sim.now() - timedelta(days=2)).status_code == 200


# --- signature --------------------------------------------------------------------------------

def test_tampered_body_fails_the_signature(wire: Wire) -> None:
    headers = wire.sign("PATCH", CHARGE, b'{"a":1}')
    response = wire.http.patch(CHARGE, headers=headers, content=b'{"a":2}')
    assert error_of(response) == (403, "InvalidRequestSignature")


def test_missing_signature_is_an_invalid_authorization_header(wire: Wire) -> None:
    headers = wire.sign("GET", CHARGE)
    headers["authorization"] = headers["authorization"].rsplit(", Signature=", 1)[0]
    assert error_of(wire.http.get(CHARGE, headers=headers)) == (400, "InvalidHeaderValue")


def test_unknown_key_id_is_403(wire: Wire) -> None:
    response = wire.send("GET", CHARGE, key=UNREGISTERED_KEY)
    assert error_of(response) == (403, "InvalidRequestSignature")
    assert "SANDBOX-NOTREGISTERED" in message_of(response)


def test_key_of_the_other_environment_than_the_path_is_403(wire: Wire) -> None:
    response = wire.send("GET", f"{JP}/sandbox/v2/charges/X", key=LIVE_KEY)
    assert error_of(response) == (403, "InvalidRequestSignature")
    assert "registered for Live, but the request is for Sandbox" in message_of(response)


def test_without_keys_the_signature_is_not_checked(open_wire: Wire) -> None:
    headers = open_wire.sign("GET", CHARGE, key=UNREGISTERED_KEY)
    headers["authorization"] = "AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-X, SignedHeaders=a, Signature=x"
    assert open_wire.http.get(CHARGE, headers=headers).status_code == 200


# --- idempotency ------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, key("")])
def test_required_idempotency_key_missing_or_empty(wire: Wire, headers: dict[str, str]) -> None:
    response = wire.send("POST", CREATE, BODY, headers=headers)
    assert error_of(response) == (400, "MissingHeaderValue")
    assert "createCharge requires the x-amz-pay-idempotency-key header" in message_of(response)


def test_optional_idempotency_key_may_be_left_out(wire: Wire) -> None:
    assert wire.send("POST", f"{JP}/v2/checkoutSessions/abc/complete", "{}").status_code == 200


@pytest.mark.parametrize("value", ["x" * 33, "has space", "dot.dot", "plus+sign"])
def test_malformed_idempotency_key(wire: Wire, value: str) -> None:
    response = wire.send("POST", CREATE, BODY, headers=key(value))
    assert error_of(response) == (400, "InvalidHeaderValue")


def test_idempotency_key_format_boundary(wire: Wire) -> None:
    assert wire.send("POST", CREATE, BODY, headers=key("A-_z" * 8)).status_code == 201


def test_resigned_retry_replays_the_first_answer(wire: Wire) -> None:
    first = wire.send("POST", CREATE, BODY, headers=key())
    wire.sim.advance(timedelta(seconds=5))
    again = wire.send("POST", f"{CREATE}/", BODY, headers=key())  # new date and signature
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["x-amz-pay-request-id"] != first.headers["x-amz-pay-request-id"]


def test_identical_signature_retry_replays_the_first_answer(wire: Wire) -> None:
    headers = wire.sign("POST", CREATE, BODY.encode(), headers=key())
    first = wire.http.post(CREATE, headers=headers, content=BODY)
    again = wire.http.post(CREATE, headers=headers, content=BODY)  # PHP/Java/.NET retry
    assert again.status_code == 201
    assert again.json() == first.json()


def test_different_request_under_the_same_key_is_duplicate(wire: Wire) -> None:
    wire.send("POST", CREATE, BODY, headers=key())
    response = wire.send("POST", CREATE, BODY.replace("500", "600"), headers=key())
    assert error_of(response) == (400, "DuplicateIdempotencyKey")
    other_operation = wire.send("POST", f"{JP}/v2/charges/X/capture", "{}", headers=key())
    assert error_of(other_operation) == (400, "DuplicateIdempotencyKey")


def test_an_error_answer_is_replayed_without_running_again(wire: Wire) -> None:
    url = f"{JP}/v2/refunds"
    first = wire.send("POST", url, "{}", headers=key())
    ran = wire.send("GET", CHARGE).json()["count"]
    again = wire.send("POST", url, "{}", headers=key())
    assert error_of(first) == error_of(again) == (422, "HardDeclined")
    assert wire.send("GET", CHARGE).json()["count"] == ran + 1  # createRefund did not run again


def test_idempotency_key_on_get_has_no_effect(wire: Wire) -> None:
    assert wire.send("GET", CHARGE, headers=key("not a valid key!")).status_code == 200


def test_keys_are_kept_per_simulator() -> None:
    sim, other = Simulator(), Simulator()
    first, second = (ApiHandler(sim, None, operations=OPERATIONS),
                     ApiHandler(sim, None, operations=OPERATIONS))
    assert first.idempotency is second.idempotency
    assert ApiHandler(other, None, operations=OPERATIONS).idempotency is not first.idempotency


# --- simulation codes -------------------------------------------------------------------------

def test_simulation_code_reaches_the_operation_signed_or_not(wire: Wire) -> None:
    url = f"{JP}/v2/charges/X/capture"
    signed = wire.send("POST", url, "{}", headers=key("a") | {
        "x-amz-pay-simulation-code": "CaptureInitiated"})
    assert signed.json()["simulationCode"] == "CaptureInitiated"
    headers = wire.sign("POST", url, b"{}", headers=key("b"))  # SFCC leaves it unsigned (§6.2)
    unsigned = wire.http.post(url, headers=headers | {"x-amz-pay-simulation-code": "CaptureInitiated"},
                              content=b"{}")
    assert unsigned.json()["simulationCode"] == "CaptureInitiated"


def test_unknown_simulation_code_is_refused(wire: Wire) -> None:
    response = wire.send("GET", CHARGE, headers={"x-amz-pay-simulation-code": "HardDeclined"})
    assert error_of(response) == (400, "InvalidSandboxSimulationSpecified")
    assert "not valid for getCharge (accepted: none)" in message_of(response)
    response = wire.send("POST", f"{JP}/v2/charges/X/capture", "{}",
                         headers=key() | {"x-amz-pay-simulation-code": "Declined"})
    assert "(accepted: CaptureInitiated)" in message_of(response)


def test_simulation_code_in_live_is_refused(live_wire: Wire) -> None:
    response = live_wire.send("GET", CHARGE, key=LIVE_KEY,
                              headers={"x-amz-pay-simulation-code": "HardDeclined"})
    assert error_of(response) == (400, "InvalidSandboxSimulationSpecified")
    assert "only accepted in Sandbox" in message_of(response)


# --- JSON body --------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ['{"a":', "[1, 2]", '{"a": NaN}', b"\xff\xfe"])
def test_malformed_json_is_invalid_request_format(wire: Wire, body: str | bytes) -> None:
    assert error_of(wire.send("PATCH", CHARGE, body)) == (400, "InvalidRequestFormat")


def test_numbers_are_decimals_and_empty_bodies_none(wire: Wire) -> None:
    assert wire.send("PATCH", CHARGE, '{"a": 1.10, "b": 3}').json()["body"] == {"a": "1.10", "b": "3"}
    assert parse_body(b'{"a": 1.10}') == {"a": Decimal("1.10")}
    assert wire.send("DELETE", f"{JP}/v2/charges/X/cancel", " ").json()["body"] is None


# --- every response -----------------------------------------------------------------------------

def test_every_response_has_a_request_id_and_json_type(wire: Wire) -> None:
    with pytest.warns(UnroutedRequestWarning):
        responses = [
            wire.send("GET", CHARGE),
            wire.send("GET", f"{JP}/v2/nothing"),
            wire.send("GET", CHARGE, without=("authorization",)),
            wire.send("GET", CHARGE, key=UNREGISTERED_KEY),
            wire.send("POST", CREATE, BODY),
            wire.send("GET", f"{JP}/v2/disbursements"),
        ]
    ids = [response.headers["x-amz-pay-request-id"] for response in responses]
    assert len(set(ids)) == len(ids)
    assert {response.headers["content-type"] for response in responses} == {"application/json"}


def test_unexpected_exception_is_500_without_traceback(wire: Wire,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="harness.api"):
        response = wire.send("GET", f"{JP}/v2/disbursements")
    assert error_of(response) == (500, "InternalServerError")
    assert "RuntimeError: kaboom in the operation" in message_of(response)
    assert "Traceback" not in response.text
    assert "kaboom" in caplog.text and "Traceback" in caplog.text


def test_handler_is_framework_free(wire: Wire) -> None:
    headers = wire.sign("GET", f"{JP}/v2/charges/X")
    response = wire.handler.handle(HttpRequest("get", "/v2/charges/X",
                                               {**headers, "Host": "pay-api.amazon.jp"}))
    assert (response.status, response.headers["Content-Type"]) == (200, "application/json")
    body = response.json()
    assert isinstance(body, dict)
    assert body["params"] == {"chargeId": "X"}
