"""Random buyer, merchant, Amazon and operator actions under simulated time, with invariants.

A hypothesis `RuleBasedStateMachine` drives one `Simulator` and its Seller Central view.
Every action may be refused by the API (`AmazonPayError`) or be impossible for an actor at that
moment (`SimulationError`); both are caught. Any other exception is a bug, and so is any broken
invariant. Time jumps are not actions anyone can refuse: an exception out of a due event is a bug.

The invariants restate docs/reference/seller-central.md, docs/reference/amazon-pay-v2.md §2 and the decisions
of
`harness/amazon_pay/decisions.py`; the shadow facts kept here (what the operator canceled, which
checkouts were completed, what each permission's limit and expiry must be) are recorded from the
actions taken, not read back from the simulator.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from hypothesis import Phase, currently_in_test_context, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

from harness.amazon_pay import (
    AmazonPayError,
    ChargePermissionState,
    ChargePermissionType,
    ChargeState,
    CheckoutSessionState,
    MerchantMetadata,
    PaymentDetails,
    PaymentIntent,
    ReasonCode,
    RefundState,
    SimulationError,
    WebCheckoutDetails,
)
from harness.amazon_pay.causes import API_PROJECTION, Cause
from harness.amazon_pay.objects import ChargePermission, CheckoutSession, SimulatedObject
from harness.amazon_pay.permissions import amount_balance
from harness.amazon_pay.sandbox import CARD_OUTCOMES, DECLINE_CAUSES, AuthorizationOutcome
from harness.amazon_pay.transitions import TRANSITIONS, Transition
from harness.clock import DueEvent, SimulatedClock
from harness.money import Money
from harness.seller_central import SellerCentral, TransactionRow
from harness.seller_central.projection import TRANSACTION_STATUS, TransactionStatus
from harness.simulator import Simulator

T = TypeVar("T")

REVIEW_URL = "https://shop.example/review"
RESULT_URL = "https://shop.example/result"

CARDS = sorted(CARD_OUTCOMES)
"""The §6.1 simulated card suffixes."""

AMOUNTS = st.integers(min_value=1, max_value=200_000)
INTENTS = st.sampled_from(list(PaymentIntent))
KINDS = st.sampled_from(list(ChargePermissionType))
DECLINE_REASONS = st.sampled_from(list(DECLINE_CAUSES))

JUMPS: dict[str, timedelta] = {
    "1 s": timedelta(seconds=1),
    "29 s": timedelta(seconds=29),
    "30 s": timedelta(seconds=30),
    "23:59:59": timedelta(hours=23, minutes=59, seconds=59),
    "24 h": timedelta(hours=24),
    "7 days": timedelta(days=7),
    "7 days + 1 s": timedelta(days=7, seconds=1),
    "30 days": timedelta(days=30),
    "180 days": timedelta(days=180),
}

OUTCOMES = st.one_of(st.none(), st.just(AuthorizationOutcome(Cause.AUTHORIZED, pending=True)),
                     st.sampled_from([AuthorizationOutcome(cause, pending=pending)
                                      for cause in DECLINE_CAUSES.values() for pending in (False, True)]))
"""Amazon's answer to an authorization (sandbox simulation): as planned, pending, or a decline."""
DECLINE_CODES = frozenset(DECLINE_CAUSES)
"""Create Charge errors that still leave a Declined Charge behind (D-DECLINE-EFFECTS)."""

JUMP_KINDS = [*JUMPS, "seconds", "1 month", "13 months", "next due - 1 s", "next due", "next due + 1 s"]
ENDINGS = ["complete", "complete", "drop off", "nothing"]
HAPPY_CARDS = ["1111", "0005", "4444", "9424", "0000"]
SESSION_ACTIONS = ["buyer signs in", "buyer drops off", "buyer cancels", "buyer returns", "Amazon cancels"]
PERMISSION_ACTIONS = [
    "merchant closes", "merchant closes, canceling pending charges", "merchant updates metadata",
    "operator closes", "operator cancels", "Amazon closes for fraud", "buyer closes the agreement",
    "payment method invalid", "payment method expired", "buyer updates the payment method",
    "Amazon will decline the next authorization",
]
INTERLUDES = st.one_of(st.none(), st.sampled_from(PERMISSION_ACTIONS[:-1]))
"""Something that happens to a permission between the buyer's approval and Complete."""
SLOW_OPERATIONS = ["pending authorization", "pending authorization with captureNow", "pending decline",
                   "asynchronous capture"]
"""What Amazon answers only later (D-ASYNC-DELAYS)."""
CHARGE_ACTIONS = ["merchant cancels the charge", "Amazon resolves pending", "Amazon declines pending"]
REFUND_ACTIONS = ["Amazon completes the refund", "Amazon rejects the refund", "refund processing fails"]

ONE_TIME_LIFETIME = timedelta(days=180)  # docs/reference/seller-central.md numbers table
EXTENDED_LIFETIME_MONTHS = 13
CHECKOUT_LIFETIME = timedelta(hours=24)
AUTHORIZATION_VALIDITY = timedelta(days=30)
SYNCHRONOUS_CAPTURE_WINDOW = timedelta(days=7)
MAX_CHARGES = 25
MAX_REFUNDS = 10
REFUND_EXTRA_CAP = 8_400
OVERCHARGE_FLOOR = 70_000

STATE_VALUES: dict[str, frozenset[str]] = {
    "CheckoutSession": frozenset(CheckoutSessionState),
    "ChargePermission": frozenset(ChargePermissionState),
    "Charge": frozenset(ChargeState),
    "Refund": frozenset(RefundState),
}
"""The states each object kind may show (docs/reference/amazon-pay-v2.md §2.1-§2.4)."""

