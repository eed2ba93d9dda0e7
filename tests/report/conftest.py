"""The report tests share one run of a small scenario project (tests/report/suite.py)."""

from __future__ import annotations

import pytest

from tests.report.suite import SuiteRun, run_suite


@pytest.fixture(scope="session")
def report_suite(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """The small scenario project, run once (per xdist worker) with every report."""
    return run_suite(tmp_path_factory.mktemp("report-suite"))
