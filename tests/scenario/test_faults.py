"""Faults from scenarios: the fault steps, the shop's retries under one idempotency key, and their checks."""

from __future__ import annotations

import httpx
import pytest

from harness.amazon_pay import PaymentIntent
from harness.api.faults import ANY_OPERATION, FaultKind
from harness.merchant import CheckoutRequest, reference_merchant
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.money import Money
from harness.scenario import ExpectationError, ScenarioWorld, serving
from harness.scenario.faults import parse_fault_status, parse_operation, parse_times
from harness.scenario.parsing import ScenarioValueError
from harness.simulator import Simulator
from tests.yaml.helpers import FILE, error_of

YEN_5000 = CheckoutRequest(Money.of(5000))
CONFIRM = CheckoutRequest(Money.of(5000), intent=PaymentIntent.CONFIRM)
RECURRING = CheckoutRequest(Money.of(5000), intent=PaymentIntent.CONFIRM, recurring=True)


# --- the values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "meant"), [
    ("captureCharge", "captureCharge"), ("capture", "captureCharge"), ("売上請求", "captureCharge"),
    ("refund", "createRefund"), ("CREATECHARGE", "createCharge"), ("any call", ANY_OPERATION),
    ("決済開始", "createCheckoutSession"),
])
def test_an_operation_is_its_sdk_name_or_the_vocabularys_word(written: str, meant: str) -> None:
    assert parse_operation(written) == meant


@pytest.mark.parametrize(("written", "hint"), [("captureChrage", "captureCharge"), ("captur", "capture")])
def test_a_misspelt_operation_gets_a_suggestion(written: str, hint: str) -> None:
    with pytest.raises(ScenarioValueError, match=f"is not an Amazon Pay operation.*did you mean '{hint}'"):
        parse_operation(written)


def test_statuses_are_the_reason_codes_of_retried_answers() -> None:
    assert [parse_fault_status(text) for text in ("429", "500", "503", "ServiceUnavailable")] == [
        FaultKind.TOO_MANY_REQUESTS, FaultKind.INTERNAL_SERVER_ERROR, FaultKind.SERVICE_UNAVAILABLE,
        FaultKind.SERVICE_UNAVAILABLE]
    with pytest.raises(ScenarioValueError, match="'502' is not an error status"):
        parse_fault_status("502")


def test_how_often_is_written_as_people_do() -> None:
    assert [parse_times(text) for text in ("once", "twice", "3 times", "1 time", "2回")] == [1, 2, 3, 1, 2]
    with pytest.raises(ScenarioValueError, match="write once, twice, 3 times or 1回"):
        parse_times("thrice")


@pytest.mark.parametrize(("step", "expected"), [
    ("  - amazon: {time out: captrue}\n", "3:24: amazon: time out: 'captrue' is not an Amazon Pay operation"),
    ("  - amazon: {answer error: createCharge, status: 502}\n", "3:50: amazon: answer error, status: '502' "
                                                                "is not an error status"),
    ("  - amazon: {answer error: createCharge}\n", "3:13: 'amazon: answer error' needs 'status'"),
    ("  - expect: {api calls: 2, operation: captureCharge, same idempotency key: true, different "
     "idempotency keys: true}\n", "give either 'same idempotency key' or 'different idempotency keys'"),
])
def test_a_wrong_fault_step_in_yaml_says_where_and_what(step: str, expected: str) -> None:
    message = error_of("name: x\nsteps:\n" + step)
    assert message.startswith(FILE) and expected in message, message


# --- the shop's retries -----------------------------------------------------------------------------


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


def _world(simulator: Simulator) -> ScenarioWorld:
    return ScenarioWorld(simulator, reference_merchant(simulator))


def test_a_retried_capture_shows_in_the_timeline_and_the_shops_record(sim: Simulator) -> None:
    with serving(sim):
        world = _world(sim)
        world.buyer.checks_out("A", YEN_5000)
        world.amazon.plans_fault("captureCharge", FaultKind.SERVICE_UNAVAILABLE, times=2)
        world.merchant.captures("A")
        record = world.merchant.record(world.orders.get("A"))
        assert record is not None and record.status == "captured" and record.errors == []
        assert [(error.operation, error.status, error.reason_code) for error in record.retried] == [
            ("captureCharge", 503, "ServiceUnavailable")] * 2
        timeline = world.timeline.render()
        planned = "Amazon Pay will answer 503 ServiceUnavailable to the next 2 calls of captureCharge"
        assert planned in timeline
        assert "sent captureCharge 3 times under the same idempotency key" in timeline
        assert "retried after captureCharge: 503 ServiceUnavailable" in timeline
        world.expect.api_calls("A", "captureCharge", 3, same_key=True)
        world.expect.charged("A", 1)


