"""docs/steps.md is the step catalogue as the code defines it."""

from __future__ import annotations

from pathlib import Path

from harness.bdd.catalogue import render_catalogue

DOC = Path(__file__).parents[2] / "docs" / "steps.md"


def test_the_step_catalogue_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_catalogue(), (
        "docs/steps.md is stale: run .venv/bin/python -m harness.bdd.catalogue")
