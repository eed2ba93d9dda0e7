"""`harness explore` against the example Node shop over the HTTP adapter (skipped without Node.js and npm).

A small budget: over HTTP an example costs a shop reset and a few proxied calls, hundreds of times
an in-process one (docs/performance.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.explore.runner import ExploreOptions, explore
from tests.conformance.node_shop import SHOP_DIR, free_port, node_shop

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None or not (SHOP_DIR / "node_modules" / "@amazonpay").is_dir(),
    reason="the Node shop is not installed (Node.js 20 with npm, then ./scripts/setup-node)")


def test_the_node_shop_is_explored_over_http_and_agrees(tmp_path: Path) -> None:
    port = free_port()
    with node_shop(port, "AMZN-PAY-RSASSA-PSS-V2") as shop:
        result = explore(ExploreOptions(merchant=shop.adapter_url, examples=10, steps=8, shrink=False,
                                        server_port=port, out=tmp_path))
    assert result.found is None, result.summary()
    assert result.progress.examples >= 10
    assert result.progress.steps >= 8
    assert len(result.progress.actions) >= 4  # buyers, the shop, Amazon, time: not one action over and over
