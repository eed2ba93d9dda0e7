"""The Web Store operations: the table, each modelled handler, and each simulation code's effect."""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.amazon_pay.errors import AmazonPayError
from harness.amazon_pay.states import PaymentIntent
from harness.api.operations import Operation, Reply
from harness.api.routing import Router
from harness.api.web_store import OPERATIONS, SESSION_RETENTION
from harness.simulator import Simulator
from tests.api.wire_objects import (
    REVIEW_URL,
    approved_session,
    call,
    completed_session,
    open_session,
)

JPY = "JPY"
SDK_SURFACE = {  # docs/reference/official-sdks.md §5, one name per method and path
    "getBuyer", "createCheckoutSession", "getCheckoutSession", "updateCheckoutSession",
    "completeCheckoutSession", "finalizeCheckoutSession", "getChargePermission",
    "updateChargePermission", "closeChargePermission", "createCharge", "getCharge", "updateCharge",
    "captureCharge", "cancelCharge", "createRefund", "getRefund", "getReports", "getReportById",
    "getReportDocument", "getReportSchedules", "getReportScheduleById", "createReport",
    "createReportSchedule", "cancelReportSchedule", "getDisbursements", "deliveryTrackers",
    "getAuthorizationToken", "instoreMerchantScan", "instoreCharge", "instoreRefund",
    "createMerchantAccount", "updateMerchantAccount", "deleteAmazonPayAccount", "merchantAccountClaim",
    "createStore", "updateStore", "createDispute", "getDispute", "updateDispute", "contestDispute",
    "uploadFile",
}
REPORTS = {"getReports", "getReportById", "getReportDocument", "getReportSchedules", "getReportScheduleById",
           "createReport", "createReportSchedule", "cancelReportSchedule", "getDisbursements"}
MODELLED = {"createCheckoutSession", "getCheckoutSession", "updateCheckoutSession",
            "completeCheckoutSession", "finalizeCheckoutSession", "getChargePermission",
            "updateChargePermission", "closeChargePermission", "createCharge", "getCharge",
            "captureCharge", "cancelCharge", "createRefund", "getRefund", "getBuyer", *REPORTS}
NOT_SDK_CALLS = {"downloadReportDocument"}
"""Routes of the simulator that no SDK method names: a report document's url (D-REPORT-DOCUMENT-URL)."""


def price(amount: int) -> dict[str, object]:
    return {"amount": str(amount), "currencyCode": JPY}


def op(name: str) -> Operation:
    return next(operation for operation in OPERATIONS if operation.name == name)


def run(name: str, sim: Simulator, body: dict[str, object] | None = None, *,
        code: str | None = None, **path: str) -> Reply:
    handler = op(name).handler
    assert handler is not None
    return handler(call(sim, body, code=code, **path))


def fails(name: str, sim: Simulator, body: dict[str, object] | None = None, *,
          code: str | None = None, **path: str) -> AmazonPayError:
    with pytest.raises(AmazonPayError) as caught:
        run(name, sim, body, code=code, **path)
    return caught.value


def status_of(body: dict[str, object]) -> dict[str, object]:
    details = body["statusDetails"]
    assert isinstance(details, dict)
    return details


def state_and_reason(body: dict[str, object]) -> tuple[object, object]:
    details = status_of(body)
    if "reasons" in details:
        reasons = details["reasons"]
        reason = reasons[0]["reasonCode"] if isinstance(reasons, list) else None
        return details["state"], reason
    return details["state"], details["reasonCode"]



def chargeable_permission(sim: Simulator, amount: int = 1000) -> str:
    """A permission with its whole balance (paymentIntent Confirm: no checkout charge)."""
    session = completed_session(sim, amount, intent=PaymentIntent.CONFIRM)
    assert session.charge_permission_id is not None
    return session.charge_permission_id


def authorized_charge(sim: Simulator, amount: int = 500) -> str:
    session = completed_session(sim, amount)
    assert session.charge_id is not None
    return session.charge_id


