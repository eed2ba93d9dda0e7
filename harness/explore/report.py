"""An exploration in the living documentation: one record for the whole run, so the report's
state-machine coverage shows every transition the run reached, and its steps the found scenario.

`harness explore --report FILE` (and `ExploreOptions.report`) writes it with the same renderer as
`--amazon-pay-report` (`harness.report.living_doc`).
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.explore.machine import Progress
from harness.explore.printing import PrintedScenario
from harness.report.capture import change_record
from harness.report.living_doc import write_living_doc
from harness.report.record import FeatureInfo, ScenarioRecord, StepRecord
from harness.vocabulary.declarations import Language

__all__ = ["write_report"]

_STEP = re.compile(r"^    (?P<keyword>Given|When|Then|And|前提|もし|ならば|かつ) (?P<name>.+)$")


def explore_record(progress: Progress, found: PrintedScenario | None, *, title: str, summary: str,
                   errors: list[str], language: Language) -> ScenarioRecord:
    """The run as one scenario record: the transitions reached as its changes, the found scenario's steps."""
    changes = [change_record(change) for change in progress.transitions.values()]
    lines = found.feature.splitlines() if found is not None else []
    written = [(number, match) for number, line in enumerate(lines, 1)
               for match in [_STEP.match(line)] if match]
    steps = [StepRecord(keyword=match["keyword"], name=match["name"], line=number, status="passed",
                        duration=0.0, declaration=None) for number, match in written]
    if steps:
        steps[-1]["status"] = "failed"
        steps[-1]["error"] = "\n".join(errors)
    feature = FeatureInfo(uri="harness explore", keyword="Feature", name=title, line=1, description=summary,
                          tags=[], language=language)
    return ScenarioRecord(
        nodeid=f"harness explore::{title}", source="feature", feature=feature, keyword="Scenario",
        name=found.name if found is not None else title, row=None, line=1, description=summary, tags=[],
        outcome="failed" if found is not None else "passed", duration=0.0, steps=steps,
        error="\n".join(errors) or None, after_error=None, timeline=[], changes=changes, api_calls=[],
        views=[])


def write_report(path: Path, progress: Progress, found: PrintedScenario | None, *, title: str, summary: str,
                 errors: list[str], language: Language) -> None:
    """Write the living documentation of one exploration to `path`."""
    write_living_doc([explore_record(progress, found, title=title, summary=summary, errors=errors,
                                     language=language)], path)
