"""Every performance target in one table, measured in one run on this machine (not a test).

    .venv/bin/python benchmarks/table.py [--quick]

Runs the measurements of the other benchmarks one after the other (each side by side with its
baseline, alternating where both sides run in this process) and prints one Markdown table of the
ratios with their targets, and the machine they ran on. `--quick` uses smaller sizes (a minute
instead of about five; the ratios are noisier). The moto row needs the `bench` extra
(`pip install -e '.[bench]'`); without it the row says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass

import bench_clock
import bench_features
import bench_server
import bench_wire
import bench_yaml


@dataclass(frozen=True)
class Row:
    """One measured ratio and its target."""

    id: str
    measure: str
    value: float | None
    target: str
    detail: str

    def line(self) -> str:
        """The row as Markdown."""
        value = "not measured" if self.value is None else f"{self.value:.2f}"
        return f"| {self.id} | {self.measure} | {value} | {self.target} | {self.detail} |"


def _machine() -> str:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"load average {load}")


def wire_rows(quick: bool) -> list[Row]:
    """P1 and the moto side-by-side."""
    medians = bench_wire.measure(requests=100 if quick else 200, rounds=6 if quick else 15)
    static = medians["static"]
    rows = [Row("P1", "signed simulated getCharge through respx ÷ the same request to a static respx "
                "route (headers signed once)", medians["simulated"] / static, "≤ 1.25",
                f"{medians['simulated'] * 1e6:.0f} µs vs {static * 1e6:.0f} µs; a respx callback alone "
                f"{medians['callback'] / static:.2f}; verify_request alone {medians['verify'] * 1e6:.0f} µs")]
    moto = medians.get("moto")
    rows.append(Row("M1", "boto3 get_object on moto's in-process S3 mock ÷ the static respx route",
                    None if moto is None else moto / static, "P1 well under it",
                    "needs the bench extra" if moto is None else f"{moto * 1e6:.0f} µs"))
    return rows


def feature_rows(quick: bool) -> list[Row]:
    """P2 and P2b."""
    runs = bench_features.measure(repeats=1 if quick else 3)
    empty = runs.empty.per_test
    return [
        Row("P2", f"a features/ scenario on the harness ÷ the same scenario on empty pytest-bdd steps "
            f"({runs.scenarios} scenarios, mean per scenario)", runs.harness.per_test / empty, "≤ 3",
            f"{runs.harness.per_test * 1e3:.2f} ms vs {empty * 1e3:.2f} ms"),
        Row("P2b", "an empty scenario with the harness plugin loaded ÷ without it",
            runs.empty_with_plugin.per_test / empty, "≤ 1.2",
            f"{runs.empty_with_plugin.per_test * 1e3:.2f} ms vs {empty * 1e3:.2f} ms"),
    ]


def setup_rows(quick: bool) -> list[Row]:
    """P3."""
    setup, start = bench_clock.measure_setup(repeats=50 if quick else 200)
    return [Row("P3", "per-test setup (simulator + mounts) ÷ starting freezegun", setup / start, "≤ 0.03",
                f"{setup * 1e3:.2f} ms vs {start * 1e3:.2f} ms")]


def yaml_rows(quick: bool) -> list[Row]:
    """P5: time and memory."""
    small, large = (200, 2_000) if quick else (1_000, 10_000)
    growth = bench_yaml.measure(small, large)
    plain = bench_yaml.measure(small, large, plain=True)
    scale = large / small
    return [
        Row("P5", f"{large:,} ÷ {small:,} YAML scenarios: wall time, start-up taken off (serial)",
            growth.time_ratio, f"≤ {scale * 1.05:.1f}",
            f"{growth.large_run.seconds:.1f} s vs {growth.small_run.seconds:.1f} s (the mean of a run before "
            f"and after), start-up {growth.start_up.seconds:.1f} s; CPU time {growth.cpu_ratio:.2f} "
            f"({growth.large_run.cpu_seconds:.1f} s vs {growth.small_run.cpu_seconds:.1f} s)"),
        Row("P5m", f"{large:,} ÷ {small:,} YAML scenarios: peak RSS of the pytest process", growth.rss_ratio,
            "≤ 1.3", f"{growth.large_run.peak_rss_kib / 1024:.0f} MiB vs "
            f"{growth.small_run.peak_rss_kib / 1024:.0f} MiB; {growth.rss_slope:.1f} MiB per 1,000 more"),
        Row("P5p", f"pytest alone (no harness plugins): {large:,} ÷ {small:,} empty test functions, peak RSS",
            plain.rss_ratio, "P5m's floor", f"{plain.large_run.peak_rss_kib / 1024:.0f} MiB vs "
            f"{plain.small_run.peak_rss_kib / 1024:.0f} MiB; {plain.rss_slope:.1f} MiB per 1,000 more"),
    ]


def server_rows(quick: bool) -> list[Row]:
    """The server-mode ratio."""
    served, static = bench_server.measure(requests=2_000 if quick else 10_000)
    return [Row("S1", "`harness serve` throughput, signed getCheckoutSession ÷ a static JSON endpoint on "
                "the same uvicorn stack (20 keep-alive clients)", served[0] / static[0], "≥ 0.6",
                f"{served[0]:,.0f} vs {static[0]:,.0f} requests/s; "
                f"p99 {served[2]:.1f} vs {static[2]:.1f} ms{_cpu(served, static)}")]


def _cpu(served: bench_server.Load, static: bench_server.Load) -> str:
    """The servers' CPU per request, where it was measured."""
    if served[3] is None or static[3] is None:
        return ""
    return f"; server CPU {served[3]:.0f} vs {static[3]:.0f} µs per request ({static[3] / served[3]:.2f})"


def main() -> None:
    """Measure every part, then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: about a minute")
    options = parser.parse_args()
    began = time.perf_counter()
    machine = _machine()
    rows: list[Row] = []
    for part in (wire_rows, feature_rows, setup_rows, yaml_rows, server_rows):
        print(f"measuring {part.__doc__}", file=sys.stderr, flush=True)
        rows.extend(part(options.quick))
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in "
          f"{time.perf_counter() - began:.0f} s{' (--quick)' if options.quick else ''}; at start: {machine}; "
          f"at end: load average {' / '.join(f'{value:.1f}' for value in os.getloadavg())}\n")
    print("| Id | Measure | Ratio | Target | Detail |\n|---|---|---|---|---|")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
