"""The Web Store API surface of docs/reference/official-sdks.md §5 as `Operation`s, and the handlers of those
modelled.

Each handler looks up the object of its path (404 first), reads its body with a `json_in` table,
calls `MerchantApi` (through `call.simulator.api`) and renders the result with `json_out`. Errors
are `AmazonPayError`s from either side. Sandbox simulation codes (docs/reference/amazon-pay-v2.md §6.2) act
inside the handlers; which code an operation accepts is in its `simulation_codes` (the HTTP layer
rejects any other).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from harness.amazon_pay.causes import Cause
from harness.amazon_pay.checkout import cancel_session
from harness.amazon_pay.errors import AmazonPayError, invalid_value, not_found, wrong_state
from harness.amazon_pay.ledger import Ledger
from harness.amazon_pay.objects import CheckoutSession, PaymentDetails, RecurringMetadata
from harness.amazon_pay.permissions import close_permission
from harness.amazon_pay.sandbox import DECLINE_CAUSES, AuthorizationOutcome
from harness.amazon_pay.states import ChargePermissionState, ChargeState, CheckoutSessionState
from harness.api import json_in, json_out
from harness.api.json_in import CompleteCheckoutSessionRequest, RequestSpec, apply_changes
from harness.api.operations import Call, Operation, Reply
from harness.api.reports_api import (
    CREATE_REPORT,
    CREATE_REPORT_SCHEDULE,
    DOCUMENT_CONTENT_PATH,
    HANDLERS,
    QUERIES,
    download_report_document,
)

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["OPERATIONS", "SESSION_RETENTION", "open_session", "operation"]

SESSION_RETENTION = timedelta(days=30)
"""§1.2 [C]: Checkout Sessions are deleted 30 days after creation (then 404)."""

BUYER_TOKEN_MAX_LENGTH = 1000
"""§1.6 / §9.4 [C]: a buyer token is at most 1000 characters."""

CHECKOUT_CANCEL_CODES: dict[str, Cause] = {
    "BuyerCanceled": Cause.BUYER_CANCELED_CHECKOUT,
    "AmazonCanceled": Cause.CHECKOUT_AMAZON_CANCELED,
    "Declined": Cause.CHECKOUT_DECLINED,
}
"""D-SIM-COMPLETE: codes of Complete / Finalize Checkout Session and the cause each cancels with."""

CHARGE_DECLINE_CODES: dict[str, AuthorizationOutcome] = {
    reason.value: AuthorizationOutcome(cause) for reason, cause in DECLINE_CAUSES.items()}
"""D-SIM-CREATE-CHARGE: decline codes of Create Charge (the §2.3 decline reasons)."""

PENDING_AUTHORIZATION = "AuthorizationInitiated"
CAPTURE_INITIATED = "CaptureInitiated"
AMAZON_CLOSED = "AmazonClosed"


# --- helpers ---------------------------------------------------------------------------------

def _ledger(call: Call) -> Ledger:
    return call.simulator.ledger


def _simulated(call: Call, operation: str) -> None:
    """Put the simulation code on the timeline, so a report shows why things went as they did."""
    _ledger(call).note("amazon", f"sandbox simulation code {call.simulation_code} on {operation}")


def _prerequisite_unmet(code: str, requirement: str) -> AmazonPayError:
    """§6.2 [C]: a code whose prerequisite is not met answers InvalidSandboxSimulationSpecified."""
    return AmazonPayError("InvalidSandboxSimulationSpecified",
                          f"The simulation code {code} requires {requirement}.")


def _session(call: Call) -> CheckoutSession:
    """The path's Checkout Session; 404 once it is older than the 30-day retention."""
    session_id = call.path_params["checkoutSessionId"]
    session = call.simulator.api.get_checkout_session(session_id)
    if call.simulator.now() >= session.created_at + SESSION_RETENTION:
        raise not_found("Checkout Session", session_id)
    return session


def _check_presentment(ledger: Ledger, payment: PaymentDetails | None) -> None:
    """§9.1: presentmentCurrency must be the ledger currency (JPY in Japan) [I: CurrencyMismatch]."""
    currency = None if payment is None else payment.presentment_currency
    ledger_currency = ledger.currency
    if currency is not None and currency != ledger_currency:
        raise AmazonPayError("CurrencyMismatch",
                             f"The currency '{currency}' provided for 'paymentDetails.presentmentCurrency' "
                             f"does not match the ledger currency '{ledger_currency}'.")


