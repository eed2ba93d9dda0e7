"""The shape of an Amazon Pay notification: the IPN message and the SNS envelope around it.

Both sides use this module: the simulator builds and signs envelopes with it, the verifier
(`harness.notifications.verify`) checks them with it, so the string to sign is declared once.

The message (docs/reference/amazon-pay-v2.md §7.1): MerchantID, ObjectType, ObjectId,
ChargePermissionId, NotificationType, NotificationId, NotificationVersion "V2", sent as a JSON
string in the `Message` field of an SNS "Notification" envelope (§7.2), signed as SNS signs (§7.3).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives import hashes

__all__ = ["CERT_HOST", "ENVELOPE_KEYS", "Message", "ObjectType", "string_to_sign"]


class ObjectType(StrEnum):
    """`ObjectType` of a message (§7.1); the simulator sends the first three (CHARGEBACK is not modelled)."""

    CHARGE_PERMISSION = "CHARGE_PERMISSION"
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CHARGEBACK = "CHARGEBACK"


MESSAGE_KEYS = ("MerchantID", "ObjectType", "ObjectId", "ChargePermissionId", "NotificationType",
                "NotificationId", "NotificationVersion")
"""The message's keys, in the order Amazon's schema lists them (§7.1)."""

ENVELOPE_KEYS = ("Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature",
                 "SigningCertURL", "UnsubscribeURL")
"""The envelope's keys as an SNS HTTP notification carries them (§7.2)."""

SIGNED_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
"""What the signature covers, in this order; `Subject` only when present (§7.3)."""

REQUIRED_KEYS = ("Message", "MessageId", "Timestamp", "TopicArn", "Type", "Signature", "SigningCertURL",
                 "SignatureVersion")
"""What a verifier needs in a Notification envelope (§7.3)."""

SIGNATURE_HASHES: Mapping[str, type[hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}
"""SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (§7.3)."""

CERT_HOST = re.compile(r"^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$")
"""The hosts a SigningCertURL may name (§7.3)."""


def string_to_sign(envelope: Mapping[str, object]) -> bytes:
    """`key\\nvalue\\n` for each signed key present, in order, as UTF-8 (§7.3)."""
    lines = []
    for key in SIGNED_KEYS:
        value = envelope.get(key)
        if value is None and key == "Subject":
            continue
        lines.append(f"{key}\n{value}\n")
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Message:
    """The IPN message inside the envelope: which object changed, and of which Charge Permission."""

    merchant_id: str
    object_type: ObjectType
    object_id: str
    charge_permission_id: str
    notification_id: str
    notification_type: str = "STATE_CHANGE"
    notification_version: str = "V2"

    def to_json(self) -> str:
        """The message as the JSON string the envelope's `Message` holds."""
        values = (self.merchant_id, self.object_type.value, self.object_id, self.charge_permission_id,
                  self.notification_type, self.notification_id, self.notification_version)
        return json.dumps(dict(zip(MESSAGE_KEYS, values, strict=True)), separators=(",", ":"))

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> Message:
        """The message from its decoded JSON; raises ValueError naming a missing or wrong field."""
        missing = [key for key in MESSAGE_KEYS if not isinstance(fields.get(key), str)]
        if missing:
            raise ValueError(f"the Message lacks {', '.join(missing)} (or they are not strings)")
        try:
            object_type = ObjectType(str(fields["ObjectType"]))
        except ValueError:
            raise ValueError(f"the Message's ObjectType {fields['ObjectType']!r} is none of "
                             f"{', '.join(ObjectType)}") from None
        return cls(str(fields["MerchantID"]), object_type, str(fields["ObjectId"]),
                   str(fields["ChargePermissionId"]), str(fields["NotificationId"]),
                   str(fields["NotificationType"]), str(fields["NotificationVersion"]))
