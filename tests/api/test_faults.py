"""Planned faults through httpx and respx: N times then normal, seeded probability, network errors."""

from __future__ import annotations

import httpx
import pytest

from harness.api.faults import FaultKind, FaultPlan
from tests.api.conftest import Wire, make_wire

CHARGE = "https://pay-api.amazon.jp/v2/charges/X"
CREATE = "https://pay-api.amazon.jp/v2/charges"
KEY = {"x-amz-pay-idempotency-key": "retry-key-1"}


@pytest.mark.parametrize(("plan", "status", "reason"), [
    ("throttle", 429, "TooManyRequests"),
    ("server_error", 500, "InternalServerError"),
    ("unavailable", 503, "ServiceUnavailable"),
])
def test_status_fault_n_times_then_normal(wire: Wire, plan: str, status: int, reason: str) -> None:
    fault = getattr(wire.faults, plan)("getCharge", times=2)
    answers = [wire.send("GET", CHARGE) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [status, status, 200]
    assert answers[0].json()["reasonCode"] == reason
    assert set(answers[0].json()) == {"reasonCode", "message"}
    assert all(answer.headers["x-amz-pay-request-id"] for answer in answers)
    assert fault.fired == 2 and fault.exhausted


def test_default_is_once_and_other_operations_are_untouched(wire: Wire) -> None:
    wire.faults.add("getCharge", "ServiceUnavailable")
    patch = wire.send("PATCH", CHARGE, "{}")
    assert patch.status_code == 200
    assert [wire.send("GET", CHARGE).status_code for _ in range(2)] == [503, 200]


def hit_pattern(seed: int) -> list[int]:
    with make_wire() as wire:
        wire.faults.seed = seed
        wire.faults.throttle("getCharge", probability=0.5)
        return [wire.send("GET", CHARGE).status_code for _ in range(16)]


def test_seeded_probability_is_deterministic() -> None:
    first, again, other = hit_pattern(1), hit_pattern(1), hit_pattern(2)
    assert first == again
    assert set(first) == {200, 429}
    assert first != other


def test_probability_with_times_stops_after_times(wire: Wire) -> None:
    fault = wire.faults.throttle("getCharge", probability=1.0, times=3)
    codes = [wire.send("GET", CHARGE).status_code for _ in range(5)]
    assert codes == [429, 429, 429, 200, 200]
    assert fault.fired == 3


def test_timeout_raises_read_timeout_then_normal(wire: Wire) -> None:
    wire.faults.timeout("getCharge")
    with pytest.raises(httpx.ReadTimeout, match="simulated timeout of getCharge"):
        wire.send("GET", CHARGE)
    assert wire.send("GET", CHARGE).status_code == 200


def test_drop_raises_remote_protocol_error(wire: Wire) -> None:
    wire.faults.drop("getCharge", times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="dropped connection during getCharge"):
        wire.send("GET", CHARGE)


def test_lost_answer_then_retry_replays_the_processed_request(wire: Wire) -> None:
    wire.faults.timeout("createCharge", after_processing=True)
    with pytest.raises(httpx.ReadTimeout):
        wire.send("POST", CREATE, "{}", headers=KEY)
    assert len(wire.handler.idempotency) == 1  # it ran, and its answer was kept
    retry = wire.send("POST", CREATE, "{}", headers=KEY)
    again = wire.send("POST", CREATE, "{}", headers=KEY)
    assert retry.status_code == 201
    assert retry.json() == again.json()


def test_status_fault_before_processing_is_not_stored(wire: Wire) -> None:
    wire.faults.server_error("createCharge")
    assert wire.send("POST", CREATE, "{}", headers=KEY).status_code == 500
    assert len(wire.handler.idempotency) == 0
    assert wire.send("POST", CREATE, "{}", headers=KEY).status_code == 201


def test_plan_refuses_unknown_operations_and_bad_numbers() -> None:
    plan = FaultPlan(operations=["createCharge", "getCharge"])
    with pytest.raises(ValueError, match="did you mean createCharge"):
        plan.throttle("createCharges")
    with pytest.raises(ValueError, match="probability"):
        plan.throttle("getCharge", probability=0)
    with pytest.raises(ValueError, match="times"):
        plan.throttle("getCharge", times=0)
    with pytest.raises(ValueError, match="FaultKind"):
        plan.add("getCharge", "Teapot")
    assert FaultPlan().add("anything", FaultKind.DROP).operation == "anything"


def test_clear_forgets_the_plan(wire: Wire) -> None:
    wire.faults.throttle("getCharge", times=5)
    wire.faults.clear()
    assert wire.send("GET", CHARGE).status_code == 200
