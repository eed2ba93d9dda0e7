"""libyaml's C parser reads scenario files exactly as PyYAML's pure-Python one: the same trees, values
and positions, and every refused file keeps the pure-Python reader's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.yaml import ScenarioFileError
from harness.yaml.files import load_scenario_text
from harness.yaml.loader import load_text
from harness.yaml.tree import Node
from tests.yaml.helpers import FILE

ROOT = Path(__file__).parents[2]
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))
SNIPPETS = [
    "name: x\nsteps:\n  - wait: {next month: , before: 1 second}\n  - expect: {status: }\n",
    "a:\n  - \n  -\n  - b\nc: {d, e: , f: [g, h]}\n",
    "x-shared: &shared\n  - buyer: pay\nsteps:\n  - *shared\n  - <<: {a: 1}\n    b: 2\n",
    "name: 'quoted'\nother: \"double \\u00e9\"\nblock: |\n  line 1\n  line 2\nfolded: >\n  a\n  b\n",
    "card: 0701\ntime: 23:59:59\nanswer: yes\nflag: true\nnothing: ~\nhex: 0x1F\nneg: -1.5e3\n",
    "名前: 注文Aの決済\n手順:\n  - 購入者: 支払う\n",
    "---\nname: a\n---\n---\nname: b\n...\n",
]


def both(text: str) -> tuple[list[Node] | str, list[Node] | str]:
    """The trees (or the error) of `text` read with the C parser and with the pure-Python one."""
    def read(fast: bool) -> list[Node] | str:
        try:
            return load_text(text, FILE, fast=fast)
        except ScenarioFileError as error:
            return str(error)
    return read(True), read(False)


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_every_shipped_scenario_reads_the_same(path: Path) -> None:
    fast, pure = both(path.read_text(encoding="utf-8"))
    assert not isinstance(fast, str)
    assert fast == pure


@pytest.mark.parametrize("text", SNIPPETS)
def test_unusual_yaml_reads_the_same_with_its_positions(text: str) -> None:
    fast, pure = both(text)
    assert fast == pure


@pytest.mark.parametrize("text", ["name: x: y\n", "name: x\nsteps: [\n", "a: \x07\n", "[" * 5_000,
                                  "name: x\nsteps: [*missing]\n"])
def test_a_refused_file_has_the_pure_python_readers_message(text: str) -> None:
    fast, pure = both(text)
    assert isinstance(pure, str)
    assert fast == pure


def test_a_file_failing_its_checks_is_reported_as_the_pure_python_reader_places_it() -> None:
    text = "name: x\nsteps:\n  - wait: {next month: , before: 1 second}\n  - buyer: {pya: order A}\n"
    with pytest.raises(ScenarioFileError) as raised:
        load_scenario_text(text, FILE)
    assert str(raised.value).startswith(f"{FILE}:4:")
    assert "did you mean 'pay'" in str(raised.value)


@pytest.mark.parametrize("name", ["\x1c", "\x85", "\u3000"])
def test_a_name_of_only_spaces_is_refused_as_python_reads_spaces(name: str) -> None:
    with pytest.raises(ScenarioFileError, match="'name'"):
        load_scenario_text(f'name: "{name}"\nsteps:\n  - wait: 1 hour\n'.replace("\x85", "\\x85")
                           .replace("\x1c", "\\x1c"), FILE)


def test_unicode_parameter_names_are_read_as_python_reads_them() -> None:
    text = "name: 注文 {金額}\nparameters:\n  - 金額: 5,000 JPY\nsteps:\n  - wait: 1 hour\n"
    loaded = load_scenario_text(text, FILE)
    assert [scenario.parameters for scenario in loaded.scenarios] == [{"金額": "5,000 JPY"}]
