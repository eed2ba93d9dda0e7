"""JSON Schemas of the simulated API's answers, for the OpenAPI document (`harness.server.openapi`).

One schema per object that `harness.api.json_out` and `harness.api.reports_api` render
(docs/reference/amazon-pay-v2.md §1.2 to §1.7): every key they write is listed and required (§1.0:
keys are kept, absent values are `null`), no other key is allowed, and values take the types and
enums of the simulator's own tables (states, reason codes, report types). The schemathesis suite
(tests/server/test_schemathesis.py) and tests/api/test_answer_schemas.py check the answers against
them, so a key added to a renderer and not here fails there.
"""

from __future__ import annotations

from enum import StrEnum

from harness.amazon_pay import states
from harness.amazon_pay.reports import ProcessingStatus, ReportType
from harness.api.json_out import AFTER_COMPLETION_KEYS, CONSTRAINT_DESCRIPTIONS
from harness.ids import Environment

__all__ = ["ANSWERS"]

Schema = dict[str, object]

_TIMESTAMP = r"^[0-9]{8}T[0-9]{6}Z$"
"""§1.0: `YYYYMMDDTHHMMSSZ` in UTC."""


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _null(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(kind: type[StrEnum]) -> Schema:
    return {"enum": [member.value for member in kind]}


def _object(description: str | None, properties: dict[str, Schema],
            optional: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these keys, all required but `optional`."""
    schema: Schema = {"type": "object", "additionalProperties": False, "properties": properties,
                      "required": [name for name in properties if name not in optional]}
    if description:
        schema["description"] = description
    return schema


STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": ["string", "null"]}
NULL: Schema = {"type": "null", "description": "not modelled by the simulator: always null"}
TIMESTAMP: Schema = {"type": "string", "pattern": _TIMESTAMP}
MAYBE_TIMESTAMP: Schema = {"type": ["string", "null"], "pattern": _TIMESTAMP}
PRICE = _ref("Price")
MAYBE_PRICE = _null(PRICE)
ENVIRONMENT = _enum(Environment)
REASON: Schema = {"anyOf": [_enum(states.ReasonCode), {"type": "null"}]}


def _status(state: type[StrEnum]) -> Schema:
    """`statusDetails` of a Checkout Session, Charge or Refund (§1.2, §1.4, §1.5)."""
    return _object(None, {"state": _enum(state), "reasonCode": REASON, "reasonDescription": TEXT,
                          "lastUpdatedTimestamp": MAYBE_TIMESTAMP})


def _texts(description: str, *names: str) -> Schema:
    return _object(description, dict.fromkeys(names, TEXT))


_ADDRESS = _texts("§1.0", "name", "addressLine1", "addressLine2", "addressLine3", "city", "county",
                  "district", "stateOrRegion", "postalCode", "countryCode", "phoneNumber")
_MERCHANT_METADATA = _texts("§1.2", "merchantReferenceId", "merchantStoreName", "noteToBuyer",
                            "customInformation")
_RECURRING = _object("§1.2, §1.3", {"frequency": _null(_texts("§1.2", "unit", "value")),
                                    "amount": MAYBE_PRICE})
_PREFERENCES: Schema = {"type": "array", "items": _texts("§1.2", "paymentDescriptor")}
_PROVIDER = _object(None, {"providerReferenceId": NULL})
_BUYER = _object("§1.2, §1.3", {"buyerId": STRING, "name": TEXT, "email": TEXT, "phoneNumber": TEXT,
                                "primeMembershipTypes": NULL})
_OPTIONAL_TRUE: Schema = {"enum": [True, None], "description": "null when not requested (§1.2)"}

_SESSION_KEYS: dict[str, Schema] = {
    "checkoutSessionId": STRING,
    "webCheckoutDetails": _texts("§1.2", "checkoutReviewReturnUrl", "checkoutResultReturnUrl",
                                 "checkoutCancelUrl", "amazonPayRedirectUrl", "checkoutMode"),
    "productType": {"enum": ["PayAndShip"]},
    "paymentDetails": _object("§1.2", {
        "paymentIntent": {"anyOf": [_enum(states.PaymentIntent), {"type": "null"}]},
        "canHandlePendingAuthorization": {"type": "boolean"}, "chargeAmount": MAYBE_PRICE,
        "totalOrderAmount": MAYBE_PRICE, "softDescriptor": TEXT, "presentmentCurrency": STRING,
        "allowOvercharge": _OPTIONAL_TRUE, "extendExpiration": _OPTIONAL_TRUE}),
    "chargePermissionType": _enum(states.ChargePermissionType),
    "recurringMetadata": _null(_RECURRING),
    "checkoutType": TEXT,
    "merchantMetadata": _null(_MERCHANT_METADATA),
    "supplementaryData": NULL,
    "buyer": _null(_BUYER),
    "billingAddress": NULL,
    "paymentPreferences": _PREFERENCES,
    "statusDetails": _status(states.CheckoutSessionState),
    "shippingAddress": _null(_ADDRESS),
    "shippingAddressList": NULL,
    "platformId": NULL,
    "chargePermissionId": TEXT,
    "chargeId": TEXT,
    "constraints": {"type": "array", "items": _object(None, {
        "constraintId": {"enum": list(CONSTRAINT_DESCRIPTIONS)}, "description": STRING})},
    "creationTimestamp": TIMESTAMP,
    "expirationTimestamp": MAYBE_TIMESTAMP,
    "storeId": STRING,
    "providerMetadata": _PROVIDER,
    "releaseEnvironment": ENVIRONMENT,
    "checkoutButtonText": NULL,
    "deliverySpecifications": NULL,
}
"""§1.2. A Completed session fills only `AFTER_COMPLETION_KEYS` (D-COMPLETED-SESSION-JSON): the others
may then be null whatever their type."""


def _accepts_null(schema: Schema) -> bool:
    kind, options = schema.get("type"), schema.get("anyOf")
    return kind == "null" or (isinstance(kind, list) and "null" in kind) or (
        isinstance(options, list) and {"type": "null"} in options)


def _after_completion(name: str, schema: Schema) -> Schema:
    return schema if name in AFTER_COMPLETION_KEYS or _accepts_null(schema) else _null(schema)


_PERMISSION_STATUS = _object("§1.3: reasons[] instead of reasonCode", {
    "state": _enum(states.ChargePermissionState),
    "reasons": _null({"type": "array", "items": _object(None, {"reasonCode": _enum(states.ReasonCode),
                                                               "reasonDescription": TEXT})}),
    "lastUpdatedTimestamp": MAYBE_TIMESTAMP})

_REPORT = _object("§1.7", {
    "reportId": STRING, "reportType": _enum(ReportType), "startTime": TIMESTAMP, "endTime": TIMESTAMP,
    "createdTime": TIMESTAMP, "processingStatus": _enum(ProcessingStatus), "processingStartTime": TIMESTAMP,
    "processingEndTime": MAYBE_TIMESTAMP, "reportDocumentId": TEXT})
_SCHEDULE = _object("§1.7", {"reportScheduleId": STRING, "reportType": _enum(ReportType),
                             "scheduleFrequency": STRING, "nextReportCreationTime": MAYBE_TIMESTAMP})
_PAGE_TOKEN: Schema = {"type": "string", "description": "present when more match than pageSize (§1.7)"}
_DISBURSEMENT = _object("§1.7", {
    "sellerId": STRING, "settlementId": STRING, "amazonDisbursementReferenceId": STRING, "amount": STRING,
    "currencyCode": STRING, "transactionTime": TIMESTAMP})


def _list(description: str, key: str, item: Schema, *, paged: bool = False) -> Schema:
    properties: dict[str, Schema] = {key: {"type": "array", "items": item}}
    if paged:
        properties["nextToken"] = _PAGE_TOKEN
    return _object(description, properties, optional=("nextToken",))


ANSWERS: dict[str, Schema] = {
    "Price": _object("§1.0: the amount as a string", {
        "amount": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}, "currencyCode": STRING}),
    "CheckoutSession": _object("§1.2", {name: _after_completion(name, schema)
                                        for name, schema in _SESSION_KEYS.items()}),
    "ChargePermission": _object("§1.3", {
        "chargePermissionId": STRING, "chargePermissionReferenceId": NULL, "amazonPayToken": NULL,
        "platformId": NULL, "buyer": _null(_BUYER), "shippingAddress": _null(_ADDRESS),
        "billingAddress": NULL,
        "paymentPreferences": _PREFERENCES, "statusDetails": _PERMISSION_STATUS,
        "creationTimestamp": TIMESTAMP, "expirationTimestamp": MAYBE_TIMESTAMP,
        "merchantMetadata": _null(_MERCHANT_METADATA), "releaseEnvironment": ENVIRONMENT,
        "limits": _object("§1.3, §2.6", {"amountLimit": MAYBE_PRICE, "amountBalance": MAYBE_PRICE}),
        "chargePermissionType": _enum(states.ChargePermissionType), "recurringMetadata": _RECURRING,
        "paymentMethodOnFileMetadata": NULL, "presentmentCurrency": STRING}),
    "Charge": _object("§1.4", {
        "chargeId": STRING, "chargePermissionId": STRING, "chargeAmount": PRICE, "captureAmount": MAYBE_PRICE,
        "refundedAmount": MAYBE_PRICE, "convertedAmount": NULL, "conversionRate": NULL,
        "softDescriptor": TEXT, "merchantMetadata": _null(_MERCHANT_METADATA), "providerMetadata": _PROVIDER,
        "platformId": NULL, "captureNow": NULL, "canHandlePendingAuthorization": NULL,
        "chargeInitiator": NULL, "channel": NULL, "webCheckoutDetails": NULL,
        "statusDetails": _status(states.ChargeState), "creationTimestamp": TIMESTAMP,
        "expirationTimestamp": MAYBE_TIMESTAMP, "releaseEnvironment": ENVIRONMENT}),
    "Refund": _object("§1.5", {
        "refundId": STRING, "chargeId": STRING, "refundAmount": PRICE, "softDescriptor": TEXT,
        "creationTimestamp": TIMESTAMP, "statusDetails": _status(states.RefundState),
        "releaseEnvironment": ENVIRONMENT}),
    "Buyer": _object("§1.6", {
        "buyerId": STRING, "name": TEXT, "email": TEXT, "postalCode": TEXT, "countryCode": TEXT,
        "phoneNumber": TEXT, "shippingAddress": _null(_ADDRESS), "billingAddress": NULL,
        "primeMembershipTypes": NULL}),
    "Report": _REPORT,
    "Reports": _list("§1.7", "reports", _REPORT, paged=True),
    "ReportId": _object("§1.7: Create Report", {"reportId": STRING}),
    "ReportDocument": _object("§1.7: url valid 30 s (D-REPORT-DOCUMENT-URL)", {
        "reportDocumentId": STRING, "url": STRING, "compressionAlgorithm": {"enum": ["N/A"]}}),
    "ReportSchedule": _SCHEDULE,
    "ReportSchedules": _list("§1.7", "reportSchedules", _SCHEDULE),
    "ReportScheduleId": _object("§1.7: Create Report Schedule", {"reportScheduleId": STRING}),
    "Empty": _object("Cancel Report Schedule (D-REPORT-SCHEDULES)", {}),
    "Disbursements": _list("§1.7", "disbursements", _DISBURSEMENT, paged=True),
}
"""The answers' schemas, by the component name an `Operation`'s `answer` gives."""
