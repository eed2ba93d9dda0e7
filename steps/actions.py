"""Given/When steps: what the buyer, the merchant, Amazon, the operator and time do.

Each is declared once (`harness.vocabulary.action`): its YAML key, its English and Japanese text,
its doc and its implementation, which hands the values to the scenario's `ScenarioWorld`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from harness.api.faults import ANY_OPERATION, FaultKind
from harness.money import Money
from harness.scenario.months import Month
from harness.scenario.parsing import Anchor, Duration
from harness.scenario.world import ScenarioWorld
from harness.vocabulary import Say, action
from harness.vocabulary.phrases import checkout_request
from harness.vocabulary.values import (
    AMOUNT,
    ANCHOR,
    COUNT,
    DURATION,
    FAULT_STATUS,
    FLAG,
    MOMENT,
    MONTH,
    OPERATION,
    PREFECTURE,
    Arg,
)

from .arguments import Card, CheckoutOptions, NewOrder, Reason, TheOrder, Times

Charged = Annotated[Money, Arg(AMOUNT, "the amount the buyer pays (chargeAmount)")]
Captured = Annotated[Money | None, Arg(AMOUNT, "the amount to capture (default: all of it)")]
Refunded = Annotated[Money, Arg(AMOUNT, "the amount to refund")]

# --- merchant ------------------------------------------------------------------------------------


@action("merchant", "start checkout",
        en="the merchant starts a checkout for {order} of {amount}[ with {options}]",
        ja="加盟店が{order}の決済を{amount}で開始<する|した>[({options})]")
def merchant_starts_checkout(scenario_world: ScenarioWorld, *, amount: Charged, order: NewOrder = None,
                             options: CheckoutOptions = None) -> None:
    """The merchant creates a Checkout Session for a new order (options: intent, flags, total)."""
    scenario_world.merchant.starts_checkout(order, checkout_request(amount, options))


@action("merchant", "capture",
        en="the merchant captures[ {amount} of] {order}",
        ja="加盟店が{order}[の{amount}]を売上請求<する|した>")
def merchant_captures(scenario_world: ScenarioWorld, *, order: TheOrder = None,
                      amount: Captured = None) -> None:
    """The merchant captures the order (in full unless an amount is given)."""
    scenario_world.merchant.captures(order, amount)


@action("merchant", "charge",
        en="the merchant charges {amount} on {order}",
        ja="加盟店が{order}に{amount}を追加で請求<する|した>")
def merchant_charges(scenario_world: ScenarioWorld, *,
                     amount: Annotated[Money, Arg(AMOUNT, "the amount to charge")],
                     order: TheOrder = None) -> None:
    """The merchant authorizes a further charge on the order's Charge Permission (Create Charge)."""
    scenario_world.merchant.charges(order, amount)


@action("merchant", "refund",
        en="the merchant refunds {amount} of {order}[ {times} times]",
        ja="加盟店が{order}の{amount}を返金<する|した>[({times}回)]")
def merchant_refunds(scenario_world: ScenarioWorld, *, amount: Refunded, order: TheOrder = None,
                     times: Times = 1) -> None:
    """The merchant refunds an amount of the order's charge, once or several times."""
    scenario_world.merchant.refunds(order, amount, times)


@action("merchant", "cancel authorization",
        en="the merchant cancels the authorization of {order}",
        ja="加盟店が{order}のオーソリをキャンセル<する|した>")
