"""Then steps: what Seller Central, the API and the merchant's own records must show.

Each step is defined once with its English and Japanese text; it only hands the parsed values to
`scenario_world.expect`.
"""

from __future__ import annotations

from harness.amazon_pay.states import ReasonCode
from harness.bdd.grammar import expectation
from harness.merchant.adapter import OrderStatus
from harness.money import Money
from harness.scenario.parsing import ObjectKind, parse_api_state
from harness.scenario.world import ScenarioWorld
from harness.seller_central.projection import TransactionStatus

# --- Seller Central ------------------------------------------------------------------------------


@expectation(en="Seller Central shows {order} as {status}",
             ja="セラーセントラルで{order}が{status}と表示<される|されること>")
def seller_central_status(scenario_world: ScenarioWorld, order: str | None,
                          status: TransactionStatus) -> None:
    """The order's row shows this status (the latest charge's row for Recurring)."""
    scenario_world.expect.status(order, status)


@expectation(en="Seller Central shows charge {count} of {order} as {status}",
             ja="セラーセントラルで{order}の{count}件目の請求が{status}と表示<される|されること>")
def seller_central_charge_status(scenario_world: ScenarioWorld, count: int, order: str | None,
                                 status: TransactionStatus) -> None:
    """The row of the order's n-th charge (Recurring) shows this status."""
    scenario_world.expect.status(order, status, charge_number=count)


@expectation(en="Seller Central shows no transaction for {order}",
             ja="セラーセントラルに{order}の取引が表示<されない|されないこと>")
def seller_central_no_transaction(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The transaction view has no row for the order."""
    scenario_world.expect.no_transaction(order)


@expectation(en="Seller Central shows {order} with {amounts}",
             ja="セラーセントラルの{order}の金額が{amounts}<である|であること>")
def seller_central_amounts(scenario_world: ScenarioWorld, order: str | None,
                           amounts: dict[str, Money]) -> None:
    """The order's row shows these authorized / captured / refunded amounts."""
    scenario_world.expect.amounts(order, **amounts)


@expectation(en="the Amazon Reference ID of {order} is its chargePermissionId",
             ja="{order}のAmazon参照IDがchargePermissionId<である|であること>")
def reference_id_is_permission(scenario_world: ScenarioWorld, order: str | None) -> None:
    """OneTime: the order is one row identified by its chargePermissionId."""
    scenario_world.expect.reference_id_is_permission(order)


@expectation(en="Seller Central shows {count} rows for {order}, one per chargeId",
             ja="セラーセントラルに{order}の行がchargeIdごとに{count}件表示<される|されること>")
def reference_ids_are_charges(scenario_world: ScenarioWorld, count: int, order: str | None) -> None:
    """Recurring: one row per Charge, identified by its chargeId."""
    scenario_world.expect.reference_ids_are_charges(order, count)


@expectation(en="{order} has {count} charge[s]",
             ja="{order}の請求が{count}件<である|であること>")
def charge_count(scenario_world: ScenarioWorld, order: str | None, count: int) -> None:
    """Amazon Pay holds this many Charges for the order."""
    scenario_world.expect.charge_count(order, count)


@expectation(en="Seller Central refuses the action with {error}",
             ja="セラーセントラルが{error}で操作を拒否<する|すること>")
def seller_central_refuses(scenario_world: ScenarioWorld, error: str) -> None:
    """Seller Central refused an operator action with this reasonCode."""
    scenario_world.expect.refused(error)


# --- the API -------------------------------------------------------------------------------------


@expectation(en="the {kind} of {order} is {state}[ with reason {reason}]",
             ja="{order}の{kind}が{state}[(理由{reason})]<である|であること>")
def api_state(scenario_world: ScenarioWorld, kind: ObjectKind, order: str | None, state: str,
              reason: ReasonCode | None = None) -> None:
    """The order's Checkout Session, Charge Permission, latest Charge or Refund is in this state."""
    scenario_world.expect.api_state(order, kind, parse_api_state(state, kind), reason)


@expectation(en="the {kind} of {order} is {state} without a reason",
             ja="{order}の{kind}が{state}(理由なし)<である|であること>")
def api_state_without_reason(scenario_world: ScenarioWorld, kind: ObjectKind, order: str | None,
                             state: str) -> None:
    """As above, and the object carries no reason code."""
    scenario_world.expect.api_state(order, kind, parse_api_state(state, kind), no_reason=True)


# --- the merchant --------------------------------------------------------------------------------


@expectation(en="the merchant received the error {error}[ for {order}]",
             ja="加盟店が[{order}について]エラー{error}を受け取<った|っていること>")
def merchant_received(scenario_world: ScenarioWorld, error: str, order: str | None = None) -> None:
    """The shop received this error from Amazon Pay for the order."""
    scenario_world.expect.merchant_received(order, error)


@expectation(en="the merchant received no error[ for {order}]",
             ja="加盟店が[{order}について]エラーを受け取ってい<ない|ないこと>")
def merchant_received_no_error(scenario_world: ScenarioWorld, order: str | None = None) -> None:
    """The shop received no error for the order."""
    scenario_world.expect.merchant_received_no_error(order)


@expectation(en="the merchant's record of {order} is {merchant_status}",
             ja="加盟店の{order}の記録が{merchant_status}<である|であること>")
def merchant_record(scenario_world: ScenarioWorld, order: str | None, merchant_status: OrderStatus) -> None:
    """The shop's own record of the order has this status."""
    scenario_world.expect.merchant_record(order, merchant_status)


@expectation(en="the merchant's record of {order} holds Amazon's ids",
             ja="加盟店の{order}の記録がAmazonのIDと一致<する|すること>")
def merchant_record_matches(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The shop's record holds Amazon's checkoutSessionId, chargePermissionId and chargeId."""
    scenario_world.expect.merchant_record_matches(order)
