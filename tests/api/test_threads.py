"""Several threads at once call the API through `sim.mock()`, move the clock and read Seller Central:
no update is lost, every snapshot of the view is consistent, and the view agrees with the ledger."""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta

import httpx
import pytest

from harness.amazon_pay.states import ChargeState
from harness.api.keys import RegisteredKey
from harness.api.signer import sign_request
from harness.money import Money
from harness.seller_central.view import TransactionRow
from harness.simulator import Simulator
from tests.api.wire_objects import REVIEW_URL, completed_session

API = "https://pay-api.amazon.jp/v2"
SESSION = {"webCheckoutDetails": {"checkoutReviewReturnUrl": REVIEW_URL}}
THREADS = 4
SESSIONS_PER_THREAD = 15
CHARGES_PER_THREAD = 3
CHECKOUTS_DURING = 20


def post(sim: Simulator, path: str, body: Mapping[str, object], key: str) -> httpx.Response:
    """A signed POST with its idempotency key signed, as the SDKs send it."""
    url, content = f"{API}/{path}", json.dumps(body).encode()
    headers = sign_request("POST", url, public_key_id=sim.key_pair.public_key_id, body=content,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now(),
                           headers={"x-amz-pay-idempotency-key": key})
    return httpx.post(url, headers=headers, content=content)


def run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Start every worker at the same moment, switching threads as often as Python can (so that
    races show); the exceptions they raised."""
    start, errors = threading.Barrier(len(workers)), []

    def run(work: Callable[[], None]) -> None:
        start.wait()
        try:
            work()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(switching)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return errors


def consistent(rows: list[TransactionRow]) -> None:
    """One snapshot of the view: distinct rows, never more refunded than captured."""
    assert len({row.reference_id for row in rows}) == len(rows)
    for row in rows:
        assert row.refunded <= row.captured, row


def test_api_clock_and_view_from_several_threads_at_once() -> None:
    sim = Simulator(seed=7)
    charges = [completed_session(sim, 5000).charge_id for _ in range(THREADS * CHARGES_PER_THREAD)]
    keys = itertools.count()
    created: list[str] = []
    captured: list[str] = []
    refunded: list[str] = []
    snapshots: list[int] = []
    completed: list[str] = []

    def merchant(mine: list[str | None]) -> Callable[[], None]:
        def work() -> None:
            for _ in range(SESSIONS_PER_THREAD):
                answer = post(sim, "checkoutSessions", {**SESSION, "storeId": sim.ids.store_id()},
                              f"s-{next(keys)}")
                assert answer.status_code == 201, answer.text
                created.append(answer.json()["checkoutSessionId"])
            for charge_id in mine:
                capture = {"captureAmount": {"amount": "5000", "currencyCode": "JPY"}}
                answer = post(sim, f"charges/{charge_id}/capture", capture, f"c-{next(keys)}")
                assert answer.status_code == 200, answer.text
                captured.append(str(charge_id))
                refund = {"chargeId": charge_id, "refundAmount": {"amount": "1000", "currencyCode": "JPY"}}
                answer = post(sim, "refunds", refund, f"r-{next(keys)}")
                assert answer.status_code == 201, answer.text
                refunded.append(answer.json()["refundId"])
        return work

    def buyer() -> None:  # the actors take no lock of their own: hold the simulator's (documented)
        for _ in range(CHECKOUTS_DURING):
            with sim.lock:
                completed.append(str(completed_session(sim, 3000).charge_permission_id))

    def clock() -> None:
        for _ in range(60):
            sim.advance(timedelta(minutes=1))

    def viewer() -> None:
        for _ in range(60):
            rows = sim.seller_central.rows()
            consistent(rows)
            sim.seller_central.table()
            snapshots.append(len(rows))

    slices = [charges[index::THREADS] for index in range(THREADS)]
    with sim.mock(other_hosts="block"):
        errors = run_together([*(merchant(mine) for mine in slices), buyer, clock, viewer])

    assert errors == []
    assert len(created) == len(set(created)) == THREADS * SESSIONS_PER_THREAD
    assert set(created) <= set(sim.ledger.checkout_sessions)
    assert sorted(captured) == sorted(str(charge) for charge in charges)
    assert len(set(refunded)) == len(refunded) == len(charges)
    assert all(sim.ledger.charge(str(charge)).charge_state is ChargeState.CAPTURED for charge in charges)
    assert snapshots == sorted(snapshots)  # the view never loses a row it showed
    assert sim.now() == sim.clock.started_at + timedelta(minutes=60)
    sim.advance(timedelta(days=1))  # every refund completes (some did during the minutes above)
    view = {row.reference_id: row for row in sim.seller_central.rows()}
    assert set(view) == set(sim.ledger.charge_permissions)
    for row in view.values():
        expected = (Money.of(0), Money.of(0)) if row.reference_id in completed else (Money.of(5000),
                                                                                      Money.of(1000))
        assert (row.captured, row.refunded) == expected, row


def test_one_request_sent_by_several_threads_at_once_creates_one_session() -> None:
    """The idempotency check and the operation stay one atomic step under the narrowed lock."""
    sim = Simulator(seed=3)
    url, content = f"{API}/checkoutSessions", json.dumps({**SESSION, "storeId": sim.ids.store_id()}).encode()
    headers = sign_request("POST", url, public_key_id=sim.key_pair.public_key_id, body=content,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now(),
                           headers={"x-amz-pay-idempotency-key": "same-key-for-every-thread"})
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(httpx.post(url, headers=headers, content=content))

    with sim.mock(other_hosts="block"):
        assert run_together([send] * 8) == []
    assert [answer.status_code for answer in answers] == [201] * 8
    assert len({answer.json()["checkoutSessionId"] for answer in answers}) == 1
    assert len(sim.ledger.checkout_sessions) == 1


def test_signatures_are_checked_while_another_thread_holds_the_simulators_lock(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Routing, header, date and signature checks read no shared state: they run before the lock."""
    sim = Simulator(seed=5)
    charge_id = completed_session(sim, 5000).charge_id
    url = f"{API}/charges/{charge_id}"
    headers = sign_request("GET", url, public_key_id=sim.key_pair.public_key_id,
                           private_key=sim.key_pair.private_key, region="jp", now=sim.now())
    looked_up, answers = threading.Event(), []
    lookup = sim.keys.lookup

    def noting(key_id: str) -> RegisteredKey | None:
        looked_up.set()
        return lookup(key_id)

    monkeypatch.setattr(sim.keys, "lookup", noting)
    with sim.mock(other_hosts="block"):
        worker = threading.Thread(target=lambda: answers.append(httpx.get(url, headers=headers)))
        with sim.lock:
            worker.start()
            assert looked_up.wait(timeout=30), "the key was not looked up while the lock was held"
            assert answers == []  # the answer itself waits for the lock
        worker.join(timeout=30)
    assert [answer.status_code for answer in answers] == [200]
