"""The values of the fault steps: which operation fails, with what, and how many times.

An operation is named by its SDK name (`createCharge`, `captureCharge`: docs/api-coverage.md) or
by the vocabulary's own word for what the merchant does (`capture`, `refund`, 売上請求), or `any
call` for whichever comes next; a typo gets a did-you-mean. A status fault is written as its HTTP
status or its reason code (429 `TooManyRequests`, 500 `InternalServerError`, 503
`ServiceUnavailable`: docs/reference/amazon-pay-v2.md §4.2). How often: `once`, `twice`, `3 times`, `1回`.
"""

from __future__ import annotations

import re
from functools import cache

from harness.amazon_pay.errors import HTTP_STATUS, SimulationError
from harness.api.faults import ANY_OPERATION, FaultKind, FaultPlan
from harness.scenario.parsing import ScenarioValueError, _lookup, normalize

__all__ = ["FAULT_STATUS_WORDS", "OPERATION_ALIASES", "operation_words", "parse_fault_status",
           "parse_operation", "parse_times", "plan_fault"]

OPERATION_ALIASES: dict[str, str] = {
    "any call": ANY_OPERATION,
    "checkout": "createCheckoutSession",
    "completion": "completeCheckoutSession",
    "charge": "createCharge",
    "capture": "captureCharge",
    "cancellation": "cancelCharge",
    "refund": "createRefund",
    "closing": "closeChargePermission",
    "すべての呼び出し": ANY_OPERATION,
    "決済開始": "createCheckoutSession",
    "決済完了": "completeCheckoutSession",
    "請求": "createCharge",
    "売上請求": "captureCharge",
    "オーソリキャンセル": "cancelCharge",
    "返金": "createRefund",
    "クローズ": "closeChargePermission",
}
"""The vocabulary's words for operations (the merchant's actions), beside the SDK names."""

FAULT_STATUS_WORDS: dict[str, FaultKind] = {
    "429": FaultKind.TOO_MANY_REQUESTS,
    "TooManyRequests": FaultKind.TOO_MANY_REQUESTS,
    "500": FaultKind.INTERNAL_SERVER_ERROR,
    "InternalServerError": FaultKind.INTERNAL_SERVER_ERROR,
    "503": FaultKind.SERVICE_UNAVAILABLE,
    "ServiceUnavailable": FaultKind.SERVICE_UNAVAILABLE,
}
"""An error answer a scenario can plan, by status and by reason code (§4.2)."""


@cache
def operation_words() -> dict[str, str]:
    """Every word for an operation (SDK names, then the vocabulary's words) and the SDK name it means."""
    from harness.api.handler import default_operations  # noqa: PLC0415  # the operation table is built late

    return {**{operation.name: operation.name for operation in default_operations()}, **OPERATION_ALIASES}


def parse_operation(text: str) -> str:
    """The SDK name of an operation (`capture` -> `captureCharge`), or `ANY_OPERATION`."""
    words = operation_words()
    return _lookup(words, text, "an Amazon Pay operation", shown=[*OPERATION_ALIASES, "createCharge", "…"])


def parse_fault_status(text: str) -> FaultKind:
    """429 / 500 / 503, or their reason codes."""
    return _lookup(FAULT_STATUS_WORDS, text, "an error status Amazon Pay answers retries with",
                   shown=list(FAULT_STATUS_WORDS))


_TIMES = re.compile(r"^(?:(?P<count>\d+) ?(?:times?|回)|(?P<word>once|twice))$")


def parse_times(text: str) -> int:
    """`once`, `twice`, `3 times`, `1回` -> how many."""
    match = _TIMES.match(normalize(text).lower())
    if match is None:
        raise ScenarioValueError(f"cannot read {text!r} as how many times: write once, twice, 3 times or 1回")
    return int(match["count"]) if match["count"] else {"once": 1, "twice": 2}[match["word"]]


def plan_fault(plan: FaultPlan, operation: str, kind: FaultKind, *, times: int = 1,
               after_processing: bool = False) -> str:
    """Add the fault to `plan`; what it will do, for the timeline."""
    try:
        plan.add(operation, kind, times=times, after_processing=after_processing)
    except ValueError as error:
        raise SimulationError(str(error)) from None
    network = {FaultKind.TIMEOUT: "time out", FaultKind.DROP: "drop the connection of"}
    what = network[kind] if kind in network else f"answer {HTTP_STATUS[kind.value]} {kind.value} to"
    calls = "call" if times == 1 else f"{times} calls"
    of = "" if operation == ANY_OPERATION else f" of {operation}"
    after = ", after processing" + (" it" if times == 1 else " them") if after_processing else ""
    return f"will {what} the next {calls}{of}{after}"
