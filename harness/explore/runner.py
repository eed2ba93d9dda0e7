"""Run an exploration: examples until a budget is spent or a disagreement is found, shrunk and written.

`explore(ExploreOptions(merchant=...))` drives the state machine of `harness.explore.machine` with
hypothesis under a seed (the same seed, merchant and vocabulary give the same run), keeps found
failures in hypothesis's example database under `out/.hypothesis/` (replayed first next time),
reports progress on a stream, and writes a found disagreement as `.feature` and `.yaml` files that
reproduce it with the normal plugin; before writing, it runs the printed YAML once more on a fresh
simulator to confirm it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import freezegun.api as freezegun_api
import pytest
from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.stateful import get_state_machine_test

from harness.amazon_pay.transitions import TRANSITIONS, Transition
from harness.errors import HarnessError
from harness.explore.machine import (
    DisagreementError,
    MerchantSession,
    Progress,
    explored_actions,
    machine_for,
)
from harness.explore.printing import PrintedScenario, load_printed, print_scenario
from harness.explore.report import write_report
from harness.explore.steps import ExploreStep
from harness.merchant.adapter import MerchantAdapter, MerchantFactory
from harness.merchant.http import HttpMerchant, is_http_spec
from harness.pytest_plugin import load_factory
from harness.scenario.serving import serving
from harness.scenario.world import ExpectationError, ScenarioWorld
from harness.server.certificates import default_ca_dir
from harness.server.following import following_server
from harness.simulator import Simulator
from harness.vocabulary.declarations import Language
from harness.yaml.runner import FailedStepError, run_scenario

__all__ = ["DEFAULT_OUT", "ExploreError", "ExploreOptions", "ExploreResult", "explore", "merchant_sessions"]

DEFAULT_OUT = Path(".harness/explore")
BATCH = 25
"""Examples per hypothesis run when the budget is in seconds (each run has the next seed)."""
REPORT_EVERY = 2.0
"""Seconds between progress lines."""


def _clock() -> float:
    """Real seconds, also while merchant time (freezegun) is frozen on a simulated clock."""
    return float(freezegun_api.real_perf_counter())


class ExploreError(HarnessError):
    """The exploration cannot run (a bad merchant, a bad budget): the message says what to fix."""


@dataclass(frozen=True)
class ExploreOptions:
    """What to explore, for how long, and where to write what was found."""

    merchant: str = "harness.merchant.reference:reference_merchant"
    """`package.module:factory`, or the http:// URL of a shop's HTTP adapter."""
    examples: int | None = 100
    seconds: float | None = None
    """A time budget instead of a number of examples."""
    seed: int = 0
    language: Language = "en"
    out: Path = DEFAULT_OUT
    steps: int = 12
    """At most this many steps per example."""
    shrink: bool = True
    """Shrink a found failure to its shortest form (False: report the first failing example as found)."""
    progress: TextIO | None = None
    report: Path | None = None
    """Where to write the run's living documentation (its state-machine coverage, the found scenario)."""
    server_port: int = 0
    """With an http:// merchant: the 127.0.0.1 port the simulator is served on (the shop's HTTPS_PROXY)."""
    factory: MerchantFactory | None = None
    """The merchant factory itself (instead of loading `merchant`), for tests and the pytest entry."""


