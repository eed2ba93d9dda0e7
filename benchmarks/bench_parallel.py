"""Measure serial against parallel (pytest-xdist `-n 2`) runs, and where a worker's start goes (not a test).

    .venv/bin/python benchmarks/bench_parallel.py [--repeats 3] [--scenarios 1000] [--workers 2]
                                                  [--bytecode both|uncached|cached]

Two suites, each run serially (`-p no:xdist`) and with `-n WORKERS`, alternating, medians reported
side by side as wall-clock seconds and the serial/parallel ratio:

1. the shipped suite: `features/` (English and Japanese) and `scenarios/` (YAML);
2. `--scenarios` generated YAML scenarios (checkout, payment, drop-off, a time jump, the status),
   in files of 10 parameter rows each.

Then the start of one process, as a worker pays it before its first test: the interpreter with
pytest, the harness's plugins and steps, collecting the shipped suite, and freezegun's one start.

Every run loads what a shop's environment loads: the harness and its `[parallel]` dependencies. The
pytest plugins of other installed distributions (the dev extra's schemathesis and hypothesis, whose
plugins import hypothesis in every process) are disabled with `-p no:NAME`, and listed in the output.
Each part runs with bytecode not cached (`PYTHONDONTWRITEBYTECODE=1`: every process compiles the
harness's modules and pytest rewrites the asserts of its plugins' modules again) and cached (written
once to a scratch `PYTHONPYCACHEPREFIX`, read by every later process).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
SHIPPED = ("features", "scenarios")
HARNESS = "amazon-pay-harness"
SHOP_EXTRAS = frozenset({"parallel"})
"""What a shop installs to run scenarios in parallel: `amazon-pay-harness[parallel]`."""

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


def shop_closure() -> set[str]:
    """The distributions `amazon-pay-harness[parallel]` installs (canonical names), itself included."""
    wanted = [(HARNESS, SHOP_EXTRAS)]
    seen: set[str] = set()
    while wanted:
        name, extras = wanted.pop()
        if canonicalize_name(name) in seen:
            continue
        seen.add(canonicalize_name(name))
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency this environment lacks
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or any(requirement.marker.evaluate({"extra": extra})
                                                 for extra in extras or {""}):
                wanted.append((requirement.name, frozenset(requirement.extras)))
    return seen


def foreign_plugins() -> list[str]:
    """`-p no:NAME` for every pytest plugin installed by a distribution a shop's environment lacks."""
    shop = shop_closure()
    names = sorted({entry.name for dist in importlib.metadata.distributions()
                    if canonicalize_name(dist.metadata["Name"]) not in shop
                    for entry in dist.entry_points if entry.group == "pytest11"})
    return [item for name in names for item in ("-p", f"no:{name}")]


class Bytecode:
    """The environment of one bytecode mode: not cached at all, or cached in a scratch prefix."""

    def __init__(self, cached: bool, prefix: Path) -> None:
        self.cached = cached
        self.label = "bytecode cached" if cached else "PYTHONDONTWRITEBYTECODE=1"
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        if cached:
            self.env["PYTHONPYCACHEPREFIX"] = str(prefix)
        else:
            self.env["PYTHONDONTWRITEBYTECODE"] = "1"


PLUGINS: list[str] = []
"""The `-p no:NAME` arguments of every run (set in `main`)."""


def wall(arguments: list[str], cwd: Path, mode: Bytecode) -> float:
    """Seconds of one pytest run in a fresh process (it must pass)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PLUGINS, *arguments]
    start = time.perf_counter()
    finished = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=mode.env)
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


def compare(label: str, paths: list[str], cwd: Path, *, workers: str, repeats: int, mode: Bytecode) -> None:
    """Alternate serial and parallel runs; print the medians and their ratio."""
    if mode.cached:  # the first run writes the bytecode the measured ones read
        wall(["-p", "no:xdist", "--collect-only", *paths], cwd, mode)
    serial: list[float] = []
    parallel: list[float] = []
    for _ in range(repeats):
        serial.append(wall(["-p", "no:xdist", *paths], cwd, mode))
        parallel.append(wall(["-n", workers, *paths], cwd, mode))
    s, p = statistics.median(serial), statistics.median(parallel)
    print(f"{label:<34} serial {s:6.2f} s   -n {workers} {p:6.2f} s   serial/parallel {s / p:4.2f}x")


def start_up(repeats: int, mode: Bytecode) -> None:
    """What one process pays before its first test (median of `repeats`)."""
    parts = []
    for _ in range(repeats):
        finished = subprocess.run([sys.executable, "-c", START_UP], capture_output=True, text=True,
                                  check=True, cwd=ROOT, env=mode.env)
        parts.append([float(value) for value in finished.stdout.split()])
    interpreter = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=mode.env)
        interpreter.append(time.perf_counter() - start)
    collect = statistics.median(wall(["-p", "no:xdist", "--collect-only", *SHIPPED], ROOT, mode)
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
    parser.add_argument("--bytecode", choices=("both", "uncached", "cached"), default="both")
    options = parser.parse_args()
    PLUGINS[:] = foreign_plugins()
    print(f"load average {os.getloadavg()[0]:.2f}; disabled (not in a shop's environment): "
          f"{' '.join(PLUGINS[1::2]) or 'nothing'}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = generate(Path(scratch) / "generated", options.scenarios)
        (folder.parent / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        for cached in {"both": (False, True), "uncached": (False,), "cached": (True,)}[options.bytecode]:
            mode = Bytecode(cached, Path(scratch) / "pycache")
            print(f"--- {mode.label}")
            compare("shipped suite (features, scenarios)", list(SHIPPED), ROOT, workers=options.workers,
                    repeats=options.repeats, mode=mode)
            compare(f"{options.scenarios} generated YAML scenarios", [str(folder)], folder.parent,
                    workers=options.workers, repeats=options.repeats, mode=mode)
            start_up(options.repeats, mode)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
