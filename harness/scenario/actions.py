"""What each actor of a scenario can do: buyer, merchant, Amazon, the Seller Central operator, time.

Every action goes to the simulator's actors, to the merchant adapter (which calls the API over
HTTP), or to Seller Central, and is written to the scenario's timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.amazon_pay.errors import AmazonPayError, SimulationError
from harness.amazon_pay.flat_files import FlatFileError, SettlementReport, read_settlement_report
from harness.amazon_pay.objects import Charge
from harness.amazon_pay.permissions import next_month_start
from harness.amazon_pay.reports import ProcessingStatus, ReportType
from harness.amazon_pay.states import ChargeState, ReasonCode
from harness.api.checkout_button import ButtonRefusedError
from harness.api.exchanges import Exchange
from harness.api.faults import FaultKind
from harness.clock import ClockError
from harness.ids import Environment
from harness.merchant.adapter import (
    ButtonCheckout,
    ButtonConfig,
    CheckoutRequest,
    MerchantAdapter,
    MerchantOrder,
    ReportingMerchant,
    reporting,
)
from harness.money import Money
from harness.scenario.calls import calls_since, repeated_keys
from harness.scenario.faults import plan_fault
from harness.scenario.months import Month
from harness.scenario.orders import ScenarioOrder
from harness.scenario.parsing import Anchor, Duration
from harness.scenario.timeline import format_moment

if TYPE_CHECKING:
    from harness.scenario.world import ScenarioWorld

__all__: list[str] = []


@dataclass(frozen=True)
class MerchantCall:
    """One action of the merchant (as the timeline says it) and the API exchanges it made meanwhile."""

    text: str
    exchanges: tuple[Exchange, ...]


@dataclass(frozen=True)
class DownloadedReport:
    """A settlement report the merchant downloaded in the scenario: which one, and its rows."""

    what: str
    """`the settlement report for January 2026`."""
    report: SettlementReport


@dataclass
class Refusal:
    """An operator action Seller Central refused, and whether a step expected it."""

    action: str
    reason_code: str
    message: str
    expected: bool = False


def describe_request(request: CheckoutRequest) -> str:
    """`¥5,000, Authorize, allowOvercharge` – what a checkout asks for, for the timeline."""
    parts = [str(request.amount), request.intent.value]
    if request.total_order_amount is not None:
        parts.append(f"totalOrderAmount {request.total_order_amount}")
    flags = {"allowOvercharge": request.allow_overcharge, "extendExpiration": request.extend_expiration,
             "Recurring": request.recurring,
             "canHandlePendingAuthorization": request.can_handle_pending_authorization}
    return ", ".join(parts + [name for name, on in flags.items() if on])


class _Actor:
    def __init__(self, world: ScenarioWorld) -> None:
        self._world = world

    def _order(self, name: str | None) -> ScenarioOrder:
        with self._world.acting(self._name):
            return self._world.orders.get(name)

    @property
    def _name(self) -> str:
        return type(self).__name__.removesuffix("Actions").lower()


class MerchantActions(_Actor):
    """The merchant's integration, driven through its adapter."""

    def __init__(self, world: ScenarioWorld, adapter: MerchantAdapter) -> None:
        super().__init__(world)
        self.adapter = adapter
        self.calls: list[MerchantCall] = []
        """Every action taken, oldest first, with its exchanges (for the invariants of harness.explore)."""
        self._held: dict[str, MerchantOrder | None] | None = None

    def starts_checkout(self, name: str | None, request: CheckoutRequest) -> ScenarioOrder:
        """Start a checkout for a new order; it becomes "the order".

        In the button flow (`ScenarioWorld.button_flow`) that is the button's whole first half:
        the shop renders it, the buyer clicks and signs in, the shop's review page updates the session.
        """
        if self._world.button_flow:
            return self._world.buyer.clicks_button(name, request)
        with self._world.acting("merchant"):
            order = self._world.orders.start(name, request)
        with self._acting([order], f"starts a checkout for {order.label} ({describe_request(request)})"):
            order.checkout_session_id = self.adapter.start_checkout(order.merchant_order_id, request)
        if order.checkout_session_id is not None:
            self._world.timeline.note("merchant", f"got Checkout Session {order.checkout_session_id} "
                                                  f"for {order.label}")
        else:
            order.refused = "; ".join(map(str, self._received(order)[0])) or None
        return order

    def renders_button(self, name: str | None,
                       request: CheckoutRequest) -> tuple[ScenarioOrder, ButtonConfig]:
        """The shop's cart page for a new order: the signed config of Amazon Pay's button."""
        adapter = self._button_adapter()
        with self._world.acting("merchant"):
            order = self._world.orders.start(name, request)
        with self._acting([order], f"renders Amazon Pay's button for {order.label} "
                                   f"({describe_request(request)})"):
            config = adapter.render_button(order.merchant_order_id, request)
        algorithm = config.algorithm or "no algorithm: AMZN-PAY-RSASSA-PSS"
        self._world.timeline.note("merchant", f"signed the button's payload with {config.public_key_id} "
                                              f"({algorithm})")
        return order, config

    def handles_review(self, order: ScenarioOrder, review_url: str) -> str | None:
        """The buyer arrived at checkoutReviewReturnUrl: the shop updates the session and sends the
        buyer to amazonPayRedirectUrl (None: Amazon refused the shop, the error is on its order)."""
        with self._acting([order], f"shows the review page of {order.label}: {review_url}"):
            redirect = self._button_adapter().handle_review(review_url)
        if redirect is None:
            order.refused = "; ".join(map(str, self._received(order)[0])) or "no amazonPayRedirectUrl"
        else:
            self._world.timeline.note("merchant", f"sends the buyer to {redirect}")
        return redirect

    def _button_adapter(self) -> ButtonCheckout:
        if not isinstance(self.adapter, ButtonCheckout):
            with self._world.acting("merchant"):
                raise SimulationError(f"the merchant adapter {type(self.adapter).__name__} has no Amazon Pay "
                                      "button: implement render_button and handle_review "
                                      "(docs/merchant-adapter.md, 'The button')")
        return self.adapter

    def handles_return(self, order: ScenarioOrder, return_url: str) -> None:
        """The buyer arrived at checkoutResultReturnUrl: the merchant completes the checkout."""
        with self._acting([order], f"handles the buyer's return for {order.label}: {return_url}"):
            self.adapter.handle_return(return_url)

    def captures(self, name: str | None, amount: Money | None = None) -> None:
        """Capture the order (in full unless `amount` is given).

        "In full" is the whole authorized amount of the order's open charge (the adapter contract);
        an adapter that captures less fails the scenario with both amounts.
        """
        order = self._order(name)
        open_charge = self._open_charge(order)
        whole = order.request.amount if open_charge is None else open_charge.charge_amount
        what = str(amount) if amount is not None else f"all ({whole})"
        with self._acting([order], f"captures {what} of {order.label}"):
            self.adapter.capture(order.merchant_order_id, amount)
        if amount is None and open_charge is not None and open_charge.capture_amount is not None \
                and open_charge.capture_amount != open_charge.charge_amount:
            self._world.fail(f"the merchant was asked to capture all of {order.label}, but captured "
                             f"{open_charge.capture_amount} of the {open_charge.charge_amount} authorized "
                             f"on Charge {open_charge.id}")

    def _open_charge(self, order: ScenarioOrder) -> Charge | None:
        charges = self._world.orders.charges(order)
        return charges[-1] if charges and charges[-1].charge_state is ChargeState.AUTHORIZED else None

    def charges(self, name: str | None, amount: Money) -> None:
        """Authorize a further charge on the order's Charge Permission."""
        order = self._order(name)
        with self._acting([order], f"charges {amount} on {order.label}"):
            self.adapter.charge(order.merchant_order_id, amount)

    def refunds(self, name: str | None, amount: Money, times: int = 1) -> None:
        """Refund `amount` of the order, `times` times."""
        order = self._order(name)
        for _ in range(times):
            with self._acting([order], f"refunds {amount} of {order.label}"):
                self.adapter.refund(order.merchant_order_id, amount)

    def cancels(self, name: str | None) -> None:
        """Cancel the order's authorization."""
        order = self._order(name)
        with self._acting([order], f"cancels {order.label}"):
            self.adapter.cancel(order.merchant_order_id)

    def closes(self, name: str | None) -> None:
        """Close the order's Charge Permission."""
        order = self._order(name)
        with self._acting([order], f"closes {order.label}"):
            self.adapter.close(order.merchant_order_id)

    def reconciles(self) -> None:
        """Run the merchant's reconciliation job."""
        with self._acting(self._world.orders.all(), "runs its reconciliation job"):
            self.adapter.reconcile()

    # --- reports (issue 15) ---------------------------------------------------------------------

    def downloads_settlement_report(self, month: Month) -> None:
        """The merchant requests the (Sandbox) settlement report of `month`, Amazon prepares it, the
        merchant downloads it; the world keeps what it downloaded (`world.settlement_report`)."""
        world, simulator = self._world, self._world.simulator
        now = simulator.now()
        start, end = month.bounds(now)
        label = month.label(now)
        with world.acting("merchant"):
            if simulator.ids.environment is not Environment.SANDBOX:
                raise SimulationError("in Live, settlement reports are made per settlement period, not per "
                                      "month (D-SETTLEMENT-PERIOD): request them with the Reports API")
            if end > now:
                raise SimulationError(f"{label} has not ended yet (it is {format_moment(now)}): let time "
                                      f"pass until {format_moment(end)} first")
        adapter = reporting(self.adapter)
        what = f"the settlement report for {label}"
        with self._reporting(adapter, f"requests {what}"):
            report_id = adapter.request_report(ReportType.SANDBOX_SETTLEMENT, start, end)
        if report_id is None:
            world.fail(f"the merchant could not request {what}: Amazon refused it (see the timeline)")
        delay = simulator.ledger.settings.report_processing_delay
        with world.acting("amazon", f"prepares report {report_id} (D-REPORT-PROCESSING: {delay})"):
            simulator.advance(delay)
        with self._reporting(adapter, f"downloads {what}"):
            text = adapter.download_report(report_id)
        world.settlement_report = self._read_report(what, report_id, text)

    def _read_report(self, what: str, report_id: str, text: str | None) -> DownloadedReport:
        reports = self._world.simulator.reports
        report = reports.get(report_id)
        if text is None:
            if reports.status(report) is not ProcessingStatus.CANCELLED:
                self._world.fail(f"the merchant downloaded no file for {what} (report {report_id} is "
                                 f"{reports.status(report)})")
            return DownloadedReport(what, SettlementReport(reports.seller_id, report.start, report.end, ()))
        try:
            return DownloadedReport(what, read_settlement_report(text))
        except FlatFileError as error:
            self._world.fail(f"the merchant's download of {what} is not a settlement report: {error}")

    @contextmanager
    def _reporting(self, adapter: ReportingMerchant, text: str) -> Iterator[None]:
        """Note a report call, then the errors Amazon answered it (an adapter's `report_errors`, if any)."""
        errors: list[object] = getattr(adapter, "report_errors", [])
        seen = len(errors)
        with self._acting([], text):
            yield
        for received in errors[seen:]:
            self._world.timeline.note("merchant", f"received {received}")

    def record(self, order: ScenarioOrder) -> MerchantOrder | None:
        """The merchant's own record of the order (inside `holding_records`, read once)."""
        if self._held is None:
            return self.adapter.order(order.merchant_order_id)
        if order.key not in self._held:
            self._held[order.key] = self.adapter.order(order.merchant_order_id)
        return self._held[order.key]

    @contextmanager
    def holding_records(self) -> Iterator[None]:
        """While checks read the records and nothing acts, each order's record is read from the shop once."""
        self._held = {}
        try:
            yield
        finally:
            self._held = None

    @contextmanager
    def _acting(self, orders: list[ScenarioOrder], text: str) -> Iterator[None]:
        """Note the action, then what the merchant retried, the keys it resent and the errors it got."""
        seen = {order.key: tuple(map(len, self._received(order))) for order in orders}
        log = self._world.simulator.handler.exchanges
        last_call = log[-1] if log else None
        with self._world.acting("merchant", text):
            try:
                yield
            except (ValueError, LookupError) as error:
                raise SimulationError(str(error)) from error
            finally:
                made = calls_since(log, last_call)
                self.calls.append(MerchantCall(text, tuple(made)))
                for operation, key, count in repeated_keys(made):
                    self._world.timeline.note("merchant", f"sent {operation} {count} times under the same "
                                                          f"idempotency key {key}")
                for order in orders:
                    errors, retried = seen[order.key]
                    now_errors, now_retried = self._received(order)
                    for received in now_retried[retried:]:
                        self._world.timeline.note("merchant", f"retried after {received}")
                    for received in now_errors[errors:]:
                        self._world.timeline.note("merchant", f"received {received}")

    def _received(self, order: ScenarioOrder) -> tuple[list[object], list[object]]:
        """The errors and the retried answers in the merchant's record of the order (one read of it)."""
        record = self.record(order)
        return ([], []) if record is None else (list(record.errors), list(record.retried))