def _session_reply(call: Call, session: CheckoutSession, status: int = 200) -> Reply:
    return Reply(status, json_out.checkout_session(session, _ledger(call), call.checkout_page))


# --- Checkout Sessions (§2.1, §3) ------------------------------------------------------------

def open_session(simulator: Simulator, body: object) -> CheckoutSession:
    """A Checkout Session from a Create Checkout Session body: the API's, or a button's payload (§5.4)."""
    request = json_in.CREATE_CHECKOUT_SESSION.parse(body)
    _check_presentment(simulator.ledger, request.payment_details)
    return simulator.api.create_checkout_session(
        request.web_checkout_details, request.payment_details, store_id=request.store_id,
        merchant_metadata=request.merchant_metadata,
        charge_permission_type=request.charge_permission_type,
        recurring_metadata=request.recurring_metadata)


def create_checkout_session(call: Call) -> Reply:
    """Create Checkout Session: 201 + the Open session."""
    return _session_reply(call, open_session(call.simulator, call.body), 201)


def get_checkout_session(call: Call) -> Reply:
    """Get Checkout Session."""
    return _session_reply(call, _session(call))


def update_checkout_session(call: Call) -> Reply:
    """Update Checkout Session: the fields sent replace those of the session (D-PATCH-MERGE)."""
    session = _session(call)
    request = json_in.UPDATE_CHECKOUT_SESSION.parse(call.body)
    kind = request.charge_permission_type
    if kind is not None and kind is not session.charge_permission_type:
        json_in.not_modelled(kind.value, "chargePermissionType")  # D-UNMODELLED-FIELDS
    payment = None
    if request.payment_details:
        payment = apply_changes(session.payment, request.payment_details)
        _check_presentment(_ledger(call), payment)
    recurring = None
    if request.recurring_metadata:
        recurring = apply_changes(session.recurring_metadata or RecurringMetadata(),
                                  request.recurring_metadata)
    updated = call.simulator.api.update_checkout_session(
        session.id, web=apply_changes(session.web, request.web_checkout_details), payment=payment,
        merchant_metadata=apply_changes(session.merchant_metadata, request.merchant_metadata),
        recurring_metadata=recurring)
    return _session_reply(call, updated)


def _completion(spec: RequestSpec[CompleteCheckoutSessionRequest]) -> Callable[[Call], Reply]:
    """Complete or Finalize Checkout Session (the same in the simulator): 200, or 202 if pending."""
    def handle(call: Call) -> Reply:
        session = _session(call)
        request = spec.parse(call.body)
        if call.simulation_code in CHECKOUT_CANCEL_CODES:
            _simulate_checkout_cancel(call, session, CHECKOUT_CANCEL_CODES[call.simulation_code])
        completed = call.simulator.api.complete_checkout_session(
            session.id, request.charge_amount, request.total_order_amount)
        return _session_reply(call, completed, _completion_status(_ledger(call), completed))
    return handle


def _completion_status(ledger: Ledger, session: CheckoutSession) -> int:
    """§2.1 [C]: 202 while the checkout's authorization is still pending."""
    if session.charge_id is None:
        return 200
    pending = ledger.charge(session.charge_id).charge_state is ChargeState.AUTHORIZATION_INITIATED
    return 202 if pending else 200


def _simulate_checkout_cancel(call: Call, session: CheckoutSession, cause: Cause) -> None:
    """D-SIM-COMPLETE: cancel an Open session as Amazon's page would have; Complete then answers 422.

    A permission created when the buyer approved ends as a checkout that was never completed
    (as in D-DROPOFF-DEADLINE). A session that is not Open is left alone: Complete answers as usual.
    """
    if session.state != CheckoutSessionState.OPEN:
        return
    ledger = _ledger(call)
    _simulated(call, f"Complete Checkout Session {session.id}")
    cancel_session(ledger, session, cause)


# --- Charge Permissions (§2.2) ---------------------------------------------------------------

def get_charge_permission(call: Call) -> Reply:
    """Get Charge Permission."""
    permission = call.simulator.api.get_charge_permission(call.path_params["chargePermissionId"])
    return Reply(200, json_out.charge_permission(permission, _ledger(call)))


