"""Scenarios: one action vocabulary (`ScenarioWorld`) shared by the Gherkin steps and YAML scenarios.

`parsing` reads values as people write them, `merchant` is the merchant adapter contract and
`reference_merchant` its built-in implementation, `world` holds a scenario's actors, orders,
expectations and timeline.
"""

from harness.scenario.merchant import (
    CheckoutRequest,
    MerchantAdapter,
    MerchantFactory,
    MerchantOrder,
    OrderStatus,
    ReceivedError,
)
from harness.scenario.parsing import Anchor, Duration, ScenarioValueError
from harness.scenario.reference_merchant import ReferenceMerchant, reference_merchant
from harness.scenario.serving import serving
from harness.scenario.world import ExpectationError, ScenarioError, ScenarioWorld

__all__ = [
    "Anchor",
    "CheckoutRequest",
    "Duration",
    "ExpectationError",
    "MerchantAdapter",
    "MerchantFactory",
    "MerchantOrder",
    "OrderStatus",
    "ReceivedError",
    "ReferenceMerchant",
    "ScenarioError",
    "ScenarioValueError",
    "ScenarioWorld",
    "reference_merchant",
    "serving",
]
