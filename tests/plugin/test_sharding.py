"""Sharding the scenario suite over CI machines with pytest-split (docs/performance.md).

Each machine collects the whole suite and runs its group; that only works when every process
collects the same test ids in the same order, which Gherkin outlines and YAML files must not spoil.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SUITE = ("features", "scenarios")


def _collected(*options: str) -> list[str]:
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         *options, *SUITE], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
    return [line for line in finished.stdout.splitlines() if "::" in line]


@pytest.fixture(scope="module")
def whole_suite() -> list[str]:
    return _collected()


def test_collection_is_the_same_in_every_process(whole_suite: list[str]) -> None:
    assert len(whole_suite) > 250
    assert _collected() == whole_suite


def test_two_shards_run_every_scenario_exactly_once(whole_suite: list[str]) -> None:
    first = _collected("--splits", "2", "--group", "1")
    second = _collected("--splits", "2", "--group", "2")
    assert first and second
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(whole_suite)
