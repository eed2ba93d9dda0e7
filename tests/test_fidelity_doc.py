"""Every project decision has its own id and is cited by the code that applies it (the table in
docs/fidelity.md is generated: tests/test_generated.py)."""

from __future__ import annotations

from pathlib import Path

from harness.amazon_pay.decisions import DECISIONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "fidelity.md"


def test_decision_ids_are_unique_and_cited_where_they_apply() -> None:
    ids = [decision.id for decision in DECISIONS]
    assert len(ids) == len(set(ids))
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in (DOC.parents[1] / "harness").rglob("*.py")
                       if path.name != "decisions.py")
    uncited = [decision_id for decision_id in ids if decision_id not in source]
    assert uncited == [], f"decisions not referenced by the code that applies them: {uncited}"
