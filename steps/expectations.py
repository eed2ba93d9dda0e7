"""Then steps: what Seller Central, the API and the merchant's own records must show.

Each is declared once (`harness.vocabulary.expectation`): its YAML key, its English and Japanese
text, its doc and its implementation, which hands the values to `scenario_world.expect`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from harness.amazon_pay.states import ReasonCode
from harness.explore.invariants import expect_agreement
from harness.merchant.adapter import OrderFlag, OrderStatus
from harness.money import Money
from harness.notifications import ObjectType
from harness.scenario.parsing import ObjectKind, parse_api_state
from harness.scenario.world import ScenarioWorld
from harness.seller_central.projection import TransactionStatus
from harness.vocabulary import Say, expectation
from harness.vocabulary.values import (
    AMOUNT,
    AMOUNTS,
    API_STATE,
    BUYER,
    COUNT,
    ERROR_CODE,
    FLAG,
    HOW_OFTEN,
    KIND,
    MERCHANT_FLAG,
    MERCHANT_STATUS,
    MOMENT,
    NOTIFIED,
    OPERATION,
    REASON,
    STATUS,
    Arg,
)

from .arguments import TheOrder

ErrorCode = Annotated[str, Arg(ERROR_CODE, "the reasonCode")]

# --- Seller Central ------------------------------------------------------------------------------


@expectation("status", Say(en="Seller Central shows {order} as {status}",
                           ja="セラーセントラルで{order}が{status}と表示<される|されること>"),
             Say(en="Seller Central shows charge {charge_number} of {order} as {status}",
                 ja="セラーセントラルで{order}の{charge_number}件目の請求が{status}と表示<される|されること>"),
             subject="status")
def seller_central_status(
        scenario_world: ScenarioWorld, *,
        status: Annotated[TransactionStatus, Arg(STATUS, "Open, Closed, Canceled or Suspended")],
        order: TheOrder = None,
        charge_number: Annotated[int | None, Arg(COUNT, "Recurring: the row of the order's charge with this "
                                                        "number (1 = first)")] = None) -> None:
    """Seller Central shows the order's row (for Recurring, one charge's row) with this status."""
    scenario_world.expect.status(order, status, charge_number=charge_number)


@expectation("no transaction",
             en="Seller Central shows no transaction for {order}",
             ja="セラーセントラルに{order}の取引が表示<されない|されないこと>")
def seller_central_no_transaction(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The transaction view has no row for the order."""
    scenario_world.expect.no_transaction(order)


@expectation("amounts", subject="amounts",
             en="Seller Central shows {order} with {amounts}",
             ja="セラーセントラルの{order}の金額が{amounts}<である|であること>")
def seller_central_amounts(
        scenario_world: ScenarioWorld, *,
        amounts: Annotated[dict[str, Money], Arg(AMOUNTS, "authorized / captured / refunded")],
        order: TheOrder = None) -> None:
    """The order's row shows these authorized / captured / refunded amounts."""
    scenario_world.expect.amounts(order, **amounts)


@expectation("reference id is permission",
             en="the Amazon Reference ID of {order} is its chargePermissionId",
             ja="{order}のAmazon参照IDがchargePermissionId<である|であること>")