TERMINAL_STATES: dict[str, frozenset[str]] = {
    "CheckoutSession": frozenset({CheckoutSessionState.COMPLETED, CheckoutSessionState.CANCELED}),
    "ChargePermission": frozenset({ChargePermissionState.CLOSED}),
    "Charge": frozenset({ChargeState.CAPTURED, ChargeState.CANCELED, ChargeState.DECLINED}),
    "Refund": frozenset({RefundState.REFUNDED, RefundState.DECLINED}),
}
"""States an object never leaves (docs/reference/amazon-pay-v2.md §2: nothing is listed out of them)."""

CANCELED_ROW_CAUSES = frozenset({Cause.OPERATOR_CANCELED, Cause.CHECKOUT_NEVER_COMPLETED})
"""docs/reference/seller-central.md Canceled 1 and 2: the only ways a OneTime row shows Canceled."""


def yen(amount: int) -> Money:
    """An amount in JPY."""
    return Money(Decimal(amount), "JPY")


def whole_yen(money: Money) -> int:
    """A JPY amount as an int."""
    return int(money.amount)


PAYMENTS = st.builds(PaymentDetails, payment_intent=INTENTS, charge_amount=AMOUNTS.map(yen),
                     allow_overcharge=st.booleans(), extend_expiration=st.booleans(),
                     can_handle_pending_authorization=st.booleans())
"""paymentDetails: any intent, ¥1..¥200,000, allowOvercharge, extendExpiration, pending allowed."""


def _tally(label: str) -> None:
    """Count an outcome for --hypothesis-show-statistics (a no-op when a rule is called by hand)."""
    if currently_in_test_context():
        event(label)


def months_later(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, or that month's last day (D-MONTHS), written anew here."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month,
                          day=min(moment.day, calendar.monthrange(year, month)[1]))


class InstrumentedClock(SimulatedClock):
    """The simulated clock, watching every due event it schedules and fires.

    An event must fire at most once, never after being cancelled, never before it is due, and at
    its own due time when that was in the future when it was scheduled.
    """

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.scheduled: list[DueEvent] = []
        self.scheduled_at: dict[DueEvent, datetime] = {}
        self.fired_events: set[DueEvent] = set()
        self.fire_calls = 0

    def schedule(self, due: datetime, label: str, action: Callable[[], None]) -> DueEvent:
        holder: list[DueEvent] = []
        scheduled_at = self.now()

        def fire() -> None:
            self._check_fire(holder[0], scheduled_at)
            action()

        due_event = super().schedule(due, label, fire)
        holder.append(due_event)
        self.scheduled.append(due_event)
        self.scheduled_at[due_event] = scheduled_at
        return due_event

    def _check_fire(self, due_event: DueEvent, scheduled_at: datetime) -> None:
        self.fire_calls += 1
        assert not due_event.cancelled, f"cancelled due event fired: {due_event!r}"
        assert due_event not in self.fired_events, f"due event fired twice: {due_event!r}"
        self.fired_events.add(due_event)
        now = self.now()
        assert now >= due_event.due, f"due event fired early at {now}: {due_event!r}"
        if due_event.due >= scheduled_at:
            assert now == due_event.due, f"due event fired at {now}, not at its due time: {due_event!r}"


DECLARED_TRANSITIONS = frozenset(TRANSITIONS)


