"""A scenario's timeline: who did what and when, and every state change with its cause, in order.

Actions come from the actors (`Ledger.note`, and the scenario's own notes for the merchant and
time); state changes come from the ledger's event log as they happen. Times are shown in UTC and
in JST, as Seller Central Japan shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from harness.amazon_pay.ledger import Ledger, StateChange
from harness.amazon_pay.states import ChargeState
from harness.seller_central import JST

__all__ = ["Entry", "Timeline"]

CAPTURE_STATES = (ChargeState.CAPTURE_INITIATED, ChargeState.CAPTURED)

STATE_ACTOR = "state"
"""The actor column of a state change: the simulator's objects themselves."""


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    actor: str
    text: str


def format_moment(moment: datetime) -> str:
    """`2026-01-05 00:00:00 UTC (09:00:00 JST)`-style: both zones, JST for Seller Central."""
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC ({moment.astimezone(JST):%Y-%m-%d %H:%M:%S} JST)"


def describe_change(change: StateChange) -> str:
    """`ChargePermission S03-…: Chargeable -> Closed (MerchantClosed), because …`."""
    reason = f" ({change.reason})" if change.reason else ""
    if change.from_state is None:
        return f"{change.object_type} {change.object_id} created: {change.to_state}{reason}, {change.cause}"
    return (f"{change.object_type} {change.object_id}: {change.from_state} -> {change.to_state}{reason}, "
            f"because {change.cause}")


class Timeline:
    """Collects the ledger's activities and state changes, and the scenario's own notes, in order."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._activities_read = len(ledger.activities)
        self.entries: list[Entry] = []
        ledger.subscribers.append(self._on_change)

    def note(self, actor: str, text: str) -> None:
        """Record what an actor did now."""
        self._read_activities()
        self.entries.append(Entry(self._ledger.now(), actor, text))

    def read(self) -> list[Entry]:
        """Every entry so far, the ledger's latest activities included."""
        self._read_activities()
        return list(self.entries)

    def render(self) -> str:
        """The timeline as aligned lines: UTC, JST, actor, what happened."""
        self._read_activities()
        if not self.entries:
            return "  (nothing happened)"
        width = max(len(entry.actor) for entry in self.entries)
        header = f"  {'UTC':<19}  {'JST':<19}  {'actor':<{width}}  what happened"
        indent = "\n" + " " * (2 + 19 + 2 + 19 + 2 + width + 2)  # a text of several lines stays in its column
        lines = [f"  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.at.astimezone(JST):%Y-%m-%d %H:%M:%S}  "
                 f"{entry.actor:<{width}}  {entry.text.replace(chr(10), indent)}" for entry in self.entries]
        return "\n".join([header, *lines])

    def _on_change(self, change: StateChange) -> None:
        self._read_activities()
        self.entries.append(Entry(change.at, STATE_ACTOR, describe_change(change) + self._amounts(change)))

    def _amounts(self, change: StateChange) -> str:
        """What a Charge or Refund moves, for its state-change line: ` [charged ¥65,000, captured ¥5,000]`."""
        if change.object_type == "Charge":
            charge = self._ledger.charges.get(change.object_id)
            if charge is None:
                return ""
            moved = [f"charged {charge.charge_amount}"]
            if charge.capture_amount is not None and change.to_state in CAPTURE_STATES:
                moved.append(f"captured {charge.capture_amount}")
            return f" [{', '.join(moved)}]"
        if change.object_type == "Refund":
            refund = self._ledger.refunds.get(change.object_id)
            return "" if refund is None else f" [refunded {refund.refund_amount}]"
        return ""

    def _read_activities(self) -> None:
        activities = self._ledger.activities
        for activity in activities[self._activities_read:]:
            self.entries.append(Entry(activity.at, activity.actor, activity.text))
        self._activities_read = len(activities)
