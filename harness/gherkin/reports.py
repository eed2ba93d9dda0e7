"""Reports under xdist: pytest-bdd's Cucumber JSON sees the scenarios every worker ran.

pytest-bdd keeps each test report's scenario in a registry keyed by the report object, which xdist
does not carry from a worker to the controller, so `--cucumberjson -n 4` writes features without
scenarios. These hooks put the scenario into the serialized report and back into the registry.
They also create the directory of `--cucumberjson` (pytest-bdd does not; `--junitxml` does).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.reporting import ReportContext, test_report_context_registry

__all__ = ["pytest_configure"]

_BDD_CONTEXT = "harness_bdd_scenario"
_Json = dict[str, Any] | None


def pytest_configure(config: pytest.Config) -> None:
    """Create the directory `--cucumberjson` writes into."""
    cucumber_json = config.getoption("cucumber_json_path", None)
    if cucumber_json and not hasattr(config, "workerinput"):
        Path(cucumber_json).expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(report: pytest.TestReport) -> Generator[None, _Json, _Json]:
    """Carry pytest-bdd's scenario report across xdist, so --cucumberjson sees every scenario."""
    data = yield
    context = test_report_context_registry.get(report)
    if data is not None and context is not None:
        data[_BDD_CONTEXT] = {"scenario": context.scenario, "name": context.name}
    return data


@pytest.hookimpl(wrapper=True)
def pytest_report_from_serializable(data: dict[str, Any]) -> Generator[None, object, object]:
    """Restore the scenario report that `pytest_report_to_serializable` carried."""
    report = yield
    context = data.get(_BDD_CONTEXT)
    if isinstance(report, pytest.TestReport) and context is not None:
        test_report_context_registry[report] = ReportContext(**context)
    return report
