"""THE table of YAML actions: each key, the `ScenarioWorld` method it calls, its arguments and parsers.

One entry per action drives everything else: the reader (`reader.py`), the JSON Schema
(`schema.py`), the YAML <-> Gherkin converter (`gherkin.py`, through the names of the step
functions of `harness.steps` each action is written as) and the reference docs (`docs.py`).

A step is one item `actor: action` or `actor: {action: subject, argument: value, ...}`:

    - buyer: {checkout: order A, amount: 5,000 JPY, intent: Authorize}
    - buyer: drop off
    - wait: 24 hours
    - expect: {status: Canceled, order: order A}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.merchant.adapter import CheckoutRequest
from harness.scenario.parsing import ObjectKind
from harness.scenario.world import ScenarioWorld
from harness.scenario.yaml.values import (
    AMOUNT,
    AMOUNTS,
    ANCHOR,
    CARD,
    COUNT,
    DURATION,
    ERROR_CODE,
    FLAG,
    INTENT,
    MERCHANT_STATUS,
    ORDER,
    REASON,
    STATUS,
    ValueKind,
    api_state,
)

__all__ = ["ACTIONS", "ACTORS", "Action", "Argument", "Phrase", "action", "actions_of"]


@dataclass(frozen=True)
class Phrase:
    """How a checkout option is written inside a Gherkin step's `{options}`, with `{}` for the value."""

    en: str
    ja: str


@dataclass(frozen=True)
class Argument:
    """One argument of an action: its YAML key, its kind of value, and where the value goes."""

    key: str
    kind: ValueKind
    param: str
    """The keyword of the `ScenarioWorld` method (or of `CheckoutRequest`) the value is passed as."""
    placeholder: str | None
    """The `{placeholder}` of the Gherkin step it is written into (`options` for checkout options)."""
    doc: str
    required: bool = False
    passes_none: bool = False
    """Pass None when absent (the method requires the parameter; None means its default, "the order")."""
    phrase: Phrase | None = None
    """For checkout options: the option's words inside `{options}`."""
    selects_step: str | None = None
    """For a flag with no placeholder: the Gherkin step that says it (e.g. "... without a reason")."""


@dataclass(frozen=True)
class Action:
    """One action or expectation of the vocabulary."""

    actor: str
    key: str
    doc: str
    method: Callable[[ScenarioWorld], Callable[..., object]]
    steps: tuple[str, ...]
    """The `harness.steps` functions that say the same in Gherkin, the first preferred."""
    subject: Argument | None = None
    """The value of the action's own key (`pay: order A`); None when the action takes no value."""
    arguments: tuple[Argument, ...] = ()
    build: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Turns the read values into the method's keywords when they are not passed one to one."""
    fixed: Mapping[str, Any] = field(default_factory=dict)
    """Keywords the action always passes (`kind` for the API-object expectations)."""
    fixed_text: Mapping[str, str] = field(default_factory=dict)
    """Gherkin placeholders the action always writes (`{kind}` -> `Charge Permission`)."""
    exclusive: tuple[tuple[str, str], ...] = ()
    """Pairs of argument keys that cannot be given together."""

    @property
    def all_arguments(self) -> tuple[Argument, ...]:
        """The subject (if any) and the other arguments."""
        return ((self.subject,) if self.subject else ()) + self.arguments

    def argument(self, key: str) -> Argument:
        """The argument with YAML key `key`."""
        for argument in self.all_arguments:
            if argument.key == key:
                return argument
        raise KeyError(key)

    def keywords(self, values: dict[str, Any]) -> dict[str, Any]:
        """The keywords to call the world method with, from the read values (by `param`)."""
        built = self.build(dict(values)) if self.build else dict(values)
        return {**built, **self.fixed}

    def run(self, world: ScenarioWorld, values: dict[str, Any]) -> None:
        """Perform the action on `world` with the read values."""
        self.method(world)(**self.keywords(values))


# --- arguments used by many actions ------------------------------------------------------------

