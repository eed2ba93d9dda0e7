"""The notification as a shop receives it: the SNS envelope, its signature checked with `cryptography`
alone (both SignatureVersions, AWS's string to sign), and the harness's verifier refusing forgeries."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from harness.notifications import Notification, VerificationError, fetch_certificate, verify
from harness.notifications.signing import signing_identity
from harness.simulator import Simulator
from tests.builders import approved_checkout

ENVELOPE_KEYS = {"Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature",
                 "SigningCertURL", "UnsubscribeURL"}


def _published(sim: Simulator, version: str = "1") -> list[Notification]:
    sim.notifications.signature_version = version
    approved_checkout(sim)
    return sim.notifications.published


def _fetch(url: str) -> bytes:
    """What the SNS host serves at the SigningCertURL (the simulator's certificate)."""
    assert url == signing_identity().cert_url(Simulator().ids.region)
    return signing_identity().pem


def _aws_string_to_sign(envelope: dict[str, Any]) -> bytes:
    """AWS's rule written out again, independently: Message, MessageId, Subject (if any), Timestamp,
    TopicArn, Type, each as name LF value LF."""
    names = ["Message", "MessageId", *(["Subject"] if "Subject" in envelope else []), "Timestamp",
             "TopicArn", "Type"]
    return "".join(f"{name}\n{envelope[name]}\n" for name in names).encode()


@pytest.mark.parametrize(("version", "algorithm"), [("1", hashes.SHA1), ("2", hashes.SHA256)])
def test_the_signature_verifies_with_the_served_certificate(
        sim: Simulator, version: str, algorithm: Callable[[], hashes.HashAlgorithm]) -> None:
    for notification in _published(sim, version):
        envelope = json.loads(notification.body)
        assert set(envelope) == ENVELOPE_KEYS
        assert envelope["Type"] == "Notification" and envelope["SignatureVersion"] == version
        key = x509.load_pem_x509_certificate(_fetch(envelope["SigningCertURL"])).public_key()
        assert isinstance(key, rsa.RSAPublicKey)
        key.verify(base64.b64decode(envelope["Signature"]), _aws_string_to_sign(envelope),
                   padding.PKCS1v15(), algorithm())
        other = hashes.SHA256() if version == "1" else hashes.SHA1()
        with pytest.raises(InvalidSignature):
            key.verify(base64.b64decode(envelope["Signature"]), _aws_string_to_sign(envelope),
                       padding.PKCS1v15(), other)


@pytest.mark.parametrize("version", ["1", "2"])
def test_the_same_notifications_of_another_simulator_are_signed_the_same_and_verify(version: str) -> None:
    first, again = (_published(Simulator(), version) for _ in range(2))
    assert [json.loads(one.body) for one in first] == [json.loads(other.body) for other in again]
    for notification in again:
        assert verify(notification.body, fetch=_fetch).object_id == notification.message.object_id
    tampered = {**json.loads(again[0].body), "Timestamp": "2026-01-05T00:00:01.000Z"}
    with pytest.raises(VerificationError):
        verify(json.dumps(tampered), fetch=_fetch)


def test_the_message_is_a_json_string_with_amazons_v2_fields(sim: Simulator) -> None:
    permission_notification, charge_notification = _published(sim)
    message = json.loads(json.loads(charge_notification.body)["Message"])
    charge = next(iter(sim.ledger.charges.values()))
    assert message == {"MerchantID": sim.notifications.merchant_id, "ObjectType": "CHARGE",
                       "ObjectId": charge.id, "ChargePermissionId": charge.charge_permission_id,
                       "NotificationType": "STATE_CHANGE",
                       "NotificationId": charge_notification.message.notification_id,
                       "NotificationVersion": "V2"}
    envelope = json.loads(permission_notification.body)
    assert envelope["Timestamp"] == "2026-01-05T00:00:00.000Z"
    assert envelope["TopicArn"].startswith("arn:aws:sns:ap-northeast-1:")
    assert envelope["SigningCertURL"].startswith(
        "https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-")
    assert envelope["UnsubscribeURL"].startswith("https://sns.ap-northeast-1.amazonaws.com/?Action=Unsubscribe")
    assert permission_notification.headers["x-amz-sns-message-id"] == envelope["MessageId"]


@pytest.mark.parametrize("version", ["1", "2"])
def test_the_verifier_accepts_both_versions(sim: Simulator, version: str) -> None:
    notification = _published(sim, version)[1]
    assert verify(notification.body, fetch=_fetch) == notification.message
    assert verify(notification.body.encode(), fetch=_fetch, topic_arn=sim.notifications.topic_arn).object_id


def _tampered(body: str, **changes: str) -> str:
    envelope = json.loads(body)
    envelope.update(changes)
    return json.dumps(envelope)


def test_the_verifier_rejects_a_tampered_message(sim: Simulator) -> None:
    body = _published(sim)[1].body
    message = json.loads(json.loads(body)["Message"])
    message["ObjectId"] = "S03-0000000-0000000-C000000"
    with pytest.raises(VerificationError, match="Signature does not verify"):
        verify(_tampered(body, Message=json.dumps(message)), fetch=_fetch)
    with pytest.raises(VerificationError, match="Signature does not verify"):
        verify(_tampered(body, Timestamp="2026-01-05T00:00:01.000Z"), fetch=_fetch)


def test_the_verifier_rejects_another_key(sim: Simulator) -> None:
    """A body signed by someone else's key fails against Amazon's (here: the simulator's) certificate."""
    body = _published(sim)[1].body
    envelope = json.loads(body)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signature = forger.sign(_aws_string_to_sign(envelope), padding.PKCS1v15(), hashes.SHA1())
    with pytest.raises(VerificationError, match="Signature does not verify"):
        verify(_tampered(body, Signature=base64.b64encode(signature).decode()), fetch=_fetch)


@pytest.mark.parametrize(("changes", "error"), [
    ({"SigningCertURL": "https://evil.example/SimpleNotificationService-1.pem"}, "sns.<region>"),
    ({"SigningCertURL": "http://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-1.pem"}, "https"),
    ({"SigningCertURL": "https://sns.ap-northeast-1.amazonaws.com.evil.example/x.pem"}, "amazonaws"),
    ({"SigningCertURL": "https://sns.ap-northeast-1.amazonaws.com/cert.txt"}, ".pem"),
    ({"SignatureVersion": "3"}, "neither '1' nor '2'"),
    ({"Type": "SubscriptionConfirmation"}, "not 'Notification'"),
    ({"Signature": "not base64!"}, "does not verify"),
])
def test_the_verifier_rejects_a_bad_envelope(sim: Simulator, changes: dict[str, str], error: str) -> None:
    with pytest.raises(VerificationError, match=re.escape(error)):
        verify(_tampered(_published(sim)[0].body, **changes), fetch=_fetch)


@pytest.mark.parametrize(("body", "error"), [("not json", "not JSON"), ("[]", "not a JSON object"),
                                             ('{"Type": "Notification"}', "lacks Message")])
def test_the_verifier_rejects_what_is_no_envelope(body: str, error: str) -> None:
    with pytest.raises(VerificationError, match=error):
        verify(body, fetch=_fetch)


def test_the_verifier_checks_the_topic_when_asked(sim: Simulator) -> None:
    with pytest.raises(VerificationError, match="TopicArn"):
        verify(_published(sim)[0].body, fetch=_fetch, topic_arn="arn:aws:sns:ap-northeast-1:1:other")


def test_the_certificate_is_fetched_over_https_from_the_mount(sim: Simulator) -> None:
    """The default fetch goes over HTTPS to the SNS host, which the simulator's mount serves."""
    body = _published(sim)[1].body
    fetch_certificate.cache_clear()
    with sim.mock(other_hosts="block"):
        assert verify(body).object_type == "CHARGE"


def test_a_body_verified_before_lets_no_changed_body_or_other_topic_through(sim: Simulator) -> None:
    """The default fetch keeps verified bodies: the same bytes verify again, anything else is checked."""
    body = _published(sim)[1].body
    with sim.mock(other_hosts="block"):
        first = verify(body)
        assert verify(body) == first
        with pytest.raises(VerificationError, match="Signature does not verify"):
            verify(_tampered(body, Timestamp="2026-01-05T00:00:01.000Z"))
        with pytest.raises(VerificationError, match="TopicArn"):
            verify(body, topic_arn="arn:aws:sns:ap-northeast-1:1:other")
        assert verify(body, topic_arn=sim.notifications.topic_arn) == first
        fetch_certificate.cache_clear()
        assert verify(body) == first
        assert fetch_certificate.cache_info().currsize == 1  # a kept body's certificate is fetched again
