"""The pytest entry: the `amazon_pay_explore` fixture explores the configured merchant inside a test.

    def test_the_shop_agrees_with_amazon(amazon_pay_explore):
        amazon_pay_explore(examples=100, seed=0)

It explores the merchant the run is configured with (`--amazon-pay-merchant`, the ini option
`amazon_pay_merchant`, or the reference merchant; `merchant=` gives another factory), keeps the
example database and the found scenarios under `.harness/explore/` in the rootdir (or `out`), and
fails the test with the printed scenario when it finds a disagreement.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from harness.merchant.adapter import MerchantFactory
from harness.merchant.http import is_http_spec
from harness.pytest_plugin import configured_factory, merchant_spec
from harness.vocabulary.declarations import Language

if TYPE_CHECKING:  # the runner (hypothesis) loads when a test explores, not in every pytest process
    from harness.explore.runner import ExploreResult

__all__ = ["Explore", "amazon_pay_explore"]


class Explore(Protocol):
    """What `amazon_pay_explore` gives: run an exploration; the test fails when it finds something."""

    def __call__(self, *, examples: int | None = 50, seconds: float | None = None, seed: int = 0,
                 language: Language = "en", steps: int = 12, out: Path | None = None,
                 merchant: MerchantFactory | None = None) -> ExploreResult: ...


@pytest.fixture
def amazon_pay_explore(request: pytest.FixtureRequest) -> Explore:
    """Explore the configured merchant; a found disagreement fails the test with its scenario."""
    spec = merchant_spec(request.config)
    factory = None if is_http_spec(spec) else configured_factory(request.config)

    def run(*, examples: int | None = 50, seconds: float | None = None, seed: int = 0,
            language: Language = "en", steps: int = 12, out: Path | None = None,
            merchant: MerchantFactory | None = None) -> ExploreResult:
        from harness.explore.runner import DEFAULT_OUT, ExploreOptions, explore  # noqa: PLC0415

        where = out or request.config.rootpath / DEFAULT_OUT
        named = spec if merchant is None else f"{merchant.__module__}:{merchant.__qualname__}"
        result = explore(ExploreOptions(
            merchant=named, examples=None if seconds is not None else examples, seconds=seconds, seed=seed,
            language=language, steps=steps, out=where, factory=merchant or factory))
        if result.found is not None:
            pytest.fail(f"{result.summary()}\n\n{result.found.feature}", pytrace=False)
        return result

    return run
