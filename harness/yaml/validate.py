"""Check scenarios against the JSON Schema and say what is wrong in words, at file:line:column.

`check_document` validates a document (its steps aside), `check_step` one step once its parameter
row is filled in (against `#/$defs/step`). Each schema error becomes the message of its place, with
a did-you-mean from the failing subschema's property names or the vocabulary. Errors in argument
values are left to `values.read_value`, which says what the value's kind expects; only what the
schema cannot say is checked in Python (the `5,000 JPY` comma, the order given twice).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from harness.vocabulary.declarations import Action, actions_of, bare_action
from harness.yaml.errors import Position, ScenarioFileError, did_you_mean
from harness.yaml.schema import definition, surely_valid, validator
from harness.yaml.tree import Map, Node, Scalar, Seq, kind_of, to_data

if TYPE_CHECKING:  # jsonschema is imported only for a document that is not valid (`schema.validator`)
    from jsonschema.exceptions import ValidationError

__all__: list[str] = []

_STEP_EXAMPLE = "e.g. '- buyer: pay', '- wait: 24 hours' or '- expect: {status: Open}'"
_THOUSANDS = re.compile(r"^\d{3}(?:\D|$)")
Error = ScenarioFileError | None


def check_document(document: Node) -> None:
    """Raise the first schema error of the document; its steps are checked per row (`check_step`)."""
    _check("", document, lambda error: _document_error(error, document))


def check_step(step: Node) -> None:
    """Raise the first schema error of one step (lists of shared steps already spliced in)."""
    _check("step", step, lambda error: _step_error(error, step))


def unknown_action(actor: str, key: Scalar) -> ScenarioFileError:
    """`unknown buyer action 'pya' — did you mean 'pay'?`"""
    return ScenarioFileError(key.position, f"unknown {actor} action {key.text!r}"
                                           f"{did_you_mean(key.text, actions_of(actor))}")


def _check(name: str, node: Node, translate: Callable[[ValidationError], Error]) -> None:
    """Validate `node` against the definition `name` and raise the first error that has a message."""
    data: Any = to_data(node)
    if surely_valid(name, data):
        return
    for error in validator(name).iter_errors(data):
        message = translate(error)
        if message is not None:
            raise message


def _node_at(node: Node, path: Iterable[Any]) -> Node:
    for part in path:
        if isinstance(node, Map) and node.get(part) is not None:
            node = node.get(part)  # type: ignore[assignment]
        elif isinstance(node, Seq) and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
    return node


def _properties(error: ValidationError) -> dict[str, Any]:
    """The properties of the subschema that failed: the keys it knows."""
    schema: Any = error.schema
    return dict(schema.get("properties", {}))


def _extra_key(error: ValidationError, node: Map) -> Scalar:
    """The first key `additionalProperties` refused (not a property, nor matching a pattern like `^x-`)."""
    schema: Any = error.schema
    free = schema.get("patternProperties", {})
    return next(key for key, _ in node if key.text not in _properties(error)
                and not any(re.search(pattern, key.text) for pattern in free))


def _missing_key(error: ValidationError, node: Map) -> str:
    """The first key `required` missed."""
    required: list[str] = list(error.validator_value)  # type: ignore[arg-type]
    return next(key for key in required if node.get(key) is None)


def _document_error(error: ValidationError, document: Node) -> Error:
    path = list(error.absolute_path)
    node = _node_at(document, path)
    if not isinstance(document, Map):
        return ScenarioFileError(node.position, f"a scenario is a mapping with 'name' and 'steps', not "
                                                f"{kind_of(node)}")
    if not path and error.validator == "additionalProperties":
        key = _extra_key(error, document)
        return ScenarioFileError(key.position, f"unknown key {key.text!r}"
                                               f"{did_you_mean(key.text, _properties(error))} "
                                               "(keys starting with 'x-' are free, e.g. for anchors)")
    if not path and error.validator == "required":
        missing = _missing_key(error, document)
        return ScenarioFileError(node.position, f"the scenario has no {missing!r}: "
                                                f"{_properties(error)[missing]['description']}")
    if path[:1] == ["steps"]:
        if len(path) > 1:
            return None  # checked per parameter row, once the row is filled in
        shape = "empty" if isinstance(node, Seq) else f"{kind_of(node)}, not a list"
        return ScenarioFileError(node.position, f"'steps' is {shape}: give the list of actions and "
                                                "expectations (a scenario needs at least one)")
    if path[:1] == ["tags"]:
        deepest = max([error, *error.context], key=lambda each: len(each.absolute_path))
        tag = _node_at(document, deepest.absolute_path)
        return ScenarioFileError(tag.position, f"a tag is one word without spaces (like open-2), not "
                                               f"{kind_of(tag)}")
    if path[:1] == ["parameters"]:
        return _parameters_error(error, path, node)
    if path and path[0] in ("name", "feature", "description"):
        return ScenarioFileError(node.position, f"{path[0]!r} must be text, not {kind_of(node)}")
    return _unfit(error, node)


def _parameters_error(error: ValidationError, path: list[Any], node: Node) -> Error:
    if len(path) == 1:
        return ScenarioFileError(node.position, "'parameters' is a list of rows, each a mapping of parameter "
                                                "names to values, e.g. [{intent: Authorize}, "
                                                "{intent: Confirm}]")
    if isinstance(node, Map) and "propertyNames" in error.absolute_schema_path:
        key = node.key_node(str(error.instance))
        return ScenarioFileError(key.position, f"the parameter name {key.text!r} must be one word "
                                               "(letters, digits, _)")
    if len(path) == 2:
        return ScenarioFileError(node.position, f"row {path[1] + 1} of 'parameters' must be a mapping of "
                                                f"parameter names to values, not {kind_of(node)}")
    if isinstance(node, Scalar):
        return ScenarioFileError(node.position, f"parameter {path[2]!r} of row {path[1] + 1} has no value")
    return None  # steps in a row: checked where they are used


def _step_error(error: ValidationError, step: Node) -> Error:
    if isinstance(step, Map) and len(step.entries) == 1:
        actor, value = step.entries[0]
        if error.validator == "additionalProperties":
            known = _properties(error)
            return ScenarioFileError(actor.position, f"unknown action {actor.text!r}"
                                                     f"{did_you_mean(actor.text, known)}")
        return _actor_error(actor, value)
    shape = f"{len(step.entries)} keys" if isinstance(step, Map) else kind_of(step)
    return ScenarioFileError(step.position, f"a step is one 'actor: action' pair ({_STEP_EXAMPLE}), not "
                                            f"{shape}")


def _actor_error(key: Scalar, value: Node) -> Error:
    actor, actions = key.text, actions_of(key.text)
    if isinstance(value, Scalar):
        if value.value is None:
            return ScenarioFileError(key.position, f"'{actor}' needs an action: one of {', '.join(actions)}")
        if value.text in actions:
            return _needs(actions[value.text], value.text, value.position)
        return None if bare_action(actor) is not None else unknown_action(actor, value)
    if isinstance(value, Seq):
        return ScenarioFileError(value.position, f"'{actor}' takes an action's name or a mapping "
                                                 f"{{action: value, argument: value}}, not {kind_of(value)}")
    named = [name for name, _ in value if name.text in actions]
    if len(named) > 1:
        return ScenarioFileError(named[1].position, f"one step takes one action, but this one names "
                                                    f"{' and '.join(repr(name.text) for name in named)}; "
                                                    "write them as separate steps")
    if not named:
        arguments = {argument.key for entry in actions.values() for argument in entry.arguments}
        return unknown_action(actor, next((name for name, _ in value if name.text not in arguments),
                                          value.entries[0][0]))
    chosen = actions[named[0].text]
    _check(definition(chosen), value, lambda error: _action_error(error, chosen, value))
    return None


def _action_error(error: ValidationError, chosen: Action, value: Map) -> Error:
    if error.validator == "additionalProperties":
        return _unknown_argument(chosen, _extra_key(error, value), value)
    if error.validator == "required":
        return _needs(chosen, _missing_key(error, value), value.position)
    if error.validator == "not":
        exclusive: Any = error.validator_value
        first, second = exclusive["required"]
        return ScenarioFileError(value.key_node(second).position,
                                 f"give either {first!r} or {second!r}, not both")
    node = _node_at(value, error.absolute_path)
    if list(error.absolute_path) == [chosen.key] and isinstance(node, Scalar) and node.value is None:
        return _needs(chosen, chosen.key, value.position)
    if list(error.absolute_path) == [chosen.key] and chosen.subject is None:
        return ScenarioFileError(node.position, f"'{chosen.key}' takes no value; write "
                                                f"'{chosen.actor}: {chosen.key}'")
    return None  # a value: `read_value` says what its kind expects


def _split_value(key: Scalar, value: Map) -> str:
    """`1,000円` as written, from the entry before the key `000円` (the key alone if there is none)."""
    keys = [entry_key for entry_key, _ in value.entries]
    before = value.entries[keys.index(key) - 1][1] if key in keys and keys.index(key) else None
    if isinstance(before, Scalar) and before.text[-1:].isdigit():
        return f"{before.text},{key.text}"
    return key.text


def _unknown_argument(chosen: Action, key: Scalar, value: Map) -> ScenarioFileError:
    allowed = {argument.key for argument in chosen.arguments}
    if chosen.subject is not None and key.text == chosen.subject.key:
        return ScenarioFileError(key.position, f"the {key.text} is the value of the action itself: write "
                                               f"'{chosen.key}: {chosen.subject.kind.examples[0]}'")
    if _THOUSANDS.match(key.text):
        written = _split_value(key, value)
        return ScenarioFileError(key.position, f"inside {{ }} a comma separates entries, so {written!r} was "
                                               f"split in two: quote it ('{written}') or write "
                                               f"{written.replace(',', '')}")
    hint = did_you_mean(key.text, allowed) if allowed else f"; '{chosen.key}' takes no other arguments"
    return ScenarioFileError(key.position, f"unknown argument {key.text!r} of '{chosen.actor}: "
                                           f"{chosen.key}'{hint}")


def _needs(chosen: Action, key: str, position: Position) -> ScenarioFileError:
    argument = chosen.subject if key == chosen.key else chosen.argument(key)
    assert argument is not None
    return ScenarioFileError(position, f"'{chosen.actor}: {chosen.key}' needs {key!r} ({argument.doc}), "
                                       f"e.g. {key}: {argument.kind.examples[0]}")


def _unfit(error: ValidationError, node: Node) -> ScenarioFileError:
    where = "/".join(map(str, error.absolute_path)) or "the document"
    return ScenarioFileError(node.position, f"does not fit the scenario schema at {where}: {error.message}")
