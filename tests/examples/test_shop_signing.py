"""exampleshop signs as Amazon Pay checks: its requests (the simulator verifies every one) and its
button payload, under both algorithms."""

from __future__ import annotations

import json

import pytest
from exampleshop.adapter import ExampleShopAdapter
from exampleshop.signing import Signer

from harness.api.button import verify_button_signature
from harness.api.canonical import Algorithm
from harness.merchant import CheckoutRequest
from harness.merchant_time import MerchantTime
from harness.money import Money
from harness.simulator import Simulator

ALGORITHMS = ["AMZN-PAY-RSASSA-PSS", "AMZN-PAY-RSASSA-PSS-V2"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_shops_signed_requests_are_accepted(algorithm: str) -> None:
    simulator = Simulator()
    with simulator.mock(), MerchantTime.follow(simulator.clock):
        shop = ExampleShopAdapter.for_simulator(simulator, algorithm=algorithm)
        session_id = shop.start_checkout("order-A", CheckoutRequest(Money.of(5000)))
        record = shop.order("order-A")
    assert session_id is not None and record is not None and record.errors == []
    assert simulator.handler.exchanges[-1].request.headers["authorization"].startswith(algorithm + " ")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_button_payload_signature_verifies(algorithm: str) -> None:
    simulator = Simulator()
    payload = json.dumps({"storeId": simulator.api.default_store_id, "note": "送料無料"}, ensure_ascii=False)
    signer = Signer(simulator.key_pair.public_key_id, simulator.key_pair.private_key_pem, algorithm)
    verify_button_signature(payload, signer.sign_text(payload), simulator.key_pair.public_key,
                            Algorithm(algorithm))


def test_an_unknown_algorithm_is_refused_at_start() -> None:
    simulator = Simulator()
    with pytest.raises(ValueError, match="unknown signature algorithm 'RSA-SHA1'"):
        Signer(simulator.key_pair.public_key_id, simulator.key_pair.private_key_pem, "RSA-SHA1")