class SimulatorMachine(RuleBasedStateMachine):
    """Buyer, merchant, Amazon, operator and time, in any order."""

    sessions: Bundle[str] = Bundle("sessions")
    permissions: Bundle[str] = Bundle("permissions")
    charges: Bundle[str] = Bundle("charges")
    refunds: Bundle[str] = Bundle("refunds")

    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator()
        assert not self.sim.clock.pending()
        clock = InstrumentedClock(self.sim.clock.now())
        self.sim.clock = clock
        self.sim.ledger.clock = clock
        self.clock = clock
        self.view = SellerCentral(self.sim)
        self.last_now = clock.now()
        self.moves: list[datetime] = []
        clock.on_move(self._moved)
        # shadow facts, recorded from the actions taken
        self.completed_sessions: set[str] = set()
        self.operator_canceled: set[str] = set()
        self.expected_limit: dict[str, int | None] = {}
        self.expected_expiry: dict[str, datetime] = {}
        # incremental reading of the event log
        self.events_seen = 0
        self.logged_state: dict[str, tuple[str, Cause]] = {}

    def _moved(self, moment: datetime) -> None:
        assert not self.moves or moment >= self.moves[-1], (
            f"the clock went back from {self.moves[-1]} to {moment}")
        self.moves.append(moment)

    def _attempt(self, name: str, action: Callable[[], T]) -> T | None:
        """Run an action that the API or the simulation may refuse; anything else propagates.

        A refusal leaves no trace: no state changes, except the Declined Charge (and its effect on
        the permission) that an authorization decline keeps (D-DECLINE-EFFECTS).
        """
        before = len(self.sim.ledger.events)
        try:
            result = action()
        except AmazonPayError as error:
            _tally(f"{name}: refused {error.reason_code}")
            if error.reason_code not in DECLINE_CODES:
                self._require_no_change(before, f"{name} refused with {error.reason_code}")
            return None
        except SimulationError as error:
            _tally(f"{name}: impossible")
            self._require_no_change(before, f"{name} was impossible ({error})")
            return None
        _tally(f"{name}: done")
        return result

    def _require_no_change(self, before: int, what: str) -> None:
        changes = self.sim.ledger.events[before:]
        assert not changes, f"{what}, yet changed state: " + "; ".join(
            f"{c.object_type} {c.object_id} {c.from_state}->{c.to_state} ({c.cause!r})" for c in changes)

    def _record_permission(self, session_id: str) -> None:
        """Shadow the limit and expiry a permission created by approving `session_id` must have."""
        session = self.sim.ledger.session(session_id)
        permission_id = session.charge_permission_id
        if permission_id is None or permission_id in self.expected_expiry:
            return
        now = self.sim.now()
        payment = session.payment
        recurring = session.charge_permission_type is ChargePermissionType.RECURRING
        assert payment.charge_amount is not None
        order = whole_yen(payment.total_order_amount or payment.charge_amount)
        if recurring:
            self.expected_limit[permission_id] = None  # D-RECURRING-LIMITS
        elif payment.allow_overcharge:
            self.expected_limit[permission_id] = max(order * 9, OVERCHARGE_FLOOR)  # D-AMOUNT-LIMIT
        else:
            self.expected_limit[permission_id] = order
        if recurring or payment.extend_expiration:
            self.expected_expiry[permission_id] = months_later(now, EXTENDED_LIFETIME_MONTHS)
        else:
            self.expected_expiry[permission_id] = now + ONE_TIME_LIFETIME

    def _reference(self, permission_id: str, index: int) -> str:
        """The Amazon Reference ID of a row of the permission (docs/reference/seller-central.md)."""
        permission = self.sim.ledger.permission(permission_id)
        if permission.is_recurring and permission.charge_ids:
            return permission.charge_ids[index % len(permission.charge_ids)]
        return permission_id

    def _refund_room(self, charge_id: str) -> int:
        charge = self.sim.ledger.charge(charge_id)
        if charge.capture_amount is None:
            return 0
        captured = whole_yen(charge.capture_amount)
        cap = captured + min(captured * 15 // 100, REFUND_EXTRA_CAP)
        used = sum(whole_yen(refund.refund_amount) for refund in self.sim.ledger.refunds_of(charge)
                   if refund.state != RefundState.DECLINED)
        return cap - used

    # ------------------------------------------------------------------ checkout

    @rule(target=sessions, with_payment=st.booleans(), payment=PAYMENTS, kind=KINDS)
    def create_checkout_session(self, with_payment: bool, payment: PaymentDetails,
                                kind: ChargePermissionType) -> str | MultipleResults[str]:
        web = WebCheckoutDetails(REVIEW_URL, RESULT_URL if with_payment else None)
        session = self._attempt("create checkout session", lambda: self.sim.api.create_checkout_session(
            web, payment if with_payment else None, charge_permission_type=kind))
        if session is None:
            return multiple()
        assert session.state == CheckoutSessionState.OPEN
        assert session.expires_at == self.sim.now() + CHECKOUT_LIFETIME
        return session.id

    @rule(session_id=sessions, payment=PAYMENTS, set_result_url=st.booleans())
    def update_checkout_session(self, session_id: str, payment: PaymentDetails,
                                set_result_url: bool) -> None:
        web = WebCheckoutDetails(REVIEW_URL, RESULT_URL) if set_result_url else None
        self._attempt("update checkout session", lambda: self.sim.api.update_checkout_session(
            session_id, web=web, payment=payment))

    @rule(session_id=sessions, action=st.sampled_from(SESSION_ACTIONS))
    def on_amazons_page(self, session_id: str, action: str) -> None:
        """The buyer (or Amazon) on the hosted page: sign in, drop off, cancel, return."""
        buyer, amazon = self.sim.buyer, self.sim.amazon
        do: dict[str, Callable[[], object]] = {
            "buyer signs in": lambda: buyer.sign_in(session_id),
            "buyer drops off": lambda: buyer.drop_off(session_id),
            "buyer cancels": lambda: buyer.cancel(session_id),
            "buyer returns": lambda: buyer.return_to_merchant(session_id),
            "Amazon cancels": lambda: amazon.cancel_checkout(session_id),
        }
        self._attempt(action, do[action])

    @rule(target=permissions, session_id=sessions, card=st.sampled_from(CARDS))
    def approve(self, session_id: str, card: str) -> str | MultipleResults[str]:
        self._attempt(f"approve with {card}", lambda: self.sim.buyer.approve(session_id, card))
        self._record_permission(session_id)
        permission_id = self.sim.ledger.session(session_id).charge_permission_id
        return multiple() if permission_id is None else permission_id

    @rule(target=charges, session_id=sessions, wrong=st.booleans(), delta=st.integers(1, 1000))
    def complete(self, session_id: str, wrong: bool, delta: int) -> str | MultipleResults[str]:
        session = self.sim.ledger.session(session_id)
        expected = session.payment.charge_amount or yen(1000)
        amount = yen(whole_yen(expected) + delta) if wrong else expected
        done = self._complete(session_id, amount)
        if done is None:
            return multiple()
        assert not wrong, f"Complete accepted {amount} for a session of {expected} (409 expected)"
        return multiple() if done.charge_id is None else done.charge_id

    def _complete(self, session_id: str, amount: Money) -> CheckoutSession | None:
        done = self._attempt("complete", lambda: self.sim.api.complete_checkout_session(session_id, amount))
        if done is not None:
            assert done.state == CheckoutSessionState.COMPLETED
            self.completed_sessions.add(session_id)
        return done

    @rule(target=sessions, payment=PAYMENTS, kind=KINDS, card=st.sampled_from(CARDS),
          approve=st.booleans())
    def checkout_in_progress(self, payment: PaymentDetails, kind: ChargePermissionType, card: str,
                             approve: bool) -> str:
        """Create and sign in, maybe approve: the session is left for the other rules to finish."""
        session = self.sim.api.create_checkout_session(WebCheckoutDetails(REVIEW_URL, RESULT_URL),
                                                       payment, charge_permission_type=kind)
        self.sim.buyer.sign_in(session.id)
        if approve:
            self._attempt(f"approve with {card}", lambda: self.sim.buyer.approve(session.id, card))
            self._record_permission(session.id)
        return session.id

    @rule(target=permissions, session_id=sessions)
    def adopt_permission(self, session_id: str) -> str | MultipleResults[str]:
        """Learn the permission of an approved session (Seller Central shows it before Complete)."""
        permission_id = self.sim.ledger.session(session_id).charge_permission_id
        return multiple() if permission_id is None else permission_id

    @initialize(target=permissions, payment=PAYMENTS, kind=KINDS, card=st.sampled_from(CARDS),
                interlude=INTERLUDES, ending=st.sampled_from(ENDINGS))
    def first_checkout(self, payment: PaymentDetails, kind: ChargePermissionType, card: str,
                       interlude: str | None, ending: str) -> str | MultipleResults[str]:
        """Every run starts with one checkout, so that its steps reach charges and refunds."""
        return self._whole_checkout(payment, kind, card, interlude, ending)

    @rule(target=permissions, payment=PAYMENTS, kind=KINDS, card=st.sampled_from(CARDS),
          interlude=INTERLUDES, ending=st.sampled_from(ENDINGS))
    def whole_checkout(self, payment: PaymentDetails, kind: ChargePermissionType, card: str,
                       interlude: str | None, ending: str) -> str | MultipleResults[str]:
        """Create, sign in, approve, maybe something happens to the permission, then complete or not."""
        return self._whole_checkout(payment, kind, card, interlude, ending)

    def _whole_checkout(self, payment: PaymentDetails, kind: ChargePermissionType, card: str,
                        interlude: str | None, ending: str) -> str | MultipleResults[str]:
        amount = payment.charge_amount
        assert amount is not None
        session = self.sim.api.create_checkout_session(WebCheckoutDetails(REVIEW_URL, RESULT_URL),
                                                       payment, charge_permission_type=kind)
        self.sim.buyer.sign_in(session.id)
        self._attempt(f"approve with {card}", lambda: self.sim.buyer.approve(session.id, card))
        self._record_permission(session.id)
        permission_id = session.charge_permission_id
        if permission_id is not None and interlude is not None:
            self._permission_action(permission_id, interlude, 0, ReasonCode.HARD_DECLINED, False)
        if ending == "complete":
            self._complete(session.id, amount)
        elif ending == "drop off":
            self._attempt("buyer drops off", lambda: self.sim.buyer.drop_off(session.id))
        return multiple() if permission_id is None else permission_id

    # ------------------------------------------------------------------ the permission

    @rule(permission_id=permissions, action=st.sampled_from(PERMISSION_ACTIONS), index=st.integers(0, 30),
          reason=DECLINE_REASONS, pending=st.booleans())
    def on_permission(self, permission_id: str, action: str, index: int, reason: ReasonCode,
                      pending: bool) -> None:
        """What the merchant, the operator, the buyer or Amazon do to a permission as a whole."""
        self._permission_action(permission_id, action, index, reason, pending)

    def _permission_action(self, permission_id: str, action: str, index: int, reason: ReasonCode,
                           pending: bool) -> None:
        api, buyer, amazon, view = self.sim.api, self.sim.buyer, self.sim.amazon, self.view
        reference = self._reference(permission_id, index)
        good_card = HAPPY_CARDS[index % len(HAPPY_CARDS)]

        def operator_cancel() -> bool:
            view.cancel(reference)
            return True

        do: dict[str, Callable[[], object]] = {
            "merchant closes": lambda: api.close_charge_permission(permission_id, "test", False),
            "merchant closes, canceling pending charges":
                lambda: api.close_charge_permission(permission_id, "test", True),
            "merchant updates metadata": lambda: api.update_charge_permission(
                permission_id, MerchantMetadata(merchant_reference_id=f"order-{index}")),
            "operator closes": lambda: view.close(reference),
            "operator cancels": operator_cancel,
            "Amazon closes for fraud": lambda: amazon.close_for_fraud(permission_id),
            "buyer closes the agreement": lambda: buyer.close_agreement(permission_id),
            "payment method invalid": lambda: amazon.invalidate_payment_method(permission_id),
            "payment method expired": lambda: amazon.expire_payment_method(permission_id),
            "buyer updates the payment method": lambda: buyer.update_payment_method(permission_id, good_card),
            "Amazon will decline the next authorization":
                lambda: amazon.decline_next_authorization(permission_id, reason, pending),
        }
        done = self._attempt(action, do[action])
        if action == "operator cancels" and done and reference == permission_id:
            self.operator_canceled.add(permission_id)

    @rule(permission_id=permissions, slow=st.sampled_from(SLOW_OPERATIONS),
          meanwhile=st.sampled_from(PERMISSION_ACTIONS + CHARGE_ACTIONS), index=st.integers(0, 30),
          reason=DECLINE_REASONS)
    def race_with_amazon(self, permission_id: str, slow: str, meanwhile: str, index: int,
                         reason: ReasonCode) -> None:
        """Amazon answers later (D-ASYNC-DELAYS); something happens meanwhile; then the delay passes."""
        api = self.sim.api
        slow_charge = None
        if slow == "asynchronous capture":
            authorized = [charge for charge in self.sim.ledger.charges_of(self.sim.ledger.permission(
                permission_id)) if charge.charge_state is ChargeState.AUTHORIZED]
            if authorized:
                charge = authorized[index % len(authorized)]
                slow_charge = self._attempt("asynchronous capture", lambda: api.capture_charge(
                    charge.id, charge.charge_amount, asynchronous=True))
        else:
            final = Cause.HARD_DECLINED if slow == "pending decline" else Cause.AUTHORIZED
            outcome = AuthorizationOutcome(final, pending=True)
            slow_charge = self._attempt(slow, lambda: api.create_charge(
                permission_id, yen(1 + index), capture_now=slow == "pending authorization with captureNow",
                can_handle_pending_authorization=True, outcome=outcome))
        if meanwhile in CHARGE_ACTIONS:
            if slow_charge is not None:
                self._charge_action(slow_charge.id, meanwhile, reason)
        else:
            self._permission_action(permission_id, meanwhile, index, reason, False)
        self.sim.advance(max(self.sim.ledger.settings.pending_authorization_delay,
                             self.sim.ledger.settings.asynchronous_capture_delay))

    # ------------------------------------------------------------------ charges and refunds

    @rule(target=charges, permission_id=permissions, index=st.integers(0, 30))
    def adopt_charge(self, permission_id: str, index: int) -> str | MultipleResults[str]:
        """Learn a charge of the permission (e.g. the checkout's, after a drop-off)."""
        charge_ids = self.sim.ledger.permission(permission_id).charge_ids
        return charge_ids[index % len(charge_ids)] if charge_ids else multiple()

    @rule(target=charges, permission_id=permissions,
          wanted=st.one_of(AMOUNTS, st.sampled_from(["balance", "over balance"])),
          capture_now=st.booleans(), can_handle_pending=st.booleans(), outcome=OUTCOMES)
    def create_charge(self, permission_id: str, wanted: int | str, capture_now: bool,
                      can_handle_pending: bool,
                      outcome: AuthorizationOutcome | None) -> str | MultipleResults[str]:
        permission = self.sim.ledger.permission(permission_id)
        balance = amount_balance(self.sim.ledger, permission)
        if isinstance(wanted, int):
            amount = wanted
        else:
            room = 1_000 if balance is None else whole_yen(balance)
            amount = max(1, room + (1 if wanted == "over balance" else 0))
        charge = self._attempt("create charge", lambda: self.sim.api.create_charge(
            permission_id, yen(amount), capture_now=capture_now,
            can_handle_pending_authorization=can_handle_pending, outcome=outcome))
        if charge is None:
            return multiple()
        assert balance is None or yen(amount) <= balance, (
            f"Create Charge of ¥{amount} accepted above amountBalance {balance}")
        assert charge.charge_state is not ChargeState.DECLINED, "a declined Create Charge answered 201"
        return charge.id

    @rule(target=charges, permission_id=permissions, count=st.integers(1, 30), amount=st.integers(1, 500))
    def charge_burst(self, permission_id: str, count: int, amount: int) -> MultipleResults[str]:
        """Many small charges at once, to reach the 25-charge limit."""
        created: list[str] = []
        for _ in range(count):
            charge = self._attempt("charge burst", lambda: self.sim.api.create_charge(
                permission_id, yen(amount)))
            if charge is not None:
                created.append(charge.id)
        return multiple(*created[-3:])

    @rule(charge_id=charges, mode=st.sampled_from(["full", "partial", "over"]), amount=AMOUNTS,
          asynchronous=st.booleans())
    def capture(self, charge_id: str, mode: str, amount: int, asynchronous: bool) -> None:
        charge = self.sim.ledger.charge(charge_id)
        full = whole_yen(charge.charge_amount)
        capture_amount = {"full": full, "partial": 1 + amount % full, "over": full + 1}[mode]
        authorized_at = charge.authorized_at
        done = self._attempt("capture", lambda: self.sim.api.capture_charge(
            charge_id, yen(capture_amount), asynchronous=asynchronous))
        if done is None:
            return
        assert capture_amount <= full, "a capture above the charge amount was accepted (D-OVERCAPTURE)"
        assert authorized_at is not None
        if asynchronous:  # only the simulation code: in Sandbox a late capture is synchronous too (§6.3)
            assert done.charge_state is ChargeState.CAPTURE_INITIATED, (
                f"capture with the CaptureInitiated code is {done.state}, not CaptureInitiated")
        else:
            late = self.sim.now() - authorized_at > SYNCHRONOUS_CAPTURE_WINDOW
            assert done.charge_state is ChargeState.CAPTURED, (
                f"a Sandbox capture {'more than' if late else 'within'} 7 days after the authorization "
                f"is {done.state}, not Captured")

    @rule(charge_id=charges, action=st.sampled_from(CHARGE_ACTIONS), reason=DECLINE_REASONS)
    def on_charge(self, charge_id: str, action: str, reason: ReasonCode) -> None:
        """The merchant cancels a charge, or Amazon settles a pending authorization or capture."""
        self._charge_action(charge_id, action, reason)

    def _charge_action(self, charge_id: str, action: str, reason: ReasonCode) -> None:
        do: dict[str, Callable[[], object]] = {
            "merchant cancels the charge": lambda: self.sim.api.cancel_charge(charge_id, "test"),
            "Amazon resolves pending": lambda: self.sim.amazon.resolve_pending(charge_id),
            "Amazon declines pending": lambda: self.sim.amazon.decline(charge_id, reason),
        }
        self._attempt(action, do[action])

    @rule(target=refunds, charge_id=charges, mode=st.sampled_from(["random", "room", "over room"]),
          amount=AMOUNTS)
    def create_refund(self, charge_id: str, mode: str, amount: int) -> str | MultipleResults[str]:
        room = self._refund_room(charge_id)
        if mode != "random":
            amount = max(1, room + (1 if mode == "over room" else 0))
        refund = self._attempt("create refund", lambda: self.sim.api.create_refund(charge_id, yen(amount)))
        if refund is None:
            return multiple()
        assert amount <= room, f"a refund of ¥{amount} was accepted with only ¥{room} of room"
        assert refund.state == RefundState.REFUND_INITIATED
        return refund.id

    @rule(target=refunds, charge_id=charges, count=st.integers(1, 14), amount=st.integers(1, 300))
    def refund_burst(self, charge_id: str, count: int, amount: int) -> MultipleResults[str]:
        """Many small refunds at once, to reach the 10-refund limit."""
        created: list[str] = []
        for _ in range(count):
            refund = self._attempt("refund burst", lambda: self.sim.api.create_refund(charge_id, yen(amount)))
            if refund is not None:
                created.append(refund.id)
        return multiple(*created[-2:])

    @rule(refund_id=refunds, action=st.sampled_from(REFUND_ACTIONS))
    def on_refund(self, refund_id: str, action: str) -> None:
        """Amazon finishes a refund: Refunded, or Declined (AmazonRejected / ProcessingFailure)."""
        amazon = self.sim.amazon
        do: dict[str, Callable[[], object]] = {
            "Amazon completes the refund": lambda: amazon.complete_refund(refund_id),
            "Amazon rejects the refund": lambda: amazon.decline_refund(refund_id, ReasonCode.AMAZON_REJECTED),
            "refund processing fails":
                lambda: amazon.decline_refund(refund_id, ReasonCode.PROCESSING_FAILURE),
        }
        self._attempt(action, do[action])

    # ------------------------------------------------------------------ operator in Seller Central

    @rule(target=charges, permission_id=permissions, index=st.integers(0, 30),
          amount=st.one_of(st.none(), AMOUNTS))
    def operator_captures(self, permission_id: str, index: int,
                          amount: int | None) -> str | MultipleResults[str]:
        reference = self._reference(permission_id, index)
        charge = self._attempt("operator capture", lambda: self.view.capture(
            reference, None if amount is None else yen(amount)))
        return multiple() if charge is None else charge.id

    @rule(target=refunds, permission_id=permissions, index=st.integers(0, 30), amount=AMOUNTS)
    def operator_refunds(self, permission_id: str, index: int, amount: int) -> str | MultipleResults[str]:
        reference = self._reference(permission_id, index)
        refund = self._attempt("operator refund", lambda: self.view.refund(reference, yen(amount)))
        return multiple() if refund is None else refund.id

    # ------------------------------------------------------------------ time

    @rule(jump=st.sampled_from(JUMP_KINDS), seconds=st.integers(1, 600))
    def advance_time(self, jump: str, seconds: int) -> None:
        """Let time pass: a fixed jump, some seconds, calendar months, or onto the next due event."""
        clock = self.sim.clock
        if jump in JUMPS:
            self.sim.advance(JUMPS[jump])
        elif jump == "seconds":
            self.sim.advance(timedelta(seconds=seconds))
        elif jump.endswith(("month", "months")):
            clock.advance_to(months_later(self.sim.now(), int(jump.split(maxsplit=1)[0])))
        else:  # land on (or a second around) the next due event: boundaries are where bugs live
            pending = clock.pending()
            if pending:
                offset = {"next due - 1 s": -1, "next due": 0, "next due + 1 s": 1}[jump]
                clock.advance_to(max(pending[0].due + timedelta(seconds=offset), self.sim.now()))

    # ------------------------------------------------------------------ invariants

    def check_invariants_now(self) -> None:
        """Every invariant below, at once (for replaying a shrunk sequence by hand)."""
        self.clock_never_goes_back()
        self.due_events_fire_once()
        self.event_log_is_a_faithful_history()
        self.sessions_are_consistent()
        self.one_time_limits_hold()
        self.charges_and_refunds_hold()
        self.objects_show_their_projection()
        self.view_follows_the_facts()

    @invariant()
    def clock_never_goes_back(self) -> None:
        now = self.sim.now()
        assert now >= self.last_now, f"the clock went back from {self.last_now} to {now}"
        self.last_now = now

    @invariant()
    def due_events_fire_once(self) -> None:
        clock = self.clock
        assert self.sim.clock is clock and self.sim.ledger.clock is clock
        assert clock.fired_count == clock.fire_calls == len(clock.fired_events), (
            f"fired_count {clock.fired_count}, actions run {clock.fire_calls}, "
            f"distinct events fired {len(clock.fired_events)}")
        pending = clock.pending()
        pending_set = set(pending)
        assert len(pending_set) == len(pending), "an event is on the agenda twice"
        for due_event in pending:
            assert not due_event.fired and not due_event.cancelled, f"stale agenda entry {due_event!r}"
            assert due_event.due > self.sim.now(), f"overdue agenda entry {due_event!r} at {self.sim.now()}"
        for due_event in clock.scheduled:
            assert not (due_event.fired and due_event.cancelled), f"fired and cancelled: {due_event!r}"
            assert due_event.fired == (due_event in clock.fired_events), f"fired flag wrong: {due_event!r}"
            if not due_event.fired and due_event not in pending_set:
                assert due_event.cancelled, f"due event lost from the agenda: {due_event!r}"

    @invariant()
    def event_log_is_a_faithful_history(self) -> None:
        ledger = self.sim.ledger
        now = self.sim.now()
        events = ledger.events
        previous_at = events[self.events_seen - 1].at if self.events_seen else None
        for change in events[self.events_seen:]:
            where = f"{change.object_type} {change.object_id} {change.from_state}->{change.to_state}"
            assert change.at <= now, f"{where} stamped {change.at}, after now {now}"
            assert previous_at is None or change.at >= previous_at, (
                f"{where} at {change.at} logged after an event at {previous_at}")
            previous_at = change.at
            projected = API_PROJECTION[change.cause]
            assert (change.to_state, change.reason) == (projected.state, projected.reason), (
                f"{where} shows {change.reason} but its cause {change.cause!r} projects to {projected}")
            assert change.to_state in STATE_VALUES[change.object_type], (
                f"{where}: {change.to_state} is not a {change.object_type} state (cause {change.cause!r})")
            before = self.logged_state.get(change.object_id)
            if before is None:
                assert change.from_state is None, f"{where}: first logged change has a from-state"
            else:
                assert change.from_state == before[0], f"{where}: but it was {before[0]}"
                assert before[0] not in TERMINAL_STATES[change.object_type], (
                    f"{where}: left terminal state {before[0]} ({before[1]!r} -> {change.cause!r})")
            self.logged_state[change.object_id] = (change.to_state, change.cause)
            self._check_deadline(change.object_id, change.cause, change.at)
        self.events_seen = len(events)
        stores: list[dict[str, SimulatedObject]] = [
            dict(ledger.checkout_sessions), dict(ledger.charge_permissions), dict(ledger.charges),
            dict(ledger.refunds)]
        for store in stores:
            for object_id, obj in store.items():
                assert self.logged_state.get(object_id) == (obj.state, obj.cause), (
                    f"{object_id} is {obj.state} ({obj.cause!r}) but the log says "
                    f"{self.logged_state.get(object_id)}")
                assert obj.created_at <= obj.updated_at <= now, f"{object_id} timestamps"

    def _check_deadline(self, object_id: str, cause: Cause, at: datetime) -> None:
        """Time-driven transitions happen exactly at their deadline (docs/reference/seller-central.md
        numbers)."""
        ledger = self.sim.ledger
        if cause in (Cause.CHECKOUT_EXPIRED, Cause.CHECKOUT_NEVER_COMPLETED):
            if object_id in ledger.checkout_sessions:
                deadline = ledger.session(object_id).created_at + CHECKOUT_LIFETIME
            else:
                session_id = ledger.permission(object_id).checkout_session_id
                deadline = ledger.session(session_id).created_at + CHECKOUT_LIFETIME
            assert at == deadline, f"{object_id}: {cause} at {at}, deadline {deadline}"
        elif cause is Cause.PERMISSION_EXPIRED:
            deadline = self.expected_expiry[object_id]
            assert at == deadline, f"{object_id}: expired at {at}, expected {deadline}"
        elif cause is Cause.AUTHORIZATION_EXPIRED:
            deadline = ledger.charge(object_id).created_at + AUTHORIZATION_VALIDITY
            assert at == deadline, f"{object_id}: authorization expired at {at}, expected {deadline}"

    @invariant()
    def every_transition_is_in_the_table(self) -> None:
        for change in self.sim.ledger.events:
            edge = Transition(change.object_type, change.from_state, change.cause)
            assert edge in DECLARED_TRANSITIONS, f"{edge} is missing from harness.amazon_pay.transitions"

    @invariant()
    def sessions_are_consistent(self) -> None:
        ledger = self.sim.ledger
        now = self.sim.now()
        for session in ledger.checkout_sessions.values():
            if session.state == CheckoutSessionState.OPEN:
                assert now < session.created_at + CHECKOUT_LIFETIME, (
                    f"{session.id} still Open at {now}, 24 h after {session.created_at}")
            if session.state == CheckoutSessionState.COMPLETED:
                assert session.id in self.completed_sessions, f"{session.id} Completed without Complete"
                assert session.charge_permission_id in ledger.charge_permissions, (
                    f"Completed {session.id} has no charge permission")
                if session.payment.payment_intent is not PaymentIntent.CONFIRM:
                    assert session.charge_id in ledger.charges, f"Completed {session.id} has no charge"
            if (session.approved and session.id not in self.completed_sessions
                    and now >= session.created_at + CHECKOUT_LIFETIME):
                assert session.charge_permission_id is not None
                permission = ledger.permission(session.charge_permission_id)
                assert permission.state == ChargePermissionState.CLOSED, (
                    f"{permission.id}: checkout never completed, still {permission.state} 24 h later")

    @invariant()
    def one_time_limits_hold(self) -> None:
        ledger = self.sim.ledger
        now = self.sim.now()
        for permission in ledger.charge_permissions.values():
            assert permission.expires_at == self.expected_expiry[permission.id], (
                f"{permission.id} expires {permission.expires_at}, "
                f"expected {self.expected_expiry[permission.id]}")
            if permission.state != ChargePermissionState.CLOSED:
                assert now < permission.expires_at, f"{permission.id} not Closed after expiry"
            if permission.is_recurring:
                assert permission.amount_limit is None
                continue
            limit = self.expected_limit[permission.id]
            assert limit is not None and permission.amount_limit == yen(limit), (
                f"{permission.id} amountLimit {permission.amount_limit}, expected ¥{limit}")
            charges = ledger.charges_of(permission)
            assert len(charges) <= MAX_CHARGES, f"{permission.id} has {len(charges)} charges"
            captured = sum(whole_yen(charge.capture_amount) for charge in charges
                           if charge.charge_state is ChargeState.CAPTURED and charge.capture_amount)
            in_capture = sum(whole_yen(charge.capture_amount) for charge in charges
                             if charge.charge_state is ChargeState.CAPTURE_INITIATED
                             and charge.capture_amount)
            open_auth = sum(whole_yen(charge.charge_amount) for charge in charges
                            if charge.charge_state.is_open)
            assert captured <= limit, f"{permission.id}: captured ¥{captured} > amountLimit ¥{limit}"
            balance = amount_balance(ledger, permission)
            assert balance == yen(limit - captured - in_capture - open_auth), (
                f"{permission.id}: amountBalance {balance}")
            assert whole_yen(balance) >= 0, f"{permission.id}: amountBalance {balance} < 0"
            if captured >= limit:  # D-FULL-CAPTURE-CLOSE, docs/reference/seller-central.md Closed 1
                assert permission.state == ChargePermissionState.CLOSED, (
                    f"{permission.id}: captured ¥{captured} of ¥{limit} but {permission.state}")

    @invariant()
    def charges_and_refunds_hold(self) -> None:
        ledger = self.sim.ledger
        now = self.sim.now()
        for charge in ledger.charges.values():
            state = charge.charge_state
            if state in (ChargeState.CAPTURED, ChargeState.CAPTURE_INITIATED):
                assert charge.capture_amount is not None and charge.capture_amount <= charge.charge_amount, (
                    f"{charge.id}: captured {charge.capture_amount} of {charge.charge_amount}")
            if state.is_open:
                assert now < charge.created_at + AUTHORIZATION_VALIDITY, (
                    f"{charge.id}: still {state} 30 days after {charge.created_at}")
            if state in (ChargeState.AUTHORIZED, ChargeState.CAPTURE_INITIATED, ChargeState.CAPTURED):
                assert charge.authorized_at is not None, f"{charge.id} is {state} but never authorized"
            refunds = ledger.refunds_of(charge)
            assert len(refunds) <= MAX_REFUNDS, f"{charge.id} has {len(refunds)} refunds"
            if not refunds:
                continue
            assert state is ChargeState.CAPTURED and charge.capture_amount is not None, (
                f"{charge.id} has refunds but is {state}")
            captured = whole_yen(charge.capture_amount)
            cap = captured + min(captured * 15 // 100, REFUND_EXTRA_CAP)
            refunded = sum(whole_yen(refund.refund_amount) for refund in refunds
                           if refund.state != RefundState.DECLINED)
            assert refunded <= cap, f"{charge.id}: refunds ¥{refunded} above cap ¥{cap}"
            done = sum(whole_yen(refund.refund_amount) for refund in refunds
                       if refund.state == RefundState.REFUNDED)
            assert charge.refunded_amount == yen(done), (  # D-REFUNDED-AMOUNT
                f"{charge.id}: refundedAmount {charge.refunded_amount}, Refunded refunds ¥{done}")

    @invariant()
    def objects_show_their_projection(self) -> None:
        ledger = self.sim.ledger
        objects: list[SimulatedObject] = [*ledger.checkout_sessions.values(),
                                          *ledger.charge_permissions.values(),
                                          *ledger.charges.values(), *ledger.refunds.values()]
        for obj in objects:
            projected = API_PROJECTION[obj.cause]
            assert (obj.state, obj.reason) == (projected.state, projected.reason), obj.id

    @invariant()
    def view_follows_the_facts(self) -> None:
        ledger = self.sim.ledger
        now = self.sim.now()
        rows = {row.reference_id: row for row in self.view.rows()}  # must not raise: status is total
        expected_ids: set[str] = set()
        for permission in ledger.charge_permissions.values():
            if permission.is_recurring:
                for charge in ledger.charges_of(permission):
                    expected_ids.add(charge.id)
                    self._check_recurring_row(permission, charge.id, rows)
            else:
                expected_ids.add(permission.id)
                self._check_one_time_row(permission, rows, now)
        assert set(rows) == expected_ids, (
            f"rows {sorted(set(rows) ^ expected_ids)} should {'not ' if set(rows) > expected_ids else ''}"
            "be in the view")

    def _check_one_time_row(self, permission: ChargePermission, rows: dict[str, TransactionRow],
                            now: datetime) -> None:
        assert permission.id in rows, f"no row for {permission.id}"
        row = rows[permission.id]
        status = row.status
        state = permission.state
        where = f"row {permission.id} ({state}, {permission.cause!r}) shows {status.value}"
        if state == ChargePermissionState.CLOSED:
            assert status in (TransactionStatus.CLOSED, TransactionStatus.CANCELED), where
        elif state == ChargePermissionState.NON_CHARGEABLE:
            assert status is TransactionStatus.SUSPENDED, where
        else:
            assert status is TransactionStatus.OPEN, where
        assert (status is TransactionStatus.CANCELED) == (permission.cause in CANCELED_ROW_CAUSES), where
        assert status is TRANSACTION_STATUS[permission.cause], where
        if status is TransactionStatus.CANCELED:
            session = self.sim.ledger.session(permission.checkout_session_id)
            never_completed = (session.id not in self.completed_sessions
                               and now >= session.created_at + CHECKOUT_LIFETIME)
            assert permission.id in self.operator_canceled or never_completed, (
                f"{where}, but the operator did not cancel it and its checkout was "
                f"{'completed' if session.id in self.completed_sessions else 'not yet 24 h old'}")
        charges = self.sim.ledger.charges_of(permission)
        captured = sum(whole_yen(charge.capture_amount) for charge in charges
                       if charge.charge_state is ChargeState.CAPTURED and charge.capture_amount)
        refunded = sum(whole_yen(charge.refunded_amount) for charge in charges if charge.refunded_amount)
        assert row.captured == yen(captured) and row.refunded == yen(refunded), (
            f"row {permission.id}: captured {row.captured} / refunded {row.refunded}, "
            f"facts ¥{captured} / ¥{refunded}")

    def _check_recurring_row(self, permission: ChargePermission, charge_id: str,
                             rows: dict[str, TransactionRow]) -> None:
        assert charge_id in rows, f"no row for recurring charge {charge_id}"
        status = rows[charge_id].status
        state = self.sim.ledger.charge(charge_id).charge_state
        where = f"recurring row {charge_id} (charge {state}, permission {permission.state}) shows {status}"
        # D-RECURRING-ROWS
        if state is ChargeState.CAPTURED:
            assert status is TransactionStatus.CLOSED, where
        elif permission.state == ChargePermissionState.CLOSED:  # the permission's own status
            canceled = permission.cause in CANCELED_ROW_CAUSES
            assert status is (TransactionStatus.CANCELED if canceled else TransactionStatus.CLOSED), where
        elif state in (ChargeState.CANCELED, ChargeState.DECLINED):
            assert status is TransactionStatus.CANCELED, where
        else:
            assert status is TransactionStatus.OPEN, where


SimulatorMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None,
    # no explain phase: on a failure it costs more than the shrinking and adds little to a state machine
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
TestSimulator = SimulatorMachine.TestCase


def _replay(state: SimulatorMachine, *steps: Callable[[], object]) -> None:
    """Run shrunk steps as hypothesis printed them, checking every invariant after each."""
    try:
        state.check_invariants_now()
        for step in steps:
            step()
            state.check_invariants_now()
    finally:
        state.teardown()


def _one_yen_order(state: SimulatorMachine) -> str:
    """A completed ¥1 Confirm checkout (the shrunk start of the regressions below)."""
    permission_id = state.first_checkout(
        payment=PaymentDetails(payment_intent=PaymentIntent.CONFIRM, charge_amount=yen(1)),
        kind=ChargePermissionType.ONE_TIME, card="0000", interlude=None, ending="complete")
    assert isinstance(permission_id, str)
    return permission_id


def test_amazon_settling_a_pending_authorization_early_leaves_no_timer() -> None:
    """Found by the machine: Amazon resolves a pending authorization before its 30 s timer."""
    state = SimulatorMachine()
    permission_id = _one_yen_order(state)
    _replay(state, lambda: state.race_with_amazon(
        permission_id=permission_id, slow="pending authorization", meanwhile="Amazon resolves pending",
        index=0, reason=ReasonCode.SOFT_DECLINED))


def test_pending_capture_now_authorization_on_a_closed_permission() -> None:
    """Found by the machine: a captureNow authorization resolves after the merchant closed the permission."""
    state = SimulatorMachine()
    permission_id = _one_yen_order(state)
    _replay(state, lambda: state.race_with_amazon(
        permission_id=permission_id, slow="pending authorization with captureNow",
        meanwhile="merchant closes", index=0, reason=ReasonCode.SOFT_DECLINED))
