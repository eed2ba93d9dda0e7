"""Check the structure of a loaded scenario document and turn it into a `ScenarioSpec`.

The checks follow the vocabulary table, so every message names what was expected at the place it
was missing, with a did-you-mean for misspelt keys: unknown top-level keys, actors, actions and
arguments; missing names, steps and required arguments; values of the wrong shape.
"""

from __future__ import annotations

import re

from harness.vocabulary.declarations import ACTORS, Action, actions_of, bare_action
from harness.yaml.errors import Position, ScenarioFileError, did_you_mean
from harness.yaml.model import ScenarioSpec, StepSpec
from harness.yaml.tree import Map, Node, Scalar, Seq, kind_of

__all__ = ["read_steps"]

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

_PARAMETER_NAME = re.compile(r"^\w+$")
_TAG = re.compile(r"^@?[^\s@]+$")
_THOUSANDS = re.compile(r"^\d{3}(?:\D|$)")


def read_scenario(document: Node) -> ScenarioSpec:
    """The scenario of one YAML document, or a `ScenarioFileError` saying what is wrong and where."""
    if not isinstance(document, Map):
        raise ScenarioFileError(document.position, f"a scenario is a mapping with 'name' and 'steps', "
                                                   f"not {kind_of(document)}")
    for key, _ in document:
        if key.text not in TOP_LEVEL_KEYS and not key.text.startswith("x-"):
            raise ScenarioFileError(key.position, f"unknown key {key.text!r}"
                                                  f"{did_you_mean(key.text, TOP_LEVEL_KEYS)} (keys starting "
                                                  "with 'x-' are free, e.g. for anchors)")
    name = _required_text(document, "name")
    steps_node = document.get("steps")
    if steps_node is None:
        raise ScenarioFileError(document.position, "the scenario has no 'steps': give the list of actions "
                                                   "and expectations")
    if not isinstance(steps_node, Seq) or not steps_node.items:
        shape = "empty" if isinstance(steps_node, Seq) else f"{kind_of(steps_node)}, not a list"
        raise ScenarioFileError(steps_node.position, f"'steps' is {shape}: give the list of actions and "
                                                     "expectations (a scenario needs at least one)")
    parameters, positions = _parameters(document.get("parameters"))
    return ScenarioSpec(
        name=name, steps_node=steps_node, position=document.position,
        feature=_optional_text(document, "feature"), description=_optional_text(document, "description"),
        tags=_tags(document.get("tags")), parameters=parameters, parameter_positions=positions)


def _required_text(document: Map, key: str) -> Scalar:
    node = document.get(key)
    if node is None:
        raise ScenarioFileError(document.position, f"the scenario has no {key!r}: {TOP_LEVEL_KEYS[key]}")
    if not isinstance(node, Scalar) or not isinstance(node.value, str) or not node.text.strip():
        raise ScenarioFileError(node.position, f"{key!r} must be text, not {kind_of(node)}")
    return node


def _optional_text(document: Map, key: str) -> str | None:
    return None if document.get(key) is None else _required_text(document, key).text


