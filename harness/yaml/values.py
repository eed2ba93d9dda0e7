"""A YAML argument's value: read from its node by the kind's shape, and the kind's JSON Schema.

Text values are read from the text as written (`card: 0701` stays `0701`, `wait: 23:59:59` is a
duration) by the same parsers as the Gherkin steps, so a value means the same in both syntaxes.
"""

from __future__ import annotations

from typing import Any

from harness.scenario.parsing import ScenarioValueError
from harness.vocabulary.phrases import ROW_COLUMNS
from harness.vocabulary.values import AMOUNT, Value
from harness.yaml.tree import Map, Node, Scalar, kind_of

__all__ = ["Json", "read_value", "value_schema"]

Json = dict[str, Any]

COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(ROW_COLUMNS.values()))
"""The amount columns of a Seller Central row, as the keys of `amounts:`."""


def read_value(kind: Value, node: Node) -> object:
    """The value of `node`, read as `kind`; a `ScenarioValueError` says what was expected."""
    if kind.shape == "flag":
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        raise ScenarioValueError(f"expected true or false, got {kind_of(node)}")
    if kind.shape == "count":
        if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return kind.parse(node.text)
        raise ScenarioValueError(f"expected {kind.expected}, got {kind_of(node)}")
    if kind.shape == "columns":
        return _read_columns(node)
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return kind.parse(node.text)
    raise ScenarioValueError(f"expected {kind.expected}, got {kind_of(node)}")


def _read_columns(node: Node) -> dict[str, object]:
    if not isinstance(node, Map) or not node.entries:
        raise ScenarioValueError(f"expected a mapping of {', '.join(COLUMNS)} to amounts, e.g. "
                                 f"{{captured: 5,000 JPY, refunded: 0 JPY}}; got {kind_of(node)}")
    amounts: dict[str, object] = {}
    for key, value in node.entries:
        if key.text not in COLUMNS:
            raise ScenarioValueError(f"unknown column {key.text!r}; the columns are {', '.join(COLUMNS)}")
        amounts[key.text] = read_value(AMOUNT, value)
    return amounts


def value_schema(kind: Value) -> Json:
    """The JSON Schema of a value of `kind` (its description is the kind's `expected`)."""
    if kind.shape == "flag":
        return {"type": "boolean"}
    if kind.shape == "count":
        return {"type": "integer", "minimum": 0, "description": kind.expected}
    if kind.shape == "columns":
        return {"type": "object", "minProperties": 1, "additionalProperties": False,
                "properties": {column: value_schema(AMOUNT) for column in COLUMNS},
                "description": "the row's amounts (columns not given are not checked)"}
    schema: Json = {"type": ["string", "integer"] if kind.shape == "number or text" else "string",
                    "description": kind.expected}
    if kind.words:
        schema["examples"] = list(kind.words)
    return schema
