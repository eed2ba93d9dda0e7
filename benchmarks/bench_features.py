"""Measure the Gherkin suite: scenarios per second, and the harness's cost per scenario (not a test).

    .venv/bin/python benchmarks/bench_features.py [--repeats 5]

Two pytest runs are timed side by side, alternating, and medians reported:

1. `features/` as shipped (English and Japanese), on the harness: simulator, reference merchant
   over signed HTTP through respx, merchant time, Seller Central.
2. The same feature files bound to one no-op step definition, with the harness plugin disabled:
   an empty pytest-bdd scenario with the same scenarios, outlines and number of steps.
3. The empty project again with the harness plugin installed and loaded: what the plugin costs a
   test that does not use it.

Per-scenario time is the sum of the tests' setup + call + teardown durations as pytest measures
them, so start-up and collection are left out; the wall-clock time of each run is shown as well.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[1]
WITHOUT_HARNESS = ("-p", "no:amazon_pay_harness", "-p", "no:amazon_pay_harness_yaml")
"""pytest options that leave the harness's plugins out."""
FEATURES = ROOT / "features"

EMPTY_STEPS = '''\
"""Every step of the copied features matches one step definition that does nothing."""

from pytest_bdd import given, parsers, scenarios, then, when

scenarios(".")

ANY = parsers.re(r".*")


@given(ANY)
@when(ANY)
@then(ANY)
def nothing() -> None:
    """An empty step."""
'''


TIMER_PLUGIN = '''\
"""Sum the tests' setup, call and teardown durations (pytest measures them on the real clock)."""

import json
import os

TOTAL = {"tests": 0, "seconds": 0.0}


def pytest_runtest_logreport(report):
    TOTAL["seconds"] += report.duration
    TOTAL["tests"] += report.when == "call"


def pytest_sessionfinish(session):
    with open(os.environ["BENCH_TIMES"], "w") as out:
        json.dump(TOTAL, out)
'''


@dataclass(frozen=True)
class Run:
    """One pytest run: how many tests, their summed durations, and the wall-clock time."""

    tests: int
    test_seconds: float
    wall_seconds: float

    @property
    def per_test(self) -> float:
        """Seconds per test, start-up and collection excluded."""
        return self.test_seconds / self.tests


def run_pytest(directory: Path, *options: str) -> Run:
    """Run pytest on `directory` in a fresh process; a small plugin sums the tests' durations."""
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "bench_timer.py").write_text(TIMER_PLUGIN, encoding="utf-8")
        times = Path(scratch) / "times.json"
        environment = {**os.environ, "BENCH_TIMES": str(times),
                       "PYTHONPATH": os.pathsep.join(filter(None, [scratch, os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "bench_timer",
                   *options, str(directory)]
        start = time.perf_counter()
        finished = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False,
                                  env=environment)
        wall = time.perf_counter() - start
        if finished.returncode != 0:
            raise SystemExit(f"pytest failed in {directory}:\n{finished.stdout}\n{finished.stderr}")
        total = json.loads(times.read_text(encoding="utf-8"))
        return Run(total["tests"], total["seconds"], wall)


def empty_project(target: Path) -> Path:
    """The feature files of features/ bound to a no-op step, in `target`."""
    shutil.copytree(FEATURES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (target / "test_features.py").write_text(EMPTY_STEPS, encoding="utf-8")
    return target


@dataclass(frozen=True)
class FeatureRuns:
    """Medians of the three runs over the same scenarios."""

    scenarios: int
    harness: Run
    empty: Run
    empty_with_plugin: Run


def _median_run(runs: list[Run]) -> Run:
    return Run(runs[0].tests, statistics.median(run.test_seconds for run in runs),
               statistics.median(run.wall_seconds for run in runs))


def measure(repeats: int = 5) -> FeatureRuns:
    """Alternate the runs: features/ on the harness, on empty steps, on empty steps with the plugin."""
    harness_runs: list[Run] = []
    empty_runs: list[Run] = []
    plugin_runs: list[Run] = []
    with tempfile.TemporaryDirectory() as scratch:
        empty = empty_project(Path(scratch) / "features")
        for _ in range(repeats):
            harness_runs.append(run_pytest(FEATURES))
            empty_runs.append(run_pytest(empty, *WITHOUT_HARNESS))
            plugin_runs.append(run_pytest(empty))
    tests = harness_runs[0].tests
    if empty_runs[0].tests != tests or plugin_runs[0].tests != tests:
        raise SystemExit(f"the runs differ: {tests} scenarios on the harness, {empty_runs[0].tests} empty")
    return FeatureRuns(tests, _median_run(harness_runs), _median_run(empty_runs), _median_run(plugin_runs))


def main() -> None:
    """Alternate the runs and report medians and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    runs = measure(options.repeats)
    tests = runs.scenarios
    print(f"features/: {tests} scenarios (English and Japanese), median of {options.repeats} runs each")
    for label, run in (("on the harness", runs.harness), ("empty pytest-bdd", runs.empty),
                       ("empty, plugin on", runs.empty_with_plugin)):
        print(f"  {label:17} {run.per_test * 1e3:7.2f} ms per scenario {1 / run.per_test:6.0f} scenarios/s  "
              f"run {run.wall_seconds:5.2f} s wall "
              f"({tests / run.wall_seconds:4.0f} scenarios/s with start-up)")
    harness, baseline = runs.harness.per_test, runs.empty.per_test
    print(f"  harness overhead  {(harness - baseline) * 1e3:7.2f} ms per scenario, "
          f"{harness / baseline:.1f}x an empty scenario; the plugin alone "
          f"{runs.empty_with_plugin.per_test / baseline:.2f}x")


if __name__ == "__main__":
    main()
