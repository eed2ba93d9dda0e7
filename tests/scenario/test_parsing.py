"""Values as people write them: amounts, durations, statuses and the other words of the vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.amazon_pay.states import PaymentIntent, ReasonCode
from harness.merchant.adapter import OrderFlag, OrderStatus
from harness.money import Money
from harness.scenario.parsing import (
    Anchor,
    Duration,
    ObjectKind,
    ScenarioValueError,
    parse_amount,
    parse_anchor,
    parse_api_state,
    parse_card,
    parse_count,
    parse_duration,
    parse_error_code,
    parse_intent,
    parse_merchant_flag,
    parse_merchant_status,
    parse_object_kind,
    parse_order_name,
    parse_reason,
    parse_status,
)
from harness.seller_central.projection import TransactionStatus
from harness.vocabulary.phrases import parse_checkout_options, parse_row_amounts

YEN_5000 = Money.of(5000)


@pytest.mark.parametrize("text", ["5,000 JPY", "5000 JPY", "5,000円", "¥5,000", "￥5,000", "５，０００円",
                                  "5000円", "¥ 5000", "JPY 5,000", "5,000 yen", "  5,000 JPY  "])
def test_amounts_as_merchants_write_them(text: str) -> None:
    assert parse_amount(text) == YEN_5000


@pytest.mark.parametrize(("text", "amount"), [("0 JPY", 0), ("1円", 1), ("10,000,000 JPY", 10_000_000),
                                              ("108,400円", 108_400)])
def test_amounts_from_zero_to_the_largest(text: str, amount: int) -> None:
    assert parse_amount(text) == Money.of(amount)


@pytest.mark.parametrize(("text", "expected"), [
    ("5,00 JPY", "write it like 5,000 JPY"),
    ("5000", "write it like 5,000 JPY"),
    ("-5 JPY", "write it like"),
    ("five thousand yen", "write it like"),
    ("5,000.50 JPY", "more decimals than JPY allows"),
    ("5000 USD", "write it like"),
])
def test_bad_amounts_say_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(ScenarioValueError, match=expected) as error:
        parse_amount(text)
    assert repr(text) in str(error.value)


@pytest.mark.parametrize(("text", "delta"), [
    ("24 hours", timedelta(hours=24)),
    ("23 hours 59 minutes 59 seconds", timedelta(hours=23, minutes=59, seconds=59)),
    ("1 second", timedelta(seconds=1)),
    ("180 days", timedelta(days=180)),
    ("179 days 23 hours 59 minutes 59 seconds", timedelta(days=180) - timedelta(seconds=1)),
    ("7 days 1 second", timedelta(days=7, seconds=1)),
    ("7 days and 1 second", timedelta(days=7, seconds=1)),
    ("7 days, 1 second", timedelta(days=7, seconds=1)),
    ("23:59:59", timedelta(hours=23, minutes=59, seconds=59)),
    ("24:00:00", timedelta(hours=24)),
    ("395 days 23:59:59", timedelta(days=396) - timedelta(seconds=1)),
    ("2 weeks", timedelta(days=14)),
    ("24時間", timedelta(hours=24)),
    ("23時間59分59秒", timedelta(hours=23, minutes=59, seconds=59)),
    ("180日", timedelta(days=180)),
    ("180日間", timedelta(days=180)),
    ("7日と1秒", timedelta(days=7, seconds=1)),
    ("395日23:59:59", timedelta(days=396) - timedelta(seconds=1)),
    ("２４時間", timedelta(hours=24)),
    ("0 seconds", timedelta(0)),
])
def test_durations_as_people_write_them(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == Duration(0, delta)


@pytest.mark.parametrize("text", ["13 months", "13 month", "13か月", "13ヶ月", "13カ月", "13ケ月", "13ヵ月"])
def test_months_are_calendar_months(text: str) -> None:
    duration = parse_duration(text)
    assert duration == Duration(13)
    start = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    assert duration.after(start) == datetime(2027, 2, 28, 12, 0, tzinfo=UTC)


def test_months_come_before_the_exact_part() -> None:
    duration = parse_duration("1 month 1 day")
    assert duration.after(datetime(2026, 1, 31, tzinfo=UTC)) == datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(("text", "shown"), [
    ("24 hours", "1 day"), ("23:59:59", "23 hours 59 minutes 59 seconds"), ("13ヶ月", "13 months"),
    ("1 second", "1 second"), ("0 seconds", "0 seconds"),
    ("1 month 7 days 1 second", "1 month 7 days 1 second"),
])
def test_durations_read_back_in_words(text: str, shown: str) -> None:
    assert str(parse_duration(text)) == shown


@pytest.mark.parametrize(("text", "expected"), [
    ("", "write it like 24 hours"),
    ("soon", "cannot read 'soon'"),
    ("24 hours later", "cannot read 'later'"),
    ("24 hrs 3 hours", "gives the hours twice"),
    ("23:60:00", "go up to 59"),
    ("-1 second", "cannot read '-'"),
    ("1.5 hours", "cannot read '1.'"),
])
def test_bad_durations_say_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(ScenarioValueError, match=expected):
        parse_duration(text)


@pytest.mark.parametrize(("text", "status"), [
    ("Open", TransactionStatus.OPEN), ("open", TransactionStatus.OPEN), ("オープン", TransactionStatus.OPEN),
    ("Closed", TransactionStatus.CLOSED), ("クローズ", TransactionStatus.CLOSED),
    ("Canceled", TransactionStatus.CANCELED), ("Cancelled", TransactionStatus.CANCELED),
    ("キャンセル", TransactionStatus.CANCELED),
    ("Suspended", TransactionStatus.SUSPENDED), ("一時停止", TransactionStatus.SUSPENDED),
])
def test_statuses_in_english_and_japanese(text: str, status: TransactionStatus) -> None:
    assert parse_status(text) is status


def test_a_bad_status_lists_the_accepted_words() -> None:
    with pytest.raises(ScenarioValueError, match=r"'Opened' is not a Seller Central status; expected one of "
                                                 r"Open, Closed, Canceled, Cancelled, Suspended, オープン"):
        parse_status("Opened")


@pytest.mark.parametrize(("text", "name"), [("the order", None), ("注文", None), ("order A", "A"),
                                            ("注文A", "A"), ("Order b-2", "b-2")])
def test_order_names(text: str, name: str | None) -> None:
    assert parse_order_name(text) == name


def test_a_bad_order_name_says_how_to_write_one() -> None:
    with pytest.raises(ScenarioValueError, match="write 'the order' or 'order A'"):
        parse_order_name("my order")


def test_the_other_words() -> None:
    assert parse_intent("authorizeWithCapture") is PaymentIntent.AUTHORIZE_WITH_CAPTURE
    assert parse_reason("HardDeclined") is ReasonCode.HARD_DECLINED
    assert parse_object_kind("ChargePermission") is ObjectKind.CHARGE_PERMISSION
    assert parse_object_kind("charge permission") is ObjectKind.CHARGE_PERMISSION
    assert parse_api_state("nonchargeable", ObjectKind.CHARGE_PERMISSION) == "NonChargeable"
    assert parse_anchor("決済開始") is Anchor.CHECKOUT_STARTED
    assert parse_anchor("the buyer paid") is Anchor.BUYER_PAID
    assert parse_card("０７０１") == "0701"
    assert parse_count("10") == 10
    assert parse_merchant_status("オーソリ済み") is OrderStatus.AUTHORIZED
    assert parse_merchant_status("Pending") is OrderStatus.PENDING
    assert parse_merchant_flag("不正利用の審査") is OrderFlag.FRAUD_REVIEW
    assert parse_merchant_flag("payment method update") is OrderFlag.PAYMENT_METHOD_UPDATE
    assert parse_error_code("TransactionCountExceeded") == "TransactionCountExceeded"


@pytest.mark.parametrize(("parse", "text", "expected"), [
    (parse_intent, "Capture", "not a payment intent; expected one of Confirm, Authorize"),
    (parse_reason, "Declined!", "not a reason code"),
    (lambda text: parse_api_state(text, ObjectKind.CHARGE), "Chargeable", "not a Charge state; expected one "
                                                                           "of AuthorizationInitiated"),
    (parse_card, "111", "last four digits"),
    (parse_count, "two", "whole number"),
    (parse_error_code, "TransactionCountExceded", "not an Amazon Pay error reasonCode"),
    (parse_merchant_status, "paid", "not a merchant order status; expected one of pending"),
    (parse_merchant_flag, "fraud", "not a merchant flag; expected one of fraud review, payment method"),
    (parse_anchor, "the capture", "not a moment of the order"),
])
def test_bad_words_say_what_was_expected(parse: object, text: str, expected: str) -> None:
    assert callable(parse)
    with pytest.raises(ScenarioValueError, match=expected):
        parse(text)


def test_checkout_options_in_english() -> None:
    request = parse_checkout_options("payment intent Confirm, allowOvercharge and a total order amount of "
                                     "10,000 JPY", YEN_5000)
    assert request.amount == YEN_5000
    assert request.intent is PaymentIntent.CONFIRM
    assert request.allow_overcharge and request.total_order_amount == Money.of(10_000)
    assert not (request.extend_expiration or request.recurring or request.can_handle_pending_authorization)


def test_checkout_options_in_japanese_and_as_api_names() -> None:
    request = parse_checkout_options("支払いインテントAuthorizeWithCapture、定期購入、保留オーソリ対応、"
                                     "注文合計10,000円、有効期限延長", YEN_5000)
    assert request.intent is PaymentIntent.AUTHORIZE_WITH_CAPTURE
    assert request.recurring and request.can_handle_pending_authorization and request.extend_expiration
    assert request.total_order_amount == Money.of(10_000)
    api_names = ("paymentIntent=AuthorizeWithCapture, recurring, canHandlePendingAuthorization, "
                 "totalOrderAmount=10000 JPY, extendExpiration")
    same = parse_checkout_options(api_names, YEN_5000)
    assert same == request


def test_no_options_is_an_authorize_checkout() -> None:
    assert parse_checkout_options(None, YEN_5000).intent is PaymentIntent.AUTHORIZE


def test_an_unknown_option_lists_the_known_ones() -> None:
    with pytest.raises(ScenarioValueError, match="unknown checkout option 'express shipping'; options are "
                                                 "payment intent"):
        parse_checkout_options("express shipping", YEN_5000)


def test_row_amounts() -> None:
    assert parse_row_amounts("5,000 JPY authorized, 5,000 JPY captured and 2,000 JPY refunded") == {
        "authorized": YEN_5000, "captured": YEN_5000, "refunded": Money.of(2000)}
    assert parse_row_amounts("オーソリ5,000円，売上5,000円、返金0円") == {
        "authorized": YEN_5000, "captured": YEN_5000, "refunded": Money.of(0)}


@pytest.mark.parametrize(("text", "expected"), [
    ("5,000 JPY paid", "cannot read '5,000 JPY paid'"),
    ("5,000 JPY captured and 1 JPY captured", "gives the captured amount twice"),
])
def test_bad_row_amounts(text: str, expected: str) -> None:
    with pytest.raises(ScenarioValueError, match=expected):
        parse_row_amounts(text)


@pytest.mark.parametrize(("text", "suggested"), [
    ("5.000 JPY", "'5,000 JPY'"), ("1.000.000円", "'1,000,000円'"), ("¥12.500", "'¥12,500'")])
def test_thousands_written_with_dots_suggest_commas(text: str, suggested: str) -> None:
    with pytest.raises(ScenarioValueError, match=f"did you mean {suggested}"):
        parse_amount(text)


def test_a_misspelt_word_suggests_the_closest_in_its_own_language() -> None:
    with pytest.raises(ScenarioValueError, match="did you mean 'Open'"):
        parse_status("Opened")
    with pytest.raises(ScenarioValueError, match="did you mean 'キャンセル'"):
        parse_status("キャンセルド")
    with pytest.raises(ScenarioValueError) as far_off:
        parse_status("Refunded")
    assert "did you mean" not in str(far_off.value)
