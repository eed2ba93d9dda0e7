"""The invariants as expectations of hand-written scenarios: each holds for the reference merchant and
breaks, with its name and what was seen, for a merchant with the bug it is about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

import pytest

from harness.explore.invariants import AGREEMENT, Agreement, AgreementError, OrderFacts
from harness.merchant.adapter import MerchantAdapter, MerchantOrder
from harness.merchant.reference import ReferenceMerchant, reference_merchant
from harness.scenario.serving import serving
from harness.scenario.world import ScenarioWorld
from harness.simulator import Simulator
from harness.yaml.files import load_scenario_text
from harness.yaml.runner import FailedStepError, run_scenario
from tests.explore.broken_merchants import ClosedMeansFailed, closed_means_failed

FRAUD_CLOSE = """\
name: A fraud close, reconciled
steps:
  - buyer: {checkout: order A, amount: '5,000 JPY'}
  - amazon: {close for fraud: order A}
  - merchant: reconcile
  - expect: merchant up to date
"""

TWO_ORDERS = """\
name: Two orders
steps:
  - buyer: {checkout: order A, amount: '5,000 JPY'}
  - buyer: {checkout: order B, amount: '5,000 JPY'}
  - expect: merchant agrees
"""


def _run(text: str, merchant: MerchantAdapter, simulator: Simulator) -> None:
    with serving(simulator):
        scenario = load_scenario_text(text, "scenario.yaml").scenarios[0]
        run_scenario(scenario, ScenarioWorld(simulator, merchant))


def _fails(text: str, factory: type[ReferenceMerchant] | None = None) -> str:
    simulator = Simulator()
    built = reference_merchant(simulator)
    merchant = built if factory is None else factory(built.client, built.store_id)
    with pytest.raises(FailedStepError) as failed:
        _run(text, merchant, simulator)
    return str(failed.value)


def test_the_reference_merchant_is_up_to_date_after_a_fraud_close() -> None:
    simulator = Simulator()
    _run(FRAUD_CLOSE, reference_merchant(simulator), simulator)


def test_a_closed_order_reconciled_as_failed_is_named_with_what_amazon_shows() -> None:
    message = _fails(FRAUD_CLOSE, ClosedMeansFailed)
    assert "order A: the merchant's record says failed" in message
    assert "Seller Central shows Closed; Checkout Session Completed; Charge Permission Closed" in message
    assert "[record never ahead]" in message and "[record up to date]" in message
    assert "Timeline of the scenario" in message


def _closed_or_canceled(facts: OrderFacts) -> bool:
    return facts.row is not None and facts.row.value in ("Closed", "Canceled")


class _OwnMeaning(ClosedMeansFailed):
    """A shop whose `failed` means "Amazon closed or canceled it", declared for the explorer."""

    amazon_pay_agreement: ClassVar[Mapping[str, Agreement]] = {"failed": Agreement(
        _closed_or_canceled, _closed_or_canceled, "Amazon closed or canceled the order")}


def test_an_adapter_declares_its_own_meaning_of_a_status_word() -> None:
    simulator = Simulator()
    built = reference_merchant(simulator)
    _run(FRAUD_CLOSE, _OwnMeaning(built.client, built.store_id), simulator)
    assert AGREEMENT["failed"].meaning.startswith("the checkout failed")  # the default is untouched


class _CrossedRecords(ReferenceMerchant):
    """Reads order A's record back with order B's Charge Permission (a join on the wrong column)."""

    def order(self, order_id: str) -> MerchantOrder | None:
        record, other = super().order(order_id), super().order("order-B")
        if order_id == "order-A" and record is not None and other is not None:
            return replace(record, charge_permission_id=other.charge_permission_id)
        return record


def test_a_record_naming_another_orders_objects_breaks_the_agreement() -> None:
    message = _fails(TWO_ORDERS, _CrossedRecords)
    assert "order A: the merchant's record names Charge Permission" in message
    assert "[record names the order]" in message
    simulator = Simulator()
    _run(TWO_ORDERS, closed_means_failed(simulator), simulator)  # nothing is Closed: that bug stays hidden


def _paid_then_closed(wait: str | None) -> str:
    """The buyer pays and never comes back, Amazon closes it as fraudulent, the job runs (after `wait`)."""
    waited = f"  - wait: {wait}\n" if wait else ""
    return ("name: A fraud close of a checkout the buyer has not come back from\nsteps:\n"
            "  - merchant: {start checkout: order A, amount: '5,000 JPY'}\n"
            "  - buyer: {pay: order A}\n"
            "  - amazon: {close for fraud: order A}\n"
            f"{waited}  - merchant: reconcile\n  - expect: merchant up to date\n")


class _LeavesCheckoutsAlone(ReferenceMerchant):
    """A job that does not touch a checkout the buyer has not come back from (the buyer may still be
    paying), declared to the explorer as a 5-minute grace period; this one never looks at them at all."""

    amazon_pay_reconciliation_grace: ClassVar[object] = timedelta(minutes=5)

    def _reconcile(self, order):  # type: ignore[no-untyped-def]
        if order.record.status != "pending":
            super()._reconcile(order)


class _Undeclared(_LeavesCheckoutsAlone):
    amazon_pay_reconciliation_grace: ClassVar[object] = None


class _DeclaredInSeconds(_LeavesCheckoutsAlone):
    amazon_pay_reconciliation_grace: ClassVar[object] = 300


@pytest.mark.parametrize("wait", [None, "4 minutes 59 seconds"])
def test_a_declared_grace_period_lets_the_job_leave_a_young_checkout_alone(wait: str | None) -> None:
    simulator = Simulator()
    built = reference_merchant(simulator)
    _run(_paid_then_closed(wait), _LeavesCheckoutsAlone(built.client, built.store_id), simulator)


def test_up_to_date_is_demanded_once_the_checkout_is_older_than_the_grace_period() -> None:
    message = _fails(_paid_then_closed("5 minutes"), _LeavesCheckoutsAlone)
    assert "order A: the merchant's record says pending" in message
    assert "Seller Central shows Closed; Checkout Session Open" in message
    assert "[record up to date]" in message


def test_without_a_declared_grace_period_a_young_checkout_must_be_up_to_date_too() -> None:
    assert "[record up to date]" in _fails(_paid_then_closed(None), _Undeclared)


def test_a_grace_period_that_is_not_a_timedelta_is_refused_with_the_fix() -> None:
    simulator = Simulator()
    built = reference_merchant(simulator)
    with pytest.raises(FailedStepError) as failed:
        _run(_paid_then_closed(None), _DeclaredInSeconds(built.client, built.store_id), simulator)
    assert isinstance(failed.value.cause, AgreementError)
    assert ("_DeclaredInSeconds.amazon_pay_reconciliation_grace is 300: declare a datetime.timedelta of zero "
            "or more") in str(failed.value)
