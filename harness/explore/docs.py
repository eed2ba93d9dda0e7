"""The generated part of docs/explore.md: the invariants, what each status word claims, what is explored.

Rendered from the code (`harness generate`), so the page says what the explorer checks and draws.
"""

from __future__ import annotations

import inspect

from harness.explore.conditions import CONDITIONS, MAX_ORDERS, NEW_ORDER_ACTIONS
from harness.explore.invariants import AFTER_RECONCILING, AGREEMENT, ALWAYS, Invariant, name_of
from harness.explore.machine import explored_actions
from harness.explore.strategies import TEXTS
from harness.vocabulary.declarations import Action

__all__ = ["EXPLORE_BEGIN", "EXPLORE_END", "render_explore"]

EXPLORE_BEGIN = "<!-- explore:begin (generated from harness/explore/) -->"
EXPLORE_END = "<!-- explore:end -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _invariant_row(check: Invariant, when: str) -> str:
    doc = inspect.getdoc(check) or ""
    what, _, rest = doc.partition("\n\n")
    reason = rest.removeprefix("Reason: ")
    return f"| `{name_of(check)}` | {when} | {_cell(what)} | {_cell(reason)} |"


def _when(chosen: Action) -> str:
    if (chosen.actor, chosen.key) in NEW_ORDER_ACTIONS:
        return f"fewer than {MAX_ORDERS} orders"
    condition = CONDITIONS.get((chosen.actor, chosen.key))
    return _cell((inspect.getdoc(condition) or "").splitlines()[0]) if condition else "an order exists"


def render_explore() -> str:
    """The tables between the markers."""
    lines = ["### The invariants", "",
             "| Invariant | Checked | What must hold | Why |", "|---|---|---|---|"]
    lines += [_invariant_row(check, "after every step") for check in ALWAYS]
    lines += [_invariant_row(check, "after the reconciliation job") for check in AFTER_RECONCILING]
    lines += ["", "### What each status word of the merchant's record claims (the default mapping)", "",
              "| Status | Claim |", "|---|---|"]
    lines += [f"| `{status}` | {_cell(agreement.meaning)} |" for status, agreement in AGREEMENT.items()]
    lines += ["", f"### The explored actions (at most {MAX_ORDERS} orders per example)", "",
              "| Action | What it does | Only when |", "|---|---|---|"]
    for chosen in explored_actions():
        lines.append(f"| `{chosen.actor}: {chosen.key}` | {_cell(chosen.doc)} | {_when(chosen)} |")
    lines += ["", "### The values drawn, by kind (the first is where shrinking goes)", "",
              "| Kind | Values |", "|---|---|"]
    lines += [f"| {kind} | {', '.join(f'`{value}`' for value in values)} |" for kind, values in TEXTS.items()]
    return "\n".join(lines)
