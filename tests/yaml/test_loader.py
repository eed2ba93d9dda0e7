"""Hostile and unusual files fail cleanly and quickly, with the file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.yaml import Limits, ScenarioFileError, load_scenario_file
from harness.yaml.loader import load_text
from harness.yaml.tree import Map, Scalar
from tests.yaml.helpers import FILE, error_of

BILLION_LAUGHS = """\
name: lol
steps: [{wait: 1 hour}]
x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
x-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
x-i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_is_refused_after_a_bounded_number_of_values() -> None:
    message = error_of(BILLION_LAUGHS)
    assert message.startswith(f"{FILE}:")
    assert "expands to more than 200,000 values" in message


def test_a_recursive_alias_is_refused() -> None:
    assert "must not be recursive" in error_of("name: x\nsteps: [{wait: 1 hour}]\nx-loop: &loop [*loop]\n")


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "a:\n" + "".join(
    f"{'  ' * depth}- \n" for depth in range(1, 200))])
def test_deep_nesting_is_refused(text: str) -> None:
    assert "nested more than 32 levels deep" in error_of(text)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    with pytest.raises(ScenarioFileError, match=r"huge.yaml:1:1: the file is larger than 1,048,576 bytes"):
        load_scenario_file(path, "huge.yaml")


def test_the_limits_can_be_set() -> None:
    with pytest.raises(ScenarioFileError, match="more than 3 values"):
        load_text("a: [1, 2, 3]\n", FILE, Limits(max_nodes=3))


@pytest.mark.parametrize(("data", "expected"), [
    (b"name: x\nsteps:\n  - wait: \xff\xfe hours\n", f"{FILE}:3:11: the file is not UTF-8 text (byte 0xff)"),
    (b"\xff\xfen\x00a\x00m\x00e\x00", f"{FILE}:1:1: the file is UTF-16; save it as UTF-8"),
    (b"name: x\nsteps: \x00\x01\x02", f"{FILE}:2:8: the file contains NUL bytes: it looks like a binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", f"{FILE}:1:1: the file is not UTF-8 text (byte 0x89)"),
    (b"name: \x07\n", f"{FILE}:1:7: the file contains the control character U+0007"),
])
def test_binary_and_badly_encoded_files_are_refused(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "example.yaml"
    path.write_bytes(data)
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario_file(path, FILE)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_an_empty_file_says_what_a_scenario_needs(text: str) -> None:
    message = error_of(text)
    assert message.startswith(f"{FILE}:1:1:")
    assert "write at least 'name:' and 'steps:'" in message


def test_a_tab_in_the_indentation_is_refused_where_it_is() -> None:
    assert error_of("name: x\nsteps:\n\t- wait: 1 hour\n").startswith(
        f"{FILE}:3:1: a tab is used for indentation; YAML indents with spaces only")


def test_duplicate_keys_are_refused_with_both_places() -> None:
    assert error_of("name: x\nsteps: [{wait: 1 hour}]\nname: y\n") == (
        f"{FILE}:3:1: duplicate key 'name' (first written at line 1, column 1); each key may appear once "
        "in a mapping")


def test_duplicate_argument_keys_are_refused_too() -> None:
    assert error_of("name: x\nsteps:\n  - buyer: {pay: order A, card: '1111', card: '0701'}\n").startswith(
        f"{FILE}:3:41: duplicate key 'card' (first written at line 3, column 27)")


@pytest.mark.parametrize(("text", "expected"), [
    ("name: !!python/object:os.system x\nsteps: []\n", "1:7: the tag '!!python/object:os.system' is not "
                                                        "supported"),
    ("name: !include other.yaml\nsteps: []\n", "1:7: the tag '!include' is not supported"),
    ("name: x\nsteps: [*missing]\n", "2:9: invalid YAML: found undefined alias 'missing'"),
    ("name: x\nsteps: [\n", "3:1: invalid YAML:"),
    ("name: x: y\n", "1:8: invalid YAML: mapping values are not allowed here"),
    ("name: 'unclosed\n", "2:1: invalid YAML: found unexpected end of stream — a quoted text or a bracket is "
                          "not closed"),
    ("? [a, b]\n: c\n", "1:3: a mapping key must be a plain word"),
])
def test_unsafe_and_malformed_yaml_fails_with_its_position(text: str, expected: str) -> None:
    assert error_of(text).startswith(f"{FILE}:{expected}")


def test_scalars_follow_yaml_1_2_and_keep_their_text() -> None:
    text = "card: 0701\ntime: 23:59:59\nanswer: yes\nflag: true\nnothing: ~\nhex: 0x1F\n"
    document, = load_text(text, FILE)
    assert isinstance(document, Map)
    values = {key.text: value for key, value in document.entries}
    assert all(isinstance(value, Scalar) for value in values.values())
    read = {key: (value.text, value.value) for key, value in values.items() if isinstance(value, Scalar)}
    assert read == {"card": ("0701", 701), "time": ("23:59:59", "23:59:59"), "answer": ("yes", "yes"),
                    "flag": ("true", True), "nothing": ("~", None), "hex": ("0x1F", 31)}


def test_wrong_types_are_named() -> None:
    assert error_of("name: [a, b]\nsteps: [{wait: 1 hour}]\n") == (
        f"{FILE}:1:7: 'name' must be text, not a list")
    assert error_of("- name: x\n") == (
        f"{FILE}:1:1: a scenario is a mapping with 'name' and 'steps', not a list")
    assert error_of("name: x\nsteps: {wait: 1 hour}\n").startswith(
        f"{FILE}:2:8: 'steps' is a mapping, not a list")
    assert error_of("name: x\nsteps:\n  - buyer: {pay: order A, card: [1, 2]}\n").startswith(
        f"{FILE}:3:33: buyer: pay, card: expected the last four digits of a sandbox test card")
