"""Amazon Pay's side of IPN: which state changes notify, the signed envelopes, delivery and retries.

`Notifications` (a simulator's `notifications`) listens to the ledger's state changes. Each
change of state of a Charge Permission, Charge or Refund (creation included, D-IPN-WHICH) is
published as an SNS "Notification" envelope (docs/reference/amazon-pay-v2.md §7.1-§7.3) and, when
a delivery target is set (`deliver_to`: the merchant's `receive_notification`, or a URL), queued
for delivery. `flush()` delivers what is due, outside the simulator's lock so the shop may call
the API back (D-IPN-DELIVERY); a failed delivery (no 2xx, an exception, a timeout, the endpoint
down) is retried on the simulated clock every hour, at most three times (D-IPN-RETRIES).
Duplicates and out-of-order delivery can be switched on (`duplicate`, `out_of_order`).
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

import httpx

from harness.amazon_pay.decisions import Settings
from harness.amazon_pay.ledger import Activity, Ledger, StateChange
from harness.clock import SimulatedClock
from harness.ids import Region, resumed, seeded
from harness.notifications.envelope import Message, ObjectType, string_to_sign
from harness.notifications.signing import SNS_REGIONS, signing_identity, sns_host

__all__ = ["Delivery", "Notification", "Notifications", "Target", "url_target"]

Target = Callable[[str, Mapping[str, str]], int]
"""Where notifications go: `(body, headers) -> the HTTP status the shop answered`."""

OBJECT_TYPES: Mapping[str, ObjectType] = {"ChargePermission": ObjectType.CHARGE_PERMISSION,
                                          "Charge": ObjectType.CHARGE, "Refund": ObjectType.REFUND}
"""The ledger's objects that notify, and their ObjectType (§7.1; Checkout Sessions do not notify)."""

TOPIC_ACCOUNT = "123456789012"
"""The AWS account in the TopicArn (AWS's documentation example account, D-IPN-TOPIC)."""

HTTP_TIMEOUT = 15.0
"""Seconds a delivery to a URL may take before it counts as failed (D-IPN-RETRIES)."""


@dataclass(frozen=True)
class Notification:
    """One published notification: the state change, the message, the headers and the signed body."""

    change: StateChange
    message: Message
    message_id: str
    headers: Mapping[str, str]
    fields: Mapping[str, str] = field(repr=False)
    """The envelope's signed fields; the signature is made when the body is first read (when it is
    sent: a simulator without an endpoint signs nothing)."""
    region: Region = field(repr=False)
    unsubscribe_url: str = field(repr=False)

    @cached_property
    def body(self) -> str:
        """The POST body: the SNS envelope, signed, as JSON."""
        identity = signing_identity()
        envelope = dict(self.fields)
        envelope["Signature"] = identity.sign(string_to_sign(envelope), envelope["SignatureVersion"])
        envelope["SigningCertURL"] = identity.cert_url(self.region)
        envelope["UnsubscribeURL"] = self.unsubscribe_url
        return json.dumps(envelope, indent=2)


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver a notification (or a duplicate of one): when, and what the shop answered."""

    notification: Notification
    attempt: int
    """1 for the first delivery, 2 for the first retry, ..."""
    at: datetime
    """The simulated moment the attempt was due."""
    status: int | None
    """The shop's HTTP status; None when it gave none (see `error`)."""
    error: str | None = None
    duplicate: bool = False
    """An injected second copy of the same envelope."""

    @property
    def ok(self) -> bool:
        """Whether the shop acknowledged it (any 2xx)."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def reached_shop(self) -> bool:
        """Whether the shop's handler answered at all."""
        return self.status is not None


@dataclass
class _Attempt:
    notification: Notification
    number: int
    due: datetime


def url_target(url: str, http: httpx.Client | None = None, timeout: float = HTTP_TIMEOUT) -> Target:
    """A target that POSTs the body to `url` (the shop's IPN endpoint) and answers its status."""
    client = http or httpx.Client(timeout=timeout)

    def post(body: str, headers: Mapping[str, str]) -> int:
        answer = client.post(url, content=body.encode("utf-8"), headers=dict(headers), timeout=timeout)
        return answer.status_code
    return post


