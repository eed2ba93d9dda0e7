"""pytest collects YAML scenarios: files that declare themselves scenarios, and the configured folders.

Which YAML files are ours (a project's other YAML is left to other plugins):

- a file named on the command line (`pytest scenarios/x.yaml`, `harness run`);
- every `*.yaml` / `*.yml` under a folder of the `amazon_pay_scenarios` ini option (when set);
- anywhere else, a file that declares itself: the schema modeline
  `# yaml-language-server: $schema=.../scenario.schema.json` in its leading comments, or both
  `name:` and `steps:` as top-level keys. An unrelated `scenarios/load.yaml` with `config:` is not
  collected; write the modeline so that a misspelt key is still reported rather than skipped.

Each scenario, and each row of its parameter table, is a test item named after the scenario
(`scenarios/dropoff.yaml::Buyer drops off[row 2]`). Items use the harness's fixtures
(`scenario_world`: simulator, merchant adapter, simulated time), so YAML scenarios run against the
same merchant, under the same options and into the same reports (JUnit, -v, xdist) as the Gherkin
ones. A file that cannot be read fails collection with `file:line:col: message`; a failing step
reports its file and line, then the world's message (timeline and transaction view).

A `.feature` file named on the command line (`pytest features/open.feature`) is collected as if a
test module bound it; so is every `.feature` file when `amazon_pay_feature_files` is set.

Registered by the entry point `amazon_pay_harness_yaml` (pyproject.toml).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import ExceptionInfo, TerminalRepr

from harness.gherkin.collect import collect_feature_file
from harness.scenario.parsing import ScenarioValueError
from harness.scenario.world import ScenarioError, ScenarioWorld
from harness.yaml.errors import ScenarioFileError
from harness.yaml.files import load_scenario_file
from harness.yaml.model import Scenario
from harness.yaml.runner import FailedStepError, run_scenario

__all__ = ["FEATURES_OPTION", "SCENARIOS_OPTION"]

SCENARIOS_OPTION = "amazon_pay_scenarios"
FEATURES_OPTION = "amazon_pay_feature_files"
SUFFIXES = (".yaml", ".yml")
_REGISTERED_TAGS = pytest.StashKey[set[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ini options `amazon_pay_scenarios` and `amazon_pay_feature_files`."""
    parser.addini(SCENARIOS_OPTION, "folders whose every *.yaml / *.yml file is an Amazon Pay scenario "
                                    "(elsewhere only files that declare themselves are)", type="paths",
                  default=[])
    parser.addini(FEATURES_OPTION, "collect *.feature files directly, with no test module binding them "
                                   "(`harness run` sets it)", type="bool", default=False)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A scenario file: named on the command line, in a configured folder, or declaring itself."""
    config = parent.config
    named = parent.session.isinitpath(file_path)
    if file_path.suffix == ".feature" and (named or config.getini(FEATURES_OPTION)):
        return collect_feature_file(parent, file_path)
    if file_path.suffix not in SUFFIXES:
        return None
    folders: list[Path] = config.getini(SCENARIOS_OPTION)
    if named or any(file_path.is_relative_to(folder) for folder in folders) or declares_scenario(file_path):
        return YamlScenarioFile.from_parent(parent, path=file_path)
    return None


MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S*scenario\.schema\.json\s*$")
TOP_LEVEL_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s|$)")
DECLARING_KEYS = frozenset({"name", "steps"})
"""Top-level keys that together make a YAML file a scenario (both are required in one)."""
SNIFF_BYTES = 64 * 1024


def declares_scenario(path: Path) -> bool:
    """Whether a YAML file says it is an Amazon Pay scenario: the modeline, or `name:` and `steps:`.

    Reads at most the first 64 KiB as text and parses nothing: other plugins' files stay untouched.
    """
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    keys: set[str] = set()
    leading_comments = True
    for line in head.splitlines():
        if leading_comments and line.startswith("#"):
            if MODELINE.match(line.strip()):
                return True
            continue
        leading_comments = leading_comments and not line.strip()
        if line.startswith("---") and keys:
            break  # the first document decides
        match = TOP_LEVEL_KEY.match(line)
        if match:
            keys.add(match["key"])
    return keys >= DECLARING_KEYS


class YamlScenarioFile(pytest.File):
    """A YAML file of scenarios."""

    def collect(self) -> Iterator[ScenarioItem]:
        """One item per scenario and parameter row; an unreadable file fails with its position."""
        try:
            loaded = load_scenario_file(self.path, display=self._display())
        except ScenarioFileError as error:
            raise self.CollectError(str(error)) from None
        shared: dict[str, Any] = {}
        for scenario in loaded.scenarios:
            timings: list[float] = []
            item = ScenarioItem.from_parent(self, name=scenario.test_name,
                                            callobj=_test_function(scenario, timings),
                                            scenario=scenario, timings=timings, **shared)
            # every item of the file asks for the same fixtures from the same place: their closure is
            # worked out once per file (as pytest does for a parametrized test), not once per item
            shared["fixtureinfo"] = item._fixtureinfo
            yield item

    def _display(self) -> str:
        try:
            return self.path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return str(self.path)


def _test_function(scenario: Scenario, timings: list[float]) -> Callable[[ScenarioWorld], None]:
    def run_yaml_scenario(scenario_world: ScenarioWorld) -> None:
        timings.clear()  # a rerun starts afresh
        run_scenario(scenario, scenario_world, timings)

    run_yaml_scenario.__doc__ = scenario.name
    return run_yaml_scenario


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """A YAML test's step durations are in its record by now (made with the call's report, when a report
    option asks for one): let them go, as every item lives on to the session's end."""
    if isinstance(item, ScenarioItem):
        item.timings.clear()


class ScenarioItem(pytest.Function):
    """One run of a YAML scenario (one parameter row)."""

    def __init__(self, *, scenario: Scenario, timings: list[float] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.timings: list[float] = [] if timings is None else timings
        """Each step's duration in seconds in the running test (for the reports; emptied at its teardown)."""
        registered = self.config.stash.setdefault(_REGISTERED_TAGS, set())
        for tag in scenario.tags:
            if tag not in registered:  # once per tag, not once per item
                registered.add(tag)
                self.config.addinivalue_line("markers", f"{tag}: tag of YAML scenarios")
            self.add_marker(tag)
        if scenario.parameters:
            self.user_properties.extend(("parameter " + key, value)
                                        for key, value in scenario.parameters.items())

    def reportinfo(self) -> tuple[Path, int, str]:
        """The scenario's file and line, and its name."""
        return self.path, self.scenario.position.line - 1, self.name

    def repr_failure(self, excinfo: ExceptionInfo[BaseException]) -> str | TerminalRepr:  # type: ignore[override]
        """`file:line: step`, then the world's message; a traceback only for errors in the harness."""
        failure = excinfo.value
        if not isinstance(failure, FailedStepError):
            return super().repr_failure(excinfo)
        if isinstance(failure.cause, AssertionError | ScenarioError | ScenarioValueError):
            return str(failure)
        label = failure.step.label if failure.step else ""
        header = f"{failure.position.file}:{failure.position.line}: {label}"
        cause = ExceptionInfo.from_exception(failure.cause)
        return f"{header}\n{super().repr_failure(cause)}"
