"""Notifications in a scenario: the faults a step can inject into IPN delivery, and what was delivered.

The switches act on the simulator's `notifications` (harness/notifications/outbox.py): the shop's
endpoint down or back, every notification delivered twice, deliveries out of order. The checks
read its delivery log: which notifications about an order the shop acknowledged, how many, and
what it answered. What the shop then did with them is checked by the merchant-record steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.amazon_pay.errors import SimulationError
from harness.notifications import Delivery, ObjectType

if TYPE_CHECKING:
    from harness.scenario.world import ScenarioWorld

__all__ = ["NotificationSteps"]


def _line(delivery: Delivery) -> str:
    message = delivery.notification.message
    answer = delivery.status if delivery.status is not None else delivery.error
    copy = ", duplicate" if delivery.duplicate else ""
    return (f"{delivery.at:%Y-%m-%d %H:%M:%S} UTC  {message.object_type} {message.object_id} "
            f"(attempt {delivery.attempt}{copy}): {answer}")


class NotificationSteps:
    """IPN faults and checks for one scenario."""

    def __init__(self, world: ScenarioWorld) -> None:
        self._world = world
        self._notifications = world.simulator.notifications

    # --- faults -----------------------------------------------------------------------------------

    def endpoint_down(self, down: bool) -> None:
        """The shop's IPN endpoint stops (or starts again) answering."""
        state = "down" if down else "back up"
        self._world.timeline.note("merchant", f"the notification endpoint is {state}")
        self._notifications.endpoint_down = down

    def duplicate(self) -> None:
        """From now on every notification is delivered twice (the same envelope and MessageId)."""
        self._world.timeline.note("amazon", "delivers every notification twice from now on")
        self._notifications.copies = 2

    def out_of_order(self) -> None:
        """From now on the notifications due at once are delivered newest first."""
        self._world.timeline.note("amazon", "delivers notifications out of order from now on")
        self._notifications.out_of_order = True

    # --- checks -----------------------------------------------------------------------------------

    def received(self, name: str | None, object_type: ObjectType | None, count: int | None) -> None:
        """The shop acknowledged notifications about the order: at least one (`count` None) or exactly
        `count`, of `object_type` or of any type."""
        self._world.deliver_notifications()
        label, acknowledged = self._about(name, object_type)
        what = f"{object_type} notification" if object_type is not None else "notification"
        if (count is None and not acknowledged) or (count is not None and len(acknowledged) != count):
            expected = f"a {what}" if count is None else f"{count} {what}s"
            self._world.fail(f"expected the merchant to have received {expected} for {label}, but it "
                             f"acknowledged {len(acknowledged)}.\n{self._log()}")

    def answered(self, status: int) -> None:
        """Every notification that reached the shop was answered with `status` (and one did)."""
        self._world.deliver_notifications()
        reached = [delivery for delivery in self._notifications.deliveries if delivery.reached_shop]
        other = [delivery for delivery in reached if delivery.status != status]
        if not reached or other:
            found = "no notification reached the shop" if not reached else \
                f"{len(other)} of {len(reached)} were answered otherwise"
            self._world.fail(f"expected the merchant to answer {status} to every notification, but "
                             f"{found}.\n{self._log()}")

    def _about(self, name: str | None, object_type: ObjectType | None) -> tuple[str, list[Delivery]]:
        try:
            order = self._world.orders.get(name)
            permission = self._world.orders.require_permission(order)
        except SimulationError as error:
            self._world.fail(f"cannot check that: {error}")
        return order.label, [
            delivery for delivery in self._notifications.deliveries
            if delivery.ok and delivery.notification.message.charge_permission_id == permission.id
            and (object_type is None or delivery.notification.message.object_type is object_type)]

    def _log(self) -> str:
        deliveries = self._notifications.deliveries
        if not deliveries:
            published = len(self._notifications.published)
            endpoint = "an endpoint" if self._notifications.target is not None else "no endpoint"
            return f"No notification was delivered ({published} published, {endpoint} configured)."
        return "Deliveries:\n" + "\n".join(f"  {_line(delivery)}" for delivery in deliveries)