class BuyerActions(_Actor):
    """The buyer, on Amazon's page and in their Amazon account."""

    def pays(self, name: str | None, card: str = "1111") -> None:
        """Sign in (if not yet) and pay on Amazon's page with a sandbox test card."""
        order = self._order(name)
        with self._world.acting("buyer"):
            session = self._world.orders.session(order)
            if session.buyer is None:
                self._world.simulator.buyer.sign_in(session.id)
            self._world.simulator.buyer.approve(session.id, card)

    def clicks_button(self, name: str | None, request: CheckoutRequest) -> ScenarioOrder:
        """The standard flow up to Amazon's payment page: the shop renders the button, the buyer
        clicks it (Amazon creates the session from the payload) and signs in, and the shop's review
        page adds shipping and updates the session (docs/reference/amazon-pay-v2.md §5.5, §9.8)."""
        order, config = self._world.merchant.renders_button(name, request)
        with self._world.acting("buyer", f"clicks Amazon Pay's button for {order.label}"):
            try:
                click = self._world.simulator.button.click(config.payload_json, config.signature,
                                                           config.public_key_id, config.algorithm)
            except ButtonRefusedError as error:
                self._world.fail(f"Amazon Pay's button showed an error page instead of the checkout of "
                                 f"{order.label}: {error}")
        order.checkout_session_id = click.checkout_session_id
        self._world.timeline.note("amazon", f"sends the buyer to {click.review_url}")
        if self._world.merchant.handles_review(order, click.review_url) is not None:
            charged = self._world.orders.session(order).payment.charge_amount
            if charged is not None and charged != request.amount:
                order.request = replace(order.request, amount=charged)
        return order

    def lives_in(self, prefecture: str) -> None:
        """The buyer's shipping address (Get Checkout Session's stateOrRegion) is in `prefecture`."""
        with self._world.acting("buyer", f"has a shipping address in {prefecture}"):
            self._world.simulator.buyer.ship_to(prefecture)

    def drops_off(self, name: str | None) -> None:
        """Leave after paying, before being sent back to the shop (docs/reference/seller-central.md Open
        2)."""
        order = self._order(name)
        with self._world.acting("buyer"):
            self._world.simulator.buyer.drop_off(self._world.orders.session(order).id)

    def returns(self, name: str | None) -> None:
        """Come back to checkoutResultReturnUrl; the merchant handles it."""
        order = self._order(name)
        with self._world.acting("buyer"):
            url = self._world.simulator.buyer.return_to_merchant(self._world.orders.session(order).id)
        self._world.merchant.handles_return(order, url)

    def checks_out(self, name: str | None, request: CheckoutRequest, card: str = "1111") -> None:
        """The whole happy path: the merchant starts the checkout, the buyer pays and returns."""
        order = self._world.merchant.starts_checkout(name, request)
        self.pays(name, card)
        self.returns(None if name is None else order.key)

    def cancels(self, name: str | None) -> None:
        """Cancel on Amazon's page instead of paying."""
        order = self._order(name)
        with self._world.acting("buyer"):
            self._world.simulator.buyer.cancel(self._world.orders.session(order).id)

    def updates_payment_method(self, name: str | None, card: str = "1111") -> None:
        """Choose a working payment method for a suspended order."""
        order = self._order(name)
        with self._world.acting("buyer", f"updates the payment method of {order.label} (card ****{card})"):
            permission = self._world.orders.require_permission(order)
            self._world.simulator.buyer.update_payment_method(permission.id, card)