# --- the table -------------------------------------------------------------------------------

def test_the_table_covers_the_whole_sdk_surface_once() -> None:
    names = [operation.name for operation in OPERATIONS]
    assert len(names) == len(set(names))
    assert set(names) == SDK_SURFACE | NOT_SDK_CALLS
    assert {operation.name for operation in OPERATIONS if operation.download is not None} == NOT_SDK_CALLS
    Router(OPERATIONS)  # no two operations share a method and path


def test_exactly_the_modelled_operations_have_handlers() -> None:
    assert {operation.name for operation in OPERATIONS if operation.handler is not None} == MODELLED


def test_creates_and_capture_require_an_idempotency_key() -> None:
    required = {operation.name for operation in OPERATIONS if operation.idempotency_key_required}
    assert required == {"createCheckoutSession", "createCharge", "captureCharge", "createRefund"}


def test_simulation_codes_per_operation() -> None:
    codes = {operation.name: operation.simulation_codes for operation in OPERATIONS
             if operation.simulation_codes}
    checkout = frozenset({"BuyerCanceled", "AmazonCanceled", "Declined"})
    assert codes == {
        "completeCheckoutSession": checkout,
        "finalizeCheckoutSession": checkout,
        "closeChargePermission": frozenset({"AmazonClosed"}),
        "createCharge": frozenset({"SoftDeclined", "HardDeclined", "AmazonRejected",
                                   "TransactionTimedOut", "ProcessingFailure",
                                   "AuthorizationInitiated", "CaptureInitiated"}),
        "captureCharge": frozenset({"CaptureInitiated"}),
    }


def test_paths_are_relative_to_v2() -> None:
    assert op("closeChargePermission").method == "DELETE"
    assert op("closeChargePermission").path == "chargePermissions/{chargePermissionId}/close"
    assert op("cancelCharge").path == "charges/{chargeId}/cancel"
    assert all(not operation.path.startswith("/") for operation in OPERATIONS)


# --- Checkout Sessions -----------------------------------------------------------------------

def test_create_checkout_session_answers_201_with_an_open_session(sim: Simulator) -> None:
    reply = run("createCheckoutSession", sim, {
        "webCheckoutDetails": {"checkoutReviewReturnUrl": REVIEW_URL},
        "storeId": "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef",
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": price(500)},
    })
    assert reply.status == 201
    assert state_and_reason(reply.body) == ("Open", None)
    assert reply.body["storeId"] == "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
    session_id = reply.body["checkoutSessionId"]
    assert isinstance(session_id, str) and session_id in sim.ledger.checkout_sessions


def test_get_checkout_session_answers_200(sim: Simulator) -> None:
    session = open_session(sim)
    reply = run("getCheckoutSession", sim, checkoutSessionId=session.id)
    assert reply.status == 200 and reply.body["checkoutSessionId"] == session.id


