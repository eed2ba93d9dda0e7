"""Values as people write them in scenarios: amounts, durations, statuses and the other words.

Every parser accepts what a merchant or QA engineer would naturally type, in English or Japanese,
in half- or full-width characters (text is NFKC-normalized first), and raises `ScenarioValueError`
saying what was expected when it cannot read the value.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import TypeVar

from harness.amazon_pay.errors import HTTP_STATUS
from harness.amazon_pay.states import (
    ChargePermissionState,
    ChargeState,
    CheckoutSessionState,
    PaymentIntent,
    ReasonCode,
    RefundState,
)
from harness.clock import add_months
from harness.errors import HarnessError
from harness.merchant.adapter import OrderFlag, OrderStatus
from harness.money import Money, MoneyFormatError
from harness.notifications.envelope import ObjectType
from harness.seller_central.projection import TransactionStatus

__all__ = [
    "NOTIFIED_OBJECTS",
    "STATES",
    "STATUS_WORDS",
    "Anchor",
    "Duration",
    "ObjectKind",
    "ScenarioValueError",
    "duration_in_japanese",
    "normalize",
    "parse_amount",
    "parse_anchor",
    "parse_api_state",
    "parse_card",
    "parse_count",
    "parse_duration",
    "parse_error_code",
    "parse_intent",
    "parse_merchant_status",
    "parse_moment",
    "parse_notification_object",
    "parse_object_kind",
    "parse_order_name",
    "parse_prefecture",
    "parse_reason",
    "parse_status",
]

E = TypeVar("E", bound=StrEnum)
V = TypeVar("V")


class ScenarioValueError(HarnessError, ValueError):
    """A value in a scenario the harness cannot read; the message says what was expected."""


def normalize(text: str) -> str:
    """NFKC (full-width digits, `￥`, `（）` become ASCII) with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- amounts -----------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"^(?:¥ ?(?P<yen>{_NUMBER})|(?P<suffixed>{_NUMBER}) ?(?:円|JPY|yen)|JPY ?(?P<prefixed>{_NUMBER}))$",
    re.IGNORECASE)
AMOUNT_EXAMPLES = "5,000 JPY, 5000 JPY, 5,000円, ¥5,000 or ￥5,000"


def parse_amount(text: str) -> Money:
    """`5,000 JPY`, `5000 JPY`, `5,000円`, `¥5,000`, `￥5,000` -> Money (JPY, no decimals)."""
    match = _AMOUNT.match(normalize(text))
    if match is None:
        raise ScenarioValueError(f"cannot read the amount {text!r}: {_amount_hint(text)}write it like "
                                 f"{AMOUNT_EXAMPLES}")
    number = (match["yen"] or match["suffixed"] or match["prefixed"]).replace(",", "")
    try:
        return Money.of(number, "JPY")
    except MoneyFormatError as error:
        raise ScenarioValueError(f"cannot read the amount {text!r}: {_amount_hint(text)}{error}") from None


_DOTTED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])")
"""`5.000` or `1.000.000`: thousands written with dots, as much of Europe does."""


def _amount_hint(text: str) -> str:
    """`did you mean '5,000 JPY'? ` when the amount's thousands are separated by dots."""
    normalized = normalize(text)
    fixed = _DOTTED_THOUSANDS.sub(lambda match: match[0].replace(".", ","), normalized)
    if fixed != normalized and _AMOUNT.match(fixed):
        return f"did you mean {fixed!r} (thousands are separated by commas)? "
    return ""


# --- durations ---------------------------------------------------------------------------------

_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "months": ("months", "month", "か月", "ヶ月", "カ月", "ケ月", "ヵ月", "箇月"),
    "weeks": ("weeks", "week", "週間"),
    "days": ("days", "day", "日間", "日"),
    "hours": ("hours", "hour", "hrs", "hr", "時間"),
    "minutes": ("minutes", "minute", "mins", "min", "分間", "分"),
    "seconds": ("seconds", "second", "secs", "sec", "秒間", "秒"),
}
_UNIT_OF = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_UNIT_ALTERNATIVES = "|".join(sorted(map(re.escape, _UNIT_OF), key=len, reverse=True))
_PART = re.compile(rf"(?P<clock>(?P<h>\d+):(?P<m>\d{{2}}):(?P<s>\d{{2}}))"
                   rf"|(?P<n>\d+) ?(?P<unit>{_UNIT_ALTERNATIVES})", re.IGNORECASE)
