"""The control API: a whole checkout driven by a shop over HTTP and by the control calls, and bad calls."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate

from harness.api.keys import test_key_pair
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.server import RunningServer
from harness.server.addressing import ADDRESSED, UNSERVED
from harness.server.openapi import AMAZON_PAY_PATH, CONTROL_PATH, amazon_pay_document, control_document
from harness.vocabulary.declarations import yaml_actions
from tests.server.conftest import START, TIMEOUT, YEN_5000, control, create_session, merchant, real_now


@pytest.fixture
def shop(server: RunningServer) -> Iterator[AmazonPayClient]:
    """The merchant's client, signing with its own clock, through the base URL."""
    with httpx.Client(timeout=TIMEOUT) as http:
        yield merchant(http, server.base_url)


def _check(response: httpx.Response, path: str, method: str = "post") -> dict[str, Any]:
    """The answer, validated against its schema in the control API's OpenAPI document."""
    document = control_document()
    operation = document["paths"][f"/_harness/{path}"][method]
    key = str(response.status_code) if response.status_code == 200 else "4XX"
    schema = operation["responses"][key]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": document["components"]})
    body: dict[str, Any] = response.json()
    return body


def _call(server: RunningServer, path: str, body: object = None, method: str = "POST") -> dict[str, Any]:
    response = control(server, method, path, body)
    answer = _check(response, path, method.lower())
    assert response.status_code == 200, answer
    return answer


def test_a_checkout_driven_through_the_control_api(server: RunningServer, shop: AmazonPayClient) -> None:
    session_id = create_session(shop)["checkoutSessionId"]
    _call(server, "buyer/pay", {"checkoutSessionId": session_id, "card": "1111"})
    returned = _call(server, "buyer/return", {"checkoutSessionId": session_id})
    assert returned["redirectUrl"] == f"https://shop.example/result?amazonCheckoutSessionId={session_id}"
    completed = shop.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})
    reference_id = completed["chargePermissionId"]

    view = _call(server, "transactions", method="GET")["transactions"]
    assert [(row["referenceId"], row["status"], row["authorized"]["amount"]) for row in view] == [
        (reference_id, "Open", "5000")]
    assert view[0]["createdJst"] == "2026-01-05 09:00:00 JST"

    captured = _call(server, "operator/capture", {"referenceId": reference_id})
    refunded = _call(server, "operator/refund",
                     {"referenceId": reference_id, "amount": "1,000円", "times": 2})
    assert len(refunded["refundIds"]) == 2
    assert shop.get_charge(captured["chargeId"])["statusDetails"]["state"] == "Captured"
    _call(server, "wait/for", {"duration": "1 day"})  # refunds settle on their own
    row = _call(server, "transactions", method="GET")["transactions"][0]
    assert (row["status"], row["captured"]["amount"], row["refunded"]["amount"]) == ("Closed", "5000", "2000")

    timeline = _call(server, "timeline", method="GET")
    actors = {entry["actor"] for entry in timeline["entries"]}
    assert {"buyer", "operator", "state"} <= actors
    assert f"pay checkoutSessionId {session_id} (control API)" in timeline["text"]


def test_a_dropped_off_checkout_is_canceled_24_hours_later(server: RunningServer,
                                                            shop: AmazonPayClient) -> None:
    session_id = create_session(shop)["checkoutSessionId"]
    _call(server, "buyer/pay", {"checkoutSessionId": session_id})
    _call(server, "buyer/drop-off", {"checkoutSessionId": session_id})
    _call(server, "wait/for", {"duration": "23:59:59"})
    assert _call(server, "transactions", method="GET")["transactions"][0]["status"] == "Open"
    _call(server, "wait/for", {"duration": "1 second"})
    assert _call(server, "transactions", method="GET")["transactions"][0]["status"] == "Canceled"
    assert _call(server, "clock", method="GET")["now"] == (START + timedelta(days=1)).isoformat()


def test_advancing_simulated_time_never_invalidates_the_merchants_signed_date(
        server: RunningServer, shop: AmazonPayClient) -> None:
    """D-SERVER-CLOCK: the shop signs with the wall clock, however far the simulated clock has gone."""
    _call(server, "clock", {"to": (real_now() + timedelta(days=400)).isoformat()})
    create_session(shop)
    _call(server, "reset", {"start": "2020-01-01T00:00:00Z"})
    create_session(shop)


def test_a_date_ahead_of_both_clocks_is_refused(server: RunningServer) -> None:
    with httpx.Client(timeout=TIMEOUT) as http:
        ahead = AmazonPayClient("SANDBOX-TESTKEY", test_key_pair().private_key, http=http,
                                now=lambda: real_now() + timedelta(minutes=20))
        ahead.base_url = f"{server.base_url}/v2/"
        with pytest.raises(AmazonPayApiError) as refused:
            create_session(ahead)
    assert (refused.value.status, refused.value.reason_code) == (400, "InvalidHeaderValue")


