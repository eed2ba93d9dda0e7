"""The shop's web application (Flask): the cart with the Amazon Pay button, the review and result
pages, the back office's shipment / refund / cancel / close, the buyer's order page and the IPN endpoint."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exampleshop import jobs
from exampleshop.db import Database
from exampleshop.ipn import InvalidNotificationError, NotificationVerifier, download_from
from exampleshop.models import Notification, Order, OrderState
from exampleshop.payments import NotPossibleError, Payments, UnknownOrderError
from exampleshop.settings import Settings

__all__ = ["Shop", "create_app", "shop_of"]

BUTTON_SCRIPT = "https://static-fe.payments-amazon.com/checkout.js"


class Shop:
    """What the app is made of: settings, database, payments and the IPN verifier."""

    def __init__(self, settings: Settings, payments_class: type[Payments] = Payments) -> None:
        self.settings = settings
        self.db = Database(settings.database_url)
        self.payments = payments_class(settings, self.db)
        self.verifier = NotificationVerifier(download_from(settings.sns_certificate_base),
                                             trusted_ca_pem=settings.sns_trusted_ca_pem)

    def receive_notification(self, body: str) -> int:
        """The IPN endpoint's work: 200 once handled (a duplicate too), 400 for a message not from Amazon."""
        try:
            envelope = self.verifier.verify(body)
            if envelope["Type"] != "Notification":
                return 200  # subscriptions are confirmed in Seller Central, not here
            note = self.verifier.notification(envelope)
        except InvalidNotificationError:
            return 400
        permission_id = note.charge_permission_id or note.object_id.split("-C")[0].split("-R")[0]
        with self.db.sessions() as session:
            try:
                session.add(Notification(notification_id=note.notification_id, object_type=note.object_type,
                                         object_id=note.object_id, notification_type=note.notification_type))
                session.flush()
            except IntegrityError:
                return 200  # already handled: SNS delivers at least once
            order = session.scalars(select(Order).where(Order.charge_permission_id == permission_id)).first()
            if order is not None:
                try:
                    self.payments.reconcile(session, order)
                except Exception:
                    session.rollback()
                    return 500  # SNS retries later
            session.commit()
        return 200


def shop_of(app: Flask) -> Shop:
    """The `Shop` behind an app made by `create_app`."""
    shop: Shop = app.extensions["exampleshop"]
    return shop


def create_app(settings: Settings, payments_class: type[Payments] = Payments) -> Flask:
    """The shop's Flask app."""
    app = Flask(__name__)
    app.secret_key = settings.secret_key
    shop = Shop(settings, payments_class)
    app.extensions["exampleshop"] = shop
    payments = shop.payments

    def error(status: int, code: str, message: str) -> Response:
        answer = jsonify({"error": code, "message": message})
        answer.status_code = status
        return answer

    @app.errorhandler(UnknownOrderError)
    def unknown_order(problem: UnknownOrderError) -> Response:
        return error(404, "UnknownOrder", str(problem))

    @app.errorhandler(NotPossibleError)
    def not_possible(problem: NotPossibleError) -> Response:
        return error(409, "NotPossible", str(problem))

    @app.get("/cart/<reference>")
    def cart(reference: str) -> str:
        with payments.order(reference) as (_, order):
            pass
        config = {"merchantId": settings.merchant_id, "ledgerCurrency": "JPY", "checkoutLanguage": "ja_JP",
                  "productType": "PayAndShip", "placement": "Cart", "buttonColor": "Gold",
                  "sandbox": settings.sandbox,
                  "createCheckoutSessionConfig": payments.button_config(reference)}
        return render_template("cart.html", order=order, config=json.dumps(config, ensure_ascii=False),
                               script=BUTTON_SCRIPT, shop=settings.shop_name)

    @app.post("/checkout/<reference>/start")
    def start(reference: str) -> Response:
        return jsonify({"checkoutSessionId": payments.start_checkout(reference)})

    @app.get("/checkout/review")
    def review() -> ResponseReturnValue:
        order, redirect_url = payments.review(_arg("order"), _arg("amazonCheckoutSessionId"))
        if redirect_url is None:
            return render_template("review.html", order=order, shop=settings.shop_name)
        return redirect(redirect_url, 303)  # Amazon's page shows the total with shipping; the buyer pays

    @app.get("/checkout/result")
    def result() -> str:
        order = payments.complete(_arg("order"), _arg("amazonCheckoutSessionId"))
        return render_template("result.html", order=order, shop=settings.shop_name,
                               paid=order.state in (OrderState.AWAITING_SHIPMENT, OrderState.SHIPPED,
                                                    OrderState.AUTHORIZING, OrderState.AGREED))

    @app.get("/mypage/orders/<reference>")
    def my_order(reference: str) -> str:
        with payments.order(reference) as (_, order):
            mails = [mail.subject for mail in order.mails]
        return render_template("order.html", order=order, mails=mails, shop=settings.shop_name,
                               update_needed=order.state == OrderState.PAYMENT_UPDATE_REQUESTED)

    @app.post("/admin/orders/<reference>/<action>")
    def back_office(reference: str, action: str) -> Response:
        amount = _amount_in(request.get_json(silent=True) or {})
        if action == "ship":
            payments.ship(reference, amount)
        elif action == "refund" and amount is not None:
            payments.refund(reference, amount)
        elif action == "charge" and amount is not None:
            payments.charge(reference, amount)
        elif action == "cancel":
            payments.cancel(reference)
        elif action == "close":
            payments.close(reference)
        else:
            return error(400, "BadRequest", f"unknown action {action!r} or missing amount")
        return jsonify({"ok": True})

    @app.post("/admin/jobs/<name>")
    def run_job(name: str) -> Response:
        if name == "reconcile":
            return jsonify({"orders": jobs.reconcile(payments)})
        if name == "bill-subscriptions":
            return jsonify({"billed": jobs.bill_subscriptions(payments)})
        return error(404, "UnknownJob", f"no job {name!r}; jobs: reconcile, bill-subscriptions")

    @app.post("/amazon-pay/ipn")
    def ipn() -> Response:
        return Response(status=shop.receive_notification(request.get_data(as_text=True)))

    return app


def _arg(name: str) -> str:
    value = request.args.get(name)
    if not value:
        abort(400, f"the query parameter {name} is missing")
    return value


def _amount_in(body: dict[str, Any]) -> int | None:
    value = body.get("amount")
    return None if value is None else int(value)
