"""Readable test ids for Scenario Outline examples: `[オープン]`, not `[\\u30aa\\u30fc...]`.

pytest escapes every non-ASCII parametrize id unless an ini flag that "forfeits all rights to
community support" is set. The example values of a pytest-bdd outline are the feature file's own
text, so after collection their items are renamed to the text as written. Scenario titles need no
help: they become function names, which pytest never escapes.
"""

from __future__ import annotations

from typing import cast

import pytest

__all__ = ["show_examples_unescaped"]

EXAMPLE_PARAMETER = "_pytest_bdd_example"
"""The parameter pytest-bdd parametrizes outlines with."""


def readable_params(item: pytest.Item) -> str | None:
    """The unescaped parameter id of an outline example item, or None for any other item."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or EXAMPLE_PARAMETER not in callspec.params:
        return None
    escaped: str = callspec.id
    try:
        readable = escaped.encode("ascii").decode("unicode_escape")
    except UnicodeError:
        return None
    return None if readable == escaped else readable


def show_examples_unescaped(items: list[pytest.Item]) -> None:
    """Rename every outline example item whose id pytest escaped (name, node id and -k keyword)."""
    for item in items:
        params = readable_params(item)
        if params is not None:
            _rename(cast(pytest.Function, item), params)


def _rename(item: pytest.Function, params: str) -> None:
    item.name = f"{item.originalname}[{params}]"
    item.keywords[item.name] = True
    parent = item.parent
    assert parent is not None
    node_id = getattr(item, "_id", None)
    if node_id is not None and hasattr(node_id, "with_params"):  # pytest >= 9.1: a structured NodeId
        item._id = parent._id.child(item.originalname).with_params(params)
    else:  # older pytest keeps the node id as a string
        item._nodeid = f"{parent.nodeid}::{item.name}"  # type: ignore[attr-defined]
