"""Measure what the reports cost: the scenario suite with and without every report (not a test).

    .venv/bin/python benchmarks/bench_report.py [--repeats 3]

Two pytest runs of `features scenarios tests/rules`, alternating, medians reported side by side:

1. no report options: nothing is recorded;
2. `--cucumberjson --junitxml --amazon-pay-report`: every scenario leaves a record (timeline, state
   changes, API calls, transaction views) and the controller writes the three files, the living
   documentation with its four Graphviz diagrams.

Wall-clock time of each whole run (start-up and writing included), and the files' sizes.
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
SUITE = ("features", "scenarios", "tests/rules")


def _run(extra: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITE, *extra],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    """Time both variants, alternating, and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        reports = [f"--cucumberjson={out / 'cucumber.json'}", f"--junitxml={out / 'junit.xml'}",
                   f"--amazon-pay-report={out / 'living-doc.html'}"]
        plain, reported = [], []
        for _ in range(repeats):
            plain.append(_run([]))
            reported.append(_run(reports))
        sizes = {path.name: path.stat().st_size for path in out.iterdir()}
    without, with_reports = statistics.median(plain), statistics.median(reported)
    print(f"without reports: {without:6.2f} s (median of {repeats})")
    print(f"with reports:    {with_reports:6.2f} s (median of {repeats})")
    print(f"ratio:           {with_reports / without:6.2f}")
    for name, size in sorted(sizes.items()):
        print(f"{name:16} {size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
