"""docs/api-coverage.md has a row for every operation (its staleness: tests/test_generated.py)."""

from __future__ import annotations

from harness.api import coverage
from harness.api.web_store import OPERATIONS


def test_every_operation_has_a_row() -> None:
    page = coverage.render()
    for operation in OPERATIONS:
        assert f"| `{operation.name}` | {operation.method} | `{operation.path}` |" in page

