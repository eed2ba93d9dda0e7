"""Instant Payment Notifications (IPN): Amazon Pay's signed SNS notifications, sent and verified.

For a shop: `verify(body) -> Message` checks a notification as AWS says to (the envelope, the
certificate URL, the SHA1withRSA / SHA256withRSA signature) and returns its message, whose
`object_type` and `object_id` say what to GET (docs/notifications.md). For the simulator:
`Notifications` (`Simulator.notifications`) publishes each state change and delivers it.
"""

from harness.notifications.envelope import Message, ObjectType, string_to_sign
from harness.notifications.outbox import Delivery, Notification, Notifications, Target, url_target
from harness.notifications.verifier import VerificationError, fetch_certificate, verify

__all__ = [
    "Delivery",
    "Message",
    "Notification",
    "Notifications",
    "ObjectType",
    "Target",
    "VerificationError",
    "fetch_certificate",
    "string_to_sign",
    "url_target",
    "verify",
]
