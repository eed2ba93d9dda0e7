"""The simulator: one clock, one ledger, the actors that act on it, its HTTP surface and Seller Central."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from harness.amazon_pay.actors import AmazonActor, BuyerActor
from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.merchant_api import MerchantApi
from harness.amazon_pay.reports import Reports
from harness.api.checkout_button import CheckoutButton
from harness.api.faults import FaultPlan
from harness.api.handler import ApiHandler, default_operations
from harness.api.keys import KeyPair, KeyRegistry, test_key_pair
from harness.api.mount import OtherHosts, WireMock
from harness.clock import SimulatedClock
from harness.ids import Environment, IdFactory, Region
from harness.notifications.outbox import Notifications
from harness.seller_central import SellerCentral

__all__ = ["Simulator"]

REGION_CURRENCY = {Region.JP: "JPY", Region.NA: "USD", Region.EU: "EUR"}
"""The ledger currency of each region (docs/reference/amazon-pay-v2.md §9.1)."""


class Simulator:
    """A stateful Amazon Pay v2 under simulated time, which merchant code reaches over HTTP.

    `api` is what the merchant calls, `buyer` and `amazon` are the other actors, `button` is
    Amazon Pay's button the buyer clicks (a shop's signed payload), `clock` moves time; everything
    they do lands in `ledger`, and `seller_central` shows it; `notifications` publishes each state
    change as an IPN and delivers it to the endpoint it is given; `reports` makes Amazon's reports
    and settlements from it.

    `key_pair` is registered in `keys` (id `SANDBOX-TESTKEY`, or `LIVE-TESTKEY` for a Live
    simulator); register the merchant's own public key with `keys.register(...)`. `mock()` serves
    the API on Amazon's hosts to every httpx client while it is active; `verify_signatures=False`
    turns its signature checks off.

    Thread safety: `lock` (re-entrant) is held by every API request (`handler`, so `mock()` and
    `harness serve`; the checks that read no shared state, routing, headers and the signature, run
    before it is taken), by `advance` and by Seller Central's view and operator actions, so threads
    may call those at once; each request, each `advance` (with the transitions it makes due) and
    each read of the view is atomic. `api`, `buyer`, `amazon`, `clock` and `ledger` used directly
    take no lock: from several threads, hold `with sim.lock:` around them.
    """

    def __init__(self, *, seed: int = 0, start: datetime | None = None,
                 environment: Environment = Environment.SANDBOX, region: Region = Region.JP,
                 settings: Settings | None = None, verify_signatures: bool = True) -> None:
        self.lock = threading.RLock()
        """Held by every request, `advance` and the view (re-entrant: merchant code may call back)."""
        self.clock = SimulatedClock(start)
        self.ids = IdFactory(seed, environment, region)
        self.ledger = Ledger(self.clock, self.ids, settings or Settings(),
                             currency=REGION_CURRENCY[region])
        self.api = MerchantApi(self.ledger, default_store_id=self.ids.store_id())
        self.buyer = BuyerActor(self.ledger, self.ids)
        self.amazon = AmazonActor(self.ledger)
        self.key_pair: KeyPair = test_key_pair(f"{environment.value.upper()}-TESTKEY")
        self.keys = KeyRegistry()
        self.keys.register_pair(self.key_pair)
        operations = default_operations()
        self.faults = FaultPlan(seed, operations=[operation.name for operation in operations])
        self.handler = ApiHandler(self, self.keys if verify_signatures else None, self.faults,
                                  operations=operations)
        self.button = CheckoutButton(self, self.keys if verify_signatures else None)
        """Amazon Pay's button: `button.click(payloadJSON, signature, publicKeyId, algorithm)`."""
        self.seller_central = SellerCentral(self)
        self.notifications = Notifications(self.ledger, self.clock, self.lock, seed, region,
                                           self.ledger.settings)
        """IPN: what each state change published and delivered (`deliver_to` sets the endpoint)."""
        self.reports = Reports(self.ledger, seed, seller_id=self.notifications.merchant_id)
        """Reports, report schedules, settlements and disbursements (harness.amazon_pay.reports)."""

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def advance(self, delta: timedelta) -> datetime:
        """Let `delta` pass; due transitions happen at their own times (under `lock`); then the
        notifications that fell due are delivered (D-IPN-DELIVERY)."""
        with self.lock:
            now = self.clock.advance(delta)
        self.notifications.flush()
        return now

    def mock(self, *, other_hosts: OtherHosts = "pass") -> WireMock:
        """Serve httpx and requests from this simulator on Amazon's hosts: `with sim.mock(): ...` or
        `@sim.mock()`; other hosts pass through, or are refused with `other_hosts="block"`."""
        return WireMock(self.handler, other_hosts)