class AmazonActions(_Actor):
    """What Amazon decides on its own."""

    def closes_for_fraud(self, name: str | None) -> None:
        """Close the order's Charge Permission as fraudulent (docs/reference/seller-central.md Closed 4)."""
        self._on_permission(name, "closes {} as fraudulent", self._world.simulator.amazon.close_for_fraud)

    def invalidates_payment_method(self, name: str | None) -> None:
        """The buyer's payment method became invalid."""
        self._on_permission(name, "marks the payment method of {} invalid",
                            self._world.simulator.amazon.invalidate_payment_method)

    def expires_payment_method(self, name: str | None) -> None:
        """The buyer's payment method expired."""
        self._on_permission(name, "marks the payment method of {} expired",
                            self._world.simulator.amazon.expire_payment_method)

    def declines_next_authorization(self, name: str | None, reason: ReasonCode) -> None:
        """Decline the next authorization on the order with `reason`."""
        self._on_permission(name, f"will decline the next authorization of {{}} with {reason}",
                            lambda permission_id: self._world.simulator.amazon.decline_next_authorization(
                                permission_id, reason))

    def resolves_pending(self, name: str | None) -> None:
        """Let the order's pending authorization (or capture) succeed now."""
        order = self._order(name)
        with self._world.acting("amazon", f"resolves the pending charge of {order.label}"):
            self._world.simulator.amazon.resolve_pending(self._world.orders.latest_charge(order).id)

    def declines_pending(self, name: str | None, reason: ReasonCode) -> None:
        """Decline the order's pending authorization now."""
        order = self._order(name)
        text = f"declines the pending authorization of {order.label} with {reason}"
        with self._world.acting("amazon", text):
            self._world.simulator.amazon.decline(self._world.orders.latest_charge(order).id, reason)

    def loses_next_capture_answer(self) -> None:
        """Do the merchant's next Capture Charge and Create Charge, and lose their answers.

        The connection drops after Amazon did the request (a dropped connection rather than a
        timeout: over HTTP a timeout would keep the shop waiting for its own time limit).
        """
        with self._world.acting("amazon", "will lose its answers to the merchant's next captureCharge and "
                                          "createCharge (the connection drops after Amazon did them)"):
            for operation in ("captureCharge", "createCharge"):
                self._world.simulator.faults.drop(operation, times=1, after_processing=True)

    def plans_fault(self, operation: str, kind: FaultKind, *, times: int = 1,
                    after_processing: bool = False) -> None:
        """Make the next `times` calls of `operation` fail with `kind` (`harness.api.faults`)."""
        with self._world.acting("amazon"):
            text = plan_fault(self._world.simulator.faults, operation, kind, times=times,
                              after_processing=after_processing)
            self._world.timeline.note("amazon", f"Amazon Pay {text}")

    def _on_permission(self, name: str | None, text: str, action: Callable[[str], None]) -> None:
        order = self._order(name)
        with self._world.acting("amazon", text.format(order.label)):
            action(self._world.orders.require_permission(order).id)


