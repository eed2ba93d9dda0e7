"""Rendered objects have the key sets, nulls, strings and timestamps of docs/reference/amazon-pay-v2.md §1."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from harness.amazon_pay.objects import Address, Buyer, MerchantMetadata, PaymentDetails, WebCheckoutDetails
from harness.amazon_pay.states import PaymentIntent
from harness.api import json_out
from harness.ids import Region
from harness.money import Money
from harness.simulator import Simulator
from tests.api.wire_objects import approved_session, completed_session, open_session

# The keys of the samples of docs/reference/amazon-pay-v2.md §1.2-§1.6.
SESSION_KEYS = {
    "checkoutSessionId", "webCheckoutDetails", "productType", "paymentDetails", "chargePermissionType",
    "recurringMetadata", "checkoutType", "merchantMetadata", "supplementaryData", "buyer",
    "billingAddress", "paymentPreferences", "statusDetails", "shippingAddress", "platformId",
    "chargePermissionId", "chargeId", "constraints", "creationTimestamp", "expirationTimestamp",
    "storeId", "providerMetadata", "releaseEnvironment", "checkoutButtonText", "deliverySpecifications",
}
WEB_KEYS = {"checkoutReviewReturnUrl", "checkoutResultReturnUrl", "checkoutCancelUrl",
            "amazonPayRedirectUrl", "checkoutMode"}
PAYMENT_KEYS = {"paymentIntent", "canHandlePendingAuthorization", "chargeAmount", "totalOrderAmount",
                "softDescriptor", "presentmentCurrency", "allowOvercharge", "extendExpiration"}
MERCHANT_KEYS = {"merchantReferenceId", "merchantStoreName", "noteToBuyer", "customInformation"}
BUYER_KEYS = {"buyerId", "name", "email", "phoneNumber", "primeMembershipTypes"}
ADDRESS_KEYS = {"name", "addressLine1", "addressLine2", "addressLine3", "city", "county", "district",
                "stateOrRegion", "postalCode", "countryCode", "phoneNumber"}
STATUS_KEYS = {"state", "reasonCode", "reasonDescription", "lastUpdatedTimestamp"}
PERMISSION_KEYS = {
    "chargePermissionId", "chargePermissionReferenceId", "amazonPayToken", "platformId", "buyer",
    "shippingAddress", "billingAddress", "paymentPreferences", "statusDetails", "creationTimestamp",
    "expirationTimestamp", "merchantMetadata", "releaseEnvironment", "limits", "chargePermissionType",
    "recurringMetadata", "paymentMethodOnFileMetadata", "presentmentCurrency",
}
CHARGE_KEYS = {
    "chargeId", "chargePermissionId", "chargeAmount", "captureAmount", "refundedAmount",
    "convertedAmount", "conversionRate", "softDescriptor", "merchantMetadata", "providerMetadata",
    "platformId", "captureNow", "canHandlePendingAuthorization", "chargeInitiator", "channel",
    "webCheckoutDetails", "statusDetails", "creationTimestamp", "expirationTimestamp",
    "releaseEnvironment",
}
REFUND_KEYS = {"refundId", "chargeId", "refundAmount", "softDescriptor", "creationTimestamp",
               "statusDetails", "releaseEnvironment"}
BUYER_PROFILE_KEYS = {"buyerId", "name", "email", "postalCode", "countryCode", "phoneNumber",
                      "shippingAddress", "billingAddress", "primeMembershipTypes"}
TIMESTAMP = re.compile(r"^\d{8}T\d{6}Z$")


def _object(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return value


def _timestamps(body: object) -> list[str]:
    """Every value of a key ending in 'Timestamp', anywhere in the body."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key.endswith("Timestamp") and value is not None:
                assert isinstance(value, str)
                found.append(value)
            found += _timestamps(value)
    elif isinstance(body, list):
        for item in body:
            found += _timestamps(item)
    return found



