"""The server over a real socket: base URL, forward proxy (absolute form), CONNECT + TLS, refusals."""

from __future__ import annotations

import http.client
import json
import logging
import logging.handlers
import socket
import ssl
from dataclasses import replace

import httpx
import pytest
import requests

from harness.api.keys import test_key_pair
from harness.api.signer import sign_request
from harness.server import RunningServer, ServeOptions, start_in_thread
from tests.server.conftest import TIMEOUT, create_session, merchant, real_now

API = "https://pay-api.amazon.jp/v2/checkoutSessions"


def test_a_base_url_override_reaches_the_simulator(server: RunningServer) -> None:
    with httpx.Client(timeout=TIMEOUT) as http:
        client = merchant(http, server.base_url)
        session = create_session(client)
        assert client.last_response is not None and client.last_response.status_code == 201
        again = client.get_checkout_session(session["checkoutSessionId"])
    assert again["checkoutSessionId"] == session["checkoutSessionId"]
    assert again["statusDetails"]["state"] == "Open"
    assert client.last_response.headers["x-amz-pay-request-id"]


def _signed(body: bytes) -> dict[str, str]:
    return sign_request("POST", API, public_key_id="SANDBOX-TESTKEY", private_key=test_key_pair().private_key,
                        region="jp", now=real_now(), body=body,
                        headers={"x-amz-pay-idempotency-key": "absolute-form-1"})


def test_an_absolute_form_target_is_served_as_a_forward_proxy(server: RunningServer) -> None:
    """What axios sends to HTTPS_PROXY=http://127.0.0.1:N: `POST https://pay-api.amazon.jp/v2/… HTTP/1.1`."""
    body = json.dumps({"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review"},
                       "storeId": "amzn1.application-oa2-client.test"}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    connection.request("POST", API, body=body, headers=_signed(body))
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 201, answer
    assert answer["checkoutSessionId"] in server.served.simulator.ledger.checkout_sessions


def test_an_absolute_form_target_to_another_host_is_refused(server: RunningServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    connection.request("GET", "http://example.com/")
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    assert response.status == 403
    assert "http://example.com/ is not forwarded (nothing leaves this machine)" in text


def test_connect_tunnels_tls_to_the_simulator_with_httpx(server: RunningServer) -> None:
    with httpx.Client(proxy=server.base_url, verify=ssl.create_default_context(cafile=server.ca_path),
                      timeout=TIMEOUT) as http:
        client = merchant(http)
        session = create_session(client)
    assert client.base_url.startswith("https://pay-api.amazon.jp/")
    assert session["checkoutSessionId"] in server.served.simulator.ledger.checkout_sessions


@pytest.mark.parametrize("host", ["pay-api.amazon.jp", "pay-api.amazon.com", "pay-api.amazon.eu"])
def test_connect_tunnels_tls_with_requests_trusting_the_ca(server: RunningServer, host: str) -> None:
    url = f"https://{host}/v2/checkoutSessions/none"
    headers = sign_request("GET", url, public_key_id="SANDBOX-TESTKEY",
                           private_key=test_key_pair().private_key, region="jp", now=real_now())
    response = requests.get(url, headers=headers, proxies={"https": server.base_url},
                            verify=str(server.ca_path), timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.json()["reasonCode"] == "ResourceNotFound"


def test_a_client_that_does_not_trust_the_ca_fails_the_handshake(server: RunningServer) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        requests.get("https://pay-api.amazon.jp/v2/checkoutSessions/none", proxies={"https": server.base_url},
                     verify=True, timeout=TIMEOUT)


def test_connect_to_another_host_is_refused_with_a_text(server: RunningServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    connection.request("CONNECT", "example.com:443", headers={"Host": "example.com:443"})
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    assert response.status == 403
    assert "example.com:443 is not forwarded" in text
    assert "pay-api.amazon.jp:443" in text


def test_requests_through_the_proxy_to_another_host_fail_without_leaving_the_machine(
        server: RunningServer) -> None:
    with pytest.raises(requests.exceptions.ProxyError, match="403"):
        requests.get("https://example.com/", proxies={"https": server.base_url}, timeout=TIMEOUT)


def test_tls_on_the_servers_own_port(server_options: ServeOptions) -> None:
    with start_in_thread(replace(server_options, tls=True)) as running, \
            httpx.Client(verify=ssl.create_default_context(cafile=running.ca_path), timeout=TIMEOUT) as http:
        assert running.base_url.startswith("https://127.0.0.1:")
        client = merchant(http, running.base_url)
        session = create_session(client)
    assert session["statusDetails"]["state"] == "Open"


def test_answers_are_not_held_back_by_nagle(server: RunningServer) -> None:
    """The accepted sockets have TCP_NODELAY (else a keep-alive answer waits ~40 ms for an ACK)."""
    with httpx.Client(timeout=TIMEOUT) as http:
        http.get(f"{server.base_url}/_harness/clock")
        connections = list(server.built.server.server_state.connections)
        assert connections
        sockets = [connection.transport.get_extra_info("socket") for connection in connections]
        assert all(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in sockets)


def _logged_while(server: RunningServer, headers: dict[str, str]) -> tuple[int, list[str]]:
    """The status of a control call with these headers, and what uvicorn logged meanwhile."""
    handler = logging.handlers.BufferingHandler(capacity=100)
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(handler)
    try:
        status = httpx.get(f"{server.base_url}/_harness/clock", headers=headers, timeout=TIMEOUT).status_code
    finally:
        uvicorn_log.removeHandler(handler)
    return status, [record.getMessage() for record in handler.buffer]


def test_an_http2_upgrade_offer_is_answered_in_http1_without_a_warning(server: RunningServer) -> None:
    """What java.net.http sends on plain HTTP (a Java shop's test calling the control API): no warning
    about WebSocket libraries, the answer in HTTP/1.1; any other upgrade still warns."""
    h2c = {"connection": "Upgrade, HTTP2-Settings", "upgrade": "h2c", "http2-settings": "AAEAAEAAAAIAAAAB"}
    assert _logged_while(server, h2c) == (200, [])
    status, logged = _logged_while(server, {"connection": "Upgrade", "upgrade": "websocket"})
    assert status == 200 and "Unsupported upgrade request." in logged
