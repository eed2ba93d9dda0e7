"""The shop's payment logic: checkout, review, completion, shipment, refunds, and keeping up with Amazon.

Every Amazon Pay error is written to the order's `payment_errors` and ends the action; nothing
is raised to the page but `UnknownOrderError` and `NotPossibleError` (a request the shop cannot act on).
The order's state always follows an object read from Amazon (`apply_*`), never a guess.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exampleshop.amazon_pay import AmazonPay, AmazonPayError, compact_json
from exampleshop.db import Database
from exampleshop.models import Capture, Mail, Order, OrderState, PaymentAttempt, PaymentError, Refund
from exampleshop.settings import Settings
from exampleshop.signing import Signer

__all__ = ["FINAL_STATES", "AnsweredError", "NotPossibleError", "Payments", "UnknownOrderError", "next_month"]

Json = dict[str, Any]

FINAL_STATES = frozenset({OrderState.CANCELLED, OrderState.CLOSED, OrderState.FRAUD_HOLD,
                          OrderState.ABANDONED})
"""States the reconciliation job no longer looks at."""

CHARGE_STATES = {"AuthorizationInitiated": OrderState.AUTHORIZING, "Authorized": OrderState.AWAITING_SHIPMENT,
                 "CaptureInitiated": OrderState.CAPTURING, "Captured": OrderState.SHIPPED,
                 "Declined": OrderState.DECLINED, "Canceled": OrderState.CANCELLED}
"""A Charge's state, in the shop's words."""


class UnknownOrderError(LookupError):
    """No order with this number."""


class NotPossibleError(ValueError):
    """The order is not in a state that allows the action (e.g. a refund with nothing captured)."""


class AnsweredError(Exception):
    """Amazon answered an error; it is recorded on the order."""


def _yen(amount: int) -> Json:
    return {"amount": str(amount), "currencyCode": "JPY"}


def _amount(price: Json | None) -> int | None:
    return None if not price else int(str(price["amount"]).split(".")[0])


class Payments:
    """The Amazon Pay side of the shop, over its database."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.signer = Signer(settings.public_key_id, settings.private_key_pem, settings.algorithm)
        self.amazon = AmazonPay(self.signer, region=settings.region, sandbox=settings.sandbox,
                                base_url=settings.api_base_url)

    # --- orders -----------------------------------------------------------------------------------

    @contextmanager
    def order(self, reference: str) -> Iterator[tuple[Session, Order]]:
        """The order with this number, in a session committed at the end (even after `AnsweredError`)."""
        with self.db.sessions() as session:
            order = session.scalars(select(Order).where(Order.reference == reference)).one_or_none()
            if order is None:
                raise UnknownOrderError(f"the shop has no order {reference}")
            try:
                yield session, order
            except AnsweredError:
                pass
            finally:
                session.commit()

    def create_order(self, reference: str, subtotal: int, *, intent: str = "Authorize",
                     recurring: bool = False, can_handle_pending: bool = False) -> None:
        """A new order at the checkout (the cart's contents are the shop's business, not Amazon's)."""
        with self.db.sessions.begin() as session:
            session.add(Order(reference=reference, subtotal=subtotal, total=subtotal, payment_intent=intent,
                              recurring=recurring, can_handle_pending=can_handle_pending))

    def shipping_fee(self, prefecture: str | None, subtotal: int) -> int:
        """送料: by prefecture, free from `free_shipping_from`."""
        if self.settings.free_shipping_from is not None and subtotal >= self.settings.free_shipping_from:
            return 0
        return self.settings.shipping_by_prefecture.get(prefecture or "", self.settings.shipping_default)

    # --- checkout ---------------------------------------------------------------------------------

    def _return_url(self, page: str, order: Order) -> str:
        return f"{self.settings.shop_url}/checkout/{page}?order={order.reference}"

    def _checkout_payload(self, order: Order) -> Json:
        payload: Json = {"webCheckoutDetails": {"checkoutReviewReturnUrl": self._return_url("review", order)},
                         "storeId": self.settings.store_id,
                         "scopes": ["name", "email", "phoneNumber", "shippingAddress", "billingAddress"]}
        if order.recurring:
            payload["chargePermissionType"] = "Recurring"
            payload["recurringMetadata"] = {"frequency": {"unit": "Month", "value": "1"},
                                            "amount": _yen(order.subtotal)}
        return payload

    def button_config(self, reference: str) -> Json:
        """The signed createCheckoutSessionConfig the cart page gives `amazon.Pay.renderButton`."""
        with self.order(reference) as (_, order):
            payload_json = compact_json(self._checkout_payload(order))
        return {"payloadJSON": payload_json, "signature": self.signer.sign_text(payload_json),
                "publicKeyId": self.signer.public_key_id, "algorithm": self.signer.algorithm}

    def _payment_details(self, order: Order) -> Json:
        return {"paymentIntent": order.payment_intent, "chargeAmount": _yen(order.total),
                "canHandlePendingAuthorization": order.can_handle_pending,
                "presentmentCurrency": "JPY"}

    def _metadata(self, order: Order) -> Json:
        return {"merchantReferenceId": order.reference, "merchantStoreName": self.settings.shop_name}

    def start_checkout(self, reference: str) -> str | None:
        """Create the Checkout Session on the server with every detail (the flow without a review page)."""
        with self.order(reference) as (session, order):
            body = self._checkout_payload(order)
            body["webCheckoutDetails"]["checkoutResultReturnUrl"] = self._return_url("result", order)
            body["paymentDetails"] = self._payment_details(order)
            body["merchantMetadata"] = self._metadata(order)
            answer = self._call(session, order, "createCheckoutSession",
                                lambda key: self.amazon.create_checkout_session(body, key))
            order.checkout_session_id = str(answer["checkoutSessionId"])
        return order.checkout_session_id

    def review(self, reference: str, session_id: str) -> tuple[Order, str | None]:
        """The review page: read the buyer's address, add shipping, update the session; the redirect URL."""
        redirect: str | None = None
        with self.order(reference) as (session, order):
            order.checkout_session_id = session_id
            checkout = self._call(session, order, "getCheckoutSession",
                                  lambda _: self.amazon.get_checkout_session(session_id))
            address = checkout.get("shippingAddress") or {}
            order.prefecture = address.get("stateOrRegion")
            order.buyer_email = (checkout.get("buyer") or {}).get("email")
            order.shipping_fee = self.shipping_fee(order.prefecture, order.subtotal)
            order.total = order.subtotal + order.shipping_fee
            update = {"webCheckoutDetails": {"checkoutResultReturnUrl": self._return_url("result", order)},
                      "paymentDetails": self._payment_details(order),
                      "merchantMetadata": self._metadata(order)}
            updated = self._call(session, order, "updateCheckoutSession",
                                 lambda _: self.amazon.update_checkout_session(session_id, update))
            redirect = (updated.get("webCheckoutDetails") or {}).get("amazonPayRedirectUrl")
        return order, redirect

    def complete(self, reference: str, session_id: str) -> Order:
        """The result page: Complete Checkout Session, then take the charge's state."""
        with self.order(reference) as (session, order):
            if order.checkout_session_id not in (None, session_id):
                raise NotPossibleError(f"order {reference} was checked out with another Checkout Session")
            order.checkout_session_id = session_id
            self._complete(session, order, session_id)
        return order

    def _complete(self, session: Session, order: Order, session_id: str) -> None:
        try:
            completed = self._call(session, order, "completeCheckoutSession",
                                   lambda key: self.amazon.complete_checkout_session(
                                       session_id, {"chargeAmount": _yen(order.total)}, key))
        except AnsweredError:
            if order.errors[-1].http_status == 422:  # read the session to tell a canceled checkout
                checkout = self._call(session, order, "getCheckoutSession",
                                      lambda _: self.amazon.get_checkout_session(session_id))
                if checkout["statusDetails"]["state"] == "Canceled":
                    order.state = OrderState.ABANDONED
            raise
        self._take_session(session, order, completed)

    def _take_session(self, session: Session, order: Order, checkout: Json) -> None:
        order.charge_permission_id = checkout.get("chargePermissionId")
        order.charge_id = checkout.get("chargeId")
        if order.recurring:
            order.next_billing_on = next_month(datetime.now(UTC).replace(tzinfo=None))
        if order.charge_id is None:
            order.state = OrderState.AGREED
        else:
            self.read_charge(session, order)

    # --- after the checkout -----------------------------------------------------------------------

    def ship(self, reference: str, amount: int | None = None) -> None:
        """出荷: capture the authorization at shipment (or charge and capture when there is none)."""
        with self.order(reference) as (session, order):
            if order.charge_id is not None and order.state == OrderState.AWAITING_SHIPMENT:
                charge_id = order.charge_id
                body = {"captureAmount": _yen(amount or order.charge_amount or order.total),
                        "softDescriptor": self.settings.shop_name[:16]}
                charge = self._call(session, order, "captureCharge",
                                    lambda key: self.amazon.capture_charge(charge_id, body, key),
                                    keep_key=True)
                self.apply_charge(session, order, charge)
            else:
                self._create_charge(session, order, amount or order.total, capture_now=True)

    def charge(self, reference: str, amount: int, *, capture_now: bool = False) -> None:
        """A further charge on the order's Charge Permission (the next month of a subscription)."""
        with self.order(reference) as (session, order):
            self._create_charge(session, order, amount, capture_now=capture_now)

    def _create_charge(self, session: Session, order: Order, amount: int, *, capture_now: bool) -> None:
        permission_id = self._require(order.charge_permission_id, order, "Charge Permission")
        body = {"chargePermissionId": permission_id, "chargeAmount": _yen(amount), "captureNow": capture_now,
                "canHandlePendingAuthorization": order.can_handle_pending,
                "merchantMetadata": self._metadata(order)}
        try:
            charge = self._call(session, order, "createCharge",
                                lambda key: self.amazon.create_charge(body, key), keep_key=True)
        except AnsweredError:
            self.read_permission(session, order)  # a hard decline leaves the permission NonChargeable
            raise
        order.charge_id = str(charge["chargeId"])
        if order.state == OrderState.PAYMENT_UPDATE_REQUESTED:
            order.state = OrderState.AGREED  # the buyer's new payment method works
        self.apply_charge(session, order, charge)

    def refund(self, reference: str, amount: int) -> None:
        """返金 on the order's latest charge."""
        with self.order(reference) as (session, order):
            charge_id = self._require(order.charge_id, order, "charge to refund")
            body = {"chargeId": charge_id, "refundAmount": _yen(amount),
                    "softDescriptor": self.settings.shop_name[:16]}
            answer = self._call(session, order, "createRefund",
                                lambda key: self.amazon.create_refund(body, key), keep_key=True)
            order.refunds.append(Refund(refund_id=str(answer["refundId"]), amount=amount,
                                        state=str(answer["statusDetails"]["state"])))
            order.state = OrderState.REFUNDED

    def cancel(self, reference: str) -> None:
        """Release the authorization (キャンセル before shipment)."""
        with self.order(reference) as (session, order):
            charge_id = self._require(order.charge_id, order, "charge to cancel")
            charge = self._call(session, order, "cancelCharge", lambda _: self.amazon.cancel_charge(
                charge_id, {"cancellationReason": f"order {reference} canceled by the shop"}))
            self.apply_charge(session, order, charge)

    def close(self, reference: str) -> None:
        """End the order's Charge Permission (a cancelled subscription, a finished order)."""
        with self.order(reference) as (session, order):
            permission_id = self._require(order.charge_permission_id, order, "Charge Permission")
            self._call(session, order, "closeChargePermission", lambda _: self.amazon.close_charge_permission(
                permission_id, {"closureReason": f"order {reference} closed by the shop",
                                "cancelPendingCharges": False}))
            order.state = OrderState.CLOSED
            order.next_billing_on = None

    # --- keeping up with Amazon -------------------------------------------------------------------

    def reconcile(self, session: Session, order: Order) -> None:
        """Read every Amazon object of the order and take its state (the job and the IPN end here)."""
        if order.charge_permission_id is None and order.checkout_session_id is not None:
            self._reconcile_checkout(session, order, order.checkout_session_id)
            if order.charge_permission_id is not None:
                self.read_permission(session, order)  # Amazon may have closed it since (a fraud close)
            return
        if order.charge_id is not None:
            self.read_charge(session, order)
        for refund in order.refunds:
            if refund.state == "RefundInitiated":
                self.read_refund(session, order, refund)
        if order.charge_permission_id is not None:
            self.read_permission(session, order)

    def _reconcile_checkout(self, session: Session, order: Order, session_id: str) -> None:
        """A checkout the buyer has not come back from: completed once it is old enough, abandoned once
        Amazon canceled it or no longer has it (Amazon keeps a Checkout Session 30 days)."""
        try:
            checkout = self._call(session, order, "getCheckoutSession",
                                  lambda _: self.amazon.get_checkout_session(session_id))
        except AnsweredError:
            if order.errors[-1].reason_code == "ResourceNotFound":
                order.state = OrderState.ABANDONED  # past the retention: it never completed
            raise
        state = checkout["statusDetails"]["state"]
        if state == "Canceled":
            order.state = OrderState.ABANDONED
        elif state == "Completed":
            self._take_session(session, order, checkout)
        elif _age(order) >= self.settings.recover_checkouts_after:
            self._complete(session, order, session_id)  # paid, but the buyer never came back

    def read_refund(self, session: Session, order: Order, refund: Refund) -> None:
        """Get Refund, and take its state."""
        answer = self._call(session, order, "getRefund", lambda _: self.amazon.get_refund(refund.refund_id))
        refund.state = str(answer["statusDetails"]["state"])

    def read_charge(self, session: Session, order: Order) -> None:
        """Get Charge, and take its state."""
        charge_id = str(order.charge_id)
        self.apply_charge(session, order, self._call(session, order, "getCharge",
                                                      lambda _: self.amazon.get_charge(charge_id)))

    def read_permission(self, session: Session, order: Order) -> None:
        """Get Charge Permission, and take its state."""
        permission_id = self._require(order.charge_permission_id, order, "Charge Permission")
        permission = self._call(session, order, "getChargePermission",
                                lambda _: self.amazon.get_charge_permission(permission_id))
        self.apply_permission(session, order, permission)

    def apply_charge(self, session: Session, order: Order, charge: Json) -> None:
        """Take a Charge's state (a refunded order stays refunded when its charge reads Captured)."""
        self._book_capture(order, charge)
        if str(charge["chargeId"]) != order.charge_id:
            return  # an older charge of the order
        order.charge_amount = _amount(charge.get("chargeAmount")) or order.charge_amount
        order.charge_state = str(charge["statusDetails"]["state"])
        state = CHARGE_STATES[order.charge_state]
        if order.state in (OrderState.FRAUD_HOLD, OrderState.PAYMENT_UPDATE_REQUESTED):
            return
        if not (state == OrderState.SHIPPED and order.state == OrderState.REFUNDED):
            order.state = state

    @staticmethod
    def _book_capture(order: Order, charge: Json) -> None:
        """A Captured charge goes into the shop's ledger once, with the amount Amazon captured."""
        charge_id = str(charge["chargeId"])
        amount = _amount(charge.get("captureAmount"))
        if charge["statusDetails"]["state"] != "Captured" or amount is None:
            return
        if all(capture.charge_id != charge_id for capture in order.captures):
            order.captures.append(Capture(charge_id=charge_id, amount=amount))

    def apply_permission(self, session: Session, order: Order, permission: Json) -> None:
        """Take a Charge Permission's state: Amazon's close is a fraud hold, NonChargeable asks the buyer."""
        details = permission["statusDetails"]
        reasons = {reason["reasonCode"] for reason in details.get("reasons") or []}
        if details["state"] == "Closed":
            self.apply_closed_permission(order, reasons)
        elif details["state"] == "NonChargeable":
            # an authorization already granted stays good to capture, and a one-time order that is over
            # (shipped, refunded, canceled) charges nothing more: only new charges need the update
            over = (OrderState.SHIPPED, OrderState.REFUNDED, OrderState.CANCELLED)
            if order.state != OrderState.AWAITING_SHIPMENT and (order.recurring or order.state not in over):
                self._ask_for_payment_update(session, order)
        elif order.state == OrderState.PAYMENT_UPDATE_REQUESTED:
            order.state = OrderState.AGREED

    def apply_closed_permission(self, order: Order, reasons: set[str]) -> None:
        """A closed Charge Permission: Amazon closing a paid order is a fraud hold (never ship it)."""
        order.next_billing_on = None
        if "AmazonCanceled" in reasons:
            order.state = OrderState.FRAUD_HOLD
        elif order.state not in (OrderState.SHIPPED, OrderState.REFUNDED, OrderState.CANCELLED):
            order.state = OrderState.CLOSED

    def _ask_for_payment_update(self, session: Session, order: Order) -> None:
        if order.state == OrderState.PAYMENT_UPDATE_REQUESTED:
            return
        order.state = OrderState.PAYMENT_UPDATE_REQUESTED
        subject = f"【{self.settings.shop_name}】お支払い方法の更新のお願い ({order.reference})"
        order.mails.append(Mail(kind="update-payment-method", to=order.buyer_email, subject=subject))

    # --- plumbing ---------------------------------------------------------------------------------

    def _call(self, session: Session, order: Order, operation: str, call: Callable[[str], Json], *,
              keep_key: bool = False) -> Json:
        """Call Amazon, retrying timeouts and 5xx/429 under the same idempotency key, as the PHP and Java
        SDKs do; `keep_key`: a payment action, whose key is kept in the database with the order."""
        key = self.idempotency_key(session, order, operation) if keep_key else uuid.uuid4().hex
        tries = 1 + self.settings.retries
        for attempt in range(tries):
            try:
                return call(key)
            except AmazonPayError as error:
                again = error.retryable and attempt + 1 < tries
                order.errors.append(PaymentError(operation=operation, http_status=error.status, retried=again,
                                                 reason_code=error.reason_code, message=error.message[:1000]))
                if not again:
                    raise AnsweredError from error
                key = self.retry_key(session, order, operation, key)
        raise AssertionError("unreachable")

    def idempotency_key(self, session: Session, order: Order, operation: str) -> str:
        """A fresh key for a new payment action, kept in the database with the order."""
        key = uuid.uuid4().hex
        session.add(PaymentAttempt(order_id=order.id, operation=operation, idempotency_key=key))
        return key

    def retry_key(self, session: Session, order: Order, operation: str, key: str) -> str:
        """The key a retry sends: the same one, so Amazon answers the first request's result."""
        return key

    @staticmethod
    def _require(value: str | None, order: Order, what: str) -> str:
        if value is None:
            raise NotPossibleError(f"order {order.reference} has no {what} (it is {order.state})")
        return value


def _age(order: Order) -> timedelta:
    return datetime.now(UTC).replace(tzinfo=None) - order.created_at


def next_month(moment: datetime) -> datetime:
    """The same day next month (days after the 28th move to the 28th, so every month has one)."""
    month = moment.month % 12 + 1
    return moment.replace(year=moment.year + (moment.month == 12), month=month, day=min(moment.day, 28))
