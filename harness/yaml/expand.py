"""Turn a `ScenarioSpec` into runnable `Scenario`s: one per parameter row, values read and checked.

`{name}` in the scenario's name and in step values is replaced by the row's value (`{{` and `}}`
are literal braces). A value that is a placeholder alone takes the row's value as written (so
`times: "{n}"` with `n: 3` is the number 3); a parameter holding steps (a list or a mapping) is used
alone as a step (`- "{capture}"`), and a list is spliced into the steps. The filled steps are checked
against the schema, then every value is read by its kind's parser; an error names the place, and
the parameter row when the value came from one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from harness.scenario.parsing import ScenarioValueError
from harness.yaml.errors import ScenarioFileError, did_you_mean
from harness.yaml.model import BoundStep, Scenario, ScenarioSpec, StepSpec
from harness.yaml.reader import read_steps
from harness.yaml.tree import Map, Node, Scalar, Seq, walk
from harness.yaml.values import read_value

__all__ = ["PLACEHOLDER", "expand", "fill", "fill_text", "render"]

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\w*)\}")
"""`{name}`, or an escaped brace `{{` / `}}`."""


def placeholders_in(text: str) -> list[str]:
    """The parameter names a text refers to."""
    return [match[1] for match in PLACEHOLDER.finditer(text) if match[1] is not None]


def expand(spec: ScenarioSpec) -> list[Scenario]:
    """The scenario once per parameter row (or once, without parameters)."""
    _check_placeholders(spec)
    if not spec.parameters:
        return [_bind(spec, {}, None)]
    return [_bind(spec, row, number) for number, row in enumerate(spec.parameters, 1)]


def _bind(spec: ScenarioSpec, row: dict[str, Node], number: int | None) -> Scenario:
    name = fill_text(spec.name, row)
    filled = fill(spec.steps_node, row)
    assert isinstance(filled, Seq)
    try:
        steps = tuple(_bind_step(step, row, number) for step in read_steps(filled))
    except ScenarioFileError as error:
        if number is None or "parameter row" in error.message:
            raise
        raise ScenarioFileError(error.position, f"{error.message} (with parameter row {number})") from None
    test_name = spec.name.text if number is None else f"{spec.name.text}[row {number}]"
    if number is not None and placeholders_in(spec.name.text):
        test_name = f"{name}[row {number}]"
    return Scenario(name=name, test_name=test_name, steps=steps, position=spec.position, tags=spec.tags,
                    row=number, parameters={key: render(cell) for key, cell in row.items()} or _NO_PARAMETERS,
                    feature=spec.feature, description=spec.description or "")


def _bind_step(step: StepSpec, row: dict[str, Node], number: int | None) -> BoundStep:
    values: dict[str, Any] = {}
    for argument in step.action.all_arguments:
        node = step.values.get(argument.key)
        if node is None:
            continue
        try:
            value = read_value(argument.kind, node)
        except ScenarioValueError as error:
            where = "" if not any(node is cell for cell in row.values()) else \
                f" (parameter row {number}, used by the step at line {step.position.line})"
            guess = did_you_mean(node.text, argument.kind.examples, list_all=False) \
                if isinstance(node, Scalar) and argument.kind.closed and "did you mean" not in str(error) \
                else ""
            message = f"{_label(step, argument.key)}: {error}{guess}{where}"
            raise ScenarioFileError(node.position, message) from None
        values[argument.name] = value
    return BoundStep(step.action, values or _NO_VALUES, step.position, _written(step))


_NO_VALUES: Mapping[str, Any] = MappingProxyType({})
_NO_PARAMETERS: Mapping[str, str] = MappingProxyType({})
"""The values of every step that has none (`buyer: pay`), and the parameters of every scenario without a
table: one mapping each, not one per step or scenario (every collected item keeps its scenario)."""


def _written(step: StepSpec) -> str:
    """`buyer: {pay: order A, card: 0701}`: the step as written, placeholders filled in."""
    subject = step.action.subject
    parts = [f"{step.action.key if argument is subject else argument.key}: "
             f"{render(step.values[argument.key])}"
             for argument in step.action.all_arguments if argument.key in step.values]
    if not parts:
        return sys.intern(step.label)  # `buyer: pay`: one string for all the steps that say it
    if subject is None or subject.key not in step.values:
        parts.insert(0, step.action.key)
    return f"{step.action.actor}: {{{', '.join(parts)}}}"


def render(node: Node) -> str:
    """A value as it would be written in flow style."""
    if isinstance(node, Map):
        return "{" + ", ".join(f"{key.text}: {render(value)}" for key, value in node.entries) + "}"
    if isinstance(node, Seq):
        return "[" + ", ".join(render(item) for item in node.items) + "]"
    return node.text


def _label(step: StepSpec, key: str) -> str:
    """`buyer: pay` for the action's own value, `buyer: pay, card` for another argument."""
    subject = step.action.subject
    return step.label if subject is not None and subject.key == key else f"{step.label}, {key}"


def fill(node: Node, row: dict[str, Node]) -> Node:
    """`node` with its placeholders replaced by the row's values."""
    if isinstance(node, Map):
        return Map(tuple((key, fill(value, row)) for key, value in node.entries), node.position)
    if isinstance(node, Seq):
        return Seq(tuple(fill(item, row) for item in node.items), node.position)
    if not isinstance(node.value, str) or ("{" not in node.text and "}" not in node.text):
        return node
    whole = PLACEHOLDER.fullmatch(node.text)
    if whole is not None and whole[1]:
        return row[whole[1]]
    text = PLACEHOLDER.sub(lambda match: _cell_text(row, match, node) if match[1] else match[0][0], node.text)
    return Scalar(text, text, node.position)


def fill_text(node: Scalar, row: dict[str, Node]) -> str:
    """The text of a scalar with the row's values filled in (steps are not text)."""
    filled = fill(node, row)
    if not isinstance(filled, Scalar):
        raise ScenarioFileError(node.position, "a parameter holding steps can only be used as a step")
    return filled.text


def _cell_text(row: dict[str, Node], match: re.Match[str], where: Node) -> str:
    cell = row[match[1]]
    if not isinstance(cell, Scalar):
        raise ScenarioFileError(where.position, f"parameter {match[1]!r} holds steps, not text: use it "
                                                f"alone, as a step: - \"{{{match[1]}}}\"")
    return cell.text


def _check_placeholders(spec: ScenarioSpec) -> None:
    """Every placeholder names a parameter, is quoted, and every parameter is used."""
    known = set(spec.parameters[0]) if spec.parameters else set()
    used: set[str] = set()
    for node in [spec.name, *walk(spec.steps_node)]:
        if isinstance(node, Map) and len(node.entries) == 1 and node.entries[0][0].text in known:
            name = node.entries[0][0].text
            if isinstance(node.entries[0][1], Scalar) and node.entries[0][1].value is None:
                raise ScenarioFileError(node.position, f"quote the placeholder: write \"{{{name}}}\" "
                                                       f"(without quotes YAML reads {{{name}}} as a mapping)")
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            continue
        for name in placeholders_in(node.text):
            if name not in known:
                hint = did_you_mean(name, known) if known else " (the scenario has no 'parameters')"
                raise ScenarioFileError(node.position, f"unknown parameter {{{name}}}{hint}; write "
                                                       "{{ and }} for literal braces")
            used.add(name)
    for name in sorted(known - used):
        raise ScenarioFileError(spec.parameters[0][name].position,
                                f"parameter {name!r} is not used: no {{{name}}} in the name or the steps")
