"""The reference of the YAML scenario format (`docs/yaml-scenarios.md`), generated from the vocabulary.

Each action is listed with its value, its arguments and the Gherkin step that says the same, so
the docs cannot drift from what the schema and the converter accept. The prose is `docs.md`.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from harness.vocabulary.declarations import ACTORS, Action, Argument, actions_of, bare_action
from harness.yaml.loader import DEFAULT_LIMITS
from harness.yaml.schema import TOP_LEVEL_KEYS

__all__ = ["render_docs"]

_INTRO = Path(__file__).with_name("docs.md")
"""The prose before the tables, with `$name` filled in from the keys and limits."""


def _value(argument: Argument | None) -> str:
    if argument is None:
        return "—"
    need = ", required" if argument.required else ""
    return f"{argument.doc} (*{argument.kind.name}*{need})"


def _arguments(entry: Action) -> str:
    return "<br>".join(f"`{argument.key}`: {_value(argument)}" for argument in entry.arguments) or "—"


def _row(entry: Action) -> str:
    gherkin = "<br>".join(f"`{phrasing.en.text}`" for phrasing in entry.declaration.phrasings)
    cells = [f"`{entry.key}`", entry.doc, _value(entry.subject), _arguments(entry), gherkin]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def render_docs() -> str:
    """The whole Markdown reference."""
    intro = Template(_INTRO.read_text(encoding="utf-8")).safe_substitute(
        top_level_keys="\n".join(f"- `{key}`: {text}" for key, text in TOP_LEVEL_KEYS.items()),
        max_bytes=f"{DEFAULT_LIMITS.max_bytes:,}", max_depth=DEFAULT_LIMITS.max_depth,
        max_nodes=f"{DEFAULT_LIMITS.max_nodes:,}")
    lines = [intro]
    for actor, meaning in ACTORS.items():
        lines.append(f"### `{actor}` — {meaning}\n")
        bare = bare_action(actor)
        if bare is not None:
            lines.append(f"A bare value is the value of `{bare.key}`.\n")
        lines.append("| Action | What it does | Its value | Arguments | Gherkin step |")
        lines.append("|---|---|---|---|---|")
        lines.extend(_row(entry) for entry in actions_of(actor).values())
        lines.append("")
    return "\n".join(lines)
