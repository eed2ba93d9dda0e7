"""Measure how YAML scenario runs grow with their number (run it; it is not a test).

    .venv/bin/python benchmarks/bench_yaml.py [--small 1000] [--large 10000] [--per-file 10]

Generates `--small` and `--large` scenarios (files of `--per-file` scenarios each, every scenario a
checkout, a drop-off or a capture, a jump in time and an expectation), then times, in a fresh
pytest process each: reading and checking the files alone (in-process), and running them with
pytest serially and with `-n 2`. Each pytest time has the start-up of a one-scenario run (pytest,
plugins, xdist workers) taken off, and the report shows the time per scenario and the ratio
large / small of the per-scenario times (1.0 is linear growth); then the peak RSS of a serial run
of each size, their ratio and the MiB per 1,000 scenarios more. Takes about four minutes.

`measure(plain=True)` (benchmarks/table.py's P5p row) runs empty test functions with the harness's
plugins left out: what pytest alone keeps per test, the floor under the YAML runs' memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness.yaml import load_scenario_file

VARIANTS = (
    ("buyer: {{checkout: order {n}, amount: {amount} JPY}}", "wait: {hours} hours",
     "expect: {{status: Open}}"),
    ("merchant: {{start checkout: order {n}, amount: {amount} JPY}}\n  - buyer: pay\n  - buyer: drop off",
     "wait: {{until: 24 hours, after: the checkout started}}", "expect: {{status: Canceled}}"),
    ("buyer: {{checkout: order {n}, amount: {amount} JPY}}\n  - merchant: capture", "wait: {hours} hours",
     "expect: {{status: Closed}}"),
)


def generate(folder: Path, count: int, per_file: int) -> None:
    """`count` scenarios in files of `per_file` each."""
    folder.mkdir(parents=True)
    for first in range(0, count, per_file):
        documents = []
        for n in range(first, min(first + per_file, count)):
            setup, wait, expect = VARIANTS[n % len(VARIANTS)]
            values = {"n": n, "amount": 1000 + n % 9000, "hours": 1 + n % 23}
            documents.append(f"name: Scenario {n}\nsteps:\n  - {setup.format(**values)}\n"
                             f"  - {wait.format(**values)}\n  - {expect.format(**values)}\n")
        path = folder / f"generated_{first // per_file:05d}.yaml"
        path.write_text("---\n".join(documents), encoding="utf-8")


def generate_plain(folder: Path, count: int, per_file: int) -> None:
    """`count` empty test functions in modules of `per_file` each: what pytest alone keeps per test."""
    folder.mkdir(parents=True)
    for first in range(0, count, per_file):
        numbers = range(first, min(first + per_file, count))
        tests = "".join(f"def test_{n}():\n    pass\n\n\n" for n in numbers)
        (folder / f"test_generated_{first // per_file:05d}.py").write_text(tests, encoding="utf-8")


WITHOUT_HARNESS = ("-p", "no:amazon_pay_harness", "-p", "no:amazon_pay_harness_yaml")
"""pytest options that leave the harness's plugins out."""


def time_loading(folder: Path) -> float:
    """Seconds to read, check and expand every file (no pytest)."""
    start = time.perf_counter()
    for path in sorted(folder.glob("*.yaml")):
        load_scenario_file(path)
    return time.perf_counter() - start


RSS_WRAPPER = """\
import os, resource, sys
import pytest
code = pytest.main(sys.argv[1:])
try:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
with open(os.environ["BENCH_RSS"], "w") as out:
    out.write(peak)
sys.exit(code)
"""
"""Runs pytest in this interpreter and writes its peak resident set size (KiB) to $BENCH_RSS.

Linux's `VmHWM`, the peak of this program alone: `ru_maxrss` also counts the process it was started
from, as it was before the `exec` (a 300 MiB parent makes every child report at least 300 MiB), so a
small run started by `table.py`, which has the other benchmarks loaded, reported the table's size."""


@dataclass(frozen=True)
class PytestRun:
    """Wall-clock and CPU seconds (user + system) of a pytest run, and the peak RSS (KiB) of its process."""

    seconds: float
    cpu_seconds: float
    peak_rss_kib: int


