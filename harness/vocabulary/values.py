"""The kinds of value a step takes, for both syntaxes: how a value is matched in a Gherkin step, read
from its text, shaped in YAML (and its JSON Schema), and shown in examples and docs.

Text is read by the parsers of `harness.scenario.parsing`, so `5,000円`, `23:59:59` and `0701` mean
the same in a feature file and in a YAML file. A step function names the kind of each parameter
in its annotation: `card: Card = "1111"` (`Card = Annotated[str, Arg(CARD, "...")]`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from harness.amazon_pay.errors import HTTP_STATUS
from harness.amazon_pay.states import PaymentIntent, ReasonCode
from harness.scenario import faults, months, parsing
from harness.scenario.parsing import ObjectKind
from harness.vocabulary import phrases

__all__ = [
    "AMOUNT",
    "AMOUNTS",
    "ANCHOR",
    "API_STATE",
    "BUYER",
    "CARD",
    "COUNT",
    "DURATION",
    "ERROR_CODE",
    "FAULT_STATUS",
    "FLAG",
    "HOW_OFTEN",
    "KIND",
    "MERCHANT_STATUS",
    "MOMENT",
    "MONTH",
    "NOTIFIED",
    "OPERATION",
    "OPTIONS",
    "ORDER",
    "PREFECTURE",
    "REASON",
    "STATUS",
    "Arg",
    "Value",
]

Shape = Literal["text", "number or text", "flag", "count", "columns", "options"]
"""How a value is written in YAML: text, text that may look like a number (`0701`), true/false, a
whole number, a mapping of the row's columns to amounts, or checkout options (their own keys)."""

_ASCII_WORD = r"[A-Za-z]+"
_LOOSE = r".+?"


@dataclass(frozen=True)
class Value:
    """One kind of value: its name, what it looks like, how its text is read, and examples."""

    name: str
    expected: str
    """What a value looks like, for messages and docs ("an amount like 5,000 JPY")."""
    parse: Callable[[str], object]
    example_en: str
    example_ja: str
    pattern: str = _LOOSE
    """What it matches inside a Gherkin step (loose where the words around it delimit it, so that a
    wrong value fails with what was expected instead of "step not found")."""
    shape: Shape = "text"
    words: tuple[str, ...] = ()
    """Every value (closed kinds: typos get a did-you-mean) or a few examples (open kinds)."""
    closed: bool = False
    refine: Callable[[Mapping[str, object]], Value] | None = None
    """The kind once an action's fixed values are known (a state of *that* API object)."""
    japanese: Callable[[str], str] | None = None
    """How a value written in English is written in Japanese (None: the same in both)."""

    @property
    def examples(self) -> tuple[str, ...]:
        """Values to show in docs and schema examples."""
        return self.words or (self.example_en,)

    def example(self, language: str) -> str:
        """A value written in `language`, for suggestions and docs."""
        return self.example_en if language == "en" else self.example_ja

    def write(self, text: str, language: str) -> str:
        """A value as written in a scenario, written in `language` (a `<placeholder>` stays as it is)."""
        if language == "en" or self.japanese is None or "<" in text:
            return text
        return self.japanese(text)

    def for_action(self, fixed: Mapping[str, object]) -> Value:
        """This kind, refined by the values an action always passes."""
        return self.refine(fixed) if self.refine is not None and fixed else self


@dataclass(frozen=True)
class Arg:
    """What an annotation says of a step parameter: its kind, its one-line doc, and its YAML key."""

    kind: Value
    doc: str
    key: str | None = None
    """The YAML key (default: the parameter's name with spaces, `charge_number` -> `charge number`)."""


def _words(kind: type[StrEnum] | Mapping[str, object]) -> tuple[str, ...]:
    return tuple(map(str, kind))


def _in_japanese(words: Mapping[str, object], parse: Callable[[str], object]) -> Callable[[str], str]:
    """The first Japanese word of `words` that means what `parse` reads the text as."""
    def japanese(text: str) -> str:
        value = parse(text)
        return next((word for word, meant in words.items() if meant == value and not word.isascii()), text)
    return japanese


def _order_ja(text: str) -> str:
    return f"注文{parsing.parse_order_name(text) or ''}"


def _amount_ja(text: str) -> str:
    return f"{parsing.parse_amount(text).amount:,}円"


ORDER = Value("order", "an order: 'the order' or 'order A' (注文, 注文A)", parsing.parse_order_name,
              "the order", "注文", pattern=r"the order|order [A-Za-z0-9_-]+|注文[A-Za-z0-9_-]*",
              words=("the order", "order A", "order B", "注文A"), japanese=_order_ja)
AMOUNT = Value("amount", f"an amount like {parsing.AMOUNT_EXAMPLES}", parsing.parse_amount, "5,000 JPY",
               "5,000円", words=("5,000 JPY", "¥5,000", "5,000円"), japanese=_amount_ja)
AMOUNTS = Value("amounts", "the row's amounts: authorized, captured and refunded amounts",
                phrases.parse_row_amounts, "5,000 JPY captured", "売上5,000円", shape="columns",
                words=("{captured: 5,000 JPY, refunded: 0 JPY}",))
DURATION = Value("duration", f"a duration like {parsing.DURATION_EXAMPLES}", parsing.parse_duration,
                 "24 hours", "24時間", pattern=r"(?:(?! before ).)+?",
                 words=("24 hours", "23:59:59", "180 days", "13 months", "13 months minus 1 second",
                        "24時間"), japanese=parsing.duration_in_japanese)
