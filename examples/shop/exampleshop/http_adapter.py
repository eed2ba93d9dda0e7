"""The harness's HTTP merchant contract for exampleshop (test code): the shop in its own process,
driven over HTTP as a shop in another language is (docs/merchant-adapter.md, "The HTTP form").

`python -m exampleshop.http_adapter --port 5000 [--variant broken_reconciler]` serves the shop's
pages at `/` and the contract at `/harness` on 127.0.0.1 (werkzeug's server); each
`POST /harness/reset` builds a fresh shop (empty database) with the key and store id it is given,
calling Amazon Pay at the harness server's `amazonPayUrl`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

from exampleshop.adapter import ExampleShopAdapter
from exampleshop.broken import NewKeyRetrier, ReasonCodeReconciler
from exampleshop.payments import Payments
from exampleshop.settings import Settings
from harness.amazon_pay.states import PaymentIntent
from harness.merchant import CheckoutRequest, ReceivedError
from harness.money import Money

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["VARIANTS", "HarnessEndpoints", "main"]

VARIANTS: dict[str, type[Payments]] = {"merchant": Payments, "broken_reconciler": ReasonCodeReconciler,
                                       "broken_retrier": NewKeyRetrier}
"""The shop's variants by the name of their factory in `exampleshop.adapter`."""


def _money(value: Any) -> Money | None:
    return None if value is None else Money.parse(value["amount"], value["currencyCode"])


def _checkout(body: dict[str, Any]) -> CheckoutRequest:
    amount = _money(body["amount"])
    if amount is None:
        raise ValueError("a checkout needs an amount")
    return CheckoutRequest(amount, PaymentIntent(body.get("paymentIntent", "Authorize")),
                           _money(body.get("totalOrderAmount")), bool(body.get("allowOvercharge")),
                           bool(body.get("extendExpiration")), bool(body.get("recurring")),
                           bool(body.get("canHandlePendingAuthorization")))


def _error(error: ReceivedError) -> dict[str, object]:
    return {"operation": error.operation, "status": error.status, "reasonCode": error.reason_code,
            "message": error.message}


class HarnessEndpoints:
    """The contract's endpoints over the current shop, and a WSGI app serving both."""

    def __init__(self, payments_class: type[Payments] = Payments) -> None:
        self.payments_class = payments_class
        self.shop: ExampleShopAdapter | None = None
        self.control = self._control_app()

    def _current(self) -> ExampleShopAdapter:
        if self.shop is None:
            raise LookupError("the shop was not reset yet: POST /harness/reset first")
        return self.shop

    def _control_app(self) -> Flask:
        app = Flask(__name__)

        @app.errorhandler(LookupError)
        def unknown(problem: LookupError) -> tuple[Response, int]:
            return jsonify({"error": "UnknownOrder", "message": str(problem)}), 404

        @app.errorhandler(ValueError)
        def refused(problem: ValueError) -> tuple[Response, int]:
            return jsonify({"error": "NotPossible", "message": str(problem)}), 409

        @app.post("/harness/reset")
        def reset() -> Response:
            body = request.get_json()
            server = body.get("amazonPayUrl")  # the simulator serves the API and the SNS certificate
            settings = Settings(public_key_id=body["publicKeyId"], private_key_pem=body["privateKey"],
                                store_id=body["storeId"], region=body.get("region", "jp"),
                                sandbox=bool(body.get("sandbox", True)), api_base_url=server,
                                sns_certificate_base=server, shop_url=request.host_url.rstrip("/"))
            self.shop = ExampleShopAdapter(settings, self.payments_class)
            return jsonify({})

        @app.post("/harness/checkouts")
        def checkouts() -> Response:
            body = request.get_json()
            return jsonify({"checkoutSessionId": self._current().start_checkout(body["orderId"],
                                                                                _checkout(body))})

        @app.post("/harness/buttons")
        def buttons() -> Response:
            body = request.get_json()
            config = self._current().render_button(body["orderId"], _checkout(body))
            return jsonify({"payloadJSON": config.payload_json, "signature": config.signature,
                            "publicKeyId": config.public_key_id, "algorithm": config.algorithm})

        @app.post("/harness/orders/<order_id>/<action>")
        def order_action(order_id: str, action: str) -> tuple[Response, int]:
            shop = self._current()
            if shop.order(order_id) is None:
                raise LookupError(f"the shop has no order {order_id}")
            amount = _money((request.get_json(silent=True) or {}).get("amount"))
            actions: dict[str, Callable[[], None]] = {
                "capture": lambda: shop.capture(order_id, amount), "cancel": lambda: shop.cancel(order_id),
                "close": lambda: shop.close(order_id)}
            if amount is not None:
                actions["refund"] = lambda: shop.refund(order_id, amount)
                actions["charge"] = lambda: shop.charge(order_id, amount)
            if action not in actions:
                return jsonify({"error": "BadRequest", "message": f"no action {action}, or no amount"}), 400
            actions[action]()
            return jsonify({}), 200

        @app.post("/harness/notifications")
        def notifications() -> Response:
            status = self._current().receive_notification(request.get_data(as_text=True),
                                                          dict(request.headers))
            return Response(status=status)

        @app.post("/harness/reconcile")
        def reconcile() -> Response:
            self._current().reconcile()
            return jsonify({})

        @app.post("/harness/reports")
        def reports() -> Response:
            body = request.get_json()
            report_id = self._current().request_report(body["reportType"],
                                                       datetime.fromisoformat(body["startTime"]),
                                                       datetime.fromisoformat(body["endTime"]))
            return jsonify({"reportId": report_id})

        @app.get("/harness/reports/<report_id>")
        def report(report_id: str) -> Response:
            return jsonify({"content": self._current().download_report(report_id)})

        @app.get("/harness/orders/<order_id>")
        def order(order_id: str) -> Response:
            record = self._current().order(order_id)
            if record is None:
                raise LookupError(f"the shop has no order {order_id}")
            return jsonify({"orderId": record.order_id, "status": str(record.status),
                            "checkoutSessionId": record.checkout_session_id,
                            "chargePermissionId": record.charge_permission_id, "chargeId": record.charge_id,
                            "errors": [_error(e) for e in record.errors],
                            "retried": [_error(e) for e in record.retried],
                            "flags": [str(flag) for flag in record.flags]})

        return app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """`/harness/...` to the contract, everything else to the current shop's pages."""
        if environ.get("PATH_INFO", "").startswith("/harness/"):
            return self.control(environ, start_response)
        return self._current().app(environ, start_response)


def main(argv: list[str] | None = None) -> None:
    """Serve the shop and the contract on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m exampleshop.http_adapter")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="merchant")
    options = parser.parse_args(argv)
    endpoints = HarnessEndpoints(VARIANTS[options.variant])
    server = make_server("127.0.0.1", options.port, endpoints, threaded=True)
    print(f"exampleshop ({options.variant}) on http://127.0.0.1:{server.server_port}/harness", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
