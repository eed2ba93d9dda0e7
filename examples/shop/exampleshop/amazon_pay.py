"""The shop's Amazon Pay API v2 client: signed JSON calls over `requests`.

URLs are `https://pay-api.amazon.jp/{sandbox|live}/v2/...` (just `/v2/` for a key id starting
with SANDBOX or LIVE, which names its environment). Every POST carries an
`x-amz-pay-idempotency-key`: the caller passes one to retry a call safely.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from exampleshop.signing import Signer

__all__ = ["AmazonPay", "AmazonPayError", "NoAnswerError", "compact_json"]

HOSTS = {"jp": "pay-api.amazon.jp", "eu": "pay-api.amazon.eu", "na": "pay-api.amazon.com"}
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Statuses worth retrying with the same idempotency key (what the official SDKs retry) ..."""
DECLINES = frozenset({"ProcessingFailure", "TransactionTimedOut", "SoftDeclined", "HardDeclined",
                      "AmazonRejected"})
"""... unless the answer is a decision about the payment: a declined charge is not retried blindly."""

Json = dict[str, Any]


class AmazonPayError(Exception):
    """Amazon Pay answered an error: its HTTP status, reasonCode and message."""

    def __init__(self, status: int, reason_code: str, message: str) -> None:
        super().__init__(f"{status} {reason_code}: {message}")
        self.status = status
        self.reason_code = reason_code
        self.message = message

    @property
    def retryable(self) -> bool:
        """True for throttling and server errors, not for a decline."""
        return self.status in RETRYABLE and self.reason_code not in DECLINES


class NoAnswerError(AmazonPayError):
    """No HTTP answer: a timeout or a dropped connection (status 0)."""

    def __init__(self, error: requests.RequestException) -> None:
        super().__init__(0, type(error).__name__, str(error))

    @property
    def retryable(self) -> bool:
        """A request without an answer may be retried (with the same idempotency key)."""
        return True