def reference_id_is_permission(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """OneTime: the order is one row, identified by its chargePermissionId."""
    scenario_world.expect.reference_id_is_permission(order)


@expectation("reference ids are charges", subject="count",
             en="Seller Central shows {count} rows for {order}, one per chargeId",
             ja="セラーセントラルに{order}の行がchargeIdごとに{count}件表示<される|されること>")
def reference_ids_are_charges(scenario_world: ScenarioWorld, *,
                              count: Annotated[int, Arg(COUNT, "how many rows")],
                              order: TheOrder = None) -> None:
    """Recurring: one row per Charge, identified by its chargeId."""
    scenario_world.expect.reference_ids_are_charges(order, count)


@expectation("reference id is charge", subject="charge_number",
             en="the Amazon Reference ID of charge {charge_number} of {order} is its chargeId",
             ja="{order}の{charge_number}件目の請求のAmazon参照IDがそのchargeId<である|であること>")
def reference_id_is_charge(scenario_world: ScenarioWorld, *,
                           charge_number: Annotated[int, Arg(COUNT, "the charge's number (1 = first)")],
                           order: TheOrder = None) -> None:
    """Recurring: the row of the order's charge with this number is identified by that Charge's chargeId."""
    scenario_world.expect.reference_id_is_charge(order, charge_number)


@expectation("created", subject="moment",
             en="Seller Central shows {order} created at {moment}",
             ja="セラーセントラルで{order}の作成日時が{moment}と表示<される|されること>")
def seller_central_created(scenario_world: ScenarioWorld, *,
                           moment: Annotated[datetime, Arg(MOMENT, "the Created (JST) column")],
                           order: TheOrder = None) -> None:
    """The order's row shows this creation time in its Created (JST) column (to the second)."""
    scenario_world.expect.created(order, moment)


@expectation("buyer", subject="buyer",
             en="Seller Central shows {order} bought by {buyer}",
             ja="セラーセントラルで{order}の購入者が{buyer}と表示<される|されること>")
def seller_central_buyer(scenario_world: ScenarioWorld, *,
                         buyer: Annotated[str, Arg(BUYER, "the Buyer column")],
                         order: TheOrder = None) -> None:
    """The order's row shows this buyer's name in its Buyer column."""
    scenario_world.expect.buyer(order, buyer)


@expectation("charges", subject="count",
             en="{order} has {count} charge[s]",
             ja="{order}の請求が{count}件<である|であること>")
def charge_count(scenario_world: ScenarioWorld, *, count: Annotated[int, Arg(COUNT, "how many Charges")],
                 order: TheOrder = None) -> None:
    """Amazon Pay holds this many Charges for the order."""
    scenario_world.expect.charge_count(order, count)


@expectation("refused", subject="error",
             en="Seller Central refuses the action with {error}",
             ja="セラーセントラルが{error}で操作を拒否<する|すること>")
def seller_central_refuses(scenario_world: ScenarioWorld, *, error: ErrorCode) -> None:
    """Seller Central refused an operator action with this reasonCode."""
    scenario_world.expect.refused(error)


@expectation("transaction view", actor="show",
             en="Seller Central shows the transaction view",
             ja="セラーセントラルの取引管理画面を表示する")
def show_transaction_view(scenario_world: ScenarioWorld) -> None:
    """Puts Seller Central's transaction view as it is now into the timeline, passing or not."""
    scenario_world.timeline.note("seller central", scenario_world.seller_central.table())


# --- the API -------------------------------------------------------------------------------------


@expectation("api state", Say(en="the {kind} of {order} is {state}[ with reason {reason}]",
                              ja="{order}の{kind}が{state}[(理由{reason})]<である|であること>"),
             Say(en="the {kind} of {order} is {state} without a reason",
                 ja="{order}の{kind}が{state}(理由なし)<である|であること>", implies={"no_reason": True}),
             subject="state", exclusive=(("reason", "no_reason"),),
             variants={kind.value.lower(): {"kind": kind} for kind in ObjectKind})
def api_state(scenario_world: ScenarioWorld, *,
              kind: Annotated[ObjectKind, Arg(KIND, "the API object")],
              state: Annotated[str, Arg(API_STATE, "its statusDetails.state")],
              order: TheOrder = None,
              reason: Annotated[ReasonCode | None,
                                Arg(REASON, "its reasonCode (not checked if absent)")] = None,
              no_reason: Annotated[bool, Arg(FLAG, "true: it has no reasonCode")] = False) -> None:
    """The order's {kind} (the latest one) is in this state."""
    scenario_world.expect.api_state(order, kind, parse_api_state(state, kind), reason, no_reason=no_reason)


# --- the merchant --------------------------------------------------------------------------------


@expectation("merchant received", subject="error",
             en="the merchant received the error {error}[ for {order}]",
             ja="加盟店が[{order}について]エラー{error}を受け取<った|っていること>")
def merchant_received(scenario_world: ScenarioWorld, *, error: ErrorCode, order: TheOrder = None) -> None:
    """The merchant received an error with this reasonCode from Amazon Pay for the order."""
    scenario_world.expect.merchant_received(order, error)


@expectation("merchant received no error",
             en="the merchant received no error[ for {order}]",
             ja="加盟店が[{order}について]エラーを受け取ってい<ない|ないこと>")
def merchant_received_no_error(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The merchant received no error for the order."""
    scenario_world.expect.merchant_received_no_error(order)


@expectation("merchant record", subject="status",
             en="the merchant's record of {order} is {status}",
             ja="加盟店の{order}の記録が{status}<である|であること>")
def merchant_record(scenario_world: ScenarioWorld, *,
                    status: Annotated[OrderStatus, Arg(MERCHANT_STATUS, "the record's status")],
                    order: TheOrder = None) -> None:
    """The merchant's own record of the order has this status."""
    scenario_world.expect.merchant_record(order, status)


@expectation("merchant record matches",
             en="the merchant's record of {order} holds Amazon's ids",
             ja="加盟店の{order}の記録がAmazonのIDと一致<する|すること>")
def merchant_record_matches(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The merchant's record holds Amazon's checkoutSessionId, chargePermissionId and chargeId."""
    scenario_world.expect.merchant_record_matches(order)


# --- faults: the calls Amazon Pay received and what it charged --------------------------------------


@expectation("api calls",
             Say(en="Amazon Pay received {count} {operation} call[s][ for {order}] with the same "
                    "idempotency key",
                 ja="Amazon Payが[{order}について]{operation}を同じ冪等キーで{count}回"
                    "受け取<った|っていること>",
                 implies={"same_key": True}),
             Say(en="Amazon Pay received {count} {operation} call[s][ for {order}] with different "
                    "idempotency keys",
                 ja="Amazon Payが[{order}について]{operation}を異なる冪等キーで{count}回"
                    "受け取<った|っていること>",
                 implies={"different_keys": True}),
             Say(en="Amazon Pay received {count} {operation} call[s][ for {order}]",
                 ja="Amazon Payが[{order}について]{operation}を{count}回受け取<った|っていること>"),
             subject="count", exclusive=(("same_key", "different_keys"),))
def api_calls(scenario_world: ScenarioWorld, *, count: Annotated[int, Arg(COUNT, "how many calls")],
              operation: Annotated[str, Arg(OPERATION, "the operation (SDK name or the vocabulary's word)")],
              order: TheOrder = None,
              same_key: Annotated[bool, Arg(FLAG, "true: all under one idempotency key",
                                            key="same idempotency key")] = False,
              different_keys: Annotated[bool, Arg(FLAG, "true: each under its own idempotency key",
                                                  key="different idempotency keys")] = False) -> None:
    """Amazon Pay's exchange log holds this many calls of the operation for the order (retries included)."""
    scenario_world.expect.api_calls(order, operation, count, same_key=same_key, different_keys=different_keys)


@expectation("charged", subject="times",
             en="{order} was charged {times}",
             ja="{order}が{times}請求<された|されていること>")
def charged(scenario_world: ScenarioWorld, *,
            times: Annotated[int, Arg(HOW_OFTEN, "how many times (once, twice, 3 times)")],
            order: TheOrder = None) -> None:
    """The order's buyer was charged this many times: its Charges authorized, being captured or captured."""
    scenario_world.expect.charged(order, times)


# --- the monthly limit of a Recurring Charge Permission (docs/reference/amazon-pay-v2.md §2.6) -------


@expectation("monthly balance", subject="amount",
             en="{order} may still be charged {amount} this month",
             ja="{order}の今月の請求可能額が{amount}<である|であること>")
def monthly_balance(scenario_world: ScenarioWorld, *,
                    amount: Annotated[Money, Arg(AMOUNT, "Get Charge Permission's amountBalance")],
                    order: TheOrder = None) -> None:
    """The order's Recurring Charge Permission may be charged this much more this month."""
    scenario_world.expect.monthly_balance(order, amount)


# --- reports (issue 15) --------------------------------------------------------------------------

ReportAmount = Annotated[Money | None, Arg(AMOUNT, "the amount of that row (not checked if absent)")]


@expectation("settlement report lists",
             Say(en="the settlement report lists a capture of {capture}[ and a refund of {refund}] "
                    "for {order}",
                 ja="決済レポートに{order}の{capture}の売上請求[と{refund}の返金]が記載されて<いる|いること>"),
             Say(en="the settlement report lists a refund of {refund} for {order}",
                 ja="決済レポートに{order}の返金{refund}が記載されて<いる|いること>"))
def settlement_report_lists(scenario_world: ScenarioWorld, *, order: TheOrder = None,
                            capture: ReportAmount = None, refund: ReportAmount = None) -> None:
    """The downloaded settlement report lists a Capture / Refund (negative) of these amounts for the order."""
    scenario_world.expect.settlement_lists(order, capture=capture, refund=refund)


@expectation("settlement report lists nothing",
             en="the settlement report lists nothing for {order}",
             ja="決済レポートに{order}が記載されてい<ない|ないこと>")
def settlement_report_lists_nothing(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The settlement report the merchant downloaded has no row for the order."""
    scenario_world.expect.settlement_lists_nothing(order)


@expectation("settlement payout", subject="amount",
             en="the settlement report pays out {amount}",
             ja="決済レポートの入金額が{amount}<である|であること>")
def settlement_report_pays_out(
        scenario_world: ScenarioWorld, *,
        amount: Annotated[Money, Arg(AMOUNT, "the sum of every row's NetTransactionAmount")]) -> None:
    """The settlement report's net total: captures minus fees, minus refunds plus the fees given back."""
    scenario_world.expect.settlement_pays_out(amount)


# --- notifications (IPN) -------------------------------------------------------------------------

ObjectTypeArg = Annotated[ObjectType, Arg(NOTIFIED, "the notification's ObjectType", key="type")]


@expectation("notification", subject="object_type",
             en="the merchant received a[n] {object_type} notification[ for {order}]",
             ja="加盟店が[{order}の]{object_type}の通知を受け取<った|っていること>")
def notification_received(scenario_world: ScenarioWorld, *, object_type: ObjectTypeArg,
                          order: TheOrder = None) -> None:
    """The shop acknowledged (2xx) at least one notification of this ObjectType about the order."""
    scenario_world.notifications.received(order, object_type, None)


@expectation("notifications", subject="count",
             en="the merchant received {count}[ {object_type}] notification[s][ for {order}]",
             ja="加盟店が[{order}の][{object_type}の]通知を{count}件受け取<った|っていること>")
def notifications_received(scenario_world: ScenarioWorld, *,
                           count: Annotated[int, Arg(COUNT, "how many acknowledged deliveries (duplicates "
                                                            "included)")],
                           object_type: Annotated[ObjectType | None,
                                                  Arg(NOTIFIED, "only this ObjectType (default: any)",
                                                      key="type")] = None,
                           order: TheOrder = None) -> None:
    """The shop acknowledged exactly this many notification deliveries about the order."""
    scenario_world.notifications.received(order, object_type, count)


@expectation("notifications answered", subject="status",
             en="the merchant answered {status} to every notification",
             ja="加盟店がすべての通知に{status}で応答<した|していること>")
def notifications_answered(scenario_world: ScenarioWorld, *,
                           status: Annotated[int, Arg(COUNT, "the HTTP status")]) -> None:
    """Every notification delivery that reached the shop got this HTTP status (and at least one did)."""
    scenario_world.notifications.answered(status)


# --- the merchant's follow-ups (examples/shop) --------------------------------------------------


@expectation("merchant flag", subject="flag",
             en="the merchant flagged {order} for {flag}",
             ja="加盟店が{order}に{flag}の印を付け<た|ていること>")
def merchant_flagged(scenario_world: ScenarioWorld, *,
                     flag: Annotated[OrderFlag, Arg(MERCHANT_FLAG, "what the record asks a person to do")],
                     order: TheOrder = None) -> None:
    """The merchant's record asks a person to act: a fraud review, or a new payment method from the buyer."""
    scenario_world.expect.merchant_flagged(order, flag)


# --- explore: the merchant agrees with Amazon (docs/explore.md) ----------------------------------


@expectation("merchant agrees",
             en="the merchant's records agree with Amazon",
             ja="加盟店の記録がAmazonと矛盾し<ない|ないこと>")
def merchant_agrees(scenario_world: ScenarioWorld) -> None:
    """No record claims what Amazon has not done; lost answers are retried idempotently, refusals not."""
    expect_agreement(scenario_world, up_to_date=False)


@expectation("merchant up to date",
             en="the merchant's records are up to date with Amazon",
             ja="加盟店の記録がAmazonの現在の状態と一致<する|すること>")
def merchant_up_to_date(scenario_world: ScenarioWorld) -> None:
    """As `merchant agrees`, and every record is Amazon's present state (after the reconciliation job)."""
    expect_agreement(scenario_world, up_to_date=True)