# --- conventions (§1.0) ----------------------------------------------------------------------

def test_timestamps_are_basic_iso_in_utc() -> None:
    jst = timezone(timedelta(hours=9))
    assert json_out.timestamp(datetime(2026, 1, 5, 9, 3, 7, tzinfo=jst)) == "20260105T000307Z"
    assert json_out.timestamp(None) is None


def test_prices_carry_their_amount_as_a_string() -> None:
    assert json_out.price(Money.of(500)) == {"amount": "500", "currencyCode": "JPY"}
    assert json_out.price(Money.of("14.5", "USD")) == {"amount": "14.50", "currencyCode": "USD"}
    assert json_out.price(None) is None


def test_charge_soft_descriptor_is_echoed_with_the_amz_prefix() -> None:
    assert json_out.soft_descriptor("SOFT-DESC") == "AMZ*SOFT-DESC"
    assert json_out.soft_descriptor(None) is None


def test_shipping_address_list_is_an_array_of_json_strings() -> None:
    encoded = json_out.shipping_address_list([("amzn1.address.ABC", Address())])
    assert all(isinstance(item, str) for item in encoded)
    decoded = json.loads(encoded[0])
    assert decoded["addressId"] == "amzn1.address.ABC"
    assert set(decoded) == ADDRESS_KEYS | {"addressId"}


# --- Checkout Session (§1.2) -----------------------------------------------------------------

def test_a_new_session_has_every_key_with_nulls_and_its_constraints(sim: Simulator) -> None:
    session = open_session(sim, signed_in=False)
    body = json_out.checkout_session(session, sim.ledger)
    assert set(body) == SESSION_KEYS | {"shippingAddressList"}
    web = _object(body["webCheckoutDetails"])
    payment = _object(body["paymentDetails"])
    assert set(web) == WEB_KEYS and set(payment) == PAYMENT_KEYS
    assert set(_object(body["merchantMetadata"])) == MERCHANT_KEYS
    assert set(_object(body["statusDetails"])) == STATUS_KEYS
    assert body["buyer"] is None and body["shippingAddress"] is None
    assert body["shippingAddressList"] is None
    assert body["constraints"] == [{"constraintId": "BuyerNotAssociated",
                                    "description": json_out.CONSTRAINT_DESCRIPTIONS["BuyerNotAssociated"]}]
    assert web["amazonPayRedirectUrl"] is None
    assert payment["chargeAmount"] == {"amount": "500", "currencyCode": "JPY"}
    assert payment["allowOvercharge"] is None and payment["extendExpiration"] is None
    assert body["chargePermissionId"] is None and body["chargeId"] is None
    assert body["releaseEnvironment"] == "Sandbox"
    assert _object(body["statusDetails"])["state"] == "Open"


def test_once_constraints_are_cleared_the_jp_redirect_url_appears(sim: Simulator) -> None:
    session = open_session(sim)
    body = json_out.checkout_session(session, sim.ledger)
    assert body["constraints"] == []
    assert _object(body["webCheckoutDetails"])["amazonPayRedirectUrl"] == (
        f"https://payments.amazon.co.jp/checkout/processing?amazonCheckoutSessionId={session.id}")
    buyer = _object(body["buyer"])
    assert set(buyer) == BUYER_KEYS and buyer["primeMembershipTypes"] is None
    assert set(_object(body["shippingAddress"])) == ADDRESS_KEYS


def test_the_us_redirect_host_is_used_in_north_america() -> None:
    sim = Simulator(region=Region.NA)
    session = sim.api.create_checkout_session(
        WebCheckoutDetails(checkout_review_return_url="https://shop.example/review",
                           checkout_result_return_url="https://shop.example/result"),
        PaymentDetails(payment_intent=PaymentIntent.AUTHORIZE, charge_amount=Money.of("12.99", "USD")))
    sim.buyer.sign_in(session.id)
    assert json_out.redirect_url(session, Region.NA) == (
        f"https://apay-us.amazon.com/checkout/processing?amazonCheckoutSessionId={session.id}")


