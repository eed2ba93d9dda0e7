"""Request bodies are read, and rejected, as docs/reference/amazon-pay-v2.md §3 and §4 describe."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harness.amazon_pay.errors import AmazonPayError
from harness.amazon_pay.objects import MerchantMetadata, PaymentDetails, RecurringMetadata
from harness.amazon_pay.states import ChargePermissionType, PaymentIntent
from harness.api import json_in
from harness.api.json_in import RequestSpec, apply_changes
from harness.money import Money

WEB = {"checkoutReviewReturnUrl": "https://shop.example/review"}
CREATE_SESSION = {"webCheckoutDetails": WEB, "storeId": "amzn1.application-oa2-client.x"}
CHARGE = {"chargePermissionId": "S03-1234567-1234567",
          "chargeAmount": {"amount": "500", "currencyCode": "JPY"}}


def _error(spec: RequestSpec[object], body: object) -> AmazonPayError:
    with pytest.raises(AmazonPayError) as caught:
        spec.parse(body)
    return caught.value


def _assert_error(spec: RequestSpec[object], body: object, reason: str, message: str) -> None:
    error = _error(spec, body)
    assert (error.http_status, error.reason_code, error.message) == (400, reason, message)


# --- happy paths -----------------------------------------------------------------------------

def test_create_checkout_session_builds_domain_objects() -> None:
    request = json_in.CREATE_CHECKOUT_SESSION.parse({
        **CREATE_SESSION,
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": {"amount": "500",
                                                                          "currencyCode": "JPY"},
                           "canHandlePendingAuthorization": True},
        "merchantMetadata": {"merchantReferenceId": "order-1"},
        "chargePermissionType": "Recurring",
        "recurringMetadata": {"frequency": {"unit": "Month", "value": Decimal(1)},
                              "amount": {"amount": Decimal(980), "currencyCode": "JPY"}},
        "scopes": ["name", "email"],
        "deliverySpecifications": {"specialRestrictions": ["RestrictPOBoxes"]},
        "platformId": "SPID",
    })
    assert request.web_checkout_details.checkout_review_return_url == WEB["checkoutReviewReturnUrl"]
    assert request.payment_details == PaymentDetails(payment_intent=PaymentIntent.AUTHORIZE,
                                                     charge_amount=Money.of(500),
                                                     can_handle_pending_authorization=True)
    assert request.merchant_metadata == MerchantMetadata(merchant_reference_id="order-1")
    assert request.charge_permission_type is ChargePermissionType.RECURRING
    assert request.recurring_metadata == RecurringMetadata("Month", "1", Money.of(980))


def test_amounts_may_be_strings_or_numbers() -> None:
    for amount in ("500", Decimal(500), 500):
        request = json_in.CREATE_CHARGE.parse({**CHARGE, "chargeAmount": {"amount": amount,
                                                                           "currencyCode": "JPY"}})
        assert request.charge_amount == Money.of(500)
    usd = json_in.CAPTURE_CHARGE.parse({"captureAmount": {"amount": Decimal("12.99"),
                                                          "currencyCode": "USD"}})
    assert usd.capture_amount == Money.of("12.99", "USD")


def test_null_counts_as_absent_and_a_missing_body_as_empty() -> None:
    request = json_in.CAPTURE_CHARGE.parse({"captureAmount": {"amount": "100", "currencyCode": "JPY"},
                                            "softDescriptor": None})
    assert request.soft_descriptor is None
    assert json_in.CLOSE_CHARGE_PERMISSION.parse(None) == json_in.CloseChargePermissionRequest()
    assert json_in.CANCEL_CHARGE.parse({}) == json_in.CancelChargeRequest()


def test_update_reads_change_sets_that_merge_into_the_current_values() -> None:
    request = json_in.UPDATE_CHECKOUT_SESSION.parse(
        {"paymentDetails": {"chargeAmount": {"amount": "800", "currencyCode": "JPY"}}})
    current = PaymentDetails(payment_intent=PaymentIntent.AUTHORIZE, charge_amount=Money.of(500))
    merged = apply_changes(current, request.payment_details)
    assert merged == PaymentDetails(payment_intent=PaymentIntent.AUTHORIZE, charge_amount=Money.of(800))
    assert apply_changes(current, None) is current


def test_update_flattens_recurring_frequency() -> None:
    request = json_in.UPDATE_CHECKOUT_SESSION.parse({"recurringMetadata": {"frequency": {"unit": "Year"}}})
    assert request.recurring_metadata == {"frequency_unit": "Year"}


def test_strings_at_their_limit_are_accepted() -> None:
    body = {"merchantMetadata": {"merchantReferenceId": "r" * 256, "merchantStoreName": "s" * 50,
                                 "noteToBuyer": "n" * 255, "customInformation": "c" * 4096}}
    request = json_in.UPDATE_CHARGE_PERMISSION.parse(body)
    assert request.merchant_metadata is not None and len(request.merchant_metadata) == 4


# --- InvalidRequestFormat / UnrecognizedField / MissingParameterValue --------------------------

@pytest.mark.parametrize("body", [[], "text", Decimal(1)])
def test_a_body_that_is_not_an_object_is_an_invalid_request_format(body: object) -> None:
    error = _error(json_in.CREATE_CHARGE, body)
    assert (error.http_status, error.reason_code) == (400, "InvalidRequestFormat")


def test_an_unknown_top_level_field_is_unrecognized() -> None:
    _assert_error(json_in.CREATE_CHARGE, {**CHARGE, "captureLater": True}, "UnrecognizedField",
                  "The field 'captureLater' is invalid for this API.")


def test_checkout_mode_on_update_is_the_live_unrecognized_field_example() -> None:
    _assert_error(json_in.UPDATE_CHECKOUT_SESSION,
                  {"webCheckoutDetails": {"checkoutMode": "ProcessOrder"}}, "UnrecognizedField",
                  "The field 'checkoutMode' is invalid for this API.")


def test_an_unknown_field_inside_a_price_is_unrecognized() -> None:
    body = {**CHARGE, "chargeAmount": {"amount": "1", "currencyCode": "JPY", "value": "1"}}
    _assert_error(json_in.CREATE_CHARGE, body, "UnrecognizedField",
                  "The field 'value' is invalid for this API.")


@pytest.mark.parametrize(("spec", "body", "path"), [
    (json_in.CREATE_CHECKOUT_SESSION, {"storeId": "x"}, "webCheckoutDetails"),
    (json_in.CREATE_CHECKOUT_SESSION, {"webCheckoutDetails": WEB}, "storeId"),
    (json_in.CREATE_CHARGE, {"chargeAmount": CHARGE["chargeAmount"]}, "chargePermissionId"),
    (json_in.CREATE_CHARGE, {"chargePermissionId": "S03-1"}, "chargeAmount"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeAmount": {"currencyCode": "JPY"}}, "chargeAmount.amount"),
    (json_in.CAPTURE_CHARGE, {}, "captureAmount"),
    (json_in.CREATE_REFUND, {"chargeId": "S03-1-C1"}, "refundAmount"),
    (json_in.COMPLETE_CHECKOUT_SESSION, {}, "chargeAmount"),
    (json_in.FINALIZE_CHECKOUT_SESSION, {"totalOrderAmount": CHARGE["chargeAmount"]}, "chargeAmount"),
    (json_in.COMPLETE_CHECKOUT_SESSION, {"chargeAmount": None}, "chargeAmount"),
])
def test_a_missing_required_field_is_a_missing_parameter_value(
        spec: RequestSpec[object], body: object, path: str) -> None:
    _assert_error(spec, body, "MissingParameterValue", f"The parameter '{path}' is required.")


# --- InvalidParameterValue -------------------------------------------------------------------

def test_jpy_with_decimals_is_rejected_as_seen_live() -> None:
    body = {"chargeAmount": {"amount": "705.00", "currencyCode": "JPY"}}
    _assert_error(json_in.COMPLETE_CHECKOUT_SESSION, body, "InvalidParameterValue",
                  "The value '705.00' provided for 'chargeAmount.Amount' is invalid.")


def test_a_json_number_with_decimals_is_rejected_for_jpy_too() -> None:
    body = {**CHARGE, "chargeAmount": {"amount": Decimal("705.00"), "currencyCode": "JPY"}}
    _assert_error(json_in.CREATE_CHARGE, body, "InvalidParameterValue",
                  "The value '705.00' provided for 'chargeAmount.Amount' is invalid.")


@pytest.mark.parametrize(("spec", "body", "value", "path"), [
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeAmount": {"amount": "5e2", "currencyCode": "JPY"}},
     "5e2", "chargeAmount.Amount"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeAmount": {"amount": True, "currencyCode": "JPY"}},
     "true", "chargeAmount.amount"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeAmount": {"amount": "1", "currencyCode": "XYZ"}},
     "XYZ", "chargeAmount.currencyCode"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeAmount": "500"}, "500", "chargeAmount"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargePermissionId": 42}, "42", "chargePermissionId"),
    (json_in.CREATE_CHECKOUT_SESSION,
     {**CREATE_SESSION, "paymentDetails": {"paymentIntent": "AuthorizeLater"}},
     "AuthorizeLater", "paymentDetails.paymentIntent"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "chargePermissionType": "Monthly"},
     "Monthly", "chargePermissionType"),
    (json_in.CREATE_CHECKOUT_SESSION,
     {**CREATE_SESSION, "recurringMetadata": {"frequency": {"unit": "Fortnight", "value": "1"}}},
     "Fortnight", "recurringMetadata.frequency.unit"),
    (json_in.CREATE_CHECKOUT_SESSION,
     {**CREATE_SESSION, "recurringMetadata": {"frequency": {"unit": "Month", "value": "0"}}},
     "0", "recurringMetadata.frequency.value"),
    (json_in.CREATE_CHECKOUT_SESSION,
     {**CREATE_SESSION, "webCheckoutDetails": {**WEB, "checkoutMode": "Express"}},
     "Express", "webCheckoutDetails.checkoutMode"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "scopes": ["name", "shoeSize"]},
     "shoeSize", "scopes[1]"),
    (json_in.CREATE_CHECKOUT_SESSION,
     {**CREATE_SESSION, "paymentDetails": {"presentmentCurrency": "Yen"}},
     "Yen", "paymentDetails.presentmentCurrency"),
    (json_in.CREATE_CHARGE, {**CHARGE, "chargeInitiator": "Robot"}, "Robot", "chargeInitiator"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "webCheckoutDetails": "https://x"},
     "https://x", "webCheckoutDetails"),
])
def test_a_bad_value_is_an_invalid_parameter_value(
        spec: RequestSpec[object], body: object, value: str, path: str) -> None:
    _assert_error(spec, body, "InvalidParameterValue",
                  f"The value '{value}' provided for '{path}' is invalid.")


@pytest.mark.parametrize(("spec", "body", "path"), [
    (json_in.CREATE_CHARGE, {**CHARGE, "captureNow": "true"}, "captureNow"),
    (json_in.CREATE_CHARGE, {**CHARGE, "canHandlePendingAuthorization": 1}, "canHandlePendingAuthorization"),
    (json_in.CLOSE_CHARGE_PERMISSION, {"cancelPendingCharges": "false"}, "cancelPendingCharges"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "paymentDetails": {"allowOvercharge": "yes"}},
     "paymentDetails.allowOvercharge"),
])
def test_booleans_must_be_json_booleans(spec: RequestSpec[object], body: dict[str, object],
                                        path: str) -> None:
    error = _error(spec, body)
    assert error.reason_code == "InvalidParameterValue"
    assert error.message.endswith(f"provided for '{path}' is invalid.")


@pytest.mark.parametrize(("spec", "wrap", "name"), [
    (json_in.UPDATE_CHARGE_PERMISSION, "merchantMetadata", "merchantReferenceId"),
    (json_in.UPDATE_CHARGE_PERMISSION, "merchantMetadata", "merchantStoreName"),
    (json_in.UPDATE_CHARGE_PERMISSION, "merchantMetadata", "noteToBuyer"),
    (json_in.UPDATE_CHARGE_PERMISSION, "merchantMetadata", "customInformation"),
    (json_in.CAPTURE_CHARGE, "", "softDescriptor"),
    (json_in.CLOSE_CHARGE_PERMISSION, "", "closureReason"),
    (json_in.CANCEL_CHARGE, "", "cancellationReason"),
])
def test_a_string_over_its_limit_is_an_invalid_parameter_value(
        spec: RequestSpec[object], wrap: str, name: str) -> None:
    too_long = "x" * (json_in.STRING_LIMITS[name] + 1)
    body: dict[str, object] = {wrap: {name: too_long}} if wrap else {name: too_long}
    if spec is json_in.CAPTURE_CHARGE:
        body["captureAmount"] = {"amount": "1", "currencyCode": "JPY"}
    path = f"{wrap}.{name}" if wrap else name
    _assert_error(spec, body, "InvalidParameterValue",
                  f"The value '{too_long}' provided for '{path}' is invalid.")


def test_the_string_limits_are_those_of_the_reference() -> None:
    assert json_in.STRING_LIMITS == {
        "merchantReferenceId": 256, "merchantStoreName": 50, "noteToBuyer": 255,
        "customInformation": 4096, "softDescriptor": 16, "closureReason": 255,
        "cancellationReason": 255}


@pytest.mark.parametrize(("spec", "body", "path"), [
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "productType": "PayOnly"}, "productType"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "chargePermissionType": "PaymentMethodOnFile"},
     "chargePermissionType"),
    (json_in.CREATE_CHECKOUT_SESSION, {**CREATE_SESSION, "addressDetails": {"name": "x"}}, "addressDetails"),
    (json_in.UPDATE_CHARGE_PERMISSION, {"recurringMetadata": {}}, "recurringMetadata"),
    (json_in.UPDATE_CHECKOUT_SESSION, {"multiAddressesCheckoutMetadata": []},
     "multiAddressesCheckoutMetadata"),
])
def test_unmodelled_features_are_rejected_with_a_message_that_says_so(
        spec: RequestSpec[object], body: object, path: str) -> None:
    error = _error(spec, body)
    assert (error.http_status, error.reason_code) == (400, "InvalidParameterValue")
    assert f"the simulator does not model '{path}'" in error.message
    assert "docs/api-coverage.md" in error.message


def test_product_type_pay_and_ship_is_accepted() -> None:
    json_in.CREATE_CHECKOUT_SESSION.parse({**CREATE_SESSION, "productType": "PayAndShip"})