def _order(doc: str = "the order it acts on; absent: the current order") -> Argument:
    return Argument("order", ORDER, "name", "order", doc, passes_none=True)


def _amount(doc: str, *, required: bool = True) -> Argument:
    return Argument("amount", AMOUNT, "amount", "amount", doc, required=required)


_TIMES = Argument("times", COUNT, "times", "count", "how many times (default 1)")
_CARD = Argument("card", CARD, "card", "card", "the sandbox test card's last four digits (default 1111)")
_REASON = Argument("reason", REASON, "reason", "reason", "the decline's reason code", required=True)

_CHECKOUT_OPTIONS: tuple[Argument, ...] = (
    Argument("intent", INTENT, "intent", "options", "the payment intent (default Authorize)",
             phrase=Phrase("payment intent {}", "支払いインテント{}")),
    Argument("total order amount", AMOUNT, "total_order_amount", "options", "paymentDetails.totalOrderAmount",
             phrase=Phrase("a total order amount of {}", "注文合計{}")),
    Argument("allow overcharge", FLAG, "allow_overcharge", "options", "allowOvercharge (default false)",
             phrase=Phrase("allowOvercharge", "超過請求許可")),
    Argument("extend expiration", FLAG, "extend_expiration", "options", "extendExpiration (default false)",
             phrase=Phrase("extendExpiration", "有効期限延長")),
    Argument("recurring", FLAG, "recurring", "options", "a Recurring checkout (default false)",
             phrase=Phrase("recurring", "定期購入")),
    Argument("can handle pending authorization", FLAG, "can_handle_pending_authorization", "options",
             "canHandlePendingAuthorization (default false)",
             phrase=Phrase("canHandlePendingAuthorization", "保留オーソリ対応")),
)


def _checkout_request(values: dict[str, Any]) -> dict[str, Any]:
    name = values.pop("name")
    return {"name": name, "request": CheckoutRequest(**values)}


def _checkout(actor: str, key: str, doc: str, method: Callable[[ScenarioWorld], Callable[..., object]],
              step: str) -> Action:
    return Action(actor, key, doc, method, (step,), _order("the new order's name; absent: 'the order'"),
                  (_amount("the amount the buyer pays (chargeAmount)"), *_CHECKOUT_OPTIONS),
                  build=_checkout_request)


def _on_order(actor: str, key: str, doc: str, method: Callable[[ScenarioWorld], Callable[..., object]],
              step: str, *arguments: Argument) -> Action:
    """An action whose own value is the order it acts on."""
    return Action(actor, key, doc, method, (step,), _order(), arguments)


def _api_state(kind: ObjectKind) -> Action:
    return Action(
        "expect", kind.value.lower(), f"the order's {kind} (the latest one) is in this state",
        lambda world: world.expect.api_state, ("api_state", "api_state_without_reason"),
        Argument("state", api_state(kind), "state", "state", f"the {kind}'s statusDetails.state",
                 required=True),
        (_order(), Argument("reason", REASON, "reason", "reason", "its reasonCode (not checked if absent)"),
         Argument("no reason", FLAG, "no_reason", None, "true: it has no reasonCode",
                  selects_step="api_state_without_reason")),
        fixed={"kind": kind}, fixed_text={"kind": kind.value}, exclusive=(("reason", "no reason"),))


def _amounts(values: dict[str, Any]) -> dict[str, Any]:
    return {"name": values["name"], **values["amounts"]}