def _tags(node: Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    items = node.items if isinstance(node, Seq) else (node,)
    tags: list[str] = []
    for item in items:
        if not isinstance(item, Scalar) or item.value is None or not _TAG.match(item.text):
            raise ScenarioFileError(item.position, f"a tag is one word without spaces (like open-2), not "
                                                   f"{kind_of(item)}")
        tags.append(item.text.removeprefix("@"))
    return tuple(tags)


def _parameters(node: Node | None) -> tuple[tuple[dict[str, Node], ...], tuple[Position, ...]]:
    if node is None:
        return (), ()
    if not isinstance(node, Seq) or not node.items:
        raise ScenarioFileError(node.position, "'parameters' is a list of rows, each a mapping of parameter "
                                               "names to values, e.g. [{intent: Authorize}, "
                                               "{intent: Confirm}]")
    rows: list[dict[str, Node]] = []
    for number, row in enumerate(node.items, 1):
        if not isinstance(row, Map) or not row.entries:
            raise ScenarioFileError(row.position, f"row {number} of 'parameters' must be a mapping of "
                                                  f"parameter names to values, not {kind_of(row)}")
        cells: dict[str, Node] = {}
        for key, value in row:
            if not _PARAMETER_NAME.match(key.text):
                raise ScenarioFileError(key.position, f"the parameter name {key.text!r} must be one word "
                                                      "(letters, digits, _)")
            if isinstance(value, Scalar) and value.value is None:
                raise ScenarioFileError(value.position,
                                        f"parameter {key.text!r} of row {number} has no value")
            cells[key.text] = value
        if rows and set(cells) != set(rows[0]):
            missing, extra = set(rows[0]) - set(cells), set(cells) - set(rows[0])
            detail = "; ".join(part for part in (
                f"missing {', '.join(sorted(missing))}" if missing else "",
                f"not in row 1: {', '.join(sorted(extra))}" if extra else "") if part)
            raise ScenarioFileError(row.position, f"row {number} of 'parameters' has other names than row 1 "
                                                  f"({detail}); every row names the same parameters")
        rows.append(cells)
    return tuple(rows), tuple(row.position for row in node.items)


def read_steps(node: Seq) -> tuple[StepSpec, ...]:
    """The steps of a `steps` list (with any parameter row already filled in)."""
    return tuple(_step(item) for item in _flatten(node))


def _flatten(node: Seq) -> list[Node]:
    """The steps, with lists inside the list (aliases of shared steps) spliced in."""
    flat: list[Node] = []
    for item in node.items:
        if isinstance(item, Seq):
            flat.extend(_flatten(item))
        else:
            flat.append(item)
    return flat


_STEP_EXAMPLE = "e.g. '- buyer: pay', '- wait: 24 hours' or '- expect: {status: Open}'"


def _step(node: Node) -> StepSpec:
    if not isinstance(node, Map) or len(node.entries) != 1:
        shape = f"{len(node.entries)} keys" if isinstance(node, Map) else kind_of(node)
        raise ScenarioFileError(node.position, f"a step is one 'actor: action' pair ({_STEP_EXAMPLE}), not "
                                               f"{shape}")
    (actor_key, value), = node.entries
    actor = actor_key.text
    if actor not in ACTORS:
        raise ScenarioFileError(actor_key.position, f"unknown action {actor!r}{did_you_mean(actor, ACTORS)}")
    actions = actions_of(actor)
    if isinstance(value, Scalar):
        return _bare_step(actor, actor_key, value, actions)
    if isinstance(value, Map):
        return _mapping_step(actor, value, actions)
    raise ScenarioFileError(value.position, f"'{actor}' takes an action's name or a mapping "
                                            f"{{action: value, argument: value}}, not {kind_of(value)}")


def _bare_step(actor: str, key: Scalar, value: Scalar, actions: dict[str, Action]) -> StepSpec:
    if value.value is None:
        raise ScenarioFileError(key.position, f"'{actor}' needs an action: one of {_names(actions)}")
    if value.text in actions:
        return _checked(actions[value.text], {}, value.position)
    chosen = bare_action(actor)
    if chosen is not None and chosen.subject is not None:
        return _checked(chosen, {chosen.subject.key: value}, key.position)
    raise ScenarioFileError(value.position, f"unknown {actor} action {value.text!r}"
                                            f"{did_you_mean(value.text, actions)}")


def _mapping_step(actor: str, value: Map, actions: dict[str, Action]) -> StepSpec:
    named = [key for key, _ in value if key.text in actions]
    if len(named) > 1:
        raise ScenarioFileError(named[1].position, f"one step takes one action, but this one names "
                                                   f"{' and '.join(repr(key.text) for key in named)}; write "
                                                   "them as separate steps")
    if not named:
        arguments = {argument.key for entry in actions.values() for argument in entry.arguments}
        unknown = next((key for key, _ in value if key.text not in arguments), value.entries[0][0])
        raise ScenarioFileError(unknown.position, f"unknown {actor} action {unknown.text!r}"
                                                  f"{did_you_mean(unknown.text, actions)}")
    chosen = actions[named[0].text]
    values: dict[str, Node] = {}
    for key, node in value:
        if key is named[0]:
            if not (isinstance(node, Scalar) and node.value is None):
                if chosen.subject is None:
                    raise ScenarioFileError(node.position, f"'{chosen.key}' takes no value; write "
                                                           f"'{actor}: {chosen.key}'")
                values[chosen.subject.key] = node
            continue
        allowed = {argument.key for argument in chosen.arguments}
        if chosen.subject is not None and key.text == chosen.subject.key and key.text not in allowed:
            raise ScenarioFileError(key.position, f"the {key.text} is the value of the action itself: write "
                                                  f"'{chosen.key}: {chosen.subject.kind.examples[0]}'")
        if key.text not in allowed and _THOUSANDS.match(key.text):
            raise ScenarioFileError(key.position, "inside { } a comma separates entries, so '5,000 JPY' was "
                                                  "split in two: quote it ('5,000 JPY') or write 5000 JPY")
        if key.text not in allowed:
            hint = (did_you_mean(key.text, allowed) if allowed
                    else f"; '{chosen.key}' takes no other arguments")
            raise ScenarioFileError(key.position, f"unknown argument {key.text!r} of '{actor}: {chosen.key}'"
                                                  f"{hint}")
        values[key.text] = node
    return _checked(chosen, values, value.position, value)


def _checked(chosen: Action, values: dict[str, Node], position: Position,
             where: Map | None = None) -> StepSpec:
    for argument in chosen.all_arguments:
        if argument.required and argument.key not in values:
            example = argument.kind.examples[0] if argument.kind.examples else "..."
            key = chosen.key if argument is chosen.subject else argument.key
            raise ScenarioFileError(position, f"'{chosen.actor}: {chosen.key}' needs {key!r} "
                                              f"({argument.doc}), e.g. {key}: {example}")
    for first, second in chosen.exclusive:
        if first in values and second in values:
            node = where.key_node(second).position if where else position
            raise ScenarioFileError(node, f"give either {first!r} or {second!r}, not both")
    return StepSpec(chosen, values, position)


def _names(actions: dict[str, Action]) -> str:
    return ", ".join(actions)
