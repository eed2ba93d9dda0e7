"""docs/reference/seller-central.md "Amazon Reference ID": OneTime rows are chargePermissionIds (one per
permission); Recurring rows are chargeIds, one per Charge, with the D-RECURRING-ROWS statuses.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from harness.amazon_pay import AmazonPayError, Cause, ReasonCode, SimulationError
from harness.amazon_pay.sandbox import AuthorizationOutcome
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import charge_of, completed_checkout, permission_of, yen

CHARGE_ID = re.compile(r"^S03-\d{7}-\d{7}-C\d{6}$")


def test_one_time_row_is_the_charge_permission_id(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 3000, total_order_amount=9000)
    permission = permission_of(sim, session)
    sim.api.create_charge(permission.id, yen(3000))
    sim.api.create_charge(permission.id, yen(3000))
    assert len(permission.charge_ids) == 3
    assert [row.reference_id for row in view.rows()] == [permission.id]
    row = view.row(permission.id)
    assert (row.charge_permission_id, row.authorized) == (permission.id, yen(9000))
    with pytest.raises(SimulationError):
        view.row(charge_of(sim, session).id)  # a OneTime charge has no row of its own


def test_one_row_per_one_time_permission(sim: Simulator, view: SellerCentral) -> None:
    sessions = [completed_checkout(sim, 1000 * (n + 1)) for n in range(4)]
    assert [row.reference_id for row in view.rows()] == [permission_of(sim, s).id for s in sessions]


def test_recurring_rows_are_charge_ids(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission = permission_of(sim, session)
    second = sim.api.create_charge(permission.id, yen(1000))
    charge_ids = [charge_of(sim, session).id, second.id]
    assert [row.reference_id for row in view.rows()] == charge_ids
    assert all(CHARGE_ID.match(charge_id) for charge_id in charge_ids)
    assert all(view.row(charge_id).charge_permission_id == permission.id for charge_id in charge_ids)
    with pytest.raises(SimulationError):
        view.row(permission.id)  # the recurring permission itself is no row


def test_recurring_row_status_follows_its_charge(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission_id = permission_of(sim, session).id
    authorized = charge_of(sim, session)
    sim.amazon.decline_next_authorization(permission_id, ReasonCode.SOFT_DECLINED, pending=True)
    declined = sim.api.create_charge(permission_id, yen(1000), can_handle_pending_authorization=True)
    sim.advance(timedelta(seconds=30))
    assert (declined.state, declined.reason) == ("Declined", "SoftDeclined")
    captured = sim.api.create_charge(permission_id, yen(1000), capture_now=True)
    canceled = sim.api.create_charge(permission_id, yen(1000))
    sim.api.cancel_charge(canceled.id)
    initiated = sim.api.create_charge(permission_id, yen(1000), can_handle_pending_authorization=True,
                                      outcome=AuthorizationOutcome(Cause.AUTHORIZED, pending=True))
    assert initiated.state == "AuthorizationInitiated"

    assert {row.reference_id: row.status for row in view.rows()} == {
        authorized.id: "Open", declined.id: "Canceled", captured.id: "Closed",
        canceled.id: "Canceled", initiated.id: "Open"}


def test_recurring_capture_initiated_row_is_open_until_captured(live: Simulator,
                                                                live_view: SellerCentral) -> None:
    session = completed_checkout(live, 1000, recurring=True)
    charge = charge_of(live, session)
    live.advance(timedelta(days=8))
    live.api.capture_charge(charge.id, yen(1000))
    assert (charge.state, live_view.status(charge.id)) == ("CaptureInitiated", "Open")
    live.advance(timedelta(seconds=30))
    assert (charge.state, live_view.status(charge.id)) == ("Captured", "Closed")


def test_recurring_expired_authorization_row_is_canceled(sim: Simulator,
                                                         view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    charge = charge_of(sim, session)
    sim.advance(timedelta(days=30))
    assert (charge.state, charge.reason, view.status(charge.id)) == ("Canceled", "ExpiredUnused", "Canceled")
    assert permission_of(sim, session).state == "Chargeable"


def test_every_uncaptured_row_of_a_closed_recurring_permission_shows_closed(
        sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission_id = permission_of(sim, session).id
    authorized = charge_of(sim, session)
    captured = sim.api.create_charge(permission_id, yen(1000), capture_now=True)
    canceled = sim.api.create_charge(permission_id, yen(1000))
    sim.api.cancel_charge(canceled.id)
    sim.amazon.decline_next_authorization(permission_id, ReasonCode.SOFT_DECLINED)
    with pytest.raises(AmazonPayError) as error:
        sim.api.create_charge(permission_id, yen(1000))
    assert (error.value.reason_code, error.value.http_status) == ("SoftDeclined", 422)
    assert sorted(row.status for row in view.rows()) == ["Canceled", "Canceled", "Closed", "Open"]

    sim.api.close_charge_permission(permission_id, cancel_pending_charges=False)
    assert {row.status for row in view.rows()} == {"Closed"}
    assert len(view.rows()) == 4
    assert (authorized.state, captured.state) == ("Authorized", "Captured")


def test_recurring_has_no_25_charge_limit(sim: Simulator, view: SellerCentral) -> None:
    session = completed_checkout(sim, 1000, recurring=True)
    permission_id = permission_of(sim, session).id
    for _ in range(25):
        sim.api.create_charge(permission_id, yen(1000), capture_now=True)  # D-RECURRING-LIMITS
    assert len(view.rows()) == 26
    assert permission_of(sim, session).state == "Chargeable"  # captures never close it


def test_one_time_and_recurring_rows_side_by_side(sim: Simulator, view: SellerCentral) -> None:
    one_time = completed_checkout(sim, 5000)
    recurring = completed_checkout(sim, 1000, recurring=True)
    assert [row.reference_id for row in view.rows()] == [permission_of(sim, one_time).id,
                                                         charge_of(sim, recurring).id]
    assert permission_of(sim, one_time).id.startswith("S03-")
    assert permission_of(sim, recurring).id.startswith("C03-")
    table = view.table()
    assert permission_of(sim, one_time).id in table and charge_of(sim, recurring).id in table
    assert permission_of(sim, recurring).id not in table
