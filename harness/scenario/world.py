"""One scenario's world: the simulator, Seller Central, the merchant, the named orders and the timeline.

`ScenarioWorld` is the one action vocabulary shared by the Gherkin steps and the YAML scenarios:
each actor's actions are methods of `world.buyer`, `world.merchant`, `world.amazon`,
`world.operator` and `world.time`, and each expectation a method of `world.expect`. A failed
expectation raises `ExpectationError` (an AssertionError) whose message holds the timeline and the
transaction view; an action the scenario cannot take raises `ScenarioError` with the same context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from harness.amazon_pay.errors import SimulationError
from harness.errors import HarnessError
from harness.merchant.adapter import MerchantAdapter, NotificationReceiver
from harness.scenario.actions import (
    AmazonActions,
    BuyerActions,
    DownloadedReport,
    MerchantActions,
    OperatorActions,
    Refusal,
    TimeActions,
)
from harness.scenario.expectations import Expectations
from harness.scenario.notified import NotificationSteps
from harness.scenario.orders import OrderBook
from harness.scenario.parsing import ScenarioValueError
from harness.scenario.timeline import Timeline, format_moment
from harness.seller_central import TransactionRow
from harness.simulator import Simulator

__all__ = ["ExpectationError", "ScenarioError", "ScenarioWorld", "ViewSnapshot"]


class ExpectationError(HarnessError, AssertionError):
    """An expectation of the scenario does not hold; the message shows the timeline and the view."""


class ScenarioError(HarnessError):
    """The scenario asked an actor for something that cannot happen then (a mistake in the scenario)."""


@dataclass(frozen=True)
class ViewSnapshot:
    """Seller Central's transaction view at one moment (after a time jump), for the living documentation."""

    at: datetime
    label: str
    rows: tuple[TransactionRow, ...]


class ScenarioWorld:
    """Everything one scenario acts on and asserts about."""

    def __init__(self, simulator: Simulator, merchant: MerchantAdapter, *, button_flow: bool = False) -> None:
        self.simulator = simulator
        self.button_flow = button_flow
        """Whether "the merchant starts a checkout" goes through Amazon Pay's button (the run's
        `amazon_pay_checkout_flow = button`) instead of the shop's own Create Checkout Session."""
        self.seller_central = simulator.seller_central
        self.timeline = Timeline(simulator.ledger)
        self.orders = OrderBook(simulator.ledger)
        self.refusals: list[Refusal] = []
        self.views: list[ViewSnapshot] = []
        """The transaction view after each time jump, oldest first."""
        self.settlement_report: DownloadedReport | None = None
        """The settlement report the merchant downloaded last (reports, issue 15)."""
        self.buyer = BuyerActions(self)
        self.merchant = MerchantActions(self, merchant)
        self.amazon = AmazonActions(self)
        self.operator = OperatorActions(self)
        self.time = TimeActions(self)
        self.expect = Expectations(self)
        self.notifications = NotificationSteps(self)
        if isinstance(merchant, NotificationReceiver) and simulator.notifications.target is None:
            simulator.notifications.deliver_to(merchant.receive_notification)

    def deliver_notifications(self) -> None:
        """Deliver the notifications due now (D-IPN-DELIVERY): each step's runner calls it before
        the step, so a step sees what the previous one made Amazon send; Python callers may too."""
        self.simulator.notifications.flush()

    @contextmanager
    def acting(self, actor: str, text: str | None = None) -> Iterator[None]:
        """Note what `actor` does (None: the simulator notes it) and turn a refusal into ScenarioError."""
        if text is not None:
            self.timeline.note(actor, text)
        try:
            yield
        except (SimulationError, ScenarioValueError) as error:
            raise ScenarioError(self.explain(f"the {actor} cannot do that: {error}")) from None

    def snapshot_view(self, label: str) -> None:
        """Keep the transaction view as it is now (rows are frozen values: no copy needed)."""
        self.views.append(ViewSnapshot(self.simulator.now(), label, tuple(self.seller_central.rows())))

    def fail(self, message: str) -> NoReturn:
        """Raise ExpectationError with the timeline and the transaction view."""
        raise ExpectationError(self.explain(message))

    def explain(self, message: str) -> str:
        """`message`, then the timeline and Seller Central's transaction view as they are now."""
        return (f"{message}\n\nTimeline of the scenario (simulated time):\n{self.timeline.render()}\n\n"
                f"Seller Central transaction view at {format_moment(self.simulator.now())}:\n"
                f"{_indent(self.seller_central.table())}")

    def finish(self) -> None:
        """End the scenario: deliver what is due, then fail if Seller Central refused an action no
        step expected."""
        self.deliver_notifications()
        unexpected = [refusal for refusal in self.refusals if not refusal.expected]
        if unexpected:
            listed = "; ".join(f"{refusal.action}: {refusal.reason_code} ({refusal.message})"
                               for refusal in unexpected)
            self.fail(f"Seller Central refused an operator action and no step expected it: {listed}. "
                      "Add 'Then Seller Central refuses the action with <reasonCode>' if it is intended.")


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