class OperatorActions(_Actor):
    """The merchant's staff, in Seller Central's transaction view; refusals are recorded."""

    def captures(self, name: str | None, amount: Money | None = None) -> None:
        """売上請求."""
        self._in_seller_central(name, f"capture {amount or 'all'} of {{}}",
                                lambda reference_id: self._world.seller_central.capture(reference_id, amount))

    def refunds(self, name: str | None, amount: Money, times: int = 1) -> None:
        """返金, `times` times."""
        view = self._world.seller_central
        for _ in range(times):
            self._in_seller_central(name, f"refund {amount} of {{}}",
                                    lambda reference_id: view.refund(reference_id, amount))

    def cancels(self, name: str | None) -> None:
        """お支払いキャンセル."""
        self._in_seller_central(name, "cancel {}", self._world.seller_central.cancel)

    def closes(self, name: str | None) -> None:
        """終了したお支払い."""
        self._in_seller_central(name, "close {}", self._world.seller_central.close)

    def reference_id(self, order: ScenarioOrder) -> str:
        """The row the operator acts on: the permission's, or the latest charge's for Recurring."""
        permission = self._world.orders.require_permission(order)
        return self._world.orders.latest_charge(order).id if permission.is_recurring else permission.id

    def _in_seller_central(self, name: str | None, text: str, action: Callable[[str], object]) -> None:
        order = self._order(name)
        what = text.format(order.label)
        with self._world.acting("operator"):
            reference_id = self.reference_id(order)
            try:
                action(reference_id)
            except AmazonPayError as error:
                self._world.refusals.append(Refusal(what, error.reason_code, error.message))
                self._world.timeline.note("operator", f"Seller Central refused to {what}: "
                                                      f"{error.reason_code} ({error.message})")