def test_the_call_count_and_keys_are_checked_with_every_call_listed(sim: Simulator) -> None:
    with serving(sim):
        world = _world(sim)
        world.buyer.checks_out("A", YEN_5000)
        world.amazon.plans_fault("captureCharge", FaultKind.TIMEOUT, after_processing=True)
        world.merchant.captures("A")
        with pytest.raises(ExpectationError) as wrong_count:
            world.expect.api_calls("A", "captureCharge", 1)
        message = str(wrong_count.value)
        assert message.startswith("expected Amazon Pay to have received 1 captureCharge call(s) for order A, "
                                  "but it received 2 under 1 key(s):")
        assert "-> no answer (timed out or dropped) (idempotency key " in message
        assert "/capture -> 200 (idempotency key " in message
        with pytest.raises(ExpectationError, match="each under its own idempotency key"):
            world.expect.api_calls("A", "captureCharge", 2, different_keys=True)
        world.expect.api_calls("A", "getCharge", 1)  # the shop read the charge once, at its return


def test_calls_are_told_apart_by_order(sim: Simulator) -> None:
    with serving(sim):
        world = _world(sim)
        world.buyer.checks_out("A", YEN_5000)
        world.buyer.checks_out("AB", YEN_5000)
        world.amazon.plans_fault(ANY_OPERATION, FaultKind.TOO_MANY_REQUESTS, times=1)
        world.merchant.captures("AB")
        world.expect.api_calls("AB", "captureCharge", 2, same_key=True)
        world.expect.api_calls("A", "captureCharge", 0)
        world.expect.api_calls("A", "createCheckoutSession", 1)


def test_retries_run_out_after_three(sim: Simulator) -> None:
    with serving(sim):
        world = _world(sim)
        world.buyer.checks_out("A", YEN_5000)
        world.amazon.plans_fault("captureCharge", FaultKind.DROP, times=4)
        world.merchant.captures("A")
        world.expect.api_calls("A", "captureCharge", 4, same_key=True)
        world.expect.merchant_received("A", "RemoteProtocolError")
        world.expect.merchant_record("A", "authorized")


def test_a_retry_under_a_new_key_charges_twice_where_the_same_key_charges_once(sim: Simulator) -> None:
    """Why the key matters: Amazon Pay processed the lost call, so only the same key replays it (§5.3).

    On a Recurring permission nothing else stops the second charge; on a OneTime one the amountLimit
    does (the permission closed when its amount was captured), so there a new key is refused instead.
    """
    with serving(sim), httpx.Client() as http:
        world = _world(sim)
        for name, request in (("A", RECURRING), ("B", RECURRING), ("C", CONFIRM)):
            world.buyer.checks_out(name, request)
        client = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, http=http)

        def charge_after_a_lost_answer(name: str, first_key: str, second_key: str) -> None:
            permission = world.orders.require_permission(world.orders.get(name)).id
            body = {"chargePermissionId": permission, "captureNow": True,
                    "chargeAmount": {"amount": "5000", "currencyCode": "JPY"}}
            sim.faults.drop("createCharge", after_processing=True)
            with pytest.raises(httpx.RemoteProtocolError):
                client.create_charge(body, idempotency_key=first_key)
            client.create_charge(body, idempotency_key=second_key)

        charge_after_a_lost_answer("A", "same-key", "same-key")
        charge_after_a_lost_answer("B", "first-key", "second-key")
        with pytest.raises(AmazonPayApiError) as refused:
            charge_after_a_lost_answer("C", "one-key", "another-key")
        assert refused.value.reason_code == "InvalidChargePermissionStatus"
        world.expect.charged("A", 1)
        world.expect.api_calls("A", "createCharge", 2, same_key=True)
        world.expect.api_calls("B", "createCharge", 2, different_keys=True)
        world.expect.charged("C", 1)
        with pytest.raises(ExpectationError) as doubled:
            world.expect.charged("B", 1)
        assert str(doubled.value).startswith("expected order B to have been charged 1 time(s), but Amazon "
                                             "Pay holds 2 charge(s) that take the buyer's money: ")


def test_the_client_retries_only_what_the_sdks_retry(sim: Simulator) -> None:
    waits: list[float] = []
    with serving(sim), httpx.Client() as http:
        client = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, http=http, retries=3,
                                 sleep=waits.append)
        sim.faults.throttle("getCharge", times=3)
        with pytest.raises(AmazonPayApiError) as missing:
            client.get_charge("S03-0000000-0000000-C000000")
        assert missing.value.status == 404  # the fourth call got through, to the unknown charge
        assert waits == [0.1, 0.2, 0.4] and len(client.last_retried) == 3
        waits.clear()
        with pytest.raises(AmazonPayApiError):
            client.get_charge("S03-0000000-0000000-C000000")
        assert waits == [] and client.last_retried == []  # a 404 is not retried
        sim.faults.unavailable("getCharge", times=4)
        with pytest.raises(AmazonPayApiError) as exhausted:
            client.get_charge("S03-0000000-0000000-C000000")
        assert exhausted.value.reason_code == "ServiceUnavailable"