_SEPARATORS = re.compile(r"^(?:[\s,、]|and|と)*$", re.IGNORECASE)
_SIGN = re.compile(r"^\s*(?:(?P<minus>minus|-|マイナス|ひく)|plus|\+|プラス|たす)\s*$", re.IGNORECASE)
"""Between parts of a duration: `13 months minus 1 second`, `24 hours - 1 second`, `24時間マイナス1秒`."""
DURATION_EXAMPLES = ("24 hours, 23 hours 59 minutes 59 seconds, 23:59:59, 180 days, 13 months, "
                     "7 days 1 second, 13 months minus 1 second, 24時間, 23時間59分59秒, 180日, 13か月, "
                     "13か月マイナス1秒")


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of calendar months plus an exact time span; months use `harness.clock.add_months`."""

    months: int = 0
    delta: timedelta = timedelta(0)

    def after(self, moment: datetime) -> datetime:
        """The moment this long after `moment` (months first, then the exact part, which may be negative:
        `13 months minus 1 second` is one second before the 13 months are over)."""
        return add_months(moment, self.months) + self.delta

    def minus(self, other: Duration) -> Duration:
        """This duration less `other` ("1 second before 24 hours")."""
        return Duration(self.months - other.months, self.delta - other.delta)

    def __str__(self) -> str:
        parts = [f"{self.months} month{'s' * (abs(self.months) != 1)}"] if self.months else []
        if self.delta:
            exact = _exact(abs(self.delta))
            parts.append(f"minus {exact}" if self.delta < timedelta(0) and parts
                         else f"-{exact}" if self.delta < timedelta(0) else exact)
        return " ".join(parts) or "0 seconds"


def _exact(delta: timedelta) -> str:
    days, rest = delta.days, delta.seconds
    parts = [f"{amount} {unit}{'s' * (amount != 1)}"
             for amount, unit in ((days, "day"), (rest // 3600, "hour"), (rest % 3600 // 60, "minute"),
                                  (rest % 60, "second")) if amount]
    return " ".join(parts)


def parse_duration(text: str) -> Duration:
    """`24 hours`, `23:59:59`, `179 days 23 hours 59 minutes 59 seconds`, `13 months`, `24時間`, `13ヶ月`;
    `13 months minus 1 second` / `24時間マイナス1秒` (a sign applies to the parts after it)."""
    normalized = normalize(text)
    amounts: dict[str, int] = {}
    position, sign = 0, 1
    for match in _PART.finditer(normalized):
        gap = normalized[position:match.start()]
        signed = _SIGN.match(gap) if position else None
        if signed:
            sign = -1 if signed["minus"] else 1
        else:
            _require_separators(text, gap)
        position = match.end()
        if match["clock"]:
            minutes, seconds = int(match["m"]), int(match["s"])
            if minutes > 59 or seconds > 59:
                raise ScenarioValueError(f"cannot read the duration {text!r}: in H:MM:SS minutes and "
                                         "seconds go up to 59")
            found = {"hours": int(match["h"]), "minutes": minutes, "seconds": seconds}
        else:
            found = {_UNIT_OF[match["unit"].lower()]: int(match["n"])}
        for unit, amount in found.items():
            if unit in amounts and sign == 1:
                raise ScenarioValueError(f"the duration {text!r} gives the {unit} twice")
            amounts[unit] = amounts.get(unit, 0) + sign * amount
    _require_separators(text, normalized[position:])
    if not amounts:
        raise ScenarioValueError(f"cannot read the duration {text!r}: write it like {DURATION_EXAMPLES}")
    months = amounts.pop("months", 0)
    return Duration(months, timedelta(**amounts))


_UNIT_JA = {"months": "か月", "weeks": "週間", "days": "日", "hours": "時間", "minutes": "分",
            "seconds": "秒"}


def duration_in_japanese(text: str) -> str:
    """`13 months minus 1 second` -> `13か月マイナス1秒`, in the units written (`23:59:59` stays)."""
    parse_duration(text)  # a value that cannot be read is not translated
    normalized = normalize(text)
    written, position = "", 0
    for match in _PART.finditer(normalized):
        signed = _SIGN.match(normalized[position:match.start()]) if position else None
        written += ("マイナス" if signed["minus"] else "プラス") if signed else ""
        written += match["clock"] or f"{match['n']}{_UNIT_JA[_UNIT_OF[match['unit'].lower()]]}"
        position = match.end()
    return written


def _require_separators(text: str, gap: str) -> None:
    if not _SEPARATORS.match(gap):
        raise ScenarioValueError(f"cannot read {gap.strip()!r} in the duration {text!r}: write it like "
                                 f"{DURATION_EXAMPLES}")


# --- moments -----------------------------------------------------------------------------------

_ZONES: Mapping[str, timezone] = {"JST": timezone(timedelta(hours=9), "JST"), "日本時間": timezone(
    timedelta(hours=9), "JST"), "UTC": UTC, "Z": UTC}
_MOMENT = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
                     r" ?(?:\(?(?P<zone>JST|UTC|Z|日本時間)\)?|(?P<offset>[+-]\d{2}:?\d{2}))$", re.IGNORECASE)
MOMENT_EXAMPLES = ("2026-01-31 10:00 JST, 2026-01-31 01:00:00 UTC, 2026-01-31T10:00+09:00, "
                   "2026-01-31 10:00(日本時間)")
MOMENT_PATTERN = r"\d{4}-\d{2}-\d{2}[ T][0-9:]+ ?(?:\(?(?:JST|UTC|Z|日本時間)\)?|[+-][0-9:]+)"
"""What a moment looks like inside a step."""


def parse_moment(text: str) -> datetime:
    """`2026-01-31 10:00 JST`, `2026-01-31T10:00+09:00`, `2026-01-31 01:00 UTC`, `2026-01-31 10:00(日本時間)`
    -> an aware datetime. The time zone is required: Seller Central shows JST, the API UTC."""
    match = _MOMENT.match(normalize(text))
    try:
        if match is None:
            raise ValueError("no match")
        zone = match["zone"]
        offset = _ZONES[zone.upper() if zone.isascii() else zone] if zone else None
        clock = match["time"].zfill(5 if match["time"].count(":") == 1 else 8)
        moment = datetime.fromisoformat(f"{match['date']}T{clock}{match['offset'] or ''}")
    except ValueError:
        raise ScenarioValueError(f"cannot read the moment {text!r}: write a date, a time and the time zone, "
                                 f"like {MOMENT_EXAMPLES}") from None
    return moment.replace(tzinfo=offset) if offset is not None else moment


# --- words -------------------------------------------------------------------------------------

STATUS_WORDS: Mapping[str, TransactionStatus] = {
    "Open": TransactionStatus.OPEN,
    "Closed": TransactionStatus.CLOSED,
    "Canceled": TransactionStatus.CANCELED,
    "Cancelled": TransactionStatus.CANCELED,
    "Suspended": TransactionStatus.SUSPENDED,
    "オープン": TransactionStatus.OPEN,
    "クローズ": TransactionStatus.CLOSED,
    "クローズ済み": TransactionStatus.CLOSED,
    "キャンセル": TransactionStatus.CANCELED,
    "キャンセル済み": TransactionStatus.CANCELED,
    "一時停止": TransactionStatus.SUSPENDED,
    "サスペンド": TransactionStatus.SUSPENDED,
}
"""Seller Central statuses in English and in the Japanese words of the `ja` steps."""


def parse_status(text: str) -> TransactionStatus:
    """Open / Closed / Canceled / Suspended, or オープン / クローズ / キャンセル / 一時停止."""
    return _lookup(STATUS_WORDS, text, "a Seller Central status", shown=list(STATUS_WORDS))


class ObjectKind(StrEnum):
    """The four API objects a scenario can ask about."""

    CHECKOUT_SESSION = "Checkout Session"
    CHARGE_PERMISSION = "Charge Permission"
    CHARGE = "Charge"
    REFUND = "Refund"


STATES: dict[ObjectKind, type[StrEnum]] = {
    ObjectKind.CHECKOUT_SESSION: CheckoutSessionState,
    ObjectKind.CHARGE_PERMISSION: ChargePermissionState,
    ObjectKind.CHARGE: ChargeState,
    ObjectKind.REFUND: RefundState,
}


def parse_object_kind(text: str) -> ObjectKind:
    """`Checkout Session` / `CheckoutSession`, `Charge Permission`, `Charge`, `Refund` (any case)."""
    words = {kind.value.replace(" ", ""): kind for kind in ObjectKind}
    return _lookup(words, text.replace(" ", ""), "an API object", shown=[kind.value for kind in ObjectKind])


def parse_api_state(text: str, kind: ObjectKind) -> str:
    """A `statusDetails.state` the object `kind` can have (e.g. `Chargeable` for a Charge Permission)."""
    return str(_enum(STATES[kind], text, f"a {kind} state"))


def parse_reason(text: str) -> ReasonCode:
    """A reason code of docs/reference/amazon-pay-v2.md §2 (`HardDeclined`, `MerchantClosed`, ...)."""
    return _enum(ReasonCode, text, "a reason code")


def parse_intent(text: str) -> PaymentIntent:
    """`Authorize`, `AuthorizeWithCapture` or `Confirm`."""
    return _enum(PaymentIntent, text, "a payment intent")


CARD_PATTERN = re.compile(r"^\d{4}$")


def parse_card(text: str) -> str:
    """The last four digits of a sandbox test card (docs/reference/amazon-pay-v2.md §6.1), e.g. `1111`."""
    card = normalize(text)
    if not CARD_PATTERN.match(card):
        raise ScenarioValueError(f"cannot read the card {text!r}: give the last four digits of a sandbox "
                                 "test card, e.g. 1111, 0701, 4354")
    return card


PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
"""Japan's 47 prefectures, as a Japanese shipping address's stateOrRegion names them."""


def parse_prefecture(text: str) -> str:
    """A prefecture of Japan (`北海道`, `東京都`; `東京` without its 都/府/県 is read too)."""
    name = normalize(text)
    for prefecture in PREFECTURES:
        if name in (prefecture, prefecture[:-1]) and name != "北海":
            return prefecture
    raise ScenarioValueError(f"{text!r} is not a prefecture of Japan: write it as an address does, "
                             "e.g. 北海道, 東京都, 大阪府, 沖縄県")


def parse_count(text: str) -> int:
    """A whole number of things (`0`, `3`, `10`)."""
    normalized = normalize(text)
    if not normalized.isdigit():
        raise ScenarioValueError(f"cannot read the count {text!r}: expected a whole number (0, 1, 10, ...)")
    return int(normalized)


def _enum(kind: type[E], text: str, what: str) -> E:
    return _lookup({member.value: member for member in kind}, text, what)


def _lookup(words: Mapping[str, V], text: str, what: str, shown: list[str] | None = None) -> V:
    key = normalize(text).lower()
    for word, value in words.items():
        if word.lower() == key:
            return value
    expected = ", ".join(shown or dict.fromkeys(str(word) for word in words.values()))
    close = difflib.get_close_matches(key, [word.lower() for word in words], n=1, cutoff=0.6)
    hint = next((f" — did you mean {word!r}?" for word in words if close and word.lower() == close[0]), "")
    raise ScenarioValueError(f"{text!r} is not {what}; expected one of {expected}{hint}")


ORDER_NAME = re.compile(r"^(?:the order|order (?P<en>[A-Za-z0-9_-]+)|注文(?P<ja>[A-Za-z0-9_-]*))$",
                        re.IGNORECASE)


def parse_order_name(text: str) -> str | None:
    """`the order` / `注文` -> None (the current order); `order A` / `注文A` -> `A`."""
    match = ORDER_NAME.match(normalize(text))
    if match is None:
        raise ScenarioValueError(f"cannot read the order {text!r}: write 'the order' or 'order A' "
                                 "(注文 or 注文A in Japanese)")
    return match["en"] or match["ja"] or None


class Anchor(StrEnum):
    """Moments of an order that time can be measured from."""

    CHECKOUT_STARTED = "the checkout started"
    """The Checkout Session's creation (the 24-hour deadline counts from here)."""
    BUYER_PAID = "the buyer paid"
    """The buyer's approval on Amazon's page: the Charge Permission's creation (180 days, 13 months)."""
    AUTHORIZED = "the authorization"
    """The latest Charge's authorization (30-day validity, 7-day synchronous capture)."""


