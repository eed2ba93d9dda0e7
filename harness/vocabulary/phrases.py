"""Composite phrases of the vocabulary: checkout options and the amounts of a Seller Central row.

    with payment intent Confirm, allowOvercharge and a total order amount of 10,000 JPY
    (AuthorizeWithCapture、定期購入)
    5,000 JPY authorized, 5,000 JPY captured and 2,000 JPY refunded
    オーソリ5,000円、売上5,000円、返金0円

Each checkout option is declared once (`OPTIONS`): the `CheckoutRequest` field it sets, how it is
written in English and Japanese, how it is read, and its YAML key and doc; the Gherkin reader, the
YAML reader, the converter and the docs all use that one table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from harness.merchant.adapter import CheckoutRequest
from harness.money import Money
from harness.scenario.parsing import ScenarioValueError, normalize, parse_amount, parse_intent

__all__ = [
    "OPTIONS",
    "ROW_COLUMNS",
    "checkout_request",
    "parse_checkout_options",
    "parse_row_amounts",
    "read_row_amounts",
    "render_options",
    "split_list",
    "write_row_amounts",
]

_LIST_SEPARATOR = re.compile(r"\s*(?:,(?!\d{3}(?!\d))|、|\band\b)\s*", re.IGNORECASE)
"""Commas (not a thousands separator), 、 and "and"."""


def split_list(text: str) -> list[str]:
    """`a, b and c` / `a、b` -> the items (a comma inside `5,000` does not split)."""
    return [item for item in _LIST_SEPARATOR.split(normalize(text)) if item]


@dataclass(frozen=True)
class CheckoutOption:
    """One checkout option: the request field it sets, its words, and how its value is read."""

    field: str
    """The `CheckoutRequest` field (and, with spaces, the YAML key)."""
    en: str
    ja: str
    """How it is written inside `{options}`; `{}` stands for the value, absent for a flag."""
    doc: str
    reads: str
    """The regular expression it is read with (group `v`: the value, if any)."""
    read_value: Callable[[str], object] | None = None
    """How the value is read (None: a flag, true when written)."""

    @property
    def key(self) -> str:
        """The YAML key."""
        return self.field.replace("_", " ")

    @property
    def is_flag(self) -> bool:
        """Whether the option is a flag (written or not) rather than a value."""
        return self.read_value is None

    def written(self, item: str) -> str | bool | None:
        """The option's value as written if `item` says this option (True for a flag), else None."""
        match = re.fullmatch(self.reads, item, re.IGNORECASE)
        if match is None:
            return None
        return True if self.is_flag else next(value for value in match.groupdict().values() if value)

    def write(self, language: str, value: str = "") -> str:
        """The option written in `language`."""
        return (self.en if language == "en" else self.ja).format(value)


OPTIONS: tuple[CheckoutOption, ...] = (
    CheckoutOption("intent", "payment intent {}", "支払いインテント{}",
                   "the payment intent (default Authorize)",
                   r"(?:(?:a )?payment ?intent|支払いインテント) ?=? ?(?P<v>\w+|<\w+>)"
                   r"|(?P<bare>authorize|authorizewithcapture|confirm)", parse_intent),
    CheckoutOption("total_order_amount", "a total order amount of {}", "注文合計{}",
                   "paymentDetails.totalOrderAmount",
                   r"(?:a )?total ?order ?amount(?: of)? ?=? ?(?P<v>.+)|注文合計 ?(?P<ja>.+)", parse_amount),
    CheckoutOption("allow_overcharge", "allowOvercharge", "超過請求許可", "allowOvercharge (default false)",
                   r"allow ?overcharge(?:=true)?|overcharge allowed|超過請求許可"),
    CheckoutOption("extend_expiration", "extendExpiration", "有効期限延長",
                   "extendExpiration (default false)",
                   r"extend ?expiration(?:=true)?|extended expiration|有効期限延長"),
    CheckoutOption("recurring", "recurring", "定期購入", "a Recurring checkout (default false)",
                   r"(?:a )?recurring(?: agreement)?|定期購入"),
    CheckoutOption("can_handle_pending_authorization", "canHandlePendingAuthorization", "保留オーソリ対応",
                   "canHandlePendingAuthorization (default false)",
                   r"can ?handle ?pending ?authorization(?:=true)?|pending authorization handling"
                   r"|保留オーソリ対応"),
)
"""Every checkout option a step can give, in the order docs list them."""

OPTION_EXAMPLES = ", ".join(option.write("en", "Confirm" if option.field == "intent" else "10,000 JPY")
                            for option in OPTIONS) + " (日本語: " + ", ".join(
    option.write("ja", "Confirm" if option.field == "intent" else "10,000円") for option in OPTIONS) + ")"


