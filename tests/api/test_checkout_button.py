"""Amazon Pay's button as Amazon checks it: the signature (both algorithms), key, store and payload."""

from __future__ import annotations

import json

import pytest

from harness import Simulator
from harness.amazon_pay.states import CheckoutSessionState
from harness.api.button import sign_button_payload
from harness.api.canonical import Algorithm
from harness.api.checkout_button import ButtonRefusedError
from harness.api.keys import test_key_pair
from harness.ids import Environment

REVIEW = "https://shop.example/checkout/review?order=order-A"


def payload(sim: Simulator, **extra: object) -> str:
    """A standard button payload for `sim`'s store (what a shop's cart page renders)."""
    body = {"webCheckoutDetails": {"checkoutReviewReturnUrl": REVIEW}, "storeId": sim.api.default_store_id,
            "scopes": ["name", "email", "shippingAddress"], **extra}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def signed(sim: Simulator, text: str, algorithm: Algorithm) -> str:
    return sign_button_payload(text, sim.key_pair.private_key, algorithm)


@pytest.mark.parametrize(("algorithm", "given"), [
    (Algorithm.LEGACY, None), (Algorithm.LEGACY, "AMZN-PAY-RSASSA-PSS"),
    (Algorithm.V2, "AMZN-PAY-RSASSA-PSS-V2")])
def test_a_signed_click_creates_the_session_signs_the_buyer_in_and_sends_them_to_review(
        algorithm: Algorithm, given: str | None) -> None:
    sim = Simulator()
    text = payload(sim)
    click = sim.button.click(text, signed(sim, text, algorithm), sim.key_pair.public_key_id, given)
    session = sim.api.get_checkout_session(click.checkout_session_id)
    assert click.review_url == f"{REVIEW}&amazonCheckoutSessionId={session.id}"
    assert session.state == CheckoutSessionState.OPEN
    assert session.buyer is not None
    assert session.web.checkout_review_return_url == REVIEW
    assert "BuyerNotAssociated" not in session.constraints  # the buyer signed in on the click


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_a_signature_of_the_other_algorithm_is_refused(algorithm: Algorithm) -> None:
    sim = Simulator()
    text = payload(sim)
    other = Algorithm.V2 if algorithm is Algorithm.LEGACY else Algorithm.LEGACY
    with pytest.raises(ButtonRefusedError) as refused:
        sim.button.click(text, signed(sim, text, other), sim.key_pair.public_key_id, algorithm.value)
    assert refused.value.error_code == "InvalidSignatureError"
    assert f"does not match signedString {algorithm.value} " in refused.value.message
    assert not sim.ledger.checkout_sessions


def test_a_tampered_payload_is_refused_and_creates_nothing() -> None:
    sim = Simulator()
    text = payload(sim)
    signature = signed(sim, text, Algorithm.V2)
    tampered = text.replace("order-A", "order-B")
    with pytest.raises(ButtonRefusedError, match="InvalidSignatureError"):
        sim.button.click(tampered, signature, sim.key_pair.public_key_id, Algorithm.V2.value)
    assert not sim.ledger.checkout_sessions


def test_the_php_sdk_signature_over_the_unescaped_payload_is_accepted() -> None:
    sim = Simulator()
    text = payload(sim)
    escaped = text.replace("/", "\\/")  # json_encode's form; PHP signs its stripcslashes
    sim.button.click(escaped, signed(sim, text, Algorithm.LEGACY), sim.key_pair.public_key_id)


@pytest.mark.parametrize(("key_id", "says"), [
    ("SANDBOX-UNKNOWN", "No public key is registered under publicKeyId 'SANDBOX-UNKNOWN'"),
    ("LIVE-TESTKEY", "No public key is registered under publicKeyId 'LIVE-TESTKEY' for Sandbox")])
def test_a_key_id_without_a_key_for_this_environment_is_refused(key_id: str, says: str) -> None:
    sim = Simulator()
    live = test_key_pair("LIVE-TESTKEY")
    sim.keys.register_pair(live, Environment.LIVE)
    text = payload(sim)
    with pytest.raises(ButtonRefusedError, match=says) as refused:
        sim.button.click(text, sign_button_payload(text, live.private_key), key_id)
    assert refused.value.error_code == "InvalidSignatureError"


def test_a_payload_for_another_store_is_refused_though_signed() -> None:
    sim = Simulator()
    text = payload(sim, storeId="amzn1.application-oa2-client.someone-else")
    with pytest.raises(ButtonRefusedError) as refused:
        sim.button.click(text, signed(sim, text, Algorithm.V2), sim.key_pair.public_key_id,
                         Algorithm.V2.value)
    assert (refused.value.error_code, refused.value.message) == (
        "InvalidParameterValue",
        "The value 'amzn1.application-oa2-client.someone-else' provided for 'storeId' is invalid.")
    assert not sim.ledger.checkout_sessions


@pytest.mark.parametrize(("text", "code", "says"), [
    ("not json", "InvalidRequestFormat", "not valid JSON"),
    ('{"storeId":"%s"}', "MissingParameterValue", "webCheckoutDetails"),
    ('{"storeId":"%s","webCheckoutDetails":{"checkoutMode":"ProcessOrder",'
     '"checkoutResultReturnUrl":"https://shop.example/r"}}', "InvalidParameterValue",
     "checkoutReviewReturnUrl"),
    ('{"storeId":"%s","webCheckoutDetails":{"checkoutReviewReturnUrl":"https://s/r"},"colour":"red"}',
     "UnrecognizedField", "colour"),
])
def test_a_payload_create_checkout_session_refuses_is_refused_with_its_reason(text: str, code: str,
                                                                              says: str) -> None:
    sim = Simulator()
    body = text % sim.api.default_store_id if "%s" in text else text
    with pytest.raises(ButtonRefusedError, match=says) as refused:
        sim.button.click(body, signed(sim, body, Algorithm.LEGACY), sim.key_pair.public_key_id)
    assert refused.value.error_code == code


def test_an_unknown_algorithm_is_refused() -> None:
    sim = Simulator()
    text = payload(sim)
    with pytest.raises(ButtonRefusedError, match="'algorithm' is invalid") as refused:
        sim.button.click(text, signed(sim, text, Algorithm.LEGACY), sim.key_pair.public_key_id, "RSA-SHA256")
    assert refused.value.error_code == "InvalidParameterValue"


def test_without_signature_checks_any_signature_is_accepted() -> None:
    sim = Simulator(verify_signatures=False)
    sim.button.click(payload(sim), "bm90IGEgc2lnbmF0dXJl", "SANDBOX-WHOEVER")
    assert len(sim.ledger.checkout_sessions) == 1


def test_the_buyer_signs_in_with_the_prefecture_given() -> None:
    sim = Simulator()
    sim.buyer.ship_to("北海道")
    text = payload(sim)
    click = sim.button.click(text, signed(sim, text, Algorithm.V2), sim.key_pair.public_key_id,
                             Algorithm.V2.value)
    buyer = sim.api.get_checkout_session(click.checkout_session_id).buyer
    assert buyer is not None and buyer.shipping_address.state_or_region == "北海道"