class TimeActions(_Actor):
    """The passing of simulated time."""

    def starts_at(self, moment: datetime) -> None:
        """Start the scenario at `moment`: only before anything has happened."""
        clock, moment = self._world.simulator.clock, moment.astimezone(UTC)
        with self._world.acting("time"):
            if self._world.orders.all() or clock.pending() or clock.now() != clock.started_at:
                raise SimulationError(f"the scenario can start at {format_moment(moment)} only before "
                                      "anything happens: put this step first (it is already "
                                      f"{format_moment(clock.now())})")
        with self._world.acting("time", f"the scenario starts at {format_moment(moment)}"):
            try:
                clock.start_at(moment)
            except ClockError as error:
                raise SimulationError(str(error)) from None

    def passes(self, duration: Duration) -> None:
        """Let `duration` pass; everything due meanwhile happens at its own time."""
        clock = self._world.simulator.clock
        with self._world.acting("time", f"{duration} pass"):
            target = duration.after(clock.now())
            if target < clock.now():
                raise SimulationError(f"{duration} is negative and time only moves forward")
            clock.advance_to(target)
        self._world.snapshot_view(f"{duration} pass")

    def reaches(self, duration: Duration, anchor: Anchor, name: str | None) -> None:
        """Move to `duration` after a moment of the order ("24 hours after the checkout started")."""
        order = self._order(name)
        clock = self._world.simulator.clock
        with self._world.acting("time"):
            target = duration.after(self.moment(order, anchor))
            if target < clock.now():
                raise SimulationError(f"{duration} after {anchor} for {order.label} was "
                                      f"{format_moment(target)}; it is already {format_moment(clock.now())} "
                                      "and time only moves forward")
        with self._world.acting("time", f"it is {duration} after {anchor} for {order.label}"):
            clock.advance_to(target)
        self._world.snapshot_view(f"it is {duration} after {anchor} for {order.label}")

    def reaches_next_month(self, before: Duration | None = None) -> None:
        """Move to the start of the next calendar month (Japan time in Japan: when a Recurring
        permission's monthly limit resets, D-RECURRING-MONTHLY-LIMIT), or `before` it."""
        clock = self._world.simulator.clock
        start = next_month_start(clock.now(), self._world.simulator.ledger.currency)
        target = start if before is None else Duration().minus(before).after(start)
        what = "the next month begins" if before is None else f"it is {before} before the next month begins"
        with self._world.acting("time", f"{what} ({format_moment(target)})"):
            if target < clock.now():
                raise SimulationError(f"{before} before the next month began was {format_moment(target)}; "
                                      f"it is already {format_moment(clock.now())}")
            clock.advance_to(target)
        self._world.snapshot_view(what)

    def moment(self, order: ScenarioOrder, anchor: Anchor) -> datetime:
        """When `anchor` happened for the order."""
        orders = self._world.orders
        if anchor is Anchor.CHECKOUT_STARTED:
            return orders.session(order).created_at
        if anchor is Anchor.BUYER_PAID:
            return orders.require_permission(order).created_at
        authorized_at = orders.latest_charge(order).authorized_at
        if authorized_at is None:
            raise SimulationError(f"the latest charge of {order.label} has not been authorized")
        return authorized_at
