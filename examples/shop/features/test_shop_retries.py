"""The shop's retries against a timed-out Create Charge, as Python scenarios over the vocabulary's world.

(A planned fault is set on the simulator's fault plan directly; the Gherkin form needs the fault
actions of the vocabulary.)
"""

from __future__ import annotations

import pytest

from harness.merchant import CheckoutRequest, OrderStatus
from harness.money import Money
from harness.scenario.world import ScenarioWorld
from harness.simulator import Simulator


@pytest.mark.recurring
def test_a_timed_out_monthly_charge_is_retried_without_a_double_charge(
        scenario_world: ScenarioWorld, amazon_pay_simulator: Simulator) -> None:
    scenario_world.buyer.checks_out(None, CheckoutRequest(Money.of(5000), recurring=True))
    scenario_world.merchant.captures(None, None)  # the first month ships
    amazon_pay_simulator.faults.add("createCharge", "timeout", after_processing=True)
    scenario_world.merchant.captures(None, None)  # the second month: Amazon charges, the answer is lost
    scenario_world.expect.charge_count(None, 2)
    scenario_world.expect.merchant_record(None, OrderStatus.CAPTURED)
    scenario_world.expect.merchant_record_matches(None)
