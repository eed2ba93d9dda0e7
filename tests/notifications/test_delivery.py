"""Delivery on the simulated clock: which changes notify, retries at exactly one hour and bounded,
failures recorded and never raised, duplicates and out-of-order delivery."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pytest

from harness.notifications import Delivery, Message, verify
from harness.notifications.signing import signing_identity
from harness.simulator import Simulator
from tests.builders import START, approved_checkout, complete, yen


class Shop:
    """A receiver answering the statuses it is given (the last one from then on), or raising."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers) or [200]
        self.received: list[tuple[Message, Mapping[str, str]]] = []

    def __call__(self, body: str, headers: Mapping[str, str]) -> int:
        self.received.append((verify(body, fetch=lambda _: signing_identity().pem), headers))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def _types(deliveries: list[Delivery]) -> list[str]:
    return [f"{d.notification.message.object_type}:{d.notification.change.to_state}" for d in deliveries]


def test_nothing_is_delivered_without_an_endpoint(sim: Simulator) -> None:
    completed = complete(sim, approved_checkout(sim))
    assert len(sim.notifications.published) == 2  # permission and charge created; sessions never notify
    assert completed.state == "Completed"
    assert sim.notifications.flush() == [] and sim.notifications.deliveries == []
    assert not sim.clock.pending() or all(not e.label.startswith("IPN") for e in sim.clock.pending())


def test_each_state_change_of_permission_charge_and_refund_notifies_after_the_call(sim: Simulator) -> None:
    shop = Shop()
    sim.notifications.deliver_to(shop)
    session = complete(sim, approved_checkout(sim))
    assert shop.received == []  # nothing yet: delivery follows the call (D-IPN-DELIVERY)
    charge_id = str(session.charge_id)
    sim.api.capture_charge(charge_id, yen(5000))
    refund = sim.api.create_refund(charge_id, yen(1000))
    sim.advance(sim.ledger.settings.refund_delay)
    assert sim.api.get_refund(refund.id).state == "Refunded"
    assert _types(sim.notifications.deliveries) == [
        "CHARGE_PERMISSION:Chargeable", "CHARGE:Authorized", "CHARGE:Captured", "CHARGE_PERMISSION:Closed",
        "REFUND:RefundInitiated", "REFUND:Refunded"]
    assert {message.charge_permission_id for message, _ in shop.received} == {session.charge_permission_id}
    assert all(headers["x-amz-sns-message-type"] == "Notification" for _, headers in shop.received)


def test_a_failed_delivery_is_retried_at_one_hour_not_a_second_before(sim: Simulator) -> None:
    shop = Shop(500, 500, 200)
    sim.notifications.deliver_to(shop)
    approved_checkout(sim)
    assert [d.status for d in sim.notifications.flush()] == [500, 500]
    sim.advance(timedelta(minutes=59, seconds=59))
    assert len(sim.notifications.deliveries) == 2
    sim.advance(timedelta(seconds=1))
    retried = sim.notifications.deliveries[2:]
    assert [(d.attempt, d.status, d.at) for d in retried] == [(2, 200, START + timedelta(hours=1))] * 2
    assert retried[0].notification.message_id == sim.notifications.deliveries[0].notification.message_id


def test_retries_are_bounded_and_a_raising_shop_never_breaks_the_simulator(sim: Simulator) -> None:
    sim.notifications.deliver_to(Shop(RuntimeError("database is locked")))
    approved_checkout(sim)
    sim.advance(timedelta(hours=5))
    attempts = [d for d in sim.notifications.deliveries if d.notification.message.object_type == "CHARGE"]
    expected = [(number, timedelta(hours=number - 1)) for number in (1, 2, 3, 4)]
    assert [(d.attempt, d.at - START) for d in attempts] == expected
    assert all(d.status is None and d.error == "RuntimeError: database is locked" for d in attempts)
    assert sim.notifications.pending() == 0


@pytest.mark.parametrize("status", [199, 302, 404, 503])
def test_any_answer_outside_2xx_is_a_failure(sim: Simulator, status: int) -> None:
    sim.notifications.deliver_to(Shop(status, 204))
    approved_checkout(sim)
    sim.notifications.flush()
    sim.advance(timedelta(hours=1))
    assert [(d.ok, d.attempt) for d in sim.notifications.deliveries] == [(False, 1), (True, 1), (True, 2)]


def test_an_endpoint_that_is_down_is_not_called_and_catches_up_when_back(sim: Simulator) -> None:
    shop = Shop()
    sim.notifications.deliver_to(shop)
    sim.notifications.endpoint_down = True
    approved_checkout(sim)
    sim.advance(timedelta(hours=1))
    assert shop.received == [] and len(sim.notifications.deliveries) == 4
    sim.notifications.endpoint_down = False
    sim.advance(timedelta(hours=1))
    assert len(shop.received) == 2 and [d.attempt for d in sim.notifications.deliveries[-2:]] == [3, 3]


def test_duplicates_repeat_the_same_envelope(sim: Simulator) -> None:
    shop = Shop()
    sim.notifications.deliver_to(shop)
    sim.notifications.copies = 2
    approved_checkout(sim)
    made = sim.notifications.flush()
    assert [d.duplicate for d in made] == [False, True, False, True]
    assert made[0].notification is made[1].notification
    assert [message.notification_id for message, _ in shop.received][:2] == [made[0].notification.message
                                                                               .notification_id] * 2


def test_out_of_order_delivers_a_batch_newest_first(sim: Simulator) -> None:
    sim.notifications.deliver_to(Shop())
    sim.notifications.out_of_order = True
    approved_checkout(sim)
    assert _types(sim.notifications.flush()) == ["CHARGE:Authorized", "CHARGE_PERMISSION:Chargeable"]


def test_the_shop_may_call_the_api_while_it_handles_a_notification(sim: Simulator) -> None:
    states: list[str] = []

    def shop(body: str, headers: Mapping[str, str]) -> int:
        message = verify(body, fetch=lambda _: signing_identity().pem)
        if message.object_type == "CHARGE":
            states.append(sim.api.get_charge(message.object_id).state)
            sim.notifications.flush()  # re-entrant: ignored, the outer flush goes on
        return 200

    sim.notifications.deliver_to(shop)
    approved_checkout(sim, card="0701")
    sim.advance(sim.ledger.settings.pending_authorization_delay)
    assert states == ["Authorized", "Authorized"]  # read when delivered, after the step