def test_ids_stay_hidden_until_the_session_is_completed(sim: Simulator) -> None:
    session = approved_session(sim)
    body = json_out.checkout_session(session, sim.ledger)
    assert session.charge_permission_id is not None
    assert body["chargePermissionId"] is None and body["chargeId"] is None
    assert body["paymentPreferences"] == [{"paymentDescriptor": "Visa ****1111 (Amazon Pay)"}]


def test_a_completed_session_fills_only_ids_state_and_creation(sim: Simulator) -> None:
    session = completed_session(sim)
    body = json_out.checkout_session(session, sim.ledger)
    assert set(body) == SESSION_KEYS | {"shippingAddressList"}
    filled = {key for key, value in body.items() if value is not None}
    assert filled == json_out.AFTER_COMPLETION_KEYS
    assert body["chargePermissionId"] == session.charge_permission_id
    assert body["chargeId"] == session.charge_id
    assert _object(body["statusDetails"])["state"] == "Completed"


def test_a_canceled_session_keeps_its_shape_and_reports_its_reason(sim: Simulator) -> None:
    session = open_session(sim)
    sim.buyer.cancel(session.id)
    body = json_out.checkout_session(session, sim.ledger)
    status = _object(body["statusDetails"])
    assert status["state"] == "Canceled" and status["reasonCode"] == "BuyerCanceled"
    assert body["storeId"] == session.store_id
    assert _object(body["webCheckoutDetails"])["amazonPayRedirectUrl"] is None


def test_every_timestamp_has_the_basic_format(sim: Simulator) -> None:
    session = completed_session(sim)
    assert session.charge_id is not None and session.charge_permission_id is not None
    permission = sim.api.get_charge_permission(session.charge_permission_id)
    charge = sim.api.capture_charge(session.charge_id, Money.of(500))
    refund = sim.api.create_refund(charge.id, Money.of(100))
    bodies = [json_out.checkout_session(open_session(sim), sim.ledger),
              json_out.charge_permission(permission, sim.ledger), json_out.charge(charge),
              json_out.refund(refund)]
    stamps = [stamp for body in bodies for stamp in _timestamps(body)]
    assert len(stamps) >= 10
    assert all(TIMESTAMP.match(stamp) for stamp in stamps), stamps


# --- Charge Permission (§1.3) ----------------------------------------------------------------

def test_a_permission_has_the_sample_keys_limits_and_null_reasons(sim: Simulator) -> None:
    session = completed_session(sim, 500)
    assert session.charge_permission_id is not None
    permission = sim.api.get_charge_permission(session.charge_permission_id)
    body = json_out.charge_permission(permission, sim.ledger)
    assert set(body) == PERMISSION_KEYS
    assert _object(body["statusDetails"]) == {
        "state": "Chargeable", "reasons": None,
        "lastUpdatedTimestamp": json_out.timestamp(permission.updated_at)}
    # D-BALANCE: the checkout's open authorization uses the whole limit.
    assert body["limits"] == {"amountLimit": {"amount": "500", "currencyCode": "JPY"},
                              "amountBalance": {"amount": "0", "currencyCode": "JPY"}}
    assert body["recurringMetadata"] == {"frequency": None, "amount": None}
    assert set(_object(body["buyer"])) == BUYER_KEYS
    assert body["presentmentCurrency"] == "JPY"


def test_a_closed_permission_lists_its_reason_with_the_closure_reason(sim: Simulator) -> None:
    session = completed_session(sim)
    assert session.charge_permission_id is not None
    permission = sim.api.close_charge_permission(session.charge_permission_id, "No more charges required")
    status = _object(json_out.charge_permission(permission, sim.ledger)["statusDetails"])
    assert status["reasons"] == [{"reasonCode": "MerchantClosed",
                                  "reasonDescription": "No more charges required"}]
    assert "reasonCode" not in status


