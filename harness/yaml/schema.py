"""The JSON Schema of scenario files, generated from the vocabulary table, and its validators.

The schema is published as `schemas/scenario.schema.json` so that editors (e.g. VS Code with the
YAML extension, via `# yaml-language-server: $schema=...`) complete actions and arguments and
flag mistakes while typing. `harness generate` rewrites it; `harness generate --check` fails when
the committed file is not current. `validate` turns its errors into messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from harness.vocabulary.declarations import ACTORS, Action, Argument, actions_of, bare_action, yaml_actions
from harness.yaml.values import Json, value_schema

if TYPE_CHECKING:
    import jsonschema.protocols

__all__ = ["SCHEMA_PATH", "definition", "render_schema", "surely_valid", "validator"]

SCHEMA_PATH = Path("schemas/scenario.schema.json")
"""Where the schema is published, relative to the repository root."""

SCHEMA_ID = "https://amazon-pay-harness.example/schemas/scenario.schema.json"
_PLACEHOLDER: Json = {"$ref": "#/$defs/placeholder"}

TOP_LEVEL_KEYS: dict[str, str] = {
    "name": "the scenario's name (its test name)",
    "feature": "the feature it belongs to (the Feature of its .feature form)",
    "description": "what the scenario shows, for the living documentation",
    "tags": "tags, like a feature's @tags: a list of words",
    "parameters": "a table: a list of rows (mappings); the scenario runs once per row with {name} "
                  "placeholders filled in (a value may also be steps, used as a step: - \"{name}\")",
    "steps": "the actions and expectations, in order",
}
"""The keys of a scenario document; keys starting with `x-` are free (for anchors)."""


def definition(entry: Action) -> str:
    """The name of an action's schema under `$defs` (`buyer.drop-off`)."""
    return f"{entry.actor}.{entry.key.replace(' ', '-')}"


def _value_schema(argument: Argument) -> Json:
    schema = value_schema(argument.kind)
    if schema.get("type") not in ("string", ["string", "integer"]) and schema.get("type") != "object":
        schema = {"anyOf": [schema, _PLACEHOLDER], "description": schema.get("description", "")}
    schema["description"] = argument.doc
    return schema


def _action_schema(entry: Action) -> Json:
    properties: Json = {}
    if entry.subject is None:
        properties[entry.key] = {"type": "null", "description": f"{entry.doc} (takes no value)"}
    elif entry.subject.required:
        properties[entry.key] = {**_value_schema(entry.subject), "description": entry.doc}
    else:
        properties[entry.key] = {"anyOf": [_value_schema(entry.subject), {"type": "null"}],
                                 "description": f"{entry.doc.rstrip('.')}; the value: {entry.subject.doc}"}
    for argument in entry.arguments:
        properties[argument.key] = _value_schema(argument)
    required = [entry.key] + [argument.key for argument in entry.arguments if argument.required]
    schema: Json = {"type": "object", "description": entry.doc, "properties": properties,
                    "additionalProperties": False, "required": required}
    if entry.exclusive:
        schema["allOf"] = [{"not": {"required": list(pair)}} for pair in entry.exclusive]
    return schema


def _actor_schema(actor: str) -> Json:
    actions = actions_of(actor)
    bare = [key for key, entry in actions.items() if entry.subject is None or not entry.subject.required]
    choices: list[Json] = [{"$ref": f"#/$defs/{definition(entry)}"} for entry in actions.values()]
    default = bare_action(actor)
    if default is not None and default.subject is not None:
        choices.insert(0, {**_value_schema(default.subject), "description": default.doc})
    if bare:
        choices.insert(0, {"enum": bare, "description": "an action that needs no value"})
    choices.append({**_PLACEHOLDER, "description": "an action named by a parameter"})
    return {"description": ACTORS[actor], "anyOf": choices}


@cache
def build_schema() -> Json:
    """The JSON Schema (draft 2020-12) of one scenario document."""
    definitions: Json = {
        "placeholder": {"type": "string", "pattern": r"^\{\w+\}$",
                        "description": "a parameter's {name}, filled in from each row of 'parameters'"},
        "stepOrList": {"anyOf": [{"$ref": "#/$defs/step"},
                                 {**_PLACEHOLDER, "description": "steps from a parameter"},
                                 {"type": "array", "items": {"$ref": "#/$defs/stepOrList"},
                                  "description": "steps shared through an alias (*name)"}]},
        "step": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                 "description": "one step: 'actor: action' or 'actor: {action: value, argument: value}'",
                 "properties": {actor: {"$ref": f"#/$defs/{actor}"} for actor in ACTORS}},
    }
    for actor in ACTORS:
        definitions[actor] = _actor_schema(actor)
    for entry in yaml_actions():
        definitions[definition(entry)] = _action_schema(entry)
    text: Json = {"type": "string", "pattern": r"\S"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Amazon Pay harness scenario",
        "description": "A scenario: a name and steps (buyer, merchant, amazon, operator, wait, expect). "
                       "Generated from the vocabulary (steps/) by `harness generate`; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {"^x-": {"description": "free: e.g. anchors for shared steps"}},
        "required": ["name", "steps"],
        "properties": {
            "name": {**text, "description": TOP_LEVEL_KEYS["name"]},
            "feature": {**text, "description": TOP_LEVEL_KEYS["feature"]},
            "description": {**text, "description": TOP_LEVEL_KEYS["description"]},
            "tags": {"description": TOP_LEVEL_KEYS["tags"],
                     "anyOf": [{"type": "array", "items": {"type": "string", "pattern": r"^@?[^\s@]+$"}},
                               {"type": "string", "pattern": r"^@?[^\s@]+$"}]},
            "parameters": {"type": "array", "minItems": 1, "description": TOP_LEVEL_KEYS["parameters"],
                           "items": {"type": "object", "minProperties": 1,
                                     "propertyNames": {"pattern": r"^\w+$"},
                                     "additionalProperties": {"anyOf": [
                                         {"type": ["string", "number", "boolean"]},
                                         {"$ref": "#/$defs/stepOrList"}]}}},
            "steps": {"type": "array", "minItems": 1, "description": TOP_LEVEL_KEYS["steps"],
                      "items": {"$ref": "#/$defs/stepOrList"}},
        },
        "$defs": definitions,
    }


def render_schema() -> str:
    """The schema as it is committed: indented JSON with a final newline."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def validator(name: str = "") -> jsonschema.protocols.Validator:
    """A validator of the whole document, or of the definition `name` under `$defs` (e.g. `step`)."""
    schema = build_schema()
    import jsonschema  # noqa: PLC0415  # imported late: ~0.1 s that a run of valid scenarios never needs

    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]} if name else schema)


@cache
def _compiled(name: str = "") -> jsonschema_rs.Validator:
    schema = build_schema()
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]} if name else schema)


def surely_valid(name: str, data: Any) -> bool:
    """Whether `data` is valid against the definition `name` (see `validator`), known quickly: the
    schema compiled once by jsonschema-rs (Rust), ~100x faster than `validator(name).iter_errors`.

    True only where both agree. Its patterns follow ECMA-262: `\\w` is ASCII only (stricter than
    Python's `re`: such data is answered by `validator`), but `\\s` leaves out U+001C..U+001F and
    U+0085, which Python counts as spaces: data holding one of those is never "surely valid".
    """
    return (_compiled(name).is_valid(data)
            and not any(_PYTHON_ONLY_SPACES.search(text) for text in _strings(data)))


_PYTHON_ONLY_SPACES = re.compile("[\x1c-\x1f\x85]")


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)