def render_options() -> str:
    """docs/checkout-options.md: every checkout option, how each syntax writes it, and what it sets."""
    lines = ["# Checkout options", "",
             "What `{options}` of `the merchant starts a checkout for {order} of {amount}[ with "
             "{options}]` and `the buyer checked out ...` accepts, in English and Japanese, and the "
             "YAML key of each. "
             "Options are separated by commas, `and` or `、` (English: `with payment intent Confirm and "
             "recurring`; Japanese in brackets: `(支払いインテントConfirm、定期購入)`). Generated from "
             "`harness/vocabulary/phrases.py` (`OPTIONS`) by `harness generate`; do not edit by hand. Case "
             "does not matter.", "",
             "| Option | English | 日本語 | YAML | Read by (regular expression) |", "|---|---|---|---|---|"]
    for option in OPTIONS:
        example = "Confirm" if option.field == "intent" else "10,000 JPY"
        value = "" if option.is_flag else example
        yaml_value = "true" if option.is_flag else example.replace(",", "")
        lines.append(f"| {option.doc} | `{option.write('en', value)}` | "
                     f"`{option.write('ja', value.replace(' JPY', '円'))}` | `{option.key}: {yaml_value}` | "
                     f"`{option.reads.replace('|', chr(92) + '|')}` |")
    return "\n".join(lines) + "\n"


def read_options(text: str) -> dict[str, object]:
    """`payment intent Confirm and recurring` -> {"intent": Confirm, "recurring": True}."""
    values: dict[str, object] = {}
    for item in split_list(text):
        for option in OPTIONS:
            written = option.written(item)
            if written is not None:
                values[option.field] = option.read_value(written) if option.read_value and \
                    isinstance(written, str) else written
                break
        else:
            raise ScenarioValueError(f"unknown checkout option {item!r}; options are {OPTION_EXAMPLES}")
    return values


def checkout_request(amount: Money, options: Mapping[str, object] | None = None) -> CheckoutRequest:
    """A checkout of `amount` with `options` (`CheckoutRequest` fields, as `read_options` reads them)."""
    return CheckoutRequest(amount, **(options or {}))  # type: ignore[arg-type]


def parse_checkout_options(text: str | None, amount: Money) -> CheckoutRequest:
    """A checkout of `amount` with the options listed in `text` (None: no options)."""
    return checkout_request(amount, read_options(text or ""))


ROW_COLUMNS: dict[str, str] = {
    "authorized": "authorized", "captured": "captured", "refunded": "refunded",
    "オーソリ": "authorized", "売上": "captured", "売上請求": "captured", "返金": "refunded",
}
"""The amount columns of a row, by their English and Japanese words (the first Japanese word of a
column is how it is written)."""

_COLUMN = "|".join(sorted(map(re.escape, ROW_COLUMNS), key=len, reverse=True))
_ROW_AMOUNT = re.compile(rf"(?P<amount>.+?) (?P<column>{_COLUMN})"
                         rf"|(?P<ja_column>{_COLUMN})が? ?(?P<ja_amount>.+)", re.IGNORECASE)


def read_row_amounts(text: str) -> dict[str, str]:
    """`5,000 JPY captured and 0 JPY refunded` / `売上5,000円、返金0円` -> {column: amount as written}."""
    amounts: dict[str, str] = {}
    for item in split_list(text):
        match = _ROW_AMOUNT.fullmatch(item)
        if match is None:
            raise ScenarioValueError(f"cannot read {item!r} in {text!r}: write amounts like '5,000 JPY "
                                     "captured and 0 JPY refunded' (columns authorized, captured, refunded) "
                                     "or '売上5,000円、返金0円' (オーソリ, 売上, 返金)")
        column = ROW_COLUMNS[(match["column"] or match["ja_column"]).lower()]
        if column in amounts:
            raise ScenarioValueError(f"{text!r} gives the {column} amount twice")
        amounts[column] = match["amount"] or match["ja_amount"]
    return amounts


def parse_row_amounts(text: str) -> dict[str, Money]:
    """The row's amounts, read (see `read_row_amounts`)."""
    return {column: parse_amount(amount) for column, amount in read_row_amounts(text).items()}


def write_row_amounts(amounts: dict[str, str], language: str) -> list[str]:
    """Each column's amount written as the steps read it: `5,000 JPY captured` / `売上5,000円`."""
    if language == "en":
        return [f"{amount} {column}" for column, amount in amounts.items()]
    japanese = {column: word for word, column in reversed(ROW_COLUMNS.items()) if not word.isascii()}
    return [f"{japanese[column]}{amount}" for column, amount in amounts.items()]
