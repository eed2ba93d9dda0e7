"""The reference merchant client end to end against the mounted simulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from freezegun import freeze_time

from harness.api.canonical import Algorithm
from harness.api.keys import test_key_pair
from harness.api.signer import format_amz_date
from harness.ids import Environment
from harness.merchant.client import AmazonPayApiError, AmazonPayClient
from harness.seller_central.projection import TransactionStatus
from harness.simulator import Simulator

YEN_5000 = {"amount": "5000", "currencyCode": "JPY"}


def client_for(sim: Simulator, algorithm: Algorithm = Algorithm.LEGACY) -> AmazonPayClient:
    return AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key,
                           algorithm=algorithm, now=sim.clock.now)


def checkout(sim: Simulator, client: AmazonPayClient) -> dict[str, Any]:
    """Create a checkout, let the buyer sign in and pay, complete it: the completed session."""
    session = client.create_checkout_session({
        "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review",
                               "checkoutResultReturnUrl": "https://shop.example/result"},
        "storeId": sim.api.default_store_id,
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": YEN_5000},
    })
    assert client.last_response is not None and client.last_response.status_code == 201
    session_id = session["checkoutSessionId"]
    sim.buyer.sign_in(session_id)
    sim.buyer.approve(session_id)
    return client.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_checkout_capture_refund(amazon_pay_simulator: Simulator, algorithm: Algorithm) -> None:
    sim = amazon_pay_simulator
    with client_for(sim, algorithm) as client:
        completed = checkout(sim, client)
        assert completed["statusDetails"]["state"] == "Completed"
        charge_id = completed["chargeId"]
        assert client.get_charge(charge_id)["statusDetails"]["state"] == "Authorized"
        captured = client.capture_charge(charge_id, {"captureAmount": YEN_5000})
        assert captured["statusDetails"]["state"] == "Captured"
        refund = client.create_refund({"chargeId": charge_id,
                                       "refundAmount": {"amount": "2000", "currencyCode": "JPY"}})
        assert client.last_response is not None and client.last_response.status_code == 201
        assert client.get_refund(refund["refundId"])["statusDetails"]["state"] == "RefundInitiated"
        permission = client.get_charge_permission(completed["chargePermissionId"])
        assert permission["chargePermissionId"] == completed["chargePermissionId"]
    row = sim.seller_central.row(completed["chargePermissionId"])
    assert row.captured.amount == 5000
    assert row.status in set(TransactionStatus)


def test_simulation_code_and_api_errors(amazon_pay_simulator: Simulator) -> None:
    sim = amazon_pay_simulator
    client = client_for(sim)
    charge_id = checkout(sim, client)["chargeId"]
    captured = client.capture_charge(charge_id, {"captureAmount": YEN_5000},
                                     simulation_code="CaptureInitiated")
    assert captured["statusDetails"]["state"] == "CaptureInitiated"
    with pytest.raises(AmazonPayApiError) as caught:
        client.get_charge("S03-0000000-0000000-C000000")
    error = caught.value
    assert (error.status, error.reason_code) == (404, "ResourceNotFound")
    assert error.request_id
    client.close()


def test_every_post_carries_a_fresh_idempotency_key(amazon_pay_simulator: Simulator) -> None:
    client = client_for(amazon_pay_simulator)
    keys = []
    for _ in range(2):
        with pytest.raises(AmazonPayApiError):
            client.create_refund({"chargeId": "S03-0000000-0000000-C000000", "refundAmount": YEN_5000})
        assert client.last_response is not None
        keys.append(client.last_response.request.headers["x-amz-pay-idempotency-key"])
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in keys)
    assert keys[0] != keys[1]
    client.get_buyer("token")
    assert client.last_response is not None
    assert "x-amz-pay-idempotency-key" not in client.last_response.request.headers
    with pytest.raises(AmazonPayApiError, match="MissingParameterValue"):
        client.request("POST", "refunds", {}, idempotency_key="mine")
    assert client.last_response.request.headers["x-amz-pay-idempotency-key"] == "mine"


def authorization_of(client: AmazonPayClient) -> str:
    assert client.last_response is not None
    return client.last_response.request.headers["authorization"]


def test_reused_signatures_only_for_the_same_request_in_the_same_second(
        amazon_pay_simulator: Simulator) -> None:
    sim = amazon_pay_simulator
    fresh, reusing = client_for(sim), AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key,
                                                      now=sim.clock.now, reuse_signatures=True)
    seen = []
    for client in (fresh, fresh, reusing, reusing):
        client.get_buyer("token")
        seen.append(authorization_of(client))
    assert seen[0] != seen[1]  # the SDKs' way: every call signed afresh (the PSS salt is random)
    assert seen[2] == seen[3]
    reusing.get_buyer("another")
    assert authorization_of(reusing) != seen[3]
    sim.advance(timedelta(seconds=1))
    reusing.get_buyer("token")
    assert authorization_of(reusing) != seen[3]
    for _ in range(2):  # a POST's fresh idempotency key makes each one a request of its own
        with pytest.raises(AmazonPayApiError, match="ResourceNotFound"):
            reusing.create_refund({"chargeId": "S03-0000000-0000000-C000000", "refundAmount": YEN_5000})
        seen.append(authorization_of(reusing))
    assert seen[-1] != seen[-2]


def test_a_kept_request_is_sent_as_first_built_for_each_http_client(amazon_pay_simulator: Simulator) -> None:
    """A kept signature's request goes out as httpx built it the first time, each httpx client's own
    default headers merged in; a retry sends that same request again."""
    sim = amazon_pay_simulator
    shops = [AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, now=sim.clock.now,
                             reuse_signatures=True, http=httpx.Client(headers={"user-agent": f"shop-{n}"}))
             for n in range(2)]
    sent = []
    for shop in (shops[0], shops[0], shops[1]):
        shop.get_buyer("token")
        assert shop.last_response is not None
        sent.append(shop.last_response.request)
    assert sent[0] is sent[1] and sent[2] is not sent[0]
    assert sent[2].headers["authorization"] == sent[0].headers["authorization"]
    assert [request.headers["user-agent"] for request in sent] == ["shop-0", "shop-0", "shop-1"]
    retrying = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key, now=sim.clock.now,
                               retries=1, sleep=lambda _: None)
    sim.faults.timeout("getBuyer", times=1)
    retrying.get_buyer("token")
    timed_out, answered = list(sim.handler.exchanges)[-2:]
    assert len(retrying.last_retried) == 1 and answered.response is not None and timed_out.response is None
    assert timed_out.request == answered.request  # the same date, signature and headers


def test_default_time_is_datetime_now_so_freezegun_moves_it(amazon_pay_simulator: Simulator) -> None:
    sim = amazon_pay_simulator
    client = AmazonPayClient(sim.key_pair.public_key_id, sim.key_pair.private_key_pem)
    moment = sim.now() + timedelta(minutes=3)
    with freeze_time(moment):
        client.get_buyer("token")
    assert client.last_response is not None
    assert client.last_response.request.headers["x-amz-pay-date"] == format_amz_date(moment)


def test_url_forms_and_regions() -> None:
    plain = test_key_pair("AHEXAMPLEPLAINKEYID").private_key
    assert AmazonPayClient("AHEXAMPLEPLAINKEYID", plain).base_url == \
        "https://pay-api.amazon.jp/sandbox/v2/"
    assert AmazonPayClient("AHEXAMPLEPLAINKEYID", plain, sandbox=False, region="us").base_url == \
        "https://pay-api.amazon.com/live/v2/"
    assert AmazonPayClient("LIVE-X", plain, region="UK").base_url == "https://pay-api.amazon.eu/v2/"
    with pytest.raises(ValueError, match="unknown region 'fe'"):
        AmazonPayClient("LIVE-X", plain, region="fe")


def test_live_simulator_with_live_key() -> None:
    sim = Simulator(environment=Environment.LIVE)
    assert sim.key_pair.public_key_id == "LIVE-TESTKEY"
    with sim.mock():
        assert client_for(sim).get_buyer("token")["buyerId"]


def test_given_http_client_is_used_and_left_open(amazon_pay_simulator: Simulator) -> None:
    with httpx.Client() as http:
        client = AmazonPayClient(amazon_pay_simulator.key_pair.public_key_id,
                                 amazon_pay_simulator.key_pair.private_key, http=http,
                                 now=amazon_pay_simulator.clock.now)
        client.get_buyer("token")
        client.close()
        assert not http.is_closed