def test_amazon_and_operator_actions_by_amazon_ids(server: RunningServer, shop: AmazonPayClient) -> None:
    session_id = create_session(shop)["checkoutSessionId"]
    _call(server, "buyer/pay", {"checkoutSessionId": session_id})
    completed = shop.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})
    permission_id = completed["chargePermissionId"]
    _call(server, "amazon/invalidate-payment-method", {"chargePermissionId": permission_id})
    assert _call(server, "transactions", method="GET")["transactions"][0]["status"] == "Suspended"
    _call(server, "buyer/update-payment-method", {"chargePermissionId": permission_id, "card": "1111"})
    _call(server, "amazon/decline-next-authorization", {"chargePermissionId": permission_id,
                                                        "reason": "SoftDeclined"})
    _call(server, "operator/close", {"referenceId": permission_id})
    assert _call(server, "transactions", method="GET")["transactions"][0]["status"] == "Closed"
    refused = control(server, "POST", "operator/cancel", {"referenceId": permission_id})
    assert refused.status_code == 422
    assert _check(refused, "operator/cancel")["error"] == "InvalidChargePermissionStatus"


def test_faults_are_planned_listed_and_hit_the_shop(server: RunningServer, shop: AmazonPayClient) -> None:
    planned = _call(server, "faults", {"operation": "createCheckoutSession", "kind": "TooManyRequests"})
    assert planned["faults"][0]["fired"] == 0
    with pytest.raises(AmazonPayApiError) as throttled:
        create_session(shop)
    assert throttled.value.status == 429
    create_session(shop)
    _call(server, "faults", {"operation": "getCheckoutSession", "kind": "drop"})
    with pytest.raises(httpx.RemoteProtocolError):
        shop.get_checkout_session("none")
    assert [fault["fired"] for fault in _call(server, "faults", method="GET")["faults"]] == [1, 1]
    assert _call(server, "faults", method="DELETE")["faults"] == []


def test_the_vocabularys_fault_steps_are_control_calls(server: RunningServer, shop: AmazonPayClient) -> None:
    planned = _call(server, "amazon/answer-error", {"operation": "checkout", "status": 429, "times": 2})
    assert planned["planned"] == "Amazon Pay will answer 429 TooManyRequests to the next 2 calls of " \
                                 "createCheckoutSession"
    _call(server, "amazon/drop-connection", {"operation": "getCheckoutSession", "after processing": True})
    faults = _call(server, "faults", method="GET")["faults"]
    assert [(fault["operation"], fault["kind"], fault["times"], fault["afterProcessing"])
            for fault in faults] == [("createCheckoutSession", "TooManyRequests", 2, False),
                                     ("getCheckoutSession", "drop", 1, True)]
    for _ in range(2):
        with pytest.raises(AmazonPayApiError, match="429 TooManyRequests"):
            create_session(shop)
    create_session(shop)
    typo = control(server, "POST", "amazon/time-out", {"operation": "captureChrage"})
    assert typo.status_code == 400 and "did you mean 'captureCharge'" in typo.json()["message"]


def test_a_planned_timeout_holds_the_answer_then_drops(server: RunningServer, shop: AmazonPayClient) -> None:
    _call(server, "faults", {"operation": "getCheckoutSession", "kind": "timeout", "holdSeconds": 0.2})
    with pytest.raises(httpx.RemoteProtocolError):
        shop.get_checkout_session("none")


def test_reset_starts_over(server: RunningServer, shop: AmazonPayClient) -> None:
    create_session(shop)
    answer = _call(server, "reset", {"seed": 7, "start": "2026-02-01T09:00:00+09:00"})
    assert answer["seed"] == 7
    assert _call(server, "transactions", method="GET")["transactions"] == []
    assert _call(server, "clock", method="GET")["now"] == "2026-02-01T00:00:00+00:00"


@pytest.mark.parametrize(("method", "path", "body", "status", "error", "says"), [
    ("POST", "buyer/pay", {"checkoutSessionId": "x", "crad": "1111"}, 400, "UnknownField",
     "did you mean 'card'"),
    ("POST", "buyer/pay", {}, 400, "MissingField", "needs checkoutSessionId"),
    ("POST", "buyer/pay", {"checkoutSessionId": "x", "card": "12"}, 400, "InvalidValue", "field 'card'"),
    ("POST", "wait/for", {"duration": "a while"}, 400, "InvalidValue", "write it like"),
    ("POST", "clock", {"to": "tomorrow"}, 400, "InvalidValue", "ISO-8601"),
    ("POST", "buyer/payy", {}, 404, "UnknownRoute", "did you mean /_harness/buyer/pay"),
    ("GET", "buyer/pay", None, 405, "MethodNotAllowed", "answers POST"),
    ("POST", "buyer/pay", {"checkoutSessionId": "nope"}, 404, "ResourceNotFound", "nope"),
    ("POST", "buyer/drop-off", {"checkoutSessionId": "nope"}, 404, "ResourceNotFound", "nope"),
    ("POST", "faults", {"operation": "createChrage", "kind": "drop"}, 400, "InvalidValue", "createCharge"),
    ("POST", "faults", {"operation": "createCharge", "kind": "slow"}, 400, "InvalidValue", "slow"),
    # found by tests/server/test_schemathesis.py: values the document's schema refuses were accepted
    ("POST", "reset", {"seed": -1}, 400, "InvalidValue", "field 'seed': -1 is less than the minimum of 0"),
    ("POST", "faults", {"operation": "createCharge", "kind": "TooManyRequests", "times": 0}, 400,
     "InvalidValue", "field 'times'"),
    ("POST", "faults", {"operation": "createCharge", "kind": "TooManyRequests", "probability": 1.5}, 400,
     "InvalidValue", "field 'probability'"),
])
def test_a_malformed_control_call_says_how_to_fix_it(server: RunningServer, *, method: str, path: str,
                                                     body: object, status: int, error: str,
                                                     says: str) -> None:
    response = control(server, method, path, body)
    assert response.status_code == status
    answer = response.json()
    assert answer["error"] == error
    assert says in answer["message"]


