"""The monthly limit of a Recurring Charge Permission in Japan, over the wire (docs/reference/amazon-pay-v2.md
§2.6): Get Charge Permission's `limits`, Create Charge's 400 PeriodicAmountExceeded, the reset at the
start of the month in Japan time (D-RECURRING-MONTHLY-LIMIT)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.simulator import Simulator
from tests.builders import completed_checkout, permission_of

JAN_31_1000_JST = datetime(2026, 1, 31, 1, 0, tzinfo=UTC)
LAST_SECOND_OF_JANUARY_JST = datetime(2026, 1, 31, 14, 59, 59, tzinfo=UTC)
FIRST_OF_FEBRUARY_JST = datetime(2026, 1, 31, 15, 0, 0, tzinfo=UTC)
EXCEEDED = {"reasonCode": "PeriodicAmountExceeded",
            "message": "You've exceeded the monthly limit for the Charge Permission and must wait until the "
                       "next month to charge this buyer."}


def yen(amount: int) -> dict[str, str]:
    return {"amount": str(amount), "currencyCode": "JPY"}


@pytest.fixture
def sim() -> Simulator:
    return Simulator(start=JAN_31_1000_JST)


@pytest.fixture
def client(sim: Simulator) -> Iterator[AmazonPayClient]:
    """The merchant's client, signing with the simulated clock."""
    with sim.mock(), httpx.Client() as http:
        yield AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, http=http, now=sim.now)


def recurring_permission(sim: Simulator, amount: int = 10_000) -> str:
    """A Recurring checkout whose first charge (authorized at approval) is `amount`."""
    return permission_of(sim, completed_checkout(sim, amount, recurring=True)).id


def charge(client: AmazonPayClient, permission_id: str, amount: int) -> dict[str, object]:
    return client.create_charge({"chargePermissionId": permission_id, "chargeAmount": yen(amount),
                                 "captureNow": True})


def test_get_charge_permission_shows_the_limit_and_what_is_left_this_month(
        sim: Simulator, client: AmazonPayClient) -> None:
    permission_id = recurring_permission(sim, 10_000)
    assert client.get_charge_permission(permission_id)["limits"] == {
        "amountLimit": yen(100_000), "amountBalance": yen(90_000)}


def test_create_charge_beyond_the_balance_answers_periodic_amount_exceeded(
        sim: Simulator, client: AmazonPayClient) -> None:
    permission_id = recurring_permission(sim, 10_000)
    with pytest.raises(AmazonPayApiError) as refused:
        charge(client, permission_id, 90_001)
    assert client.last_response is not None
    assert (client.last_response.status_code, client.last_response.json()) == (400, EXCEEDED)
    assert refused.value.reason_code == "PeriodicAmountExceeded"
    charge(client, permission_id, 90_000)  # exactly the balance is allowed
    assert client.get_charge_permission(permission_id)["limits"]["amountBalance"] == yen(0)
    with pytest.raises(AmazonPayApiError, match="PeriodicAmountExceeded"):
        charge(client, permission_id, 1)


def test_a_canceled_authorization_gives_its_amount_back(sim: Simulator, client: AmazonPayClient) -> None:
    permission_id = recurring_permission(sim, 10_000)
    held = client.create_charge({"chargePermissionId": permission_id, "chargeAmount": yen(90_000)})
    client.cancel_charge(str(held["chargeId"]), {"cancellationReason": "out of stock"})
    assert client.get_charge_permission(permission_id)["limits"]["amountBalance"] == yen(90_000)


@pytest.mark.parametrize(("moment", "balance", "accepted"), [
    (LAST_SECOND_OF_JANUARY_JST, 0, False),
    (FIRST_OF_FEBRUARY_JST, 100_000, True),  # 2026-02-01 00:00:00 JST is still January 31 in UTC
])
def test_the_month_turns_at_midnight_japan_time(sim: Simulator, client: AmazonPayClient, moment: datetime,
                                                balance: int, accepted: bool) -> None:
    permission_id = recurring_permission(sim, 10_000)
    charge(client, permission_id, 90_000)
    sim.clock.advance_to(moment)
    assert client.get_charge_permission(permission_id)["limits"] == {
        "amountLimit": yen(100_000), "amountBalance": yen(balance)}
    if accepted:
        charge(client, permission_id, 100_000)
        assert client.get_charge_permission(permission_id)["limits"]["amountBalance"] == yen(0)
    else:
        with pytest.raises(AmazonPayApiError, match="PeriodicAmountExceeded"):
            charge(client, permission_id, 1)


def test_a_one_time_permission_keeps_its_own_limit(sim: Simulator, client: AmazonPayClient) -> None:
    permission_id = permission_of(sim, completed_checkout(sim, 200_000)).id
    assert client.get_charge_permission(permission_id)["limits"] == {
        "amountLimit": yen(200_000), "amountBalance": yen(0)}
