"""IPN in server mode, over real sockets: `harness serve --ipn-url` POSTs to a small receiver on
127.0.0.1, which verifies each notification with the certificate fetched from the server (through a
CONNECT tunnel, with the harness CA) and calls the API back while the delivery waits."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.merchant.client import AmazonPayClient
from harness.notifications import Message, verify
from harness.server import RunningServer, ServeOptions, start_in_thread
from tests.server.conftest import START, TIMEOUT, control, create_session, merchant


@dataclass
class Receiver:
    """The shop's IPN endpoint: what it got, and the status it answers with."""

    url: str = ""
    answer: int = 200
    bodies: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    charge_states: list[str] = field(default_factory=list)
    on_message: Any = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """An http.server on 127.0.0.1 in a thread, shut down after the test."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            state.bodies.append(body)
            state.headers.append(dict(self.headers.items()))
            if state.on_message is not None:
                state.on_message(body)
            self.send_response(state.answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/ipn"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(TIMEOUT)


@pytest.fixture
def server_options(server_options: ServeOptions, receiver: Receiver) -> ServeOptions:
    """The server posts to the receiver (`--ipn-url`)."""
    server_options.ipn_url = receiver.url
    return server_options


def _proxied(server: RunningServer) -> httpx.Client:
    """A client using the server as its HTTPS proxy and trusting the harness CA, as a shop would."""
    return httpx.Client(proxy=server.base_url, verify=ssl.create_default_context(cafile=str(server.ca_path)),
                        timeout=TIMEOUT)


def _notifications(server: RunningServer) -> dict[str, Any]:
    answer = control(server, "GET", "notifications")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_notifications_are_posted_signed_and_the_shop_can_call_back(server: RunningServer,
                                                                    receiver: Receiver) -> None:
    with _proxied(server) as proxied, httpx.Client(timeout=TIMEOUT) as http:
        shop: AmazonPayClient = merchant(http, server.base_url)

        def on_message(body: str) -> None:  # the shop's handler: verify, then GET the object
            message = verify(body, fetch=lambda url: proxied.get(url).raise_for_status().content)
            receiver.messages.append(message)
            if message.object_type == "CHARGE":
                receiver.charge_states.append(shop.get_charge(message.object_id)["statusDetails"]["state"])

        receiver.on_message = on_message
        session = create_session(shop)
        paid = control(server, "POST", "buyer/pay", {"checkoutSessionId": session["checkoutSessionId"]})
        assert paid.status_code == 200, paid.text

    # delivered before the control call answered, with SNS's headers
    assert [message.object_type for message in receiver.messages] == ["CHARGE_PERMISSION", "CHARGE"]
    assert receiver.charge_states == ["Authorized"]
    headers = {name.lower(): value for name, value in receiver.headers[0].items()}
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    assert headers["x-amz-sns-message-type"] == "Notification"
    listed = _notifications(server)
    assert headers["x-amz-sns-topic-arn"] == listed["topicArn"]
    assert headers["x-amz-sns-message-id"] == listed["deliveries"][0]["messageId"]
    assert [delivery["status"] for delivery in listed["deliveries"]] == [200, 200]


def test_the_signing_certificate_is_served_through_connect_and_as_a_proxy(server: RunningServer) -> None:
    cert_url = _notifications(server)["signingCertUrl"]
    assert cert_url.startswith("https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-")
    with _proxied(server) as proxied:
        tunneled = proxied.get(cert_url)
    assert tunneled.status_code == 200
    assert tunneled.content.startswith(b"-----BEGIN CERTIFICATE-----")
    path = cert_url.removeprefix("https://sns.ap-northeast-1.amazonaws.com")
    assert httpx.get(server.base_url + path, timeout=TIMEOUT).content == tunneled.content
    assert httpx.get(server.base_url + "/SimpleNotificationService-0.pem", timeout=TIMEOUT).status_code == 404


def test_a_failed_delivery_is_retried_an_hour_later_on_the_simulated_clock(server: RunningServer,
                                                                            receiver: Receiver) -> None:
    receiver.answer = 500
    with httpx.Client(timeout=TIMEOUT) as http:
        session = create_session(merchant(http, server.base_url))
    control(server, "POST", "buyer/pay", {"checkoutSessionId": session["checkoutSessionId"]})
    assert [delivery["status"] for delivery in _notifications(server)["deliveries"]] == [500, 500]
    receiver.answer = 200
    almost = START + timedelta(minutes=59, seconds=59)
    control(server, "POST", "clock", {"to": almost.isoformat()})
    assert len(_notifications(server)["deliveries"]) == 2
    control(server, "POST", "clock", {"to": (almost + timedelta(seconds=1)).isoformat()})
    deliveries = _notifications(server)["deliveries"]
    assert [(delivery["attempt"], delivery["status"]) for delivery in deliveries] == [
        (1, 500), (1, 500), (2, 200), (2, 200)]
    assert receiver.bodies[2] == receiver.bodies[0]  # a retry is the same envelope, same MessageId


def test_the_endpoint_and_faults_are_set_through_the_control_api(server: RunningServer,
                                                                 receiver: Receiver) -> None:
    answer = control(server, "POST", "notifications",
                     {"url": "", "duplicates": True, "signatureVersion": "2"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["ipnUrl"] is None
    with httpx.Client(timeout=TIMEOUT) as http:
        session = create_session(merchant(http, server.base_url))
    control(server, "POST", "buyer/pay", {"checkoutSessionId": session["checkoutSessionId"]})
    assert receiver.bodies == []  # no endpoint: nothing is sent
    control(server, "POST", "notifications", {"url": receiver.url})
    reference_id = control(server, "GET", "transactions").json()["transactions"][0]["referenceId"]
    captured = control(server, "POST", "operator/capture", {"referenceId": reference_id})
    assert captured.status_code == 200, captured.text
    assert len(receiver.bodies) == 4  # Charge Captured and Permission Closed, each twice
    assert '"SignatureVersion": "2"' in receiver.bodies[0]
    bad = control(server, "POST", "notifications", {"signatureVersion": "3"})
    assert bad.status_code == 400 and "SHA256withRSA" in bad.json()["message"]


def test_a_restarted_server_does_not_send_the_replayed_notifications_again(
        server_options: ServeOptions, receiver: Receiver, tmp_path: Path) -> None:
    server_options.state = tmp_path / "state.json"
    with start_in_thread(server_options) as first, httpx.Client(timeout=TIMEOUT) as http:
        session = create_session(merchant(http, first.base_url))
        control(first, "POST", "buyer/pay", {"checkoutSessionId": session["checkoutSessionId"]})
    assert len(receiver.bodies) == 2
    with start_in_thread(server_options) as second:
        assert control(second, "POST", "notifications/deliver").status_code == 200
        assert control(second, "GET", "transactions").json()["transactions"]  # the state came back
        control(second, "POST", "wait/for", {"duration": "1 hour"})
        assert len(receiver.bodies) == 2  # what the journal replayed is not sent again
        control(second, "POST", "operator/capture", {"referenceId": session_reference(second)})
    assert len(receiver.bodies) == 4  # what happens after the restart is sent


def session_reference(server: RunningServer) -> str:
    """The one transaction's Amazon Reference ID."""
    return str(control(server, "GET", "transactions").json()["transactions"][0]["referenceId"])
