"""exampleshop's IPN endpoint: the SNS signature and certificate rules it checks, and what it does with
a genuine notification (GET the object, once per NotificationId)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from exampleshop.adapter import ExampleShopAdapter
from exampleshop.ipn import InvalidNotificationError, NotificationVerifier

from harness.amazon_pay.states import PaymentIntent
from harness.merchant import CheckoutRequest
from harness.merchant_time import MerchantTime
from harness.money import Money
from harness.simulator import Simulator

CERT_URL = "https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-test.pem"
SIGNED = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key: rsa.RSAPrivateKey, issuer: str, issuer_key: rsa.RSAPrivateKey) -> bytes:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    certificate = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + timedelta(days=3650))
                   .sign(issuer_key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM)


class Sns:
    """A test SNS: a CA, a signing certificate it issued, and envelopes signed with its key."""

    def __init__(self) -> None:
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ca_pem = _certificate("Test SNS CA", self.ca_key, "Test SNS CA", self.ca_key).decode()
        self.cert_pem = _certificate("sns.amazonaws.com", self.key, "Test SNS CA", self.ca_key)

    def verifier(self) -> NotificationVerifier:
        """The shop's verifier, trusting this CA, downloading the certificate from here."""
        return NotificationVerifier(lambda url: self.cert_pem, trusted_ca_pem=self.ca_pem)

    def envelope(self, message: dict[str, str], *, version: str = "1", **changes: str) -> dict[str, str]:
        """A signed Notification envelope around `message`; `changes` are applied after signing."""
        envelope = {"Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:ap-northeast-1:1:t",
                    "Message": json.dumps(message), "Timestamp": "2026-01-05T00:00:30.000Z",
                    "SignatureVersion": version, "SigningCertURL": CERT_URL}
        to_sign = "".join(f"{key}\n{envelope[key]}\n" for key in SIGNED if key in envelope)
        digest = hashes.SHA1() if version == "1" else hashes.SHA256()
        envelope["Signature"] = base64.b64encode(self.key.sign(to_sign.encode(), padding.PKCS1v15(),
                                                               digest)).decode()
        return {**envelope, **changes}


def message(object_type: str, object_id: str, permission_id: str,
            notification_id: str = "n-1") -> dict[str, str]:
    """An Amazon Pay v2 notification Message."""
    return {"MerchantID": "EXAMPLESHOP", "ObjectType": object_type, "ObjectId": object_id,
            "ChargePermissionId": permission_id, "NotificationType": "STATE_CHANGE",
            "NotificationId": notification_id, "NotificationVersion": "V2"}


@pytest.fixture(scope="module")
def sns() -> Sns:
    return Sns()


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_genuine_notification_verifies_with_either_signature_version(sns: Sns, version: str) -> None:
    envelope = sns.envelope(message("CHARGE", "S03-1-2-C3", "S03-1-2"), version=version)
    verifier = sns.verifier()
    assert verifier.notification(verifier.verify(json.dumps(envelope))).object_id == "S03-1-2-C3"


@pytest.mark.parametrize(("change", "says"), [
    ({"SigningCertURL": "http://sns.ap-northeast-1.amazonaws.com/x.pem"}, "not an https .pem on an SNS host"),
    ({"SigningCertURL": "https://sns.ap-northeast-1.amazonaws.com.evil.example/x.pem"}, "SNS host"),
    ({"SigningCertURL": "https://evil.example/sns.ap-northeast-1.amazonaws.com.pem"}, "SNS host"),
    ({"SigningCertURL": "https://sns.ap-northeast-1.amazonaws.com/x.txt"}, "https .pem"),
    ({"Message": json.dumps(message("CHARGE", "S03-9-9-C9", "S03-9-9"))}, "signature does not verify"),
    ({"Timestamp": "2026-01-06T00:00:00.000Z"}, "signature does not verify"),
    ({"SignatureVersion": "3"}, "SignatureVersion 3"),
])
def test_a_forged_or_misdirected_notification_is_refused(sns: Sns, change: dict[str, str], says: str) -> None:
    envelope = sns.envelope(message("CHARGE", "S03-1-2-C3", "S03-1-2"), **change)
    with pytest.raises(InvalidNotificationError, match=says):
        sns.verifier().verify(json.dumps(envelope))


def test_a_missing_key_or_a_body_that_is_not_json_is_refused(sns: Sns) -> None:
    envelope = sns.envelope(message("CHARGE", "S03-1-2-C3", "S03-1-2"))
    del envelope["Signature"]
    with pytest.raises(InvalidNotificationError, match="lacks Signature"):
        sns.verifier().verify(json.dumps(envelope))
    with pytest.raises(InvalidNotificationError, match="not JSON"):
        sns.verifier().verify("Type=Notification")


def test_a_certificate_from_another_issuer_is_refused(sns: Sns) -> None:
    other = Sns()
    verifier = NotificationVerifier(lambda url: other.cert_pem, trusted_ca_pem=sns.ca_pem)
    with pytest.raises(InvalidNotificationError, match="not issued by the trusted CA"):
        verifier.verify(json.dumps(other.envelope(message("CHARGE", "S03-1-2-C3", "S03-1-2"))))


@pytest.fixture
def pending_order(sns: Sns) -> Iterator[tuple[Simulator, ExampleShopAdapter]]:
    """The shop with an order whose authorization is pending (card 0701), already decided by Amazon."""
    simulator = Simulator()
    with simulator.mock(), MerchantTime.follow(simulator.clock):
        shop = ExampleShopAdapter.for_simulator(simulator)
        shop.shop.verifier = sns.verifier()
        session_id = shop.start_checkout("order-A", CheckoutRequest(Money.of(5000), PaymentIntent.AUTHORIZE,
                                                                    can_handle_pending_authorization=True))
        assert session_id is not None
        simulator.buyer.sign_in(session_id)
        simulator.buyer.approve(session_id, "0701")
        shop.handle_return(simulator.buyer.return_to_merchant(session_id))
        simulator.advance(timedelta(seconds=30))
        yield simulator, shop


def test_a_pending_authorization_is_resolved_by_its_notification_once(
        sns: Sns, pending_order: tuple[Simulator, ExampleShopAdapter]) -> None:
    simulator, shop = pending_order
    record = shop.order("order-A")
    assert record is not None and record.status == "authorizing"
    assert record.charge_id is not None and record.charge_permission_id is not None
    body = json.dumps(sns.envelope(message("CHARGE", record.charge_id, record.charge_permission_id)))
    assert shop.receive_notification(body, {"x-amz-sns-message-type": "Notification"}) == 200
    assert getattr(shop.order("order-A"), "status", None) == "authorized"
    calls = len(simulator.handler.exchanges)
    assert shop.receive_notification(body, {}) == 200  # SNS may deliver twice: nothing is read again
    assert len(simulator.handler.exchanges) == calls


def test_a_forged_notification_is_answered_400_and_changes_nothing(
        sns: Sns, pending_order: tuple[Simulator, ExampleShopAdapter]) -> None:
    _, shop = pending_order
    record = shop.order("order-A")
    assert record is not None and record.charge_id is not None and record.charge_permission_id is not None
    forged = sns.envelope(message("CHARGE", record.charge_id, record.charge_permission_id),
                          SigningCertURL="https://attacker.example/cert.pem")
    assert shop.receive_notification(json.dumps(forged), {}) == 400
    assert getattr(shop.order("order-A"), "status", None) == "authorizing"