_MERCHANT_ID_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_IDENTITIES: dict[int, tuple[str, str, tuple[object, ...]]] = {}
"""Per seed: the MerchantID, the subscription's id and the generator's state after drawing them."""


def _uuid_of(generator: random.Random) -> str:
    return str(uuid.UUID(int=generator.getrandbits(128), version=4))


def _identity(seed: int) -> tuple[str, str, tuple[object, ...]]:
    """The merchant's id and subscription id of a seed, drawn from their own sequence (object ids stay
    as they were), once per seed and process."""
    known = _IDENTITIES.get(seed)
    if known is None:
        if len(_IDENTITIES) >= 64:  # explore runs many seeds
            _IDENTITIES.clear()
        generator = seeded(f"notifications-{seed}")
        merchant_id = "A" + "".join(generator.choice(_MERCHANT_ID_LETTERS) for _ in range(13))
        known = _IDENTITIES[seed] = (merchant_id, _uuid_of(generator), generator.getstate())
    return known


@dataclass
class Notifications:
    """A simulator's IPN: what it published, what it delivered, and the switches tests inject faults with."""

    ledger: Ledger
    clock: SimulatedClock
    lock: threading.RLock
    seed: int = 0
    region: Region = Region.JP
    settings: Settings = field(default_factory=Settings)
    signature_version: str = "1"
    """ "1" (SHA1withRSA, SNS's default) or "2" (SHA256withRSA)."""
    endpoint_down: bool = False
    """The shop's endpoint does not answer: every attempt fails (and is retried) until it is back."""
    copies: int = 1
    """How many times each attempt is delivered (2: every notification arrives twice)."""
    out_of_order: bool = False
    """Deliver each batch of due notifications newest first."""
    published: list[Notification] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    _target: Target | None = field(default=None, repr=False)
    _ready: list[_Attempt] = field(default_factory=list, repr=False)
    _flushing: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.merchant_id, subscription, self._state = _identity(self.seed)
        """The MerchantID the messages carry (D-IPN-TOPIC)."""
        self._random: random.Random | None = None
        region = SNS_REGIONS[self.region]
        self.topic_arn = f"arn:aws:sns:{region}:{TOPIC_ACCOUNT}:AmazonPay-IPN-{self.merchant_id}"
        self.subscription_arn = f"{self.topic_arn}:{subscription}"
        self.ledger.subscribers.append(self._on_change)

    # --- configuration ----------------------------------------------------------------------------

    def deliver_to(self, target: Target | None) -> None:
        """Deliver from now on to `target` (None: no endpoint configured, nothing is delivered)."""
        self._target = target

    @property
    def target(self) -> Target | None:
        """Where notifications go now."""
        return self._target

    @property
    def cert_url(self) -> str:
        """The SigningCertURL the envelopes name."""
        return signing_identity().cert_url(self.region)

    @property
    def host(self) -> str:
        """The SNS host serving the signing certificate."""
        return sns_host(self.region)

    def certificate_answer(self, path: str) -> tuple[int, bytes]:
        """What the SNS host answers a GET of `path`: the certificate PEM, or 404."""
        identity = signing_identity()
        if path.split("?", 1)[0] == identity.path:
            return 200, identity.pem
        return 404, f"no such object on {self.host}: {path}\n".encode()

    # --- publishing -------------------------------------------------------------------------------

    def _on_change(self, change: StateChange) -> None:
        object_type = OBJECT_TYPES.get(change.object_type)
        if object_type is None or change.from_state == change.to_state:
            return
        notification = self._publish(change, object_type)
        self.published.append(notification)
        if self._target is not None:
            self._ready.append(_Attempt(notification, 1, change.at))

    def _permission_id(self, change: StateChange) -> str:
        if change.object_type == "ChargePermission":
            return change.object_id
        charge_id = change.object_id
        if change.object_type == "Refund":
            charge_id = self.ledger.refunds[change.object_id].charge_id
        return self.ledger.charges[charge_id].charge_permission_id

    def _publish(self, change: StateChange, object_type: ObjectType) -> Notification:
        message = Message(self.merchant_id, object_type, change.object_id, self._permission_id(change),
                          self._uuid())
        message_id = self._uuid()
        fields = {"Type": "Notification", "MessageId": message_id, "TopicArn": self.topic_arn,
                  "Message": message.to_json(),
                  "Timestamp": f"{change.at:%Y-%m-%dT%H:%M:%S}.{change.at.microsecond // 1000:03d}Z",
                  "SignatureVersion": self.signature_version}
        unsubscribe = f"https://{self.host}/?Action=Unsubscribe&SubscriptionArn={self.subscription_arn}"
        headers = {"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification",
                   "x-amz-sns-message-id": message_id, "x-amz-sns-topic-arn": self.topic_arn,
                   "x-amz-sns-subscription-arn": self.subscription_arn,
                   "User-Agent": "Amazon Simple Notification Service Agent"}
        return Notification(change, message, message_id, headers, fields, self.region, unsubscribe)

    def _uuid(self) -> str:
        if self._random is None:
            self._random = resumed(self._state)
        return _uuid_of(self._random)

    # --- delivering -------------------------------------------------------------------------------

    def pending(self) -> int:
        """How many attempts are due or scheduled and not yet made."""
        return len(self._ready) + sum(1 for event in self.clock.pending() if event.label.startswith(_RETRY))

    def flush(self) -> list[Delivery]:
        """Deliver every attempt that is due now, retries that fall due meanwhile included; the
        deliveries made. The target is called without the simulator's lock held (it may call the API)."""
        if self._flushing:  # a target that makes the simulator flush again: its caller's loop goes on
            return []
        made: list[Delivery] = []
        self._flushing = True
        try:
            while True:
                with self.lock:
                    self.clock.advance(timedelta(0))  # retries due by now join the batch
                    batch, self._ready = self._ready, []
                if not batch:
                    return made
                for attempt in reversed(batch) if self.out_of_order else batch:
                    made += self._deliver(attempt)
        finally:
            self._flushing = False

    def _deliver(self, attempt: _Attempt) -> list[Delivery]:
        made = []
        for copy in range(max(1, self.copies)):
            status, error = self._send(attempt.notification)
            delivery = Delivery(attempt.notification, attempt.number, attempt.due, status, error, copy > 0)
            with self.lock:
                self.deliveries.append(delivery)
                self.ledger.activities.append(Activity("amazon", _describe(delivery, self.ledger.now()),
                                                       self.ledger.now()))
                if copy == 0 and not delivery.ok:
                    self._retry(attempt)
            made.append(delivery)
        return made

    def _send(self, notification: Notification) -> tuple[int | None, str | None]:
        target = self._target
        if target is None:
            return None, "no notification endpoint is configured"
        if self.endpoint_down:
            return None, "connection refused: the shop's notification endpoint is down"
        try:
            return int(target(notification.body, notification.headers)), None
        except Exception as error:  # the shop's failure is a failed delivery, never ours
            return None, f"{type(error).__name__}: {error}"

    def _retry(self, attempt: _Attempt) -> None:  # D-IPN-RETRIES
        if attempt.number > self.settings.notification_retries or self._target is None:
            return
        due = attempt.due + self.settings.notification_retry_interval
        retry = _Attempt(attempt.notification, attempt.number + 1, due)
        label = f"{_RETRY} {attempt.notification.message.object_id} (attempt {retry.number})"
        self.clock.schedule(due, label, lambda: self._ready.append(retry))


_RETRY = "IPN retry"


def _describe(delivery: Delivery, now: datetime) -> str:
    message = delivery.notification.message
    change = delivery.notification.change
    what = (f"IPN {message.object_type} {message.object_id} ({change.from_state or 'created'} -> "
            f"{change.to_state})")
    how = " again (a duplicate)" if delivery.duplicate else ""
    attempt = f", attempt {delivery.attempt}" if delivery.attempt > 1 else ""
    if delivery.at != now:
        attempt += f" (due {delivery.at:%Y-%m-%d %H:%M:%S} UTC)"
    answer = (f"the shop answered {delivery.status}" if delivery.status is not None
              else f"not delivered: {delivery.error}")
    return f"sends {what}{how}{attempt}: {answer}"