def test_a_checkout_session_is_gone_after_30_days(sim: Simulator) -> None:
    session = open_session(sim)
    sim.advance(SESSION_RETENTION)
    error = fails("getCheckoutSession", sim, checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (404, "ResourceNotFound")


def test_update_merges_the_fields_it_sends(sim: Simulator) -> None:
    session = open_session(sim, 500)
    reply = run("updateCheckoutSession", sim,
                {"paymentDetails": {"chargeAmount": price(800)},
                 "merchantMetadata": {"merchantReferenceId": "order-1"},
                 "chargePermissionType": "OneTime", "platformId": "SPID"},
                checkoutSessionId=session.id)
    assert reply.status == 200
    payment = reply.body["paymentDetails"]
    assert isinstance(payment, dict)
    assert payment["chargeAmount"] == price(800) and payment["paymentIntent"] == "Authorize"
    assert session.web.checkout_review_return_url == REVIEW_URL
    assert session.merchant_metadata.merchant_reference_id == "order-1"


def test_update_rejects_another_presentment_currency(sim: Simulator) -> None:
    session = open_session(sim)
    error = fails("updateCheckoutSession", sim, {"paymentDetails": {"presentmentCurrency": "USD"}},
                  checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (400, "CurrencyMismatch")


def test_update_cannot_change_the_charge_permission_type(sim: Simulator) -> None:
    session = open_session(sim)
    error = fails("updateCheckoutSession", sim, {"chargePermissionType": "Recurring"},
                  checkoutSessionId=session.id)
    assert error.reason_code == "InvalidParameterValue" and "does not model" in error.message


def test_update_after_approval_is_422(sim: Simulator) -> None:
    session = approved_session(sim)
    error = fails("updateCheckoutSession", sim, {"paymentDetails": {"chargeAmount": price(800)}},
                  checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (422, "InvalidCheckoutSessionStatus")


@pytest.mark.parametrize("name", ["completeCheckoutSession", "finalizeCheckoutSession"])
def test_complete_answers_200_with_the_ids(sim: Simulator, name: str) -> None:
    session = approved_session(sim, 500)
    reply = run(name, sim, {"chargeAmount": price(500)}, checkoutSessionId=session.id)
    assert reply.status == 200
    assert state_and_reason(reply.body) == ("Completed", None)
    assert reply.body["chargePermissionId"] == session.charge_permission_id
    assert reply.body["chargeId"] == session.charge_id


def test_complete_answers_202_while_the_authorization_is_pending(sim: Simulator) -> None:
    session = approved_session(sim, 500, card="0701")
    reply = run("completeCheckoutSession", sim, {"chargeAmount": price(500)},
                checkoutSessionId=session.id)
    assert reply.status == 202


def test_complete_with_another_amount_is_409(sim: Simulator) -> None:
    session = approved_session(sim, 500)
    error = fails("completeCheckoutSession", sim, {"chargeAmount": price(400)},
                  checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (409, "AmountMismatch")


def test_complete_twice_is_422(sim: Simulator) -> None:
    session = completed_session(sim, 500)
    error = fails("completeCheckoutSession", sim, {"chargeAmount": price(500)},
                  checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (422, "InvalidCheckoutSessionStatus")


@pytest.mark.parametrize("code", ["BuyerCanceled", "AmazonCanceled", "Declined"])
def test_complete_codes_cancel_the_checkout(sim: Simulator, code: str) -> None:
    session = approved_session(sim, 500)
    error = fails("completeCheckoutSession", sim, {"chargeAmount": price(500)}, code=code,
                  checkoutSessionId=session.id)
    assert (error.http_status, error.reason_code) == (422, "InvalidCheckoutSessionStatus")
    shown = run("getCheckoutSession", sim, checkoutSessionId=session.id).body
    assert state_and_reason(shown) == ("Canceled", code)
    assert session.charge_permission_id is not None and session.charge_id is not None
    permission = run("getChargePermission", sim, chargePermissionId=session.charge_permission_id).body
    assert state_and_reason(permission) == ("Closed", "AmazonCanceled")
    charge = run("getCharge", sim, chargeId=session.charge_id).body
    assert state_and_reason(charge) == ("Canceled", "AmazonCanceled")


def test_a_complete_code_also_cancels_a_session_not_yet_approved(sim: Simulator) -> None:
    session = open_session(sim)
    error = fails("finalizeCheckoutSession", sim, {"chargeAmount": price(500)}, code="Declined",
                  checkoutSessionId=session.id)
    assert error.reason_code == "InvalidCheckoutSessionStatus"
    assert session.state == "Canceled" and session.reason == "Declined"


def test_a_complete_code_on_a_completed_session_changes_nothing(sim: Simulator) -> None:
    session = completed_session(sim, 500)
    error = fails("completeCheckoutSession", sim, {"chargeAmount": price(500)}, code="BuyerCanceled",
                  checkoutSessionId=session.id)
    assert error.reason_code == "InvalidCheckoutSessionStatus"
    assert session.state == "Completed"


# --- Charge Permissions ----------------------------------------------------------------------

def test_get_and_update_charge_permission(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    assert run("getChargePermission", sim, chargePermissionId=permission_id).status == 200
    sim.ledger.permission(permission_id).merchant_metadata.merchant_store_name = "Shop"
    reply = run("updateChargePermission", sim, {"merchantMetadata": {"merchantReferenceId": "order-9"}},
                chargePermissionId=permission_id)
    assert reply.status == 200
    assert reply.body["merchantMetadata"] == {"merchantReferenceId": "order-9", "merchantStoreName": "Shop",
                                              "noteToBuyer": None, "customInformation": None}


def test_close_charge_permission_answers_200_closed(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    reply = run("closeChargePermission", sim, {"closureReason": "done", "cancelPendingCharges": False},
                chargePermissionId=permission_id)
    assert reply.status == 200
    assert status_of(reply.body)["reasons"] == [{"reasonCode": "MerchantClosed",
                                                 "reasonDescription": "done"}]


def test_close_with_amazon_closed_closes_with_that_reason(sim: Simulator) -> None:
    session = completed_session(sim, 500)
    assert session.charge_permission_id is not None and session.charge_id is not None
    reply = run("closeChargePermission", sim, {"closureReason": "test", "cancelPendingCharges": True},
                code="AmazonClosed", chargePermissionId=session.charge_permission_id)
    assert state_and_reason(reply.body) == ("Closed", "AmazonClosed")
    charge = run("getCharge", sim, chargeId=session.charge_id).body
    assert state_and_reason(charge) == ("Canceled", "ChargePermissionCanceled")
    error = fails("closeChargePermission", sim, {}, code="AmazonClosed",
                  chargePermissionId=session.charge_permission_id)
    assert (error.http_status, error.reason_code) == (422, "InvalidChargePermissionStatus")


def test_update_of_a_closed_permission_is_422(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    run("closeChargePermission", sim, None, chargePermissionId=permission_id)
    error = fails("updateChargePermission", sim, {"merchantMetadata": {"noteToBuyer": "hi"}},
                  chargePermissionId=permission_id)
    assert (error.http_status, error.reason_code) == (422, "ChargePermissionNotModifiable")


# --- Charges ---------------------------------------------------------------------------------

def test_create_charge_answers_201_authorized(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    reply = run("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600)})
    assert reply.status == 201
    assert state_and_reason(reply.body) == ("Authorized", None)
    assert reply.body["chargeAmount"] == price(600)


def test_create_charge_with_capture_now_answers_201_captured(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    reply = run("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600),
                                      "captureNow": True, "softDescriptor": "SHOP"})
    assert state_and_reason(reply.body) == ("Captured", None)
    assert reply.body["softDescriptor"] == "AMZ*SHOP"


@pytest.mark.parametrize(("code", "status"), [
    ("SoftDeclined", 422), ("HardDeclined", 422), ("AmazonRejected", 422),
    ("TransactionTimedOut", 422), ("ProcessingFailure", 500)])
def test_create_charge_decline_codes_answer_the_decline(sim: Simulator, code: str,
                                                         status: int) -> None:
    permission_id = chargeable_permission(sim)
    error = fails("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600)},
                  code=code)
    assert (error.http_status, error.reason_code) == (status, code)
    [charge_id] = sim.ledger.permission(permission_id).charge_ids
    assert state_and_reason(run("getCharge", sim, chargeId=charge_id).body) == ("Declined", code)


def test_a_hard_decline_code_makes_the_permission_non_chargeable(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    fails("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600)},
          code="HardDeclined")
    permission = run("getChargePermission", sim, chargePermissionId=permission_id).body
    assert state_and_reason(permission) == ("NonChargeable", "PaymentMethodInvalid")


def test_create_charge_authorization_initiated_is_pending_then_authorized(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    reply = run("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600),
                                      "canHandlePendingAuthorization": True},
                code="AuthorizationInitiated")
    assert reply.status == 201
    assert state_and_reason(reply.body) == ("AuthorizationInitiated", None)
    charge_id = reply.body["chargeId"]
    assert isinstance(charge_id, str)
    sim.advance(timedelta(seconds=30))
    assert state_and_reason(run("getCharge", sim, chargeId=charge_id).body) == ("Authorized", None)


@pytest.mark.parametrize(("code", "extra"), [("AuthorizationInitiated", {}),
                                             ("CaptureInitiated", {"captureNow": False})])
def test_create_charge_codes_check_their_prerequisites(sim: Simulator, code: str,
                                                       extra: dict[str, object]) -> None:
    permission_id = chargeable_permission(sim)
    error = fails("createCharge", sim,
                  {"chargePermissionId": permission_id, "chargeAmount": price(600), **extra}, code=code)
    assert (error.http_status, error.reason_code) == (400, "InvalidSandboxSimulationSpecified")
    assert sim.ledger.permission(permission_id).charge_ids == []


def test_create_charge_capture_initiated_captures_asynchronously(sim: Simulator) -> None:
    permission_id = chargeable_permission(sim)
    reply = run("createCharge", sim, {"chargePermissionId": permission_id, "chargeAmount": price(600),
                                      "captureNow": True}, code="CaptureInitiated")
    assert reply.status == 201
    assert state_and_reason(reply.body) == ("CaptureInitiated", None)
    charge_id = reply.body["chargeId"]
    assert isinstance(charge_id, str)
    sim.advance(timedelta(seconds=30))
    assert state_and_reason(run("getCharge", sim, chargeId=charge_id).body) == ("Captured", None)


def test_capture_charge_answers_200_captured(sim: Simulator) -> None:
    charge_id = authorized_charge(sim, 500)
    reply = run("captureCharge", sim, {"captureAmount": price(500)}, chargeId=charge_id)
    assert reply.status == 200
    assert state_and_reason(reply.body) == ("Captured", None)
    assert reply.body["captureAmount"] == price(500)


def test_capture_charge_with_capture_initiated_is_asynchronous(sim: Simulator) -> None:
    charge_id = authorized_charge(sim, 500)
    reply = run("captureCharge", sim, {"captureAmount": price(500)}, code="CaptureInitiated",
                chargeId=charge_id)
    assert reply.status == 200
    assert state_and_reason(reply.body) == ("CaptureInitiated", None)
    sim.advance(timedelta(seconds=30))
    assert state_and_reason(run("getCharge", sim, chargeId=charge_id).body) == ("Captured", None)


def test_capturing_twice_is_422(sim: Simulator) -> None:
    charge_id = authorized_charge(sim, 500)
    run("captureCharge", sim, {"captureAmount": price(500)}, chargeId=charge_id)
    error = fails("captureCharge", sim, {"captureAmount": price(500)}, chargeId=charge_id)
    assert (error.http_status, error.reason_code) == (422, "InvalidChargeStatus")


def test_cancel_charge_answers_200_canceled(sim: Simulator) -> None:
    charge_id = authorized_charge(sim)
    reply = run("cancelCharge", sim, {"cancellationReason": "out of stock"}, chargeId=charge_id)
    assert reply.status == 200
    assert state_and_reason(reply.body) == ("Canceled", "MerchantCanceled")


# --- Refunds and buyers ----------------------------------------------------------------------

def test_create_and_get_refund(sim: Simulator) -> None:
    charge_id = authorized_charge(sim, 500)
    run("captureCharge", sim, {"captureAmount": price(500)}, chargeId=charge_id)
    reply = run("createRefund", sim, {"chargeId": charge_id, "refundAmount": price(200)})
    assert reply.status == 201
    assert state_and_reason(reply.body) == ("RefundInitiated", None)
    refund_id = reply.body["refundId"]
    assert isinstance(refund_id, str)
    sim.advance(timedelta(seconds=30))
    shown = run("getRefund", sim, refundId=refund_id)
    assert shown.status == 200 and state_and_reason(shown.body) == ("Refunded", None)


def test_refund_of_an_uncaptured_charge_is_422(sim: Simulator) -> None:
    charge_id = authorized_charge(sim)
    error = fails("createRefund", sim, {"chargeId": charge_id, "refundAmount": price(100)})
    assert (error.http_status, error.reason_code) == (422, "InvalidChargeStatus")


def test_get_buyer_answers_the_default_buyer(sim: Simulator) -> None:
    reply = run("getBuyer", sim, buyerToken="token-from-signInReturnUrl")
    assert reply.status == 200
    assert reply.body["buyerId"] == sim.buyer.default.buyer_id


def test_a_buyer_token_over_1000_characters_is_invalid(sim: Simulator) -> None:
    error = fails("getBuyer", sim, buyerToken="t" * 1001)
    assert (error.http_status, error.reason_code) == (400, "InvalidParameterValue")


# --- unknown ids and bad bodies --------------------------------------------------------------

@pytest.mark.parametrize(("name", "body", "path"), [
    ("getCheckoutSession", None, {"checkoutSessionId": "00000000-0000-4000-8000-000000000000"}),
    ("updateCheckoutSession", {}, {"checkoutSessionId": "00000000-0000-4000-8000-000000000000"}),
    ("completeCheckoutSession", {"chargeAmount": {"amount": "1", "currencyCode": "JPY"}},
     {"checkoutSessionId": "00000000-0000-4000-8000-000000000000"}),
    ("getChargePermission", None, {"chargePermissionId": "S03-0000000-0000000"}),
    ("updateChargePermission", {}, {"chargePermissionId": "S03-0000000-0000000"}),
    ("closeChargePermission", {}, {"chargePermissionId": "S03-0000000-0000000"}),
    ("getCharge", None, {"chargeId": "S03-0000000-0000000-C000000"}),
    ("captureCharge", {"captureAmount": {"amount": "1", "currencyCode": "JPY"}},
     {"chargeId": "S03-0000000-0000000-C000000"}),
    ("cancelCharge", {}, {"chargeId": "S03-0000000-0000000-C000000"}),
    ("getRefund", None, {"refundId": "S03-0000000-0000000-R000000"}),
])
def test_unknown_ids_are_404(sim: Simulator, name: str, body: dict[str, object] | None,
                             path: dict[str, str]) -> None:
    error = fails(name, sim, body, **path)
    assert (error.http_status, error.reason_code) == (404, "ResourceNotFound")


@pytest.mark.parametrize(("name", "body"), [
    ("createCharge", {"chargePermissionId": "S03-0000000-0000000", "chargeAmount": {"amount": "1",
                                                                                  "currencyCode": "JPY"}}),
    ("createRefund", {"chargeId": "S03-0000000-0000000-C000000", "refundAmount": {"amount": "1",
                                                                                "currencyCode": "JPY"}}),
])
def test_unknown_ids_in_a_body_are_404(sim: Simulator, name: str, body: dict[str, object]) -> None:
    error = fails(name, sim, body)
    assert (error.http_status, error.reason_code) == (404, "ResourceNotFound")


def test_handlers_reject_bad_bodies_with_400(sim: Simulator) -> None:
    session = approved_session(sim, 705)
    error = fails("completeCheckoutSession", sim,
                  {"chargeAmount": {"amount": "705.00", "currencyCode": "JPY"}}, checkoutSessionId=session.id)
    assert error.message == "The value '705.00' provided for 'chargeAmount.Amount' is invalid."
    error = fails("createCharge", sim, {"chargeAmount": price(1)})
    assert error.reason_code == "MissingParameterValue"