@pytest.mark.parametrize("body", [b"{oops", b"\x0c"])  # \x0c: found by tests/server/test_schemathesis.py
def test_a_body_that_is_not_json_is_a_400(server: RunningServer, body: bytes) -> None:
    response = httpx.post(f"{server.base_url}/_harness/notifications", content=body, timeout=TIMEOUT)
    assert response.status_code == 400
    assert "send a JSON object like" in response.json()["message"]


def test_an_action_that_cannot_happen_now_is_a_409(server: RunningServer, shop: AmazonPayClient) -> None:
    session_id = create_session(shop)["checkoutSessionId"]
    response = control(server, "POST", "buyer/drop-off", {"checkoutSessionId": session_id})
    assert response.status_code == 409
    assert "only drop off after approving" in _check(response, "buyer/drop-off")["message"]


def test_both_openapi_documents_are_served_and_valid(server: RunningServer) -> None:
    for path, document in (("openapi.json", control_document()),
                           ("amazon-pay.openapi.json", amazon_pay_document())):
        served = control(server, "GET", path).json()
        assert served == document
        validate(served)


def test_every_vocabulary_action_is_served_or_says_why_not() -> None:
    for action in yaml_actions():
        listed = action.actor in UNSERVED or f"{action.actor}: {action.key}" in UNSERVED
        assert ((action.actor, action.key) in ADDRESSED) != listed, f"{action.actor}: {action.key}"
    paths = control_document()["paths"]
    for actor, key in ADDRESSED:
        assert f"/_harness/{actor}/{key.replace(' ', '-')}" in paths


def test_the_committed_openapi_documents_are_the_served_ones() -> None:
    root = Path(__file__).parents[2]
    assert json.loads((root / CONTROL_PATH).read_text(encoding="utf-8")) == control_document()
    assert json.loads((root / AMAZON_PAY_PATH).read_text(encoding="utf-8")) == amazon_pay_document()


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(parameter for parameter in operation["parameters"] if parameter["name"] == name)


def test_the_amazon_pay_document_links_each_answer_to_the_calls_its_ids_and_amounts_feed() -> None:
    paths = amazon_pay_document()["paths"]
    created = paths["/v2/checkoutSessions"]["post"]["responses"]["201"]["links"]
    assert created["completeCheckoutSession"] == {
        "operationId": "completeCheckoutSession",
        "parameters": {"path.checkoutSessionId": "$response.body#/checkoutSessionId"},
        "requestBody": {"chargeAmount": "$response.body#/paymentDetails/chargeAmount"}}
    assert created["createCharge"]["requestBody"]["chargePermissionId"] == \
        "$response.body#/chargePermissionId"
    charge = paths["/v2/charges/{chargeId}"]["get"]["responses"]["200"]["links"]
    assert charge["createRefund"]["requestBody"] == {"chargeId": "$response.body#/chargeId",
                                                     "refundAmount": "$response.body#/captureAmount"}
    assert set(charge) >= {"captureCharge", "cancelCharge", "getChargePermission", "closeChargePermission"}
    assert "getRefund" in paths["/v2/refunds"]["post"]["responses"]["201"]["links"]
    assert "getReportById" in paths["/v2/reports"]["post"]["responses"]["201"]["links"]
    unmodelled = {operation["operationId"] for item in paths.values() for operation in item.values()
                  if "Not modelled" in operation["summary"]}
    for item in paths.values():
        for operation in item.values():
            for answer in operation["responses"].values():
                assert not unmodelled & set(answer.get("links", {})), operation["operationId"]


def test_a_blank_simulation_code_or_idempotency_key_is_in_the_document() -> None:
    """The handler reads them as not sent (D-WIRE-SIMULATION-CODES, D-WIRE-IDEMPOTENCY; found by the
    stateful schemathesis pass, tests/api/test_hostile.py)."""
    close = amazon_pay_document()["paths"]["/v2/chargePermissions/{chargePermissionId}/close"]["delete"]
    code = _parameter(close, "x-amz-pay-simulation-code")["schema"]
    jsonschema.validate("", code)
    jsonschema.validate("AmazonClosed", code)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("HardDeclined", code)
    key = _parameter(amazon_pay_document()["paths"]["/v2/charges"]["post"], "x-amz-pay-idempotency-key")
    for blank in ("", "k-1 "):
        jsonschema.validate(blank, key["schema"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("k 1", key["schema"])
