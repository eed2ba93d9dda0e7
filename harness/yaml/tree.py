"""The loaded YAML of a scenario file: scalars, maps and lists that remember where they were written.

Every node keeps its `Position`, so an error found while reading a scenario, validating it against
the schema or running it can name the file, line and column. Scalars keep their text as written
(`0701` stays `0701`, `23:59:59` stays `23:59:59`) next to their YAML 1.2 value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from harness.yaml.errors import Position

__all__ = ["Map", "Node", "Scalar", "Seq", "to_data"]

ScalarValue = str | int | float | bool | None


@dataclass(frozen=True)
class Scalar:
    """A scalar: its text as written (unquoted) and its YAML 1.2 core-schema value."""

    text: str
    value: ScalarValue
    position: Position


@dataclass(frozen=True)
class Map:
    """A mapping with string keys, in the order written (merge keys `<<` already applied)."""

    entries: tuple[tuple[Scalar, Node], ...]
    position: Position

    def keys(self) -> list[str]:
        """The keys, in order."""
        return [key.text for key, _ in self.entries]

    def get(self, key: str) -> Node | None:
        """The value under `key`, or None."""
        for name, value in self.entries:
            if name.text == key:
                return value
        return None

    def key_node(self, key: str) -> Scalar:
        """The key itself (for its position)."""
        for name, _ in self.entries:
            if name.text == key:
                return name
        raise KeyError(key)

    def __iter__(self) -> Iterator[tuple[Scalar, Node]]:
        return iter(self.entries)


@dataclass(frozen=True)
class Seq:
    """A sequence."""

    items: tuple[Node, ...]
    position: Position

    def __iter__(self) -> Iterator[Node]:
        return iter(self.items)


Node = Scalar | Map | Seq


def kind_of(node: Node) -> str:
    """How a node is called in messages: `text`, `a number`, `a mapping`, `a list`, `nothing`."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "nothing (an empty value)"
    if isinstance(node.value, bool):
        return f"the boolean {node.text}"
    if isinstance(node.value, int | float):
        return f"the number {node.text}"
    return f"the text {node.text!r}"


def to_data(node: Node) -> object:
    """Plain Python data (dicts, lists, scalars) for JSON Schema validation."""
    if isinstance(node, Map):
        return {key.text: to_data(value) for key, value in node.entries}
    if isinstance(node, Seq):
        return [to_data(item) for item in node.items]
    return node.value


def walk(node: Node) -> Iterator[Node]:
    """The node and every node inside it, depth first."""
    yield node
    if isinstance(node, Seq):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Map):
        for _, value in node.entries:
            yield from walk(value)
