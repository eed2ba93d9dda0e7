"""The files generated from the vocabulary table, by path (`harness generate` writes or checks them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from harness.scenario.yaml.docs import render_docs
from harness.scenario.yaml.schema import SCHEMA_PATH, render_schema

__all__ = ["DOCS_PATH", "GENERATED_FILES"]

DOCS_PATH = Path("docs/yaml-scenarios.md")

GENERATED_FILES: Mapping[Path, Callable[[], str]] = {SCHEMA_PATH: render_schema, DOCS_PATH: render_docs}
