"""Read a scenario file safely: bytes -> YAML documents as `tree` nodes with positions.

Only plain data is read (PyYAML's safe loader underneath, composing nodes so that positions are
kept); anything else fails with a `ScenarioFileError` naming file, line and column. Hostile input
fails cleanly and quickly: the size, nesting depth and number of nodes after expanding aliases are
limited (`Limits`), duplicate keys, tabs in indentation, custom tags, binary data and text that is
not UTF-8 are refused. Scalars follow the YAML 1.2 core schema (what editors use): `yes`, `on`,
`0701` and `23:59:59` are not booleans, octal or sexagesimal numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from harness.yaml.errors import Position, ScenarioFileError
from harness.yaml.tree import Map, Node, Scalar, ScalarValue, Seq

__all__ = ["DEFAULT_LIMITS", "Limits", "load_documents", "load_text", "read_text"]


@dataclass(frozen=True)
class Limits:
    """How big a scenario file may be."""

    max_bytes: int = 1_048_576
    """1 MiB: thousands of scenarios' worth of steps."""
    max_depth: int = 32
    """Nesting of lists and mappings (a scenario needs about 5)."""
    max_nodes: int = 200_000
    """Scalars, lists and mappings after expanding every alias (stops "billion laughs")."""


DEFAULT_LIMITS = Limits()

_TAG = "tag:yaml.org,2002:"
_CORE_RESOLVERS: tuple[tuple[str, str, str], ...] = (
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN "),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
)
_ALLOWED_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}


class _Composing(Composer, Resolver):
    """Composing nodes with YAML 1.2 core scalars and a nesting limit, over any event source."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012
    max_depth = DEFAULT_LIMITS.max_depth
    file = ""
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Compose one node, refusing to nest deeper than `max_depth`."""
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise ScenarioFileError(Position(self.file, mark.line + 1, mark.column + 1),
                                        f"the YAML is nested more than {self.max_depth} levels deep; a "
                                        "scenario needs only a few (is this really a scenario file?)")
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


for _name, _pattern, _first in _CORE_RESOLVERS:
    _Composing.add_implicit_resolver(f"{_TAG}{_name}", re.compile(_pattern),
                                     [char.strip() for char in _first])  # " " stands for the empty value


class _CoreLoader(Reader, Scanner, Parser, _Composing):
    """PyYAML's pure-Python reader, scanner and parser: the reference, and its error messages."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composing.__init__(self)


_FastLoader: Callable[[str], _Composing] | None = None
if yaml.__with_libyaml__:  # else PyYAML was built without libyaml: the pure-Python loader alone
    from yaml._yaml import CParser

    class _LibyamlLoader(_Composing, CParser):
        """libyaml's C scanner and parser under the same composer (positions kept in its marks):
        several times faster; any file it refuses is read again by `_CoreLoader` for its message."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Composing.__init__(self)
            self._text = stream

        def compose_scalar_node(self, anchor: Any) -> ScalarNode:
            """A scalar; an empty value in a flow mapping (`{key: , ...}`) is placed where PyYAML
            places it, just after its ':' (libyaml: at the next token)."""
            node = super().compose_scalar_node(anchor)
            mark = node.start_mark
            if node.value == "" and not node.style and mark.index > 0:
                before = self._text.rfind(":", 0, mark.index)
                if before >= 0 and not self._text[before + 1:mark.index].strip(" "):
                    shift = mark.index - before - 1
                    node.start_mark = Mark(mark.name, mark.index - shift, mark.line, mark.column - shift,
                                           mark.buffer, mark.pointer)
            return node

    _FastLoader = _LibyamlLoader


def read_text(path: Path, display: str, max_bytes: int = DEFAULT_LIMITS.max_bytes, what: str = "YAML") -> str:
    """The file's text, refusing files that are too big, binary, or not UTF-8 (`what` it should be)."""
    start = Position(display)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ScenarioFileError(start, f"cannot read the file: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise ScenarioFileError(start, f"the file is larger than {max_bytes:,} bytes; split it into "
                                       "several scenario files")
    return decode(data, display, what)


