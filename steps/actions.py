"""Given/When steps: what the buyer, the merchant, Amazon, the operator and time do.

Each step is defined once with its English and Japanese text; it only hands the parsed values to
the scenario's `ScenarioWorld` (fixture `scenario_world`).
"""

from __future__ import annotations

from harness.amazon_pay.states import ReasonCode
from harness.bdd.grammar import action
from harness.money import Money
from harness.scenario.parsing import Anchor, Duration
from harness.scenario.phrases import parse_checkout_options
from harness.scenario.world import ScenarioWorld

# --- merchant ------------------------------------------------------------------------------------


@action(en="the merchant starts a checkout for {order} of {amount}[ with {options}]",
        ja="加盟店が{order}の決済を{amount}で開始<する|した>[({options})]")
def merchant_starts_checkout(scenario_world: ScenarioWorld, order: str | None, amount: Money,
                             options: str | None = None) -> None:
    """The shop creates the Checkout Session for a new order (options: intent, flags, total)."""
    scenario_world.merchant.starts_checkout(order, parse_checkout_options(options, amount))


@action(en="the buyer checked out {order} of {amount}[ with {options}]",
        ja="購入者が{order}の{amount}の決済を完了<する|した|している>[({options})]")
def buyer_checked_out(scenario_world: ScenarioWorld, order: str | None, amount: Money,
                      options: str | None = None) -> None:
    """The happy path at once: the shop starts the checkout, the buyer pays and comes back."""
    scenario_world.buyer.checks_out(order, parse_checkout_options(options, amount))


@action(en="the merchant captures[ {amount} of] {order}",
        ja="加盟店が{order}[の{amount}]を売上請求<する|した>")
def merchant_captures(scenario_world: ScenarioWorld, order: str | None, amount: Money | None = None) -> None:
    """The shop captures the order (all of it unless an amount is given)."""
    scenario_world.merchant.captures(order, amount)


@action(en="the merchant charges {amount} on {order}",
        ja="加盟店が{order}に{amount}を追加で請求<する|した>")
def merchant_charges(scenario_world: ScenarioWorld, order: str | None, amount: Money) -> None:
    """The shop authorizes a further charge on the order's Charge Permission (Create Charge)."""
    scenario_world.merchant.charges(order, amount)


@action(en="the merchant refunds {amount} of {order}[ {count} times]",
        ja="加盟店が{order}の{amount}を返金<する|した>[({count}回)]")
def merchant_refunds(scenario_world: ScenarioWorld, order: str | None, amount: Money, count: int = 1) -> None:
    """The shop refunds an amount of the order's charge, once or several times."""
    scenario_world.merchant.refunds(order, amount, count)


@action(en="the merchant cancels the authorization of {order}",
        ja="加盟店が{order}のオーソリをキャンセル<する|した>")