def update_charge_permission(call: Call) -> Reply:
    """Update Charge Permission: merchantMetadata, merged field by field (D-PATCH-MERGE)."""
    api = call.simulator.api
    permission = api.get_charge_permission(call.path_params["chargePermissionId"])
    request = json_in.UPDATE_CHARGE_PERMISSION.parse(call.body)
    metadata = None
    if request.merchant_metadata:
        metadata = apply_changes(permission.merchant_metadata, request.merchant_metadata)
    updated = api.update_charge_permission(permission.id, metadata)
    return Reply(200, json_out.charge_permission(updated, _ledger(call)))


def close_charge_permission(call: Call) -> Reply:
    """Close Charge Permission (DELETE with a JSON body); AmazonClosed: D-SIM-CLOSE."""
    permission_id = call.simulator.api.get_charge_permission(call.path_params["chargePermissionId"]).id
    request = json_in.CLOSE_CHARGE_PERMISSION.parse(call.body)
    if call.simulation_code == AMAZON_CLOSED:
        _simulate_amazon_close(call, permission_id, request)
        permission = call.simulator.api.get_charge_permission(permission_id)
    else:
        permission = call.simulator.api.close_charge_permission(
            permission_id, request.closure_reason, request.cancel_pending_charges)
    return Reply(200, json_out.charge_permission(permission, _ledger(call)))


def _simulate_amazon_close(call: Call, permission_id: str,
                           request: json_in.CloseChargePermissionRequest) -> None:
    """D-SIM-CLOSE: Closed/AmazonClosed instead of MerchantClosed; the rest as a merchant close."""
    ledger = _ledger(call)
    permission = ledger.permission(permission_id)
    if permission.state == ChargePermissionState.CLOSED:
        raise wrong_state("InvalidChargePermissionStatus", "Charge Permission", permission.state,
                          "Close Charge Permission")
    _simulated(call, f"Close Charge Permission {permission_id}")
    close_permission(ledger, permission, Cause.AMAZON_CLOSED, request.closure_reason,
                     Cause.PERMISSION_CANCELED_CHARGE if request.cancel_pending_charges else None)


# --- Charges (§2.3) --------------------------------------------------------------------------

def create_charge(call: Call) -> Reply:
    """Create Charge: 201 + the Charge; a decline is an error (§2.3); codes: D-SIM-CREATE-CHARGE."""
    request = json_in.CREATE_CHARGE.parse(call.body)
    code = call.simulation_code
    api = call.simulator.api
    if code == CAPTURE_INITIATED:
        if not request.capture_now:
            raise _prerequisite_unmet(code, "captureNow=true")
        _simulated(call, "Create Charge")
        charge = api.create_charge(
            request.charge_permission_id, request.charge_amount,
            can_handle_pending_authorization=request.can_handle_pending_authorization,
            soft_descriptor=request.soft_descriptor, merchant_metadata=request.merchant_metadata)
        charge = api.capture_charge(charge.id, request.charge_amount, request.soft_descriptor,
                                    asynchronous=True)
        return Reply(201, json_out.charge(charge))
    outcome = _authorization_outcome(call, request)
    charge = api.create_charge(
        request.charge_permission_id, request.charge_amount, capture_now=request.capture_now,
        can_handle_pending_authorization=request.can_handle_pending_authorization,
        soft_descriptor=request.soft_descriptor, merchant_metadata=request.merchant_metadata,
        outcome=outcome)
    return Reply(201, json_out.charge(charge))


def _authorization_outcome(call: Call, request: json_in.CreateChargeRequest) -> AuthorizationOutcome | None:
    """The outcome a simulation code forces, or None (Amazon's planned answer, else approved)."""
    code = call.simulation_code
    if code is None:
        return None
    if code == PENDING_AUTHORIZATION:
        if not request.can_handle_pending_authorization:
            raise _prerequisite_unmet(code, "canHandlePendingAuthorization=true")
        _simulated(call, "Create Charge")
        return AuthorizationOutcome(Cause.AUTHORIZED, pending=True)
    if code not in CHARGE_DECLINE_CODES:
        raise _prerequisite_unmet(code, "an operation that accepts it")
    _simulated(call, "Create Charge")
    return CHARGE_DECLINE_CODES[code]


def get_charge(call: Call) -> Reply:
    """Get Charge."""
    return Reply(200, json_out.charge(call.simulator.api.get_charge(call.path_params["chargeId"])))


