"""The OpenAPI document's answer schemas describe what the renderers write, in every state that changes
what they write (docs/reference/amazon-pay-v2.md §1); the request schemas come from the same tables the
handler reads bodies with."""

from __future__ import annotations

import inspect
import re
from datetime import timedelta
from typing import Any

import jsonschema
import pytest

from harness.amazon_pay.errors import AmazonPayError
from harness.amazon_pay.objects import RecurringMetadata, WebCheckoutDetails
from harness.amazon_pay.reports import ReportType
from harness.amazon_pay.states import ChargePermissionType, PaymentIntent
from harness.api import json_in, json_out, reports_api
from harness.api.answer_schemas import ANSWERS
from harness.api.reports_api import report_json, schedule_json
from harness.api.web_store import OPERATIONS
from harness.money import Money
from harness.simulator import Simulator
from tests.api.wire_objects import approved_session, completed_session, open_session


def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator of one answer schema, its references resolved in the document's components."""
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                            "components": {"schemas": ANSWERS}})


def rendered(sim: Simulator) -> list[tuple[str, dict[str, Any]]]:
    """Every object kind as rendered, in the states that change its JSON."""
    ledger = sim.ledger
    sessions = [open_session(sim, signed_in=False), open_session(sim), approved_session(sim),
                completed_session(sim, 5000), completed_session(sim, intent=PaymentIntent.CONFIRM)]
    recurring = sim.api.create_checkout_session(
        WebCheckoutDetails("https://shop.example/review"),
        charge_permission_type=ChargePermissionType.RECURRING,
        recurring_metadata=RecurringMetadata(frequency_unit="Month", frequency_value="1",
                                             amount=Money.of(1000)))
    canceled = open_session(sim)
    sim.buyer.cancel(canceled.id)
    captured = completed_session(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    assert captured.charge_id is not None and captured.charge_permission_id is not None
    refund = sim.api.create_refund(captured.charge_id, Money.of(100))
    authorized = sessions[3].charge_permission_id
    assert authorized is not None
    closed = sim.api.close_charge_permission(authorized, "done", False)
    report = sim.reports.request(ReportType.SANDBOX_SETTLEMENT, sim.now() - timedelta(days=1), sim.now())
    schedule = sim.reports.schedule(ReportType.SANDBOX_SETTLEMENT, "P1D", None)
    objects = [("CheckoutSession", json_out.checkout_session(ledger.session(session.id), ledger))
               for session in (*sessions, recurring, canceled)]
    objects += [("ChargePermission", json_out.charge_permission(permission, ledger))
                for permission in (*ledger.charge_permissions.values(), closed)]
    objects += [("Charge", json_out.charge(charge)) for charge in ledger.charges.values()]
    objects += [("Refund", json_out.refund(refund)), ("Buyer", json_out.buyer_profile(sim.buyer.default)),
                ("Report", report_json(sim.reports, report)), ("ReportSchedule", schedule_json(schedule))]
    return objects


def test_every_rendered_object_matches_its_answer_schema() -> None:
    sim = Simulator()
    objects = rendered(sim)
    assert {name for name, _ in objects} >= {"CheckoutSession", "ChargePermission", "Charge", "Refund"}
    for name, body in objects:
        errors = [error.message for error in validator(name).iter_errors(body)]
        assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize("change", ["drop a key", "add a key"])
def test_a_renderer_that_drifts_from_its_schema_is_caught(change: str) -> None:
    sim = Simulator()
    session = completed_session(sim, 500)
    assert session.charge_id is not None
    body = json_out.charge(sim.ledger.charge(session.charge_id))
    if change == "drop a key":
        del body["softDescriptor"]
    else:
        body["chargeStatus"] = "Authorized"
    assert not validator("Charge").is_valid(body)


def test_every_modelled_operation_names_an_answer_schema_and_its_body_table() -> None:
    for operation in OPERATIONS:
        if operation.handler is None:
            continue
        assert operation.answer in ANSWERS, operation.name
        if operation.method in ("POST", "PATCH") or operation.request is not None:
            assert operation.request is not None or operation.name == "cancelReportSchedule", operation.name


def test_a_request_schema_lists_the_table_it_is_read_with() -> None:
    schema = json_in.CREATE_CHARGE.schema
    assert schema["required"] == ["chargePermissionId", "chargeAmount"]
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [field.name for field in json_in.CREATE_CHARGE.fields]  # type: ignore[call-overload]
    charge_amount = schema["properties"]["chargeAmount"]  # type: ignore[index]
    assert charge_amount["required"] == ["amount", "currencyCode"]


def test_an_optional_key_may_be_null_in_the_schema_and_in_the_parser() -> None:
    body = {"chargePermissionId": "S03-1", "chargeAmount": {"amount": "5", "currencyCode": "JPY"},
            "softDescriptor": None}
    jsonschema.validate(body, json_in.CREATE_CHARGE.schema)
    assert json_in.CREATE_CHARGE.parse(body).soft_descriptor is None
    too_long = {**body, "softDescriptor": "x" * 17}
    assert not jsonschema.Draft202012Validator(json_in.CREATE_CHARGE.schema).is_valid(too_long)
    with pytest.raises(AmazonPayError, match="softDescriptor"):
        json_in.CREATE_CHARGE.parse(too_long)


def test_an_unmodelled_key_is_documented_as_refused_unless_null() -> None:
    schema = json_in.UPDATE_CHARGE_PERMISSION.schema["properties"]["recurringMetadata"]  # type: ignore[index]
    assert schema["type"] == "null" and "not modelled" in schema["description"]
    with pytest.raises(AmazonPayError, match="does not model"):
        json_in.UPDATE_CHARGE_PERMISSION.parse({"recurringMetadata": {}})


def test_every_query_parameter_a_reports_handler_reads_is_in_the_document() -> None:
    source = inspect.getsource(reports_api)
    read = set(re.findall(r'query\.get\("(\w+)"', source)) | set(re.findall(r'query\["(\w+)"\]', source)) \
        | set(re.findall(r'_query_time\(query, "(\w+)"', source))
    declared = {query.name for queries in reports_api.QUERIES.values() for query in queries}
    assert read - {"X-Amz-Signature"} <= declared, read - declared
    assert {"pageSize", "nextToken", "reportTypes", "createdSince"} <= declared
