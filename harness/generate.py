"""Every generated file of the repository, by path: `harness generate` writes them, `--check` checks.

Each is rendered from the code it documents (the vocabulary, the decisions table, the operations),
so one staleness test (`tests/test_generated.py`) keeps them all current.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from harness.gherkin.catalogue import render_catalogue
from harness.yaml.docs import render_docs
from harness.yaml.schema import SCHEMA_PATH, render_schema

__all__ = ["GENERATED_FILES", "stale_files", "write_files"]

GENERATED_FILES: Mapping[Path, Callable[[], str]] = {
    SCHEMA_PATH: render_schema,
    Path("docs/yaml-scenarios.md"): render_docs,
    Path("docs/steps.md"): render_catalogue,
}


def stale_files(root: Path) -> list[Path]:
    """The generated files under `root` that differ from what their code renders now."""
    return [relative for relative, render in GENERATED_FILES.items()
            if not (root / relative).exists() or (root / relative).read_text(encoding="utf-8") != render()]


def write_files(root: Path) -> list[Path]:
    """Rewrite the stale generated files under `root`; the paths written."""
    written = stale_files(root)
    for relative in written:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GENERATED_FILES[relative](), encoding="utf-8")
    return written