def run_pytest(folder: Path, *extra: str) -> PytestRun:
    """A pytest run over the folder (which must pass), in a fresh process."""
    with tempfile.TemporaryDirectory() as scratch:
        rss = Path(scratch) / "rss"
        command = [sys.executable, "-c", RSS_WRAPPER, "-q", "-p", "no:cacheprovider",
                   "--rootdir", str(folder), "-o", f"amazon_pay_scenarios={folder}", str(folder), *extra]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=folder,
                                env={**os.environ, "BENCH_RSS": str(rss)})
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit(f"pytest failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return PytestRun(elapsed, cpu, int(rss.read_text(encoding="ascii")))


def time_pytest(folder: Path, *extra: str) -> float:
    """Wall-clock seconds of a pytest run over the folder."""
    return run_pytest(folder, *extra).seconds


def _mean(runs: tuple[PytestRun, ...]) -> PytestRun:
    return PytestRun(statistics.fmean(run.seconds for run in runs),
                     statistics.fmean(run.cpu_seconds for run in runs), max(run.peak_rss_kib for run in runs))


@dataclass(frozen=True)
class Growth:
    """Serial pytest runs of `small` and of `large` scenarios: seconds (start-up taken off) and RSS.

    The small run and the one-scenario start-up are each the mean of a run before and a run after the
    large one, so a change in the shared machine's load during the long run weighs on both sides.
    """

    small: int
    large: int
    small_run: PytestRun
    large_run: PytestRun
    start_up: PytestRun

    @property
    def time_ratio(self) -> float:
        """large ÷ small wall-clock time, start-up taken off (large/small for linear growth)."""
        start_up = self.start_up.seconds
        return (self.large_run.seconds - start_up) / (self.small_run.seconds - start_up)

    @property
    def cpu_ratio(self) -> float:
        """large ÷ small CPU time, start-up taken off: what the other processes on the machine move least."""
        return ((self.large_run.cpu_seconds - self.start_up.cpu_seconds)
                / (self.small_run.cpu_seconds - self.start_up.cpu_seconds))

    @property
    def rss_ratio(self) -> float:
        """large ÷ small peak RSS."""
        return self.large_run.peak_rss_kib / self.small_run.peak_rss_kib

    @property
    def rss_slope(self) -> float:
        """MiB of peak RSS per 1,000 scenarios more: what each scenario costs, whatever the start-up costs
        (the ratio also moves when only the start-up's memory does)."""
        extra = self.large_run.peak_rss_kib - self.small_run.peak_rss_kib
        return extra / 1024 / ((self.large - self.small) / 1000)


def measure(small: int = 1000, large: int = 10_000, per_file: int = 10, *, plain: bool = False) -> Growth:
    """Serial runs of one, `small`, `large`, `small` and one generated scenarios, in that order.

    `plain`: empty test functions instead, with the harness's plugins left out (pytest alone).
    """
    make, extra = (generate_plain, WITHOUT_HARNESS) if plain else (generate, ())
    with tempfile.TemporaryDirectory(prefix="bench_yaml_") as temporary:
        root = Path(temporary)
        for size in (1, small, large):
            make(root / str(size), size, per_file)
        first_start, first_small = run_pytest(root / "1", *extra), run_pytest(root / str(small), *extra)
        large_run = run_pytest(root / str(large), *extra)
        last_small, last_start = run_pytest(root / str(small), *extra), run_pytest(root / "1", *extra)
        return Growth(small, large, _mean((first_small, last_small)), large_run,
                      _mean((first_start, last_start)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=10)
    options = parser.parse_args()
    sizes = (options.small, options.large)
    with tempfile.TemporaryDirectory(prefix="bench_yaml_") as temporary:
        root = Path(temporary)
        for size in (1, *sizes):
            generate(root / str(size), size, options.per_file)
        rows: list[tuple[str, list[float]]] = []
        for label, measure_one in (("read + check (in-process)", time_loading),
                                   ("pytest, serial", time_pytest),
                                   ("pytest -n 2", lambda folder: time_pytest(folder, "-n", "2"))):
            start_up = 0.0 if measure_one is time_loading else measure_one(root / "1")
            seconds = [measure_one(root / str(size)) - start_up for size in sizes]
            rows.append((label, seconds))
            measured = "  ".join(f"{size:>6,} scenarios: {elapsed:7.2f} s "
                                 f"({elapsed / size * 1000:6.2f} ms each)"
                                 for size, elapsed in zip(sizes, seconds, strict=True))
            print(f"{label:<27} (start-up {start_up:5.2f} s) {measured}"
                  + f"  ratio per scenario {options.large:,}/{options.small:,}: "
                    f"{(seconds[1] / sizes[1]) / (seconds[0] / sizes[0]):.2f}", flush=True)
        serial, parallel = rows[1][1], rows[2][1]
        print(f"speed-up of -n 2 at {options.large:,} scenarios: {serial[1] / parallel[1]:.2f}x")
        zero = PytestRun(0.0, 0.0, 0)
        growth = Growth(*sizes, run_pytest(root / str(sizes[0])), run_pytest(root / str(sizes[1])), zero)
        print(f"peak RSS, serial: {growth.small_run.peak_rss_kib / 1024:.0f} MiB for {sizes[0]:,}, "
              f"{growth.large_run.peak_rss_kib / 1024:.0f} MiB for {sizes[1]:,} scenarios: ratio "
              f"{growth.rss_ratio:.2f}, {growth.rss_slope:.1f} MiB per 1,000 scenarios more")


if __name__ == "__main__":
    main()
