"""Composite phrases of the vocabulary: checkout options and the amounts of a Seller Central row.

    with payment intent Confirm, allowOvercharge and a total order amount of 10,000 JPY
    (AuthorizeWithCapture、定期購入)
    5,000 JPY authorized, 5,000 JPY captured and 2,000 JPY refunded
    オーソリ5,000円、売上5,000円、返金2,000円
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from harness.merchant.adapter import CheckoutRequest
from harness.money import Money
from harness.scenario.parsing import ScenarioValueError, normalize, parse_amount, parse_intent

__all__ = ["ROW_COLUMNS", "parse_checkout_options", "parse_row_amounts"]

_LIST_SEPARATOR = re.compile(r"\s*(?:,(?!\d{3}(?!\d))|、|\band\b)\s*", re.IGNORECASE)
"""Commas (not a thousands separator), 、 and "and"."""

_Option = Callable[[CheckoutRequest, re.Match[str]], CheckoutRequest]

_OPTIONS: tuple[tuple[re.Pattern[str], _Option], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), apply) for pattern, apply in (
        (r"(?:(?:a )?payment ?intent|支払いインテント) ?=? ?(?P<v>\w+)"
         r"|(?P<bare>authorize|authorizewithcapture|confirm)",
         lambda request, match: replace(request, intent=parse_intent(match["v"] or match["bare"]))),
        (r"(?:a )?total ?order ?amount(?: of)? ?=? ?(?P<v>.+)|注文合計 ?(?P<ja>.+)",
         lambda request, match: replace(request, total_order_amount=parse_amount(match["v"] or match["ja"]))),
        (r"allow ?overcharge(?:=true)?|overcharge allowed|超過請求許可",
         lambda request, _: replace(request, allow_overcharge=True)),
        (r"extend ?expiration(?:=true)?|extended expiration|有効期限延長",
         lambda request, _: replace(request, extend_expiration=True)),
        (r"(?:a )?recurring(?: agreement)?|定期購入",
         lambda request, _: replace(request, recurring=True)),
        (r"can ?handle ?pending ?authorization(?:=true)?|pending authorization handling|保留オーソリ対応",
         lambda request, _: replace(request, can_handle_pending_authorization=True)),
    ))
OPTION_EXAMPLES = ("payment intent Authorize / AuthorizeWithCapture / Confirm, a total order amount of "
                   "10,000 JPY, allowOvercharge, extendExpiration, recurring, canHandlePendingAuthorization "
                   "(日本語: 支払いインテントConfirm, 注文合計10,000円, 超過請求許可, 有効期限延長, "
                   "定期購入, 保留オーソリ対応)")


def parse_checkout_options(text: str | None, amount: Money) -> CheckoutRequest:
    """A checkout of `amount` with the options listed in `text` (None: no options)."""
    request = CheckoutRequest(amount)
    for option in _items(text or ""):
        for pattern, apply in _OPTIONS:
            match = pattern.fullmatch(option)
            if match:
                request = apply(request, match)
                break
        else:
            raise ScenarioValueError(f"unknown checkout option {option!r}; options are {OPTION_EXAMPLES}")
    return request


ROW_COLUMNS: dict[str, str] = {
    "authorized": "authorized", "captured": "captured", "refunded": "refunded",
    "オーソリ": "authorized", "売上": "captured", "売上請求": "captured", "返金": "refunded",
}
"""The amount columns of a row, by their English and Japanese words."""

_COLUMN = "|".join(sorted(map(re.escape, ROW_COLUMNS), key=len, reverse=True))
_ROW_AMOUNT = re.compile(rf"(?P<amount>.+?) (?P<column>{_COLUMN})"
                         rf"|(?P<ja_column>{_COLUMN})が? ?(?P<ja_amount>.+)", re.IGNORECASE)


def parse_row_amounts(text: str) -> dict[str, Money]:
    """`5,000 JPY captured and 0 JPY refunded` / `売上5,000円、返金0円` -> {column: amount}."""
    amounts: dict[str, Money] = {}
    for item in _items(text):
        match = _ROW_AMOUNT.fullmatch(item)
        if match is None:
            raise ScenarioValueError(f"cannot read {item!r} in {text!r}: write amounts like '5,000 JPY "
                                     "captured and 0 JPY refunded' (columns authorized, captured, refunded) "
                                     "or '売上5,000円、返金0円' (オーソリ, 売上, 返金)")
        column = ROW_COLUMNS[(match["column"] or match["ja_column"]).lower()]
        if column in amounts:
            raise ScenarioValueError(f"{text!r} gives the {column} amount twice")
        amounts[column] = parse_amount(match["amount"] or match["ja_amount"])
    return amounts


def _items(text: str) -> list[str]:
    return [item for item in _LIST_SEPARATOR.split(normalize(text)) if item]
