"""docs/api-coverage.md is generated from the operation table and must not go stale."""

from __future__ import annotations

from pathlib import Path

from harness.api import coverage
from harness.api.web_store import OPERATIONS


def test_the_committed_coverage_page_is_current() -> None:
    committed = coverage.DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == coverage.render(), (
        "docs/api-coverage.md is stale: run `python -m harness.api.coverage`")


def test_every_operation_has_a_row() -> None:
    page = coverage.render()
    for operation in OPERATIONS:
        assert f"| `{operation.name}` | {operation.method} | `{operation.path}` |" in page


def test_main_writes_the_page_where_asked(tmp_path: Path) -> None:
    target = tmp_path / "coverage.md"
    coverage.main([str(target)])
    assert target.read_text(encoding="utf-8") == coverage.render()