def test_buyer_data_of_a_one_time_permission_is_hidden_after_30_days(sim: Simulator) -> None:
    session = completed_session(sim)
    assert session.charge_permission_id is not None
    permission = sim.api.get_charge_permission(session.charge_permission_id)
    sim.advance(json_out.BUYER_DATA_READABLE - timedelta(seconds=1))
    assert json_out.charge_permission(permission, sim.ledger)["buyer"] is not None
    sim.advance(timedelta(seconds=1))
    body = json_out.charge_permission(permission, sim.ledger)
    assert body["buyer"] is None and body["shippingAddress"] is None


# --- Charge (§1.4) and Refund (§1.5) ---------------------------------------------------------

def test_an_authorized_charge_has_null_capture_and_refund_amounts(sim: Simulator) -> None:
    session = completed_session(sim)
    assert session.charge_id is not None
    body = json_out.charge(sim.api.get_charge(session.charge_id))
    assert set(body) == CHARGE_KEYS
    assert body["captureAmount"] is None and body["refundedAmount"] is None
    assert set(_object(body["statusDetails"])) == STATUS_KEYS
    assert body["providerMetadata"] == {"providerReferenceId": None}
    assert body["captureNow"] is None and body["convertedAmount"] is None


def test_a_captured_charge_shows_amounts_as_strings_and_the_prefixed_descriptor(
        sim: Simulator) -> None:
    session = completed_session(sim, 300)
    assert session.charge_id is not None
    charge = sim.api.capture_charge(session.charge_id, Money.of(300), "SOFT-DESC")
    body = json_out.charge(charge)
    assert body["captureAmount"] == {"amount": "300", "currencyCode": "JPY"}
    assert body["refundedAmount"] == {"amount": "0", "currencyCode": "JPY"}
    assert body["softDescriptor"] == "AMZ*SOFT-DESC"
    assert _object(body["statusDetails"])["state"] == "Captured"


def test_a_canceled_charge_reports_its_reason_and_description(sim: Simulator) -> None:
    session = completed_session(sim, 500)
    assert session.charge_id is not None and session.charge_permission_id is not None
    sim.api.cancel_charge(session.charge_id, "out of stock")
    body = json_out.charge(sim.api.get_charge(session.charge_id))
    assert _object(body["statusDetails"])["reasonCode"] == "MerchantCanceled"
    assert _object(body["statusDetails"])["reasonDescription"] == "out of stock"


def test_a_refund_has_the_sample_keys(sim: Simulator) -> None:
    session = completed_session(sim, 500, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    assert session.charge_id is not None
    refund = sim.api.create_refund(session.charge_id, Money.of(200), "REFUND")
    body = json_out.refund(refund)
    assert set(body) == REFUND_KEYS
    assert body["refundAmount"] == {"amount": "200", "currencyCode": "JPY"}
    assert body["softDescriptor"] == "REFUND"
    assert _object(body["statusDetails"])["state"] == "RefundInitiated"


def test_get_buyer_has_the_sample_keys() -> None:
    profile = json_out.buyer_profile(Buyer(buyer_id="amzn1.account.X"))
    assert set(profile) == BUYER_PROFILE_KEYS
    assert profile["postalCode"] == "153-0064" and profile["countryCode"] == "JP"
    assert set(_object(profile["shippingAddress"])) == ADDRESS_KEYS
    assert profile["billingAddress"] is None and profile["primeMembershipTypes"] is None


def test_merchant_metadata_is_echoed_with_every_key(sim: Simulator) -> None:
    session = open_session(sim)
    session.merchant_metadata = MerchantMetadata(merchant_reference_id="order-1")
    body = json_out.checkout_session(session, sim.ledger)
    assert body["merchantMetadata"] == {"merchantReferenceId": "order-1", "merchantStoreName": None,
                                        "noteToBuyer": None, "customInformation": None}
