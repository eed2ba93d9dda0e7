"""The living documentation: one self-contained HTML file of a run, rendered from Jinja2 templates.

Everything is inline (styles, the small filter script, the SVG diagrams): the file opens from disk
with no network. The interface is in English and Japanese (a toggle). It shows the scenarios by
file, by Seller Central status and by tag, each with its steps, outcome, duration, timeline
(simulated time in UTC and JST, T+ from the scenario's first moment), API calls and transaction
views; a failed scenario opens at its step with the expected and the shown view side by side; then
the state-machine coverage and the step catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.report.coverage import MachineCoverage, catalogue, coverage
from harness.report.cucumber import scenario_names
from harness.report.diagram import DiagramUnavailableError, draw, edge_anchor
from harness.report.record import ScenarioRecord
from harness.report.rendering import render
from harness.seller_central import COLUMNS

__all__: list[str] = []

NO_TRANSACTION = "—"
"""The status group of scenarios whose Seller Central view ends empty."""


@dataclass(frozen=True)
class Machine:
    """A state machine's coverage and its drawing (or why there is none)."""

    coverage: MachineCoverage
    svg: str | None
    problem: str | None


def write_living_doc(records: Sequence[ScenarioRecord], path: Path) -> None:
    """Render the run's living documentation to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_living_doc(records), encoding="utf-8")


def render_living_doc(records: Sequence[ScenarioRecord]) -> str:
    """The HTML of the living documentation of `records` (in run order)."""
    return render("living-doc.html.j2", **_context(records))


def _context(records: Sequence[ScenarioRecord]) -> dict[str, Any]:
    names = _display_names(records)
    files: dict[str, list[int]] = {}
    by_status: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    statuses = [_final_statuses(record) for record in records]
    for index, record in enumerate(records):
        files.setdefault(record["feature"]["uri"], []).append(index)
        for status in statuses[index]:
            by_status.setdefault(status, []).append(index)
        for tag in record["tags"] or ["(untagged)"]:
            by_tag.setdefault(tag, []).append(index)
    entries, undefined = catalogue(records)
    return {
        "records": records, "names": names, "files": files, "statuses": statuses,
        "by_status": dict(sorted(by_status.items())), "by_tag": dict(sorted(by_tag.items())),
        "outcomes": Counter(record["outcome"] for record in records),
        "machines": [_machine(machine) for machine in coverage(records)],
        "catalogue": entries, "undefined": undefined, "columns": COLUMNS, "edge_anchor": edge_anchor,
        "started": [record["timeline"][0]["at"] if record["timeline"] else None for record in records],
        "failures": [_failure(record) for record in records],
    }


def _display_names(records: Sequence[ScenarioRecord]) -> list[str]:
    by_uri: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        by_uri.setdefault(record["feature"]["uri"], []).append(index)
    names = [""] * len(records)
    for indexes in by_uri.values():
        for index, name in zip(indexes, scenario_names([records[i] for i in indexes]), strict=True):
            names[index] = name
    return names


def _final_statuses(record: ScenarioRecord) -> list[str]:
    rows = record["views"][-1]["rows"] if record["views"] else []
    return sorted({row[1] for row in rows}) or [NO_TRANSACTION]


def _failure(record: ScenarioRecord) -> dict[str, Any] | None:
    """What the failing step expected (the error's first line) and what Seller Central showed."""
    error = record["error"]
    if record["outcome"] != "failed" or error is None:
        return None
    step = next((step for step in record["steps"] if step["status"] in ("failed", "undefined")), None)
    shown = record["views"][-1] if record["views"] else None
    return {"step": step, "expected": error.split("\n", 1)[0], "shown": shown}


def _machine(machine: MachineCoverage) -> Machine:
    try:
        return Machine(machine, draw(machine), None)
    except DiagramUnavailableError as error:
        return Machine(machine, None, str(error))
