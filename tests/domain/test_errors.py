"""Errors (docs/reference/amazon-pay-v2.md §4): the `{reasonCode, message}` shape, the HTTP status of each
code
(§4.2), and which operation answers what (§4.3), each provoked by a real call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from harness.amazon_pay import AmazonPayError, PaymentIntent, ReasonCode
from harness.amazon_pay.errors import HTTP_STATUS, invalid_value, not_found, wrong_state
from harness.money import Money
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import (
    approved_checkout,
    charge_of,
    completed_checkout,
    new_simulator,
    open_checkout,
    payment_details,
    permission_of,
    yen,
)

SECTION_4_2 = {
    400: ["InvalidHeaderValue", "InvalidRequest", "InvalidParameterValue", "InvalidRequestFormat",
          "MissingHeader", "MissingHeaderValue", "MissingParameterValue", "UnrecognizedField",
          "InvalidSandboxSimulationSpecified", "DuplicateIdempotencyKey", "InvalidParameterCombination",
          "CurrencyMismatch", "TransactionAmountExceeded", "PeriodicAmountExceeded"],
    401: ["UnauthorizedAccess"],
    403: ["InvalidAuthentication", "InvalidAccountStatus", "InvalidRequestSignature"],
    404: ["ResourceNotFound"],
    405: ["UnsupportedOperation", "RequestNotSupported"],
    408: ["RequestTimeout"],
    409: ["AmountMismatch"],
    422: ["InvalidCheckoutSessionStatus", "CheckoutSessionCanceled", "InvalidChargePermissionStatus",
          "ChargePermissionNotModifiable", "InvalidChargeStatus", "TransactionCountExceeded",
          "SoftDeclined", "HardDeclined", "PaymentMethodNotAllowed", "MFANotCompleted",
          "TransactionTimedOut", "AmazonRejected"],
    429: ["TooManyRequests"],
    500: ["InternalServerError", "ProcessingFailure"],
    503: ["ServiceUnavailable"],
}


@pytest.mark.parametrize(("code", "status"),
                         [(code, status) for status, codes in SECTION_4_2.items() for code in codes])
def test_each_reason_code_has_its_http_status(code: str, status: int) -> None:
    assert HTTP_STATUS[code] == status
    assert AmazonPayError(code, "text").http_status == status


def test_error_body_shape() -> None:
    error = AmazonPayError("InvalidParameterValue", "The value '705.00' provided for 'chargeAmount.Amount' "
                                                    "is invalid.")
    assert error.to_json() == {"reasonCode": "InvalidParameterValue",
                               "message": "The value '705.00' provided for 'chargeAmount.Amount' "
                                          "is invalid."}
    assert invalid_value("705.00", "chargeAmount.Amount").message == error.message


def test_unknown_reason_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown reasonCode"):
        AmazonPayError("SomethingNew", "text")


def test_error_helpers() -> None:
    assert not_found("Charge", "X").http_status == 404
    error = wrong_state("InvalidChargeStatus", "Charge", "Captured", "Capture Charge")
    assert (error.http_status, "Captured" in error.message) == (422, True)


# --- §4.3: which operation answers what, provoked for real ------------------------------------------

Call = Callable[[Simulator], object]


def _complete_other_amount(sim: Simulator) -> object:
    return sim.api.complete_checkout_session(approved_checkout(sim, 5000).id, yen(5001))


def _complete_canceled(sim: Simulator) -> object:
    return sim.api.complete_checkout_session(approved_checkout(sim, 5000, card="3434").id, yen(5000))


def _complete_twice(sim: Simulator) -> object:
    return sim.api.complete_checkout_session(completed_checkout(sim, 5000).id, yen(5000))


def _update_after_approval(sim: Simulator) -> object:
    return sim.api.update_checkout_session(approved_checkout(sim, 5000).id, payment=payment_details(1))


def _update_in_dollars(sim: Simulator) -> object:
    return sim.api.update_checkout_session(open_checkout(sim).id,
                                           payment=payment_details(Money.of("1.00", "USD")))


def _update_too_much(sim: Simulator) -> object:
    return sim.api.update_checkout_session(open_checkout(sim).id, payment=payment_details(10_000_001))


def _close_twice(sim: Simulator) -> object:
    permission_id = permission_of(sim, completed_checkout(sim)).id
    sim.api.close_charge_permission(permission_id)
    return sim.api.close_charge_permission(permission_id)


def _update_closed_permission(sim: Simulator) -> object:
    permission_id = permission_of(sim, completed_checkout(sim)).id
    sim.api.close_charge_permission(permission_id)
    return sim.api.update_charge_permission(permission_id, None)


def _charge_above_balance(sim: Simulator) -> object:
    return sim.api.create_charge(permission_of(sim, completed_checkout(sim, 5000)).id, yen(1))


def _charge_26th(sim: Simulator) -> object:
    permission_id = permission_of(sim, completed_checkout(sim, 1, total_order_amount=100)).id
    for _ in range(24):
        sim.api.create_charge(permission_id, yen(1))
    return sim.api.create_charge(permission_id, yen(1))


def _charge_on_closed(sim: Simulator) -> object:
    permission_id = permission_of(sim, completed_checkout(sim, intent=PaymentIntent.CONFIRM)).id
    sim.api.close_charge_permission(permission_id)
    return sim.api.create_charge(permission_id, yen(1))


def _declined(reason: ReasonCode) -> Call:
    def call(sim: Simulator) -> object:
        permission_id = permission_of(sim, completed_checkout(sim, intent=PaymentIntent.CONFIRM)).id
        sim.amazon.decline_next_authorization(permission_id, reason)
        return sim.api.create_charge(permission_id, yen(1))
    return call


def _capture_twice(sim: Simulator) -> object:
    charge_id = charge_of(sim, completed_checkout(sim, 5000, total_order_amount=9000)).id
    sim.api.capture_charge(charge_id, yen(1000))
    return sim.api.capture_charge(charge_id, yen(1000))


def _capture_too_much(sim: Simulator) -> object:
    return sim.api.capture_charge(charge_of(sim, completed_checkout(sim, 5000)).id, yen(5001))


def _cancel_captured(sim: Simulator) -> object:
    charge_id = charge_of(sim, completed_checkout(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)).id
    return sim.api.cancel_charge(charge_id)


def _refund_uncaptured(sim: Simulator) -> object:
    return sim.api.create_refund(charge_of(sim, completed_checkout(sim, 5000)).id, yen(1))


def _refund_above_cap(sim: Simulator) -> object:
    charge_id = charge_of(sim, completed_checkout(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)).id
    return sim.api.create_refund(charge_id, yen(5751))


def _refund_11th(sim: Simulator) -> object:
    charge_id = charge_of(sim, completed_checkout(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)).id
    for _ in range(10):
        sim.api.create_refund(charge_id, yen(1))
    return sim.api.create_refund(charge_id, yen(1))


def _operator_cancel_closed(sim: Simulator) -> object:
    view = SellerCentral(sim)
    permission_id = permission_of(sim, completed_checkout(sim)).id
    view.close(permission_id)
    view.cancel(permission_id)
    return None


def _get_expired_session_complete(sim: Simulator) -> object:
    session = approved_checkout(sim)
    sim.advance(timedelta(hours=24))
    return sim.api.complete_checkout_session(session.id, yen(5000))


@pytest.mark.parametrize(("call", "code", "status"), [
    (_complete_other_amount, "AmountMismatch", 409),
    (_complete_canceled, "InvalidCheckoutSessionStatus", 422),  # docs/reference/README.md Corrections 3
    (_get_expired_session_complete, "InvalidCheckoutSessionStatus", 422),
    (_complete_twice, "InvalidCheckoutSessionStatus", 422),
    (_update_after_approval, "InvalidCheckoutSessionStatus", 422),
    (_update_in_dollars, "CurrencyMismatch", 400),
    (_update_too_much, "InvalidParameterValue", 400),
    (_close_twice, "InvalidChargePermissionStatus", 422),
    (_update_closed_permission, "ChargePermissionNotModifiable", 422),
    (_charge_above_balance, "TransactionAmountExceeded", 400),
    (_charge_26th, "TransactionCountExceeded", 422),
    (_charge_on_closed, "InvalidChargePermissionStatus", 422),
    (_declined(ReasonCode.SOFT_DECLINED), "SoftDeclined", 422),
    (_declined(ReasonCode.HARD_DECLINED), "HardDeclined", 422),
    (_declined(ReasonCode.AMAZON_REJECTED), "AmazonRejected", 422),
    (_declined(ReasonCode.TRANSACTION_TIMED_OUT), "TransactionTimedOut", 422),
    (_declined(ReasonCode.PROCESSING_FAILURE), "ProcessingFailure", 500),
    (_capture_twice, "InvalidChargeStatus", 422),
    (_capture_too_much, "TransactionAmountExceeded", 400),
    (_cancel_captured, "InvalidChargeStatus", 422),
    (_refund_uncaptured, "InvalidChargeStatus", 422),
    (_refund_above_cap, "TransactionAmountExceeded", 400),
    (_refund_11th, "TransactionCountExceeded", 422),
    (_operator_cancel_closed, "InvalidChargePermissionStatus", 422),
], ids=lambda value: getattr(value, "__name__", None))
def test_operation_errors(call: Call, code: str, status: int) -> None:
    sim = new_simulator()
    with pytest.raises(AmazonPayError) as error:
        call(sim)
    assert (error.value.reason_code, error.value.http_status) == (code, status)
    assert error.value.to_json()["reasonCode"] == code
    assert error.value.message


def test_a_refused_call_changes_nothing() -> None:
    sim = new_simulator()
    session = completed_checkout(sim, 5000)
    before = len(sim.ledger.events)
    for call in (lambda: sim.api.capture_charge(session.charge_id or "", yen(5001)),
                 lambda: sim.api.create_charge(session.charge_permission_id or "", yen(1)),
                 lambda: sim.api.complete_checkout_session(session.id, yen(5000)),
                 lambda: sim.api.create_refund(session.charge_id or "", yen(1))):
        with pytest.raises(AmazonPayError):
            call()
    assert len(sim.ledger.events) == before
    assert charge_of(sim, session).capture_amount is None