def capture_charge(call: Call) -> Reply:
    """Capture Charge: 200 + the Charge (Captured, or CaptureInitiated when asynchronous)."""
    charge_id = call.simulator.api.get_charge(call.path_params["chargeId"]).id
    request = json_in.CAPTURE_CHARGE.parse(call.body)
    asynchronous = call.simulation_code == CAPTURE_INITIATED
    if asynchronous:
        _simulated(call, f"Capture Charge {charge_id}")
    charge = call.simulator.api.capture_charge(charge_id, request.capture_amount,
                                               request.soft_descriptor, asynchronous=asynchronous)
    return Reply(200, json_out.charge(charge))


def cancel_charge(call: Call) -> Reply:
    """Cancel Charge (DELETE with a JSON body)."""
    charge_id = call.simulator.api.get_charge(call.path_params["chargeId"]).id
    request = json_in.CANCEL_CHARGE.parse(call.body)
    charge = call.simulator.api.cancel_charge(charge_id, request.cancellation_reason)
    return Reply(200, json_out.charge(charge))


# --- Refunds (§2.4) and buyers (§1.6) --------------------------------------------------------

def create_refund(call: Call) -> Reply:
    """Create Refund: 201 + the Refund, always RefundInitiated (§9.9)."""
    request = json_in.CREATE_REFUND.parse(call.body)
    refund = call.simulator.api.create_refund(request.charge_id, request.refund_amount,
                                              request.soft_descriptor)
    return Reply(201, json_out.refund(refund))


def get_refund(call: Call) -> Reply:
    """Get Refund."""
    return Reply(200, json_out.refund(call.simulator.api.get_refund(call.path_params["refundId"])))


def get_buyer(call: Call) -> Reply:
    """Get Buyer: every token names the simulator's default buyer (D-BUYER-TOKEN)."""
    token = call.path_params["buyerToken"]
    if len(token) > BUYER_TOKEN_MAX_LENGTH:
        raise invalid_value(token, "buyerToken")
    return Reply(200, json_out.buyer_profile(call.simulator.buyer.default))


# --- the table -------------------------------------------------------------------------------

def operation(name: str, method: str, path: str, handler: Callable[[Call], Reply] | None = None, *,
              idempotent: bool = False, codes: tuple[str, ...] = (), body: RequestSpec[object] | None = None,
              answer: str | None = None, statuses: tuple[int, ...] = (200,)) -> Operation:
    """An `Operation` row (shorthand for the table below)."""
    return Operation(name, method, path, handler, idempotency_key_required=idempotent,
                     simulation_codes=frozenset(codes), request=body, answer=answer, statuses=statuses,
                     query=QUERIES.get(name, ()))


_SESSION = "checkoutSessions/{checkoutSessionId}"
_PERMISSION = "chargePermissions/{chargePermissionId}"
_CHARGE = "charges/{chargeId}"
_ACCOUNT = "merchantAccounts/{merchantAccountId}"
_CREATED = (201,)