@dataclass
class ExploreResult:
    """What a run covered and what it found."""

    progress: Progress
    seconds: float
    found: PrintedScenario | None = None
    first_failure_after: float | None = None
    """Seconds from the start to the first failing example (before shrinking)."""
    reproduced: bool | None = None
    """Whether the printed scenario, run again on a fresh simulator, fails the same way."""
    files: list[Path] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    steps: tuple[ExploreStep, ...] = ()
    """The found scenario's steps (its expectation not included), to print it again in another language."""
    up_to_date: bool = False
    """Whether the found scenario ends with `merchant up to date` (else `merchant agrees`)."""

    @property
    def examples_per_second(self) -> float:
        """Examples run per second of the whole run (shrinking included)."""
        return self.progress.examples / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One paragraph: coverage reached and what was found."""
        progress = self.progress
        taken = sum(1 for transition in TRANSITIONS if _edge(transition) in progress.transitions)
        lines = [f"{progress.examples} examples, {progress.steps} steps in {self.seconds:.1f} s "
                 f"({self.examples_per_second:.1f} examples/s); {len(progress.actions)} of "
                 f"{len(explored_actions())} actions, {len(progress.pairs)} distinct action pairs; "
                 f"state machine: {taken} of {len(TRANSITIONS)} transitions taken"]
        if self.found is None:
            lines.append("no disagreement found")
        else:
            lines.append(f"found a disagreement ({self.found.steps} steps, first failure after "
                         f"{self.first_failure_after or 0:.1f} s): " + "; ".join(self.disagreements))
            lines.extend(f"wrote {path}" for path in self.files)
            if not self.reproduced:
                lines.append("warning: the printed scenario did not fail again on a fresh simulator")
        return "\n".join(lines)


def _edge(transition: Transition) -> tuple[str, str | None, str]:
    return transition.object_type, transition.from_state, transition.cause.name


@contextmanager
def merchant_sessions(spec: str, factory: MerchantFactory | None = None,
                      server_port: int = 0) -> Iterator[MerchantSession]:
    """How each example gets its merchant: in process from a factory, or an HTTP shop behind one server."""
    if factory is None and is_http_spec(spec):
        with following_server(default_ca_dir(), server_port) as server:
            @contextmanager
            def over_http(simulator: Simulator) -> Iterator[MerchantAdapter]:
                server.follow(simulator)
                yield HttpMerchant.for_scenario(spec, simulator, server.proxy_url)
            yield over_http
        return
    build = factory if factory is not None else _load(spec)

    @contextmanager
    def in_process(simulator: Simulator) -> Iterator[MerchantAdapter]:
        with serving(simulator):
            yield build(simulator)
    yield in_process


def _load(spec: str) -> MerchantFactory:
    try:
        return load_factory(spec)
    except pytest.UsageError as error:
        raise ExploreError(str(error).replace("amazon_pay_merchant = ", "--merchant ")) from None


def explore(options: ExploreOptions) -> ExploreResult:
    """Explore the merchant within the budget; write what was found to `options.out`."""
    if (options.examples is None) == (options.seconds is None):
        raise ExploreError("give either a number of examples or a number of seconds")
    progress = Progress()
    started = _clock()
    reporter = _Reporter(options.progress, started)
    progress.listener = reporter.example
    result = ExploreResult(progress, 0.0)
    with merchant_sessions(options.merchant, options.factory, options.server_port) as session:
        machine = machine_for(session, progress)
        database = DirectoryBasedExampleDatabase(str(options.out / ".hypothesis" / _slug(options.merchant)))
        run_seed = options.seed
        while True:
            budget = options.examples if options.examples is not None else BATCH
            try:
                _run(machine, examples=budget, run_seed=run_seed, database=database, options=options,
                     result=result, started=started)
            except DisagreementError as found:
                _found(found, options, session, result)
                break
            if options.seconds is None or _clock() - started >= options.seconds:
                break
            run_seed += 1
    result.seconds = _clock() - started
    if options.report is not None:
        write_report(options.report, progress, result.found, title=f"Explored: {options.merchant}",
                     summary=result.summary(), errors=result.disagreements, language=options.language)
    reporter.done(result)
    return result


def _run(machine: type, *, examples: int, run_seed: int, database: DirectoryBasedExampleDatabase,
         options: ExploreOptions, result: ExploreResult, started: float) -> None:
    phases = (Phase.reuse, Phase.generate, Phase.shrink) if options.shrink else (Phase.reuse, Phase.generate)
    chosen = settings(max_examples=examples, stateful_step_count=options.steps, deadline=None,
                      database=database, suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                      print_blob=False, report_multiple_bugs=False, phases=phases)

    def first_failure(failure: DisagreementError) -> None:
        if result.first_failure_after is None:
            result.first_failure_after = _clock() - started
    result.progress.on_failure = first_failure
    # @seed on the machine class (hypothesis's way for a state machine) seeds the run; the settings given
    # here, its example database included, are the test's (seed's own `database=None` is the class's)
    test = get_state_machine_test(seed(run_seed)(machine), settings=chosen)
    test()


def _found(found: DisagreementError, options: ExploreOptions, session: MerchantSession,
           result: ExploreResult) -> None:
    printed = print_scenario(found.steps, found.explanation, up_to_date=found.up_to_date,
                             invariant=found.found[0].invariant, seed=options.seed, language=options.language)
    result.found = printed
    result.steps, result.up_to_date = found.steps, found.up_to_date
    result.disagreements = [str(disagreement) for disagreement in found.found]
    result.reproduced = reproduces(printed, session)
    options.out.mkdir(parents=True, exist_ok=True)
    stem = options.out / f"explored-{_slug(options.merchant)}-seed{options.seed}"
    for suffix, text in ((".feature", printed.feature), (".yaml", printed.yaml)):
        path = stem.with_suffix(suffix)
        path.write_text(text, encoding="utf-8")
        result.files.append(path)


def reproduces(printed: PrintedScenario, session: MerchantSession) -> bool:
    """Whether the printed scenario fails at its last step (the expectation) on a fresh simulator."""
    scenario = load_printed(printed).scenarios[0]
    simulator = Simulator()
    with session(simulator) as adapter:
        try:
            run_scenario(scenario, ScenarioWorld(simulator, adapter))
        except FailedStepError as error:
            return error.step is scenario.steps[-1] and isinstance(error.cause, ExpectationError)
    return False


def _slug(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", spec).strip("-")[:60] or "merchant"


class _Reporter:
    """Progress lines on a stream, at most every `REPORT_EVERY` seconds."""

    def __init__(self, stream: TextIO | None, started: float) -> None:
        self.stream = stream
        self.started = started
        self.last = started

    def example(self, progress: Progress) -> None:
        now = _clock()
        if self.stream is not None and now - self.last >= REPORT_EVERY:
            self.last = now
            print(f"explore: {progress.examples} examples, {len(progress.pairs)} action pairs, "
                  f"{progress.failures} failing examples, {now - self.started:.0f} s", file=self.stream)

    def done(self, result: ExploreResult) -> None:
        if self.stream is not None:
            print(f"explore: {result.summary()}", file=self.stream)
