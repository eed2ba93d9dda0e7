"""Measure what the simulated wire costs over a canned respx answer (run it; it is not a test).

    .venv/bin/python benchmarks/bench_wire.py [--requests 200] [--rounds 15]

One signed Get Charge (legacy algorithm, headers computed once, as a retrying SDK resends them)
is sent through httpx to `sim.mock()`, where the handler routes it, checks its headers, date and
signature and renders the simulator's Charge; to a static respx route that returns the same body;
and to a respx callback that returns it (the floor of any handler behind a respx side effect); and,
with the `bench` extra installed, a boto3 `get_object` against moto's in-process S3 mock, the tool
AWS users reach for in the same place.
Batches rotate between the sides so machine noise hits all alike; the medians of the
per-request times are reported with the ratio simulated / static (target: at most 1.25).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext

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


def batch(router: AbstractContextManager[object], send: Callable[[], object], count: int) -> float:
    """Median-friendly: seconds per request over `count` requests with `router` mounted."""
    with router:
        start = time.perf_counter()
        for _ in range(count):
            send()
        return (time.perf_counter() - start) / count


def moto_side(stack: ExitStack) -> tuple[AbstractContextManager[object], Callable[[], object]] | None:
    """A boto3 `get_object` against moto's in-process S3 mock (started on `stack`: entering it
    again would empty it), or None without the bench extra."""
    try:
        import boto3  # noqa: PLC0415  # optional: pip install -e '.[bench]'
        from moto import mock_aws  # noqa: PLC0415
    except ImportError:
        return None
    stack.enter_context(mock_aws())
    s3 = boto3.client("s3", region_name="ap-northeast-1", aws_access_key_id="bench",
                      aws_secret_access_key="bench")
    s3.create_bucket(Bucket="bench", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    s3.put_object(Bucket="bench", Key="charge.json", Body=b"{}")

    def get() -> bytes:
        body: bytes = s3.get_object(Bucket="bench", Key="charge.json")["Body"].read()
        return body

    return nullcontext(), get


def measure(requests: int = 200, rounds: int = 15) -> dict[str, float]:
    """Median seconds per request of each side (static, callback, simulated, moto), and verify alone."""
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
    sides: dict[str, tuple[AbstractContextManager[object], Callable[[], object]]] = {
        "static": (static, send), "callback": (callback, send), "simulated": (simulated, send)}
    times: dict[str, list[float]] = {}
    with ExitStack() as stack:
        moto = moto_side(stack)
        if moto is not None:
            sides["moto"] = moto
        times = {name: [] for name in sides}
        for round_index in range(rounds):
            names = list(sides)
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            for name in order:
                times[name].append(batch(*sides[name], requests))

    lookup = sim.keys.public_key
    verify_times = []
    for _ in range(requests):
        start = time.perf_counter()
        verify_request("GET", url, None, headers, b"", public_key_lookup=lookup)
        verify_times.append(time.perf_counter() - start)
    return {**{name: statistics.median(values) for name, values in times.items()},
            "verify": statistics.median(verify_times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    medians = measure(args.requests, args.rounds)
    rows = [
        ("static respx route (canned body)", medians["static"]),
        ("respx callback returning the canned body", medians["callback"]),
        ("simulated (route, checks, signature, JSON)", medians["simulated"]),
        ("  verify_request alone", medians["verify"]),
    ]
    if "moto" in medians:
        rows.append(("boto3 get_object on moto's S3 mock", medians["moto"]))
    print(f"Get Charge through httpx + respx, {args.requests} requests x {args.rounds} rounds, "
          "median per request:")
    for label, seconds in rows:
        print(f"  {label:44} {seconds * 1e6:9.1f} µs")
    print(f"  {'ratio simulated / static':44} {medians['simulated'] / medians['static']:9.2f}"
          "   (target <= 1.25)")
    print(f"  {'ratio callback / static (floor of any handler)':44} "
          f"{medians['callback'] / medians['static']:9.2f}")
    if "moto" in medians:
        print(f"  {'ratio moto / static':44} {medians['moto'] / medians['static']:9.2f}")


if __name__ == "__main__":
    main()