def merchant_cancels(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The shop releases the order's authorization (Cancel Charge)."""
    scenario_world.merchant.cancels(order)


@action(en="the merchant closes {order}",
        ja="加盟店が{order}をクローズ<する|した>")
def merchant_closes(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The shop closes the order's Charge Permission (Close Charge Permission)."""
    scenario_world.merchant.closes(order)


@action(en="the merchant's reconciliation job runs",
        ja="加盟店の突合バッチが実行<される|された>")
def merchant_reconciles(scenario_world: ScenarioWorld) -> None:
    """The shop's reconciliation job catches up with Amazon for every order."""
    scenario_world.merchant.reconciles()


# --- buyer ---------------------------------------------------------------------------------------


@action(en="the buyer[ of {order}] pays[ with the card ending in {card}]",
        ja="購入者が[{order}を]Amazonで支払<う|った>[(カード末尾{card})]")
def buyer_pays(scenario_world: ScenarioWorld, order: str | None = None, card: str = "1111") -> None:
    """The buyer signs in and pays on Amazon's page with a sandbox test card (default 1111)."""
    scenario_world.buyer.pays(order, card)


@action(en="the buyer[ of {order}] drops off before returning to the shop",
        ja="購入者が[{order}の支払い後、]加盟店に戻る前に離脱<する|した>")
def buyer_drops_off(scenario_world: ScenarioWorld, order: str | None = None) -> None:
    """The buyer leaves after paying and never reaches checkoutResultReturnUrl (Open 2)."""
    scenario_world.buyer.drops_off(order)


@action(en="the buyer[ of {order}] returns to the shop",
        ja="購入者が[{order}の支払い後、]加盟店に戻<る|った>")
def buyer_returns(scenario_world: ScenarioWorld, order: str | None = None) -> None:
    """The buyer comes back to checkoutResultReturnUrl; the shop completes the checkout."""
    scenario_world.buyer.returns(order)


@action(en="the buyer[ of {order}] cancels on Amazon's page",
        ja="購入者が[{order}を]Amazonの画面でキャンセル<する|した>")
def buyer_cancels(scenario_world: ScenarioWorld, order: str | None = None) -> None:
    """The buyer cancels on Amazon's page instead of paying."""
    scenario_world.buyer.cancels(order)


@action(en="the buyer[ of {order}] updates the payment method[ to the card ending in {card}]",
        ja="購入者が[{order}の]支払い方法を更新<する|した>[(カード末尾{card})]")
def buyer_updates_payment_method(scenario_world: ScenarioWorld, order: str | None = None,
                                 card: str = "1111") -> None:
    """The buyer chooses a working payment method for a suspended order."""
    scenario_world.buyer.updates_payment_method(order, card)


# --- Amazon --------------------------------------------------------------------------------------


@action(en="Amazon closes {order} as fraudulent",
        ja="Amazonが{order}を不正利用としてクローズ<する|した>")
def amazon_closes_for_fraud(scenario_world: ScenarioWorld, order: str | None) -> None:
    """Amazon closes the Charge Permission as fraudulent (Closed 4)."""
    scenario_world.amazon.closes_for_fraud(order)


@action(en="Amazon declines the next authorization of {order} with {reason}",
        ja="Amazonが{order}の次のオーソリを{reason}で拒否<する|した>")
def amazon_declines_next_authorization(scenario_world: ScenarioWorld, order: str | None,
                                       reason: ReasonCode) -> None:
    """Amazon will decline the order's next authorization with a §2.3 reason."""
    scenario_world.amazon.declines_next_authorization(order, reason)


@action(en="Amazon marks the payment method of {order} as invalid",
        ja="Amazonが{order}の支払い方法を無効に<する|した>")
def amazon_invalidates_payment_method(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The buyer's payment method becomes invalid (NonChargeable)."""
    scenario_world.amazon.invalidates_payment_method(order)


@action(en="Amazon marks the payment method of {order} as expired",
        ja="Amazonが{order}の支払い方法を期限切れに<する|した>")
def amazon_expires_payment_method(scenario_world: ScenarioWorld, order: str | None) -> None:
    """The buyer's payment method expires (NonChargeable)."""
    scenario_world.amazon.expires_payment_method(order)


@action(en="Amazon approves the pending authorization of {order}",
        ja="Amazonが{order}の保留中のオーソリを承認<する|した>")
def amazon_resolves_pending(scenario_world: ScenarioWorld, order: str | None) -> None:
    """Amazon approves a pending authorization (or asynchronous capture) now."""
    scenario_world.amazon.resolves_pending(order)


@action(en="Amazon declines the pending authorization of {order} with {reason}",
        ja="Amazonが{order}の保留中のオーソリを{reason}で拒否<する|した>")
def amazon_declines_pending(scenario_world: ScenarioWorld, order: str | None, reason: ReasonCode) -> None:
    """Amazon declines a pending authorization now."""
    scenario_world.amazon.declines_pending(order, reason)


# --- operator (Seller Central) -------------------------------------------------------------------


@action(en="the operator captures[ {amount} of] {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}[の{amount}]を売上請求<する|した>")
def operator_captures(scenario_world: ScenarioWorld, order: str | None, amount: Money | None = None) -> None:
    """売上請求 in the transaction view: the uncaptured Charge, or a new one."""
    scenario_world.operator.captures(order, amount)


@action(en="the operator refunds {amount} of {order} in Seller Central[ {count} times]",
        ja="オペレーターがセラーセントラルで{order}の{amount}を返金<する|した>[({count}回)]")
def operator_refunds(scenario_world: ScenarioWorld, order: str | None, amount: Money, count: int = 1) -> None:
    """返金 in the transaction view, within the API's limits."""
    scenario_world.operator.refunds(order, amount, count)


@action(en="the operator cancels {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}をお支払いキャンセル<する|した>")
def operator_cancels(scenario_world: ScenarioWorld, order: str | None) -> None:
    """お支払いキャンセル in the transaction view: the row shows Canceled."""
    scenario_world.operator.cancels(order)


@action(en="the operator closes {order} in Seller Central",
        ja="オペレーターがセラーセントラルで{order}を終了したお支払いに<する|した>")
def operator_closes(scenario_world: ScenarioWorld, order: str | None) -> None:
    """終了したお支払い in the transaction view: the row shows Closed."""
    scenario_world.operator.closes(order)


# --- time ----------------------------------------------------------------------------------------


@action(en="{duration} pass[es]",
        ja="{duration}が経過<する|した>")
def time_passes(scenario_world: ScenarioWorld, duration: Duration) -> None:
    """Simulated time passes; everything due meanwhile happens at its own time."""
    scenario_world.time.passes(duration)


@action(en="it is {duration} after {anchor}[ for {order}]",
        ja="[{order}の]{anchor}から{duration}後に<なる|なった>")
def time_reaches(scenario_world: ScenarioWorld, duration: Duration, anchor: Anchor,
                 order: str | None = None) -> None:
    """Time moves to a moment measured from the order's checkout, payment or authorization."""
    scenario_world.time.reaches(duration, anchor, order)