MOMENT = Value("moment", f"a date and time with its time zone, like {parsing.MOMENT_EXAMPLES}",
               parsing.parse_moment, "2026-01-31 10:00 JST", "2026-01-31 10:00(日本時間)",
               pattern=parsing.MOMENT_PATTERN, words=("2026-01-31 10:00 JST", "2026-01-31T10:00+09:00"),
               japanese=lambda text: re.sub(r" ?\(?JST\)?$", "(日本時間)", text, flags=re.IGNORECASE))
STATUS = Value("status", "a Seller Central status", parsing.parse_status, "Open", "オープン",
               words=tuple(parsing.STATUS_WORDS), closed=True,
               japanese=_in_japanese(parsing.STATUS_WORDS, parsing.parse_status))
MERCHANT_STATUS = Value("merchant status", "a merchant order status", parsing.parse_merchant_status,
                        "authorized", "オーソリ済み", words=tuple(parsing.MERCHANT_STATUS_WORDS), closed=True,
                        japanese=_in_japanese(parsing.MERCHANT_STATUS_WORDS, parsing.parse_merchant_status))
CARD = Value("card", "the last four digits of a sandbox test card (e.g. 1111, 0701)", parsing.parse_card,
             "1111", "1111", shape="number or text", words=("1111", "0701", "4354"))
COUNT = Value("count", "a whole number (0, 1, 10, ...)", parsing.parse_count, "2", "2", pattern=r"\d+",
              shape="count", words=("2", "3"))
REASON = Value("reason", "a reason code", parsing.parse_reason, "HardDeclined", "HardDeclined",
               pattern=_ASCII_WORD, words=_words(ReasonCode), closed=True)
ERROR_CODE = Value("error code", "an Amazon Pay error reasonCode", parsing.parse_error_code,
                   "InvalidChargeStatus", "InvalidChargeStatus", pattern=_ASCII_WORD,
                   words=tuple(HTTP_STATUS),
                   closed=True)
ANCHOR = Value("anchor", "a moment of the order", parsing.parse_anchor, "the checkout started", "決済開始",
               pattern="|".join(map(re.escape, parsing.ANCHOR_WORDS)), words=tuple(parsing.ANCHOR_WORDS),
               closed=True, japanese=_in_japanese(parsing.ANCHOR_WORDS, parsing.parse_anchor))
INTENT = Value("payment intent", "a payment intent", parsing.parse_intent, "Authorize", "Authorize",
               words=_words(PaymentIntent), closed=True)
KIND = Value("API object", "an API object", parsing.parse_object_kind, "Charge", "Charge",
             pattern=r"Checkout ?Session|Charge ?Permission|Charge|Refund", words=_words(ObjectKind),
             closed=True)
NOTIFIED = Value("notification object", "an IPN ObjectType: CHARGE_PERMISSION, CHARGE or REFUND",
                 parsing.parse_notification_object, "CHARGE", "CHARGE",
                 pattern=r"CHARGE_PERMISSION|CHARGE|REFUND", words=tuple(parsing.NOTIFIED_OBJECTS),
                 closed=True)
BUYER = Value("buyer", "the buyer's name as Seller Central shows it (e.g. 山田 太郎)", parsing.normalize,
              "山田 太郎", "山田 太郎", words=("山田 太郎",))
PREFECTURE = Value("prefecture", "a prefecture of Japan (北海道, 東京都, 沖縄県, ...)",
                   parsing.parse_prefecture, "北海道", "北海道", words=parsing.PREFECTURES, closed=True)
FLAG = Value("flag", "true or false", lambda text: text == "true", "true", "true", shape="flag",
             words=("true", "false"))


# --- faults (harness.scenario.faults) ---
OPERATION = Value("operation", "an Amazon Pay operation: its SDK name (createCharge, captureCharge, ...) "
                               "or the vocabulary's word (capture, refund, 売上請求, any call)",
                  faults.parse_operation, "capture", "売上請求", words=tuple(faults.operation_words()),
                  pattern="|".join(["any call", "(?!call(?![A-Za-z]))[A-Za-z]+",
                                    *(word for word in faults.OPERATION_ALIASES if not word.isascii())]),
                  closed=True, japanese=_in_japanese(faults.OPERATION_ALIASES, faults.parse_operation))
FAULT_STATUS = Value("error status", "an error status Amazon Pay answers: 429, 500, 503 or their reason "
                                     "codes (TooManyRequests, InternalServerError, ServiceUnavailable)",
                     faults.parse_fault_status, "503", "503", pattern=r"[A-Za-z0-9]+",
                     shape="number or text", words=tuple(faults.FAULT_STATUS_WORDS), closed=True)
HOW_OFTEN = Value("how often", "how many times: once, twice, 3 times (1回)", faults.parse_times, "once",
                  "1回",
                  pattern=r"once|twice|\d+ ?times?|\d+回", words=("once", "twice", "3 times"),
                  japanese=lambda text: f"{faults.parse_times(text)}回")


def _state_of(fixed: Mapping[str, object]) -> Value:
    kind = fixed["kind"]
    assert isinstance(kind, ObjectKind)
    return replace(API_STATE, name=f"{kind} state", expected=f"a {kind} state",
                   parse=lambda text: parsing.parse_api_state(text, kind),
                   words=_words(parsing.STATES[kind]), closed=True, refine=None)


API_STATE = Value("state", "a `statusDetails.state` of that object (`Chargeable`, `Captured`, ...)", str,
                  "Authorized", "Authorized", pattern=_ASCII_WORD, refine=_state_of)
OPTIONS = Value("options", f"checkout options, comma-separated: {phrases.OPTION_EXAMPLES}",
                phrases.read_options, "payment intent Confirm", "支払いインテントConfirm", shape="options")

# --- reports (issue 15) ---
MONTH = Value("month", f"a month like {months.MONTH_EXAMPLES}", months.parse_month, "January", "1月",
              words=("January", "January 2026", "2026-01", "1月", "2026年1月"))