OPERATIONS: tuple[Operation, ...] = (
    # Modelled (docs/reference/amazon-pay-v2.md §3)
    operation("createCheckoutSession", "POST", "checkoutSessions", create_checkout_session,
              idempotent=True, body=json_in.CREATE_CHECKOUT_SESSION, answer="CheckoutSession",
              statuses=_CREATED),
    operation("getCheckoutSession", "GET", _SESSION, get_checkout_session, answer="CheckoutSession"),
    operation("updateCheckoutSession", "PATCH", _SESSION, update_checkout_session,
              body=json_in.UPDATE_CHECKOUT_SESSION, answer="CheckoutSession"),
    operation("completeCheckoutSession", "POST", f"{_SESSION}/complete",
              _completion(json_in.COMPLETE_CHECKOUT_SESSION), codes=tuple(CHECKOUT_CANCEL_CODES),
              body=json_in.COMPLETE_CHECKOUT_SESSION, answer="CheckoutSession", statuses=(200, 202)),
    operation("finalizeCheckoutSession", "POST", f"{_SESSION}/finalize",
              _completion(json_in.FINALIZE_CHECKOUT_SESSION), codes=tuple(CHECKOUT_CANCEL_CODES),
              body=json_in.FINALIZE_CHECKOUT_SESSION, answer="CheckoutSession", statuses=(200, 202)),
    operation("getChargePermission", "GET", _PERMISSION, get_charge_permission, answer="ChargePermission"),
    operation("updateChargePermission", "PATCH", _PERMISSION, update_charge_permission,
              body=json_in.UPDATE_CHARGE_PERMISSION, answer="ChargePermission"),
    operation("closeChargePermission", "DELETE", f"{_PERMISSION}/close", close_charge_permission,
              codes=(AMAZON_CLOSED,), body=json_in.CLOSE_CHARGE_PERMISSION, answer="ChargePermission"),
    operation("createCharge", "POST", "charges", create_charge, idempotent=True,
              codes=(*CHARGE_DECLINE_CODES, PENDING_AUTHORIZATION, CAPTURE_INITIATED),
              body=json_in.CREATE_CHARGE, answer="Charge", statuses=_CREATED),
    operation("getCharge", "GET", _CHARGE, get_charge, answer="Charge"),
    operation("updateCharge", "PATCH", _CHARGE),
    operation("captureCharge", "POST", f"{_CHARGE}/capture", capture_charge, idempotent=True,
              codes=(CAPTURE_INITIATED,), body=json_in.CAPTURE_CHARGE, answer="Charge"),
    operation("cancelCharge", "DELETE", f"{_CHARGE}/cancel", cancel_charge, body=json_in.CANCEL_CHARGE,
              answer="Charge"),
    operation("createRefund", "POST", "refunds", create_refund, idempotent=True,
              body=json_in.CREATE_REFUND, answer="Refund", statuses=_CREATED),
    operation("getRefund", "GET", "refunds/{refundId}", get_refund, answer="Refund"),
    operation("getBuyer", "GET", "buyers/{buyerToken}", get_buyer, answer="Buyer"),
    # Reports (docs/reference/amazon-pay-v2.md §1.7, §8.4; harness.api.reports_api)
    operation("getReports", "GET", "reports", HANDLERS["getReports"], answer="Reports"),
    operation("getReportById", "GET", "reports/{reportId}", HANDLERS["getReportById"], answer="Report"),
    operation("createReport", "POST", "reports", HANDLERS["createReport"], body=CREATE_REPORT,
              answer="ReportId", statuses=_CREATED),
    operation("getReportDocument", "GET", "report-documents/{reportDocumentId}",
              HANDLERS["getReportDocument"], answer="ReportDocument"),
    operation("getReportSchedules", "GET", "report-schedules", HANDLERS["getReportSchedules"],
              answer="ReportSchedules"),
    operation("getReportScheduleById", "GET", "report-schedules/{reportScheduleId}",
              HANDLERS["getReportScheduleById"], answer="ReportSchedule"),
    operation("createReportSchedule", "POST", "report-schedules", HANDLERS["createReportSchedule"],
              body=CREATE_REPORT_SCHEDULE, answer="ReportScheduleId", statuses=_CREATED),
    operation("cancelReportSchedule", "DELETE", "report-schedules/{reportScheduleId}",
              HANDLERS["cancelReportSchedule"], answer="Empty"),
    operation("getDisbursements", "GET", "disbursements", HANDLERS["getDisbursements"],
              answer="Disbursements"),
    Operation("downloadReportDocument", "GET", DOCUMENT_CONTENT_PATH, download=download_report_document),
    # Not modelled (docs/reference/official-sdks.md §5): answered with RequestNotSupported by the HTTP layer
    operation("deliveryTrackers", "POST", "deliveryTrackers"),
    operation("getAuthorizationToken", "GET", "authorizationTokens/{mwsAuthToken}"),
    operation("instoreMerchantScan", "POST", "in-store/merchantScan"),
    operation("instoreCharge", "POST", "in-store/charge"),
    operation("instoreRefund", "POST", "in-store/refund"),
    operation("createMerchantAccount", "POST", "merchantAccounts"),
    operation("updateMerchantAccount", "PATCH", _ACCOUNT),
    operation("deleteAmazonPayAccount", "DELETE", _ACCOUNT),
    operation("merchantAccountClaim", "POST", f"{_ACCOUNT}/claim"),
    operation("createStore", "POST", f"{_ACCOUNT}/stores"),
    operation("updateStore", "PATCH", f"{_ACCOUNT}/stores/{{storeId}}"),
    operation("createDispute", "POST", "disputes"),
    operation("getDispute", "GET", "disputes/{disputeId}"),
    operation("updateDispute", "PATCH", "disputes/{disputeId}"),
    operation("contestDispute", "POST", "disputes/{disputeId}/contest"),
    operation("uploadFile", "POST", "files"),
)
"""Every call of the official SDKs (docs/reference/official-sdks.md §5), one row per method and path."""

