"""A scenario harness for Amazon Pay (Checkout v2) merchants: a faithful simulator of the API under
simulated time, and Seller Central's transaction view as a projection of it."""

from harness.amazon_pay.errors import AmazonPayError, SimulationError
from harness.errors import HarnessError
from harness.merchant.adapter import MerchantAdapter
from harness.money import Money
from harness.scenario.parsing import ScenarioValueError
from harness.scenario.world import ExpectationError, ScenarioError, ScenarioWorld
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from harness.yaml.errors import ScenarioFileError

__all__ = [
    "AmazonPayError",
    "ExpectationError",
    "HarnessError",
    "MerchantAdapter",
    "Money",
    "ScenarioError",
    "ScenarioFileError",
    "ScenarioValueError",
    "ScenarioWorld",
    "SellerCentral",
    "SimulationError",
    "Simulator",
]
