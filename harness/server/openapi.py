"""The server's two OpenAPI 3.1 documents, rendered from the code they describe (`harness generate`).

- the control API, from `harness.server.control.routes()` (itself derived from the vocabulary):
  each route's fields and their JSON Schemas, and the schemas of its answers;
- the simulated Amazon Pay API, from `harness.api.web_store.OPERATIONS`: every operation with its
  method, path, path parameters, the headers the handler requires, its request body's schema (from
  the `harness.api.json_in` table the handler reads it with), its answers' schemas
  (`harness.api.answer_schemas`) with their statuses and links (`links`), and Amazon's error body
  for each status of docs/reference/amazon-pay-v2.md §4.2 with the reasonCodes answered with it.

Both are served by the running server and committed under schemas/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.amazon_pay.errors import HTTP_STATUS
from harness.api.answer_schemas import ANSWERS
from harness.api.handler import REQUIRED_HEADERS, SIMULATION_HEADER
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from harness.api.idempotency import KEY_PATTERN
from harness.api.operations import Operation
from harness.api.web_store import OPERATIONS
from harness.server.control import PREFIX, Route, routes

__all__ = ["AMAZON_PAY_PATH", "CONTROL_PATH", "amazon_pay_document", "control_document", "render"]

Json = dict[str, Any]

CONTROL_PATH = Path("schemas/control-api.openapi.json")
AMAZON_PAY_PATH = Path("schemas/amazon-pay-api.openapi.json")
VERSION = "0.1.0"

_PRICE: Json = {"type": "object", "required": ["amount", "currencyCode"],
                "properties": {"amount": {"type": "string"}, "currencyCode": {"type": "string"}}}
_STRING: Json = {"type": "string"}

CONTROL_SCHEMAS: Json = {
    "Error": {"type": "object", "required": ["error", "message"], "additionalProperties": False,
              "properties": {"error": _STRING, "message": {
                  "type": "string", "description": "what is wrong and how to fix it"}}},
    "Done": {"type": "object", "required": ["done", "now"],
             "properties": {"done": _STRING, "now": {"type": "string", "format": "date-time"},
                            "redirectUrl": {"type": "string",
                                            "description": "buyer return, click button: where the "
                                                           "browser goes"},
                            "checkoutSessionId": {"type": "string",
                                                  "description": "click button: the session Amazon created"},
                            "chargeId": _STRING, "refundIds": {"type": "array", "items": _STRING},
                            "seed": {"type": "integer"}, "reportId": _STRING}},
    "Clock": {"type": "object", "required": ["now", "nowJst", "wallClock"], "additionalProperties": False,
              "properties": {"now": _STRING, "nowJst": _STRING, "wallClock": _STRING}},
    "Transactions": {"type": "object", "required": ["transactions"], "additionalProperties": False,
                     "properties": {"transactions": {"type": "array", "items": {
                         "type": "object", "additionalProperties": False,
                         "required": ["referenceId", "status", "chargePermissionId", "authorized", "captured",
                                      "refunded", "createdAt", "createdJst", "buyer", "merchantReferenceId"],
                         "properties": {
                             "referenceId": _STRING, "chargePermissionId": _STRING,
                             "status": {"enum": ["Open", "Closed", "Canceled", "Suspended"]},
                             "authorized": _PRICE, "captured": _PRICE, "refunded": _PRICE,
                             "createdAt": _STRING, "createdJst": _STRING, "buyer": _STRING,
                             "merchantReferenceId": {"type": ["string", "null"]}}}}}},
    "Timeline": {"type": "object", "required": ["entries", "text"], "additionalProperties": False,
                 "properties": {"text": _STRING, "entries": {"type": "array", "items": {
                     "type": "object", "required": ["at", "atJst", "actor", "text"],
                     "additionalProperties": False,
                     "properties": {"at": _STRING, "atJst": _STRING, "actor": _STRING, "text": _STRING}}}}},
    # --- reports (issue 15) ---
    "Reports": {"type": "object", "required": ["reports"], "additionalProperties": False,
                "properties": {"reports": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["reportId", "reportType", "startTime", "endTime", "createdAt",
                                 "processingStatus", "rows"],
                    "properties": {"reportId": _STRING, "reportType": _STRING, "startTime": _STRING,
                                   "endTime": _STRING, "createdAt": _STRING,
                                   "processingStatus": {"enum": ["IN_PROGRESS", "COMPLETED", "FAILED",
                                                                 "CANCELLED"]},
                                   "rows": {"type": ["integer", "null"],
                                            "description": "transactions listed (once made)"}}}}}},
    "Faults": {"type": "object", "required": ["faults"], "additionalProperties": False,
               "properties": {"faults": {"type": "array", "items": {
                   "type": "object", "additionalProperties": False,
                   "required": ["operation", "kind", "times", "probability", "afterProcessing", "fired"],
                   "properties": {"operation": _STRING, "kind": _STRING,
                                  "times": {"type": ["integer", "null"]}, "probability": {"type": "number"},
                                  "afterProcessing": {"type": "boolean"}, "fired": {"type": "integer"}}}}}},
    "Notifications": {
        "type": "object", "additionalProperties": False,
        "required": ["ipnUrl", "endpointDown", "duplicates", "outOfOrder", "signatureVersion",
                     "signingCertUrl", "topicArn", "merchantId", "published", "deliveries"],
        "properties": {
            "ipnUrl": {"type": ["string", "null"]}, "endpointDown": {"type": "boolean"},
            "duplicates": {"type": "boolean"}, "outOfOrder": {"type": "boolean"},
            "signatureVersion": {"enum": ["1", "2"]}, "signingCertUrl": _STRING, "topicArn": _STRING,
            "merchantId": _STRING, "published": {"type": "integer"},
            "deliveries": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["at", "objectType", "objectId", "chargePermissionId", "messageId", "attempt",
                             "status", "error", "duplicate"],
                "properties": {"at": _STRING, "objectType": _STRING, "objectId": _STRING,
                               "chargePermissionId": _STRING, "messageId": _STRING,
                               "attempt": {"type": "integer"}, "status": {"type": ["integer", "null"]},
                               "error": {"type": ["string", "null"]}, "duplicate": {"type": "boolean"}}}}}},
}

_ERROR_RESPONSE: Json = {"description": "the call cannot be served; the message says how to fix it",
                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json_content(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def _control_operation(route: Route) -> Json:
    operation: Json = {"operationId": route.operation_id, "summary": route.summary,
                       "responses": {"200": {"description": "done",
                                             "content": _json_content(
                                                 {"$ref": f"#/components/schemas/{route.response}"})},
                                     "4XX": _ERROR_RESPONSE}}
    if route.fields:
        body: Json = {"type": "object", "additionalProperties": False,
                      "properties": {field.name: {**field.schema, "description": field.doc}
                                     for field in route.fields}}
        required = [field.name for field in route.fields if field.required]
        if required:
            body["required"] = required
        operation["requestBody"] = {"required": bool(required), "content": _json_content(body)}
    return operation


def control_document() -> Json:
    """The control API's OpenAPI document."""
    paths: Json = {}
    for route in routes():
        paths.setdefault(route.path, {})[route.method.lower()] = _control_operation(route)
    for path, summary in ((f"{PREFIX}/openapi.json", "This document."),
                          (f"{PREFIX}/amazon-pay.openapi.json", "The simulated Amazon Pay API's document.")):
        paths[path] = {"get": {"operationId": "get" + re.sub(r"\W", "", path.title()), "summary": summary,
                               "responses": {"200": {"description": "an OpenAPI document",
                                                     "content": _json_content({"type": "object"})}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "amazon-pay-harness control API", "version": VERSION,
                     "description": "Drives `harness serve`: the buyer, Amazon, the Seller Central operator "
                                    "and time, named as in the scenario vocabulary (docs/yaml-scenarios.md), "
                                    "addressed by Amazon ids. See README, 'Any language'."},
            "paths": paths, "components": {"schemas": CONTROL_SCHEMAS}}


_BLANK = r"[ \t]*"
"""Spaces and tabs around a header's value, which HTTP does not count as part of it (RFC 9110 §5.5)."""
_REQUEST_ID = {"x-amz-pay-request-id": {"required": True, "schema": _STRING,
                                         "description": "on every answer (§4.1)"}}
_SIGNATURE = "AmazonPaySignature"


def _error_statuses() -> dict[int, list[str]]:
    """The reasonCodes of each status (§4.2, `HTTP_STATUS`)."""
    statuses: dict[int, list[str]] = {}
    for code, status in HTTP_STATUS.items():
        statuses.setdefault(status, []).append(code)
    return dict(sorted(statuses.items()))


def _error_component(status: int) -> str:
    return f"AmazonError{status}"


def _placeholders(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)


LINKED_IDS = frozenset(name for operation in OPERATIONS if operation.modelled
                       for name in _placeholders(operation.path))
"""The ids a call names an object by (the placeholders of the modelled paths)."""

HANDED_ON: dict[str, tuple[str, ...]] = {
    **{name: (f"/{name}",) for name in LINKED_IDS},
    "chargeAmount": ("/paymentDetails/chargeAmount", "/chargeAmount"),  # a session's or charge's, again
    "captureAmount": ("/chargeAmount",),  # a charge's amount, captured in full
    "refundAmount": ("/captureAmount",),  # what was captured, refunded in full
}
"""What a link hands from an answer to the next call: a path placeholder or required body field,
and where its value is in the answer (JSON pointers, the first the answer has;
docs/reference/amazon-pay-v2.md §1: the answers name ids and amounts as the requests do). The one
declaration `links` derives every link from."""


def _pointer(name: str, carried: set[str]) -> str | None:
    """Where the answer whose top-level keys are `carried` holds the value `HANDED_ON` names `name` by."""
    return next((pointer for pointer in HANDED_ON.get(name, ()) if pointer.split("/")[1] in carried), None)


def _keys(value: object) -> list[str]:
    """The names of a schema's `properties` (a dict) or `required` (a list); none for anything else."""
    return [str(name) for name in value] if isinstance(value, dict | list) else []


def links(operation: Operation) -> Json:
    """OpenAPI links from its answer to every modelled operation it can hand values on to.

    A target is linked when the answer carries (at its top level) every placeholder of the target's
    path and at least one id for it (in its path or its body), with the amounts `HANDED_ON` names:
    so a created Checkout Session links to the calls on it (Complete with its amount), a completed
    one's `chargeId` and `chargePermissionId` to the Charge and Charge Permission calls and to Create
    Charge and Create Refund (in their bodies), a Refund to its Charge, a Report to its document, a
    schedule to its cancelling.
    """
    if operation.answer is None:
        return {}
    carried = set(_keys(ANSWERS[operation.answer].get("properties")))
    found: Json = {}
    for target in OPERATIONS:
        in_path = _placeholders(target.path)
        required = _keys(target.request.schema.get("required")) if target.request is not None else []
        in_body = {name: pointer for name in required if (pointer := _pointer(name, carried)) is not None}
        if not target.modelled or not carried.issuperset(in_path) or not LINKED_IDS & {*in_path, *in_body}:
            continue
        link: Json = {"operationId": target.name}
        if in_path:
            link["parameters"] = {f"path.{name}": f"$response.body#{_pointer(name, carried)}"
                                  for name in in_path}
        if in_body:
            link["requestBody"] = {name: f"$response.body#{pointer}" for name, pointer in in_body.items()}
        found[target.name] = link
    return found


def _amazon_responses(operation: Operation) -> Json:
    """Its successes (with their links), and one answer per status of §4.2's table with the
    reasonCodes answered with it."""
    responses: Json = {}
    if operation.answer is not None:
        content = _json_content({"$ref": f"#/components/schemas/{operation.answer}"})
        linked = links(operation)
        responses = {str(status): {"description": f"Amazon's {operation.answer}", "headers": _REQUEST_ID,
                                   "content": content, **({"links": linked} if linked else {})}
                     for status in operation.statuses}
    for status in _error_statuses():
        responses[str(status)] = {"$ref": f"#/components/responses/{_error_component(status)}"}
    if operation.download is not None:  # the file, or S3's XML error (D-REPORT-DOCUMENT-URL)
        responses["200"] = {"description": "the report file", "headers": _REQUEST_ID,
                            "content": {"text/csv": {"schema": _STRING}}}
        for refused, code in ((403, "AccessDenied: the url expired"), (404, "NoSuchKey")):
            responses[str(refused)] = {**_error_response(refused, _error_statuses()[refused]),
                                       "description": f"S3's {code}"}
            responses[str(refused)]["content"]["application/xml"] = {"schema": _STRING}
    return responses


def _error_response(status: int, codes: list[str]) -> Json:
    return {"description": ", ".join(codes), "headers": _REQUEST_ID,
            "content": _json_content({"$ref": f"#/components/schemas/{_error_component(status)}"})}


def _amazon_operation(operation: Operation) -> Json:
    parameters: list[Json] = [
        {"name": name, "in": "path", "required": True, "schema": _STRING}
        for name in _placeholders(operation.path)]
    parameters += [{"name": query.name, "in": "query", "required": False, "schema": query.schema,
                    "description": query.description} for query in operation.query]
    if operation.download is not None:  # a pre-signed url (D-REPORT-DOCUMENT-URL): no headers
        parameters += [{"name": name, "in": "query", "required": True, "schema": _STRING}
                       for name in ("X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature")]
    else:
        parameters += [{"name": header, "in": "header", "required": True, "schema": _STRING}
                       for header in REQUIRED_HEADERS if header != "authorization"]
    if operation.method == "POST":
        parameters.append({"name": IDEMPOTENCY_HEADER, "in": "header",
                           "required": operation.idempotency_key_required,
                           "schema": {"type": "string", "pattern": f"^{_BLANK}({KEY_PATTERN})?{_BLANK}$"},
                           "description": "a blank value counts as not sent (D-WIRE-IDEMPOTENCY)"})
    if operation.simulation_codes:
        parameters.append({"name": SIMULATION_HEADER, "in": "header", "required": False,
                           "schema": {"anyOf": [{"enum": sorted(operation.simulation_codes)},
                                                {"type": "string", "pattern": f"^{_BLANK}$"}]},
                           "description": "a blank value counts as not sent (D-WIRE-SIMULATION-CODES)"})
    modelled = "" if operation.modelled else " Not modelled: answers 405 RequestNotSupported."
    result: Json = {"operationId": operation.name, "summary": f"{operation.name}.{modelled}",
                    "parameters": parameters, "responses": _amazon_responses(operation)}
    if operation.download is None:
        result["security"] = [{_SIGNATURE: []}]
    if operation.request is not None:
        result["requestBody"] = {"required": operation.request.required,
                                 "content": _json_content(operation.request.schema)}
    elif operation.method in ("POST", "PATCH"):
        result["requestBody"] = {"required": False, "content": _json_content({"type": "object"})}
    return result


def amazon_pay_document() -> Json:
    """The simulated Amazon Pay API's OpenAPI document."""
    paths: Json = {}
    for operation in OPERATIONS:
        paths.setdefault(f"/v2/{operation.path}", {})[operation.method.lower()] = _amazon_operation(operation)
    errors = {_error_component(status): {
        "type": "object", "required": ["reasonCode", "message"], "additionalProperties": False,
        "properties": {"reasonCode": {"enum": codes}, "message": _STRING}}
        for status, codes in _error_statuses().items()}
    return {"openapi": "3.1.0",
            "info": {"title": "Amazon Pay API v2, as simulated by amazon-pay-harness", "version": VERSION,
                     "description": "Paths are also served under /sandbox/v2/ and /live/v2/ "
                                    "(docs/api-coverage.md). Facts: docs/reference/amazon-pay-v2.md "
                                    "(§1 objects, §3 bodies, §4 errors, §5 headers and signing)."},
            "servers": [{"url": "https://pay-api.amazon.jp"}, {"url": "http://127.0.0.1:{port}",
                                                               "variables": {"port": {"default": "8080"}}}],
            "paths": paths,
            "components": {
                "securitySchemes": {_SIGNATURE: {
                    "type": "apiKey", "in": "header", "name": "authorization",
                    "description": "`ALG PublicKeyId=…, SignedHeaders=…, Signature=…` over the canonical "
                                   "request (§5.2; harness.api.signer.sign_request)"}},
                "responses": {_error_component(status): _error_response(status, codes)
                              for status, codes in _error_statuses().items()},
                "schemas": {**ANSWERS, **errors}}}


def render(document: Json) -> str:
    """A document as the committed file holds it."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
