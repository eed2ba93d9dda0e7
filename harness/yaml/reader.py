"""Turn a scenario document into a `ScenarioSpec`, and its steps into `StepSpec`s.

The structure is checked by the JSON Schema (`validate`) before anything is read, so reading only
builds; what the schema cannot say is checked here: every parameter row names the same parameters.
"""

from __future__ import annotations

from harness.vocabulary.declarations import actions_of, bare_action
from harness.yaml.errors import ScenarioFileError
from harness.yaml.model import ScenarioSpec, StepSpec
from harness.yaml.tree import Map, Node, Scalar, Seq
from harness.yaml.validate import check_document, check_step, unknown_action

__all__ = ["read_steps"]


def read_scenario(document: Node) -> ScenarioSpec:
    """The scenario of one YAML document, or a `ScenarioFileError` saying what is wrong and where."""
    check_document(document)
    assert isinstance(document, Map)
    name, steps, table, tags = (document.get(key) for key in ("name", "steps", "parameters", "tags"))
    assert isinstance(name, Scalar) and isinstance(steps, Seq)
    rows = [row for row in table.items if isinstance(row, Map)] if isinstance(table, Seq) else []
    for number, row in enumerate(rows[1:], 2):
        missing, extra = set(rows[0].keys()) - set(row.keys()), set(row.keys()) - set(rows[0].keys())
        if missing or extra:
            detail = "; ".join(part for part in (
                f"missing {', '.join(sorted(missing))}" if missing else "",
                f"not in row 1: {', '.join(sorted(extra))}" if extra else "") if part)
            raise ScenarioFileError(row.position, f"row {number} of 'parameters' has other names than row 1 "
                                                  f"({detail}); every row names the same parameters")
    return ScenarioSpec(
        name=name, steps_node=steps, position=document.position,
        feature=_text(document.get("feature")), description=_text(document.get("description")),
        tags=tuple(tag.text.removeprefix("@") for tag in (tags.items if isinstance(tags, Seq) else (tags,))
                   if isinstance(tag, Scalar)),
        parameters=tuple({key.text: value for key, value in row} for row in rows))


def _text(node: Node | None) -> str | None:
    return node.text if isinstance(node, Scalar) else None


def read_steps(node: Seq) -> tuple[StepSpec, ...]:
    """The steps of a `steps` list (with any parameter row already filled in), each checked."""
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


def _step(node: Node) -> StepSpec:
    check_step(node)
    assert isinstance(node, Map)
    (key, value), = node.entries
    actions = actions_of(key.text)
    if isinstance(value, Scalar):
        chosen = bare_action(key.text)
        if value.text in actions:
            return StepSpec(actions[value.text], {}, value.position)
        if chosen is None or chosen.subject is None:
            raise unknown_action(key.text, value)  # a placeholder: its row is not filled in
        return StepSpec(chosen, {chosen.subject.key: value}, key.position)
    assert isinstance(value, Map)
    named = next(name for name, _ in value if name.text in actions)
    chosen = actions[named.text]
    values = {name.text: argument for name, argument in value if name is not named}
    own = value.get(named.text)
    if chosen.subject is not None and not (isinstance(own, Scalar) and own.value is None):
        values[chosen.subject.key] = own  # type: ignore[assignment]
    return StepSpec(chosen, values, value.position)
