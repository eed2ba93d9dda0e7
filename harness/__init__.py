"""A scenario harness for Amazon Pay (Checkout v2) merchants: a faithful simulator of the API under
simulated time, and Seller Central's transaction view as a projection of it."""

from harness.clock import SimulatedClock
from harness.money import Money
from harness.simulator import Simulator

__all__ = ["Money", "SimulatedClock", "Simulator"]
