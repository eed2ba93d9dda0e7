"""Measure serial against parallel (pytest-xdist `-n 2`) runs, and where a worker's start goes (not a test).

    .venv/bin/python benchmarks/bench_parallel.py [--repeats 3] [--scenarios 1000] [--workers 2]

Two suites, each run serially (`-p no:xdist`) and with `-n WORKERS`, alternating, medians reported
side by side as wall-clock seconds and the serial/parallel ratio:

1. the shipped suite: `features/` (English and Japanese) and `scenarios/` (YAML);
2. `--scenarios` generated YAML scenarios (checkout, payment, drop-off, a time jump, the status),
   in files of 10 parameter rows each.

Then the start of one process, as a worker pays it before its first test: the interpreter with
pytest, the harness's plugins and steps, collecting the shipped suite, and freezegun's one start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
SHIPPED = ("features", "scenarios")

GENERATED = """\
# yaml-language-server: $schema=scenario.schema.json
name: Generated drop-off {number} after {{wait}}
parameters:
{rows}
steps:
  - merchant: {{start checkout: order A, amount: {amount} JPY}}
  - buyer: pay
  - buyer: drop off
  - wait: "{{wait}}"
  - expect: {{status: "{{status}}", order: order A}}
"""

START_UP = """\
import time
start = time.perf_counter()
import pytest, pytest_bdd
pytest_done = time.perf_counter()
import harness.pytest_plugin, harness.yaml.plugin, harness.gherkin.steps
harness_done = time.perf_counter()
from datetime import UTC, datetime
import freezegun.api as api  # read its real clock through the module: freezegun patches every copy
freezer = api.freeze_time(datetime(2026, 1, 5, tzinfo=UTC))
freezer.start()
freeze_done = api.real_perf_counter()
freezer.stop()
print(pytest_done - start, harness_done - pytest_done, freeze_done - harness_done)
"""


def wall(arguments: list[str], cwd: Path) -> float:
    """Seconds of one pytest run in a fresh process (it must pass)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments]
    start = time.perf_counter()
    finished = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if finished.returncode != 0:
        raise SystemExit(f"pytest {' '.join(arguments)} failed:\n{finished.stdout[-3000:]}\n"
                         f"{finished.stderr}")
    return seconds


def generate(target: Path, scenarios: int) -> Path:
    """`scenarios` YAML scenarios in files of 10 rows each."""
    target.mkdir(parents=True)
    rows = "\n".join(f"  - {{wait: {wait}, status: {status}}}" for wait, status in
                     [("23:59:59", "Open"), ("24 hours", "Canceled")] * 5)
    for number in range(scenarios // 10):
        text = GENERATED.format(number=number, rows=rows, amount=1000 + number)
        (target / f"generated_{number:04}.yaml").write_text(text, encoding="utf-8")
    return target


def compare(label: str, paths: list[str], cwd: Path, workers: str, repeats: int) -> None:
    """Alternate serial and parallel runs; print the medians and their ratio."""
    serial: list[float] = []
    parallel: list[float] = []
    for _ in range(repeats):
        serial.append(wall(["-p", "no:xdist", *paths], cwd))
        parallel.append(wall(["-n", workers, *paths], cwd))
    s, p = statistics.median(serial), statistics.median(parallel)
    print(f"{label:<34} serial {s:6.2f} s   -n {workers} {p:6.2f} s   serial/parallel {s / p:4.2f}x")


def start_up(repeats: int) -> None:
    """What one process pays before its first test (median of `repeats`)."""
    parts = []
    for _ in range(repeats):
        finished = subprocess.run([sys.executable, "-c", START_UP], capture_output=True, text=True,
                                  check=True, cwd=ROOT)
        parts.append([float(value) for value in finished.stdout.split()])
    interpreter = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        interpreter.append(time.perf_counter() - start)
    collect = statistics.median(wall(["-p", "no:xdist", "--collect-only", *SHIPPED], ROOT)
                                for _ in range(repeats))
    pytest_import, harness_import, freeze = (statistics.median(column) for column in zip(*parts, strict=True))
    print("start of one process (median):")
    print(f"  interpreter alone                        {statistics.median(interpreter) * 1e3:7.1f} ms")
    print(f"  import pytest + pytest-bdd               {pytest_import * 1e3:7.1f} ms")
    print(f"  import the harness's plugins and steps   {harness_import * 1e3:7.1f} ms")
    print(f"  freezegun's one start (all modules)      {freeze * 1e3:7.1f} ms")
    print(f"  whole serial run with --collect-only     {collect * 1e3:7.1f} ms  (start-up + collection)")


def main() -> None:
    """Run both comparisons and the start-up breakdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--workers", default="2")
    options = parser.parse_args()
    compare("shipped suite (features, scenarios)", list(SHIPPED), ROOT, options.workers, options.repeats)
    with tempfile.TemporaryDirectory() as scratch:
        folder = generate(Path(scratch) / "generated", options.scenarios)
        (folder.parent / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        compare(f"{options.scenarios} generated YAML scenarios", [str(folder)], folder.parent,
                options.workers, options.repeats)
    start_up(options.repeats)


if __name__ == "__main__":
    main()