def decode(data: bytes, display: str, what: str = "YAML") -> str:
    """UTF-8 text (a BOM is allowed), or an error saying where the first bad byte is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioFileError(Position(display), "the file is UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before.rpartition(b"\n")[2].decode("utf-8", "replace")) + 1
        raise ScenarioFileError(Position(display, line, column),
                                f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); scenario "
                                "files must be saved as UTF-8") from None
    if "\x00" in text:
        raise ScenarioFileError(_position_of(text, text.index("\x00"), display),
                                f"the file contains NUL bytes: it looks like a binary file, not {what}")
    return text


def load_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, fast: bool = True) -> list[Node]:
    """Every YAML document in `text` as a tree (an empty file gives an empty list).

    `fast`: libyaml's C parser where PyYAML has it; `fast=False` reads with the pure-Python one, whose
    error messages and positions are the reference (the C parser's differ: a file it refuses is
    read again with the pure-Python one, and so is one whose checks fail, `load_scenario_text`).
    """
    _refuse_tab_indentation(text, display)
    documents: list[yaml.Node] | None = None
    if fast and _FastLoader is not None and not Reader.NON_PRINTABLE.search(text):
        try:
            documents = _compose(_FastLoader(text), display, limits)
        except (yaml.YAMLError, ScenarioFileError):
            documents = None  # read again below: the pure-Python reader's message, as always
    if documents is None:
        try:
            loader = _CoreLoader(text)
        except yaml.reader.ReaderError as error:
            raise ScenarioFileError(_position_of(text, error.position, display),
                                    f"the file contains the control character U+{error.character:04X} "
                                    "(is it a text file?)") from None
        try:
            documents = _compose(loader, display, limits)
        except yaml.MarkedYAMLError as error:
            raise _syntax_error(error, display) from None
        except yaml.YAMLError as error:
            raise ScenarioFileError(Position(display), f"cannot read the YAML: {error}") from None
    builder = _TreeBuilder(display, limits)
    return [builder.build(document) for document in documents]


def _compose(loader: Any, display: str, limits: Limits) -> list[yaml.Node]:
    """Every document's node tree (PyYAML's errors and the nesting limit's `ScenarioFileError` raised)."""
    loader.max_depth = limits.max_depth
    loader.file = display
    documents: list[yaml.Node] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                documents.append(node)
    finally:
        loader.dispose()
    return documents


