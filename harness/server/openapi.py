"""The server's two OpenAPI 3.1 documents, rendered from the code they describe (`harness generate`).

- the control API, from `harness.server.control.routes()` (itself derived from the vocabulary):
  each route's fields and their JSON Schemas, and the schemas of its answers;
- the simulated Amazon Pay API, from `harness.api.web_store.OPERATIONS`: every operation with its
  method, path, path parameters, the headers the handler requires, and Amazon's error body.
  Request and response bodies are described as JSON objects only; their fields are Amazon's
  (docs/reference/amazon-pay-v2.md), listed per operation in docs/api-coverage.md.

Both are served by the running server and committed under schemas/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.api.handler import REQUIRED_HEADERS, SIMULATION_HEADER
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER
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


def _amazon_operation(operation: Operation) -> Json:
    parameters: list[Json] = [
        {"name": name, "in": "path", "required": True, "schema": _STRING}
        for name in re.findall(r"\{(\w+)\}", operation.path)]
    if operation.download is not None:  # a pre-signed url (D-REPORT-DOCUMENT-URL): no headers
        parameters += [{"name": name, "in": "query", "required": True, "schema": _STRING}
                       for name in ("X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature")]
    else:
        parameters += [{"name": header, "in": "header", "required": True, "schema": _STRING}
                       for header in REQUIRED_HEADERS]
    if operation.method == "POST":
        parameters.append({"name": IDEMPOTENCY_HEADER, "in": "header",
                           "required": operation.idempotency_key_required, "schema": _STRING})
    if operation.simulation_codes:
        parameters.append({"name": SIMULATION_HEADER, "in": "header", "required": False,
                           "schema": {"enum": sorted(operation.simulation_codes)}})
    modelled = "" if operation.modelled else " Not modelled: answers 405 RequestNotSupported."
    result: Json = {"operationId": operation.name, "summary": f"{operation.name}.{modelled}",
                    "parameters": parameters,
                    "responses": {"2XX": {"description": "Amazon's object",
                                          "content": _json_content({"type": "object"})},
                                  "default": {"description": "Amazon's error body",
                                              "content": _json_content(
                                                  {"$ref": "#/components/schemas/AmazonError"})}}}
    if operation.method in ("POST", "PATCH"):
        result["requestBody"] = {"required": False, "content": _json_content({"type": "object"})}
    return result


def amazon_pay_document() -> Json:
    """The simulated Amazon Pay API's OpenAPI document."""
    paths: Json = {}
    for operation in OPERATIONS:
        paths.setdefault(f"/v2/{operation.path}", {})[operation.method.lower()] = _amazon_operation(operation)
    return {"openapi": "3.1.0",
            "info": {"title": "Amazon Pay API v2, as simulated by amazon-pay-harness", "version": VERSION,
                     "description": "Paths are also served under /sandbox/v2/ and /live/v2/ "
                                    "(docs/api-coverage.md). Facts: docs/reference/amazon-pay-v2.md."},
            "servers": [{"url": "https://pay-api.amazon.jp"}, {"url": "http://127.0.0.1:{port}",
                                                               "variables": {"port": {"default": "8080"}}}],
            "paths": paths,
            "components": {"schemas": {"AmazonError": {
                "type": "object", "required": ["reasonCode", "message"],
                "properties": {"reasonCode": _STRING, "message": _STRING}}}}}


def render(document: Json) -> str:
    """A document as the committed file holds it."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
