"""The simulator: one clock, one ledger, and the actors that act on it."""

from __future__ import annotations

from datetime import datetime, timedelta

from harness.amazon_pay.actors import AmazonActor, BuyerActor
from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.merchant_api import MerchantApi
from harness.clock import SimulatedClock
from harness.ids import Environment, IdFactory, Region

__all__ = ["AmazonPaySimulator"]

REGION_CURRENCY = {Region.JP: "JPY", Region.NA: "USD", Region.EU: "EUR"}
"""The ledger currency of each region (amazon-pay-v2.md §9.1)."""


class AmazonPaySimulator:
    """A stateful Amazon Pay v2 under simulated time.

    `api` is what the merchant calls, `buyer` and `amazon` are the other actors, `clock` moves
    time; everything they do lands in `ledger`.
    """

    def __init__(self, *, seed: int = 0, start: datetime | None = None,
                 environment: Environment = Environment.SANDBOX, region: Region = Region.JP,
                 settings: Settings | None = None) -> None:
        self.clock = SimulatedClock(start)
        self.ids = IdFactory(seed, environment, region)
        self.ledger = Ledger(self.clock, self.ids, settings or Settings(),
                             currency=REGION_CURRENCY[region])
        self.api = MerchantApi(self.ledger, default_store_id=self.ids.store_id())
        self.buyer = BuyerActor(self.ledger, self.ids)
        self.amazon = AmazonActor(self.ledger)

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def advance(self, delta: timedelta) -> datetime:
        """Let `delta` pass; due transitions happen at their own times."""
        return self.clock.advance(delta)