ACTIONS: tuple[Action, ...] = (
    # --- the merchant (through its adapter, over HTTP) ---
    _checkout("merchant", "start checkout", "the merchant creates a Checkout Session for a new order",
              lambda world: world.merchant.starts_checkout, "merchant_starts_checkout"),
    _on_order("merchant", "capture", "the merchant captures the order (in full unless an amount is given)",
              lambda world: world.merchant.captures, "merchant_captures",
              _amount("the amount to capture (default: all of it)", required=False)),
    _on_order("merchant", "charge", "the merchant authorizes a further charge on the order's permission",
              lambda world: world.merchant.charges, "merchant_charges", _amount("the amount to charge")),
    _on_order("merchant", "refund", "the merchant refunds part of the order",
              lambda world: world.merchant.refunds, "merchant_refunds", _amount("the amount to refund"),
              _TIMES),
    _on_order("merchant", "cancel authorization", "the merchant cancels the order's authorization",
              lambda world: world.merchant.cancels, "merchant_cancels"),
    _on_order("merchant", "close", "the merchant closes the order's Charge Permission",
              lambda world: world.merchant.closes, "merchant_closes"),
    Action("merchant", "reconcile", "the merchant's reconciliation job runs over all its orders",
           lambda world: world.merchant.reconciles, ("merchant_reconciles",)),
    # --- the buyer ---
    _checkout("buyer", "checkout", "the whole happy path: the merchant starts the checkout, the buyer pays "
              "and returns", lambda world: world.buyer.checks_out, "buyer_checked_out"),
    _on_order("buyer", "pay", "the buyer signs in and pays on Amazon's page",
              lambda world: world.buyer.pays, "buyer_pays", _CARD),
    _on_order("buyer", "drop off", "the buyer leaves after paying, before returning to the shop",
              lambda world: world.buyer.drops_off, "buyer_drops_off"),
    _on_order("buyer", "return", "the buyer comes back to the shop, which completes the checkout",
              lambda world: world.buyer.returns, "buyer_returns"),
    _on_order("buyer", "cancel", "the buyer cancels on Amazon's page instead of paying",
              lambda world: world.buyer.cancels, "buyer_cancels"),
    _on_order("buyer", "update payment method", "the buyer chooses a working payment method",
              lambda world: world.buyer.updates_payment_method, "buyer_updates_payment_method", _CARD),
    # --- Amazon ---
    _on_order("amazon", "close for fraud", "Amazon closes the order's Charge Permission as fraudulent",
              lambda world: world.amazon.closes_for_fraud, "amazon_closes_for_fraud"),
    _on_order("amazon", "decline next authorization", "Amazon declines the order's next authorization",
              lambda world: world.amazon.declines_next_authorization, "amazon_declines_next_authorization",
              _REASON),
    _on_order("amazon", "invalidate payment method", "the buyer's payment method becomes invalid",
              lambda world: world.amazon.invalidates_payment_method, "amazon_invalidates_payment_method"),
    _on_order("amazon", "expire payment method", "the buyer's payment method expires",
              lambda world: world.amazon.expires_payment_method, "amazon_expires_payment_method"),
    _on_order("amazon", "approve pending authorization", "Amazon lets the pending authorization succeed now",
              lambda world: world.amazon.resolves_pending, "amazon_resolves_pending"),
    _on_order("amazon", "decline pending authorization", "Amazon declines the pending authorization now",
              lambda world: world.amazon.declines_pending, "amazon_declines_pending", _REASON),
    # --- the operator, in Seller Central ---
    _on_order("operator", "capture", "売上請求: capture the order in Seller Central",
              lambda world: world.operator.captures, "operator_captures",
              _amount("the amount to capture (default: all of it)", required=False)),
    _on_order("operator", "refund", "返金: refund part of the order in Seller Central",
              lambda world: world.operator.refunds, "operator_refunds", _amount("the amount to refund"),
              _TIMES),
    _on_order("operator", "cancel", "お支払いキャンセル: cancel the order in Seller Central",
              lambda world: world.operator.cancels, "operator_cancels"),
    _on_order("operator", "close", "終了したお支払い: close the order in Seller Central",
              lambda world: world.operator.closes, "operator_closes"),
    # --- time ---
    Action("wait", "for", "simulated time passes; `wait: 24 hours` is short for `wait: {for: 24 hours}`",
           lambda world: world.time.passes, ("time_passes",),
           Argument("for", DURATION, "duration", "duration", "how long", required=True)),
    Action("wait", "until", "time moves to a moment measured from the order's history",
           lambda world: world.time.reaches, ("time_reaches",),
           Argument("until", DURATION, "duration", "duration", "how long after the moment", required=True),
           (Argument("after", ANCHOR, "anchor", "anchor", "the moment it is measured from", required=True),
            _order())),
    # --- expectations ---
    Action("expect", "status", "Seller Central shows the order's row (or, for Recurring, the row of one of "
           "its charges) with this status", lambda world: world.expect.status,
           ("seller_central_status", "seller_central_charge_status"),
           Argument("status", STATUS, "status", "status", "Open, Closed, Canceled or Suspended",
                    required=True),
           (_order(), Argument("charge number", COUNT, "charge_number", "count",
                               "Recurring: the row of the order's charge with this number (1 = first)"))),
    _on_order("expect", "no transaction", "Seller Central has no row for the order",
              lambda world: world.expect.no_transaction, "seller_central_no_transaction"),
    Action("expect", "amounts", "the order's row shows these amounts", lambda world: world.expect.amounts,
           ("seller_central_amounts",),
           Argument("amounts", AMOUNTS, "amounts", "amounts", "authorized / captured / refunded",
                    required=True),
           (_order(),), build=_amounts),
    _on_order("expect", "reference id is permission", "OneTime: the order is one row, identified by its "
              "chargePermissionId", lambda world: world.expect.reference_id_is_permission,
              "reference_id_is_permission"),
    Action("expect", "reference ids are charges", "Recurring: this many rows for the order, one per chargeId",
           lambda world: world.expect.reference_ids_are_charges, ("reference_ids_are_charges",),
           Argument("reference ids are charges", COUNT, "count", "count", "how many rows", required=True),
           (_order(),)),
    Action("expect", "charges", "Amazon Pay holds this many Charges for the order",
           lambda world: world.expect.charge_count, ("charge_count",),
           Argument("charges", COUNT, "count", "count", "how many Charges", required=True), (_order(),)),
    Action("expect", "refused", "Seller Central refused an operator action with this reasonCode",
           lambda world: world.expect.refused, ("seller_central_refuses",),
           Argument("refused", ERROR_CODE, "reason_code", "error", "the reasonCode", required=True)),
    *(_api_state(kind) for kind in ObjectKind),
    Action("expect", "merchant received", "the merchant received an error with this reasonCode",
           lambda world: world.expect.merchant_received, ("merchant_received",),
           Argument("merchant received", ERROR_CODE, "reason_code", "error", "the reasonCode", required=True),
           (_order(),)),
    _on_order("expect", "merchant received no error", "the merchant received no error for the order",
              lambda world: world.expect.merchant_received_no_error, "merchant_received_no_error"),
    Action("expect", "merchant record", "the merchant's own record of the order has this status",
           lambda world: world.expect.merchant_record, ("merchant_record",),
           Argument("merchant record", MERCHANT_STATUS, "status", "merchant_status", "the record's status",
                    required=True), (_order(),)),
    _on_order("expect", "merchant record matches", "the merchant's record holds Amazon's ids for the order",
              lambda world: world.expect.merchant_record_matches, "merchant_record_matches"),
)
"""Every action and expectation, in the order the docs list them."""

ACTORS: Mapping[str, str] = {
    "buyer": "the buyer, on Amazon's page",
    "merchant": "the shop's integration (the merchant adapter), calling Amazon Pay over HTTP",
    "amazon": "what Amazon decides on its own",
    "operator": "the merchant's staff, in Seller Central's transaction view",
    "wait": "simulated time",
    "expect": "what Seller Central, the API and the merchant's records must show",
}
"""The step keys, with what each stands for."""

DEFAULT_ACTION: Mapping[str, str] = {"wait": "for"}
"""Actors whose bare value is the subject of an action (`wait: 24 hours`), not an action's name."""


def actions_of(actor: str) -> dict[str, Action]:
    """The actions of one actor, by key."""
    return {entry.key: entry for entry in ACTIONS if entry.actor == actor}


def action(actor: str, key: str) -> Action:
    """One action."""
    return actions_of(actor)[key]
