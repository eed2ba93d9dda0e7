"""Amazon Pay errors: `{"reasonCode", "message"}` with the HTTP status of docs/reference/amazon-pay-v2.md
§4.2."""

from __future__ import annotations

from harness.errors import HarnessError

__all__ = ["HTTP_STATUS", "AmazonPayError", "SimulationError", "invalid_value", "not_found", "wrong_state"]

HTTP_STATUS: dict[str, int] = {
    # 400 (§4.2)
    "InvalidHeaderValue": 400,
    "InvalidRequest": 400,
    "InvalidParameterValue": 400,
    "InvalidRequestFormat": 400,
    "MissingHeader": 400,
    "MissingHeaderValue": 400,
    "MissingParameterValue": 400,
    "UnrecognizedField": 400,
    "InvalidSandboxSimulationSpecified": 400,
    "DuplicateIdempotencyKey": 400,
    "InvalidParameterCombination": 400,
    "CurrencyMismatch": 400,
    "TransactionAmountExceeded": 400,
    "PeriodicAmountExceeded": 400,
    # 401 / 403 / 404 / 405 / 408 / 409
    "UnauthorizedAccess": 401,
    "InvalidAuthentication": 403,
    "InvalidAccountStatus": 403,
    "InvalidRequestSignature": 403,
    "ResourceNotFound": 404,
    "UnsupportedOperation": 405,
    "RequestNotSupported": 405,
    "RequestTimeout": 408,
    "AmountMismatch": 409,
    # 422: state and business rules (CheckoutSessionCanceled: 422, see §4.2 note)
    "InvalidCheckoutSessionStatus": 422,
    "CheckoutSessionCanceled": 422,
    "InvalidChargePermissionStatus": 422,
    "ChargePermissionNotModifiable": 422,
    "InvalidChargeStatus": 422,
    "TransactionCountExceeded": 422,
    "SoftDeclined": 422,
    "HardDeclined": 422,
    "PaymentMethodNotAllowed": 422,
    "MFANotCompleted": 422,
    "TransactionTimedOut": 422,
    "AmazonRejected": 422,
    # 429 / 5xx
    "TooManyRequests": 429,
    "InternalServerError": 500,
    "ProcessingFailure": 500,
    "ServiceUnavailable": 503,
}


class AmazonPayError(HarnessError):
    """An error the API answers with; its status comes from the §4.2 table."""

    def __init__(self, reason_code: str, message: str) -> None:
        if reason_code not in HTTP_STATUS:
            raise ValueError(f"unknown reasonCode {reason_code!r}: add it to HTTP_STATUS with its source")
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message
        self.http_status = HTTP_STATUS[reason_code]

    def to_json(self) -> dict[str, str]:
        """The error body of §4.1."""
        return {"reasonCode": self.reason_code, "message": self.message}


def not_found(kind: str, object_id: str) -> AmazonPayError:
    """404 for an id the simulator does not know."""
    return AmazonPayError("ResourceNotFound", f"The {kind} with id '{object_id}' was not found.")


def invalid_value(value: object, path: str) -> AmazonPayError:
    """400 InvalidParameterValue in the wording seen live (§4.1)."""
    return AmazonPayError("InvalidParameterValue", f"The value '{value}' provided for '{path}' is invalid.")


def wrong_state(reason_code: str, kind: str, state: str, operation: str) -> AmazonPayError:
    """422 for an operation not allowed in the object's state."""
    return AmazonPayError(
        reason_code,
        f"You tried to call {operation} on a {kind} that is in state {state}, "
        "where that operation is not allowed",
    )


class SimulationError(HarnessError, ValueError):
    """A scenario asked an actor (buyer, Amazon, time) for something that cannot happen then.

    Unlike `AmazonPayError` this is not an API answer: it is a mistake in the scenario, and its
    message says what was expected.
    """
