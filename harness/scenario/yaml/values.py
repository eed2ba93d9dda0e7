"""The kinds of value a YAML step argument takes: how each is checked, read, and shown in the schema.

Text values are read by the same parsers as the Gherkin steps (`harness.scenario.parsing`), from the
text as written, so `amount: 5,000円`, `wait: 23:59:59` and `card: 0701` mean in YAML exactly what
they mean in a feature file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from harness.amazon_pay.errors import HTTP_STATUS
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargeState,
    CheckoutSessionState,
    PaymentIntent,
    ReasonCode,
    RefundState,
)
from harness.scenario import parsing
from harness.scenario.parsing import ObjectKind, ScenarioValueError
from harness.scenario.yaml.tree import Map, Node, Scalar, kind_of

__all__ = [
    "AMOUNT",
    "AMOUNTS",
    "ANCHOR",
    "CARD",
    "COUNT",
    "DURATION",
    "ERROR_CODE",
    "FLAG",
    "INTENT",
    "MERCHANT_STATUS",
    "ORDER",
    "REASON",
    "ROW_COLUMNS",
    "STATUS",
    "Json",
    "ValueKind",
    "api_state",
]

Json = dict[str, Any]


@dataclass(frozen=True)
class ValueKind:
    """One kind of argument value: what it is called, its JSON Schema, and how it is read."""

    name: str
    expected: str
    """What a value of this kind looks like, for messages and docs ("an amount like 5,000 JPY")."""
    schema: Json
    read: Callable[[Node], object]
    examples: tuple[str, ...] = field(default=())
    closed: bool = False
    """Whether `examples` lists every value (words, not amounts or names): then typos get a did-you-mean."""


def _text(node: Node, expected: str) -> str:
    """The text of a scalar (numbers as written); anything else is an error."""
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return node.text
    raise ScenarioValueError(f"expected {expected}, got {kind_of(node)}")


def text_kind(name: str, expected: str, parse: Callable[[str], object], examples: tuple[str, ...],
              *, numeric: bool = False, closed: bool = False) -> ValueKind:
    """A value written as text and read by `parse` (a parser of `harness.scenario.parsing`)."""
    schema: Json = {"type": ["string", "integer"] if numeric else "string", "description": expected}
    if examples:
        schema["examples"] = [str(example) for example in examples]
    return ValueKind(name, expected, schema, lambda node: parse(_text(node, expected)), examples, closed)


def _read_flag(node: Node) -> bool:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        return node.value
    raise ScenarioValueError(f"expected true or false, got {kind_of(node)}")


def _read_count(node: Node) -> int:
    if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return parsing.parse_count(node.text)
    raise ScenarioValueError(f"expected a whole number (0, 1, 10, ...), got {kind_of(node)}")


ORDER = text_kind("order", "an order: 'the order' or 'order A' (注文, 注文A)", parsing.parse_order_name,
                  ("the order", "order A", "order B", "注文A"))
AMOUNT = text_kind("amount", f"an amount like {parsing.AMOUNT_EXAMPLES}", parsing.parse_amount,
                   ("5,000 JPY", "¥5,000", "5,000円"))
DURATION = text_kind("duration", f"a duration like {parsing.DURATION_EXAMPLES}", parsing.parse_duration,
                     ("24 hours", "23:59:59", "180 days", "13 months", "24時間"))
STATUS = text_kind("status", "a Seller Central status", parsing.parse_status, tuple(parsing.STATUS_WORDS),
                   closed=True)
MERCHANT_STATUS = text_kind("merchant status", "a merchant order status", parsing.parse_merchant_status,
                            tuple(parsing.MERCHANT_STATUS_WORDS), closed=True)
CARD = text_kind("card", "the last four digits of a sandbox test card (e.g. 1111, 0701)", parsing.parse_card,
                 ("1111", "0701", "4354"), numeric=True)
REASON = text_kind("reason", "a reason code", parsing.parse_reason, tuple(map(str, ReasonCode)),
                   closed=True)
ERROR_CODE = text_kind("error code", "an Amazon Pay error reasonCode", parsing.parse_error_code,
                       tuple(HTTP_STATUS), closed=True)
ANCHOR = text_kind("moment", "a moment of the order", parsing.parse_anchor, tuple(parsing.ANCHOR_WORDS),
                   closed=True)
INTENT = text_kind("payment intent", "a payment intent", parsing.parse_intent, tuple(map(str, PaymentIntent)),
                   closed=True)
FLAG = ValueKind("flag", "true or false", {"type": "boolean"}, _read_flag, ("true", "false"))
COUNT = ValueKind("count", "a whole number (0, 1, 10, ...)",
                  {"type": "integer", "minimum": 0, "description": "a whole number (0, 1, 10, ...)"},
                  _read_count, ("2", "3"))

_STATES: Mapping[ObjectKind, type[StrEnum]] = {
    ObjectKind.CHECKOUT_SESSION: CheckoutSessionState,
    ObjectKind.CHARGE_PERMISSION: ChargePermissionState,
    ObjectKind.CHARGE: ChargeState,
    ObjectKind.REFUND: RefundState,
}


def api_state(kind: ObjectKind) -> ValueKind:
    """A `statusDetails.state` of the API object `kind`."""
    return text_kind(f"{kind} state", f"a {kind} state", lambda text: parsing.parse_api_state(text, kind),
                     tuple(map(str, _STATES[kind])), closed=True)


ROW_COLUMNS: tuple[str, ...] = ("authorized", "captured", "refunded")
"""The amount columns of a Seller Central row, as `amounts:` keys and `Expectations.amounts` keywords."""


def _read_amounts(node: Node) -> dict[str, object]:
    if not isinstance(node, Map) or not node.entries:
        raise ScenarioValueError(f"expected a mapping of {', '.join(ROW_COLUMNS)} to amounts, e.g. "
                                 f"{{captured: 5,000 JPY, refunded: 0 JPY}}; got {kind_of(node)}")
    amounts: dict[str, object] = {}
    for key, value in node.entries:
        if key.text not in ROW_COLUMNS:
            raise ScenarioValueError(f"unknown column {key.text!r}; the columns are {', '.join(ROW_COLUMNS)}")
        amounts[key.text] = AMOUNT.read(value)
    return amounts


AMOUNTS = ValueKind(
    "amounts", "the row's amounts: a mapping of authorized, captured and refunded to amounts",
    {"type": "object", "minProperties": 1, "additionalProperties": False,
     "properties": {column: AMOUNT.schema for column in ROW_COLUMNS},
     "description": "the row's amounts (columns not given are not checked)"},
    _read_amounts, ("{captured: 5,000 JPY, refunded: 0 JPY}",))

