"""`harness explore` against examples/shop (Flask + SQLAlchemy) and its two broken variants.

Skipped when the shop's package (`exampleshop`) cannot be imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.explore.runner import ExploreOptions, explore, merchant_sessions, reproduces

pytest.importorskip("exampleshop.adapter", reason="examples/shop (package exampleshop) is not installed yet")

MAX_STEPS = 8


def test_the_example_shop_agrees_with_amazon_within_the_budget(tmp_path: Path) -> None:
    result = explore(ExploreOptions(merchant="exampleshop.adapter:merchant", examples=40, steps=8, seed=0,
                                    out=tmp_path))
    assert result.found is None, result.summary()


@pytest.mark.parametrize("variant", ["broken_reconciler", "broken_retrier"])
def test_each_broken_variant_of_the_example_shop_is_found_in_a_short_scenario(variant: str,
                                                                              tmp_path: Path) -> None:
    spec = f"exampleshop.adapter:{variant}"
    result = explore(ExploreOptions(merchant=spec, examples=300, steps=8, seed=0, out=tmp_path))
    assert result.found is not None, result.summary()
    assert result.found.steps <= MAX_STEPS, result.found.feature
    assert result.reproduced
    with merchant_sessions("exampleshop.adapter:merchant") as shop:
        assert not reproduces(result.found, shop)  # the unbroken shop passes the same scenario
