"""The reports' pytest plugin: `--amazon-pay-report=PATH` (the living documentation), the Cucumber JSON
behind `--cucumberjson` (in place of pytest-bdd's writer), and one JUnit classname per feature file.

When any of `--amazon-pay-report`, `--cucumberjson` or `--junitxml` is given, each scenario's test
leaves a record (`harness.report.capture`) on its call report (on its setup report when setup
failed). A report's attributes travel with it from an xdist worker to the controller, so the
controller sees every record; it keeps them (not the worlds) and writes the files when the session
ends. Without those options nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from _pytest.junitxml import xml_key
from pytest_bdd.parser import Step

from harness.report.capture import capture
from harness.report.coverage import declaration_id
from harness.report.cucumber import write_cucumber_json
from harness.report.record import ScenarioRecord
from harness.vocabulary.declarations import load_vocabulary

__all__: list[str] = []

REPORT_OPTION = "amazon_pay_report"
RECORD_ATTRIBUTE = "amazon_pay_scenario"
"""The test report's attribute holding the scenario's record (xdist serializes report attributes)."""

_Report = pytest.TestReport
_UNDEFINED = pytest.StashKey[int]()
_MATCHED = pytest.StashKey[dict[int, str]]()
_COLLECTOR = pytest.StashKey["Collector"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--amazon-pay-report=PATH`."""
    group = parser.getgroup("amazon-pay-harness")
    group.addoption("--amazon-pay-report", dest=REPORT_OPTION, metavar="PATH", default=None,
                    help="write the living documentation (one self-contained HTML file) to PATH")


def _recording(config: pytest.Config) -> bool:
    return bool(config.getoption(REPORT_OPTION) or config.getoption("cucumber_json_path", None)
                or config.getoption("xmlpath", None))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """On the controller: collect the records, and write Cucumber JSON instead of pytest-bdd."""
    if hasattr(config, "workerinput") or not _recording(config):
        return
    collector = Collector(config)
    config.stash[_COLLECTOR] = collector
    config.pluginmanager.register(collector, "amazon-pay-report-collector")


# --- in the process that runs the test (a worker under xdist) -------------------------------------


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Step, step_func: Any) -> None:
    """Remember which vocabulary entry a Gherkin step ran, for the step catalogue."""
    declaration = _DECLARATIONS.get(step_func)
    if declaration is not None:
        request.node.stash.setdefault(_MATCHED, {})[step.line_number] = declaration


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, step: Step) -> None:
    """Remember the undefined step's line: it is `undefined`, not `passed` or `failed`."""
    request.node.stash[_UNDEFINED] = step.line_number


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, _Report]:
    """Put the scenario's record on its call report (on the setup report when setup did not pass)."""
    report = yield
    if _recording(item.config) and (call.when == "call" or (call.when == "setup" and not report.passed)):
        from harness.pytest_plugin import world_of  # noqa: PLC0415  # that plugin loads this one

        record = capture(item, report, excinfo=call.excinfo, world=world_of(item),
                         undefined_line=item.stash.get(_UNDEFINED, None),
                         matched=item.stash.get(_MATCHED, {}))
        if record is not None:
            setattr(report, RECORD_ATTRIBUTE, record)
    return report


_DECLARATIONS: dict[object, str] = {declaration.function: declaration_id(declaration)
                                    for declaration in load_vocabulary()}


# --- on the controller ---------------------------------------------------------------------------------


class Collector:
    """Keeps every scenario's record (the last run of a test wins) and writes the files at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, ScenarioRecord] = {}
        self.written: list[Path] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self) -> None:
        """Take over `--cucumberjson` from pytest-bdd, whose writer drops YAML scenarios and
        misreports steps (pytest-bdd registers it in its own pytest_configure)."""
        bdd_writer = getattr(self.config, "_bddcucumberjson", None)
        if bdd_writer is not None:
            self.config.pluginmanager.unregister(bdd_writer)
            del self.config._bddcucumberjson  # type: ignore[attr-defined]

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the record; give the JUnit test case its feature file's classname (before junitxml)."""
        record: ScenarioRecord | None = getattr(report, RECORD_ATTRIBUTE, None)
        if record is not None:
            self.records[record["nodeid"]] = record
        record = record or self.records.get(report.nodeid)
        xml = self.config.stash.get(xml_key, None)
        if record is not None and xml is not None:
            xml.node_reporter(report).add_attribute("classname", junit_classname(record["feature"]["uri"]))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Write Cucumber JSON and the living documentation."""
        records = list(self.records.values())
        cucumber = self.config.getoption("cucumber_json_path", None)
        if cucumber:
            path = _path(cucumber)
            write_cucumber_json(records, path)
            self.written.append(path)
        living_doc = self.config.getoption(REPORT_OPTION)
        if living_doc:
            from harness.report.living_doc import write_living_doc  # noqa: PLC0415  # Jinja2, graphviz

            path = _path(living_doc)
            write_living_doc(records, path)
            self.written.append(path)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Say where the files are."""
        for path in self.written:
            terminalreporter.write_sep("-", f"generated {path}")


def junit_classname(uri: str) -> str:
    """`features/ja/open.feature` -> `features.ja.open.feature`: one JUnit class per scenario file."""
    return uri.replace("/", ".")


def _path(option: str) -> Path:
    return Path(option).expanduser().absolute()