ANCHOR_WORDS: Mapping[str, Anchor] = {
    "the checkout started": Anchor.CHECKOUT_STARTED,
    "決済開始": Anchor.CHECKOUT_STARTED,
    "the buyer paid": Anchor.BUYER_PAID,
    "購入者の支払い": Anchor.BUYER_PAID,
    "the authorization": Anchor.AUTHORIZED,
    "オーソリ": Anchor.AUTHORIZED,
}
"""The anchors in English and in the Japanese words of the `ja` steps."""


def parse_anchor(text: str) -> Anchor:
    """`the checkout started`, `the buyer paid`, `the authorization` (決済開始, 購入者の支払い, オーソリ)."""
    return _lookup(ANCHOR_WORDS, text, "a moment of the order", shown=list(ANCHOR_WORDS))


MERCHANT_STATUS_WORDS: Mapping[str, OrderStatus] = {
    **{status.value: status for status in OrderStatus},
    "未完了": OrderStatus.PENDING,
    "確認済み": OrderStatus.CONFIRMED,
    "オーソリ中": OrderStatus.AUTHORIZING,
    "オーソリ済み": OrderStatus.AUTHORIZED,
    "売上請求中": OrderStatus.CAPTURING,
    "売上請求済み": OrderStatus.CAPTURED,
    "返金済み": OrderStatus.REFUNDED,
    "キャンセル済み": OrderStatus.CANCELED,
    "クローズ済み": OrderStatus.CLOSED,
    "拒否": OrderStatus.DECLINED,
    "失敗": OrderStatus.FAILED,
}
"""The merchant's order statuses (`OrderStatus`) and their Japanese words."""


