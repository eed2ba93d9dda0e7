"""The step catalogue: every Gherkin step in English and Japanese, generated into docs/steps.md.

    python -m harness.bdd.catalogue        # rewrite docs/steps.md

A test keeps docs/steps.md equal to what this renders, so the catalogue never goes stale.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from harness.bdd.grammar import PLACEHOLDERS, StepEntry, load_steps

__all__ = ["render_catalogue"]

HEADER = """\
# Step catalogue

Every step of the harness's Gherkin vocabulary, in English and Japanese (`# language: ja`;
keywords 前提 / もし / ならば / かつ / しかし). Generated from `steps/` by
`python -m harness.bdd.catalogue`; do not edit by hand.

Notation: `{placeholder}` is a value (below), `[...]` is optional, `<a|b>` is either form.
Actions are Given and When steps (前提, もし); expectations are Then steps (ならば).
"""


def render_catalogue() -> str:
    """docs/steps.md: the placeholders, then every action and expectation in both languages."""
    catalogue = load_steps()
    lines = [HEADER, "## Values", "", "| Placeholder | Example (en) | Example (ja) | Written as |",
             "|---|---|---|---|"]
    lines += [f"| `{{{name}}}` | {placeholder.example_en} | {placeholder.example_ja} | "
              f"{placeholder.description.replace('|', '/')} |" for name, placeholder in PLACEHOLDERS.items()]
    sections = (("Actions (Given / When)", ("given", "when")), ("Expectations (Then)", ("then",)))
    for title, keywords in sections:
        lines += ["", f"## {title}", "", "| English | 日本語 | What it does |", "|---|---|---|"]
        lines += [_row(entry) for entry in catalogue if entry.keywords == keywords]
    return "\n".join(lines) + "\n"


def _row(entry: StepEntry) -> str:
    english, japanese = (template.name.replace("|", "\\|") for template in entry.templates)
    doc = inspect.getdoc(entry.function) or entry.function.__name__.replace("_", " ")
    return f"| `{english}` | `{japanese}` | {doc.splitlines()[0]} |"


if __name__ == "__main__":
    target = Path(__file__).parents[2] / "docs" / "steps.md"
    target.write_text(render_catalogue(), encoding="utf-8")
    print(f"wrote {target}")
