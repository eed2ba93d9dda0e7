"""The step catalogue, docs/steps.md: every Gherkin step in English and Japanese, from the vocabulary."""

from __future__ import annotations

from string import Template

from harness.gherkin.limits import DEFAULT_FEATURE_LIMITS
from harness.vocabulary.declarations import Declaration, load_vocabulary

__all__ = ["render_catalogue"]

HEADER = """\
# Step catalogue

Every step of the harness's Gherkin vocabulary, in English and Japanese (`# language: ja`;
keywords 前提 / もし / ならば / かつ / しかし). Generated from the declarations in `steps/` by
`harness generate`; do not edit by hand.

Notation: `{placeholder}` is a value (below), `[...]` is optional, `<a|b>` is either form.
Actions are Given and When steps (前提, もし); expectations are Then steps (ならば).
The checkout options `{options}` accepts are in [checkout-options.md](checkout-options.md); the
capability tags of the shipped scenarios in [capabilities.md](capabilities.md).

Feature files are checked before they are parsed: UTF-8 text without NUL bytes, at most
$max_bytes bytes, at most $max_examples_rows rows in one Examples table and $max_scenarios
scenarios per file (an outline counts once per Examples row). A file over a limit is one
collection error `file:line:col: what — the fix`.
"""


def render_catalogue() -> str:
    """docs/steps.md: the kinds of value, then every action and expectation in both languages."""
    vocabulary = load_vocabulary()
    kinds = {parameter.kind.name: parameter.kind for declaration in vocabulary
             for parameter in declaration.parameters.values() if parameter.kind.shape != "flag"}
    limits = DEFAULT_FEATURE_LIMITS
    header = Template(HEADER).substitute(max_bytes=f"{limits.max_bytes:,}",
                                         max_examples_rows=f"{limits.max_examples_rows:,}",
                                         max_scenarios=f"{limits.max_scenarios:,}")
    lines = [header, "## Values", "", "| Kind | Example (en) | Example (ja) | Written as |",
             "|---|---|---|---|"]
    lines += [f"| {name} | {kind.example_en} | {kind.example_ja} | {kind.expected.replace('|', '/')} |"
              for name, kind in kinds.items()]
    sections = (("Actions (Given / When)", ("given", "when")), ("Expectations (Then)", ("then",)))
    for title, keywords in sections:
        lines += ["", f"## {title}", "", "| English | 日本語 | Values | What it does |", "|---|---|---|---|"]
        lines += [row for declaration in vocabulary if declaration.keywords == keywords
                  for row in _rows(declaration)]
    return "\n".join(lines) + "\n"


def _rows(declaration: Declaration) -> list[str]:
    rows = []
    for phrasing in declaration.phrasings:
        english, japanese = (phrasing.template(language).text.replace("|", "\\|")
                             for language in ("en", "ja"))
        used = sorted(phrasing.en.placeholders, key=list(declaration.parameters).index)
        values = ", ".join(f"`{{{name}}}` {declaration.parameters[name].kind.name}" for name in used) or "—"
        rows.append(f"| `{english}` | `{japanese}` | {values} | {declaration.doc} |")
    return rows