def parse_merchant_status(text: str) -> OrderStatus:
    """`pending`, `authorized`, `captured`, ... (or 未完了, オーソリ済み, 売上請求済み, ...)."""
    return _lookup(MERCHANT_STATUS_WORDS, text, "a merchant order status", shown=list(MERCHANT_STATUS_WORDS))


MERCHANT_FLAG_WORDS: Mapping[str, OrderFlag] = {
    **{flag.value: flag for flag in OrderFlag},
    "不正利用の審査": OrderFlag.FRAUD_REVIEW,
    "支払い方法の更新依頼": OrderFlag.PAYMENT_METHOD_UPDATE,
}
"""What a merchant's record can ask a person to do (`OrderFlag`) and its Japanese words."""


def parse_merchant_flag(text: str) -> OrderFlag:
    """`fraud review`, `payment method update` (or 不正利用の審査, 支払い方法の更新依頼)."""
    return _lookup(MERCHANT_FLAG_WORDS, text, "a merchant flag", shown=list(MERCHANT_FLAG_WORDS))


def parse_error_code(text: str) -> str:
    """A `reasonCode` Amazon Pay answers errors with (docs/reference/amazon-pay-v2.md §4.2), e.g.
    `InvalidChargeStatus`."""
    return _lookup({code: code for code in HTTP_STATUS}, text, "an Amazon Pay error reasonCode")


NOTIFIED_OBJECTS: dict[str, ObjectType] = {kind.value: kind for kind in ObjectType
                                           if kind is not ObjectType.CHARGEBACK}
"""The ObjectTypes the simulator notifies about (D-IPN-WHICH)."""


def parse_notification_object(text: str) -> ObjectType:
    """An IPN ObjectType (`CHARGE_PERMISSION`, `CHARGE`, `REFUND`; docs/reference/amazon-pay-v2.md §7.1)."""
    return _lookup(NOTIFIED_OBJECTS, text, "an IPN ObjectType")
