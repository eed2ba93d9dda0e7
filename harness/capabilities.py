"""What a shop may not implement: the capabilities scenarios are tagged with, and skipping them.

Every shipped scenario that needs more than the basic checkout (a OneTime checkout the shop
authorizes and captures) carries one tag per capability it needs (`@recurring`, `@refund`, ...;
`tags:` in YAML). A shop that does not implement one declares it, and those scenarios are skipped
with a reason naming the capability:

    [pytest]
    amazon_pay_unsupported = recurring overcharge

or `--amazon-pay-unsupported=recurring,overcharge` for one run. `-m "not recurring"` works too.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from harness.errors import HarnessError

__all__ = ["BUTTON_FLOW_UNSUPPORTED", "CAPABILITIES", "Capability", "UnknownCapabilityError",
           "read_unsupported", "render_capabilities"]


@dataclass(frozen=True)
class Capability:
    """One thing a shop may or may not implement: its tag and what it stands for."""

    tag: str
    doc: str


CAPABILITIES: tuple[Capability, ...] = (
    Capability("recurring", "Recurring checkouts (`chargePermissionType` Recurring): one Charge Permission "
                            "charged again and again, one Seller Central row per Charge"),
    Capability("overcharge", "`allowOvercharge`: capturing more than the amount the buyer approved"),
    Capability("total-order-amount", "`paymentDetails.totalOrderAmount`: a checkout whose order total "
                                     "differs from its first charge"),
    Capability("extend-expiration", "`extendExpiration`: a Charge Permission that lasts 13 months"),
    Capability("pending", "`canHandlePendingAuthorization`: authorizations Amazon decides later, which the "
                          "shop must follow up"),
    Capability("charge", "further charges on a Charge Permission after the checkout (Create Charge)"),
    Capability("refund", "refunds from the shop's own code (Create Refund)"),
    Capability("cancel", "the shop releasing an authorization (Cancel Charge)"),
    Capability("close", "the shop closing a Charge Permission (Close Charge Permission)"),
    Capability("reconcile", "a reconciliation job that catches up with Amazon (Get Charge, Get Charge "
                            "Permission)"),
    Capability("decline", "authorizations Amazon declines (SoftDeclined, HardDeclined, ...)"),
    Capability("payment-method", "a buyer's payment method turning invalid or expired, and the buyer "
                                 "updating it (Suspended)"),
    Capability("fraud", "orders Amazon closes as fraudulent"),
    Capability("notifications", "an IPN endpoint (the adapter's `receive_notification`) that verifies "
                                "Amazon Pay's notifications and reads the object they name"),
    Capability("button", "the standard flow with Amazon Pay's button: the shop renders the signed "
                         "button and its review page updates the session (render_button, handle_review)"),
    Capability("create-checkout", "the shop creating the Checkout Session itself (Create Checkout "
                                  "Session); in the button flow Amazon's button creates it, so these "
                                  "scenarios are skipped there"),
    Capability("operator", "staff acting in Seller Central's transaction view (売上請求, 返金, お支払い"
                           "キャンセル, 終了したお支払い)"),
    Capability("retry", "retrying Amazon Pay's transient answers (429, 5xx) and lost connections, under the "
                        "same idempotency key"),
    Capability("reports", "downloading Amazon Pay reports (the settlement report) for the shop's accounting: "
                          "the optional adapter contract ReportingMerchant"),
)
"""Every capability tag, in the order the docs list them."""

BUTTON_FLOW_UNSUPPORTED = "create-checkout"
"""The capability no shop has in the button flow: there Amazon's button creates the session."""

_BY_TAG = {capability.tag: capability for capability in CAPABILITIES}


class UnknownCapabilityError(HarnessError, ValueError):
    """A declared unsupported capability that does not exist; the message lists the ones that do."""


def read_unsupported(words: Iterable[str]) -> tuple[Capability, ...]:
    """`["recurring", "overcharge,refund"]` -> those capabilities (commas or spaces separate them)."""
    tags = [tag.strip().removeprefix("@") for word in words for tag in word.replace(",", " ").split()]
    unknown = [tag for tag in tags if tag not in _BY_TAG]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(_BY_TAG), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UnknownCapabilityError(f"unknown capability {unknown[0]!r}{hint}; capabilities are "
                                     f"{', '.join(_BY_TAG)}")
    return tuple(_BY_TAG[tag] for tag in dict.fromkeys(tags))


def render_capabilities() -> str:
    """docs/capabilities.md: every capability tag and what it stands for."""
    lines = ["# Capabilities", "",
             "The tags of the shipped scenarios, one per capability a scenario needs beyond the basic "
             "checkout (a OneTime checkout the shop authorizes and captures). A shop that does not "
             "implement one lists it in the ini option `amazon_pay_unsupported` (or "
             "`--amazon-pay-unsupported=a,b`): its scenarios are skipped with a reason naming it. "
             "Generated from `harness/capabilities.py` by `harness generate`; do not edit by hand.", "",
             "```ini", "[pytest]", "amazon_pay_unsupported = recurring overcharge", "```", "",
             "| Tag | What the shop implements |", "|---|---|"]
    lines += [f"| `@{capability.tag}` | {capability.doc} |" for capability in CAPABILITIES]
    return "\n".join(lines) + "\n"
