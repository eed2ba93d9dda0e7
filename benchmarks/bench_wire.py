"""Measure what the simulated wire costs over a canned respx answer (run it; it is not a test).

    .venv/bin/python benchmarks/bench_wire.py [--requests 200] [--rounds 15]

One signed Get Charge (legacy algorithm, headers computed once, as a retrying SDK resends them)
is sent through httpx to `sim.mock()`, where the handler routes it, checks its headers, date and
signature and renders the simulator's Charge; to a static respx route that returns the same body;
and to a respx callback that returns it (the floor of any handler behind a respx side effect).
Batches rotate between the sides so machine noise hits all alike; the medians of the
per-request times are reported with the ratio simulated / static (target: at most 1.25).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
import respx

from harness.api.signer import sign_request
from harness.api.verifier import verify_request
from harness.merchant.client import AmazonPayClient
from harness.simulator import Simulator

YEN = {"amount": "5000", "currencyCode": "JPY"}


def charge_id_of(sim: Simulator) -> str:
    """A real, authorized charge in `sim` (checkout completed through the wire)."""
    with sim.mock():
        client = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key,
                                 now=sim.clock.now)
        session = client.create_checkout_session({
            "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review",
                                   "checkoutResultReturnUrl": "https://shop.example/result"},
            "storeId": sim.api.default_store_id,
            "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": YEN}})
        sim.buyer.sign_in(session["checkoutSessionId"])
        sim.buyer.approve(session["checkoutSessionId"])
        completed = client.complete_checkout_session(session["checkoutSessionId"],
                                                     {"chargeAmount": YEN})
        charge_id: str = completed["chargeId"]
        return charge_id


def batch(router: AbstractContextManager[object], send: Callable[[], httpx.Response], count: int) -> float:
    """Median-friendly: seconds per request over `count` requests with `router` mounted."""
    with router:
        start = time.perf_counter()
        for _ in range(count):
            send()
        return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    sim = Simulator()
    url = f"https://pay-api.amazon.jp/v2/charges/{charge_id_of(sim)}"
    headers = sign_request("GET", url, public_key_id=sim.key_pair.public_key_id,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now())
    http = httpx.Client()

    def send() -> httpx.Response:
        return http.get(url, headers=headers)

    simulated = sim.mock()
    with simulated:
        first = send()
    assert first.status_code == 200, first.text
    canned = {"content-type": "application/json", "x-amz-pay-request-id": "static"}
    static = respx.MockRouter(assert_all_called=False)
    static.get(url).mock(return_value=httpx.Response(200, content=first.content, headers=canned))
    callback = respx.MockRouter(assert_all_called=False)
    callback.get(url).mock(
        side_effect=lambda request: httpx.Response(200, content=first.content, headers=canned))
    routers: dict[str, AbstractContextManager[object]] = {"static": static, "callback": callback,
                                                          "simulated": simulated}

    sides: dict[str, list[float]] = {name: [] for name in routers}
    for round_index in range(args.rounds):
        names = list(routers)
        order = names[round_index % len(names):] + names[:round_index % len(names)]
        for name in order:
            sides[name].append(batch(routers[name], send, args.requests))

    lookup = sim.keys.public_key
    verify_times = []
    for _ in range(args.requests):
        start = time.perf_counter()
        verify_request("GET", url, None, headers, b"", public_key_lookup=lookup)
        verify_times.append(time.perf_counter() - start)

    medians = {name: statistics.median(times) for name, times in sides.items()}
    rows = [
        ("static respx route (canned body)", medians["static"]),
        ("respx callback returning the canned body", medians["callback"]),
        ("simulated (route, checks, signature, JSON)", medians["simulated"]),
        ("  verify_request alone", statistics.median(verify_times)),
    ]
    print(f"Get Charge through httpx + respx, {args.requests} requests x {args.rounds} rounds, "
          "median per request:")
    for label, seconds in rows:
        print(f"  {label:44} {seconds * 1e6:9.1f} µs")
    print(f"  {'ratio simulated / static':44} {medians['simulated'] / medians['static']:9.2f}"
          "   (target <= 1.25)")
    print(f"  {'ratio callback / static (floor of any handler)':44} "
          f"{medians['callback'] / medians['static']:9.2f}")

if __name__ == "__main__":
    main()