def load_documents(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> list[Node]:
    """Read and parse a scenario file (see `read_text` and `load_text`)."""
    return load_text(read_text(path, display, limits.max_bytes), display, limits)


class _TreeBuilder:
    """Turns composed PyYAML nodes into `tree` nodes, expanding aliases under the limits."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.count = 0

    def build(self, node: yaml.Node) -> Node:
        return self._node(node, ())

    def _node(self, node: yaml.Node, path: tuple[int, ...]) -> Node:
        position = self._position(node)
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise ScenarioFileError(position, f"the file expands to more than {self.limits.max_nodes:,} "
                                              "values (aliases repeated inside aliases?); refusing to read "
                                              "it")
        if id(node) in path:
            raise ScenarioFileError(position, "an alias refers to a list or mapping that contains it; "
                                              "YAML data here must not be recursive")
        if len(path) >= self.limits.max_depth:
            raise ScenarioFileError(position, f"the YAML is nested more than {self.limits.max_depth} levels "
                                              "deep (through aliases)")
        if node.tag not in _ALLOWED_TAGS:
            raise ScenarioFileError(position, f"the tag {node.tag.replace(_TAG, '!!')!r} is not supported: "
                                              "scenario files hold plain text, numbers, booleans, lists "
                                              "and mappings only")
        inner = (*path, id(node))
        if isinstance(node, ScalarNode):
            return Scalar(node.value, self._value(node, position), position)
        if isinstance(node, SequenceNode):
            return Seq(tuple(self._node(item, inner) for item in node.value), position)
        if isinstance(node, MappingNode):
            return Map(self._entries(node, inner), position)
        raise ScenarioFileError(position, f"unexpected YAML node {type(node).__name__}")  # pragma: no cover

    def _entries(self, node: MappingNode, path: tuple[int, ...]) -> tuple[tuple[Scalar, Node], ...]:
        explicit: dict[str, Scalar] = {}
        for key_node, _ in node.value:
            if _is_merge(key_node):
                continue
            key = self._key(key_node)
            if key.text in explicit:
                first = explicit[key.text].position
                raise ScenarioFileError(key.position, f"duplicate key {key.text!r} (first written at line "
                                                      f"{first.line}, column {first.column}); each key may "
                                                      "appear once in a mapping")
            explicit[key.text] = key
        entries: list[tuple[Scalar, Node]] = []
        taken = set(explicit)
        for key_node, value_node in node.value:
            if _is_merge(key_node):
                for merged_key, merged_value in self._merged(value_node, path):
                    if merged_key.text not in taken:
                        taken.add(merged_key.text)
                        entries.append((merged_key, merged_value))
            else:
                entries.append((explicit[key_node.value], self._node(value_node, path)))
        return tuple(entries)

    def _merged(self, value: yaml.Node, path: tuple[int, ...]) -> list[tuple[Scalar, Node]]:
        sources = value.value if isinstance(value, SequenceNode) else [value]
        merged: list[tuple[Scalar, Node]] = []
        for source in sources:
            built = self._node(source, path)
            if not isinstance(built, Map):
                raise ScenarioFileError(built.position, "a merge key '<<' takes a mapping (usually an alias "
                                                        "like *defaults) or a list of mappings")
            merged.extend(entry for entry in built.entries
                          if entry[0].text not in {key.text for key, _ in merged})
        return merged

    def _key(self, node: yaml.Node) -> Scalar:
        position = self._position(node)
        if not isinstance(node, ScalarNode):
            raise ScenarioFileError(position, "a mapping key must be a plain word, not a list or mapping")
        self.count += 1
        return Scalar(node.value, node.value, position)

    def _value(self, node: ScalarNode, position: Position) -> ScalarValue:
        kind = node.tag.removeprefix(_TAG)
        text: str = node.value
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        try:
            if kind == "int":
                return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
            if kind == "float":
                return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            raise ScenarioFileError(position, f"{text!r} is not a {kind}") from None
        return text

    def _position(self, node: yaml.Node) -> Position:
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _is_merge(node: yaml.Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "<<" and not node.style  # plain: None; libyaml: ""


_LEADING_TAB = re.compile(r"^ *\t", re.MULTILINE)


def _refuse_tab_indentation(text: str, display: str) -> None:
    found = _LEADING_TAB.search(text)
    if found is not None:
        raise ScenarioFileError(_position_of(text, found.end() - 1, display),
                                "a tab is used for indentation; YAML indents with spaces only "
                                "(set your editor to insert spaces)")


def _position_of(text: str, offset: int, display: str) -> Position:
    before = text[:offset]
    return Position(display, before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


_HINTS: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "a tab character is not allowed here; use spaces"),
    ("mapping values are not allowed here",
     "a ':' followed by a space starts a mapping here; quote the text if it contains ': ', or check the "
     "indentation"),
    ("found undefined alias", "this alias names no anchor defined before it (write &name on the value first, "
                              "then *name)"),
    ("could not find expected ':'", "a key needs ':' after it; or a quoted text is not closed"),
    ("found unexpected end of stream", "a quoted text or a bracket is not closed"),
    ("special characters are not allowed", "the file contains a control character: is it a text file?"),
)


def _syntax_error(error: yaml.MarkedYAMLError, display: str) -> ScenarioFileError:
    mark = error.problem_mark or error.context_mark
    position = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
    problem = str(error.problem or error.context or "invalid YAML")
    message = f"invalid YAML: {problem}"
    for needle, hint in _HINTS:
        if needle in problem:
            message = f"invalid YAML: {problem} — {hint}"
            break
    if error.context and error.problem and error.context_mark is not None and error.context_mark is not mark:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    return ScenarioFileError(position, message)
