"""Every deliberate error of the Amazon side, the merchant client included, derives from HarnessError."""

from __future__ import annotations

import pytest

import harness
from harness.amazon_pay.errors import AmazonPayError, SimulationError
from harness.amazon_pay.reports import DocumentLinkError
from harness.api.faults import SimulatedNetworkError
from harness.api.routing import NoRouteError
from harness.api.verifier import SignatureError
from harness.clock import ClockError
from harness.errors import HarnessError
from harness.merchant.client import AmazonPayApiError
from harness.money import MoneyFormatError


@pytest.mark.parametrize("error", [AmazonPayError, SimulationError, ClockError, MoneyFormatError,
                                   NoRouteError, SimulatedNetworkError, SignatureError,
                                   AmazonPayApiError, DocumentLinkError])
def test_derives_from_harness_error(error: type[Exception]) -> None:
    assert issubclass(error, HarnessError)


@pytest.mark.parametrize("error", [SimulationError, ClockError, MoneyFormatError])
def test_value_errors_stay_value_errors(error: type[Exception]) -> None:
    assert issubclass(error, ValueError)


def test_the_package_exports_what_the_readme_uses_and_every_error_under_one_root() -> None:
    errors = [harness.AmazonPayError, harness.SimulationError, harness.ScenarioError,
              harness.ExpectationError, harness.ScenarioFileError, harness.ScenarioValueError]
    assert all(issubclass(error, harness.HarnessError) for error in errors)
    assert issubclass(harness.ExpectationError, AssertionError)  # pytest shows it as a failed assertion
    for name in ("Simulator", "SellerCentral", "Money", "ScenarioWorld", "MerchantAdapter"):
        assert name in harness.__all__
