"""How a failed Gherkin scenario reads: `file:line: step`, what was expected against what is shown,
then the timeline and the transaction view, with no pytest-bdd or fixture internals.

The step that failed is remembered from pytest-bdd's `pytest_bdd_step_error` hook; the report's
long representation is replaced for the harness's own errors (a failed expectation, an action the
scenario cannot take, a value it cannot read). Any other exception (a bug in the shop's adapter,
say) keeps pytest's traceback, under the same `file:line: step` header.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.errors import HarnessError

__all__: list[str] = []

_Reporting = Generator[None, pytest.TestReport, pytest.TestReport]
_FAILED_AT = pytest.StashKey[tuple[str, int, str]]()
"""The feature file, line and words of what a failure belongs to; shown as `_place` writes it, when the
test fails (every scenario sets it, few fail: resolving the path is left to those)."""


def _place(config: pytest.Config, filename: str, line: int, what: str) -> str:
    """`features/open.feature:12: Then Seller Central shows the order as Open`."""
    path = Path(filename)
    try:
        shown = path.resolve().relative_to(config.rootpath).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown}:{line}: {what}"


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    """Until a step fails, a failure belongs to the scenario (e.g. a refusal no step expected)."""
    request.node.stash[_FAILED_AT] = (feature.filename, scenario.line_number,
                                      f"{scenario.keyword}: {scenario.name}")


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Feature, step: Step) -> None:
    """Remember the step that failed."""
    request.node.stash[_FAILED_AT] = (feature.filename, step.line_number,
                                      f"{step.keyword.strip()} {step.name}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> _Reporting:
    """A failed scenario's report: the step's place, then the harness's message (no traceback)."""
    report = yield
    failed_at = item.stash.get(_FAILED_AT, None)
    if failed_at is None or report.when != "call" or not report.failed or call.excinfo is None:
        return report
    place = _place(item.config, *failed_at)
    error = call.excinfo.value
    if isinstance(error, HarnessError):
        report.longrepr = f"{place}\n{error}"
    else:
        report.longrepr = f"{place}\n{item.repr_failure(call.excinfo)}"
    return report
