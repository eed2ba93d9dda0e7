"""Request bodies: one declarative field table per operation, and Amazon's 400 errors (§3, §4).

A table lists, for each JSON key, how to read its value and whether it is required. Reading a
body checks, at every level: unknown keys (`UnrecognizedField`, named by the key alone as in the
live message of §3), missing required keys (`MissingParameterValue`), and bad values
(`InvalidParameterValue` "The value '<v>' provided for '<path>' is invalid.", §4.1); paths follow
D-ERROR-PATHS. `null` counts as absent. Keys that Amazon accepts but the simulator ignores are
read (so bad values still fail) and dropped; keys for features it does not model fail with a
message that says so (D-UNMODELLED-FIELDS).

Nested objects become domain objects on create (`record`) and change sets on update (`patch`),
so a PATCH keeps the fields it does not mention (D-PATCH-MERGE).

Every reader carries the JSON Schema of what it accepts (`Reader.schema`), so a table is also the
request body schema of its operation in the OpenAPI document (`RequestSpec.schema`,
`harness.server.openapi`): the document and the checks cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, NoReturn, TypeVar

from harness.amazon_pay.errors import AmazonPayError, invalid_value
from harness.amazon_pay.objects import (
    MerchantMetadata,
    PaymentDetails,
    RecurringMetadata,
    WebCheckoutDetails,
)
from harness.amazon_pay.states import ChargePermissionType, PaymentIntent
from harness.money import MINOR_UNITS, PLAIN_NUMBER, Money, MoneyFormatError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "CANCEL_CHARGE",
    "CAPTURE_CHARGE",
    "CLOSE_CHARGE_PERMISSION",
    "COMPLETE_CHECKOUT_SESSION",
    "CREATE_CHARGE",
    "CREATE_CHECKOUT_SESSION",
    "CREATE_REFUND",
    "FINALIZE_CHECKOUT_SESSION",
    "STRING_LIMITS",
    "UPDATE_CHARGE_PERMISSION",
    "UPDATE_CHECKOUT_SESSION",
    "CancelChargeRequest",
    "CloseChargePermissionRequest",
    "Parser",
    "Reader",
    "RequestSpec",
    "apply_changes",
    "boolean",
    "enum",
    "frequency_value",
    "ignored",
    "limited",
    "one_of",
    "patch",
    "price",
    "record",
    "text",
]

T = TypeVar("T")
R_co = TypeVar("R_co", covariant=True)
D = TypeVar("D", bound="DataclassInstance")

Changes = dict[str, object]
"""The fields a request sets, by domain attribute name (absent keys are left out)."""

Parser = Callable[[object, str], object]
"""Reads one JSON value found at a path (`paymentDetails.chargeAmount`), or raises AmazonPayError."""

Schema = dict[str, object]
"""A JSON Schema (2020-12, as OpenAPI 3.1 embeds it)."""


@dataclass(frozen=True)
class Reader:
    """A `Parser` and the JSON Schema of the values it accepts."""

    read: Parser
    schema: Schema

    def __call__(self, value: object, path: str) -> object:
        return self.read(value, path)


def _nullable(schema: Schema) -> Schema:
    """`schema` or null: an optional key may be sent as null, which counts as absent."""
    if schema.get("not") == {}:  # refused unless absent: only null is accepted
        return {**{key: value for key, value in schema.items() if key != "not"}, "type": "null"}
    return {"anyOf": [schema, {"type": "null"}]}

STRING_LIMITS: dict[str, int] = {
    "merchantReferenceId": 256,
    "merchantStoreName": 50,
    "noteToBuyer": 255,
    "customInformation": 4096,
    "softDescriptor": 16,
    "closureReason": 255,
    "cancellationReason": 255,  # [I]
}
"""docs/reference/amazon-pay-v2.md §9.4: longest accepted value of each string field."""

_CAMEL_HUMP = re.compile(r"(?<!^)(?=[A-Z])")
_FREQUENCY = re.compile(r"[0-9]{1,9}")


# --- errors (§4.1, §4.2) ---------------------------------------------------------------------

def _unrecognized(name: str) -> AmazonPayError:
    return AmazonPayError("UnrecognizedField", f"The field '{name}' is invalid for this API.")


def _missing(path: str) -> AmazonPayError:
    return AmazonPayError("MissingParameterValue", f"The parameter '{path}' is required.")


def not_modelled(value: object, path: str) -> NoReturn:
    """Parser for a key Amazon accepts but the simulator does not model (docs/api-coverage.md)."""
    raise AmazonPayError(
        "InvalidParameterValue",
        f"The value '{_shown(value)}' provided for '{path}' is invalid: the simulator does not model "
        f"'{path}' (see docs/api-coverage.md).")


def _shown(value: object) -> str:
    """A value as Amazon quotes it in messages (JSON spelling for booleans and null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "<object>" if isinstance(value, dict) else "<array>"
    return str(value)


def _bad(value: object, path: str) -> AmazonPayError:
    return invalid_value(_shown(value), path)


# --- scalar parsers --------------------------------------------------------------------------

def text(max_length: int | None = None) -> Reader:
    """A JSON string, at most `max_length` characters."""
    def parse(value: object, path: str) -> str:
        if not isinstance(value, str) or (max_length is not None and len(value) > max_length):
            raise _bad(value, path)
        return value
    return Reader(parse, {"type": "string"} if max_length is None else {"type": "string",
                                                                         "maxLength": max_length})


def limited(name: str) -> Reader:
    """A string with the §9.4 limit of field `name`."""
    return text(STRING_LIMITS[name])


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(value, path)
    return value


boolean = Reader(_boolean, {"type": "boolean"})
"""A JSON boolean (not the string "true")."""


def one_of(values: Iterable[str], unmodelled: Iterable[str] = ()) -> Reader:
    """A string from `values`; those in `unmodelled` exist at Amazon but not in the simulator."""
    listed = list(dict.fromkeys(values))
    allowed, skipped = frozenset(listed), frozenset(unmodelled)

    def parse(value: object, path: str) -> str:
        if isinstance(value, str) and value in skipped:
            not_modelled(value, path)
        if not isinstance(value, str) or value not in allowed:
            raise _bad(value, path)
        return value
    schema: Schema = {"enum": listed}
    if skipped:
        schema["description"] = (f"also Amazon's {', '.join(sorted(skipped))}, which the simulator does "
                                 "not model (400 InvalidParameterValue, docs/api-coverage.md)")
    return Reader(parse, schema)


def enum(kind: type[StrEnum], unmodelled: Iterable[str] = ()) -> Reader:
    """A value of a StrEnum, returned as the enum member."""
    read = one_of((member.value for member in kind), unmodelled)
    return Reader(lambda value, path: kind(str(read(value, path))), read.schema)


def _currency_code(value: object, path: str) -> str:
    if not isinstance(value, str) or value not in MINOR_UNITS:
        raise _bad(value, path)
    return value


currency_code = Reader(_currency_code, {"enum": list(MINOR_UNITS)})
"""An ISO 4217 code the simulator knows."""


def _frequency_value(value: object, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _bad(value, path)
    shown = str(value)
    if not _FREQUENCY.fullmatch(shown) or int(shown) < 1:  # ASCII digits, within what an int can say
        raise _bad(value, path)
    return shown


frequency_value = Reader(_frequency_value, {
    "type": ["string", "integer"], "pattern": f"^{_FREQUENCY.pattern}$", "minimum": 1,
    "maximum": 10 ** 9 - 1, "description": "a positive whole number, as a string or a number (§1.2)"})
"""`frequency.value`: a positive whole number, sent as a string or a number (§1.2)."""


def _amount(value: object, path: str) -> object:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _bad(value, path)
    return value


def _any_object(value: object, path: str) -> object:
    if not isinstance(value, dict):
        raise _bad(value, path)
    return value


any_object = Reader(_any_object, {"type": "object"})
"""A JSON object whose content the simulator does not look into."""

unmodelled = Reader(not_modelled, {"not": {}, "description": "Amazon's, not modelled by the simulator: "
                                          "400 InvalidParameterValue (docs/api-coverage.md)"})
"""A key Amazon accepts but the simulator does not model: any value but null is refused."""


def list_of(item: Reader) -> Reader:
    """A JSON array of items read by `item`."""
    def parse(value: object, path: str) -> list[object]:
        if not isinstance(value, list):
            raise _bad(value, path)
        return [item(element, f"{path}[{index}]") for index, element in enumerate(value)]
    return Reader(parse, {"type": "array", "items": item.schema})


# --- objects ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One key of a request table: how to read it, whether it is required, whether it is kept."""

    name: str
    parse: Reader
    required: bool = False
    keep: bool = True
    """False for keys Amazon accepts and the simulator ignores (still validated)."""
    attr: str | None = None
    """The domain attribute; defaults to the snake_case of `name`."""

    @property
    def target(self) -> str:
        """The attribute name the value is stored under."""
        return self.attr or _CAMEL_HUMP.sub("_", self.name).lower()

    @property
    def schema(self) -> Schema:
        """The JSON Schema of the key's value (an optional key may also be null)."""
        return self.parse.schema if self.required else _nullable(self.parse.schema)


def object_schema(fields: tuple[Field, ...]) -> Schema:
    """The JSON Schema of an object read with `fields`: no other keys (`UnrecognizedField`)."""
    schema: Schema = {"type": "object", "additionalProperties": False,
                      "properties": {field.name: field.schema for field in fields}}
    required = [field.name for field in fields if field.required]
    if required:
        schema["required"] = required
    return schema


def ignored(name: str, parse: Reader) -> Field:
    """A key that is validated and then dropped (not modelled, but harmless)."""
    return Field(name, parse, keep=False)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _read_object(value: object, path: str, fields: tuple[Field, ...]) -> Changes:
    """Check one JSON object against its table and return the kept values by attribute name."""
    if not isinstance(value, dict):
        raise _bad(value, path)
    known = {field.name: field for field in fields}
    for key in value:
        if key not in known:
            raise _unrecognized(str(key))
    changes: Changes = {}
    for field in fields:
        raw = value.get(field.name)
        if raw is None:
            if field.required:
                raise _missing(_join(path, field.name))
            continue
        parsed = field.parse.read(raw, _join(path, field.name))
        if field.keep:
            changes[field.target] = parsed
    return changes


def patch(*fields: Field) -> Reader:
    """A nested object read as a change set (for PATCH operations)."""
    return Reader(lambda value, path: _read_object(value, path, fields), object_schema(fields))


def record(factory: Callable[..., T], *fields: Field) -> Reader:
    """A nested object read into a new domain object (for create operations)."""
    return Reader(lambda value, path: _build(factory, _read_object(value, path, fields)),
                  object_schema(fields))


def _build(factory: Callable[..., T], changes: Changes) -> T:
    return factory(**changes)


def apply_changes(current: D, changes: Mapping[str, object] | None) -> D:
    """`current` with the fields of a change set replaced (PATCH semantics)."""
    return current if not changes else replace(current, **changes)


@dataclass(frozen=True)
class RequestSpec(Generic[R_co]):
    """The field table of one operation's body and the request type it produces."""

    build: Callable[..., R_co]
    fields: tuple[Field, ...]

    @property
    def schema(self) -> Schema:
        """The JSON Schema of the request body."""
        return object_schema(self.fields)

    @property
    def required(self) -> bool:
        """Whether a body must be sent (an empty one counts as `{}`)."""
        return any(field.required for field in self.fields)

    def parse(self, body: object) -> R_co:
        """Read a request body (None, a missing body, counts as `{}`)."""
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise AmazonPayError("InvalidRequestFormat", "The request body must be a JSON object.")
        return self.build(**_read_object(body, "", self.fields))


# --- the tables (docs/reference/amazon-pay-v2.md §3) --------------------------------------------------------

_PRICE_FIELDS = (
    Field("amount", Reader(_amount, {"type": ["string", "number"], "pattern": PLAIN_NUMBER.pattern,
                                     "description": "a plain decimal number, as a string or a JSON number; "
                                                    "JPY has no decimals (§1.0)"}), required=True),
    Field("currencyCode", currency_code, required=True),
)


def _price(value: object, path: str) -> Money:
    fields = _read_object(value, path, _PRICE_FIELDS)
    currency = fields["currency_code"]
    try:
        return Money.parse(fields["amount"], currency)
    except MoneyFormatError:
        raise _bad(fields["amount"], f"{path}.Amount") from None


price = Reader(_price, object_schema(_PRICE_FIELDS))
"""A `Price` {amount, currencyCode}; the amount may be a string or a number (§1.0).

A bad amount is reported at `<path>.Amount`, capitalised as in the live message of §1.0
("The value '705.00' provided for 'chargeAmount.Amount' is invalid."); other paths keep the
JSON spelling.
"""

_WEB_FIELDS = (
    Field("checkoutReviewReturnUrl", text()),
    Field("checkoutResultReturnUrl", text()),
    Field("checkoutCancelUrl", text()),
)
_CHECKOUT_MODE = Field("checkoutMode", one_of(["ProcessOrder"]))
"""Create only: sent on Update it is the live `UnrecognizedField` example of §3."""

_PAYMENT_FIELDS = (
    Field("paymentIntent", enum(PaymentIntent)),
    Field("canHandlePendingAuthorization", boolean),
    Field("chargeAmount", price),
    Field("totalOrderAmount", price),
    Field("softDescriptor", limited("softDescriptor")),
    Field("presentmentCurrency", currency_code),
    Field("allowOvercharge", boolean),
    Field("extendExpiration", boolean),
    ignored("estimateOrderTotal", price),  # in the .NET model, undocumented (§1.2)
)

_MERCHANT_FIELDS = tuple(Field(name, limited(name)) for name in
                         ("merchantReferenceId", "merchantStoreName", "noteToBuyer", "customInformation"))

_FREQUENCY_FIELDS = (
    Field("unit", one_of(["Year", "Month", "Week", "Day", "Variable"]), attr="frequency_unit"),
    Field("value", frequency_value, attr="frequency_value"),
)


_RECURRING_FIELDS = (Field("frequency", patch(*_FREQUENCY_FIELDS)), Field("amount", price))


def _recurring_fields(value: object, path: str) -> Changes:
    """`recurringMetadata` {frequency {unit, value}, amount}, flattened to RecurringMetadata's fields."""
    fields = _read_object(value, path, _RECURRING_FIELDS)
    frequency = fields.pop("frequency", None)
    if isinstance(frequency, dict):
        fields.update(frequency)
    return fields


_recurring_changes = Reader(_recurring_fields, object_schema(_RECURRING_FIELDS))
_recurring_record = Reader(lambda value, path: _build(RecurringMetadata, _recurring_fields(value, path)),
                           _recurring_changes.schema)


_CHARGE_PERMISSION_TYPE = Field(
    "chargePermissionType", enum(ChargePermissionType, unmodelled=["PaymentMethodOnFile"]))
_SCOPES = ("name", "email", "phoneNumber", "billingAddress", "postalCode", "shippingAddress", "primeStatus")
_ADDRESS_FIELDS = tuple(Field(name, text()) for name in (
    "name", "addressLine1", "addressLine2", "addressLine3", "city", "county", "district",
    "stateOrRegion", "postalCode", "countryCode", "phoneNumber"))
_PROVIDER_METADATA = ignored("providerMetadata", patch(Field("providerReferenceId", text())))
_PLATFORM_ID = ignored("platformId", text())


@dataclass(frozen=True)
class CreateCheckoutSessionRequest:
    """Create Checkout Session (§3)."""

    web_checkout_details: WebCheckoutDetails
    store_id: str
    payment_details: PaymentDetails | None = None
    merchant_metadata: MerchantMetadata | None = None
    charge_permission_type: ChargePermissionType = ChargePermissionType.ONE_TIME
    recurring_metadata: RecurringMetadata | None = None


CREATE_CHECKOUT_SESSION = RequestSpec(CreateCheckoutSessionRequest, (
    Field("webCheckoutDetails", record(WebCheckoutDetails, *_WEB_FIELDS, _CHECKOUT_MODE), required=True),
    Field("storeId", text(), required=True),
    Field("paymentDetails", record(PaymentDetails, *_PAYMENT_FIELDS)),
    Field("merchantMetadata", record(MerchantMetadata, *_MERCHANT_FIELDS)),
    _CHARGE_PERMISSION_TYPE,
    Field("recurringMetadata", _recurring_record),
    ignored("scopes", list_of(one_of(_SCOPES))),
    ignored("deliverySpecifications", any_object),  # address restrictions are not modelled
    ignored("productType", one_of(["PayAndShip"], unmodelled=["PayOnly", "PayAndShipMultiAddress"])),
    _PLATFORM_ID,
    _PROVIDER_METADATA,
    Field("paymentMethodOnFileMetadata", unmodelled),
    Field("addressDetails", unmodelled),  # Additional Payment Button
    Field("chargePermissionId", unmodelled),  # saved wallet
))


@dataclass(frozen=True)
class UpdateCheckoutSessionRequest:
    """Update Checkout Session (§3): change sets merged into the session."""

    web_checkout_details: Changes | None = None
    payment_details: Changes | None = None
    merchant_metadata: Changes | None = None
    recurring_metadata: Changes | None = None
    charge_permission_type: ChargePermissionType | None = None
    """Accepted only when it repeats the session's type (changing it is not modelled)."""


UPDATE_CHECKOUT_SESSION = RequestSpec(UpdateCheckoutSessionRequest, (
    Field("webCheckoutDetails", patch(*_WEB_FIELDS)),
    Field("paymentDetails", patch(*_PAYMENT_FIELDS)),
    Field("merchantMetadata", patch(*_MERCHANT_FIELDS)),
    Field("recurringMetadata", _recurring_changes),
    _CHARGE_PERMISSION_TYPE,
    ignored("supplementaryData", text()),
    _PLATFORM_ID,
    _PROVIDER_METADATA,
    Field("multiAddressesCheckoutMetadata", unmodelled),
))


@dataclass(frozen=True)
class CompleteCheckoutSessionRequest:
    """Complete (and Finalize) Checkout Session (§3)."""

    charge_amount: Money
    total_order_amount: Money | None = None


_COMPLETE_AMOUNTS = (Field("chargeAmount", price, required=True), Field("totalOrderAmount", price))
COMPLETE_CHECKOUT_SESSION = RequestSpec(CompleteCheckoutSessionRequest, _COMPLETE_AMOUNTS)
FINALIZE_CHECKOUT_SESSION = RequestSpec(CompleteCheckoutSessionRequest, (
    *_COMPLETE_AMOUNTS,
    # Finalize = Complete in the simulator: these are checked for form, not compared (§3).
    ignored("paymentIntent", enum(PaymentIntent)),
    ignored("canHandlePendingAuthorization", boolean),
    ignored("supplementaryData", text()),
    ignored("shippingAddress", patch(*_ADDRESS_FIELDS)),
    ignored("billingAddress", patch(*_ADDRESS_FIELDS)),
))


@dataclass(frozen=True)
class UpdateChargePermissionRequest:
    """Update Charge Permission (§2.2): merchantMetadata (recurringMetadata is not modelled)."""

    merchant_metadata: Changes | None = None


UPDATE_CHARGE_PERMISSION = RequestSpec(UpdateChargePermissionRequest, (
    Field("merchantMetadata", patch(*_MERCHANT_FIELDS)),
    Field("recurringMetadata", unmodelled),
))


@dataclass(frozen=True)
class CloseChargePermissionRequest:
    """Close Charge Permission (§2.2)."""

    closure_reason: str | None = None
    cancel_pending_charges: bool = False


CLOSE_CHARGE_PERMISSION = RequestSpec(CloseChargePermissionRequest, (
    Field("closureReason", limited("closureReason")),
    Field("cancelPendingCharges", boolean),
))


@dataclass(frozen=True)
class CreateChargeRequest:
    """Create Charge (§3)."""

    charge_permission_id: str
    charge_amount: Money
    capture_now: bool = False
    soft_descriptor: str | None = None
    can_handle_pending_authorization: bool = False
    merchant_metadata: MerchantMetadata | None = None


CREATE_CHARGE = RequestSpec(CreateChargeRequest, (
    Field("chargePermissionId", text(), required=True),
    Field("chargeAmount", price, required=True),
    Field("captureNow", boolean),
    Field("softDescriptor", limited("softDescriptor")),
    Field("canHandlePendingAuthorization", boolean),
    Field("merchantMetadata", record(MerchantMetadata, *_MERCHANT_FIELDS)),
    _PROVIDER_METADATA,
    _PLATFORM_ID,
    ignored("chargeInitiator", one_of(["CITU", "MITU", "CITR", "MITR"])),  # §1.4
    ignored("channel", one_of(["Web", "Phone", "App", "Alexa", "PointOfSale", "FireTv", "Offline",
                               "Amazon"])),
    ignored("webCheckoutDetails", patch(Field("checkoutResultReturnUrl", text()))),  # MFA redirect
))


@dataclass(frozen=True)
class CaptureChargeRequest:
    """Capture Charge (§3)."""

    capture_amount: Money
    soft_descriptor: str | None = None


CAPTURE_CHARGE = RequestSpec(CaptureChargeRequest, (
    Field("captureAmount", price, required=True),
    Field("softDescriptor", limited("softDescriptor")),
))


@dataclass(frozen=True)
class CancelChargeRequest:
    """Cancel Charge (§3)."""

    cancellation_reason: str | None = None


CANCEL_CHARGE = RequestSpec(CancelChargeRequest, (
    Field("cancellationReason", limited("cancellationReason")),
))


@dataclass(frozen=True)
class CreateRefundRequest:
    """Create Refund (§3)."""

    charge_id: str
    refund_amount: Money
    soft_descriptor: str | None = None


CREATE_REFUND = RequestSpec(CreateRefundRequest, (
    Field("chargeId", text(), required=True),
    Field("refundAmount", price, required=True),
    Field("softDescriptor", limited("softDescriptor")),
))