def compact_json(value: object) -> str:
    """JSON as the shop sends it: compact, Japanese text unescaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _segment(value: str) -> str:
    return quote(value, safe="")


class AmazonPay:
    """Signed calls to the Amazon Pay API; each returns the answer's JSON object."""

    def __init__(self, signer: Signer, *, region: str = "jp", sandbox: bool = True,
                 timeout: float = 10.0, base_url: str | None = None) -> None:
        self.signer = signer
        self.region = region
        self.host = HOSTS[region]
        key_id = signer.public_key_id.upper()
        environment = "" if key_id.startswith(("SANDBOX", "LIVE")) else ("sandbox/" if sandbox else "live/")
        self.prefix = f"/{environment}v2/"
        self.timeout = timeout
        self.base_url = (base_url or f"https://{self.host}").rstrip("/")
        self.http = requests.Session()

    def call(self, method: str, path: str, body: Json | None = None, *, idempotency_key: str | None = None,
             query: dict[str, str] | None = None) -> Json:
        """Sign and send one request; raise `AmazonPayError` (or `NoAnswerError`) unless it answers 2xx."""
        payload = b"" if body is None else compact_json(body).encode()
        headers = {"accept": "application/json", "content-type": "application/json",
                   "x-amz-pay-date": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
                   "x-amz-pay-host": self.host, "x-amz-pay-region": self.region}
        if method == "POST":
            headers["x-amz-pay-idempotency-key"] = idempotency_key or uuid.uuid4().hex
        full_path = self.prefix + path
        headers["authorization"] = self.signer.authorization(method, full_path, query or {}, headers, payload)
        try:
            answer = self.http.request(method, self.base_url + full_path, params=query, data=payload,
                                       headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            raise NoAnswerError(error) from error
        try:
            parsed = json.loads(answer.content) if answer.content else {}  # UTF-8 whatever the header says
        except ValueError:
            parsed = {}
        if not answer.ok:
            raise AmazonPayError(answer.status_code, str(parsed.get("reasonCode", "")),
                                 str(parsed.get("message", answer.text)))
        return parsed if isinstance(parsed, dict) else {}

    # --- Checkout Session ---

    def create_checkout_session(self, body: Json, idempotency_key: str | None = None) -> Json:
        """Create Checkout Session (the server-side start, without the button)."""
        return self.call("POST", "checkoutSessions", body, idempotency_key=idempotency_key)

    def get_checkout_session(self, session_id: str) -> Json:
        """Get Checkout Session: the buyer, the shipping address, the state."""
        return self.call("GET", f"checkoutSessions/{_segment(session_id)}")

    def update_checkout_session(self, session_id: str, body: Json) -> Json:
        """Update Checkout Session: the amount and checkoutResultReturnUrl; answers amazonPayRedirectUrl."""
        return self.call("PATCH", f"checkoutSessions/{_segment(session_id)}", body)

    def complete_checkout_session(self, session_id: str, body: Json,
                                  idempotency_key: str | None = None) -> Json:
        """Complete Checkout Session, on the result page."""
        return self.call("POST", f"checkoutSessions/{_segment(session_id)}/complete", body,
                         idempotency_key=idempotency_key)

    # --- Charge Permission ---

    def get_charge_permission(self, permission_id: str) -> Json:
        """Get Charge Permission."""
        return self.call("GET", f"chargePermissions/{_segment(permission_id)}")

    def close_charge_permission(self, permission_id: str, body: Json) -> Json:
        """Close Charge Permission."""
        return self.call("DELETE", f"chargePermissions/{_segment(permission_id)}/close", body)

    # --- Charge ---

    def create_charge(self, body: Json, idempotency_key: str | None = None) -> Json:
        """Create Charge on a Charge Permission (captureNow for a charge at shipment)."""
        return self.call("POST", "charges", body, idempotency_key=idempotency_key)

    def get_charge(self, charge_id: str) -> Json:
        """Get Charge."""
        return self.call("GET", f"charges/{_segment(charge_id)}")

    def capture_charge(self, charge_id: str, body: Json, idempotency_key: str | None = None) -> Json:
        """Capture Charge."""
        return self.call("POST", f"charges/{_segment(charge_id)}/capture", body,
                         idempotency_key=idempotency_key)

    def cancel_charge(self, charge_id: str, body: Json) -> Json:
        """Cancel Charge."""
        return self.call("DELETE", f"charges/{_segment(charge_id)}/cancel", body)

    # --- Refund ---

    def create_refund(self, body: Json, idempotency_key: str | None = None) -> Json:
        """Create Refund."""
        return self.call("POST", "refunds", body, idempotency_key=idempotency_key)

    def get_refund(self, refund_id: str) -> Json:
        """Get Refund."""
        return self.call("GET", f"refunds/{_segment(refund_id)}")

    # --- Reports ---

    def create_report(self, body: Json, idempotency_key: str | None = None) -> Json:
        """Create Report (`{reportType, startTime, endTime}`): answers `{reportId}`."""
        return self.call("POST", "reports", body, idempotency_key=idempotency_key)

    def get_report_by_id(self, report_id: str) -> Json:
        """Get Report By Id: its processingStatus and, once COMPLETED, its reportDocumentId."""
        return self.call("GET", f"reports/{_segment(report_id)}")

    def get_report_document(self, document_id: str) -> Json:
        """Get Report Document: the url of the file (valid for a short while)."""
        return self.call("GET", f"report-documents/{_segment(document_id)}")

    def download_document(self, url: str) -> str:
        """The file behind a report document's url: pre-signed, so fetched unsigned; UTF-8 text. A url on
        the API's own host goes to `base_url` too, as every other call does."""
        api = f"https://{self.host}/"
        if url.startswith(api):
            url = f"{self.base_url}/{url.removeprefix(api)}"
        try:
            answer = self.http.get(url, timeout=self.timeout)
        except requests.RequestException as error:
            raise NoAnswerError(error) from error
        if not answer.ok:
            code = re.search(r"<Code>([^<]*)</Code>", answer.text)
            raise AmazonPayError(answer.status_code, code.group(1) if code else "", answer.text[:300])
        return answer.content.decode("utf-8")
