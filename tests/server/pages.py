"""A tiny shop for the page tests: a stdlib HTTP server on an ephemeral 127.0.0.1 port whose result
page completes the checkout through the Amazon Pay API of `harness serve`, as a real shop does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.server import RunningServer
from tests.server.conftest import TIMEOUT, YEN_5000, control, merchant


@dataclass
class Shop:
    """The shop's address, its Amazon Pay client and the orders it completed (session id: permission)."""

    base_url: str
    client: AmazonPayClient
    completed: dict[str, str]

    def start_checkout(self, server: RunningServer) -> str:
        """A Checkout Session for 5,000 JPY returning to this shop, the buyer signed in; its redirect URL."""
        session = self.client.create_checkout_session({
            "webCheckoutDetails": {"checkoutReviewReturnUrl": f"{self.base_url}/review",
                                   "checkoutResultReturnUrl": f"{self.base_url}/result"},
            "storeId": "amzn1.application-oa2-client.test",
            "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": YEN_5000}})
        session_id = session["checkoutSessionId"]
        assert control(server, "POST", "buyer/sign-in", {"checkoutSessionId": session_id}).status_code == 200
        url = self.client.get_checkout_session(session_id)["webCheckoutDetails"]["amazonPayRedirectUrl"]
        assert isinstance(url, str)
        return url


def _handler(shop: Shop) -> type[BaseHTTPRequestHandler]:
    class ResultPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            parts = urlsplit(self.path)
            session_id = parse_qs(parts.query).get("amazonCheckoutSessionId", [""])[0]
            if parts.path != "/result" or not session_id:
                self._answer(404, "not the result page")
                return
            try:
                done: dict[str, Any] = shop.client.complete_checkout_session(
                    session_id, {"chargeAmount": YEN_5000})
            except AmazonPayApiError as error:
                self._answer(200, f"<p id='result'>payment failed: {error.reason_code}</p>")
                return
            shop.completed[session_id] = done["chargePermissionId"]
            self._answer(200, f"<p id='result'>thank you: order {done['chargePermissionId']}</p>")

        def _answer(self, status: int, html: str) -> None:
            body = f"<!DOCTYPE html><html><body>{html}</body></html>".encode()
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return ResultPage


@contextmanager
def running_shop(server: RunningServer) -> Iterator[Shop]:
    """The shop while the block runs; stopped after."""
    with httpx.Client(timeout=TIMEOUT) as http:
        shop = Shop("", merchant(http, server.base_url), {})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(shop))
        shop.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        thread = threading.Thread(target=httpd.serve_forever, name="test-shop", daemon=True)
        thread.start()
        try:
            yield shop
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(TIMEOUT)
