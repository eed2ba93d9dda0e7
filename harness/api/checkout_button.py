"""Amazon Pay's button: what Amazon does when the buyer clicks it (docs/reference/amazon-pay-v2.md §5.5).

The shop renders the button with a signed `createCheckoutSessionConfig` (payloadJSON, signature,
publicKeyId, algorithm). On the click Amazon checks the signature with the public key registered
under publicKeyId (§5.4), creates the Checkout Session from the payload, the buyer signs in, and
Amazon sends the buyer to `checkoutReviewReturnUrl?amazonCheckoutSessionId=…`. A click Amazon
refuses shows its error page instead (`ButtonRefusedError`, D-BUTTON-ERROR); nothing is created then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.amazon_pay.checkout import with_session_id
from harness.amazon_pay.errors import AmazonPayError, invalid_value
from harness.amazon_pay.objects import Buyer
from harness.api.button import verify_button_signature
from harness.api.canonical import Algorithm, string_to_sign
from harness.api.handler import parse_body
from harness.api.keys import KeyRegistry
from harness.api.verifier import InvalidSignatureError
from harness.api.web_store import open_session
from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.simulator import Simulator

__all__ = ["ButtonClick", "ButtonRefusedError", "CheckoutButton"]

SIGNATURE_ERROR = "InvalidSignatureError"
"""The Error Code Amazon's button page shows for a signature that does not verify (§5.5)."""


class ButtonRefusedError(HarnessError):
    """Amazon's button showed its error page (Error Code, Error Message) instead of a checkout."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(f"Error Code: {error_code}; Error Message: {message}")
        self.error_code = error_code
        self.message = message

    def to_json(self) -> dict[str, str]:
        """The page's two lines as JSON (what `harness serve` answers a refused click with)."""
        return {"errorCode": self.error_code, "message": self.message}


@dataclass(frozen=True)
class ButtonClick:
    """A click Amazon accepted: the Checkout Session it created and where the buyer is sent."""

    checkout_session_id: str
    review_url: str
    """`checkoutReviewReturnUrl` with `amazonCheckoutSessionId` appended."""


def _algorithm(name: str | None) -> Algorithm:
    """The config's `algorithm`: absent means the original AMZN-PAY-RSASSA-PSS (§5.4)."""
    if name is None:
        return Algorithm.LEGACY
    for algorithm in Algorithm:
        if algorithm.value == name:
            return algorithm
    raise ButtonRefusedError("InvalidParameterValue",  # D-BUTTON-ERROR
                        f"The value '{name}' provided for 'algorithm' is invalid; use "
                        f"{' or '.join(Algorithm)} or leave it out.")


class CheckoutButton:
    """Amazon's side of the button: `click` is the buyer's click on a rendered button."""

    def __init__(self, simulator: Simulator, keys: KeyRegistry | None) -> None:
        self._simulator = simulator
        self._keys = keys
        """None: signatures are not checked (`Simulator(verify_signatures=False)`)."""

    def click(self, payload_json: str, signature: str, public_key_id: str, algorithm: str | None = None,
              *, buyer: Buyer | None = None) -> ButtonClick:
        """The buyer clicks the button and signs in; Amazon sends them to checkoutReviewReturnUrl.

        Raises `ButtonRefusedError` for what Amazon's button page refuses: a signature that does not
        verify, a publicKeyId with no key (D-BUTTON-ERROR), a payload Create Checkout Session
        would refuse, or one for another store.
        """
        simulator = self._simulator
        with simulator.lock:
            self._verify(payload_json, signature, public_key_id, _algorithm(algorithm))
            try:
                body = parse_body(payload_json.encode("utf-8"))
                store_id = None if body is None else body.get("storeId")
                if isinstance(store_id, str) and store_id != simulator.api.default_store_id:
                    raise invalid_value(store_id, "storeId")  # D-BUTTON-ERROR
                web = None if body is None else body.get("webCheckoutDetails")
                if isinstance(web, dict) and "checkoutReviewReturnUrl" not in web:
                    raise AmazonPayError("InvalidParameterValue",  # D-BUTTON-CLICK
                                         "The simulator's button models the standard checkout: the "
                                         "payload needs 'webCheckoutDetails.checkoutReviewReturnUrl'.")
                session = open_session(simulator, body)
            except AmazonPayError as error:
                raise ButtonRefusedError(error.reason_code, error.message) from None
            simulator.ledger.note("amazon", f"created Checkout Session {session.id} from the button's "
                                            f"payload ({public_key_id})")
            simulator.buyer.sign_in(session.id, buyer)
            review = session.web.checkout_review_return_url
            assert review is not None
            return ButtonClick(session.id, with_session_id(review, session.id))

    def _verify(self, payload_json: str, signature: str, public_key_id: str, algorithm: Algorithm) -> None:
        if self._keys is None:
            return
        entry = self._keys.lookup(public_key_id)
        if entry is None or entry.environment is not self._simulator.ids.environment:
            raise ButtonRefusedError(SIGNATURE_ERROR,  # D-BUTTON-ERROR
                                f"No public key is registered under publicKeyId '{public_key_id}' for "
                                f"{self._simulator.ids.environment.value}.")
        try:
            verify_button_signature(payload_json, signature, entry.public_key, algorithm)
        except InvalidSignatureError:
            digest = string_to_sign(algorithm, payload_json).replace("\n", " ")
            raise ButtonRefusedError(SIGNATURE_ERROR, f"Signature {signature} does not match signedString "
                                                 f"{digest}") from None
