"""Amounts (JPY has no decimals, docs/reference/amazon-pay-v2.md §1.0), identifiers in Amazon's formats (§1.1)
and deterministic per seed, and times as Seller Central Japan shows them (JST).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from harness.amazon_pay import PaymentIntent
from harness.ids import Environment, IdFactory, Region
from harness.money import Money, MoneyFormatError, money_max, money_min
from harness.seller_central import SellerCentral
from harness.simulator import Simulator
from tests.builders import charge_of, completed_checkout, new_simulator, permission_of, yen

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
REFERENCE = r"\d{7}-\d{7}"

# --- Money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["705.00", "705.0", "705.", ".5", 705.5, 705.0, Decimal("705.00"),
                                   "1e3", "7 05", "", "abc", True, None, [705]])
def test_jpy_rejects_decimals_and_non_numbers(value: object) -> None:
    with pytest.raises(MoneyFormatError):
        Money.parse(value, "JPY")


@pytest.mark.parametrize("value", ["705", 705, Decimal(705), " 705 "])
def test_jpy_accepts_whole_yen_as_string_or_number(value: object) -> None:
    money = Money.parse(value, "JPY")
    assert (money, money.to_wire(), money.to_json()) == \
        (yen(705), "705", {"amount": "705", "currencyCode": "JPY"})


@pytest.mark.parametrize(("value", "wire"), [("14", "14.00"), ("14.5", "14.50"), ("14.00", "14.00"),
                                             (12.99, "12.99")])
def test_usd_has_two_decimals(value: object, wire: str) -> None:
    assert Money.parse(value, "USD").to_wire() == wire


def test_usd_rejects_a_third_decimal_and_unknown_currencies() -> None:
    with pytest.raises(MoneyFormatError):
        Money.parse("14.001", "USD")
    for currency in ("XYZ", "jpy", None, 392):
        with pytest.raises(MoneyFormatError):
            Money.parse("1", currency)


def test_money_arithmetic_stays_in_one_currency() -> None:
    assert yen(5000) + yen(1) == yen(5001)
    assert yen(5000) - yen(5000) == Money.zero("JPY")
    assert (money_max(yen(1), yen(2)), money_min(yen(1), yen(2))) == (yen(2), yen(1))
    assert yen(1) < yen(2) <= yen(2) and yen(3) > yen(2) >= yen(2)
    with pytest.raises(MoneyFormatError):
        _ = yen(1) + Money.of("1.00", "USD")
    with pytest.raises(MoneyFormatError):
        _ = yen(1) < Money.of("1.00", "EUR")


@pytest.mark.parametrize(("amount", "percent", "result"), [
    (1001, 15, 150), (999, 15, 149), (56000, 15, 8400), (7778, 900, 70002), (1, 15, 0)])
def test_percent_rounds_down_to_whole_yen(amount: int, percent: int, result: int) -> None:
    assert yen(amount).percent(percent) == yen(result)  # D-ROUND


def test_money_prints_like_seller_central() -> None:
    assert (str(yen(1234567)), str(Money.of("14.5", "USD"))) == ("¥1,234,567", "14.50 USD")


# --- ids --------------------------------------------------------------------------------------------


def _scenario_ids(sim: Simulator) -> list[str]:
    one_time = completed_checkout(sim, 5000)
    sim.api.capture_charge(charge_of(sim, one_time).id, yen(5000))
    refund = sim.api.create_refund(charge_of(sim, one_time).id, yen(100))
    recurring = completed_checkout(sim, 1000, recurring=True)
    second = sim.api.create_charge(permission_of(sim, recurring).id, yen(1000))
    return [one_time.id, permission_of(sim, one_time).id, charge_of(sim, one_time).id, refund.id,
            recurring.id, permission_of(sim, recurring).id, charge_of(sim, recurring).id, second.id,
            sim.buyer.default.buyer_id, sim.api.default_store_id]


def test_id_formats_in_the_jp_sandbox() -> None:
    sim = new_simulator()
    (session, permission, charge, refund, recurring_session, recurring, recurring_charge, second,
     buyer, store) = _scenario_ids(sim)
    assert UUID4.match(session) and UUID4.match(recurring_session)
    assert re.fullmatch(rf"S03-{REFERENCE}", permission)
    assert re.fullmatch(rf"{permission}-C\d{{6}}", charge)  # OneTime: the permission is the base
    assert re.fullmatch(rf"{permission}-R\d{{6}}", refund)  # the charge's base with -R
    assert re.fullmatch(rf"C03-{REFERENCE}", recurring)
    for recurring_charge_id in (recurring_charge, second):  # Recurring: a fresh S03- base each
        assert re.fullmatch(rf"S03-{REFERENCE}-C\d{{6}}", recurring_charge_id)
        assert not recurring_charge_id.startswith(recurring[3:])
    assert recurring_charge.rsplit("-C", 1)[0] != second.rsplit("-C", 1)[0]
    assert re.fullmatch(r"amzn1\.account\.[A-Z2-7]{28}", buyer)
    assert re.fullmatch(r"amzn1\.application-oa2-client\.[0-9a-f]{32}", store)


def test_live_ids_use_p_and_b() -> None:
    sim = Simulator(environment=Environment.LIVE)
    one_time = completed_checkout(sim, 5000)
    recurring = completed_checkout(sim, 1000, recurring=True)
    assert re.fullmatch(rf"P03-{REFERENCE}", permission_of(sim, one_time).id)
    assert re.fullmatch(rf"B03-{REFERENCE}", permission_of(sim, recurring).id)
    assert re.fullmatch(rf"P03-{REFERENCE}-C\d{{6}}", charge_of(sim, recurring).id)
    assert permission_of(sim, one_time).environment == "Live"


@pytest.mark.parametrize(("region", "code"), [(Region.NA, "01"), (Region.EU, "02"), (Region.JP, "03")])
def test_region_codes(region: Region, code: str) -> None:
    ids = IdFactory(0, Environment.SANDBOX, region)
    assert ids.charge_permission_id().startswith(f"S{code}-")
    assert ids.charge_permission_id(recurring=True).startswith(f"C{code}-")


def test_request_ids_are_random_uuid4_text_from_their_own_seeded_stream() -> None:
    ids, same = IdFactory(11, Environment.SANDBOX, Region.JP), IdFactory(11, Environment.SANDBOX, Region.JP)
    values = [ids.request_id() for _ in range(2000)]
    assert values == [same.request_id() for _ in range(2000)]
    assert len(set(values)) == len(values)
    for value in values:
        parsed = uuid.UUID(value)
        assert (str(parsed), parsed.version, parsed.variant) == (value, 4, uuid.RFC_4122)


def test_ids_are_deterministic_per_seed() -> None:
    first, again = _scenario_ids(new_simulator(seed=7)), _scenario_ids(new_simulator(seed=7))
    other = _scenario_ids(new_simulator(seed=8))
    assert first == again
    assert all(a != b for a, b in zip(first, other, strict=True))
    assert len(set(first)) == len(first)


def test_ids_never_repeat() -> None:
    ids = IdFactory(0)
    issued = [ids.charge_permission_id() for _ in range(2000)]
    issued += [ids.charge_id(issued[0]) for _ in range(2000)]
    assert len(set(issued)) == len(issued)


# --- times in JST ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "shown"), [
    (datetime(2026, 1, 5, 0, 0, tzinfo=UTC), "2026-01-05 09:00:00 JST"),
    (datetime(2026, 1, 5, 14, 59, 59, tzinfo=UTC), "2026-01-05 23:59:59 JST"),
    (datetime(2026, 1, 5, 15, 0, tzinfo=UTC), "2026-01-06 00:00:00 JST"),   # next day in Japan
    (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), "2027-01-01 00:00:00 JST"),  # next year in Japan
])
def test_the_view_shows_created_times_in_jst(start: datetime, shown: str) -> None:
    sim = new_simulator(start=start)
    view = SellerCentral(sim)
    session = completed_checkout(sim, 5000)
    row = view.row(permission_of(sim, session).id)
    assert row.created_at == start  # UTC inside
    assert row.created_jst == shown
    assert shown in view.table()


def test_a_recurring_row_shows_its_charges_creation_time() -> None:
    sim = new_simulator()
    view = SellerCentral(sim)
    session = completed_checkout(sim, 1000, recurring=True, intent=PaymentIntent.CONFIRM)
    sim.advance(timedelta(days=31, hours=15))
    charge = sim.api.create_charge(permission_of(sim, session).id, yen(1000))
    assert view.row(charge.id).created_jst == "2026-02-06 00:00:00 JST"
