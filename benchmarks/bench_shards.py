"""Sharding the scenario suite with pytest-split, shown on two local "machines" (not a test).

    .venv/bin/python benchmarks/bench_shards.py [--shards 2]

1. One run of `features scenarios` with `--store-durations` writes the timings pytest-split
   balances on (a CI job keeps that file in the repository or its cache).
2. The whole suite in one process, and the same suite as `--shards` processes started together,
   each `--splits N --group i` (what N CI machines run), alternating; medians of 3.
Each shard's JUnit file is read back: every scenario ran exactly once over all shards.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]
SUITE = ("features", "scenarios")
BASE = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist")


def _cases(junit: Path) -> list[str]:
    return [f"{case.get('classname')}::{case.get('name')}" for case in ET.parse(junit).iter("testcase")]


def run_sharded(shards: int, durations: Path, scratch: Path) -> tuple[float, Counter[str]]:
    """Wall-clock seconds of `shards` processes run at once, and how often each test ran."""
    began = time.perf_counter()
    processes = [subprocess.Popen([*BASE, "--splits", str(shards), "--group", str(group),
                                   "--durations-path", str(durations),
                                   f"--junitxml={scratch / f'shard{group}.xml'}", *SUITE],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for group in range(1, shards + 1)]
    if any(process.wait() != 0 for process in processes):
        raise SystemExit("a shard failed")
    elapsed = time.perf_counter() - began
    ran = Counter(case for group in range(1, shards + 1) for case in _cases(scratch / f"shard{group}.xml"))
    return elapsed, ran


def run_whole(scratch: Path) -> tuple[float, list[str]]:
    """Wall-clock seconds of the suite in one process, and its tests."""
    began = time.perf_counter()
    subprocess.run([*BASE, f"--junitxml={scratch / 'whole.xml'}", *SUITE], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began, _cases(scratch / "whole.xml")


def main() -> None:
    """Store durations, then alternate the whole and the sharded runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        durations = scratch / "test_durations.json"
        subprocess.run([*BASE, "--store-durations", "--durations-path", str(durations), *SUITE], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        whole_times, sharded_times = [], []
        for _ in range(options.repeats):
            seconds, whole = run_whole(scratch)
            whole_times.append(seconds)
            seconds, ran = run_sharded(options.shards, durations, scratch)
            sharded_times.append(seconds)
            twice = [case for case, count in ran.items() if count > 1]
            missing = set(whole) - set(ran)
            if twice or missing:
                raise SystemExit(f"ran twice: {twice[:5]}; never ran: {sorted(missing)[:5]}")
    print(f"{len(whole)} tests; every one ran exactly once over {options.shards} shards")
    print(f"  one process          {statistics.median(whole_times):6.2f} s (median of {options.repeats})")
    print(f"  {options.shards} shards at once     {statistics.median(sharded_times):6.2f} s")


if __name__ == "__main__":
    main()
