"""exampleshop behind the release gate, run as its CI runs it: pytest in the shop's folder, one process.

The shop as it ships passes its features (en, ja) and YAML scenarios; each broken variant fails
exactly the scenarios about its bug, and the failure names the scenario and the wrong record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
FRAUD_EN = "test_a_fraud_close_holds_the_order_for_review_instead_of_filing_it_as_abandoned"
FRAUD_JA = "test_不正利用のクローズは_放棄された注文ではなく審査待ちにする"
FRAUD_YAML = "shop.yaml::A fraud close is held for review, not filed as a drop-off"
FRAUD_IPN_EN = "test_the_ipn_of_a_fraud_close_puts_the_order_on_hold_at_once_delivered_twice_or_not"
FRAUD_IPN_JA = "test_不正利用クローズのipnで注文はすぐに保留になる_2回届いても同じ"
RETRIES = {"test_a_monthly_charge_that_times_out_after_amazon_processed_it_is_retried_one_charge_per_month",
           "test_two_503_answers_to_create_charge_are_retried_and_the_shop_s_record_is_authorized",
           "test_処理後にタイムアウトした月次の請求をリトライしても請求は月に一度"}


def gate(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest with the shop's own ini file, over the shop's folder."""
    return pytester.runpytest_subprocess("-c", str(SHOP / "pytest.ini"), "--rootdir", str(SHOP), str(SHOP),
                                         "-p", "no:xdist", *args)


def failed_tests(result: pytest.RunResult) -> set[str]:
    """`file::test` of each test pytest's summary lists as FAILED (the file without its folders)."""
    ids = (line.split(" ", 1)[1].split(" - ")[0] for line in result.outlines if line.startswith("FAILED "))
    return {f"{Path(path).name}::{name}" for path, name in (test.split("::", 1) for test in ids)}


def test_the_shop_as_it_ships_passes_its_features_and_scenarios(pytester: pytest.Pytester) -> None:
    result = gate(pytester)
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("failed", 0) == 0 and outcomes["passed"] >= 17


def test_the_gate_catches_a_reconciler_that_reads_reason_codes_alone(pytester: pytest.Pytester) -> None:
    result = gate(pytester, "--amazon-pay-merchant=exampleshop.adapter:broken_reconciler")
    assert result.ret == 1
    features = {f"test_shop_features.py::{name}" for name in (FRAUD_EN, FRAUD_JA, FRAUD_IPN_EN, FRAUD_IPN_JA)}
    assert failed_tests(result) == {*features, FRAUD_YAML}  # by the job and by the IPN alike
    output = result.stdout.str()
    # the message names the shop's wrong record, then shows the row Seller Central shows
    assert "expected the merchant's record of the order (order-1) to be canceled, but it is failed" in output
    assert ("expected the merchant's record of order A (order-A) to be flagged for fraud review, "
            "but it has no flag (status failed)") in output
    assert re.search(r"\| Closed +\| ¥5,000 +\| ¥0 +\| ¥0 +\|", output)  # authorized, never captured


def test_the_gate_catches_a_capture_retried_under_a_new_idempotency_key(pytester: pytest.Pytester) -> None:
    result = gate(pytester, "--amazon-pay-merchant=exampleshop.adapter:broken_retrier")
    assert result.ret == 1
    assert failed_tests(result) == {f"test_shop_features.py::{name}" for name in RETRIES}
    output = result.stdout.str()
    assert ("expected Amazon Pay to have received 2 createCharge call(s) for the order under the same "
            "idempotency key, but it received 2 under 2 key(s)") in output
    assert len(re.findall(r"-C\d+ \| Closed +\| ¥5,000 +\| ¥5,000 +\|", output)) >= 3  # a row per charge