def merchant_cancels(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The merchant releases the order's authorization (Cancel Charge)."""
    scenario_world.merchant.cancels(order)


@action("merchant", "close",
        en="the merchant closes {order}",
        ja="加盟店が{order}をクローズ<する|した>")
def merchant_closes(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The merchant closes the order's Charge Permission (Close Charge Permission)."""
    scenario_world.merchant.closes(order)


@action("merchant", "reconcile",
        en="the merchant's reconciliation job runs",
        ja="加盟店の突合バッチが実行<される|された>")
def merchant_reconciles(scenario_world: ScenarioWorld) -> None:
    """The merchant's reconciliation job catches up with Amazon for every order."""
    scenario_world.merchant.reconciles()


# --- buyer ---------------------------------------------------------------------------------------


@action("buyer", "checkout",
        en="the buyer checked out {order} of {amount}[ with {options}]",
        ja="購入者が{order}の{amount}の決済を完了<する|した|している>[({options})]")
def buyer_checked_out(scenario_world: ScenarioWorld, *, amount: Charged, order: NewOrder = None,
                      options: CheckoutOptions = None) -> None:
    """The whole happy path at once: the merchant starts the checkout, the buyer pays and returns."""
    scenario_world.buyer.checks_out(order, checkout_request(amount, options))


@action("buyer", "pay",
        en="the buyer[ of {order}] pays[ with the card ending in {card}]",
        ja="購入者が[{order}を]Amazonで支払<う|った>[(カード末尾{card})]")
def buyer_pays(scenario_world: ScenarioWorld, *, order: TheOrder = None, card: Card = "1111") -> None:
    """The buyer signs in and pays on Amazon's page with a sandbox test card (default 1111)."""
    scenario_world.buyer.pays(order, card)


@action("buyer", "drop off",
        en="the buyer[ of {order}] drops off before returning to the shop",
        ja="購入者が[{order}の支払い後、]加盟店に戻る前に離脱<する|した>")
def buyer_drops_off(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The buyer leaves after paying and never reaches checkoutResultReturnUrl (Open 2)."""
    scenario_world.buyer.drops_off(order)


@action("buyer", "return",
        en="the buyer[ of {order}] returns to the shop",
        ja="購入者が[{order}の支払い後、]加盟店に戻<る|った>")
def buyer_returns(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The buyer comes back to checkoutResultReturnUrl; the shop completes the checkout."""
    scenario_world.buyer.returns(order)


@action("buyer", "cancel",
        en="the buyer[ of {order}] cancels on Amazon's page",
        ja="購入者が[{order}を]Amazonの画面でキャンセル<する|した>")
def buyer_cancels(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The buyer cancels on Amazon's page instead of paying."""
    scenario_world.buyer.cancels(order)


@action("buyer", "update payment method",
        en="the buyer[ of {order}] updates the payment method[ to the card ending in {card}]",
        ja="購入者が[{order}の]支払い方法を更新<する|した>[(カード末尾{card})]")
def buyer_updates_payment_method(scenario_world: ScenarioWorld, *, order: TheOrder = None,
                                 card: Card = "1111") -> None:
    """The buyer chooses a working payment method for a suspended order."""
    scenario_world.buyer.updates_payment_method(order, card)


# --- Amazon --------------------------------------------------------------------------------------


@action("amazon", "close for fraud",
        en="Amazon closes {order} as fraudulent",
        ja="Amazonが{order}を不正利用としてクローズ<する|した>")
def amazon_closes_for_fraud(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """Amazon closes the order's Charge Permission as fraudulent (Closed 4)."""
    scenario_world.amazon.closes_for_fraud(order)


@action("amazon", "decline next authorization",
        en="Amazon declines the next authorization of {order} with {reason}",
        ja="Amazonが{order}の次のオーソリを{reason}で拒否<する|した>")
def amazon_declines_next_authorization(scenario_world: ScenarioWorld, *, reason: Reason,
                                       order: TheOrder = None) -> None:
    """Amazon will decline the order's next authorization with this reason."""
    scenario_world.amazon.declines_next_authorization(order, reason)


@action("amazon", "invalidate payment method",
        en="Amazon marks the payment method of {order} as invalid",
        ja="Amazonが{order}の支払い方法を無効に<する|した>")
def amazon_invalidates_payment_method(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The buyer's payment method becomes invalid (NonChargeable)."""
    scenario_world.amazon.invalidates_payment_method(order)


@action("amazon", "expire payment method",
        en="Amazon marks the payment method of {order} as expired",
        ja="Amazonが{order}の支払い方法を期限切れに<する|した>")
def amazon_expires_payment_method(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """The buyer's payment method expires (NonChargeable)."""
    scenario_world.amazon.expires_payment_method(order)


@action("amazon", "approve pending authorization",
        en="Amazon approves the pending authorization of {order}",
        ja="Amazonが{order}の保留中のオーソリを承認<する|した>")
def amazon_resolves_pending(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """Amazon approves a pending authorization (or asynchronous capture) now."""
    scenario_world.amazon.resolves_pending(order)


@action("amazon", "decline pending authorization",
        en="Amazon declines the pending authorization of {order} with {reason}",
        ja="Amazonが{order}の保留中のオーソリを{reason}で拒否<する|した>")
def amazon_declines_pending(scenario_world: ScenarioWorld, *, reason: Reason, order: TheOrder = None) -> None:
    """Amazon declines a pending authorization now."""
    scenario_world.amazon.declines_pending(order, reason)


# --- operator (Seller Central) -------------------------------------------------------------------


@action("operator", "capture",
        en="the operator captures[ {amount} of] {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}[の{amount}]を売上請求<する|した>")
def operator_captures(scenario_world: ScenarioWorld, *, order: TheOrder = None,
                      amount: Captured = None) -> None:
    """売上請求 in the transaction view: the uncaptured Charge, or a new one."""
    scenario_world.operator.captures(order, amount)


@action("operator", "refund",
        en="the operator refunds {amount} of {order} in Seller Central[ {times} times]",
        ja="オペレーターがセラーセントラルで{order}の{amount}を返金<する|した>[({times}回)]")
def operator_refunds(scenario_world: ScenarioWorld, *, amount: Refunded, order: TheOrder = None,
                     times: Times = 1) -> None:
    """返金 in the transaction view, within the API's limits."""
    scenario_world.operator.refunds(order, amount, times)


@action("operator", "cancel",
        en="the operator cancels {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}をお支払いキャンセル<する|した>")
def operator_cancels(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """お支払いキャンセル in the transaction view: the row shows Canceled."""
    scenario_world.operator.cancels(order)


@action("operator", "close",
        en="the operator closes {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}を終了したお支払いに<する|した>")
def operator_closes(scenario_world: ScenarioWorld, *, order: TheOrder = None) -> None:
    """終了したお支払い in the transaction view: the row shows Closed."""
    scenario_world.operator.closes(order)


# --- time ----------------------------------------------------------------------------------------


@action("wait", "start at", subject="moment",
        en="it is {moment}",
        ja="{moment}<である|になる>")
def time_starts_at(scenario_world: ScenarioWorld, *,
                   moment: Annotated[datetime, Arg(MOMENT, "when the scenario starts")]) -> None:
    """The scenario starts at this moment (before anything happens; the clock only moves forward)."""
    scenario_world.time.starts_at(moment)


@action("wait", "for", subject="duration", bare=True,
        en="{duration} pass[es]",
        ja="{duration}が経過<する|した>")
def time_passes(scenario_world: ScenarioWorld, *,
                duration: Annotated[Duration, Arg(DURATION, "how long")]) -> None:
    """Simulated time passes; everything due meanwhile happens at its own time."""
    scenario_world.time.passes(duration)


@action("wait", "until",
        Say(en="it is {duration} after {anchor}[ for {order}]",
            ja="[{order}の]{anchor}から{duration}後に<なる|なった>"),
        Say(en="it is {before} before {duration} after {anchor}[ for {order}]",
            ja="[{order}の]{anchor}から{duration}後の{before}前に<なる|なった>"),
        subject="duration")
def time_reaches(scenario_world: ScenarioWorld, *,
                 duration: Annotated[Duration, Arg(DURATION, "how long after the moment (`13 months minus "
                                                             "1 second` works too)")],
                 anchor: Annotated[Anchor, Arg(ANCHOR, "the moment it is measured from", key="after")],
                 order: TheOrder = None,
                 before: Annotated[Duration | None, Arg(DURATION, "how long before that")] = None) -> None:
    """Time moves to a moment measured from the order's checkout, payment or authorization."""
    scenario_world.time.reaches(duration if before is None else duration.minus(before), anchor, order)


# --- faults: what Amazon Pay answers the shop's next calls (harness.api.faults) ---------------------

Operation = Annotated[str, Arg(OPERATION, "the operation: its SDK name or the vocabulary's word")]
Calls = Annotated[int, Arg(COUNT, "how many calls in a row (default 1)")]
AfterProcessing = Annotated[bool, Arg(FLAG, "true: Amazon Pay processes the call, only its answer is lost",
                                      key="after processing")]


@action("amazon", "time out",
        Say(en="Amazon Pay times out the next[ {times} calls of] {operation} after processing it",
            ja="Amazon Payが次の[{times}回の]{operation}を処理した後でタイムアウトさせる",
            implies={"after_processing": True}),
        Say(en="Amazon Pay times out the next[ {times} calls of] {operation}",
            ja="Amazon Payが次の[{times}回の]{operation}をタイムアウトさせる"),
        subject="operation")
def amazon_pay_times_out(scenario_world: ScenarioWorld, *, operation: Operation, times: Calls = 1,
                         after_processing: AfterProcessing = False) -> None:
    """The next calls of the operation get no answer in time (the client's read timeout)."""
    scenario_world.amazon.plans_fault(operation, FaultKind.TIMEOUT, times=times,
                                      after_processing=after_processing)


@action("amazon", "answer error",
        en="Amazon Pay answers {status} to the next[ {times} calls of] {operation}",
        ja="Amazon Payが次の[{times}回の]{operation}に{status}を返す",
        subject="operation")
def amazon_pay_answers_error(scenario_world: ScenarioWorld, *, operation: Operation,
                             status: Annotated[FaultKind, Arg(FAULT_STATUS, "429, 500 or 503 (or its "
                                                                            "reason code)")],
                             times: Calls = 1) -> None:
    """The next calls of the operation are answered with Amazon's error of that status (§4.2)."""
    scenario_world.amazon.plans_fault(operation, status, times=times)


@action("amazon", "throttle",
        Say(en="Amazon Pay throttles the next {times} calls[ of {operation}]",
            ja="Amazon Payが次の{times}回の[{operation}の]呼び出しをスロットリングする"),
        Say(en="Amazon Pay throttles the next {operation}",
            ja="Amazon Payが次の{operation}をスロットリングする"),
        Say(en="Amazon Pay throttles the next call", ja="Amazon Payが次の呼び出しをスロットリングする"),
        subject="operation")
def amazon_pay_throttles(scenario_world: ScenarioWorld, *,
                         operation: Annotated[str, Arg(OPERATION, "the operation (default: any call)")]
                         = ANY_OPERATION, times: Calls = 1) -> None:
    """The next calls (of the operation, or of any) are answered 429 TooManyRequests."""
    scenario_world.amazon.plans_fault(operation, FaultKind.TOO_MANY_REQUESTS, times=times)


@action("amazon", "drop connection",
        Say(en="the connection drops after Amazon Pay processes the next[ {times} calls of] {operation}",
            ja="Amazon Payが次の[{times}回の]{operation}を処理した後に接続が切れる",
            implies={"after_processing": True}),
        Say(en="the connection drops after the charge is created", ja="請求が作成された後に接続が切れる",
            implies={"after_processing": True, "operation": "createCharge"}),
        Say(en="the connection drops during the next[ {times} calls of] {operation}",
            ja="次の[{times}回の]{operation}の途中で接続が切れる"),
        subject="operation")
def connection_drops(scenario_world: ScenarioWorld, *, operation: Operation, times: Calls = 1,
                     after_processing: AfterProcessing = False) -> None:
    """The connection closes without an answer, before or after Amazon Pay processed the call."""
    scenario_world.amazon.plans_fault(operation, FaultKind.DROP, times=times,
                                      after_processing=after_processing)


# --- the monthly limit of a Recurring Charge Permission (docs/reference/amazon-pay-v2.md §2.6) -------


@action("wait", "next month",
        Say(en="it is {before} before the next month begins",
            ja="翌月1日(日本時間)の{before}前に<なる|なった>"),
        Say(en="the next month begins", ja="翌月1日(日本時間)に<なる|なった>"))
def time_reaches_next_month(scenario_world: ScenarioWorld, *,
                            before: Annotated[Duration | None, Arg(DURATION, "how long before")] = None
                            ) -> None:
    """Time moves to 00:00:00 Japan time on the 1st of the next month, when monthly limits reset."""
    scenario_world.time.reaches_next_month(before)


# --- reports (issue 15) --------------------------------------------------------------------------


@action("merchant", "download settlement report", subject="month",
        en="the merchant downloads the settlement report for {month}",
        ja="加盟店が{month}の決済レポートをダウンロード<する|した>")
def merchant_downloads_settlement_report(
        scenario_world: ScenarioWorld, *,
        month: Annotated[Month, Arg(MONTH, "the month it covers, in JST (no year: the latest begun)")],
) -> None:
    """The merchant requests a past month's Sandbox settlement report and downloads it once it is ready."""
    scenario_world.merchant.downloads_settlement_report(month)


# --- notifications (IPN) -------------------------------------------------------------------------


@action("merchant", "notification endpoint down",
        en="the shop's notification endpoint is down",
        ja="加盟店の通知エンドポイントが停止<している|する|した>")
def notification_endpoint_down(scenario_world: ScenarioWorld) -> None:
    """The shop's IPN endpoint stops answering: deliveries fail and are retried hourly (D-IPN-RETRIES)."""
    scenario_world.notifications.endpoint_down(True)


@action("merchant", "notification endpoint up",
        en="the shop's notification endpoint is back up",
        ja="加盟店の通知エンドポイントが復旧<する|した|している>")
def notification_endpoint_up(scenario_world: ScenarioWorld) -> None:
    """The shop's IPN endpoint answers again; the next retry reaches it."""
    scenario_world.notifications.endpoint_down(False)


@action("amazon", "deliver notifications twice",
        en="Amazon Pay delivers notifications twice",
        ja="Amazon Payが通知を2回ずつ配信<する|した>")
def notifications_twice(scenario_world: ScenarioWorld) -> None:
    """From now on every notification arrives twice, with the same MessageId (a duplicate delivery)."""
    scenario_world.notifications.duplicate()


@action("amazon", "deliver notifications out of order",
        en="Amazon Pay delivers notifications out of order",
        ja="Amazon Payが通知を順不同で配信<する|した>")
def notifications_out_of_order(scenario_world: ScenarioWorld) -> None:
    """From now on the notifications due at the same time arrive newest first."""
    scenario_world.notifications.out_of_order()


# --- the button: the standard flow (issue 13) ----------------------------------------------------

Subtotal = Annotated[Money, Arg(AMOUNT, "the order's amount before the shop adds shipping")]
Prefecture = Annotated[str, Arg(PREFECTURE, "the shipping address's stateOrRegion")]


@action("buyer", "click button",
        en="the buyer clicks Amazon Pay's button for {order} of {amount}[ with {options}]",
        ja="購入者が{order}の{amount}でAmazon Payボタンをクリック<する|した>[({options})]")
def buyer_clicks_button(scenario_world: ScenarioWorld, *, amount: Subtotal, order: NewOrder = None,
                        options: CheckoutOptions = None) -> None:
    """The shop renders the signed button, the buyer clicks and signs in, the review page adds shipping.

    Amazon creates the Checkout Session from the button's payload; the shop's review page reads the
    shipping address, adds shipping and updates the session with the amount and its result page.
    """
    scenario_world.buyer.clicks_button(order, checkout_request(amount, options))


@action("buyer", "address in", subject="prefecture",
        en="the buyer's shipping address is in {prefecture}",
        ja="購入者の配送先が{prefecture}<である|だ>")
def buyer_lives_in(scenario_world: ScenarioWorld, *, prefecture: Prefecture) -> None:
    """The buyer's shipping address (Get Checkout Session's stateOrRegion) is in that prefecture."""
    scenario_world.buyer.lives_in(prefecture)


# --- explore: lost answers (docs/explore.md) ----------------------------------------------------


@action("amazon", "lose next capture answer",
        en="Amazon's answer to the merchant's next capture is lost",
        ja="加盟店の次の売上請求へのAmazonの応答が失われ<る|た>")
def amazon_loses_next_capture_answer(scenario_world: ScenarioWorld) -> None:
    """Amazon does the merchant's next Capture Charge and Create Charge, but their answers are lost."""
    scenario_world.amazon.loses_next_capture_answer()