NOTES: dict[str, str] = {
    "createCheckoutSession": "201. scopes, deliverySpecifications, platformId, providerMetadata "
                             "accepted and ignored; productType PayAndShip only; PaymentMethodOnFile, "
                             "addressDetails (APB) and saved-wallet chargePermissionId are not modelled "
                             "(D-UNMODELLED-FIELDS).",
    "getCheckoutSession": "404 after the 30-day retention. A Completed session fills only its ids, "
                          "state and creation time (D-COMPLETED-SESSION-JSON).",
    "updateCheckoutSession": "Open and not yet approved only; sent fields are merged (D-PATCH-MERGE). "
                             "No simulation codes (D-SIM-COMPLETE).",
    "completeCheckoutSession": "200, or 202 while the checkout's authorization is pending. Codes cancel "
                               "the session: 422 InvalidCheckoutSessionStatus (D-SIM-COMPLETE).",
    "finalizeCheckoutSession": "Same as completeCheckoutSession; paymentIntent, shippingAddress and "
                               "billingAddress are checked for form only.",
    "getChargePermission": "Buyer and shipping address hidden 30 days after creation (OneTime).",
    "updateChargePermission": "merchantMetadata only; recurringMetadata is not modelled.",
    "closeChargePermission": "AmazonClosed closes with reason AmazonClosed (D-SIM-CLOSE).",
    "createCharge": "201. Decline codes answer the decline error (422, 500 for ProcessingFailure); "
                    "AuthorizationInitiated needs canHandlePendingAuthorization, CaptureInitiated needs "
                    "captureNow (D-SIM-CREATE-CHARGE).",
    "updateCharge": "For payment service providers only (§2.3).",
    "captureCharge": "CaptureInitiated makes the capture asynchronous (Captured after the delay).",
    "cancelCharge": "DELETE with a JSON body.",
    "createRefund": "201, always RefundInitiated.",
    "getBuyer": "Any token of at most 1000 characters is the simulator's default buyer (D-BUYER-TOKEN).",
    "getReports": "Newest first; nextToken carries the first call's filters (D-REPORT-PAGING); bad "
                  "pageSize, dates or token: 400 InvalidParameterValue.",
    "getReportById": "404 90 days after creation (D-REPORT-PROCESSING).",
    "createReport": "201 {reportId}. Sandbox: only the sandbox settlement report; Live: every other type but "
                    "the capture report (D-REPORT-AVAILABILITY); IN_PROGRESS, then COMPLETED or CANCELLED "
                    "(D-REPORT-PROCESSING).",
    "getReportDocument": "url valid 30 s on the simulated clock, served by the simulator itself; "
                         "compressionAlgorithm N/A (D-REPORT-DOCUMENT-URL).",
    **dict.fromkeys(("getReportSchedules", "getReportScheduleById", "createReportSchedule",
                     "cancelReportSchedule"), "One schedule per report type (D-REPORT-SCHEDULES)."),
    "getDisbursements": "One per ended settlement period with transactions; startTime and endTime "
                        "required (D-SETTLEMENT-PERIOD).",
    "downloadReportDocument": "Not an SDK call: the document url Get Report Document answers "
                              "(D-REPORT-DOCUMENT-URL).",
    "deliveryTrackers": "Shipment tracking sent to the buyer.",
    "getAuthorizationToken": "MWS-era token migration for solution providers.",
    **dict.fromkeys(("instoreMerchantScan", "instoreCharge", "instoreRefund"),
                    "Amazon Pay in-store."),
    "createMerchantAccount": "Solution-provider onboarding. Older SDKs call the same path "
                             "registerAmazonPayAccount.",
    "updateMerchantAccount": "Solution-provider onboarding. Older SDKs call the same path "
                             "updateAmazonPayAccount.",
    **dict.fromkeys(("deleteAmazonPayAccount", "merchantAccountClaim", "createStore", "updateStore"),
                    "Solution-provider onboarding."),
    **dict.fromkeys(("createDispute", "getDispute", "updateDispute", "contestDispute", "uploadFile"),
                    "Disputes API."),
}
"""Remarks for docs/api-coverage.md, by operation name."""
