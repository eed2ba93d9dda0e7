"""The full harness object: the simulator with its HTTP surface, keys, faults and Seller Central."""

from __future__ import annotations

from datetime import datetime

import respx

from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.simulator import AmazonPaySimulator
from harness.api.faults import FaultPlan
from harness.api.handler import ApiHandler, default_operations
from harness.api.keys import KeyPair, KeyRegistry, test_key_pair
from harness.api.mount import mount
from harness.ids import Environment, Region
from harness.seller_central import SellerCentral

__all__ = ["Simulator"]


class Simulator(AmazonPaySimulator):
    """An Amazon Pay v2 simulator that merchant code reaches over HTTP.

    `key_pair` is registered in `keys` (id `SANDBOX-TESTKEY`, or `LIVE-TESTKEY` for a Live
    simulator); register the merchant's own public key with `keys.register(...)`. `mock()` serves
    the API on Amazon's hosts to every httpx client while it is active.
    """

    def __init__(self, *, seed: int = 0, start: datetime | None = None,
                 environment: Environment = Environment.SANDBOX, region: Region = Region.JP,
                 settings: Settings | None = None, verify_signatures: bool = True) -> None:
        super().__init__(seed=seed, start=start, environment=environment, region=region,
                         settings=settings)
        self.key_pair: KeyPair = test_key_pair(f"{environment.value.upper()}-TESTKEY")
        self.keys = KeyRegistry()
        self.keys.register_pair(self.key_pair)
        operations = default_operations()
        self.faults = FaultPlan(seed, operations=[operation.name for operation in operations])
        self.handler = ApiHandler(self, self.keys if verify_signatures else None, self.faults,
                                  operations=operations)
        self.seller_central = SellerCentral(self)

    def mock(self) -> respx.MockRouter:
        """Route httpx to this simulator: `with sim.mock(): ...` or `@sim.mock()`."""
        return mount(self.handler)
