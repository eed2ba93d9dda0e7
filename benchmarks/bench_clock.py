"""Measure the clock's cost model and the merchant-time coupling (run it; it is not a test).

    .venv/bin/python benchmarks/bench_clock.py [--permissions 10000] [--repeats 7]

1. Advancing 180 days over N open permissions whose deadlines all lie beyond the jump, against
   advancing 1 second over the same set: the ratio should be near 1, because the agenda only pops
   what is due. Then the same 180-day jump when every permission's deadlines fall inside it, per
   due event.
2. A scenario's time setup with the process-wide freezegun patch (follow a new clock, move it,
   release) against starting and stopping freezegun per scenario.
3. A test's own setup (a fresh simulator, its httpx and requests mounts entered and left) against
   starting and stopping freezegun once.

Runs alternate between the two sides so machine noise hits both alike; medians are reported.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import freezegun.api
from freezegun import freeze_time

from harness.amazon_pay import PaymentDetails, PaymentIntent, WebCheckoutDetails
from harness.clock import SimulatedClock
from harness.merchant_time import MerchantTime
from harness.money import Money
from harness.simulator import Simulator


def populate(count: int, *, extend_expiration: bool) -> Simulator:
    """A simulator holding `count` completed checkouts with an open permission each."""
    sim = Simulator()
    web = WebCheckoutDetails("https://shop.example/review", "https://shop.example/result")
    intent = PaymentIntent.CONFIRM if extend_expiration else PaymentIntent.AUTHORIZE
    payment = PaymentDetails(intent, charge_amount=Money.of(5000), extend_expiration=extend_expiration)
    for _ in range(count):
        session = sim.api.create_checkout_session(web, payment)
        sim.buyer.sign_in(session.id)
        sim.buyer.approve(session.id)
        sim.api.complete_checkout_session(session.id, Money.of(5000))
    return sim


def timed(action: Callable[[], object]) -> float:
    """Real seconds taken by one call (freezegun's patch does not reach this counter)."""
    # looked up on freezegun's own module at call time: freezegun re-points every other
    # module's reference to the real counter while it is started
    start = freezegun.api.real_perf_counter()
    action()
    return freezegun.api.real_perf_counter() - start


def bench_agenda(count: int, repeats: int) -> None:
    """Part 1: the cost of a jump follows the due events, not the objects or the length."""
    nothing_due_long: list[float] = []
    nothing_due_short: list[float] = []
    all_due: list[float] = []
    due_events: list[int] = []
    for _ in range(repeats):
        # extendExpiration + Confirm: only a 13-month deadline per permission, none within 180 days
        quiet = populate(count, extend_expiration=True)
        quiet.advance(timedelta(0))  # warm-up: first call of the code path
        nothing_due_short.append(timed(partial(quiet.advance, timedelta(seconds=1))))
        nothing_due_long.append(timed(partial(quiet.advance, timedelta(days=180))))
        busy = populate(count, extend_expiration=False)
        fired_before = busy.clock.fired_count
        all_due.append(timed(partial(busy.advance, timedelta(days=180))))
        due_events.append(busy.clock.fired_count - fired_before)
    short, long_ = statistics.median(nothing_due_short), statistics.median(nothing_due_long)
    busy_time, fired = statistics.median(all_due), statistics.median(due_events)
    print(f"agenda, {count:,} open permissions, median of {repeats}:")
    print(f"  advance 1 s, nothing due          {short * 1e6:10.1f} µs")
    print(f"  advance 180 days, nothing due     {long_ * 1e6:10.1f} µs   ratio {long_ / short:5.2f}")
    print(f"  advance 180 days, {fired:,.0f} due events {busy_time * 1e3:8.1f} ms   "
          f"{busy_time / fired * 1e6:.1f} µs per due event")


def bench_merchant_time(scenarios: int, repeats: int) -> None:
    """Part 2: moving the process-wide freezegun patch vs starting freezegun per scenario."""
    def with_following() -> None:
        for _ in range(scenarios):
            clock = SimulatedClock()
            with MerchantTime.follow(clock):
                clock.advance(timedelta(hours=24))

    def with_restart() -> None:
        for _ in range(scenarios):
            clock = SimulatedClock()
            freezer = freeze_time(clock.now())
            factory = freezer.start()
            clock.advance(timedelta(hours=24))
            factory.move_to(clock.now())
            freezer.stop()

    follow_times: list[float] = []
    restart_times: list[float] = []
    for _ in range(repeats):
        follow_times.append(timed(with_following))
        MerchantTime.stop()  # the restart side must not run under an active patch
        restart_times.append(timed(with_restart))
    follow, restart = statistics.median(follow_times), statistics.median(restart_times)
    print(f"merchant time, {scenarios} scenarios, median of {repeats}:")
    print(f"  freezegun started once, moved     {follow / scenarios * 1e6:10.1f} µs per scenario")
    print(f"  freezegun started per scenario    {restart / scenarios * 1e6:10.1f} µs per scenario"
          f"   ratio {restart / follow:6.1f}x")


def measure_setup(repeats: int = 200) -> tuple[float, float]:
    """Median seconds of a test's own setup (a fresh simulator, its mounts entered and left)
    and of starting and stopping freezegun once, alternating."""
    def harness_setup() -> None:
        with Simulator().mock():
            pass

    def freezegun_start() -> None:
        freezer = freeze_time("2026-01-05")
        freezer.start()
        freezer.stop()

    MerchantTime.stop()
    harness_setup()
    freezegun_start()  # warm-up: first calls of both paths
    setups: list[float] = []
    starts: list[float] = []
    for _ in range(repeats):
        setups.append(timed(harness_setup))
        starts.append(timed(freezegun_start))
    return statistics.median(setups), statistics.median(starts)


def main() -> None:
    """Parse the options and run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permissions", type=int, default=10_000)
    parser.add_argument("--scenarios", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    bench_agenda(options.permissions, options.repeats)
    bench_merchant_time(options.scenarios, options.repeats)
    setup, start = measure_setup()
    print(f"per-test setup (simulator + mounts) {setup * 1e6:8.1f} µs; freezegun start + stop "
          f"{start * 1e6:8.1f} µs; ratio {setup / start:.2f}")


if __name__ == "__main__":
    main()
